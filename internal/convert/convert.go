// Package convert turns a Salesforce DX package directory (source format)
// into the Metadata API format tree that `sf project convert source` and
// `sf package version create` build, byte for byte, in memory.
package convert

import (
	"context"
	"fmt"
	"path"
	"path/filepath"
	"slices"
	"strings"

	"github.com/byocpack/byocpack/internal/registry"
	"github.com/byocpack/byocpack/internal/sfdx"
	"github.com/byocpack/byocpack/internal/tree"
)

// File is one file of the Metadata API tree.
type File struct {
	// Path is slash-separated and relative to the tree's root, e.g.
	// "classes/Alpha.cls" or "package.xml".
	Path string
	Data []byte
	// Built is true when Data is not a copy of one source file (a zipped
	// static resource, merged labels, a recomposed object): what is zipped
	// must be scanned for secrets as written, not only as read.
	Built bool
	// Zipped, for a zip the converter wrote (a static resource folder),
	// is what Data holds: its entries in order, each with the bytes that
	// were deflated, and nothing else. A scan reads these rather than
	// inflating Data again.
	Zipped []ZipFile
	// Lazy, set instead of Data, is a large source file copied as it is,
	// which the tree holds by its record: it is read again, and checked
	// to be the bytes validated, when it is zipped.
	Lazy *tree.Lazy
}

// Size is the file's size in bytes.
func (f File) Size() int64 {
	if f.Lazy != nil {
		return f.Lazy.Size
	}
	return int64(len(f.Data))
}

// Component is one package.xml member.
type Component struct {
	Type     string
	FullName string
}

// Result is a converted package directory.
type Result struct {
	// Files is the tree without package.xml, sorted by Path.
	Files []File
	// Components are the package.xml members, sorted by type then name.
	Components []Component
}

// Options tune the conversion.
type Options struct {
	// Registry defaults to registry.New().
	Registry *registry.Registry
}

// PackageDir converts the package directory pd of the project read from
// disk at projectDir. Every type the converter cannot reproduce exactly is
// an error that names the file and the type.
func PackageDir(ctx context.Context, projectDir string, pd *sfdx.PackageDir, opts Options) (*Result, error) {
	snap, err := sfdx.ReadProject(projectDir)
	if err != nil {
		return nil, err
	}
	return Tree(ctx, snap, pd, opts)
}

// Tree converts the package directory pd of a project held in memory.
func Tree(ctx context.Context, snap *sfdx.Snapshot, pd *sfdx.PackageDir, opts Options) (*Result, error) {
	for _, k := range snap.Project.ConversionKeys {
		return nil, fmt.Errorf("%s:%d: %q changes what the Salesforce CLI writes from data byocpack does not bundle, so the package could not be built byte for byte like the CLI's; remove the key (or build this project with sf project convert source)", path.Join(filepath.ToSlash(snap.Project.Dir), sfdx.ProjectFile), k.Line, k.Key)
	}
	reg := opts.Registry
	if reg == nil {
		reg = registry.New()
	}
	files, err := sfdx.PackageFiles(reg, snap.Tree, pd, snap.Ignore)
	if err != nil {
		return nil, err
	}
	read := func(rel string) ([]byte, error) {
		b, ok, err := snap.Tree.Read(ctx, rel)
		if !ok && err == nil {
			return nil, fmt.Errorf("%s: not in the project", rel)
		}
		return b, err
	}
	return convertFiles(ctx, files, read, snap.Tree.Lazy)
}

