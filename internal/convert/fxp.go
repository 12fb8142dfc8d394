package convert

import (
	"fmt"
	"regexp"
	"strings"
)

// This file reproduces, for the XML found in Salesforce metadata, how the
// CLI turns decomposed source back into one file: source-deploy-retrieve
// parses every piece with fast-xml-parser 5 into a JavaScript object and
// writes the merged object with fast-xml-builder (4-space indent). Parsing
// into that object model loses information the builder then cannot restore
// (surrounding blanks of text, the interleaving of repeated elements), so
// the output only matches the CLI byte for byte when the same model is used.
// Mixed content (text beside child elements) has no faithful rendering and
// is refused.

// xvalue is a string or an *xobject, like a fast-xml-parser value.
type xvalue any

// xentry is one property of an object; several values make an array.
type xentry struct {
	key   string
	vals  []xvalue
	array bool
}

// xobject keeps property order, as JavaScript objects do for these keys.
type xobject struct {
	entries []*xentry
}

func (o *xobject) get(key string) *xentry {
	for _, e := range o.entries {
		if e.key == key {
			return e
		}
	}
	return nil
}

// add appends a value, turning a repeated key into an array at the place
// of its first occurrence, as fast-xml-parser does.
func (o *xobject) add(key string, v xvalue) {
	if e := o.get(key); e != nil {
		e.vals = append(e.vals, v)
		e.array = true
		return
	}
	o.entries = append(o.entries, &xentry{key: key, vals: []xvalue{v}})
}

// set replaces a key's value in place or appends it, like an object spread.
func (o *xobject) set(key string, vals []xvalue, array bool) {
	if e := o.get(key); e != nil {
		e.vals, e.array = vals, array
		return
	}
	o.entries = append(o.entries, &xentry{key: key, vals: vals, array: array})
}

func (o *xobject) without(key string) *xobject {
	out := &xobject{}
	for _, e := range o.entries {
		if e.key != key {
			out.entries = append(out.entries, e)
		}
	}
	return out
}

const (
	attrPrefix  = "@_"
	textKey     = "#text"
	cdataKey    = "__cdata"
	commentKey  = "#xml__comment"
	xmlDecl     = `<?xml version="1.0" encoding="UTF-8"?>` + "\n"
	metadataNS  = "http://soap.sforce.com/2006/04/metadata"
	nsAttribute = attrPrefix + "xmlns"
)

// jsTrim trims the characters JavaScript's String.prototype.trim removes.
func jsTrim(s string) string {
	return strings.TrimFunc(s, func(r rune) bool {
		switch r {
		case '\t', '\n', '\v', '\f', '\r', ' ', 0xa0, 0x1680, 0x2028, 0x2029, 0x202f, 0x205f, 0x3000, 0xfeff:
			return true
		}
		return r >= 0x2000 && r <= 0x200a
	})
}

// decodeEntities undoes the five XML entities; numeric references stay as
// written, because fast-xml-parser leaves them alone with these options.
func decodeEntities(s string) string {
	if !strings.Contains(s, "&") {
		return s
	}
	// &amp; goes last, so "&amp;lt;" becomes "&lt;" and not "<".
	for _, r := range [][2]string{{"&lt;", "<"}, {"&gt;", ">"}, {"&apos;", "'"}, {"&quot;", `"`}, {"&amp;", "&"}} {
		s = strings.ReplaceAll(s, r[0], r[1])
	}
	return s
}

type xmlParser struct {
	src   string
	pos   int
	file  string
	depth int
}

// maxDepth bounds element nesting. Metadata documents nest a handful of
// levels (a CustomObject's deepest element is 4 down); the bound keeps a
// hostile file of a million levels from exhausting the stack.
const maxDepth = 64

func (p *xmlParser) errorf(format string, args ...any) error {
	line := strings.Count(p.src[:min(p.pos, len(p.src))], "\n") + 1
	return fmt.Errorf("%s:%d: %s", p.file, line, fmt.Sprintf(format, args...))
}

// parseXML parses a metadata document into the fast-xml-parser object
// model: {rootName: value}. Only the root element is kept; the declaration
// is dropped and anything else outside the root is refused.
func parseXML(file string, data []byte) (string, xvalue, error) {
	src := string(data)
	src = strings.TrimPrefix(src, "\ufeff")
	p := &xmlParser{src: src, file: file}
	var rootName string
	var root xvalue
	for {
		p.skipSpace()
		if p.pos >= len(p.src) {
			break
		}
		switch {
		case strings.HasPrefix(p.src[p.pos:], "<?xml"):
			end := strings.Index(p.src[p.pos:], "?>")
			if end < 0 {
				return "", nil, p.errorf("unterminated XML declaration")
			}
			p.pos += end + 2
		case strings.HasPrefix(p.src[p.pos:], "<!--"), strings.HasPrefix(p.src[p.pos:], "<?"), strings.HasPrefix(p.src[p.pos:], "<!"):
			return "", nil, p.errorf("comments, processing instructions and DOCTYPEs outside the root element are not converted faithfully; remove them")
		case p.src[p.pos] == '<':
			if rootName != "" {
				return "", nil, p.errorf("a second root element; a metadata file has exactly one")
			}
			name, v, err := p.element()
			if err != nil {
				return "", nil, err
			}
			rootName, root = name, v
		default:
			return "", nil, p.errorf("text outside the root element")
		}
	}
	if rootName == "" {
		return "", nil, p.errorf("no root element")
	}
	return rootName, root, nil
}

