package validate

import (
	"bytes"
	"encoding/xml"
	"errors"
	"io"
)

// node is one element of a parsed metadata document with the position of
// its start tag; etree keeps no positions, and every rule must point at the
// offending element.
type node struct {
	Name     string // local name; metadata files use one default namespace
	Text     string // character data directly inside, trimmed
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

// walk visits n and all its descendants in document order.
func (n *node) walk(fn func(*node)) {
	fn(n)
	for _, c := range n.Children {
		c.walk(fn)
	}
}

// parseError carries the position of the first syntax error so the
// malformed-XML problem can point at it.
type parseError struct {
	Line, Col int
	Msg       string
}

func (e *parseError) Error() string { return e.Msg }

// parseXML builds the element tree. Anything the decoder rejects, and a
// document without a root element, is a parseError.
func parseXML(data []byte) (*node, error) {
	d := xml.NewDecoder(bytes.NewReader(data))
	// Salesforce files are UTF-8; any other declared charset is passed
	// through unchanged rather than failing with an opaque decoder error,
	// because the binary check already rejected invalid UTF-8.
	d.CharsetReader = func(_ string, r io.Reader) (io.Reader, error) { return r, nil }
	var root *node
	var stack []*node
	var text [][]byte
	for {
		line, col := d.InputPos()
		tok, err := d.Token()
		if err == io.EOF {
			break
		}
		if err != nil {
			pe := &parseError{Line: line, Col: col, Msg: err.Error()}
			var se *xml.SyntaxError
			if errors.As(err, &se) {
				pe.Line, pe.Col, pe.Msg = se.Line, 0, se.Msg
			}
			return nil, pe
		}
		switch t := tok.(type) {
		case xml.StartElement:
			n := &node{Name: t.Name.Local, Line: line, Col: col}
			if len(stack) == 0 {
				if root != nil {
					return nil, &parseError{Line: line, Col: col, Msg: "more than one root element"}
				}
				root = n
			} else {
				parent := stack[len(stack)-1]
				parent.Children = append(parent.Children, n)
			}
			stack = append(stack, n)
			text = append(text, nil)
		case xml.EndElement:
			n := stack[len(stack)-1]
			n.Text = string(bytes.TrimSpace(text[len(text)-1]))
			stack = stack[:len(stack)-1]
			text = text[:len(text)-1]
		case xml.CharData:
			if len(stack) > 0 {
				text[len(text)-1] = append(text[len(text)-1], t...)
			} else if len(bytes.TrimSpace(t)) > 0 {
				return nil, &parseError{Line: line, Col: col, Msg: "text outside the root element"}
			}
		}
	}
	if root == nil {
		return nil, &parseError{Line: 1, Col: 1, Msg: "no root element"}
	}
	return root, nil
}
