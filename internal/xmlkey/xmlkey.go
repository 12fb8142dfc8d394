// Package xmlkey names an element of a metadata file by what it is rather
// than where it sits: a repeated group by its natural key (a
// fieldPermissions by its field, a listView by its fullName, a scope by
// its value), as Salesforce itself identifies them when it merges a deploy
// into an org. SARIF fingerprints (stable when lines move) and the git
// merge driver (two branches adding different entries to one group) both
// identify elements this way.
package xmlkey

import (
	"strconv"
	"strings"

	"github.com/byocpack/byocpack/internal/xmldoc"
)

// keyFields are the child elements that name a repeated group, most
// specific first: the first one an element has is its key. They are the
// reference fields of the Metadata API's repeated types (PermissionSet's
// and Profile's accesses, CustomObject's fields, list views, record types,
// validation rules, ...).
var keyFields = []string{
	"fullName", "field", "object", "apexClass", "apexPage", "tab", "recordType",
	"application", "layout", "flow", "externalDataSource", "customPermission",
	"developerName", "name", "setting", "startAddress", "label",
}

// Key returns e's natural key, or "" when it has none: a leaf's key is its
// text (a scope, a profile name), another element's the text of its first
// key field; Profile's layoutAssignments take the record type too, as one
// layout is assigned once per record type.
func Key(e *xmldoc.Element) string {
	if len(e.Children) == 0 {
		return strings.TrimSpace(e.Text)
	}
	for _, f := range keyFields {
		if v, ok := leaf(e, f); ok {
			if f == "layout" {
				if rt, ok := leaf(e, "recordType"); ok {
					v += "/" + rt
				}
			}
			return f + "=" + v
		}
	}
	return ""
}

func leaf(e *xmldoc.Element, name string) (string, bool) {
	for _, c := range e.Children {
		if c.Local == name && len(c.Children) == 0 {
			return strings.TrimSpace(c.Text), true
		}
	}
	return "", false
}

// Step names child c of parent: its local name, and where the name repeats
// among its siblings its key in brackets (its position when it has none),
// as in fieldPermissions[field=Account.Phone].
func Step(parent, c *xmldoc.Element) string {
	n, pos := 0, 0
	for _, s := range parent.Children {
		if s.Local == c.Local {
			n++
			if s == c {
				pos = n
			}
		}
	}
	if n < 2 {
		return c.Local
	}
	if k := Key(c); k != "" {
		return c.Local + "[" + k + "]"
	}
	return c.Local + "[" + strconv.Itoa(pos) + "]"
}

// PathAt returns the path (/Root/step/step) of the innermost element of
// root whose start tag is on line or that spans it: the element a problem
// reported at that line is about. A line outside the root gives "".
func PathAt(root *xmldoc.Element, line int) string {
	if root == nil || line < root.Line || (root.EndLine > 0 && line > root.EndLine) {
		return ""
	}
	path := "/" + root.Local
	e := root
	for {
		var next *xmldoc.Element
		for _, c := range e.Children {
			end := c.EndLine
			if end == 0 {
				end = c.Line
			}
			if c.Line <= line && line <= end {
				next = c
				break
			}
		}
		if next == nil {
			return path
		}
		path += "/" + Step(e, next)
		e = next
	}
}