func (p *xmlParser) skipSpace() {
	for p.pos < len(p.src) && strings.ContainsRune(" \t\r\n", rune(p.src[p.pos])) {
		p.pos++
	}
}

func isNameByte(c byte) bool {
	return c != ' ' && c != '\t' && c != '\r' && c != '\n' && c != '/' && c != '>' && c != '=' && c != '<' && c != '"' && c != '\''
}

func (p *xmlParser) name() string {
	start := p.pos
	for p.pos < len(p.src) && isNameByte(p.src[p.pos]) {
		p.pos++
	}
	return p.src[start:p.pos]
}

// element parses from '<' of a start tag to the end of its end tag.
func (p *xmlParser) element() (string, xvalue, error) {
	p.depth++
	defer func() { p.depth-- }()
	if p.depth > maxDepth {
		return "", nil, p.errorf("elements nest more than %d levels deep; no metadata type nests like that, so the file is refused", maxDepth)
	}
	p.pos++ // <
	name := p.name()
	if name == "" {
		return "", nil, p.errorf("element without a name")
	}
	var attrs [][2]string
	selfClosing := false
	for {
		p.skipSpace()
		if p.pos >= len(p.src) {
			return "", nil, p.errorf("unterminated start tag <%s>", name)
		}
		if strings.HasPrefix(p.src[p.pos:], "/>") {
			p.pos += 2
			selfClosing = true
			break
		}
		if p.src[p.pos] == '>' {
			p.pos++
			break
		}
		an := p.name()
		if an == "" {
			return "", nil, p.errorf("bad attribute in <%s>", name)
		}
		p.skipSpace()
		if p.pos >= len(p.src) || p.src[p.pos] != '=' {
			return "", nil, p.errorf("attribute %s of <%s> has no value", an, name)
		}
		p.pos++
		p.skipSpace()
		if p.pos >= len(p.src) || (p.src[p.pos] != '"' && p.src[p.pos] != '\'') {
			return "", nil, p.errorf("attribute %s of <%s> must be quoted", an, name)
		}
		q := p.src[p.pos]
		end := strings.IndexByte(p.src[p.pos+1:], q)
		if end < 0 {
			return "", nil, p.errorf("unterminated attribute %s", an)
		}
		attrs = append(attrs, [2]string{an, decodeEntities(p.src[p.pos+1 : p.pos+1+end])})
		p.pos += end + 2
	}
	obj := &xobject{}
	var text strings.Builder
	// pieces are the element's non-blank texts between child nodes, each
	// trimmed, as fast-xml-parser keeps them; it joins them into one #text
	// after the children.
	var pieces []string
	hasChildNodes, hasSpecial := false, false
	if !selfClosing {
		for {
			if p.pos >= len(p.src) {
				return "", nil, p.errorf("element <%s> is not closed", name)
			}
			rest := p.src[p.pos:]
			switch {
			case strings.HasPrefix(rest, "</"):
				p.pos += 2
				if got := p.name(); got != name {
					return "", nil, p.errorf("</%s> closes <%s>", got, name)
				}
				p.skipSpace()
				if p.pos >= len(p.src) || p.src[p.pos] != '>' {
					return "", nil, p.errorf("bad end tag </%s>", name)
				}
				p.pos++
				goto done
			case strings.HasPrefix(rest, "<!--"):
				// Search after "<!--", so "<!-->" is not its own end.
				end := strings.Index(rest[4:], "-->")
				if end < 0 {
					return "", nil, p.errorf("unterminated comment")
				}
				end += 4
				obj.add(commentKey, rest[4:end])
				hasChildNodes, hasSpecial = true, true
				p.pos += end + 3
			case strings.HasPrefix(rest, "<![CDATA["):
				end := strings.Index(rest, "]]>")
				if end < 0 {
					return "", nil, p.errorf("unterminated CDATA section")
				}
				obj.add(cdataKey, rest[9:end])
				hasChildNodes, hasSpecial = true, true
				p.pos += end + 3
			case strings.HasPrefix(rest, "<?"), strings.HasPrefix(rest, "<!"):
				return "", nil, p.errorf("processing instructions and declarations inside elements are not converted faithfully")
			case rest[0] == '<':
				cn, cv, err := p.element()
				if err != nil {
					return "", nil, err
				}
				obj.add(cn, cv)
				hasChildNodes = true
			default:
				end := strings.IndexByte(rest, '<')
				if end < 0 {
					end = len(rest)
				}
				text.WriteString(rest[:end])
				if piece := jsTrim(rest[:end]); piece != "" {
					pieces = append(pieces, decodeEntities(piece))
				}
				p.pos += end
			}
		}
	}
done:
	t := jsTrim(text.String())
	if t != "" && hasSpecial {
		return "", nil, p.errorf("<%s> mixes text with comments or CDATA; byocpack does not reproduce how the CLI's XML model keeps that layout, so it is refused", name)
	}
	if t != "" && hasChildNodes {
		// Stray text between child elements (easy-spaces-lwc's
		// "</valueSetDefinition>>") deploys; the CLI writes it, joined,
		// after the children.
		obj.add(textKey, strings.Join(pieces, ""))
		t = ""
	}
	if !hasChildNodes && len(attrs) == 0 {
		return name, decodeEntities(t), nil
	}
	if t != "" {
		obj.add(textKey, decodeEntities(t))
	}
	for _, a := range attrs {
		obj.add(attrPrefix+a[0], a[1])
	}
	return name, obj, nil
}

