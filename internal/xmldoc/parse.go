// Package xmldoc reads a metadata file once into an element tree that both
// the content-model check and the BYOC rules use, keeping what fmt needs
// to rewrite it without touching a value (each leaf's raw text, the
// prefixes as written), and writes such a tree back in the layout a
// Salesforce retrieve writes. The same writer produces render's output,
// so a formatted file and a rendered one are the same bytes.
package xmldoc

import (
	"bytes"
	"encoding/xml"
	"errors"
	"fmt"
	"io"
	"strings"
)

// MaxDepth bounds element nesting. Metadata documents nest a handful of
// levels (CustomObject's deepest is under ten); a file nested deeper is
// refused at once, so a million-level file costs neither time nor memory.
const MaxDepth = 64

// Attr is one attribute as written.
type Attr struct {
	Prefix, Local string
	// Space is the namespace the prefix stands for ("" without a prefix:
	// attributes take no default namespace).
	Space string
	Value string
}

// IsNamespaceDecl reports whether the attribute declares a namespace
// (xmlns or xmlns:p).
func (a Attr) IsNamespaceDecl() bool {
	return (a.Prefix == "" && a.Local == "xmlns") || a.Prefix == "xmlns"
}

// Element is one element of a document.
type Element struct {
	Prefix, Local string // as written
	Space         string // the namespace the prefix (or the default) stands for
	Attrs         []Attr
	Line, Col     int // of the start tag
	Children      []*Element
	// Text is the character data directly inside, decoded and untrimmed,
	// pieces between child elements included.
	Text string
	// Raw is what a leaf holds between its tags, byte for byte (entity
	// references and CDATA sections as written); nil when the element has
	// child elements.
	Raw []byte
	// EndLine is the line of the end tag.
	EndLine int
}

// HasText reports whether the element holds character data other than
// white space.
func (e *Element) HasText() bool { return strings.TrimSpace(e.Text) != "" }

// Document is one parsed file.
type Document struct {
	Root *Element
	// Comments, PIs: the file holds comments, or processing instructions
	// other than the XML declaration. fmt leaves such files alone.
	Comments, PIs bool
	// Elements counts the elements.
	Elements int
}

// SyntaxError is a file that is not well-formed XML (or nests deeper than
// MaxDepth), with where the reading stopped.
type SyntaxError struct {
	Line, Col int
	Msg       string
}

func (e *SyntaxError) Error() string { return fmt.Sprintf("line %d: %s", e.Line, e.Msg) }

// encodingError is returned by the decoder's charset hook: Metadata API
// files are UTF-8.
type encodingError struct{ label string }

func (e *encodingError) Error() string { return "encoding " + e.label }

