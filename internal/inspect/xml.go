package inspect

import (
	"bytes"
	"encoding/xml"
	"fmt"
	"io"

	"github.com/beevik/etree"
)

// parseXML parses a metadata document with etree and finds the line of
// every element's start tag (etree keeps none), so findings can point at
// the element.
func parseXML(file string, data []byte) (*etree.Element, map[*etree.Element]int, error) {
	data = trimBOM(data)
	doc := etree.NewDocument()
	if err := doc.ReadFromBytes(data); err != nil {
		return nil, nil, fmt.Errorf("%s: not well-formed XML: %v", file, err)
	}
	root := doc.Root()
	if root == nil {
		return nil, nil, fmt.Errorf("%s: no root element", file)
	}
	var starts []int
	dec := xml.NewDecoder(bytes.NewReader(data))
	dec.Strict = false
	for {
		tok, err := dec.Token()
		if err == io.EOF {
			break
		}
		if err != nil {
			break // etree accepted it; lines are best effort
		}
		if _, ok := tok.(xml.StartElement); ok {
			line, _ := dec.InputPos()
			starts = append(starts, line)
		}
	}
	lines := map[*etree.Element]int{}
	i := 0
	var walk func(e *etree.Element)
	walk = func(e *etree.Element) {
		if i < len(starts) {
			lines[e] = starts[i]
		}
		i++
		for _, c := range e.ChildElements() {
			walk(c)
		}
	}
	walk(root)
	return root, lines, nil
}
