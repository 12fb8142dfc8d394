package render

import (
	"bytes"
	"encoding/json"
	"fmt"
	"slices"
	"strings"

	"github.com/byocpack/byocpack/generator/spec"
	"github.com/byocpack/byocpack/internal/strictjson"
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
// the keys the spec owns change, and each change is listed ("key: old →
// new") so that none is silent. byocpack's own package directory is the
// one with the spec's package name (else its path); a default the user
// gave another directory stays theirs, and build then picks byocpack's
// directory by its package name.
func mergeProject(existing []byte, s *spec.Spec) ([]byte, []string, error) {
	root := newObject()
	m := &projectMerge{}
	if len(bytes.TrimSpace(existing)) > 0 {
		m.existing = true
		if err := strictjson.Unmarshal(existing, root); err != nil {
			return nil, nil, fmt.Errorf("sfdx-project.json in the output directory is not valid JSON (%v); fix it or move it away, byocpack merges into it and will not overwrite it", err)
		}
	}
	var dirs []*object
	if raw, ok := root.vals["packageDirectories"]; ok {
		if err := json.Unmarshal(raw, &dirs); err != nil {
			return nil, nil, fmt.Errorf("sfdx-project.json: packageDirectories is not a list of objects (%v); fix it, byocpack merges into it", err)
		}
	}
	p := s.Package
	pkgDir := findDir(dirs, func(d *object) bool { return d.str("package") == p.Name })
	if pkgDir == nil {
		pkgDir = findDir(dirs, func(d *object) bool { return d.str("path") == p.Path })
	}
	if pkgDir == nil {
		pkgDir = newObject()
		dirs = append(dirs, pkgDir)
		if m.existing {
			m.changes = append(m.changes, fmt.Sprintf("packageDirectories: added %q for package %q", p.Path, p.Name))
		}
	}
	where := fmt.Sprintf("packageDirectories[%s].", p.Path)
	m.set(pkgDir, where, "path", p.Path)
	// sf requires exactly one default package directory. One the user
	// marked stays theirs; otherwise it is byocpack's.
	if findDir(dirs, func(d *object) bool { return d != pkgDir && string(d.vals["default"]) == "true" }) != nil {
		if _, ok := pkgDir.vals["default"]; ok {
			m.set(pkgDir, where, "default", false)
		}
	} else {
		m.set(pkgDir, where, "default", true)
	}
	m.set(pkgDir, where, "package", p.Name)
	if p.VersionName != "" {
		m.set(pkgDir, where, "versionName", p.VersionName)
	}
	if p.Description != "" {
		m.set(pkgDir, where, "versionDescription", p.Description)
	}
	m.set(pkgDir, where, "versionNumber", p.VersionNumber)
	if p.DefinitionFile != "" {
		// sf package version create builds its validation org from it.
		m.set(pkgDir, where, "definitionFile", p.DefinitionFile)
	}
	// The source-org directory is listed only when something goes there:
	// sf refuses a project whose package directory does not exist.
	if s.HasSourceOrgFiles() && findDir(dirs, func(d *object) bool { return d.str("path") == p.SourceOrgPath }) == nil {
		org := newObject()
		org.set("path", p.SourceOrgPath)
		dirs = append(dirs, org)
		if m.existing {
			m.changes = append(m.changes, fmt.Sprintf("packageDirectories: added %q (not packaged: what stays in the org that owns the app)", p.SourceOrgPath))
		}
	}
	root.set("packageDirectories", dirs)
	if _, ok := root.vals["name"]; !ok {
		m.set(root, "", "name", projectName(p.Name))
	}
	m.set(root, "", "namespace", p.Namespace)
	if _, ok := root.vals["sfdcLoginUrl"]; !ok {
		m.set(root, "", "sfdcLoginUrl", "https://login.salesforce.com")
	}
	m.set(root, "", "sourceApiVersion", p.APIVersion)
	compact, err := json.Marshal(root)
	if err != nil {
		return nil, nil, err
	}
	var out bytes.Buffer
	if err := json.Indent(&out, compact, "", "  "); err != nil {
		return nil, nil, err
	}
	out.WriteByte('\n')
	return out.Bytes(), m.changes, nil
}

// projectMerge sets keys and records what it changed in a file that
// existed before.
type projectMerge struct {
	existing bool
	changes  []string
}

func (m *projectMerge) set(o *object, where, key string, v any) {
	raw, err := json.Marshal(v)
	if err != nil {
		panic(err) // only strings and bools are set here
	}
	old, had := o.vals[key]
	var oldCompact bytes.Buffer
	if had && json.Compact(&oldCompact, old) == nil && bytes.Equal(oldCompact.Bytes(), raw) {
		return
	}
	if m.existing {
		if had {
			m.changes = append(m.changes, fmt.Sprintf("%s%s: %s → %s", where, key, oldCompact.String(), raw))
		} else {
			m.changes = append(m.changes, fmt.Sprintf("%s%s: added %s", where, key, raw))
		}
	}
	o.setRaw(key, raw)
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
