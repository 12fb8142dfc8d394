package convert

import (
	"fmt"
	"path"
	"slices"
	"strings"

	"github.com/byocpack/byocpack/internal/registry"
	"github.com/byocpack/byocpack/internal/sfdx"
)

// The inFolder layout: Report, Dashboard, EmailTemplate and Document live
// in folders under their type directory, each folder described by a
// <Folder>.<folderType>-meta.xml beside it. The CLI keeps every path from
// the type directory on, names a component by that path without suffixes
// ("Sales/Pipeline"), and lists a folder under its content type: as
// "Folder/" for reports, dashboards and EmailTemplateFolder, as "Folder"
// for documents and EmailFolder.

// slashFolderTypes are the folder types whose package.xml member the CLI
// ends with "/".
var slashFolderTypes = []string{"DashboardFolder", "ReportFolder", "EmailTemplateFolder"}

// typeRelative returns the parts of p from its type directory on (the
// CLI's trimUntil), or nil when typeDirIndex refuses the path.
func typeRelative(p string, t *registry.Type) []string {
	parts := strings.Split(p, "/")
	i, err := typeDirIndex(p, parts, t)
	if err != nil {
		return nil
	}
	return parts[i:]
}

// nestedFullName is the CLI's name of a component in folders: the path
// after the type directory, the file name cut at its first dot.
func nestedFullName(rel []string) string {
	names := slices.Clone(rel[1:])
	names[len(names)-1] = cliBaseName(strings.TrimSuffix(names[len(names)-1], "-meta.xml"))
	return strings.Join(names, "/")
}

func isFolderType(t *registry.Type) bool { return t.FolderContentType != "" }

// addInFolder converts a folder's metadata file or a Report, Dashboard or
// EmailTemplate in a folder.
func (c *converter) addInFolder(f sfdx.SourceFile) error {
	t := f.Type
	rel := typeRelative(f.Path, t)
	if rel == nil || f.Kind != sfdx.MetaXML {
		return fmt.Errorf("%s: a %s must sit in %s/ (folders) or %s/<Folder>/, and only once", f.Path, t.Name, t.DirectoryName, t.DirectoryName)
	}
	name := nestedFullName(rel)
	data, err := c.read(f.Path)
	if err != nil {
		return err
	}
	out := strings.Join(rel, "/")
	if isFolderType(t) {
		content, ok := registry.New().ByID(t.FolderContentType)
		if !ok {
			return fmt.Errorf("%s: the registry has no content type %s for %s", f.Path, t.FolderContentType, t.Name)
		}
		if err := c.emit(strings.Replace(out, "."+t.Suffix, "", 1), f.Path, data); err != nil {
			return err
		}
		if slices.Contains(slashFolderTypes, t.Name) {
			name += "/"
		}
		c.res.Components = append(c.res.Components, Component{Type: content.Name, FullName: name})
		return nil
	}
	if len(rel) < 3 {
		return fmt.Errorf("%s: a %s must sit in a folder: %s/<Folder>/%s", f.Path, t.Name, t.DirectoryName, path.Base(f.Path))
	}
	if t.Strategies.Adapter == "matchingContentFile" {
		body := strings.TrimSuffix(f.Path, "-meta.xml")
		if _, ok := c.byPath[body]; !ok {
			return fmt.Errorf("%s: the %s content file %s is missing (or ignored by .forceignore): add it beside the metadata file", f.Path, t.Name, path.Base(body))
		}
		c.used[body] = true
		if err := c.copy(strings.TrimSuffix(out, "-meta.xml"), body); err != nil {
			return err
		}
		if err := c.emit(out, f.Path, data); err != nil {
			return err
		}
	} else if err := c.emit(strings.TrimSuffix(out, "-meta.xml"), f.Path, data); err != nil {
		return err
	}
	c.res.Components = append(c.res.Components, Component{Type: t.Name, FullName: name})
	return nil
}

// addDocument groups a Document's files: documents/<Folder>/<name>.<ext>
// and documents/<Folder>/<name>.document-meta.xml.
func (c *converter) addDocument(f sfdx.SourceFile) error {
	t := f.Type
	rel := typeRelative(f.Path, t)
	if rel == nil || len(rel) != 3 {
		return fmt.Errorf("%s: a Document must be %s/<Folder>/<Name>.<ext> with %s/<Folder>/<Name>.document-meta.xml beside it", f.Path, t.DirectoryName, t.DirectoryName)
	}
	key := path.Dir(f.Path) + "/" + cliBaseName(rel[2])
	fc, ok := c.folders[key]
	if !ok {
		fc = &folderComponent{typ: t, dir: path.Dir(f.Path), name: rel[1] + "/" + cliBaseName(rel[2])}
		c.folders[key] = fc
	}
	fc.files = append(fc.files, member{file: f, out: strings.Join(rel, "/"), top: rel[2]})
	return nil
}

// document writes a Document's content and its metadata file, renamed
// after the content's extension as the CLI does (logo.png-meta.xml).
func (c *converter) document(fc *folderComponent) error {
	base := path.Base(fc.name)
	var xml *member
	var contents []member
	for _, m := range fc.files {
		if m.top == base+"."+fc.typ.Suffix+"-meta.xml" {
			xml = &m
		} else if !strings.HasSuffix(m.top, "-meta.xml") {
			contents = append(contents, m)
		}
	}
	if xml == nil {
		return nil // content without metadata: the CLI does not resolve it
	}
	if len(contents) == 0 {
		return fmt.Errorf("%s: the Document has no content file %s.<ext> beside it: add it, or list the metadata file in .forceignore too", xml.file.Path, base)
	}
	slices.SortFunc(contents, func(a, b member) int { return strings.Compare(a.top, b.top) })
	content := contents[0]
	ext := strings.TrimPrefix(path.Ext(content.top), ".")
	if ext == "" {
		return fmt.Errorf("%s: a Document's content needs a file extension (the CLI names its metadata file after it)", content.file.Path)
	}
	xmlOut := strings.TrimSuffix(xml.out, "."+fc.typ.Suffix+"-meta.xml") + "." + ext + "-meta.xml"
	for _, w := range []struct {
		m   member
		out string
	}{{content, content.out}, {*xml, xmlOut}} {
		if err := c.copy(w.out, w.m.file.Path); err != nil {
			return err
		}
	}
	c.res.Components = append(c.res.Components, Component{Type: fc.typ.Name, FullName: fc.name})
	return nil
}
