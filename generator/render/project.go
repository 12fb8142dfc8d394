package render

import (
	"bytes"
	"encoding/json"
	"fmt"
	"slices"
	"strings"

	"byocpack/generator/spec"
)

// object is a JSON object that keeps its keys in the order they were read,
// so that merging into a user's sfdx-project.json changes only what it
// must and the diff stays small.
type object struct {
	keys []string
	vals map[string]json.RawMessage
}

func newObject() *object { return &object{vals: map[string]json.RawMessage{}} }

func (o *object) set(key string, v any) {
	raw, err := json.Marshal(v)
	if err != nil {
		panic(err) // only strings, bools and objects built here are set
	}
	o.setRaw(key, raw)
}

func (o *object) setRaw(key string, raw json.RawMessage) {
	if _, ok := o.vals[key]; !ok {
		o.keys = append(o.keys, key)
	}
	o.vals[key] = raw
}

func (o *object) str(key string) string {
	var s string
	_ = json.Unmarshal(o.vals[key], &s)
	return s
}

func (o *object) MarshalJSON() ([]byte, error) {
	var b bytes.Buffer
	b.WriteByte('{')
	for i, k := range o.keys {
		if i > 0 {
			b.WriteByte(',')
		}
		kb, _ := json.Marshal(k)
		b.Write(kb)
		b.WriteByte(':')
		b.Write(o.vals[k])
	}
	b.WriteByte('}')
	return b.Bytes(), nil
}

func (o *object) UnmarshalJSON(data []byte) error {
	dec := json.NewDecoder(bytes.NewReader(data))
	t, err := dec.Token()
	if err != nil {
		return err
	}
	if d, ok := t.(json.Delim); !ok || d != '{' {
		return fmt.Errorf("expected a JSON object")
	}
	*o = *newObject()
	for dec.More() {
		t, err := dec.Token()
		if err != nil {
			return err
		}
		key := t.(string)
		var raw json.RawMessage
		if err := dec.Decode(&raw); err != nil {
			return err
		}
		if _, dup := o.vals[key]; dup {
			return fmt.Errorf("key %q appears twice", key)
		}
		o.setRaw(key, raw)
	}
	_, err = dec.Token()
	return err
}

// mergeProject writes the spec's package into sfdx-project.json. An
// existing file keeps every key and package directory the user had; only
// the keys the spec owns change.
func mergeProject(existing []byte, s *spec.Spec) ([]byte, error) {
	root := newObject()
	if len(bytes.TrimSpace(existing)) > 0 {
		if err := json.Unmarshal(existing, root); err != nil {
			return nil, fmt.Errorf("sfdx-project.json in the output directory is not valid JSON (%v); fix it or move it away, byocpack merges into it and will not overwrite it", err)
		}
	}
	var dirs []*object
	if raw, ok := root.vals["packageDirectories"]; ok {
		if err := json.Unmarshal(raw, &dirs); err != nil {
			return nil, fmt.Errorf("sfdx-project.json: packageDirectories is not a list of objects (%v); fix it, byocpack merges into it", err)
		}
	}
	p := s.Package
	pkgDir := findDir(dirs, func(d *object) bool { return d.str("path") == p.Path })
	if pkgDir == nil {
		pkgDir = findDir(dirs, func(d *object) bool { return d.str("package") == p.Name })
	}
	if pkgDir == nil {
		pkgDir = newObject()
		dirs = append(dirs, pkgDir)
	}
	// sf requires exactly one default package directory: ours.
	for _, d := range dirs {
		if d != pkgDir {
			if _, ok := d.vals["default"]; ok {
				d.set("default", false)
			}
		}
	}
	pkgDir.set("path", p.Path)
	pkgDir.set("default", true)
	pkgDir.set("package", p.Name)
	if p.VersionName != "" {
		pkgDir.set("versionName", p.VersionName)
	}
	if p.Description != "" {
		pkgDir.set("versionDescription", p.Description)
	}
	pkgDir.set("versionNumber", p.VersionNumber)
	if p.DefinitionFile != "" {
		// sf package version create builds its validation org from it.
		pkgDir.set("definitionFile", p.DefinitionFile)
	}
	// The source-org directory is listed only when something goes there:
	// sf refuses a project whose package directory does not exist.
	if s.HasSourceOrgFiles() && findDir(dirs, func(d *object) bool { return d.str("path") == p.SourceOrgPath }) == nil {
		org := newObject()
		org.set("path", p.SourceOrgPath)
		dirs = append(dirs, org)
	}
	root.set("packageDirectories", dirs)
	if _, ok := root.vals["name"]; !ok {
		root.set("name", projectName(p.Name))
	}
	root.set("namespace", p.Namespace)
	if _, ok := root.vals["sfdcLoginUrl"]; !ok {
		root.set("sfdcLoginUrl", "https://login.salesforce.com")
	}
	root.set("sourceApiVersion", p.APIVersion)
	compact, err := json.Marshal(root)
	if err != nil {
		return nil, err
	}
	var out bytes.Buffer
	if err := json.Indent(&out, compact, "", "  "); err != nil {
		return nil, err
	}
	out.WriteByte('\n')
	return out.Bytes(), nil
}

func findDir(dirs []*object, match func(*object) bool) *object {
	i := slices.IndexFunc(dirs, match)
	if i < 0 {
		return nil
	}
	return dirs[i]
}

// projectName turns "Partner1 Messaging" into "partner1-messaging", the
// shape `sf project generate` gives project names.
func projectName(pkg string) string {
	return strings.ToLower(strings.Join(strings.Fields(pkg), "-"))
}

func sortFiles(fs []File) {
	slices.SortFunc(fs, func(a, b File) int { return strings.Compare(a.Path, b.Path) })
}
