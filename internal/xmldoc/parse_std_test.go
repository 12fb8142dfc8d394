package xmldoc

import (
	"bytes"
	"encoding/xml"
	"errors"
	"fmt"
	"io"
	"strings"
)

// stdParse is the first parser of this package, over encoding/xml: the
// oracle the fuzz test holds Parse against.

// encodingError is returned by the decoder's charset hook: Metadata API
// files are UTF-8.
type encodingError struct{ label string }

func (e *encodingError) Error() string { return "encoding " + e.label }

func stdParse(data []byte) (*Document, error) {
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
				return nil, &SyntaxError{line, col, fmt.Sprintf("end tag </%s> without a start tag", stdQname(t.Name))}
			}
			f := stack[len(stack)-1]
			if t.Name.Space != f.el.Prefix || t.Name.Local != f.el.Local {
				return nil, &SyntaxError{line, 0, fmt.Sprintf("element <%s> closed by </%s>", stdQname(xml.Name{Space: f.el.Prefix, Local: f.el.Local}), stdQname(t.Name))}
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

func stdQname(n xml.Name) string {
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
