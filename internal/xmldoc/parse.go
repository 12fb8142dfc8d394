// Package xmldoc reads a metadata file once into an element tree that both
// the content-model check and the BYOC rules use, keeping what fmt needs
// to rewrite it without touching a value (each leaf's raw text, the
// prefixes as written), and writes such a tree back in the layout a
// Salesforce retrieve writes. The same writer produces render's output,
// so a formatted file and a rendered one are the same bytes.
//
// The parser is a strict XML 1.0 (with namespaces) reader written for
// this: encoding/xml took three quarters of validate's time and is more
// lenient than libxml2 in places. The tests hold encoding/xml's verdict
// and tree against it on fuzzed input, and the differential test of
// internal/xsdcheck holds xmllint's.
package xmldoc

import (
	"bytes"
	"fmt"
	"maps"
	"slices"
	"strings"
	"sync"
	"sync/atomic"
	"unicode/utf8"
	"unsafe"
)

// MaxDepth bounds element nesting. Metadata documents nest a handful of
// levels (CustomObject's deepest is under ten); a file nested deeper is
// refused at once, so a million-level file costs neither time nor memory.
const MaxDepth = 64

// MaxElements bounds the elements of one document, so that a file of
// millions of tiny elements cannot take a gigabyte to hold. A retrieved
// profile of a large org, the biggest metadata file in practice, has some
// tens of thousands.
const MaxElements = 500_000