// Parse reads data, which must be UTF-8 (a leading byte-order mark is
// skipped). Anything that is not well-formed, a DTD, an undeclared
// namespace prefix, a declared encoding other than UTF-8 and nesting
// beyond MaxDepth are a *SyntaxError.
func Parse(data []byte) (*Document, error) {
	data = bytes.TrimPrefix(data, []byte("\xef\xbb\xbf"))
	d := xml.NewDecoder(bytes.NewReader(data))
	d.Strict = true
	d.CharsetReader = func(label string, r io.Reader) (io.Reader, error) {
		if strings.EqualFold(label, "utf-8") || strings.EqualFold(label, "utf8") {
			return r, nil
		}
		return nil, &encodingError{label}
	}
	doc := &Document{}
	type frame struct {
		el           *Element
		ns           map[string]string // declarations on this element
		contentStart int64
		text         []byte
	}
	var stack []frame
	lookup := func(prefix string) (string, bool) {
		switch prefix {
		case "xml":
			return "http://www.w3.org/XML/1998/namespace", true
		case "xmlns":
			return "http://www.w3.org/2000/xmlns/", true
		}
		for i := len(stack) - 1; i >= 0; i-- {
			if ns, ok := stack[i].ns[prefix]; ok {
				return ns, true
			}
		}
		return "", prefix == ""
	}
	seenRoot := false
	for {
		line, col := d.InputPos()
		start := d.InputOffset()
		tok, err := d.RawToken()
		if err == io.EOF {
			break
		}
		if err != nil {
			return nil, syntaxError(err, line, col, func() string {
				if len(stack) > 0 {
					return stack[len(stack)-1].el.Local
				}
				return ""
			}())
		}
		switch t := tok.(type) {
		case xml.StartElement:
			if len(stack) == 0 && seenRoot {
				return nil, &SyntaxError{line, col, "more than one root element"}
			}
			if len(stack) >= MaxDepth {
				return nil, &SyntaxError{line, col, fmt.Sprintf("elements nest more than %d levels deep; no metadata type nests like that, so the file is refused", MaxDepth)}
			}
			seenRoot = true
			doc.Elements++
			el := &Element{Prefix: t.Name.Space, Local: t.Name.Local, Line: line, Col: col}
			var decl map[string]string
			for _, a := range t.Attr {
				at := Attr{Prefix: a.Name.Space, Local: a.Name.Local, Value: a.Value}
				if at.IsNamespaceDecl() {
					if decl == nil {
						decl = map[string]string{}
					}
					if at.Prefix == "" {
						decl[""] = a.Value
					} else {
						if a.Value == "" {
							return nil, &SyntaxError{line, col, fmt.Sprintf("xmlns:%s is declared empty, which XML 1.0 namespaces do not allow", at.Local)}
						}
						decl[at.Local] = a.Value
					}
				}
				el.Attrs = append(el.Attrs, at)
			}
			stack = append(stack, frame{el: el, ns: decl, contentStart: d.InputOffset()})
			ns, ok := lookup(el.Prefix)
			if !ok {
				return nil, &SyntaxError{line, col, fmt.Sprintf("namespace prefix %q of <%s:%s> is not declared", el.Prefix, el.Prefix, el.Local)}
			}
			el.Space = ns
			for i := range el.Attrs {
				a := &el.Attrs[i]
				if a.Prefix == "" || a.IsNamespaceDecl() {
					continue
				}
				ns, ok := lookup(a.Prefix)
				if !ok {
					return nil, &SyntaxError{line, col, fmt.Sprintf("namespace prefix %q of attribute %s:%s is not declared", a.Prefix, a.Prefix, a.Local)}
				}
				a.Space = ns
			}
			if len(stack) > 1 {
				parent := stack[len(stack)-2].el
				parent.Children = append(parent.Children, el)
			} else {
				doc.Root = el
			}
		case xml.EndElement:
			if len(stack) == 0 {
				return nil, &SyntaxError{line, col, fmt.Sprintf("end tag </%s> without a start tag", qname(t.Name))}
			}
			f := stack[len(stack)-1]
			if t.Name.Space != f.el.Prefix || t.Name.Local != f.el.Local {
				return nil, &SyntaxError{line, 0, fmt.Sprintf("element <%s> closed by </%s>", qname(xml.Name{Space: f.el.Prefix, Local: f.el.Local}), qname(t.Name))}
			}
			f.el.Text = string(f.text)
			if len(f.el.Children) == 0 {
				f.el.Raw = data[f.contentStart:start:start]
			}
			f.el.EndLine = line
			stack = stack[:len(stack)-1]
		case xml.CharData:
			if len(stack) == 0 {
				if len(bytes.TrimSpace(t)) > 0 {
					return nil, &SyntaxError{line, col, "text outside the root element"}
				}
				continue
			}
			f := &stack[len(stack)-1]
			f.text = append(f.text, t...)
		case xml.Comment:
			doc.Comments = true
		case xml.ProcInst:
			if t.Target != "xml" {
				doc.PIs = true
			}
		case xml.Directive:
			return nil, &SyntaxError{line, col, "DTDs and entity declarations are not allowed in Metadata API files"}
		}
	}
	if len(stack) > 0 {
		line, _ := d.InputPos()
		return nil, &SyntaxError{line, 0, fmt.Sprintf("the file ends before <%s> is closed (truncated?)", stack[len(stack)-1].el.Local)}
	}
	if doc.Root == nil {
		return nil, &SyntaxError{1, 1, "no root element"}
	}
	return doc, nil
}

func qname(n xml.Name) string {
	if n.Space == "" {
		return n.Local
	}
	return n.Space + ":" + n.Local
}

func syntaxError(err error, line, col int, inside string) *SyntaxError {
	var ee *encodingError
	if errors.As(err, &ee) {
		return &SyntaxError{1, 1, fmt.Sprintf("the file declares the encoding %q; Metadata API files are UTF-8", ee.label)}
	}
	var se *xml.SyntaxError
	if errors.As(err, &se) {
		msg := se.Msg
		if msg == "unexpected EOF" && inside != "" {
			msg = fmt.Sprintf("the file ends before <%s> is closed (truncated?)", inside)
		}
		return &SyntaxError{se.Line, 0, msg}
	}
	return &SyntaxError{line, col, err.Error()}
}