// convertFiles converts already inferred source files; read returns a
// file's bytes by its SourceFile path, and lazy the record of a file the
// tree holds without its bytes (copied as it is, such a file stays one).
func convertFiles(ctx context.Context, files []sfdx.SourceFile, read func(rel string) ([]byte, error), lazy func(rel string) *tree.Lazy) (*Result, error) {
	c := &converter{
		ctx:         ctx,
		read:        read,
		lazy:        lazy,
		byPath:      map[string]sfdx.SourceFile{},
		used:        map[string]bool{},
		objects:     map[string]*objectParts{},
		outputs:     map[string]string{},
		folders:     map[string]*folderComponent{},
		experiences: map[string]*deContent{},
		coll:        newCollationWeights(),
	}
	for _, f := range files {
		c.byPath[f.Path] = f
	}
	for _, f := range files {
		if err := ctx.Err(); err != nil {
			return nil, err
		}
		if err := c.add(f); err != nil {
			return nil, err
		}
	}
	for _, f := range files {
		if f.Kind == sfdx.Content && !c.used[f.Path] {
			if f.Type.Strategies.Adapter == "matchingContentFile" {
				return nil, fmt.Errorf("%s: %s content file without its metadata file: add %s-meta.xml beside it", f.Path, f.Type.Name, path.Base(f.Path))
			}
			return nil, fmt.Errorf("%s: looks like a %s file in Metadata API format; in a source directory it must be named %s.%s-meta.xml", f.Path, f.Type.Name, f.FullName, f.Type.Suffix)
		}
	}
	if err := c.finishObjects(); err != nil {
		return nil, err
	}
	if err := c.finishFolders(); err != nil {
		return nil, err
	}
	if err := c.finishLabels(); err != nil {
		return nil, err
	}
	if err := c.finishDigitalExperiences(); err != nil {
		return nil, err
	}
	if len(c.res.Files) == 0 {
		return nil, fmt.Errorf("no metadata source found in the package directory: add source files such as classes/Name.cls-meta.xml")
	}
	slices.SortFunc(c.res.Files, func(a, b File) int { return strings.Compare(a.Path, b.Path) })
	slices.SortFunc(c.res.Components, func(a, b Component) int {
		if x := strings.Compare(a.Type, b.Type); x != 0 {
			return x
		}
		return strings.Compare(a.FullName, b.FullName)
	})
	return &c.res, nil
}

type objectParts struct {
	typ      *registry.Type
	name     string
	xml      string // parent .object-meta.xml, "" when only children exist
	children []sfdx.SourceFile
}

type converter struct {
	ctx     context.Context // checked between components: zipping a resource folder takes a while
	read    func(string) ([]byte, error)
	lazy    func(string) *tree.Lazy // nil: every file is read
	byPath  map[string]sfdx.SourceFile
	used    map[string]bool
	objects map[string]*objectParts
	outputs map[string]string // output path -> source path, to catch clashes
	folders map[string]*folderComponent
	labels  []sfdx.SourceFile // the files of the one CustomLabels component
	// experiences are the DigitalExperience folders by source path.
	experiences map[string]*deContent
	coll        *collationWeights
	res         Result
}

func (c *converter) emit(out, src string, data []byte) error {
	return c.emitBuilt(out, src, data, false)
}

// emitBuilt is emit for bytes the converter made rather than copied.
func (c *converter) emitBuilt(out, src string, data []byte, built bool) error {
	return c.emitFile(File{Path: out, Data: data, Built: built}, src)
}

func (c *converter) emitFile(f File, src string) error {
	if prev, ok := c.outputs[f.Path]; ok {
		return fmt.Errorf("%s: converts to %s, which %s already produces: rename one of them", src, f.Path, prev)
	}
	c.outputs[f.Path] = src
	c.res.Files = append(c.res.Files, f)
	return nil
}

// copy emits the source file src as it is at out: one the tree holds by
// its record stays one, read again when it is zipped.
func (c *converter) copy(out, src string) error {
	if l := c.lazyOf(src); l != nil {
		return c.emitFile(File{Path: out, Lazy: l}, src)
	}
	data, err := c.read(src)
	if err != nil {
		return err
	}
	return c.emit(out, src, data)
}

// lazyOf is the record of a source file held without its bytes, or nil.
func (c *converter) lazyOf(rel string) *tree.Lazy {
	if c.lazy == nil {
		return nil
	}
	return c.lazy(rel)
}

