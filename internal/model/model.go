// Package model holds the content models of the Metadata API types: for
// one API version, every complex type with its extension chain flattened
// into one sequence of elements (name, type, occurrences, nillable; a name
// may occur more than once, each occurrence its own particle), and every
// simple type with its enumeration, patterns and length facets. They are
// generated from the WSDLs at `make schemas` (internal/schemagen) for every
// metadata type of every bundled version, or by `byocpack schemas import`
// for another version, and stored in one file format (bundle.go) that holds
// many versions, each type once, each line marked with its versions, and an
// index. Nothing is compiled or decoded at start-up: a version's Model
// decodes a type, and the types it uses, the first time it is asked for.
//
// What a validator asks, per type and version:
//
//   - Set.Versions: the versions available (bundled, project, cache);
//     Set.Resolve: which one judges a project's version.
//   - Set.Get(v), then Model.Root, Complex, Simple, Roots: the model of any
//     type at any version.
//   - Set.TypeVersions, ElementVersions, EnumVersions (and Since for the
//     first of them): in which versions a type, an element of a type or an
//     enumeration value exists, for "<X> exists from API 57.0; this
//     project is at 56.0". They read only the type asked about.
package model

import (
	"fmt"
	"regexp"
	"slices"
	"strings"
	"sync"
)

// Namespace is the namespace of every Metadata API element.
const Namespace = "http://soap.sforce.com/2006/04/metadata"

// Builtin is an XML Schema built-in type the Metadata API WSDL uses.
type Builtin uint8

// The built-in types the models support; a WSDL that uses another one is
// refused at generation.
const (
	NotBuiltin Builtin = iota
	String
	Boolean
	Int
	Long
	Double
	Date
	DateTime
	Time
	Base64Binary
	AnyType
)

var builtinNames = [...]string{
	NotBuiltin: "", String: "string", Boolean: "boolean", Int: "int", Long: "long", Double: "double",
	Date: "date", DateTime: "dateTime", Time: "time", Base64Binary: "base64Binary", AnyType: "anyType",
}

// BuiltinOf returns the built-in type with the XML Schema local name
// ("boolean"), or NotBuiltin.
func BuiltinOf(local string) Builtin {
	for i, n := range builtinNames {
		if i > 0 && n == local {
			return Builtin(i)
		}
	}
	return NotBuiltin
}

// String is the type as the WSDL writes it, "xsd:boolean".
func (b Builtin) String() string {
	if b == NotBuiltin || int(b) >= len(builtinNames) {
		return ""
	}
	return "xsd:" + builtinNames[b]
}

// Element is one element of a sequence.
type Element struct {
	Name string
	// Type is a built-in ("xsd:boolean") or the name of a simple or complex
	// type of the model.
	Type     string
	Min, Max int // Max < 0 is unbounded
	Nillable bool

	// Resolved at load: exactly one is set.
	builtin Builtin
	simple  *Simple
	complex *Complex
}

// Repeatable reports whether the element may occur more than once.
func (e *Element) Repeatable() bool { return e.Max < 0 || e.Max > 1 }

// Builtin is the element's type when it is a built-in one.
func (e *Element) Builtin() Builtin { return e.builtin }

// Simple is the element's type when it is a simple type of the model.
func (e *Element) Simple() *Simple { return e.simple }

// Complex is the element's type when it is a complex type of the model.
func (e *Element) Complex() *Complex { return e.complex }

// Complex is a complex type: a sequence of elements, after those of the
// type it extends.
type Complex struct {
	Name string
	Base string    // the type it extends, "" for none
	Own  []Element // its own sequence, in WSDL order

	// seq is the flattened sequence, base types' elements first; index maps
	// a name to its first position in seq, and later maps a name that
	// occurs more than once (XSD allows it: Flow's description from
	// FlowElement and FlowCustomError) to every position, in order.
	seq   []*Element
	index map[string]int
	later map[string][]int
}

// Sequence returns the type's elements in the order a retrieve writes them:
// the base types' first, outermost base first.
func (c *Complex) Sequence() []*Element { return c.seq }

