// Package sfdx reads a Salesforce DX project the way the Salesforce CLI
// does: sfdx-project.json, .forceignore, and the metadata type of every
// source file in a package directory.
package sfdx

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"os"
	"path"
	"path/filepath"
	"regexp"
	"strings"

	"github.com/byocpack/byocpack/internal/strictjson"
	"github.com/byocpack/byocpack/internal/tree"
)

// ProjectFile is the name of the project file at a project's root.
const ProjectFile = "sfdx-project.json"

// Member is one key of a JSON object with its raw value, kept in file order
// because the CLI's package2-descriptor.json follows the packageDirectories
// entry's key order.
type Member struct {
	Key   string
	Value json.RawMessage
}

// PackageDir is one packageDirectories entry.
type PackageDir struct {
	Path               string
	Package            string
	VersionName        string
	VersionNumber      string
	VersionDescription string
	// Default is the effective default flag: with a single entry it is
	// implied, as the CLI does.
	Default bool
	// Members is the entry exactly as written, in key order.
	Members []Member
	// Line is the 1-based line of the entry in sfdx-project.json.
	Line int
}

// Project is a parsed sfdx-project.json.
type Project struct {
	// Dir is the project root as given to Load.
	Dir                string
	Name               string
	Namespace          string
	SourceAPIVersion   string
	PackageDirectories []PackageDir
	PackageAliases     map[string]string
	// ConversionKeys are the keys present, in ConversionKeyNames' order,
	// that change what the CLI writes from data byocpack does not bundle.
	ConversionKeys []KeyAt
	// LoginURL is sfdcLoginUrl, the login URL the CLI's auth commands use.
	LoginURL string
}

// KeyAt is a key of sfdx-project.json and the line it is written on.
type KeyAt struct {
	Key  string
	Line int
}

// ConversionKeyNames are the sfdx-project.json keys that change what `sf
// project convert source` writes: sourceBehaviorOptions decomposes more
// types (presets the CLI ships apart from its registry),
// registryCustomizations changes the registry itself, and replacements
// rewrites file contents from the environment at conversion time.
var ConversionKeyNames = []string{"sourceBehaviorOptions", "registryCustomizations", "replacements"}

// Load reads and checks dir/sfdx-project.json. Errors name the file and,
// where the problem sits at one place, its line.
func Load(dir string) (*Project, error) {
	file := filepath.Join(dir, ProjectFile)
	data, err := tree.ReadFile(dir, ProjectFile)
	if err != nil {
		return nil, fmt.Errorf("%s: %w", file, err)
	}
	if data == nil {
		return nil, fmt.Errorf("%s: not found: a Salesforce DX project needs %s at its root", file, ProjectFile)
	}
	p, err := Parse(data, file)
	if err != nil {
		return nil, err
	}
	p.Dir = dir
	err = p.CheckDirs(file, func(rel string) bool {
		fi, err := os.Stat(filepath.Join(dir, filepath.FromSlash(rel)))
		return err == nil && fi.IsDir()
	})
	return p, err
}

// CheckDirs fails for the first package directory that exists returns
// false for; file names sfdx-project.json in the message.
func (p *Project) CheckDirs(file string, exists func(rel string) bool) error {
	for _, pd := range p.PackageDirectories {
		if !exists(pd.Path) {
			return fmt.Errorf("%s:%d: package directory %q does not exist: create it or fix \"path\"", file, pd.Line, pd.Path)
		}
	}
	return nil
}

func lineOf(data []byte, offset int64) int {
	if offset > int64(len(data)) {
		offset = int64(len(data))
	}
	return bytes.Count(data[:offset], []byte("\n")) + 1
}

// Trace, when a test sets it, is called with the name of every
// sfdx-project.json Parse checks. Set it only while no command runs.
var Trace func(file string)

