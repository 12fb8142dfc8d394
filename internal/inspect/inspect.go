// Package inspect reads what a reviewer compares or reviews (a Salesforce
// DX project, a Metadata API zip, a package-version-info.zip, or a spec
// rendered in memory) into one view: metadata components keyed by type
// and full name, each with its parsed XML. A decomposed custom object in
// source format (objects/X/fields/Y.field-meta.xml) and the recomposed
// objects/X.object of a zip give the same components (CustomObject X,
// CustomField X.Y), so the forms compare equal for the same content.
// Nothing is written to disk: archives are read in memory (internal/archive).
package inspect

import (
	"context"
	"errors"
	"fmt"
	"github.com/byocpack/byocpack/generator/problem"
	"os"
	"path"
	"path/filepath"
	"slices"
	"strings"

	"github.com/beevik/etree"

	"github.com/byocpack/byocpack/generator/spec"
	"github.com/byocpack/byocpack/internal/archive"
	"github.com/byocpack/byocpack/internal/diag"
	"github.com/byocpack/byocpack/internal/outdir"
	"github.com/byocpack/byocpack/internal/registry"
	"github.com/byocpack/byocpack/internal/render"
	"github.com/byocpack/byocpack/internal/secrets"
	"github.com/byocpack/byocpack/internal/sfdx"
	"github.com/byocpack/byocpack/internal/strictjson"
	"github.com/byocpack/byocpack/internal/tree"
)

// Kind says what a target was.
type Kind string

// Kinds of targets.
const (
	KindProject     Kind = "project"
	KindPackageZip  Kind = "package.zip"
	KindVersionInfo Kind = "package-version-info.zip"
	KindSpec        Kind = "spec"
)

// Component is one metadata component.
type Component struct {
	Type     string `json:"type"`
	FullName string `json:"fullName"`
	// File is where the component's XML was read, as shown to the user; a
	// file inside an archive or rendered from a spec is "OUTER!inner".
	File string `json:"file"`
	// Root is the component's XML element; nil for a component that is
	// only content files (a bundle without its -meta.xml).
	Root *etree.Element `json:"-"`
	// Content holds the non-XML files of the component (an Apex class
	// body, a bundle's files) by name relative to its folder.
	Content map[string][]byte `json:"-"`
	lines   map[*etree.Element]int
}

// Key identifies a component.
func (c *Component) Key() string { return c.Type + " " + c.FullName }

// Line is the 1-based line of e's start tag in File (0 when unknown).
func (c *Component) Line(e *etree.Element) int {
	if e == nil {
		e = c.Root
	}
	return c.lines[e]
}

// Text returns the trimmed text of the first element at the slash path
// below the root ("oauthConfig/callbackUrl") and whether it exists.
func (c *Component) Text(p string) (string, bool) {
	e := c.Elem(p)
	if e == nil {
		return "", false
	}
	return strings.TrimSpace(e.Text()), true
}

// Texts returns the trimmed texts of every element at the path.
func (c *Component) Texts(p string) []string {
	if c.Root == nil {
		return nil
	}
	var out []string
	for _, e := range c.Root.FindElements("./" + p) {
		out = append(out, strings.TrimSpace(e.Text()))
	}
	return out
}

// Elem returns the first element at the path, or nil.
func (c *Component) Elem(p string) *etree.Element {
	if c.Root == nil {
		return nil
	}
	return c.Root.FindElement("./" + p)
}

