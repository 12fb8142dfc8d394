package xsdcheck

import (
	"bytes"
	"encoding/xml"
	"fmt"
	"io"
	"strconv"
	"strings"
)

const xsdNS = "http://www.w3.org/2001/XMLSchema"

// model is our own reading of one generated schema. The engine validates;
// the model only explains: jacoelho's messages name neither the allowed
// enumeration values nor the elements a sequence expects, and a release
// engineer needs both to fix a file.
type model struct {
	rootType string
	complex  map[string]*complexType
	enums    map[string][]string // simpleType name -> enumeration values, in schema order
}

type complexType struct {
	base string
	own  []particle
}

// particle is one xsd:element of a sequence.
type particle struct {
	name string
	typ  qname
	min  int
	max  int // -1 means unbounded
}

type qname struct{ space, local string }

func (q qname) String() string {
	if q.space == xsdNS {
		return "xsd:" + q.local
	}
	return q.local
}

func parseModel(data []byte) (*model, error) {
	m := &model{complex: map[string]*complexType{}, enums: map[string][]string{}}
	d := xml.NewDecoder(bytes.NewReader(data))
	var scopes []map[string]string // prefix declarations, innermost last
	var curComplex *complexType
	curSimple := ""
	depth := 0
	for {
		tok, err := d.Token()
		if err == io.EOF {
			break
		}
		if err != nil {
			return nil, err
		}
		switch t := tok.(type) {
		case xml.StartElement:
			depth++
			decl := map[string]string{}
			for _, a := range t.Attr {
				if a.Name.Space == "xmlns" {
					decl[a.Name.Local] = a.Value
				}
			}
			scopes = append(scopes, decl)
			resolve := func(v string) qname {
				prefix, local, ok := strings.Cut(v, ":")
				if !ok {
					return qname{local: v}
				}
				for i := len(scopes) - 1; i >= 0; i-- {
					if ns, ok := scopes[i][prefix]; ok {
						return qname{space: ns, local: local}
					}
				}
				return qname{space: prefix, local: local}
			}
			if t.Name.Space != xsdNS {
				continue
			}
			switch {
			case depth == 2 && t.Name.Local == "complexType":
				curComplex = &complexType{}
				m.complex[attr(t, "name")] = curComplex
			case depth == 2 && t.Name.Local == "simpleType":
				curSimple = attr(t, "name")
			case depth == 2 && t.Name.Local == "element":
				m.rootType = resolve(attr(t, "type")).local
			case curComplex != nil && t.Name.Local == "extension":
				curComplex.base = resolve(attr(t, "base")).local
			case curComplex != nil && t.Name.Local == "element":
				p := particle{name: attr(t, "name"), typ: resolve(attr(t, "type")), min: 1, max: 1}
				if v := attr(t, "minOccurs"); v != "" {
					p.min, _ = strconv.Atoi(v)
				}
				if v := attr(t, "maxOccurs"); v == "unbounded" {
					p.max = -1
				} else if v != "" {
					p.max, _ = strconv.Atoi(v)
				}
				curComplex.own = append(curComplex.own, p)
			case curSimple != "" && t.Name.Local == "enumeration":
				m.enums[curSimple] = append(m.enums[curSimple], attr(t, "value"))
			}
		case xml.EndElement:
			scopes = scopes[:len(scopes)-1]
			depth--
			if depth == 1 {
				curComplex, curSimple = nil, ""
			}
		}
	}
	if m.rootType == "" {
		return nil, fmt.Errorf("schema declares no global element")
	}
	return m, nil
}

func attr(t xml.StartElement, name string) string {
	for _, a := range t.Attr {
		if a.Name.Space == "" && a.Name.Local == name {
			return a.Value
		}
	}
	return ""
}

// particles returns the content model of a complex type, base type first, as
// xsd:extension of a sequence appends to the base's sequence.
func (m *model) particles(typ string) []particle {
	var chain []*complexType
	for seen := 0; typ != "" && seen < 64; seen++ {
		ct, ok := m.complex[typ]
		if !ok {
			break
		}
		chain = append(chain, ct)
		typ = ct.base
	}
	var out []particle
	for i := len(chain) - 1; i >= 0; i-- {
		out = append(out, chain[i].own...)
	}
	return out
}

// typeOf follows element names from the root down and returns the type of
// the element they name; ok is false when some name is not in the schema.
func (m *model) typeOf(names []string) (qname, bool) {
	cur := qname{local: m.rootType}
	for _, n := range names[1:] {
		found := false
		for _, p := range m.particles(cur.local) {
			if p.name == n {
				cur, found = p.typ, true
				break
			}
		}
		if !found {
			return qname{}, false
		}
	}
	return cur, true
}

// cursor replays a sequence over the children seen so far, the way a
// validator does, so we can say what may come next.
type cursor struct {
	ps    []particle
	i     int // current particle
	count int // occurrences of ps[i] so far
}

// advance consumes one child name and reports whether the sequence accepts it.
func (c *cursor) advance(name string) bool {
	if c.i < len(c.ps) && c.ps[c.i].name == name && (c.ps[c.i].max < 0 || c.count < c.ps[c.i].max) {
		c.count++
		return true
	}
	if c.i < len(c.ps) && c.count < c.ps[c.i].min {
		return false
	}
	for j := c.i + 1; j < len(c.ps); j++ {
		if c.ps[j].name == name {
			c.i, c.count = j, 1
			return true
		}
		if c.ps[j].min > 0 {
			return false
		}
	}
	return false
}

// expected lists the elements that may come next and whether the parent may
// end here instead.
func (c *cursor) expected() (names []string, canEnd bool) {
	if len(c.ps) == 0 {
		return nil, true
	}
	if c.i < len(c.ps) {
		p := c.ps[c.i]
		if p.max < 0 || c.count < p.max {
			names = append(names, p.name)
		}
		if c.count < p.min {
			return names, false
		}
	}
	for j := c.i + 1; j < len(c.ps); j++ {
		names = append(names, c.ps[j].name)
		if c.ps[j].min > 0 {
			return names, false
		}
	}
	return names, true
}

// index returns the position of name in the sequence, or -1.
func (c *cursor) index(name string) int {
	for j, p := range c.ps {
		if p.name == name {
			return j
		}
	}
	return -1
}
