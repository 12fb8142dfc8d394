package diff

import (
	"slices"
	"strings"

	"github.com/beevik/etree"

	"github.com/byocpack/byocpack/internal/inspect"
)

// node is an element in the form that is compared: local name, trimmed
// text for a leaf, children in document order, and a key that is the same
// for two elements exactly when they are equal up to what Salesforce
// ignores (whitespace and indentation, the order of child elements).
type node struct {
	Name string
	Text string
	Kids []*node
	Line int
	key  string
}

func (n *node) leaf() bool { return len(n.Kids) == 0 }

// canon turns a component's root into a node. The root's own fullName is
// dropped: it is the component's name, which the key already holds (source
// format writes it in some child files, Metadata API format in others).
func canon(c *inspect.Component) *node {
	if c.Root == nil {
		return nil
	}
	n := canonElem(c, c.Root)
	n.Kids = slices.DeleteFunc(n.Kids, func(k *node) bool { return k.Name == "fullName" })
	n.key = keyOf(n)
	return n
}

func canonElem(c *inspect.Component, e *etree.Element) *node {
	n := &node{Name: e.Tag, Line: c.Line(e)}
	for _, a := range e.Attr {
		if a.Space == "xmlns" || (a.Space == "" && a.Key == "xmlns") {
			continue
		}
		n.Kids = append(n.Kids, &node{Name: "@" + a.Key, Text: a.Value, Line: n.Line, key: "@" + a.Key + "=" + a.Value})
	}
	for _, ce := range e.ChildElements() {
		n.Kids = append(n.Kids, canonElem(c, ce))
	}
	if len(n.Kids) == 0 {
		n.Text = normText(e.Text())
	}
	n.key = keyOf(n)
	return n
}

// normText trims the surrounding whitespace and indentation of a value and
// unifies line endings; inside the value every character counts.
func normText(s string) string {
	return strings.TrimSpace(strings.ReplaceAll(s, "\r\n", "\n"))
}

func keyOf(n *node) string {
	if n.leaf() {
		text := n.Text
		if isList(n.Name) {
			text = strings.Join(listItems(text), ",")
		}
		return n.Name + "=" + text
	}
	keys := make([]string, len(n.Kids))
	for i, k := range n.Kids {
		keys[i] = k.key
	}
	slices.Sort(keys)
	return n.Name + "{" + strings.Join(keys, ";") + "}"
}

// isList says whether an element holds a comma-separated list whose order
// means nothing: ExtlClntAppOauthSettings.commaSeparatedOauthScopes, the
// policies' commaSeparatedProfile and commaSeparatedPermissionSet, ...
func isList(name string) bool { return strings.HasPrefix(name, "commaSeparated") }

// listItems returns a list's items, trimmed and sorted, without empties.
func listItems(s string) []string {
	var out []string
	for _, it := range strings.Split(s, ",") {
		if it = strings.TrimSpace(it); it != "" {
			out = append(out, it)
		}
	}
	slices.Sort(out)
	return slices.Compact(out)
}

// render writes a node's value on one line: the text of a leaf, the
// children of a complex element in braces.
func render(n *node) string {
	if n.leaf() {
		return n.Text
	}
	parts := make([]string, len(n.Kids))
	for i, k := range n.Kids {
		v := render(k)
		if k.leaf() {
			v = quote(v)
		}
		parts[i] = k.Name + ": " + v
	}
	return "{" + strings.Join(parts, ", ") + "}"
}

func quote(s string) string { return `"` + strings.ReplaceAll(s, `"`, `\"`) + `"` }