// Lookup returns the first position of the element called name in
// Sequence, and the element; -1 and nil when the type has none.
func (c *Complex) Lookup(name string) (int, *Element) {
	i, ok := c.index[name]
	if !ok {
		return -1, nil
	}
	return i, c.seq[i]
}

// Place returns the position in Sequence of a child called name that
// follows a child placed at from (-1 for the first child), as an XSD
// validator matches a sequence whose particles repeat a name: the first
// position at or after from whose particle can take another occurrence
// (count reports how many it has taken), else the first at or after
// from, else the first of all. For a name that occurs once it is
// Lookup's position; -1 when the type has no such element.
func (c *Complex) Place(name string, from int, count func(int) int) int {
	ps, ok := c.later[name]
	if !ok {
		i, ok := c.index[name]
		if !ok {
			return -1
		}
		return i
	}
	fallback := -1
	for _, p := range ps {
		if p < from {
			continue
		}
		if e := c.seq[p]; e.Max < 0 || count(p) < e.Max {
			return p
		}
		if fallback < 0 {
			fallback = p
		}
	}
	if fallback >= 0 {
		return fallback
	}
	return ps[0]
}

// Simple is a restriction of a built-in type.
type Simple struct {
	Name     string
	Base     Builtin
	Enum     []string // allowed values in WSDL order; none means any
	Patterns []string // XML Schema regular expressions, all of which must match
	// Length facets; -1 when absent.
	Length, MinLength, MaxLength int

	// enumSet is built on the first Allows: most simple types a run
	// loads are never asked.
	enumOnce sync.Once
	enumSet  map[string]bool
	res      []*regexp.Regexp
}

// Allows reports whether v, the whole value, is in the enumeration (true
// when the type has none).
func (s *Simple) Allows(v string) bool {
	if len(s.Enum) == 0 {
		return true
	}
	s.enumOnce.Do(func() {
		s.enumSet = make(map[string]bool, len(s.Enum))
		for _, v := range s.Enum {
			s.enumSet[v] = true
		}
	})
	return s.enumSet[v]
}

// Matches reports whether v matches every pattern of the type.
func (s *Simple) Matches(v string) bool {
	for _, re := range s.res {
		if !re.MatchString(v) {
			return false
		}
	}
	return true
}

// Model is the content models of one API version.
type Model struct {
	Version string // "66.0"
	// SHA256 is the hex digest of the WSDL the models came from.
	SHA256 string
	// Source says where the models were read from: "bundled", or the path
	// of an imported file. Not encoded.
	Source string
	// Header is the comment written at the top of the encoded file
	// (licence, origin), one line per element.
	Header []string

	// roots, complex and simple are the types: all of them for a model
	// New assembled, those loaded so far for one read from a models file.
	roots   []string
	complex map[string]*Complex
	simple  map[string]*Simple

	// lazy is set for a model read from a models file: where its types
	// come from, and the state of loading them.
	lazy *lazyState
}

// New assembles a model from its types and resolves every reference. It
// fails on a reference to an undefined type or an extension cycle. One
// name may occur more than once in a flattened sequence, as XSD allows;
// Complex.Place matches such children by position.
func New(version, sha string, roots []string, complexes []*Complex, simples []*Simple) (*Model, error) {
	m := &Model{Version: version, SHA256: sha, roots: slices.Clone(roots), complex: map[string]*Complex{}, simple: map[string]*Simple{}}
	slices.Sort(m.roots)
	for _, s := range simples {
		if _, dup := m.simple[s.Name]; dup {
			return nil, fmt.Errorf("simple type %q is defined twice", s.Name)
		}
		if err := s.compile(); err != nil {
			return nil, err
		}
		m.simple[s.Name] = s
	}
	for _, c := range complexes {
		if _, dup := m.complex[c.Name]; dup || m.simple[c.Name] != nil {
			return nil, fmt.Errorf("type %q is defined twice", c.Name)
		}
		m.complex[c.Name] = c
	}
	for _, c := range complexes {
		for i := range c.Own {
			if err := m.resolve(&c.Own[i]); err != nil {
				return nil, fmt.Errorf("%s: %w", c.Name, err)
			}
		}
	}
	for _, c := range complexes {
		if err := m.flatten(c); err != nil {
			return nil, err
		}
	}
	for _, r := range m.roots {
		if m.complex[r] == nil {
			return nil, fmt.Errorf("root %q is not a complex type of the model", r)
		}
	}
	return m, nil
}

