// Package castub knows the one shape of ConnectedApp metadata a
// second-generation package may carry: the stub that references a
// connected app already released in a first-generation managed package of
// the same namespace. Salesforce documents it as hand-written (it cannot be
// retrieved) and as holding exactly three elements:
//
//	<ConnectedApp xmlns="http://soap.sforce.com/2006/04/metadata">
//	    <developerName>{namespace}__{AppApiName}</developerName>
//	    <label>{label}</label>
//	    <version>1.0</version>
//	</ConnectedApp>
//
// developerName and version are in no ConnectedApp WSDL (v47 to v66): the
// stub is a packaging-only shape, so the content model cannot judge it.
// The validator, the packager, fmt, render and review recognise it here,
// by content alone, so a hand-written stub in a project without a spec is
// treated like a rendered one.
package castub

import (
	"bytes"
	"slices"
	"strings"

	"github.com/byocpack/byocpack/internal/model"
	"github.com/byocpack/byocpack/internal/xmldoc"
)

// Type is the metadata type of a stub.
const Type = "ConnectedApp"

// Elements are the stub's elements in the order fmt and render write
// them. A fresh slice each call.
func Elements() []string { return []string{"developerName", "label", "version"} }

// markers are the elements only a stub has: a ConnectedApp document that
// carries one of them is meant as a stub.
func markers() []string { return []string{"developerName", "version"} }

// Is reports whether the child element names of a ConnectedApp root are
// exactly the stub's, each once, in any order.
func Is(children []string) bool {
	if len(children) != len(Elements()) {
		return false
	}
	for _, want := range Elements() {
		if !slices.Contains(children, want) {
			return false
		}
	}
	return true
}

// Meant reports whether a ConnectedApp root with these child element names
// was written as a stub: it carries developerName or version, which a full
// connected app never has.
func Meant(children []string) bool {
	return slices.ContainsFunc(children, func(c string) bool { return slices.Contains(markers(), c) })
}

// names lists the local names of el's children in the metadata namespace
// (anything else is never a stub's).
func names(el *xmldoc.Element) []string {
	out := make([]string, 0, len(el.Children))
	for _, c := range el.Children {
		if c.Space != model.Namespace {
			return nil
		}
		out = append(out, c.Local)
	}
	return out
}

// IsDocument reports whether doc is a ConnectedApp stub: the ConnectedApp
// root in the metadata namespace, with exactly the three elements, each a
// value without child elements.
func IsDocument(doc *xmldoc.Document) bool {
	r := doc.Root
	if r == nil || r.Local != Type || r.Space != model.Namespace || !Is(names(r)) {
		return false
	}
	return !slices.ContainsFunc(r.Children, func(c *xmldoc.Element) bool { return len(c.Children) > 0 })
}

// MeantDocument reports whether doc is ConnectedApp metadata written as a
// stub, well-formed as one or not (see Meant).
func MeantDocument(doc *xmldoc.Document) bool {
	r := doc.Root
	return r != nil && r.Local == Type && r.Space == model.Namespace && Meant(names(r))
}

// Detect reports whether data is a ConnectedApp stub document (a UTF-8
// byte-order mark before it is allowed, as XML allows it).
func Detect(data []byte) bool {
	doc, err := xmldoc.Parse(bytes.TrimPrefix(data, []byte("\xef\xbb\xbf")))
	return err == nil && IsDocument(doc)
}

// Format writes a stub document (IsDocument) in the order developerName,
// label, version and the layout of xmldoc.Write, keeping every value byte
// for byte. It reorders doc's tree in place.
func Format(doc *xmldoc.Document) []byte {
	order := Elements()
	slices.SortStableFunc(doc.Root.Children, func(a, b *xmldoc.Element) int {
		return slices.Index(order, a.Local) - slices.Index(order, b.Local)
	})
	return xmldoc.Write(doc.Root)
}

// ValidVersion reports whether v is a connected app version in the
// decimal formatting Salesforce asks of the stub: "1.0", "2.3", never "1",
// "v1.0" or "1.0.0" (digits, one dot, digits; no leading zero before the
// dot). Written out rather than as a regular expression, which every
// command would compile at start-up.
func ValidVersion(v string) bool {
	whole, frac, ok := strings.Cut(v, ".")
	return ok && digits(whole) && digits(frac) && (whole == "0" || whole[0] != '0')
}

// digits reports whether s is one to nine decimal digits: a version
// number's part, which Salesforce keeps as an integer.
func digits(s string) bool {
	return s != "" && len(s) <= 9 && strings.Trim(s, "0123456789") == ""
}

// DeveloperName is the stub's developerName: the namespace of the
// first-generation package and the connected app's API name,
// {namespace}__{name}.
func DeveloperName(namespace, name string) string { return namespace + "__" + name }