// Set is everything read from one target.
type Set struct {
	// Source is the target as given; Kind what it was.
	Source string `json:"source"`
	Kind   Kind   `json:"kind"`
	// APIVersion is sourceApiVersion or package.xml's <version>.
	APIVersion    string `json:"apiVersion,omitempty"`
	Namespace     string `json:"namespace,omitempty"`
	PackageName   string `json:"packageName,omitempty"`
	VersionName   string `json:"versionName,omitempty"`
	VersionNumber string `json:"versionNumber,omitempty"`
	// Packaged are the components of the package, sorted by type and name.
	Packaged []*Component `json:"packaged"`
	// Outside are the components of a project's package directories
	// without a package (source-org/: what stays in the org that owns the
	// app); OutsideKnown is false for a zip, which never holds them.
	Outside      []*Component `json:"outside"`
	OutsideKnown bool         `json:"outsideKnown"`
	// OutsideDirs are those directories.
	OutsideDirs []string `json:"outsideDirs,omitempty"`
	// Recovered, for a project directory, says what was done about a
	// byocpack run killed part-way through writing it, before it was
	// read (outdir.Dir.Recovered); "" when there was none.
	Recovered string `json:"recovered,omitempty"`
	// Secrets are what the secrets scan (the one package and validate run)
	// found in the files that ship: the packaged package directories of a
	// project, every file of a zip.
	Secrets []secrets.Finding `json:"-"`
}

// scanFiles runs the secrets scan on each path of t that ships, naming
// each finding's file as show does.
func scanFiles(set *Set, t *tree.Tree, paths []string, show func(string) string) {
	for _, p := range paths {
		data, _ := t.Get(p)
		set.Secrets = append(set.Secrets, secrets.Scan(show(p), data)...)
	}
}

// All returns the packaged components, then the outside ones.
func (s *Set) All() []*Component { return append(slices.Clone(s.Packaged), s.Outside...) }

// OfType returns every component of a type, packaged first.
func (s *Set) OfType(typ string) []*Component {
	var out []*Component
	for _, c := range s.All() {
		if c.Type == typ {
			out = append(out, c)
		}
	}
	return out
}

// Options tune Load.
type Options struct {
	// Limits bound what is read from an archive (zero: archive's defaults).
	Limits archive.Limits
}

// Load reads target: a directory holding sfdx-project.json, a zip or tar
// (a Metadata API tree with package.xml, a package-version-info.zip
// holding package.zip, or a project), or a spec file, which is rendered
// in memory.
func Load(ctx context.Context, target string, opts Options) (*Set, error) {
	fi, err := os.Stat(target)
	if err != nil {
		return nil, fmt.Errorf("%s does not exist; pass a project directory, a package.zip, a package-version-info.zip or a byoc.yaml", target)
	}
	reg := registry.New()
	if fi.IsDir() {
		// As validate does: under the project's lock, once a byocpack run
		// killed part-way through writing it is finished or undone, so
		// that a half-written tree is never read.
		d, err := outdir.Open(target, outdir.OpenOptions{Done: ctx.Done()})
		if err != nil {
			return nil, err
		}
		defer d.Close()
		snap, err := sfdx.ReadProjectContext(ctx, target)
		if err != nil {
			return nil, err
		}
		set, err := fromProject(reg, newBudget(), snap, target, func(p string) string { return filepath.ToSlash(filepath.Join(target, p)) }, KindProject)
		if set != nil {
			set.Recovered = d.Recovered
		}
		return set, err
	}
	data, err := tree.ReadPath(target)
	if err != nil {
		return nil, err
	}
	if archive.Looks(data) {
		return fromArchive(ctx, reg, newBudget(), target, data, archive.NewReader(opts.Limits))
	}
	return fromSpec(reg, target)
}

func fromSpec(reg *registry.Registry, target string) (*Set, error) {
	abs, err := filepath.Abs(target)
	if err != nil {
		return nil, err
	}
	s, err := spec.Load(tree.DirFS(filepath.Dir(abs), tree.MaxInputFile), filepath.Base(abs), target)
	if err != nil {
		var list diag.List
		if errors.As(err, &list) {
			what := "neither a zip or tar archive nor a valid spec"
			if ext := strings.ToLower(filepath.Ext(target)); ext == ".yaml" || ext == ".yml" || ext == ".json" {
				what = "not a valid spec"
			}
			return nil, fmt.Errorf("%s is %s:\n%s", target, what, list.Error())
		}
		return nil, err
	}
	r, err := render.New()
	if err != nil {
		return nil, err
	}
	files, err := r.Render(s, nil, nil)
	if err != nil {
		return nil, err
	}
	t := tree.New()
	for _, f := range files {
		t.Set(f.Path, f.Data)
	}
	snap, err := sfdx.ParseSnapshot(t, target)
	if err != nil {
		return nil, err
	}
	return fromProject(reg, newBudget(), snap, target, func(p string) string { return target + "!" + p }, KindSpec)
}

