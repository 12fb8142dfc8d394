// Package diff compares two package versions component by component: the
// components added and removed, renamed ones, and for changed ones each
// field by its path, ignoring what Salesforce ignores (whitespace and
// indentation, the order of child elements, the order of a comma-separated
// scope list). What a managed package cannot undo once released (a removed
// component, a changed API name, another namespace) is flagged, and so is
// what widens an OAuth app's access (access.go).
package diff

import (
	"bytes"
	"context"
	"crypto/sha256"
	"encoding/hex"
	"fmt"
	"github.com/byocpack/byocpack/generator/problem"
	"maps"
	"slices"
	"strings"

	"github.com/byocpack/byocpack/internal/inspect"
)

// Rule IDs of the flags (docs/review.md; access.go has the access ones).
const (
	RuleRemoved   = "DIFF-REMOVED"
	RuleRenamed   = "DIFF-RENAMED"
	RuleNamespace = "DIFF-NAMESPACE"
)

// Side names one of the two inputs.
type Side struct {
	Source string `json:"source"`
	Kind   string `json:"kind"`
}

// Ref names a component and where it is.
type Ref struct {
	Type     string `json:"type"`
	FullName string `json:"fullName"`
	File     string `json:"file"`
	Line     int    `json:"line,omitempty"`
	// Outside is true for a component of a package directory without a
	// package (source-org/): it stays in the org that owns the app.
	Outside bool `json:"outside,omitempty"`
}

// String is "Type FullName".
func (r Ref) String() string { return r.Type + " " + r.FullName }

// FieldChange is one field whose value differs. Old or New is nil when the
// field is absent on that side; File and Line point at the new value, or
// at the old one when the field was removed.
type FieldChange struct {
	Path string  `json:"path"`
	Old  *string `json:"old"`
	New  *string `json:"new"`
	File string  `json:"file,omitempty"`
	Line int     `json:"line,omitempty"`
}

// Change is a component on both sides whose fields differ.
type Change struct {
	Ref
	Fields []FieldChange `json:"fields"`
	// Subscribers says when an upgrade does not carry the change to
	// subscribers who installed already (empty: it does).
	Subscribers string `json:"subscribers,omitempty"`
}

// Rename is a component whose API name changed: one removed and one added
// of the same type that are the same component under another name.
type Rename struct {
	Old    Ref           `json:"old"`
	New    Ref           `json:"new"`
	Fields []FieldChange `json:"fields"`
}

// Flag is a finding with the rule that found it and its fix.
type Flag = problem.Problem

// Result is the comparison of OLD and NEW.
type Result struct {
	Old   Side `json:"old"`
	New   Side `json:"new"`
	Equal bool `json:"equal"`
	// Package lists the package-level fields that differ (namespace,
	// apiVersion, versionNumber), when both sides know them.
	Package []FieldChange `json:"package"`
	Added   []Ref         `json:"added"`
	Removed []Ref         `json:"removed"`
	Renamed []Rename      `json:"renamed"`
	Changed []Change      `json:"changed"`
	Flags   []Flag        `json:"flags"`
	// Notes say what could not be compared.
	Notes []string `json:"notes"`
}

// Compare reads two versions of a package (each a project directory, a
// package.zip or package-version-info.zip, or a spec rendered in memory)
// within the inspector's bounds and compares them. An error names the side
// that cannot be read or is refused.
func Compare(ctx context.Context, old, new string) (*Result, error) {
	a, err := inspect.Load(ctx, old, inspect.Options{})
	if err != nil {
		return nil, err
	}
	b, err := inspect.Load(ctx, new, inspect.Options{})
	if err != nil {
		return nil, err
	}
	return compareSets(a, b), nil
}

// compareSets compares two loaded targets.
func compareSets(old, new *inspect.Set) *Result {
	r := &Result{
		Old: Side{old.Source, string(old.Kind)}, New: Side{new.Source, string(new.Kind)},
		Package: []FieldChange{}, Added: []Ref{}, Removed: []Ref{}, Renamed: []Rename{}, Changed: []Change{}, Flags: []Flag{}, Notes: []string{},
	}
	for _, s := range []*inspect.Set{old, new} {
		if s.Recovered != "" {
			r.Notes = append(r.Notes, fmt.Sprintf("%s: a byocpack run was killed part-way through writing it; before reading it, byocpack %s", s.Source, s.Recovered))
		}
	}
	r.comparePackage(old, new)
	r.compareList(old.Packaged, new.Packaged, false)
	olds, news := old.Packaged, new.Packaged
	switch {
	case old.OutsideKnown && new.OutsideKnown:
		r.compareList(old.Outside, new.Outside, true)
		olds, news = old.All(), new.All()
	case old.OutsideKnown && len(old.Outside) > 0 || new.OutsideKnown && len(new.Outside) > 0:
		zip := old
		if old.OutsideKnown {
			zip = new
		}
		r.Notes = append(r.Notes, fmt.Sprintf("what stays outside the package (%s) is not compared: %s is a %s, which never holds it", dirs(old, new), zip.Source, zip.Kind))
	}
	r.accessRisks(olds, news)
	r.Equal = len(r.Package)+len(r.Added)+len(r.Removed)+len(r.Renamed)+len(r.Changed) == 0
	return r
}

