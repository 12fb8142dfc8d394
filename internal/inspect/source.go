package inspect

import (
	"fmt"
	"strings"

	"github.com/byocpack/byocpack/internal/registry"
	"github.com/byocpack/byocpack/internal/sfdx"
)

// fromSource reads one package directory in source format, inferring each
// file's type as the Salesforce CLI does.
func fromSource(reg *registry.Registry, xb *xmlBudget, snap *sfdx.Snapshot, pd *sfdx.PackageDir, show func(string) string) ([]*Component, error) {
	files, err := sfdx.PackageFiles(reg, snap.Tree, pd, snap.Ignore)
	if err != nil {
		return nil, err
	}
	b := newBuilder()
	for _, f := range files {
		data, _ := snap.Tree.Get(f.Path)
		shown := show(f.Path)
		switch f.Kind {
		case sfdx.MetaXML:
			if err := b.get(f.Type.Name, f.FullName, shown).setXML(xb, shown, data); err != nil {
				return nil, err
			}
		case sfdx.Child:
			if f.ParentName == "" {
				return nil, fmt.Errorf("%s: a %s file must sit in %s/<Parent>/%s/", shown, f.Type.Name, f.Parent.DirectoryName, f.Type.DirectoryName)
			}
			if err := b.get(f.Type.Name, f.ParentName+"."+f.FullName, shown).setXML(xb, shown, data); err != nil {
				return nil, err
			}
		case sfdx.Content:
			b.content(f.Type.Name, f.FullName, shown, baseOf(f.Path), data)
		case sfdx.InStrictFolder:
			if name, rel, ok := bundlePart(f.Type, f.Path); ok {
				b.content(f.Type.Name, name, shown, rel, data)
				continue
			}
			if err := topOfMixedFolder(b, xb, f.Type, f.Path, shown, data); err != nil {
				return nil, err
			}
		}
	}
	return b.order, nil
}

// topOfMixedFolder takes a file at the top of a mixed-content type's
// folder (staticresources/): the component's metadata file
// (chartJs.resource-meta.xml), or a single-file component's content
// (chartJs.js), which the converter names NAME.SUFFIX, as package.zip
// holds it. Other files there are no component.
func topOfMixedFolder(b *builder, xb *xmlBudget, t *registry.Type, p, shown string, data []byte) error {
	parts := strings.Split(p, "/")
	if t.Strategies.Adapter != "mixedContent" || len(parts) < 2 || parts[len(parts)-2] != t.DirectoryName {
		return nil
	}
	base := parts[len(parts)-1]
	if name, ok := strings.CutSuffix(base, "."+t.Suffix+"-meta.xml"); ok {
		return b.get(t.Name, name, shown).setXML(xb, shown, data)
	}
	name, _, _ := strings.Cut(base, ".")
	b.content(t.Name, name, shown, name+"."+t.Suffix, data)
	return nil
}

// bundlePart splits a file inside a bundle folder (lwc/card/card.js) into
// the bundle's name and the file's path inside it. Files in a decomposed
// object's folder that are not metadata are not components.
func bundlePart(t *registry.Type, p string) (name, rel string, ok bool) {
	if t.Strategies.Adapter == "decomposed" || t.Children != nil {
		return "", "", false
	}
	parts := strings.Split(p, "/")
	for i := len(parts) - 2; i >= 0; i-- {
		if parts[i] == t.DirectoryName && i+2 < len(parts) {
			return parts[i+1], strings.Join(parts[i+2:], "/"), true
		}
	}
	return "", "", false
}
