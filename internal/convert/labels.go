package convert

import (
	"fmt"
	"slices"

	"github.com/byocpack/byocpack/internal/sfdx"
)

// The nonDecomposed layout (CustomLabels): every *.labels-meta.xml of the
// package directory is one source file of the single CustomLabels
// component. The CLI merges their <labels> into labels/CustomLabels.labels,
// starting empty (whatever else a file holds is dropped), sorted by
// fullName with localeCompare, and lists every label as a CustomLabel and
// the file as CustomLabels: CustomLabels.

func (c *converter) finishLabels() error {
	if len(c.labels) == 0 {
		return nil
	}
	t := c.labels[0].Type
	child := &t.Children.Types[0]
	var kids []childXML
	for _, f := range c.labels {
		o, err := c.parseMetadata(f.Path, t.Name)
		if err != nil {
			return err
		}
		e := o.get(child.XMLElementName)
		if e == nil {
			continue
		}
		for _, v := range e.vals {
			lo, ok := v.(*xobject)
			key := ""
			if ok {
				key = uniqueValue(lo, child.UniqueIDElement)
			}
			if key == "" {
				return fmt.Errorf("%s: a <%s> element without <%s>: every %s needs its API name", f.Path, child.XMLElementName, child.UniqueIDElement, child.Name)
			}
			kids = append(kids, childXML{path: f.Path, group: child.XMLElementName, key: key, obj: lo})
		}
	}
	var sortErr error
	slices.SortStableFunc(kids, func(a, b childXML) int {
		r, err := c.coll.compare(a.key, b.key)
		switch {
		case err != nil && sortErr == nil:
			sortErr = fmt.Errorf("%s: cannot order this label like the Salesforce CLI: %v", a.path, err)
		case r == 0 && sortErr == nil:
			sortErr = fmt.Errorf("%s and %s: two custom labels are named %q; the CLI would keep only one of them: remove or rename the other", a.path, b.path, a.key)
		}
		return r
	})
	if sortErr != nil {
		return sortErr
	}
	merged := &xobject{}
	merged.set(nsAttribute, []xvalue{metadataNS}, false)
	if len(kids) > 0 {
		vals := make([]xvalue, len(kids))
		for i, k := range kids {
			vals[i] = k.obj
		}
		merged.set(child.XMLElementName, vals, true)
	}
	out := t.DirectoryName + "/" + t.Name + "." + t.Suffix
	if err := c.emitBuilt(out, c.labels[0].Path, []byte(renderXML(t.Name, merged)), true); err != nil {
		return err
	}
	c.res.Components = append(c.res.Components, Component{Type: t.Name, FullName: t.Name})
	for _, k := range kids {
		c.res.Components = append(c.res.Components, Component{Type: child.Name, FullName: k.key})
	}
	return nil
}

// isNonDecomposed reports whether f is a source file of a nonDecomposed
// type the converter merges (CustomLabels, the registry's only one).
func isNonDecomposed(f sfdx.SourceFile) bool {
	t := f.Type
	return f.Kind == sfdx.MetaXML && t.Strategies.Transformer == "nonDecomposed" && t.Strategies.Recomposition == "startEmpty" &&
		t.IgnoreParsedFullName && t.Children != nil && len(t.Children.Types) == 1 && t.Children.Types[0].XMLElementName != "" && t.Children.Types[0].UniqueIDElement != ""
}
