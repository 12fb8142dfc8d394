package inspect

import (
	"fmt"

	"github.com/beevik/etree"

	"github.com/byocpack/byocpack/internal/xmldoc"
)

// Bounds on the XML that one Load parses, so that a small archive of huge
// documents can neither take minutes nor gigabytes (a 117 KB zip of two
// 60 MB files of empty elements took review 8 GB through etree). Each file
// is read within tree.MaxFileSize (archive.MaxEntrySize in an archive) and
// parsed by xmldoc, the reader validate uses: at most xmldoc.MaxDepth
// levels and xmldoc.MaxElements elements per document, no DTD.
const (
	// MaxElements bounds the elements of every document of one target
	// together: a deploy holds at most 10,000 files, and 100 elements a
	// file on average is more than a real package has (most files hold
	// a dozen; a retrieved admin profile, the largest in practice, some
	// tens of thousands). A million elements take review about 200 MB.
	MaxElements = 1_000_000
	// MaxText bounds the text of one element. The largest thing Salesforce
	// keeps is a static resource of 5 MB, 6.7 MB as base64; metadata XML
	// holds no value near that (a long text area holds 131,072
	// characters).
	MaxText = 8 << 20
)

// xmlBudget is what is left of MaxElements for one Load.
type xmlBudget struct{ left int }

func newBudget() *xmlBudget { return &xmlBudget{left: MaxElements} }

// ParseXML parses a metadata document within the bounds above (one file's
// share of them) into an etree element, the form review, diff and migrate
// read.
func ParseXML(file string, data []byte) (*etree.Element, error) {
	root, _, err := newBudget().parse(file, data)
	return root, err
}

// parse parses a metadata document with xmldoc, which bounds depth and
// element count and keeps every element's line, and turns it into etree
// elements so findings can point at the element.
func (b *xmlBudget) parse(file string, data []byte) (*etree.Element, map[*etree.Element]int, error) {
	doc, err := xmldoc.Parse(data)
	if err != nil {
		return nil, nil, fmt.Errorf("%s: not well-formed XML: %v", file, err)
	}
	if doc.Root == nil {
		return nil, nil, fmt.Errorf("%s: no root element", file)
	}
	if doc.Elements > b.left {
		return nil, nil, fmt.Errorf("%s: line %d: the files read hold more than %d XML elements in all; no package holds that many (a deploy takes at most 10,000 files), so the input is refused", file, doc.Root.Line, MaxElements)
	}
	b.left -= doc.Elements
	lines := make(map[*etree.Element]int, doc.Elements)
	root, err := toEtree(file, doc.Root, lines)
	if err != nil {
		return nil, nil, err
	}
	return root, lines, nil
}

// toEtree copies x and its children into a new etree element.
func toEtree(file string, x *xmldoc.Element, lines map[*etree.Element]int) (*etree.Element, error) {
	e := etree.NewElement(x.Local)
	e.Space = x.Prefix
	for _, a := range x.Attrs {
		key := a.Local
		if a.Prefix != "" {
			key = a.Prefix + ":" + a.Local
		}
		e.CreateAttr(key, a.Value)
	}
	if len(x.Text) > MaxText {
		return nil, fmt.Errorf("%s: line %d: <%s> holds %d bytes of text, more than the %d MiB byocpack reads from one value (no Salesforce value is larger than a 5 MB static resource), so the file is refused", file, x.Line, x.Local, len(x.Text), MaxText>>20)
	}
	if len(x.Children) == 0 || x.HasText() {
		e.SetText(x.Text)
	}
	lines[e] = x.Line
	for _, c := range x.Children {
		ce, err := toEtree(file, c, lines)
		if err != nil {
			return nil, err
		}
		e.AddChild(ce)
	}
	return e, nil
}
