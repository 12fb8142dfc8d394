package inspect

import (
	"fmt"
	"strings"

	"github.com/byocpack/byocpack/internal/registry"
	"github.com/byocpack/byocpack/internal/tree"
)

// fromMetadataAPI reads a Metadata API tree (package.xml and one folder
// per type) and splits every decomposable file (objects/X.object) into the
// parent and its children as source format holds them. members are
// package.xml's; a parent it does not list (an object that only gains
// fields) is not a component of its own.
func fromMetadataAPI(reg *registry.Registry, xb *xmlBudget, t *tree.Tree, show func(string) string, members map[string]bool) ([]*Component, error) {
	byDir := map[string][]*registry.Type{}
	types := reg.Types()
	for i := range types {
		ty := &types[i]
		if ty.DirectoryName != "" && ty.AliasFor == "" {
			byDir[ty.DirectoryName] = append(byDir[ty.DirectoryName], ty)
		}
	}
	b := newBuilder()
	var parents []*Component
	for _, p := range t.Paths() {
		if p == "package.xml" || strings.HasPrefix(p, "destructiveChanges") {
			continue
		}
		data, _ := t.Get(p)
		shown := show(p)
		parts := strings.Split(p, "/")
		ty := typeFor(byDir[parts[0]], parts[len(parts)-1])
		switch {
		case ty == nil || len(parts) < 2:
			// Not a folder of any type: kept as a file so a diff shows it.
			b.content("File", p, shown, baseOf(p), data)
		case len(parts) > 2 && !ty.InFolder:
			b.content(ty.Name, parts[1], shown, strings.Join(parts[2:], "/"), data)
		default:
			base := parts[len(parts)-1]
			meta := strings.HasSuffix(base, "-meta.xml")
			file := strings.TrimSuffix(base, "-meta.xml")
			name := strings.TrimSuffix(file, "."+ty.Suffix)
			if ty.InFolder {
				name = strings.TrimSuffix(strings.Join(append(parts[1:len(parts)-1], file), "/"), "."+ty.Suffix)
			}
			_, hasMeta := t.Get(p + "-meta.xml")
			if !meta && hasMeta {
				b.content(ty.Name, name, shown, base, data)
				continue
			}
			c := b.get(ty.Name, name, shown)
			if err := c.setXML(xb, shown, data); err != nil {
				return nil, err
			}
			if ty.Children != nil && ty.Strategies.Adapter == "decomposed" {
				parents = append(parents, c)
			}
		}
	}
	drop := map[*Component]bool{}
	for _, c := range parents {
		ty, _, _ := reg.ByName(c.Type)
		if err := split(b, ty, c); err != nil {
			return nil, err
		}
		if members != nil && !members[c.Key()] || members == nil && len(c.Root.ChildElements()) == 0 {
			drop[c] = true
		}
	}
	var out []*Component
	for _, c := range b.order {
		if !drop[c] {
			out = append(out, c)
		}
	}
	return out, nil
}

// typeFor picks the type of a file among those sharing its folder.
func typeFor(cands []*registry.Type, base string) *registry.Type {
	file := strings.TrimSuffix(base, "-meta.xml")
	for _, ty := range cands {
		if strings.HasSuffix(file, "."+ty.Suffix) {
			return ty
		}
	}
	if len(cands) > 0 {
		return cands[0]
	}
	return nil
}

// split moves each child element of a recomposed parent (<fields> of a
// CustomObject) into a component of the child type, named Parent.Child.
func split(b *builder, ty *registry.Type, parent *Component) error {
	byElem := map[string]*registry.Type{}
	for i := range ty.Children.Types {
		ct := &ty.Children.Types[i]
		el := ct.XMLElementName
		if el == "" {
			el = ct.DirectoryName
		}
		byElem[el] = ct
	}
	for _, e := range parent.Root.ChildElements() {
		ct, ok := byElem[e.Tag]
		if !ok {
			continue
		}
		key := ""
		for _, k := range []string{ct.UniqueIDElement, "fullName", "name"} {
			if k != "" && e.SelectElement(k) != nil {
				key = strings.TrimSpace(e.SelectElement(k).Text())
				break
			}
		}
		if key == "" {
			return fmt.Errorf("%s:%d: a <%s> without <fullName>: cannot tell which %s it is", parent.File, parent.lines[e], e.Tag, ct.Name)
		}
		parent.Root.RemoveChild(e)
		c := b.get(ct.Name, parent.FullName+"."+key, parent.File)
		e.Tag = ct.Name
		c.Root = e
		c.lines = parent.lines
	}
	return nil
}