func (m *Model) resolve(e *Element) error {
	if local, ok := cutPrefix(e.Type, "xsd:"); ok {
		if e.builtin = BuiltinOf(local); e.builtin == NotBuiltin {
			return fmt.Errorf("element %s: built-in type %s is not supported", e.Name, e.Type)
		}
		return nil
	}
	if e.simple = m.simple[e.Type]; e.simple != nil {
		return nil
	}
	if e.complex = m.complex[e.Type]; e.complex != nil {
		return nil
	}
	return fmt.Errorf("element %s: type %q is not defined", e.Name, e.Type)
}

func cutPrefix(s, p string) (string, bool) { return strings.CutPrefix(s, p) }

func (m *Model) flatten(c *Complex) error {
	var chain []*Complex
	for cur := c; cur != nil; {
		if slices.Contains(chain, cur) {
			return fmt.Errorf("type %q extends itself", c.Name)
		}
		chain = append(chain, cur)
		if cur.Base == "" {
			break
		}
		base := m.complex[cur.Base]
		if base == nil {
			return fmt.Errorf("%s: extension base %q is not a complex type of the model", cur.Name, cur.Base)
		}
		cur = base
	}
	size := 0
	for _, t := range chain {
		size += len(t.Own)
	}
	c.seq, c.index, c.later = make([]*Element, 0, size), make(map[string]int, size), nil
	for i := len(chain) - 1; i >= 0; i-- {
		for j := range chain[i].Own {
			e := &chain[i].Own[j]
			if first, dup := c.index[e.Name]; dup {
				if c.later == nil {
					c.later = map[string][]int{}
				}
				if c.later[e.Name] == nil {
					c.later[e.Name] = []int{first}
				}
				c.later[e.Name] = append(c.later[e.Name], len(c.seq))
			} else {
				c.index[e.Name] = len(c.seq)
			}
			c.seq = append(c.seq, e)
		}
	}
	return nil
}

func (s *Simple) compile() error {
	s.res = nil
	for _, p := range s.Patterns {
		re, err := compilePattern(p)
		if err != nil {
			return fmt.Errorf("simple type %s: %w", s.Name, err)
		}
		s.res = append(s.res, re)
	}
	return nil
}

// compilePattern translates an XML Schema pattern into a Go regular
// expression, refusing the XML Schema constructs Go reads differently
// (character class subtraction, \i, \c and their negations, \p{Is…}
// blocks). XML Schema patterns match the whole value.
func compilePattern(p string) (*regexp.Regexp, error) {
	for i := 0; i < len(p); i++ {
		switch {
		case p[i] == '\\' && i+1 < len(p):
			switch p[i+1] {
			case 'i', 'I', 'c', 'C':
				return nil, fmt.Errorf("pattern %q uses \\%c, which byocpack does not support", p, p[i+1])
			case 'p', 'P':
				if i+3 < len(p) && p[i+2] == '{' && p[i+3] == 'I' {
					return nil, fmt.Errorf("pattern %q uses a \\p{Is…} block, which byocpack does not support", p)
				}
			}
			i++
		case p[i] == '-' && i+1 < len(p) && p[i+1] == '[':
			return nil, fmt.Errorf("pattern %q uses character class subtraction, which byocpack does not support", p)
		case p[i] == '^' || p[i] == '$':
			// Literal in XML Schema, anchors in Go.
			if p[i] == '^' && i > 0 && p[i-1] == '[' {
				continue
			}
			return nil, fmt.Errorf("pattern %q uses %c, which means a literal in XML Schema and an anchor in Go; byocpack does not support it", p, p[i])
		}
	}
	return regexp.Compile(`^(?:` + p + `)$`)
}