func fromProject(reg *registry.Registry, xb *xmlBudget, snap *sfdx.Snapshot, source string, show func(string) string, kind Kind) (*Set, error) {
	p := snap.Project
	set := &Set{Source: source, Kind: kind, APIVersion: p.SourceAPIVersion, Namespace: p.Namespace, OutsideKnown: true}
	anyPackage := slices.ContainsFunc(p.PackageDirectories, func(pd sfdx.PackageDir) bool { return pd.Package != "" })
	// Two entries may share a path (a package and its alias, say): its
	// files are one set of components, read once, packaged if any entry
	// packages them.
	read := map[string]bool{}
	packaged := func(pd *sfdx.PackageDir) bool { return pd.Package != "" || (!anyPackage && pd.Default) }
	order := make([]int, 0, len(p.PackageDirectories))
	for _, first := range []bool{true, false} {
		for i := range p.PackageDirectories {
			if packaged(&p.PackageDirectories[i]) == first {
				order = append(order, i)
			}
		}
	}
	for _, i := range order {
		pd := &p.PackageDirectories[i]
		if key := path.Clean(pd.Path); read[key] {
			continue
		} else {
			read[key] = true
		}
		cs, err := fromSource(reg, xb, snap, pd, show)
		if err != nil {
			return nil, err
		}
		if packaged(pd) {
			var ships []string
			for _, f := range snap.Tree.Under(pd.Path) {
				if !snap.Ignore.Denies(f) {
					ships = append(ships, f)
				}
			}
			scanFiles(set, snap.Tree, ships, show)
			set.Packaged = append(set.Packaged, cs...)
			if pd.Default || set.PackageName == "" {
				set.PackageName, set.VersionName, set.VersionNumber = pd.Package, pd.VersionName, pd.VersionNumber
			}
			continue
		}
		set.Outside = append(set.Outside, cs...)
		set.OutsideDirs = append(set.OutsideDirs, pd.Path)
	}
	sortComponents(set.Packaged)
	sortComponents(set.Outside)
	return set, nil
}

func fromArchive(ctx context.Context, reg *registry.Registry, xb *xmlBudget, target string, data []byte, r *archive.Reader) (*Set, error) {
	t, err := r.Read(ctx, target, data)
	if err != nil {
		return nil, err
	}
	show := func(p string) string { return target + "!" + p }
	if inner, ok := t.Get("package.zip"); ok {
		set, err := fromArchive(ctx, reg, xb, target+"!package.zip", inner, r)
		if err != nil {
			return nil, err
		}
		if set.Kind != KindPackageZip {
			return nil, fmt.Errorf("%s!package.zip holds no package.xml; a package-version-info.zip holds the package.zip that byocpack package or sf package version create builds", target)
		}
		set.Source, set.Kind = target, KindVersionInfo
		scanFiles(set, t, slices.DeleteFunc(t.Paths(), func(p string) bool { return p == "package.zip" }), show)
		if desc, ok := t.Get("package2-descriptor.json"); ok {
			var d struct{ VersionName, VersionNumber string }
			if err := strictjson.Unmarshal(desc, &d); err != nil {
				return nil, fmt.Errorf("%s!package2-descriptor.json: invalid JSON: %v", target, err)
			}
			set.VersionName, set.VersionNumber = d.VersionName, d.VersionNumber
		}
		return set, nil
	}
	if _, ok := t.Get(sfdx.ProjectFile); ok {
		snap, err := sfdx.ParseSnapshot(t, target)
		if err != nil {
			return nil, err
		}
		return fromProject(reg, xb, snap, target, show, KindProject)
	}
	root := ""
	if _, ok := t.Get("package.xml"); !ok {
		// A retrieve's zip holds its tree in one folder (unpackaged/).
		tops := map[string]bool{}
		for _, p := range t.Paths() {
			tops[strings.SplitN(p, "/", 2)[0]] = true
		}
		if len(tops) == 1 {
			for top := range tops {
				if _, ok := t.Get(top + "/package.xml"); ok {
					root = top + "/"
				}
			}
		}
		if root == "" {
			return nil, fmt.Errorf("%s holds neither package.xml (a Metadata API zip), package.zip (a package-version-info.zip) nor sfdx-project.json (a project)", target)
		}
		sub := tree.New()
		for _, p := range t.Under(strings.TrimSuffix(root, "/")) {
			b, _ := t.Get(p)
			sub.Set(strings.TrimPrefix(p, root), b)
		}
		t = sub
	}
	set := &Set{Source: target, Kind: KindPackageZip}
	scanFiles(set, t, t.Paths(), func(p string) string { return show(root + p) })
	pkg, _ := t.Get("package.xml")
	members, version, err := parsePackageXML(show(root+"package.xml"), pkg)
	if err != nil {
		return nil, err
	}
	set.APIVersion = version
	set.Packaged, err = fromMetadataAPI(reg, xb, t, func(p string) string { return show(root + p) }, members)
	if err != nil {
		return nil, err
	}
	sortComponents(set.Packaged)
	return set, nil
}

