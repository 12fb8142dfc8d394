package xmldoc

import (
	"bytes"
	"io/fs"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"
)

func TestParseKeepsPositionsTextAndRaw(t *testing.T) {
	src := "\xef\xbb\xbf<?xml version=\"1.0\" encoding=\"utf-8\"?>\n<A xmlns=\"urn:a\" xmlns:x=\"urn:x\">\n  <b>1 &amp; 2</b><x:c\n   x:k=\"v\"/>\n  <d><![CDATA[<raw>]]> </d>\n  <e>\n    <f/>\n  </e>\n</A>\n"
	doc, err := Parse([]byte(src))
	if err != nil {
		t.Fatal(err)
	}
	r := doc.Root
	if r.Local != "A" || r.Space != "urn:a" || r.Line != 2 || doc.Elements != 6 || doc.Comments || doc.PIs {
		t.Fatalf("root %+v, doc %+v", r, doc)
	}
	b, c, d, e := r.Children[0], r.Children[1], r.Children[2], r.Children[3]
	if b.Text != "1 & 2" || string(b.Raw) != "1 &amp; 2" || b.Line != 3 || b.Col != 3 {
		t.Errorf("b: %q %q %d:%d", b.Text, b.Raw, b.Line, b.Col)
	}
	if c.Space != "urn:x" || c.Prefix != "x" || len(c.Attrs) != 1 || c.Attrs[0].Space != "urn:x" || c.Raw == nil || len(c.Raw) != 0 {
		t.Errorf("c: %+v", c)
	}
	if d.Text != "<raw> " || string(d.Raw) != "<![CDATA[<raw>]]> " {
		t.Errorf("d: %q %q", d.Text, d.Raw)
	}
	if e.Raw != nil || len(e.Children) != 1 || e.HasText() || e.EndLine != 8 {
		t.Errorf("e: %+v", e)
	}
}

func TestParseRefuses(t *testing.T) {
	for name, src := range map[string]string{
		"mismatched":    "<a></b>",
		"truncated":     "<a><b>x</b>",
		"two roots":     "<a/><b/>",
		"text outside":  "<a/>x",
		"no root":       "<!-- c -->",
		"dtd":           "<!DOCTYPE a [<!ENTITY x \"y\">]><a>&x;</a>",
		"entity":        "<a>&nbsp;</a>",
		"utf-16":        "<?xml version=\"1.0\" encoding=\"UTF-16\"?><a/>",
		"prefix":        "<p:a/>",
		"attr prefix":   "<a p:x=\"1\"/>",
		"empty prefix":  "<a xmlns:p=\"\"/>",
		"too deep":      strings.Repeat("<a>", MaxDepth+1) + strings.Repeat("</a>", MaxDepth+1),
		"control chars": "<a>\x01</a>",
	} {
		if _, err := Parse([]byte(src)); err == nil {
			t.Errorf("%s: accepted", name)
		} else if se, ok := err.(*SyntaxError); !ok || se.Msg == "" || se.Line < 1 {
			t.Errorf("%s: %T %v", name, err, err)
		}
	}
	if _, err := Parse([]byte(strings.Repeat("<a>", MaxDepth) + strings.Repeat("</a>", MaxDepth))); err != nil {
		t.Errorf("MaxDepth levels refused: %v", err)
	}
}

// A million-level file is refused after MaxDepth start tags: fast, and
// without a stack or tree that grows with the file.
func TestMillionLevelsRefusedQuickly(t *testing.T) {
	data := bytes.Repeat([]byte("<a>"), 1_000_000)
	start := time.Now()
	var err error
	allocs := testing.AllocsPerRun(3, func() { _, err = Parse(data) })
	if err == nil || !strings.Contains(err.Error(), "nest more than 64 levels") {
		t.Fatalf("got %v", err)
	}
	if el := time.Since(start); el > 2*time.Second {
		t.Errorf("took %v", el)
	}
	if allocs > 2000 {
		t.Errorf("%v allocations for a refused file", allocs)
	}
}

// Write reproduces every file render writes, byte for byte: it is the one
// serializer behind render and fmt.
func TestWriteRoundTripsGoldenFiles(t *testing.T) {
	n := 0
	root := filepath.Join("..", "..", "fixtures")
	err := filepath.WalkDir(root, func(p string, d fs.DirEntry, err error) error {
		if err != nil || d.IsDir() || !strings.HasSuffix(p, "-meta.xml") || !strings.Contains(filepath.ToSlash(p), "/golden/") {
			return err
		}
		data, err := os.ReadFile(p)
		if err != nil {
			return err
		}
		doc, err := Parse(data)
		if err != nil {
			t.Errorf("%s: %v", p, err)
			return nil
		}
		if got := Write(doc.Root); !bytes.Equal(got, data) {
			t.Errorf("%s: Write changed the bytes:\n%s", p, got)
		}
		n++
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	if n < 20 {
		t.Fatalf("only %d golden files", n)
	}
}

func TestWriteEscapesAttributes(t *testing.T) {
	got := string(Write(&Element{Local: "A", Attrs: []Attr{{Local: "k", Value: "a\"<&\n"}}}))
	if want := Declaration + "\n<A k=\"a&quot;&lt;&amp;&#xA;\"/>\n"; got != want {
		t.Errorf("got %q, want %q", got, want)
	}
}

func BenchmarkParse(b *testing.B) {
	data, err := os.ReadFile(filepath.Join("..", "..", "fixtures", "partner1", "golden", "force-app", "main", "default", "conversationChannelDefinitions", "Partner1_ChannelDefinition1.ConversationChannelDefinition-meta.xml"))
	if err != nil {
		b.Fatal(err)
	}
	b.ReportAllocs()
	for b.Loop() {
		if _, err := Parse(data); err != nil {
			b.Fatal(err)
		}
	}
}

func TestDeclaration(t *testing.T) {
	for src, ok := range map[string]bool{
		`<?xml version="1.0"?><a/>`:                                    true,
		`<?xml version='1.0' encoding='utf-8' standalone='no'?><a/>`:   true,
		`<?xml version="1.0" standalone="yes"?><a/>`:                   true,
		`<?xml encoding="UTF-8"?><a/>`:                                 false,
		`<?xml version="1.0" standalone="yes" encoding="UTF-8"?><a/>`:  false,
		`<?xml version="1.0" version="1.0"?><a/>`:                      false,
		`<?xml version="1.1"?><a/>`:                                    false,
		`<?xml version="1.0" encoding="latin1"?><a/>`:                  false,
		`<?xml version="1.0"encoding="UTF-8"?><a/>`:                    false,
		`<?xml version="1.0" standalone="maybe"?><a/>`:                 false,
		"<a/><?xml version=\"1.0\"?>":                                  false,
		`<?xml-stylesheet href="x"?><a/>`:                              true,
		`<?xml version="1.0" encoding="UTF-8" standalone="no" ?><a/> `: true,
	} {
		if _, err := Parse([]byte(src)); (err == nil) != ok {
			t.Errorf("%s: err = %v, want ok %v", src, err, ok)
		}
	}
}

func TestElementsPerDocumentAreBounded(t *testing.T) {
	data := "<a>" + strings.Repeat("<b/>", MaxElements) + "</a>"
	_, err := Parse([]byte(data))
	if err == nil || !strings.Contains(err.Error(), "more than 500000 elements") {
		t.Fatalf("want a refusal, got %v", err)
	}
	if _, err := Parse([]byte("<a>" + strings.Repeat("<b/>", 1000) + "</a>")); err != nil {
		t.Fatal(err)
	}
}