func dirs(sets ...*inspect.Set) string {
	var ds []string
	for _, s := range sets {
		ds = append(ds, s.OutsideDirs...)
	}
	slices.Sort(ds)
	ds = slices.Compact(ds)
	if len(ds) == 0 {
		return "source-org/"
	}
	return strings.Join(ds, "/, ") + "/"
}

func (r *Result) comparePackage(old, new *inspect.Set) {
	for _, f := range []struct {
		path     string
		old, new string
	}{
		{"namespace", old.Namespace, new.Namespace},
		{"apiVersion", old.APIVersion, new.APIVersion},
		{"versionNumber", old.VersionNumber, new.VersionNumber},
		{"versionName", old.VersionName, new.VersionName},
	} {
		if f.old == f.new || f.old == "" && old.Kind != inspect.KindProject && old.Kind != inspect.KindSpec || f.new == "" && new.Kind != inspect.KindProject && new.Kind != inspect.KindSpec {
			continue // a zip does not know every field: no difference to claim
		}
		if f.path == "namespace" {
			r.Flags = append(r.Flags, Flag{Rule: RuleNamespace, Severity: "error", File: new.Source,
				Message: fmt.Sprintf("the namespace changes from %q to %q: a managed package's namespace is fixed for good, so this is another package, and subscribers cannot upgrade to it", f.old, f.new),
				Fix:     "keep the namespace of the released package in sfdx-project.json (package.namespace in byoc.yaml)"})
		}
		r.Package = append(r.Package, FieldChange{Path: f.path, Old: opt(f.old), New: opt(f.new), File: new.Source})
	}
}

func opt(s string) *string {
	if s == "" {
		return nil
	}
	return &s
}

func refOf(c *inspect.Component, outside bool) Ref {
	return Ref{Type: c.Type, FullName: c.FullName, File: c.File, Line: c.Line(nil), Outside: outside}
}

func (r *Result) compareList(olds, news []*inspect.Component, outside bool) {
	oldBy := map[string]*inspect.Component{}
	for _, c := range olds {
		oldBy[c.Key()] = c
	}
	newBy := map[string]*inspect.Component{}
	for _, c := range news {
		newBy[c.Key()] = c
	}
	var removed, added []*inspect.Component
	for _, k := range slices.Sorted(maps.Keys(oldBy)) {
		o := oldBy[k]
		n, ok := newBy[k]
		if !ok {
			removed = append(removed, o)
			continue
		}
		if fs := compareComponents(o, n); len(fs) > 0 {
			r.Changed = append(r.Changed, Change{Ref: refOf(n, outside), Fields: fs})
		}
	}
	for _, k := range slices.Sorted(maps.Keys(newBy)) {
		if _, ok := oldBy[k]; !ok {
			added = append(added, newBy[k])
		}
	}
	for _, p := range pairRenames(removed, added) {
		o, n := p[0], p[1]
		rn := Rename{Old: refOf(o, outside), New: refOf(n, outside), Fields: compareComponents(o, n)}
		r.Renamed = append(r.Renamed, rn)
		removed = slices.DeleteFunc(removed, func(c *inspect.Component) bool { return c == o })
		added = slices.DeleteFunc(added, func(c *inspect.Component) bool { return c == n })
		if !outside {
			r.Flags = append(r.Flags, Flag{Rule: RuleRenamed, Severity: "warning", File: n.File, Line: n.Line(nil),
				Message: fmt.Sprintf("%s: the API name changes from %s to %s; a managed package cannot rename a released component: upgrading adds %s and subscribers keep %s", o.Type, o.FullName, n.FullName, n.FullName, o.FullName),
				Fix:     fmt.Sprintf("keep the API name %s (change the label instead), unless no released (promoted) version holds it", o.FullName)})
		}
	}
	for _, c := range removed {
		r.Removed = append(r.Removed, refOf(c, outside))
		if !outside {
			r.Flags = append(r.Flags, Flag{Rule: RuleRemoved, Severity: "warning", File: c.File, Line: c.Line(nil),
				Message: fmt.Sprintf("%s is removed from the package; in a managed package a released version constrains removal, and upgrading does not delete the subscribers' copy", c.Key()),
				Fix:     "keep the component (deprecate it) if any released (promoted) version holds it; otherwise nothing to do"})
		}
	}
	for _, c := range added {
		r.Added = append(r.Added, refOf(c, outside))
	}
}

