package convert

import (
	"fmt"
	"maps"
	"slices"
	"strings"

	"github.com/byocpack/byocpack/internal/registry"
	"github.com/byocpack/byocpack/internal/sfdx"
)

// A component of a folder layout (bundle, mixedContent) is every file
// under <typeDir>/<name>, plus, for mixedContent, the <name>.<suffix>-meta.xml
// beside that folder or file. The CLI's metadata format keeps each file's
// path from the type directory on (its "trimUntil" of the last folder named
// like the type directory), so these files are copied byte for byte; only
// StaticResource is transformed (a folder is zipped).

// member is one file of a folder-layout component.
type member struct {
	file sfdx.SourceFile
	out  string // path in the Metadata API tree, from the type directory on
	top  string // the entry of the type directory the file sits in or is
}

type folderComponent struct {
	typ   *registry.Type
	dir   string // source path of the type directory
	name  string // the component's name (bundle folder, resource base name)
	files []member
}

// isFolderLayout reports whether the converter groups t's files into
// components by folder.
func isFolderLayout(t *registry.Type) bool {
	switch t.Strategies.Adapter {
	case "bundle", "uiBundles":
		return true
	case "mixedContent":
		return !t.InFolder
	}
	return false
}

// cliBaseName is the CLI's baseName: the file or folder name up to its first
// dot.
func cliBaseName(name string) string {
	b, _, _ := strings.Cut(name, ".")
	return b
}

// typeDirIndex is the index in parts (a file's path) of its type
// directory: the last folder named like it, as the CLI's trimUntil takes.
// A path with two such folders (lwc/a/lwc/b/b.js) is refused: the CLI
// resolves the outer and the inner component inconsistently.
func typeDirIndex(p string, parts []string, t *registry.Type) (int, error) {
	dirs := parts[:len(parts)-1]
	i := slices.Index(dirs, t.DirectoryName)
	if i < 0 {
		return 0, fmt.Errorf("%s: a %s file must sit under a folder named %s", p, t.Name, t.DirectoryName)
	}
	if slices.Contains(dirs[i+1:], t.DirectoryName) {
		return 0, fmt.Errorf("%s: two folders named %s in one path: the Salesforce CLI resolves such nesting inconsistently, so byocpack refuses it; move the inner one out", p, t.DirectoryName)
	}
	return i, nil
}

func (c *converter) addFolderFile(f sfdx.SourceFile) error {
	t := f.Type
	parts := strings.Split(f.Path, "/")
	i, err := typeDirIndex(f.Path, parts, t)
	if err != nil {
		return err
	}
	bundle := t.Strategies.Adapter == "bundle" || t.Strategies.Adapter == "uiBundles"
	if bundle && i == len(parts)-2 {
		// A file beside the bundles (lwc/jsconfig.json, aura/.eslintrc)
		// belongs to no component; the CLI leaves it out.
		return nil
	}
	top := parts[i+1]
	name := top
	if !bundle {
		name = cliBaseName(top)
	}
	if name == "" || (bundle && strings.Contains(name, ".")) {
		return fmt.Errorf("%s: %q is not a %s name: the Salesforce CLI cuts component names at the first dot; rename the folder", f.Path, top, t.Name)
	}
	dir := strings.Join(parts[:i+1], "/")
	key := dir + "/" + name
	fc, ok := c.folders[key]
	if !ok {
		fc = &folderComponent{typ: t, dir: dir, name: name}
		c.folders[key] = fc
	}
	fc.files = append(fc.files, member{file: f, out: strings.Join(parts[i:], "/"), top: top})
	return nil
}

func (c *converter) finishFolders() error {
	for _, k := range slices.Sorted(maps.Keys(c.folders)) {
		if err := c.ctx.Err(); err != nil {
			return err
		}
		fc := c.folders[k]
		var err error
		switch {
		case fc.typ.InFolder:
			err = c.document(fc)
		case fc.typ.Strategies.Transformer == "staticResource":
			err = c.staticResource(fc)
		case fc.typ.Strategies.Adapter == "bundle":
			err = c.copyComponent(fc, fc.files)
		case fc.typ.Strategies.Adapter == "uiBundles":
			err = c.uiBundle(fc)
		default:
			err = c.mixedContent(fc)
		}
		if err != nil {
			return err
		}
	}
	return nil
}

// copyComponent writes files verbatim at their type-relative paths and
// lists the component in package.xml.
func (c *converter) copyComponent(fc *folderComponent, files []member) error {
	for _, m := range files {
		if err := c.copy(m.out, m.file.Path); err != nil {
			return err
		}
	}
	c.res.Components = append(c.res.Components, Component{Type: fc.typ.Name, FullName: fc.name})
	return nil
}

// rootXML finds a mixedContent component's <name>.<suffix>-meta.xml beside
// its content, as the CLI's resolver does, and the content entry: the
// first entry of the type directory (in byte order) with the same base name
// that is not a -meta.xml file.
func rootXML(fc *folderComponent) (xml *member, content string) {
	var tops []string
	for i := range fc.files {
		m := &fc.files[i]
		if m.atTop() && strings.HasSuffix(m.top, "-meta.xml") {
			if xml == nil {
				xml = m
			}
			continue
		}
		tops = append(tops, m.top)
	}
	slices.Sort(tops)
	if len(tops) > 0 {
		content = tops[0]
	}
	return xml, content
}

