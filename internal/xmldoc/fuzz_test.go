package xmldoc

import (
	"bytes"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// stricter lists the findings of Parse that encoding/xml lets pass; on
// these alone the two may disagree, and only in this direction.
var stricter = []string{
	`"--" inside a comment`,
	`"]]>" is not allowed in text`,
	"is given twice",
	"is not a valid qualified name",
	"binds a reserved prefix or namespace",
	"the default namespace cannot be",
	"the XML declaration is allowed only at the start",
	"malformed XML declaration",
	"XML version",
	"standalone must be",
	"the XML declaration has no version",
	"processing instruction target",
	"must be separated by white space",
	"is not allowed in XML",
	"is not an XML character",
	"malformed processing instruction",
	"invalid UTF-8",
}

// describe writes a tree for comparison. Attribute values are compared
// with white space characters as spaces: XML turns a literal tab or line
// break in a value into a space, encoding/xml does not.
// laxer lists the findings of encoding/xml that Parse, like libxml2, does
// not make: names take the characters of XML 1.0's fifth edition
// (xmllint accepts <\ufeff/>), encoding/xml only Unicode letters.
var laxer = []string{"invalid XML name"}

func describe(doc *Document) string {
	ws := strings.NewReplacer("\t", " ", "\n", " ", "\r", " ").Replace
	var b strings.Builder
	fmt.Fprintf(&b, "comments=%v pis=%v elements=%d\n", doc.Comments, doc.PIs, doc.Elements)
	var walk func(e *Element, depth int)
	walk = func(e *Element, depth int) {
		text := e.Text
		if len(e.Children) > 0 {
			// Between child elements only what is not white space counts.
			text = strings.Join(strings.Fields(text), "")
		}
		fmt.Fprintf(&b, "%s%s:%s {%s} %d:%d text=%q raw=%q nil=%v\n", strings.Repeat(" ", depth), e.Prefix, e.Local, ws(e.Space), e.Line, e.Col, text, e.Raw, e.Raw == nil)
		for _, a := range e.Attrs {
			fmt.Fprintf(&b, "%s @%s:%s {%s}=%q\n", strings.Repeat(" ", depth), a.Prefix, a.Local, ws(a.Space), ws(a.Value))
		}
		for _, c := range e.Children {
			walk(c, depth+1)
		}
	}
	walk(doc.Root, 0)
	return b.String()
}

func seeds(f *testing.F) {
	for _, s := range []string{
		"<a/>", "<a>x</a>", "<?xml version=\"1.0\"?>\n<a b='1' c=\"2\"/>", "<a><!-- c --><?pi x?><b>1&amp;2&#65;&#x42;</b></a>",
		"<a><![CDATA[<x>]]>y</a>", "<a>\r\nb\rc</a>", "<p:a xmlns:p=\"u\" p:b=\"1\"/>", "<a xmlns=\"u\"><b xmlns=\"\"/></a>",
		"<a b=\"&#9;x&#10;\" c=\"a\tb\nc\"/>", "<a>]]></a>", "<a><!-- a -- b --></a>", "<a b='1' b='2'/>", "<a:b:c/>",
		"\xef\xbb\xbf<a/>", " <?xml version=\"1.0\"?><a/>", "<a>\x01</a>", "<a/><!-- after -->\n", "<a>&lt;&gt;&quot;&apos;</a>",
		"<?xml version=\"1.0\" encoding=\"UTF-8\" standalone=\"yes\"?><a/>", "<a\n  b\n=\n'x'\n/>", "<é/>", "<a>é€😀</a>",
	} {
		f.Add([]byte(s))
	}
	root := filepath.Join("..", "..")
	for _, dir := range []string{"fixtures", filepath.Join("internal", "xsdcheck", "testdata", "corpus")} {
		_ = filepath.WalkDir(filepath.Join(root, dir), func(p string, d fs.DirEntry, err error) error {
			if err == nil && !d.IsDir() && strings.HasSuffix(p, ".xml") {
				if b, err := os.ReadFile(p); err == nil && len(b) < 64<<10 {
					f.Add(b)
				}
			}
			return nil
		})
	}
}

// FuzzParse holds Parse against encoding/xml (stdParse): the same verdict
// and, when both accept, the same tree, positions, text and raw bytes.
// Parse may refuse what encoding/xml lets pass only for the reasons in
// stricter, each a well-formedness rule of XML 1.0 or its namespaces.
//
//	go test ./internal/xmldoc -run x -fuzz FuzzParse -fuzztime 60s
func FuzzParse(f *testing.F) {
	seeds(f)
	f.Fuzz(func(t *testing.T, data []byte) {
		got, err := Parse(data)
		want, stdErr := stdParse(data)
		switch {
		case err == nil && stdErr == nil:
			if g, w := describe(got), describe(want); g != w {
				t.Fatalf("trees differ for %q:\n%s\nencoding/xml:\n%s", data, g, w)
			}
			if out := Write(got.Root); !bytes.HasPrefix(out, []byte(Declaration)) {
				t.Fatal("Write lost the declaration")
			}
		case err != nil && stdErr != nil:
		case err != nil:
			for _, s := range stricter {
				if strings.Contains(err.Error(), s) {
					return
				}
			}
			t.Fatalf("Parse refuses %q (%v), encoding/xml accepts it", data, err)
		default:
			for _, s := range laxer {
				if strings.Contains(stdErr.Error(), s) {
					return
				}
			}
			t.Fatalf("Parse accepts %q, encoding/xml refuses it: %v", data, stdErr)
		}
	})
}