// pairRenames pairs removed and added components of one type that are the
// same component under another name: equal once the fields that carry the
// name are left out, or else the only one of their type on each side.
func pairRenames(removed, added []*inspect.Component) [][2]*inspect.Component {
	var pairs [][2]*inspect.Component
	used := map[*inspect.Component]bool{}
	for _, o := range removed {
		for _, n := range added {
			if !used[n] && o.Type == n.Type && unnamed(o) == unnamed(n) {
				pairs = append(pairs, [2]*inspect.Component{o, n})
				used[o], used[n] = true, true
				break
			}
		}
	}
	count := func(cs []*inspect.Component, typ string) (int, *inspect.Component) {
		k, last := 0, (*inspect.Component)(nil)
		for _, c := range cs {
			if c.Type == typ && !used[c] {
				k, last = k+1, c
			}
		}
		return k, last
	}
	for _, o := range removed {
		if used[o] {
			continue
		}
		nr, _ := count(removed, o.Type)
		na, n := count(added, o.Type)
		if nr == 1 && na == 1 {
			pairs = append(pairs, [2]*inspect.Component{o, n})
			used[o], used[n] = true, true
		}
	}
	return pairs
}

// nameFields carry a component's own name or its link to another's.
var nameFields = []string{"developerName", "masterLabel", "label", "externalClientApplication", "pluralLabel"}

// unnamed is a component's comparable form without the fields that carry
// names, and without positions.
func unnamed(c *inspect.Component) string {
	n := canon(c)
	if n == nil {
		return contentKey(c)
	}
	var keys []string
	for _, k := range n.Kids {
		if !slices.Contains(nameFields, k.Name) {
			keys = append(keys, k.key)
		}
	}
	slices.Sort(keys)
	return strings.Join(keys, ";") + contentKey(c)
}

func contentKey(c *inspect.Component) string {
	var b strings.Builder
	for _, name := range slices.Sorted(maps.Keys(c.Content)) {
		sum := sha256.Sum256(c.Content[name])
		fmt.Fprintf(&b, "|%s=%x", name, sum[:8])
	}
	return b.String()
}

// compareComponents lists the fields that differ between two versions of
// a component.
func compareComponents(o, n *inspect.Component) []FieldChange {
	d := &differ{oldFile: o.File, newFile: n.File}
	on, nn := canon(o), canon(n)
	switch {
	case on != nil && nn != nil:
		if on.Name != nn.Name {
			d.add("", ptr(on.Name), ptr(nn.Name), nn.Line)
		}
		d.complex("", on, nn)
	case on != nil || nn != nil:
		d.add("(metadata file)", renderOpt(on), renderOpt(nn), 0)
	}
	for _, name := range slices.Sorted(maps.Keys(union(o.Content, n.Content))) {
		ob, oOK := o.Content[name]
		nb, nOK := n.Content[name]
		if oOK && nOK && bytes.Equal(ob, nb) {
			continue
		}
		d.add("(content "+name+")", describe(ob, oOK), describe(nb, nOK), 0)
	}
	return d.out
}

func union(a, b map[string][]byte) map[string][]byte {
	m := maps.Clone(a)
	maps.Copy(m, b)
	return m
}

func describe(b []byte, ok bool) *string {
	if !ok {
		return nil
	}
	sum := sha256.Sum256(b)
	return ptr(fmt.Sprintf("%d bytes, sha256 %s", len(b), hex.EncodeToString(sum[:6])))
}

func renderOpt(n *node) *string {
	if n == nil {
		return nil
	}
	return ptr(render(n))
}

func ptr(s string) *string { return &s }

type differ struct {
	oldFile, newFile string
	out              []FieldChange
}

func (d *differ) add(path string, old, new *string, line int) {
	file := d.newFile
	if new == nil {
		file = d.oldFile
	}
	d.out = append(d.out, FieldChange{Path: path, Old: old, New: new, File: file, Line: line})
}

func join(path, name string) string {
	if path == "" {
		return name
	}
	return path + "/" + name
}