// mixedContent converts ExperienceBundle-like components: the folder or
// file is copied as is, and its -meta.xml beside it.
func (c *converter) mixedContent(fc *folderComponent) error {
	xml, content := rootXML(fc)
	if xml == nil {
		if content != "" && isFolder(fc, content) {
			return fmt.Errorf("%s/%s: a %s folder without its %s.%s-meta.xml: add the metadata file beside the folder", fc.dir, content, fc.typ.Name, fc.name, fc.typ.Suffix)
		}
		return nil // a stray file the CLI does not resolve
	}
	if content == "" {
		return fmt.Errorf("%s: %s has no content file or folder %s beside it: add it, or list the metadata file in .forceignore too", xml.file.Path, fc.typ.Name, fc.name)
	}
	files := []member{*xml}
	for _, m := range fc.files {
		if m.top == content {
			files = append(files, m)
		}
	}
	return c.copyComponent(fc, files)
}

// atTop reports whether the file sits directly in the type directory.
func (m member) atTop() bool { return strings.Count(m.out, "/") == 1 }

func isFolder(fc *folderComponent, top string) bool {
	for _, m := range fc.files {
		if m.top == top && !m.atTop() {
			return true
		}
	}
	return false
}

// archiveContentTypes are the content types for which the CLI zips a
// static resource folder; any other is its error.
var archiveContentTypes = []string{"application/zip", "application/x-zip-compressed", "application/jar"}

// staticResource converts a StaticResource: a single file is copied as
// NAME.resource whatever its extension; a folder is zipped (only for an
// archive content type, as the CLI refuses any other).
func (c *converter) staticResource(fc *folderComponent) error {
	xml, content := rootXML(fc)
	if xml == nil {
		if content != "" && isFolder(fc, content) {
			return fmt.Errorf("%s/%s: a static resource folder without its %s.resource-meta.xml: add the metadata file beside the folder", fc.dir, content, fc.name)
		}
		return nil // a stray file the CLI does not resolve
	}
	if xml.top != fc.name+"."+fc.typ.Suffix+"-meta.xml" {
		return fmt.Errorf("%s: a static resource's metadata file must be named <Name>.resource-meta.xml, with no dot in the name (the CLI cuts the name at the first dot)", xml.file.Path)
	}
	if content == "" {
		return fmt.Errorf("%s: the static resource has no content file or folder %s beside it: add it, or list the metadata file in .forceignore too", xml.file.Path, fc.name)
	}
	xmlData, err := c.read(xml.file.Path)
	if err != nil {
		return err
	}
	contentPath := fc.dir + "/" + content
	out := fc.typ.DirectoryName + "/" + cliBaseName(content) + "." + fc.typ.Suffix
	if isFolder(fc, content) {
		o, err := c.parseMetadata(xml.file.Path, fc.typ.Name)
		if err != nil {
			return err
		}
		ct := ""
		if e := o.get("contentType"); e != nil && !e.array {
			ct, _ = e.vals[0].(string)
		}
		if !slices.Contains(archiveContentTypes, ct) {
			return fmt.Errorf("%s: \"A StaticResource directory must have a content type of application/zip or application/jar - found %s for %s\" (the Salesforce CLI's error): set <contentType>application/zip</contentType>, or make the resource a single file", xml.file.Path, ct, fc.name)
		}
		var entries []zipEntry
		for _, f := range fc.files {
			if f.top != content || f.atTop() {
				continue
			}
			data, err := c.read(f.file.Path)
			if err != nil {
				return err
			}
			entries = append(entries, zipEntry{name: strings.TrimPrefix(f.file.Path, contentPath+"/"), data: data})
		}
		body, zipped, err := resourceZip(entries)
		if err != nil {
			return fmt.Errorf("%s: %w", contentPath, err)
		}
		if len(body) > MaxStaticResourceSize {
			return fmt.Errorf("%s: zipped, the static resource is %d bytes, more than Salesforce's %d-byte (5 MB) limit for one static resource: split it or remove files", contentPath, len(body), MaxStaticResourceSize)
		}
		if err := c.emitFile(File{Path: out, Data: body, Built: true, Zipped: zipped}, contentPath); err != nil {
			return err
		}
	} else {
		if err := c.copy(out, contentPath); err != nil {
			return err
		}
		if n := c.res.Files[len(c.res.Files)-1].Size(); n > MaxStaticResourceSize {
			return fmt.Errorf("%s: %d bytes, more than Salesforce's %d-byte (5 MB) limit for one static resource", contentPath, n, MaxStaticResourceSize)
		}
	}
	if err := c.emit(fc.typ.DirectoryName+"/"+xml.top, xml.file.Path, xmlData); err != nil {
		return err
	}
	c.res.Components = append(c.res.Components, Component{Type: fc.typ.Name, FullName: fc.name})
	return nil
}

// uiBundle copies a UIBundle folder as a bundle, once its metadata file
// <app>/<app>.uibundle-meta.xml is there (the CLI's error otherwise). The
// CLI also checks an optional ui-bundle.json against some forty rules of
// its own while converting; byocpack does not reproduce them, so it
// refuses such a bundle rather than zip one the CLI would reject.
func (c *converter) uiBundle(fc *folderComponent) error {
	xml := fc.name + "/" + fc.name + "." + fc.typ.Suffix + "-meta.xml"
	hasXML := false
	for _, m := range fc.files {
		rel := strings.TrimPrefix(m.out, fc.typ.DirectoryName+"/")
		if rel == xml {
			hasXML = true
		}
		if rel == fc.name+"/ui-bundle.json" {
			return fmt.Errorf("%s: byocpack does not reproduce the Salesforce CLI's checks of ui-bundle.json, so it cannot package this UIBundle like the CLI; package it with sf project convert source, or list the bundle in .forceignore", m.file.Path)
		}
	}
	if !hasXML {
		return fmt.Errorf("%s/%s: Expected source files for type '%s' (the Salesforce CLI's error): add the metadata file", fc.dir, xml, fc.typ.Name)
	}
	return c.copyComponent(fc, fc.files)
}