// Attr is one attribute as written.
type Attr struct {
	Prefix, Local string
	// Space is the namespace the prefix stands for ("" without a prefix:
	// attributes take no default namespace).
	Space string
	// Value is the attribute's value after XML's normalization (references
	// replaced, white space characters turned into spaces).
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
	Line, Col     int // of the start tag; Col counts bytes from 1
	Children      []*Element
	// Text is the character data directly inside, decoded and untrimmed,
	// pieces between child elements included, line ends normalized to LF.
	// Between child elements, white space alone is left out unless the
	// element holds other text too.
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
func (e *Element) HasText() bool {
	for i := 0; i < len(e.Text); i++ {
		if !isSpace(e.Text[i]) {
			return true
		}
	}
	return false
}

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

const (
	nsXML   = "http://www.w3.org/XML/1998/namespace"
	nsXMLNS = "http://www.w3.org/2000/xmlns/"
)

// Trace, when a test sets it, is called with the bytes of every document
// Parse is given, so that a test can show a command parses each file at
// most once. Set it only while no command runs.
var Trace func(data []byte)

// Parse reads data, which must be UTF-8 (a leading byte-order mark is
// skipped). The document shares data's bytes (Raw, and Text where it is a
// run of the input as written): data must not change while it is in use. Anything that is not well-formed XML 1.0 with namespaces, a
// DTD, a declared encoding other than UTF-8 and nesting beyond MaxDepth
// are a *SyntaxError.
func Parse(data []byte) (*Document, error) {
	if Trace != nil {
		Trace(data)
	}
	data = bytes.TrimPrefix(data, []byte("\xef\xbb\xbf"))
	p := &parser{data: data, line: 1, doc: &Document{}, stack: make([]frame, 0, 8), kids: make([]*Element, 0, 32)}
	if err := p.document(); err != nil {
		return nil, err
	}
	return p.doc, nil
}

type frame struct {
	el           *Element
	ns           []nsDecl // declared on this element
	contentStart int
	text         []byte // decoded text, when it needed decoding
	simple       bool   // text so far is data[textStart:textEnd] as is
	textStart    int
	textEnd      int
	pieces       int  // character data pieces seen
	kids         int  // where its children start in parser.kids
	nonSpace     bool // some text is not white space
}

type nsDecl struct{ prefix, uri string }

type parser struct {
	data     []byte
	pos      int
	elements int
	// line bookkeeping: line is the line of lineOff's byte, lineStart the
	// offset where that line starts.
	line, lineStart, lineOff int
	doc                      *Document
	stack                    []frame
	slab                     []Element
	// kids collects the children of the open elements; each gets a slice
	// of exactly its own at its end tag.
	kids []*Element
}

// lineCol returns the position of offset off, which never goes back.
func (p *parser) lineCol(off int) (int, int) {
	if off > p.lineOff {
		chunk := p.data[p.lineOff:off]
		if n := bytes.Count(chunk, []byte{'\n'}); n > 0 {
			p.line += n
			p.lineStart = p.lineOff + bytes.LastIndexByte(chunk, '\n') + 1
		}
		p.lineOff = off
	}
	return p.line, off - p.lineStart + 1
}

func (p *parser) errAt(off int, format string, args ...any) *SyntaxError {
	off = min(off, len(p.data))
	line, col := p.lineCol(max(off, p.lineOff))
	return &SyntaxError{Line: line, Col: col, Msg: fmt.Sprintf(format, args...)}
}

func (p *parser) newElement() *Element {
	if len(p.slab) == 0 {
		// As many as the file has start tags, up to 256: counting stops at
		// the 256th, as counting all that remain for each slab made a file
		// of 60 MB of tiny elements take seconds before its element bound.
		n, rest := 0, p.data[p.pos:]
		for n < 256 {
			i := bytes.IndexByte(rest, '<')
			if i < 0 {
				break
			}
			n, rest = n+1, rest[i+1:]
		}
		p.slab = make([]Element, n+1)
	}
	e := &p.slab[0]
	p.slab = p.slab[1:]
	return e
}

func (p *parser) document() error {
	d := p.data
	if bytes.HasPrefix(d, []byte("<?xml")) && len(d) > 5 && isSpace(d[5]) {
		if err := p.declaration(); err != nil {
			return err
		}
	}
	seenRoot := false
	for p.pos < len(d) {
		c := d[p.pos]
		if c != '<' {
			start := p.pos
			if len(p.stack) == 0 {
				for p.pos < len(d) && isSpace(d[p.pos]) {
					p.pos++
				}
				if p.pos < len(d) && d[p.pos] != '<' {
					return p.errAt(p.pos, "text outside the root element")
				}
				continue
			}
			if err := p.charData(start); err != nil {
				return err
			}
			continue
		}
		switch {
		case bytes.HasPrefix(d[p.pos:], []byte("<!--")):
			if err := p.comment(); err != nil {
				return err
			}
		case bytes.HasPrefix(d[p.pos:], []byte("<?")):
			if err := p.pi(); err != nil {
				return err
			}
		case bytes.HasPrefix(d[p.pos:], []byte("<![CDATA[")):
			if len(p.stack) == 0 {
				return p.errAt(p.pos, "CDATA section outside the root element")
			}
			if err := p.cdata(); err != nil {
				return err
			}
		case bytes.HasPrefix(d[p.pos:], []byte("<!")):
			return p.errAt(p.pos, "DTDs and entity declarations are not allowed in Metadata API files")
		case p.pos+1 < len(d) && d[p.pos+1] == '/':
			if err := p.endTag(); err != nil {
				return err
			}
		default:
			if len(p.stack) == 0 && seenRoot {
				return p.errAt(p.pos, "more than one root element")
			}
			seenRoot = true
			if err := p.startTag(); err != nil {
				return err
			}
		}
	}
	if len(p.stack) > 0 {
		return p.errAt(len(d), "the file ends before <%s> is closed (truncated?)", p.stack[len(p.stack)-1].el.Local)
	}
	if p.doc.Root == nil {
		return &SyntaxError{Line: 1, Col: 1, Msg: "no root element"}
	}
	return nil
}

func isSpace(c byte) bool { return c == ' ' || c == '\t' || c == '\n' || c == '\r' }

func allSpace(b []byte) bool {
	for _, c := range b {
		if !isSpace(c) {
			return false
		}
	}
	return true
}

func (p *parser) skipSpace() bool {
	start := p.pos
	for p.pos < len(p.data) && isSpace(p.data[p.pos]) {
		p.pos++
	}
	return p.pos > start
}

// declaration reads <?xml version="1.0" encoding="UTF-8" standalone="yes"?>.
func (p *parser) declaration() error {
	start := p.pos
	p.pos += len("<?xml")
	next := 0 // the attributes come in this order, each at most once
	for {
		sp := p.skipSpace()
		if bytes.HasPrefix(p.data[p.pos:], []byte("?>")) {
			p.pos += 2
			break
		}
		if !sp {
			return p.errAt(p.pos, "malformed XML declaration")
		}
		name, ok := p.nameBytes()
		if !ok {
			return p.errAt(p.pos, "malformed XML declaration")
		}
		i := slices.Index(declAttrs, string(name))
		if next == 0 && i != 0 {
			return p.errAt(start, "the XML declaration has no version")
		}
		if i < next {
			return p.errAt(p.pos, "malformed XML declaration: %q is not allowed here", name)
		}
		next = i + 1
		p.skipSpace()
		if p.pos >= len(p.data) || p.data[p.pos] != '=' {
			return p.errAt(p.pos, "malformed XML declaration")
		}
		p.pos++
		p.skipSpace()
		v, ok := p.quoted()
		if !ok {
			return p.errAt(p.pos, "malformed XML declaration")
		}
		switch i {
		case 0:
			if string(v) != "1.0" {
				return p.errAt(start, "XML version %q is not supported; Metadata API files are XML 1.0", v)
			}
		case 1:
			if len(v) == 0 || len(bytes.Trim(v, "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789._-")) > 0 {
				return p.errAt(start, "malformed XML declaration: encoding %q", v)
			}
			if !bytes.EqualFold(v, []byte("utf-8")) && !bytes.EqualFold(v, []byte("utf8")) {
				return &SyntaxError{Line: 1, Col: 1, Msg: fmt.Sprintf("the file declares the encoding %q; Metadata API files are UTF-8", v)}
			}
		case 2:
			if string(v) != "yes" && string(v) != "no" {
				return p.errAt(start, "standalone must be yes or no, not %q", v)
			}
		}
	}
	if next == 0 {
		return p.errAt(start, "the XML declaration has no version")
	}
	return nil
}

var declAttrs = []string{"version", "encoding", "standalone"}

// quoted reads a quoted literal with no references (declaration values).
func (p *parser) quoted() ([]byte, bool) {
	if p.pos >= len(p.data) || (p.data[p.pos] != '"' && p.data[p.pos] != '\'') {
		return nil, false
	}
	q := p.data[p.pos]
	end := bytes.IndexByte(p.data[p.pos+1:], q)
	if end < 0 {
		return nil, false
	}
	v := p.data[p.pos+1 : p.pos+1+end]
	p.pos += end + 2
	return v, true
}

func (p *parser) comment() error {
	start := p.pos
	body := p.data[p.pos+4:]
	end := bytes.Index(body, []byte("--"))
	if end < 0 {
		return p.errAt(len(p.data), "the file ends inside a comment")
	}
	if end+2 >= len(body) || body[end+2] != '>' {
		return p.errAt(start, "\"--\" inside a comment")
	}
	if err := p.chars(body[:end], p.pos+4); err != nil {
		return err
	}
	p.pos += 4 + end + 3
	p.doc.Comments = true
	return nil
}

func (p *parser) pi() error {
	start := p.pos
	p.pos += 2
	target, ok := p.name()
	if !ok {
		return p.errAt(start, "malformed processing instruction")
	}
	if strings.EqualFold(target, "xml") {
		return p.errAt(start, "the XML declaration is allowed only at the start of the file")
	}
	if strings.Contains(target, ":") {
		return p.errAt(start, "processing instruction target %q has a colon", target)
	}
	end := bytes.Index(p.data[p.pos:], []byte("?>"))
	if end < 0 {
		return p.errAt(len(p.data), "the file ends inside a processing instruction")
	}
	if end > 0 && !isSpace(p.data[p.pos]) {
		return p.errAt(start, "malformed processing instruction")
	}
	if err := p.chars(p.data[p.pos:p.pos+end], p.pos); err != nil {
		return err
	}
	p.pos += end + 2
	p.doc.PIs = true
	return nil
}

func (p *parser) cdata() error {
	start := p.pos + len("<![CDATA[")
	end := bytes.Index(p.data[start:], []byte("]]>"))
	if end < 0 {
		return p.errAt(len(p.data), "the file ends inside a CDATA section")
	}
	body := p.data[start : start+end]
	if err := p.chars(body, start); err != nil {
		return err
	}
	f := &p.stack[len(p.stack)-1]
	p.flatten(f)
	f.text = appendNormalized(f.text, body)
	f.pieces++
	p.pos = start + end + 3
	return nil
}

// flatten turns the text of f into a decoded buffer, for a piece that is
// not a plain run of the source.
func (p *parser) flatten(f *frame) {
	if f.simple {
		f.text = appendNormalized(f.text[:0], p.data[f.textStart:f.textEnd])
		f.simple = false
	}
}

// appendNormalized appends b with CRLF and CR turned into LF, as XML
// parsers hand text to applications.
func appendNormalized(dst, b []byte) []byte {
	for {
		i := bytes.IndexByte(b, '\r')
		if i < 0 {
			return append(dst, b...)
		}
		dst = append(dst, b[:i]...)
		dst = append(dst, '\n')
		b = b[i+1:]
		if len(b) > 0 && b[0] == '\n' {
			b = b[1:]
		}
	}
}

// chars checks that b holds only characters XML allows.
func (p *parser) chars(b []byte, off int) error {
	for i := 0; i < len(b); {
		c := b[i]
		if c >= 0x20 && c < 0x80 {
			i++
			continue
		}
		if c < 0x80 {
			if c == '\t' || c == '\n' || c == '\r' {
				i++
				continue
			}
			return p.errAt(off+i, "character U+%04X is not allowed in XML", c)
		}
		r, n := utf8.DecodeRune(b[i:])
		if r == utf8.RuneError && n <= 1 {
			return p.errAt(off+i, "invalid UTF-8")
		}
		if !isXMLChar(r) {
			return p.errAt(off+i, "character U+%04X is not allowed in XML", r)
		}
		i += n
	}
	return nil
}

func isXMLChar(r rune) bool {
	return r == 0x9 || r == 0xA || r == 0xD || (r >= 0x20 && r <= 0xD7FF) || (r >= 0xE000 && r <= 0xFFFD) || (r >= 0x10000 && r <= 0x10FFFF)
}

// charData reads text up to the next '<' into the open element.
func (p *parser) charData(start int) error {
	d := p.data
	end := bytes.IndexByte(d[start:], '<')
	if end < 0 {
		end = len(d)
	} else {
		end += start
	}
	run := d[start:end]
	if i := bytes.Index(run, []byte("]]>")); i >= 0 {
		return p.errAt(start+i, "\"]]>\" is not allowed in text")
	}
	if err := p.chars(run, start); err != nil {
		return err
	}
	f := &p.stack[len(p.stack)-1]
	if f.pieces > 0 && len(p.kids) > f.kids && !f.nonSpace && allSpace(run) {
		// Indentation between child elements: nothing to keep.
		p.pos = end
		return nil
	}
	plain := bytes.IndexByte(run, '&') < 0 && bytes.IndexByte(run, '\r') < 0
	if !f.nonSpace && !allSpace(run) {
		f.nonSpace = true
	}
	switch {
	case plain && f.pieces == 0:
		f.simple, f.textStart, f.textEnd = true, start, end
	default:
		p.flatten(f)
		if plain {
			f.text = append(f.text, run...)
		} else {
			var err error
			if f.text, err = p.decode(f.text, run, start, false); err != nil {
				return err
			}
		}
	}
	f.pieces++
	p.pos = end
	return nil
}

// decode appends run with its references replaced (and, in attribute
// values, white space characters turned into spaces).
func (p *parser) decode(dst, run []byte, off int, attr bool) ([]byte, error) {
	for i := 0; i < len(run); {
		c := run[i]
		switch {
		case c == '&':
			semi := bytes.IndexByte(run[i:], ';')
			if semi < 0 {
				return nil, p.errAt(off+i, "\"&\" must start a reference such as &amp;")
			}
			ref := string(run[i+1 : i+semi])
			r, ok := reference(ref)
			if !ok {
				return nil, p.errAt(off+i, "undefined entity &%s;", ref)
			}
			if !isXMLChar(r) {
				return nil, p.errAt(off+i, "character reference &%s; is not an XML character", ref)
			}
			dst = utf8.AppendRune(dst, r)
			i += semi + 1
		case c == '\r':
			if attr {
				dst = append(dst, ' ')
			} else {
				dst = append(dst, '\n')
			}
			i++
			if i < len(run) && run[i] == '\n' {
				i++
			}
		case attr && (c == '\n' || c == '\t'):
			dst = append(dst, ' ')
			i++
		default:
			dst = append(dst, c)
			i++
		}
	}
	return dst, nil
}

func reference(ref string) (rune, bool) {
	switch ref {
	case "lt":
		return '<', true
	case "gt":
		return '>', true
	case "amp":
		return '&', true
	case "quot":
		return '"', true
	case "apos":
		return '\'', true
	}
	if len(ref) < 2 || ref[0] != '#' {
		return 0, false
	}
	digits, base := ref[1:], 10
	if digits[0] == 'x' {
		digits, base = digits[1:], 16
	}
	if digits == "" || len(digits) > 8 {
		return 0, false
	}
	n := 0
	for _, c := range []byte(digits) {
		var v int
		switch {
		case c >= '0' && c <= '9':
			v = int(c - '0')
		case base == 16 && c >= 'a' && c <= 'f':
			v = int(c-'a') + 10
		case base == 16 && c >= 'A' && c <= 'F':
			v = int(c-'A') + 10
		default:
			return 0, false
		}
		n = n*base + v
	}
	return rune(n), n <= 0x10FFFF
}

// name reads an XML name (a QName's parts are checked by qname), interned.
func (p *parser) name() (string, bool) {
	b, ok := p.nameBytes()
	if !ok {
		return "", false
	}
	return intern(b), true
}

// nameBytes reads an XML name and returns it as a slice of the input.
func (p *parser) nameBytes() ([]byte, bool) {
	d := p.data
	start := p.pos
	for p.pos < len(d) {
		c := d[p.pos]
		if c < 0x80 {
			if !asciiName[c] || (p.pos == start && !asciiNameStart[c]) {
				break
			}
			p.pos++
			continue
		}
		r, n := utf8.DecodeRune(d[p.pos:])
		if r == utf8.RuneError && n <= 1 || !isNameRune(r, p.pos == start) {
			break
		}
		p.pos += n
	}
	if p.pos == start {
		return nil, false
	}
	return d[start:p.pos], true
}

// Element and attribute names repeat across the files of a run (a few
// hundred names in all), so they are kept once, in a table read without
// locks and copied on the rare write; it stops growing at internMax so
// hostile input cannot make it large.
var (
	internMu  sync.Mutex
	internTab atomic.Pointer[map[string]string]
)

const internMax = 4096

func intern(b []byte) string {
	if m := internTab.Load(); m != nil {
		if s, ok := (*m)[string(b)]; ok {
			return s
		}
	}
	s := string(b)
	internMu.Lock()
	defer internMu.Unlock()
	old := internTab.Load()
	if old != nil && len(*old) >= internMax {
		return s
	}
	m := make(map[string]string, 1+lenOf(old))
	if old != nil {
		if t, ok := (*old)[s]; ok {
			return t
		}
		maps.Copy(m, *old)
	}
	m[s] = s
	internTab.Store(&m)
	return s
}

func lenOf(m *map[string]string) int {
	if m == nil {
		return 0
	}
	return len(*m)
}

var asciiName, asciiNameStart [128]bool

func init() {
	for c := 0; c < 128; c++ {
		start := c == ':' || c == '_' || (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z')
		asciiNameStart[c] = start
		asciiName[c] = start || c == '-' || c == '.' || (c >= '0' && c <= '9')
	}
}

// isNameRune is XML 1.0 (fifth edition) NameStartChar / NameChar above
// ASCII.
func isNameRune(r rune, first bool) bool {
	switch {
	case r >= 0xC0 && r <= 0xD6, r >= 0xD8 && r <= 0xF6, r >= 0xF8 && r <= 0x2FF,
		r >= 0x370 && r <= 0x37D, r >= 0x37F && r <= 0x1FFF, r >= 0x200C && r <= 0x200D,
		r >= 0x2070 && r <= 0x218F, r >= 0x2C00 && r <= 0x2FEF, r >= 0x3001 && r <= 0xD7FF,
		r >= 0xF900 && r <= 0xFDCF, r >= 0xFDF0 && r <= 0xFFFD, r >= 0x10000 && r <= 0xEFFFF:
		return true
	}
	return !first && (r == 0xB7 || (r >= 0x300 && r <= 0x36F) || (r >= 0x203F && r <= 0x2040))
}

// qname splits a name into prefix and local part, as the namespaces
// recommendation requires: at most one colon, neither first nor last.
func qname(n string) (prefix, local string, ok bool) {
	i := strings.IndexByte(n, ':')
	if i < 0 {
		return "", n, true
	}
	if i == 0 || i == len(n)-1 || strings.IndexByte(n[i+1:], ':') >= 0 {
		return "", "", false
	}
	return n[:i], n[i+1:], true
}

func (p *parser) lookup(prefix string) (string, bool) {
	switch prefix {
	case "xml":
		return nsXML, true
	case "xmlns":
		return nsXMLNS, true
	}
	for i := len(p.stack) - 1; i >= 0; i-- {
		for _, d := range p.stack[i].ns {
			if d.prefix == prefix {
				return d.uri, true
			}
		}
	}
	return "", prefix == ""
}

func (p *parser) startTag() error {
	d := p.data
	tagStart := p.pos
	line, col := p.lineCol(tagStart)
	if len(p.stack) >= MaxDepth {
		return &SyntaxError{Line: line, Col: col, Msg: fmt.Sprintf("elements nest more than %d levels deep; no metadata type nests like that, so the file is refused", MaxDepth)}
	}
	if p.elements++; p.elements > MaxElements {
		return &SyntaxError{Line: line, Col: col, Msg: fmt.Sprintf("more than %d elements; no metadata file holds that many, so the file is refused", MaxElements)}
	}
	p.pos++
	raw, ok := p.name()
	if !ok {
		return p.errAt(tagStart, "malformed start tag")
	}
	prefix, local, ok := qname(raw)
	if !ok {
		return p.errAt(tagStart, "element name %q is not a valid qualified name", raw)
	}
	el := p.newElement()
	el.Prefix, el.Local, el.Line, el.Col = prefix, local, line, col
	var decls []nsDecl
	empty := false
	for {
		sp := p.skipSpace()
		if p.pos >= len(d) {
			return p.errAt(len(d), "the file ends before <%s> is closed (truncated?)", local)
		}
		if d[p.pos] == '>' {
			p.pos++
			break
		}
		if d[p.pos] == '/' {
			if p.pos+1 >= len(d) || d[p.pos+1] != '>' {
				return p.errAt(p.pos, "malformed start tag <%s>", raw)
			}
			p.pos += 2
			empty = true
			break
		}
		if !sp {
			return p.errAt(p.pos, "attributes of <%s> must be separated by white space", raw)
		}
		an, ok := p.name()
		if !ok {
			return p.errAt(p.pos, "malformed attribute in <%s>", raw)
		}
		ap, al, ok := qname(an)
		if !ok {
			return p.errAt(p.pos, "attribute name %q is not a valid qualified name", an)
		}
		p.skipSpace()
		if p.pos >= len(d) || d[p.pos] != '=' {
			return p.errAt(p.pos, "attribute %s of <%s> has no value", an, raw)
		}
		p.pos++
		p.skipSpace()
		if p.pos >= len(d) || (d[p.pos] != '"' && d[p.pos] != '\'') {
			return p.errAt(p.pos, "the value of attribute %s must be quoted", an)
		}
		q := d[p.pos]
		vs := p.pos + 1
		ve := bytes.IndexByte(d[vs:], q)
		if ve < 0 {
			return p.errAt(len(d), "the file ends inside the value of attribute %s", an)
		}
		ve += vs
		val := d[vs:ve]
		if i := bytes.IndexByte(val, '<'); i >= 0 {
			return p.errAt(vs+i, "\"<\" is not allowed in the value of attribute %s", an)
		}
		if err := p.chars(val, vs); err != nil {
			return err
		}
		var value string
		if bytes.ContainsAny(val, "&\t\n\r") {
			b, err := p.decode(nil, val, vs, true)
			if err != nil {
				return err
			}
			value = string(b)
		} else {
			value = string(val)
		}
		p.pos = ve + 1
		for _, a := range el.Attrs {
			if a.Prefix == ap && a.Local == al {
				return p.errAt(vs, "attribute %s is given twice", an)
			}
		}
		at := Attr{Prefix: ap, Local: al, Value: value}
		if at.IsNamespaceDecl() {
			dp := ""
			if ap == "xmlns" {
				dp = al
				switch {
				case value == "":
					return p.errAt(vs, "xmlns:%s is declared empty, which XML 1.0 namespaces do not allow", al)
				case al == "xmlns" || (al == "xml") != (value == nsXML) || value == nsXMLNS:
					return p.errAt(vs, "xmlns:%s=%q binds a reserved prefix or namespace", al, value)
				}
			} else if value == nsXML || value == nsXMLNS {
				return p.errAt(vs, "the default namespace cannot be %q", value)
			}
			decls = append(decls, nsDecl{dp, value})
		}
		el.Attrs = append(el.Attrs, at)
	}
	if len(p.stack) > 0 {
		p.kids = append(p.kids, el)
	} else {
		p.doc.Root = el
	}
	p.stack = append(p.stack, frame{el: el, ns: decls, contentStart: p.pos, kids: len(p.kids)})
	ns, ok := p.lookup(prefix)
	if !ok {
		return &SyntaxError{Line: line, Col: col, Msg: fmt.Sprintf("namespace prefix %q of <%s:%s> is not declared", prefix, prefix, local)}
	}
	el.Space = ns
	for i := range el.Attrs {
		a := &el.Attrs[i]
		if a.Prefix == "" || a.IsNamespaceDecl() {
			continue
		}
		ns, ok := p.lookup(a.Prefix)
		if !ok {
			return &SyntaxError{Line: line, Col: col, Msg: fmt.Sprintf("namespace prefix %q of attribute %s:%s is not declared", a.Prefix, a.Prefix, a.Local)}
		}
		a.Space = ns
		for _, b := range el.Attrs[:i] {
			if b.Prefix != "" && b.Local == a.Local && b.Space == ns {
				return &SyntaxError{Line: line, Col: col, Msg: fmt.Sprintf("attribute {%s}%s is given twice", ns, a.Local)}
			}
		}
	}
	p.doc.Elements++
	if empty {
		p.close(p.pos, line)
	}
	return nil
}

// close ends the innermost element, whose end tag starts at end.
func (p *parser) close(end, endLine int) {
	f := &p.stack[len(p.stack)-1]
	switch {
	case f.simple:
		// The text is a run of the input as it is: share it, as Raw does.
		t := p.data[f.textStart:f.textEnd]
		f.el.Text = unsafe.String(&t[0], len(t))
	case len(f.text) > 0:
		f.el.Text = string(f.text)
	}
	if n := len(p.kids) - f.kids; n > 0 {
		f.el.Children = make([]*Element, n)
		copy(f.el.Children, p.kids[f.kids:])
		p.kids = p.kids[:f.kids]
	} else {
		f.el.Raw = p.data[f.contentStart:end:end]
	}
	f.el.EndLine = endLine
	p.stack = p.stack[:len(p.stack)-1]
}

// sameName reports whether raw is prefix:local (or local).
func sameName(raw []byte, prefix, local string) bool {
	if prefix == "" {
		return string(raw) == local
	}
	return len(raw) == len(prefix)+1+len(local) && string(raw[:len(prefix)]) == prefix && raw[len(prefix)] == ':' && string(raw[len(prefix)+1:]) == local
}

func (p *parser) endTag() error {
	d := p.data
	start := p.pos
	if len(p.stack) == 0 {
		return p.errAt(start, "end tag without a start tag")
	}
	p.pos += 2
	raw, ok := p.nameBytes()
	if !ok {
		return p.errAt(start, "malformed end tag")
	}
	p.skipSpace()
	if p.pos >= len(d) {
		return p.errAt(len(d), "the file ends before <%s> is closed (truncated?)", p.stack[len(p.stack)-1].el.Local)
	}
	if d[p.pos] != '>' {
		return p.errAt(p.pos, "malformed end tag </%s>", raw)
	}
	p.pos++
	el := p.stack[len(p.stack)-1].el
	line, _ := p.lineCol(start)
	if !sameName(raw, el.Prefix, el.Local) {
		want := el.Local
		if el.Prefix != "" {
			want = el.Prefix + ":" + el.Local
		}
		return &SyntaxError{Line: line, Msg: fmt.Sprintf("element <%s> closed by </%s>", want, raw)}
	}
	p.close(start, line)
	return nil
}
