package xsdcheck

import (
	"fmt"
	"slices"

	"github.com/byocpack/byocpack/internal/castub"
	"github.com/byocpack/byocpack/internal/model"
	"github.com/byocpack/byocpack/internal/xmldoc"
)

// NotFormatted says why Format left a document as it is.
type NotFormatted struct {
	Line   int
	Reason string
}

func (e *NotFormatted) Error() string { return e.Reason }

// Format returns doc, a metadataType document, in the element order a
// retrieve writes (each complex type's sequence in the WSDL, base type
// first) and in the layout of xmldoc.Write. Elements that repeat keep
// their relative order; every value is kept byte for byte. It reorders
// doc's tree in place.
//
// A document Format cannot rewrite without losing or guessing something is
// left alone with a *NotFormatted: comments or processing instructions
// (a retrieve writes none, and they would have to move), an element or
// attribute the models do not know, text beside child elements.
//
// The stub of a connected app released in a first-generation package
// (internal/castub) has elements no WSDL has; it is written in its own
// order, developerName, label, version, and one that mixes the stub's
// elements with a full app's is left alone.
func Format(m *model.Model, metadataType string, doc *xmldoc.Document) ([]byte, error) {
	if doc.Comments {
		return nil, &NotFormatted{0, "it holds comments, which a retrieve never writes and fmt would have to move; remove them to format it"}
	}
	if doc.PIs {
		return nil, &NotFormatted{0, "it holds processing instructions; remove them to format it"}
	}
	root := m.Root(metadataType)
	r := doc.Root
	if root == nil || !Formatted(metadataType) {
		return nil, &NotFormatted{0, fmt.Sprintf("API %s has no content model for %s", m.Version, metadataType)}
	}
	if r.Local != metadataType || r.Space != MetadataNamespace {
		return nil, &NotFormatted{r.Line, fmt.Sprintf("its root is not <%s xmlns=%q>", metadataType, MetadataNamespace)}
	}
	if metadataType == castub.Type && castub.MeantDocument(doc) {
		return formatStub(doc)
	}
	if err := (formatter{m.Version}).reorder(r, root, "/"+r.Local); err != nil {
		return nil, err
	}
	return xmldoc.Write(r), nil
}

// formatStub writes a connected app stub, or says why it will not.
func formatStub(doc *xmldoc.Document) ([]byte, error) {
	r := doc.Root
	if !castub.IsDocument(doc) {
		return nil, &NotFormatted{r.Line, "it is a connected app stub (developerName, version) with other elements beside them; a stub carries only developerName, label and version, so fix it first (byocpack validate says how)"}
	}
	if err := knownAttrs(r, "/"+r.Local); err != nil {
		return nil, err
	}
	if r.HasText() {
		return nil, &NotFormatted{r.Line, fmt.Sprintf("<%s> holds text beside its elements", r.Local)}
	}
	for _, ch := range r.Children {
		if err := knownAttrs(ch, "/"+r.Local+"/"+ch.Local); err != nil {
			return nil, err
		}
	}
	return castub.Format(doc), nil
}

// formatter reorders the elements of one document.
type formatter struct{ version string }

func (f formatter) reorder(el *xmldoc.Element, ct *model.Complex, where string) error {
	if err := knownAttrs(el, where); err != nil {
		return err
	}
	if el.HasText() {
		return &NotFormatted{el.Line, fmt.Sprintf("<%s> at %s holds text beside its elements", el.Local, where)}
	}
	if len(el.Children) == 0 {
		el.Raw = nil // an empty complex element is self-closed
		return nil
	}
	pos := make(map[*xmldoc.Element]int, len(el.Children))
	taken := map[int]int{}
	cur := -1
	for _, ch := range el.Children {
		i := ct.Place(ch.Local, cur, func(p int) int { return taken[p] })
		if i < 0 || ch.Space != MetadataNamespace {
			return &NotFormatted{ch.Line, fmt.Sprintf("<%s> in <%s> at %s is not an element of %s in API %s", ch.Local, el.Local, where, ct.Name, f.version)}
		}
		taken[i]++
		cur, pos[ch] = i, i
		if err := f.child(ch, ct.Sequence()[i], where+"/"+ch.Local); err != nil {
			return err
		}
	}
	slices.SortStableFunc(el.Children, func(a, b *xmldoc.Element) int { return pos[a] - pos[b] })
	return nil
}

func (f formatter) child(ch *xmldoc.Element, e *model.Element, where string) error {
	switch {
	case e.Complex() != nil:
		return f.reorder(ch, e.Complex(), where)
	case e.Builtin() == model.AnyType:
		return &NotFormatted{ch.Line, fmt.Sprintf("<%s> at %s may hold anything (xsd:anyType), which fmt does not lay out", ch.Local, where)}
	}
	if err := knownAttrs(ch, where); err != nil {
		return err
	}
	if len(ch.Children) > 0 {
		return &NotFormatted{ch.Line, fmt.Sprintf("<%s> at %s holds a value but contains elements", ch.Local, where)}
	}
	return nil
}

// knownAttrs accepts namespace declarations and xsi:nil, the only
// attributes a retrieve writes.
func knownAttrs(el *xmldoc.Element, where string) error {
	for _, a := range el.Attrs {
		if !a.IsNamespaceDecl() && !(a.Space == xsiNS && a.Local == "nil") {
			return &NotFormatted{el.Line, fmt.Sprintf("<%s> at %s carries the attribute %s", el.Local, where, a.Local)}
		}
	}
	return nil
}