// unsupported explains why a type is refused instead of being converted
// approximately.
func unsupported(t *registry.Type) string {
	s := t.Strategies
	switch {
	case isFolderLayout(t), t.InFolder, isFolderType(t):
		return ""
	case t.InFolder:
		return "it lives in folders (inFolder)"
	case t.MetaFileSuffix != "":
		return "it has a special metadata file suffix"
	case s.Adapter == "decomposed" && (s.Decomposition == "folderPerType" || s.Decomposition == "topLevel") && s.Transformer == "decomposed":
		return ""
	case s.Adapter != "" && s.Adapter != "default" && s.Adapter != "matchingContentFile":
		return "its " + s.Adapter + " layout"
	case s.Transformer != "" || s.Recomposition != "" || s.Decomposition != "":
		return "it is " + strings.TrimSpace(s.Transformer+" "+s.Decomposition+" "+s.Recomposition)
	}
	return ""
}

func (c *converter) add(f sfdx.SourceFile) error {
	if isDigitalExperienceFile(f) || (f.Kind == sfdx.MetaXML && f.Type.Strategies.Adapter == "digitalExperience") {
		return c.addDigitalExperience(f)
	}
	switch f.Kind {
	case sfdx.NotMetadata, sfdx.Content:
		return nil
	case sfdx.InStrictFolder:
		if isFolderLayout(f.Type) {
			return c.addFolderFile(f)
		}
		if f.Type.InFolder && f.Type.Strategies.Adapter == "mixedContent" {
			return c.addDocument(f)
		}
		if why := unsupported(f.Type); why != "" {
			return fmt.Errorf("%s: metadata type %s is not supported by byocpack's converter (%s), so it cannot be packaged byte for byte like the Salesforce CLI; remove it from the package directory or list it in .forceignore", f.Path, f.Type.Name, why)
		}
		return nil // a non-metadata file inside an object folder
	case sfdx.Child:
		if why := unsupported(f.Parent); why != "" {
			return fmt.Errorf("%s: metadata type %s (child of %s) is not supported by byocpack's converter (%s); remove it or list it in .forceignore", f.Path, f.Type.Name, f.Parent.Name, why)
		}
		if f.ParentName == "" {
			return fmt.Errorf("%s: a %s file must sit in %s/<Object>/%s/", f.Path, f.Type.Name, f.Parent.DirectoryName, f.Type.DirectoryName)
		}
		op := c.object(f.Parent, f.ParentName)
		op.children = append(op.children, f)
		return nil
	}
	t := f.Type
	if isFolderLayout(t) {
		return c.addFolderFile(f)
	}
	if (t.InFolder && t.Strategies.Adapter != "mixedContent") || isFolderType(t) {
		return c.addInFolder(f)
	}
	if isNonDecomposed(f) {
		c.labels = append(c.labels, f)
		return nil
	}
	if why := unsupported(t); why != "" {
		return fmt.Errorf("%s: metadata type %s is not supported by byocpack's converter (%s), so it cannot be packaged byte for byte like the Salesforce CLI; remove it from the package directory or list it in .forceignore", f.Path, t.Name, why)
	}
	if t.Strategies.Adapter == "decomposed" {
		if f.ParentName == "" || f.FullName != f.ParentName {
			return fmt.Errorf("%s: a %s must be %s/<Name>/<Name>.%s-meta.xml", f.Path, t.Name, t.DirectoryName, t.Suffix)
		}
		op := c.object(t, f.FullName)
		op.xml = f.Path
		return nil
	}
	if t.IgnoreParsedFullName || strings.Contains(f.FullName, "/") {
		return fmt.Errorf("%s: metadata type %s is not supported by byocpack's converter; remove it or list it in .forceignore", f.Path, t.Name)
	}
	data, err := c.read(f.Path)
	if err != nil {
		return err
	}
	dir := t.DirectoryName
	name := f.FullName + "." + t.Suffix
	if t.Strategies.Adapter == "matchingContentFile" {
		content := path.Join(path.Dir(f.Path), name)
		cf, ok := c.byPath[content]
		if !ok {
			return fmt.Errorf("%s: the %s content file %s is missing (or ignored by .forceignore): add it beside the metadata file", f.Path, t.Name, name)
		}
		c.used[cf.Path] = true
		if err := c.copy(dir+"/"+name, cf.Path); err != nil {
			return err
		}
		if err := c.emit(dir+"/"+name+"-meta.xml", f.Path, data); err != nil {
			return err
		}
	} else if err := c.emit(dir+"/"+name, f.Path, data); err != nil {
		return err
	}
	c.res.Components = append(c.res.Components, Component{Type: t.Name, FullName: f.FullName})
	return c.listChildren(f, data)
}

