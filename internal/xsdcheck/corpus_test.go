package xsdcheck

import (
	"bytes"
	"encoding/xml"
	"fmt"
	"io/fs"
	"os"
	"path"
	"slices"
	"strings"
	"testing"

	"github.com/beevik/etree"

	"github.com/byocpack/byocpack/internal/model"
)

// The corpus is testdata/corpus/v<api>/*.xml: every file there must be a
// valid Metadata API document for that API version. To add one (for example
// a rendered fixture output), drop it into the right v<api> folder under any
// name ending in .xml; its metadata type is read from its root element. Then
// run
//
//	go test ./internal/xsdcheck -run TestDifferential -update-oracle
//
// with xmllint installed (apt-get install libxml2-utils) to record xmllint's
// verdicts on it and on its mutants in testdata/xmllint-verdicts.txt, and
// commit both.

const corpusDir = "testdata/corpus"

type corpusDoc struct {
	path    string // relative to corpusDir, slash-separated
	version string
	typ     string
	data    []byte
}

func loadCorpus(t testing.TB) []corpusDoc {
	t.Helper()
	fsys := os.DirFS(corpusDir)
	files, err := fs.Glob(fsys, "v*/*.xml")
	if err != nil {
		t.Fatal(err)
	}
	if len(files) == 0 {
		t.Fatalf("no corpus documents under %s", corpusDir)
	}
	var docs []corpusDoc
	for _, f := range files {
		data, err := fs.ReadFile(fsys, f)
		if err != nil {
			t.Fatal(err)
		}
		typ, err := rootName(data)
		if err != nil {
			t.Fatalf("%s/%s: %v", corpusDir, f, err)
		}
		docs = append(docs, corpusDoc{path: f, version: strings.TrimPrefix(path.Dir(f), "v"), typ: typ, data: data})
	}
	return docs
}

func rootName(data []byte) (string, error) {
	d := xml.NewDecoder(bytes.NewReader(data))
	for {
		tok, err := d.Token()
		if err != nil {
			return "", fmt.Errorf("no root element: %w", err)
		}
		if s, ok := tok.(xml.StartElement); ok {
			return s.Name.Local, nil
		}
	}
}

// mutant is a corpus document changed in one way that usually breaks it.
// Whether it does is for xmllint to say, not for the generator to assume.
type mutant struct {
	id      string // "<corpus path>#<kind>"
	version string
	typ     string
	data    []byte
}

