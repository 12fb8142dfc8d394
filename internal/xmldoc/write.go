package xmldoc

import (
	"bytes"
	"strings"
)

// Declaration is the first line of every file a retrieve writes.
const Declaration = `<?xml version="1.0" encoding="UTF-8"?>`

// Indent is one level of a retrieve's indentation.
const Indent = "    "

// Write serializes a tree the way a Salesforce retrieve lays a file out:
// the declaration, one element per line indented four spaces a level, LF
// line ends, a final newline, an element without content self-closed. A
// leaf's Raw is written as it is, so no value changes (entity references,
// CDATA, the line breaks of a PEM body); attributes keep their order and
// prefixes. Character data beside child elements is not written: callers
// refuse such mixed content first. render and fmt both write through
// here, which is what makes a formatted file the bytes render writes.
func Write(root *Element) []byte {
	var b bytes.Buffer
	b.Grow(256)
	b.WriteString(Declaration)
	b.WriteByte('\n')
	writeElement(&b, root, 0)
	return b.Bytes()
}

func writeElement(b *bytes.Buffer, e *Element, depth int) {
	for range depth {
		b.WriteString(Indent)
	}
	b.WriteByte('<')
	writeName(b, e.Prefix, e.Local)
	for _, a := range e.Attrs {
		b.WriteByte(' ')
		writeName(b, a.Prefix, a.Local)
		b.WriteString(`="`)
		escapeAttr(b, a.Value)
		b.WriteByte('"')
	}
	switch {
	case len(e.Children) > 0:
		b.WriteString(">\n")
		for _, c := range e.Children {
			writeElement(b, c, depth+1)
		}
		for range depth {
			b.WriteString(Indent)
		}
		b.WriteString("</")
		writeName(b, e.Prefix, e.Local)
		b.WriteString(">\n")
	case len(e.Raw) == 0:
		b.WriteString("/>\n")
	default:
		b.WriteByte('>')
		b.Write(e.Raw)
		b.WriteString("</")
		writeName(b, e.Prefix, e.Local)
		b.WriteString(">\n")
	}
}

func writeName(b *bytes.Buffer, prefix, local string) {
	if prefix != "" {
		b.WriteString(prefix)
		b.WriteByte(':')
	}
	b.WriteString(local)
}

var attrEscaper = strings.NewReplacer(`&`, "&amp;", `<`, "&lt;", `"`, "&quot;", "\t", "&#x9;", "\n", "&#xA;", "\r", "&#xD;")

func escapeAttr(b *bytes.Buffer, v string) { _, _ = attrEscaper.WriteString(b, v) }