// Parse checks the bytes of an sfdx-project.json; file is its name in
// messages. It does not look at the disk.
func Parse(data []byte, file string) (*Project, error) {
	if Trace != nil {
		Trace(file)
	}
	if bytes.HasPrefix(data, []byte("\xef\xbb\xbf")) {
		data = data[3:]
	}
	top, err := Top(data, file)
	if err != nil {
		return nil, err
	}
	p := &Project{}
	str := func(key string, dst *string) error {
		raw, ok := top[key]
		if !ok {
			return nil
		}
		if err := json.Unmarshal(raw, dst); err != nil {
			return fmt.Errorf("%s:%d: %q must be a string", file, lineOf(data, keyOffset(data, key)), key)
		}
		return nil
	}
	for key, dst := range map[string]*string{"name": &p.Name, "namespace": &p.Namespace, "sourceApiVersion": &p.SourceAPIVersion, "sfdcLoginUrl": &p.LoginURL} {
		if err := str(key, dst); err != nil {
			return nil, err
		}
	}
	if raw, ok := top["packageAliases"]; ok {
		if err := json.Unmarshal(raw, &p.PackageAliases); err != nil {
			return nil, fmt.Errorf("%s:%d: \"packageAliases\" must map alias names to id strings", file, lineOf(data, keyOffset(data, "packageAliases")))
		}
	}
	for _, k := range ConversionKeyNames {
		if _, ok := top[k]; ok {
			p.ConversionKeys = append(p.ConversionKeys, KeyAt{Key: k, Line: lineOf(data, keyOffset(data, k))})
		}
	}
	if _, ok := top["packageDirectories"]; !ok {
		return nil, fmt.Errorf("%s:1: \"packageDirectories\" is required: add [{\"path\": \"force-app\", \"default\": true}]", file)
	}
	if v := p.SourceAPIVersion; v != "" && !apiVersionPattern().MatchString(v) {
		return nil, fmt.Errorf("%s:%d: \"sourceApiVersion\" %q is not an API version; write it like \"66.0\"", file, lineOf(data, keyOffset(data, "sourceApiVersion")), v)
	}
	dirs, err := packageDirs(data, file)
	if err != nil {
		return nil, err
	}
	// macOS and Windows fold case: "Force-App" and "force-app" would be one
	// folder there and two here.
	for i, a := range dirs {
		for _, b := range dirs[:i] {
			if a.Path != b.Path && strings.EqualFold(a.Path, b.Path) {
				return nil, fmt.Errorf("%s:%d: package directories %q and %q differ only in letter case, which makes them one folder on macOS and Windows; rename one", file, a.Line, b.Path, a.Path)
			}
		}
	}
	p.PackageDirectories = dirs
	return p, nil
}

// Top is the one reading of an sfdx-project.json's top level that every
// reader of the file goes through: the whole file is checked first
// (strictjson), so that no key is written twice at any depth and the
// Salesforce CLI, which keeps the last of two, and byocpack read the same
// project. A UTF-8 byte-order mark is skipped; file names the file in
// messages.
func Top(data []byte, file string) (map[string]json.RawMessage, error) {
	data = bytes.TrimPrefix(data, []byte("\xef\xbb\xbf"))
	if err := strictjson.Check(data); err != nil {
		var e *strictjson.Error
		if errors.As(err, &e) {
			return nil, fmt.Errorf("%s:%d:%d: %s", file, e.Line, e.Col, e.Msg)
		}
		return nil, fmt.Errorf("%s: %v", file, err)
	}
	var top map[string]json.RawMessage
	if err := json.Unmarshal(data, &top); err != nil || top == nil {
		return nil, fmt.Errorf("%s:1: the file must hold one JSON object, {\"packageDirectories\": [...]}", file)
	}
	return top, nil
}

// keyOffset finds where a top-level key is written, for a line number.
func keyOffset(data []byte, key string) int64 {
	i := bytes.Index(data, []byte(`"`+key+`"`))
	if i < 0 {
		return 0
	}
	return int64(i)
}

// packageDirs decodes packageDirectories token by token, to keep each
// entry's key order and line.
func packageDirs(data []byte, file string) ([]PackageDir, error) {
	dec := json.NewDecoder(bytes.NewReader(data))
	if _, err := dec.Token(); err != nil { // {
		return nil, err
	}
	for dec.More() {
		tok, err := dec.Token()
		if err != nil {
			return nil, err
		}
		if tok != "packageDirectories" {
			var skip json.RawMessage
			if err := dec.Decode(&skip); err != nil {
				return nil, err
			}
			continue
		}
		at := dec.InputOffset()
		if t, err := dec.Token(); err != nil || t != json.Delim('[') {
			return nil, fmt.Errorf("%s:%d: \"packageDirectories\" must be an array of objects", file, lineOf(data, at))
		}
		var out []PackageDir
		for dec.More() {
			start := dec.InputOffset()
			var raw json.RawMessage
			if err := dec.Decode(&raw); err != nil {
				return nil, fmt.Errorf("%s:%d: %v", file, lineOf(data, start), err)
			}
			// The decoder's offset sits before the separating comma and
			// blanks; the entry's line is that of its first byte.
			line := lineOf(data, start+int64(bytes.Index(data[start:], raw[:1])))
			pd, err := packageDir(raw, file, line)
			if err != nil {
				return nil, err
			}
			out = append(out, pd)
		}
		return checkDefaults(out, file, lineOf(data, at))
	}
	return nil, fmt.Errorf("%s:1: \"packageDirectories\" is required", file)
}