// escapeText is fast-xml-builder's entity table, applied in its order.
func escapeText(s string) string {
	s = strings.ReplaceAll(s, "&", "&amp;")
	s = strings.ReplaceAll(s, ">", "&gt;")
	s = strings.ReplaceAll(s, "<", "&lt;")
	s = strings.ReplaceAll(s, "'", "&apos;")
	return strings.ReplaceAll(s, `"`, "&quot;")
}

func safeComment(s string) string {
	s = strings.ReplaceAll(s, "--", "- -")
	s = strings.ReplaceAll(s, "--", "- -")
	if strings.HasSuffix(s, "-") {
		s += " "
	}
	return s
}

type xmlBuilder struct{}

func indent(level int) string { return strings.Repeat("    ", level) }

// members renders an object's properties; attributes go to attrs.
func (x *xmlBuilder) members(o *xobject, level int) (attrs, body string) {
	var a, v strings.Builder
	for _, e := range o.entries {
		switch {
		case strings.HasPrefix(e.key, attrPrefix):
			for _, val := range e.vals {
				s, _ := val.(string)
				s = strings.ReplaceAll(strings.ReplaceAll(escapeText(s), `"`, "&quot;"), "'", "&apos;")
				fmt.Fprintf(&a, ` %s="%s"`, e.key[len(attrPrefix):], s)
			}
		case e.key == textKey:
			s, _ := e.vals[0].(string)
			v.WriteString(escapeText(s))
		default:
			for _, val := range e.vals {
				switch t := val.(type) {
				case string:
					v.WriteString(textNode(t, e.key, "", level))
				case *xobject:
					v.WriteString(x.objectNode(t, e.key, level))
				}
			}
		}
	}
	return a.String(), v.String()
}

func textNode(s, key, attrs string, level int) string {
	switch key {
	case cdataKey:
		return indent(level) + "<![CDATA[" + strings.ReplaceAll(s, "]]>", "]]]]><![CDATA[>") + "]]>\n"
	case commentKey:
		return indent(level) + "<!--" + safeComment(s) + "-->\n"
	}
	t := escapeText(s)
	if t == "" {
		return indent(level) + "<" + key + attrs + "></" + key + ">\n"
	}
	return indent(level) + "<" + key + attrs + ">" + t + "</" + key + ">\n"
}

func (x *xmlBuilder) objectNode(o *xobject, key string, level int) string {
	attrs, body := x.members(o, level+1)
	if len(o.entries) == 1 && o.entries[0].key == textKey {
		s, _ := o.entries[0].vals[0].(string)
		return textNode(s, key, attrs, level)
	}
	switch {
	case body == "":
		return indent(level) + "<" + key + attrs + "></" + key + ">\n"
	case !strings.Contains(body, "<"):
		return indent(level) + "<" + key + attrs + ">" + body + "</" + key + ">\n"
	}
	return indent(level) + "<" + key + attrs + ">\n" + body + indent(level) + "</" + key + ">\n"
}

// Patterns of the CLI's two post-processing steps; JavaScript's \s and "."
// are spelled out because RE2's differ from them.
const jsSpace = `[\t\n\v\f\r \x{a0}\x{1680}\x{2000}-\x{200a}\x{2028}\x{2029}\x{202f}\x{205f}\x{3000}\x{feff}]`

func commentPattern() *regexp.Regexp {
	return regexp.MustCompile(jsSpace + `+<!--([^\n\r\x{2028}\x{2029}]*?)-->` + jsSpace + `+`)
}

func numericRefPattern() *regexp.Regexp { return regexp.MustCompile(`&amp;#(x?[0-9a-fA-F]+);`) }

// renderXML writes {rootName: root} with the declaration, as the CLI's
// JsToXml stream does, including its fix-ups of numeric character
// references and of blanks around comments.
func renderXML(rootName string, root *xobject) string {
	x := &xmlBuilder{}
	out := xmlDecl + numericRefPattern().ReplaceAllString(x.objectNode(root, rootName, 0), "&#$1;")
	if strings.Contains(out, "<!--") {
		out = commentPattern().ReplaceAllString(out, "<!--$1-->")
	}
	return out
}