// listChildren adds to package.xml the children of a type that has child
// types but is not decomposed (a Workflow's alerts and rules, ...), read
// from its file as the CLI reads them: each element named like a child
// type's xmlElementName, named by its uniqueIdElement.
func (c *converter) listChildren(f sfdx.SourceFile, data []byte) error {
	t := f.Type
	if t.Children == nil {
		return nil
	}
	root, v, err := parseXML(f.Path, data)
	if err != nil {
		return err
	}
	o, ok := v.(*xobject)
	if !ok || root != t.Name {
		return nil
	}
	for _, ch := range t.Children.Types {
		if ch.XMLElementName == "" || ch.UniqueIDElement == "" {
			continue
		}
		e := o.get(ch.XMLElementName)
		if e == nil {
			continue
		}
		for _, v := range e.vals {
			name := ""
			if co, ok := v.(*xobject); ok {
				if u := co.get(ch.UniqueIDElement); u != nil && !u.array {
					name, _ = u.vals[0].(string)
				}
			}
			if name == "" {
				return fmt.Errorf("%s: a <%s> without <%s>: the Salesforce CLI refuses it (\"Missing %s on %s\"); add the name", f.Path, ch.XMLElementName, ch.UniqueIDElement, ch.UniqueIDElement, ch.Name)
			}
			if ch.IsAddressable != nil && !*ch.IsAddressable {
				continue
			}
			if !ch.IgnoreParentName {
				name = f.FullName + "." + name
			}
			c.res.Components = append(c.res.Components, Component{Type: ch.Name, FullName: name})
		}
	}
	return nil
}

// parentListed says whether package.xml lists a decomposed parent: only
// with its own metadata file, and, when it has children package.xml can
// name on their own (fields, bot versions), only if that file holds more
// than its root's namespace, as the CLI decides.
func (c *converter) parentListed(op *objectParts) (bool, error) {
	if op.xml == "" {
		return false, nil
	}
	standalone := false
	for _, ch := range op.typ.Children.Types {
		if !ch.UnaddressableWithoutParent && (ch.IsAddressable == nil || *ch.IsAddressable) {
			standalone = true
		}
	}
	if !standalone {
		return true, nil
	}
	data, err := c.read(op.xml)
	if err != nil {
		return false, err
	}
	_, v, err := parseXML(op.xml, data)
	if err != nil {
		return false, err
	}
	o, ok := v.(*xobject)
	return ok && len(o.entries) > 1, nil
}

func (c *converter) object(t *registry.Type, name string) *objectParts {
	key := t.Name + "/" + name // a Bot and an object may share a name
	op, ok := c.objects[key]
	if !ok {
		op = &objectParts{typ: t, name: name}
		c.objects[key] = op
	}
	return op
}

func (c *converter) finishObjects() error {
	names := make([]string, 0, len(c.objects))
	for n := range c.objects {
		names = append(names, n)
	}
	slices.Sort(names)
	for _, n := range names {
		op := c.objects[n]
		data, err := c.recompose(op)
		if err != nil {
			return err
		}
		out := op.typ.DirectoryName + "/" + op.name + "." + op.typ.Suffix
		src := op.xml
		if src == "" {
			src = op.typ.DirectoryName + "/" + op.name
		}
		if err := c.emitBuilt(out, src, data, true); err != nil {
			return err
		}
		// Like the CLI, package.xml lists each child as Parent.Child, and
		// the parent only when its own metadata file exists (an object that
		// only gains fields, such as Account, is not itself a member).
		listed, err := c.parentListed(op)
		if err != nil {
			return err
		}
		if listed {
			c.res.Components = append(c.res.Components, Component{Type: op.typ.Name, FullName: op.name})
		}
		for _, ch := range op.children {
			if ch.Type.IsAddressable != nil && !*ch.Type.IsAddressable {
				continue // CustomFieldTranslation: never a package.xml member
			}
			c.res.Components = append(c.res.Components, Component{Type: ch.Type.Name, FullName: op.name + "." + ch.FullName})
		}
	}
	return nil
}
