package xsdcheck

import (
	"bytes"
	"encoding/xml"
	"fmt"
	"strings"
)

// node is one element of an instance document, recorded only when the
// engine has already found a problem, to put its terse report in context.
type node struct {
	name      xml.Name
	parent    int // -1 for the root
	children  []int
	line, col int // start tag
	endLine   int // end tag (or last line seen, for a truncated file)
	text      strings.Builder
	attrs     []string
	path      string // "/A/b/c", local names only, as the engine reports paths
}

type doc struct {
	nodes    []*node
	unclosed []string // elements still open where the scan stopped, outermost first
}

// scanDoc reads as much of data as is well-formed; callers use it only to
// explain problems, so a parse error simply ends the scan.
func scanDoc(data []byte) *doc {
	d := xml.NewDecoder(bytes.NewReader(data))
	d.Strict = true
	dc := &doc{}
	var stack []int
	for {
		line, col := d.InputPos()
		tok, err := d.Token()
		if err != nil {
			for _, i := range stack {
				dc.nodes[i].endLine = line
				dc.unclosed = append(dc.unclosed, dc.nodes[i].name.Local)
			}
			return dc
		}
		switch t := tok.(type) {
		case xml.StartElement:
			n := &node{name: t.Name, parent: -1, line: line, col: col}
			parentPath := ""
			if len(stack) > 0 {
				p := stack[len(stack)-1]
				n.parent = p
				dc.nodes[p].children = append(dc.nodes[p].children, len(dc.nodes))
				parentPath = dc.nodes[p].path
			}
			n.path = parentPath + "/" + t.Name.Local
			for _, a := range t.Attr {
				if a.Name.Space == "xmlns" || (a.Name.Space == "" && a.Name.Local == "xmlns") {
					continue
				}
				n.attrs = append(n.attrs, a.Name.Local)
			}
			stack = append(stack, len(dc.nodes))
			dc.nodes = append(dc.nodes, n)
		case xml.EndElement:
			endLine, _ := d.InputPos()
			dc.nodes[stack[len(stack)-1]].endLine = endLine
			stack = stack[:len(stack)-1]
		case xml.CharData:
			if len(stack) > 0 {
				n := dc.nodes[stack[len(stack)-1]]
				if n.text.Len() < 200 {
					n.text.Write(t)
				}
			}
		}
	}
}

func (dc *doc) root() *node {
	if len(dc.nodes) == 0 {
		return nil
	}
	return dc.nodes[0]
}

// at finds the element with the given path whose tags span line. Siblings
// with the same path never overlap, so the first span that fits is the one.
func (dc *doc) at(path string, line int) *node {
	for _, n := range dc.nodes {
		if n.path == path && n.line <= line && line <= n.endLine {
			return n
		}
	}
	return nil
}

// childAt finds a child of an element with path parentPath that starts on line.
func (dc *doc) childAt(parentPath string, line int, local string) (parent, child *node, before []*node) {
	for _, p := range dc.nodes {
		if p.path != parentPath {
			continue
		}
		var seen []*node
		for _, ci := range p.children {
			c := dc.nodes[ci]
			if c.line == line && (local == "" || c.name.Local == local) {
				return p, c, seen
			}
			seen = append(seen, c)
		}
	}
	return nil, nil, nil
}

// label names an element for a message, with its position among same-named
// siblings when there are several, like an XPath.
func (dc *doc) label(n *node) string {
	var parts []string
	for cur := n; cur != nil; {
		part := cur.name.Local
		if cur.parent >= 0 {
			p := dc.nodes[cur.parent]
			idx, total := 0, 0
			for _, ci := range p.children {
				if dc.nodes[ci].name.Local == cur.name.Local {
					total++
					if dc.nodes[ci] == cur {
						idx = total
					}
				}
			}
			if total > 1 {
				part = fmt.Sprintf("%s[%d]", part, idx)
			}
			parts = append(parts, part)
			cur = p
			continue
		}
		parts = append(parts, part)
		cur = nil
	}
	for i, j := 0, len(parts)-1; i < j; i, j = i+1, j-1 {
		parts[i], parts[j] = parts[j], parts[i]
	}
	return "/" + strings.Join(parts, "/")
}
