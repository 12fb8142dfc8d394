package validate

import (
	"strings"

	"github.com/byocpack/byocpack/internal/xmldoc"
)

// node is one element of a parsed metadata document with the position of
// its start tag, as the BYOC rules see it: every rule must point at the
// offending element.
type node struct {
	Name string // local name; metadata files use one default namespace
	Text string // character data directly inside, trimmed
	// Padded says the character data had white space around it, which
	// the Metadata API keeps in a string value.
	Padded   bool
	Line     int
	Col      int
	Children []*node
}

// child returns the first child element with the given local name.
func (n *node) child(name string) *node {
	for _, c := range n.Children {
		if c.Name == name {
			return c
		}
	}
	return nil
}

// children returns every child element with the given local name.
func (n *node) children(name string) []*node {
	var out []*node
	for _, c := range n.Children {
		if c.Name == name {
			out = append(out, c)
		}
	}
	return out
}

// text returns the trimmed text of the named child, or "" when absent.
func (n *node) text(name string) string {
	if c := n.child(name); c != nil {
		return c.Text
	}
	return ""
}

// nodeOf copies the parse the content-model check used (the file's one
// parse) into the rules' tree; the copy holds strings only, so the file's
// bytes can be dropped while the cross-file rules keep the tree.
func nodeOf(e *xmldoc.Element) *node {
	n := &node{Name: e.Local, Text: strings.TrimSpace(e.Text), Line: e.Line, Col: e.Col}
	n.Padded = len(e.Children) == 0 && len(n.Text) != len(e.Text)
	if len(e.Children) > 0 {
		n.Children = make([]*node, len(e.Children))
		for i, c := range e.Children {
			n.Children[i] = nodeOf(c)
		}
	}
	return n
}

// parseError carries where a file stopped being well-formed, so the
// malformed-XML problem can point at it.
type parseError struct {
	Line, Col int
	Msg       string
}

func (e *parseError) Error() string { return e.Msg }

// parseXML parses data (xmldoc.Parse: bounded depth, no DTDs, UTF-8)
// into the rules' tree.
func parseXML(data []byte) (*node, error) {
	doc, err := xmldoc.Parse(data)
	if err != nil {
		return nil, asParseError(err)
	}
	return nodeOf(doc.Root), nil
}

func asParseError(err error) *parseError {
	if se, ok := err.(*xmldoc.SyntaxError); ok {
		return &parseError{Line: se.Line, Col: se.Col, Msg: se.Msg}
	}
	return &parseError{Line: 1, Msg: err.Error()}
}
