package convert

import (
	"strings"
	"testing"
)

// FuzzParseXML feeds the converter's XML model arbitrary bytes: it must
// return a value or an error, never panic, and never take time or stack
// beyond the input's size (the nesting bound).
func FuzzParseXML(f *testing.F) {
	f.Add([]byte("<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<CustomObject xmlns=\"http://soap.sforce.com/2006/04/metadata\">\n    <label>A &amp; B</label>\n</CustomObject>\n"))
	f.Add([]byte("<a><!-- c --><b x='1'/><![CDATA[<x>]]></a>"))
	f.Add([]byte(strings.Repeat("<a>", 70) + strings.Repeat("</a>", 70)))
	f.Add([]byte("<a>text<b/></a>"))
	f.Fuzz(func(t *testing.T, data []byte) {
		name, v, err := parseXML("f.xml", data)
		if err == nil && (name == "" || v == nil) {
			t.Fatalf("no error and no root for %q", data)
		}
		if err == nil {
			if o, ok := v.(*xobject); ok {
				_ = renderXML(name, o)
			}
		}
	})
}