// mutants derives the same mutants from a document on every run: each
// choice below depends only on the document and its content model.
func mutants(t testing.TB, set *model.Set, d corpusDoc) []mutant {
	t.Helper()
	m, err := set.Get(d.version)
	if err != nil || m.Root(d.typ) == nil {
		t.Fatalf("%s: no content model for %s at %s: %v", d.path, d.typ, d.version, err)
	}
	var out []mutant
	add := func(kind string, data []byte) {
		out = append(out, mutant{id: d.path + "#" + kind, version: d.version, typ: d.typ, data: data})
	}
	add("original", d.data)

	edit := func(kind string, change func(doc *etree.Document) bool) {
		doc := etree.NewDocument()
		if err := doc.ReadFromBytes(d.data); err != nil {
			t.Fatalf("%s: %v", d.path, err)
		}
		if !change(doc) {
			return
		}
		doc.Indent(4)
		b, err := doc.WriteToBytes()
		if err != nil {
			t.Fatal(err)
		}
		add(kind, b)
	}
	// typed finds the first leaf element, in document order, whose
	// declaration satisfies want.
	typed := func(doc *etree.Document, want func(*model.Element) bool) *etree.Element {
		var found *etree.Element
		var walk func(el *etree.Element, names []string)
		walk = func(el *etree.Element, names []string) {
			for _, ch := range el.ChildElements() {
				if found != nil {
					return
				}
				p := append(slices.Clone(names), ch.Tag)
				if e := declOf(m, p); e != nil && want(e) && len(ch.ChildElements()) == 0 {
					found = ch
					return
				}
				walk(ch, p)
			}
		}
		walk(doc.Root(), []string{doc.Root().Tag})
		return found
	}
	builtin := func(b model.Builtin) func(*model.Element) bool {
		return func(e *model.Element) bool { return e.Builtin() == b }
	}
	// sequence is the content model of the complex type the element names
	// lead to, nil for anything else.
	sequence := func(names []string) []*model.Element {
		if len(names) == 1 {
			return m.Root(names[0]).Sequence()
		}
		if e := declOf(m, names); e != nil && e.Complex() != nil {
			return e.Complex().Sequence()
		}
		return nil
	}

	for _, at := range []string{"first", "middle"} {
		edit("swap-"+at, func(doc *etree.Document) bool {
			kids := doc.Root().ChildElements()
			if len(kids) < 2 {
				return false
			}
			i := 0
			if at == "middle" {
				i = (len(kids) - 1) / 2
				if i == 0 {
					return false
				}
			}
			a, b := kids[i], kids[i+1]
			if a.Tag == b.Tag {
				return false
			}
			doc.Root().RemoveChildAt(b.Index())
			doc.Root().InsertChildAt(a.Index(), b)
			return true
		})
	}
	edit("drop-required", func(doc *etree.Document) bool {
		var walk func(el *etree.Element, names []string) bool
		walk = func(el *etree.Element, names []string) bool {
			if len(names) > 1 && declOf(m, names) == nil {
				return false
			}
			for _, p := range sequence(names) {
				if p.Min < 1 || p.Name == "fullName" {
					continue
				}
				if ch := el.SelectElement(p.Name); ch != nil {
					el.RemoveChildAt(ch.Index())
					return true
				}
			}
			for _, ch := range el.ChildElements() {
				if walk(ch, append(slices.Clone(names), ch.Tag)) {
					return true
				}
			}
			return false
		}
		return walk(doc.Root(), []string{doc.Root().Tag})
	})
	edit("drop-first", func(doc *etree.Document) bool {
		kids := doc.Root().ChildElements()
		if len(kids) == 0 {
			return false
		}
		doc.Root().RemoveChildAt(kids[0].Index())
		return true
	})
	edit("unknown-first", func(doc *etree.Document) bool {
		el := etree.NewElement("bogusElement")
		el.SetText("x")
		doc.Root().InsertChildAt(0, el)
		return true
	})
	edit("unknown-last", func(doc *etree.Document) bool {
		doc.Root().CreateElement("bogusElement").SetText("x")
		return true
	})
	edit("unknown-nested", func(doc *etree.Document) bool {
		for _, ch := range doc.Root().ChildElements() {
			if len(ch.ChildElements()) > 0 {
				ch.CreateElement("bogusElement").SetText("x")
				return true
			}
		}
		return false
	})
	edit("duplicate", func(doc *etree.Document) bool {
		root := doc.Root()
		for _, ch := range root.ChildElements() {
			for _, p := range sequence([]string{root.Tag}) {
				if p.Name == ch.Tag && p.Max == 1 {
					root.InsertChildAt(ch.Index()+1, ch.Copy())
					return true
				}
			}
		}
		return false
	})
	edit("bad-enum", func(doc *etree.Document) bool {
		el := typed(doc, func(e *model.Element) bool { return e.Simple() != nil && len(e.Simple().Enum) > 0 })
		if el == nil {
			return false
		}
		el.SetText("NotAnAllowedValue")
		return true
	})
	edit("bad-boolean", func(doc *etree.Document) bool {
		el := typed(doc, builtin(model.Boolean))
		if el == nil {
			return false
		}
		el.SetText("yes")
		return true
	})
	edit("bad-int", func(doc *etree.Document) bool {
		el := typed(doc, builtin(model.Int))
		if el == nil {
			return false
		}
		el.SetText("12x")
		return true
	})
	edit("int-spaces", func(doc *etree.Document) bool {
		el := typed(doc, builtin(model.Int))
		if el == nil {
			return false
		}
		el.SetText(" +18 ")
		return true
	})
	edit("ns-wrong", func(doc *etree.Document) bool {
		doc.Root().CreateAttr("xmlns", MetadataNamespace+"/x")
		return true
	})
	edit("ns-none", func(doc *etree.Document) bool {
		return doc.Root().RemoveAttr("xmlns") != nil
	})
	edit("wrong-root", func(doc *etree.Document) bool {
		doc.Root().Tag += "s"
		return true
	})
	edit("attribute", func(doc *etree.Document) bool {
		kids := doc.Root().ChildElements()
		if len(kids) == 0 {
			return false
		}
		kids[0].CreateAttr("foo", "bar")
		return true
	})
	edit("text-in-parent", func(doc *etree.Document) bool {
		doc.Root().InsertChildAt(0, etree.NewText("stray text"))
		return true
	})
	add("truncated", d.data[:len(d.data)*2/3])
	return out
}

func allMutants(t testing.TB, set *model.Set) []mutant {
	t.Helper()
	var out []mutant
	for _, d := range loadCorpus(t) {
		out = append(out, mutants(t, set, d)...)
	}
	return out
}

// declOf follows element names from the root down and returns the
// declaration of the element they name; nil when some name is not in the
// model (or names only the root).
func declOf(m *model.Model, names []string) *model.Element {
	ct := m.Root(names[0])
	var e *model.Element
	for _, n := range names[1:] {
		if ct == nil {
			return nil
		}
		if _, e = ct.Lookup(n); e == nil {
			return nil
		}
		ct = e.Complex()
	}
	return e
}