func packageDir(raw json.RawMessage, file string, line int) (PackageDir, error) {
	pd := PackageDir{Line: line}
	dec := json.NewDecoder(bytes.NewReader(raw))
	if t, err := dec.Token(); err != nil || t != json.Delim('{') {
		return pd, fmt.Errorf("%s:%d: each packageDirectories entry must be an object", file, line)
	}
	for dec.More() {
		t, err := dec.Token()
		if err != nil {
			return pd, fmt.Errorf("%s:%d: %v", file, line, err)
		}
		key := t.(string)
		var v json.RawMessage
		if err := dec.Decode(&v); err != nil {
			return pd, fmt.Errorf("%s:%d: %v", file, line, err)
		}
		for _, m := range pd.Members {
			if m.Key == key {
				return pd, fmt.Errorf("%s:%d: key %q appears twice in a packageDirectories entry", file, line, key)
			}
		}
		pd.Members = append(pd.Members, Member{Key: key, Value: v})
		var dst any
		switch key {
		case "path":
			dst = &pd.Path
		case "package":
			dst = &pd.Package
		case "versionName":
			dst = &pd.VersionName
		case "versionNumber":
			dst = &pd.VersionNumber
		case "versionDescription":
			dst = &pd.VersionDescription
		case "default":
			dst = &pd.Default
		default:
			continue
		}
		if err := json.Unmarshal(v, dst); err != nil {
			return pd, fmt.Errorf("%s:%d: packageDirectories %q has the wrong type: %v", file, line, key, err)
		}
	}
	if _, err := dec.Token(); err != nil && err != io.EOF {
		return pd, err
	}
	if pd.Path == "" {
		return pd, fmt.Errorf("%s:%d: a packageDirectories entry needs \"path\", e.g. \"force-app\"", file, line)
	}
	clean := path.Clean(strings.ReplaceAll(pd.Path, "\\", "/"))
	if path.IsAbs(clean) || clean == ".." || strings.HasPrefix(clean, "../") {
		return pd, fmt.Errorf("%s:%d: package directory path %q must be relative and inside the project", file, line, pd.Path)
	}
	pd.Path = clean
	return pd, nil
}

func checkDefaults(dirs []PackageDir, file string, line int) ([]PackageDir, error) {
	if len(dirs) == 0 {
		return nil, fmt.Errorf("%s:%d: \"packageDirectories\" must list at least one directory", file, line)
	}
	if len(dirs) == 1 {
		if explicitFalse(dirs[0]) {
			return nil, fmt.Errorf("%s:%d: the only package directory cannot have \"default\": false; remove the key or set it to true", file, dirs[0].Line)
		}
		dirs[0].Default = true
		return dirs, nil
	}
	n := 0
	for _, d := range dirs {
		if d.Default {
			n++
		}
	}
	if n != 1 {
		return nil, fmt.Errorf("%s:%d: %d package directories are marked \"default\": true; exactly one must be", file, line, n)
	}
	return dirs, nil
}

func explicitFalse(d PackageDir) bool {
	for _, m := range d.Members {
		if m.Key == "default" {
			return string(bytes.TrimSpace(m.Value)) == "false"
		}
	}
	return false
}

// DefaultPackageDir returns the package directory marked default.
func (p *Project) DefaultPackageDir() *PackageDir {
	for i := range p.PackageDirectories {
		if p.PackageDirectories[i].Default {
			return &p.PackageDirectories[i]
		}
	}
	return &p.PackageDirectories[0]
}

// apiVersionPattern is what the CLI accepts as sourceApiVersion: a major
// version and ".0".
func apiVersionPattern() *regexp.Regexp { return regexp.MustCompile(`^[1-9][0-9]{1,2}\.0$`) }
