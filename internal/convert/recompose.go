package convert

import (
	"fmt"
	"slices"
	"strings"

	"github.com/byocpack/byocpack/internal/registry"
)

// parseMetadata parses one source file and unwraps its root element the way
// the CLI does: the namespace attribute is dropped, a root that is plain
// text becomes an empty object.
func (c *converter) parseMetadata(rel, wantRoot string) (*xobject, error) {
	data, err := c.read(rel)
	if err != nil {
		return nil, err
	}
	root, v, err := parseXML(rel, data)
	if err != nil {
		return nil, err
	}
	if root != wantRoot {
		return nil, fmt.Errorf("%s: the root element is <%s>, expected <%s xmlns=%q>", rel, root, wantRoot, metadataNS)
	}
	o, ok := v.(*xobject)
	if !ok {
		return &xobject{}, nil
	}
	return o.without(nsAttribute), nil
}

type childXML struct {
	path  string
	group string
	key   string
	obj   *xobject
}

// recompose merges a decomposed object's files as source-deploy-retrieve's
// RecompositionFinalizer does: the namespace first, then the parent's own
// elements in file order, then one group per child element name (sorted),
// each group's children sorted by their fullName with localeCompare.
func (c *converter) recompose(op *objectParts) ([]byte, error) {
	parent := &xobject{}
	if op.xml != "" {
		p, err := c.parseMetadata(op.xml, op.typ.Name)
		if err != nil {
			return nil, err
		}
		parent = p
	}
	var kids []childXML
	for _, f := range op.children {
		o, err := c.parseMetadata(f.Path, f.Type.Name)
		if err != nil {
			return nil, err
		}
		kids = append(kids, childXML{path: f.Path, group: xmlElement(f.Type), key: uniqueValue(o, f.Type.UniqueIDElement), obj: o})
	}
	var sortErr error
	slices.SortStableFunc(kids, func(a, b childXML) int {
		if x := strings.Compare(a.group, b.group); x != 0 {
			return x
		}
		r, err := c.coll.compare(a.key, b.key)
		if err != nil && sortErr == nil {
			sortErr = fmt.Errorf("%s: cannot order this child like the Salesforce CLI: %v", a.path, err)
		}
		if r == 0 && err == nil && sortErr == nil {
			sortErr = fmt.Errorf("%s and %s: two %s children share the name %q, so their order is undefined: give each a unique <fullName>", a.path, b.path, a.group, a.key)
		}
		return r
	})
	if sortErr != nil {
		return nil, sortErr
	}
	merged := &xobject{}
	merged.set(nsAttribute, []xvalue{metadataNS}, false)
	for _, e := range parent.entries {
		merged.set(e.key, e.vals, e.array)
	}
	for i := 0; i < len(kids); {
		j := i
		var vals []xvalue
		for ; j < len(kids) && kids[j].group == kids[i].group; j++ {
			vals = append(vals, kids[j].obj)
		}
		// The CLI always merges a group as an array, so even one child is
		// written as its own element.
		merged.set(kids[i].group, vals, true)
		i = j
	}
	return []byte(renderXML(op.typ.Name, merged)), nil
}

func xmlElement(t *registry.Type) string {
	if t.XMLElementName != "" {
		return t.XMLElementName
	}
	return t.DirectoryName
}

// uniqueValue is the child's sort key: its uniqueIdElement, else fullName,
// else name, counting only plain-text values, as the CLI does.
func uniqueValue(o *xobject, unique string) string {
	for _, k := range []string{unique, "fullName", "name"} {
		if k == "" {
			continue
		}
		if e := o.get(k); e != nil && !e.array {
			if s, ok := e.vals[0].(string); ok {
				return s
			}
		}
	}
	return ""
}