// parsePackageXML returns package.xml's members as "Type FullName" keys
// and its <version>.
func parsePackageXML(file string, data []byte) (map[string]bool, string, error) {
	root, lines, err := newBudget().parse(file, data)
	if err != nil {
		return nil, "", err
	}
	if root.Tag != "Package" {
		return nil, "", fmt.Errorf("%s: the root element must be <Package>", file)
	}
	members := map[string]bool{}
	for _, ty := range root.SelectElements("types") {
		n := ty.SelectElement("name")
		if n == nil {
			return nil, "", fmt.Errorf("%s: line %d: <types> without <name>; every <types> names its metadata type", file, lines[ty])
		}
		name := strings.TrimSpace(n.Text())
		for _, m := range ty.SelectElements("members") {
			members[name+" "+strings.TrimSpace(m.Text())] = true
		}
	}
	version := ""
	if v := root.SelectElement("version"); v != nil {
		version = strings.TrimSpace(v.Text())
	}
	return members, version, nil
}

func sortComponents(cs []*Component) {
	slices.SortFunc(cs, func(a, b *Component) int {
		if c := strings.Compare(a.Type, b.Type); c != 0 {
			return c
		}
		return strings.Compare(a.FullName, b.FullName)
	})
}

// builder collects components by key as files are read.
type builder struct {
	byKey map[string]*Component
	order []*Component
}

func newBuilder() *builder { return &builder{byKey: map[string]*Component{}} }

func (b *builder) get(typ, name, file string) *Component {
	k := typ + " " + name
	c, ok := b.byKey[k]
	if !ok {
		c = &Component{Type: typ, FullName: name, File: file, Content: map[string][]byte{}, lines: map[*etree.Element]int{}}
		b.byKey[k] = c
		b.order = append(b.order, c)
	}
	return c
}

// setXML parses data as the component's XML, within what is left of the
// budget; the file holding the XML names the component.
func (c *Component) setXML(xb *xmlBudget, file string, data []byte) error {
	root, lines, err := xb.parse(file, data)
	if err != nil {
		return err
	}
	c.Root, c.File = root, file
	if len(c.lines) == 0 {
		c.lines = lines
		return nil
	}
	for e, l := range lines {
		c.lines[e] = l
	}
	return nil
}

func (b *builder) content(typ, name, file, rel string, data []byte) {
	c := b.get(typ, name, file)
	c.Content[rel] = data
}

func baseOf(p string) string { return path.Base(p) }

// Flag is a finding a reviewer must look at, with the rule that found it
// and its fix: a problem whose Fix is set.
type Flag = problem.Problem