// complex compares the children of two complex elements: by element name,
// order-insensitively; a repeated element is matched by its key child
// (fullName, name, ...) when it has one, else by value.
func (d *differ) complex(path string, o, n *node) {
	groups := func(x *node) map[string][]*node {
		g := map[string][]*node{}
		for _, k := range x.Kids {
			g[k.Name] = append(g[k.Name], k)
		}
		return g
	}
	og, ng := groups(o), groups(n)
	names := slices.Sorted(maps.Keys(union2(og, ng)))
	for _, name := range names {
		os, ns := og[name], ng[name]
		p := join(path, name)
		switch {
		case len(os) == 1 && len(ns) == 1:
			d.pair(p, os[0], ns[0])
		case allLeaves(os) && allLeaves(ns):
			d.leaves(p, os, ns, n.Line)
		default:
			d.repeated(p, os, ns)
		}
	}
}

func union2(a, b map[string][]*node) map[string][]*node {
	m := maps.Clone(a)
	maps.Copy(m, b)
	return m
}

func allLeaves(ns []*node) bool {
	for _, n := range ns {
		if !n.leaf() {
			return false
		}
	}
	return true
}

func (d *differ) pair(p string, o, n *node) {
	switch {
	case o.key == n.key:
	case o.leaf() && n.leaf():
		d.add(p, ptr(o.Text), ptr(n.Text), n.Line)
	case o.leaf() || n.leaf():
		d.add(p, ptr(render(o)), ptr(render(n)), n.Line)
	default:
		d.complex(p, o, n)
	}
}

// leaves compares a repeated simple element (ConnectedApp scopes,
// profileName) as a multiset, reported as the lists in file order.
func (d *differ) leaves(p string, os, ns []*node, parentLine int) {
	texts := func(xs []*node) []string {
		out := make([]string, len(xs))
		for i, x := range xs {
			out[i] = x.Text
		}
		return out
	}
	ot, nt := texts(os), texts(ns)
	if slices.Equal(sorted(ot), sorted(nt)) {
		return
	}
	list := func(xs []string) *string {
		if len(xs) == 0 {
			return nil
		}
		return ptr(strings.Join(xs, ", "))
	}
	line := parentLine
	if len(ns) > 0 {
		line = ns[0].Line
	} else if len(os) > 0 {
		line = os[0].Line
	}
	d.add(p, list(ot), list(nt), line)
}

func sorted(xs []string) []string { s := slices.Clone(xs); slices.Sort(s); return s }

// keyChildren name the child that identifies one of a repeated element.
var keyChildren = []string{"fullName", "name", "developerName", "key", "field"}

func (d *differ) repeated(p string, os, ns []*node) {
	if k := sharedKey(os, ns); k != "" {
		byKey := func(xs []*node) map[string]*node {
			m := map[string]*node{}
			for _, x := range xs {
				m[childText(x, k)] = x
			}
			return m
		}
		om, nm := byKey(os), byKey(ns)
		for _, v := range slices.Sorted(maps.Keys(union2n(om, nm))) {
			o, n := om[v], nm[v]
			kp := fmt.Sprintf("%s[%s=%s]", p, k, v)
			switch {
			case o == nil:
				d.add(kp, nil, ptr(render(n)), n.Line)
			case n == nil:
				d.add(kp, ptr(render(o)), nil, o.Line)
			default:
				d.pair(kp, o, n)
			}
		}
		return
	}
	// No key: equal values pair off; what is left was removed or added.
	left := slices.Clone(ns)
	for _, o := range os {
		i := slices.IndexFunc(left, func(n *node) bool { return n.key == o.key })
		if i >= 0 {
			left = slices.Delete(left, i, i+1)
			continue
		}
		d.add(p, ptr(render(o)), nil, o.Line)
	}
	for _, n := range left {
		d.add(p, nil, ptr(render(n)), n.Line)
	}
}

func union2n(a, b map[string]*node) map[string]*node {
	m := maps.Clone(a)
	maps.Copy(m, b)
	return m
}

// sharedKey is the first key child every element of both sides has, with
// values unique on each side.
func sharedKey(os, ns []*node) string {
	unique := func(xs []*node, k string) bool {
		seen := map[string]bool{}
		for _, x := range xs {
			v := childText(x, k)
			if x.leaf() || v == "" || seen[v] {
				return false
			}
			seen[v] = true
		}
		return true
	}
	for _, k := range keyChildren {
		if len(os)+len(ns) > 0 && unique(os, k) && unique(ns, k) {
			return k
		}
	}
	return ""
}

func childText(n *node, name string) string {
	for _, k := range n.Kids {
		if k.Name == name && k.leaf() {
			return k.Text
		}
	}
	return ""
}
