package model

import (
	"fmt"
	"slices"
	"strings"
	"sync"
)

// source is one version of a models file a model reads types from.
type source struct {
	b   *Bundle
	bit int
}

// lazyState is how a model read from a models file loads its types: the
// first source whose index lists a type defines it at the model's version
// (a delta first, then the bundled version it is relative to), and a type
// is decoded, with every type it uses, the first time it is asked for.
type lazyState struct {
	mu     sync.Mutex
	srcs   []source
	absent map[string]bool
	rootOf map[string]*Complex // Root's answers
	err    error               // the first load failure; the model is unusable after it

	rootsOnce sync.Once
	roots     []string
	rootsErr  error
}

func newLazy(version, sha string, header []string, srcs ...source) *Model {
	return &Model{Version: version, SHA256: sha, Header: header,
		complex: map[string]*Complex{}, simple: map[string]*Simple{},
		lazy: &lazyState{srcs: srcs, absent: map[string]bool{}, rootOf: map[string]*Complex{}}}
}

// Load returns the type called name at the model's version, complex or
// simple, with every type it uses loaded; both nil when the version has no
// such type. The error is a models file that cannot be read, which only
// an edited or truncated imported file gives.
func (m *Model) Load(name string) (*Complex, *Simple, error) {
	if m.lazy == nil {
		return m.complex[name], m.simple[name], nil
	}
	m.lazy.mu.Lock()
	defer m.lazy.mu.Unlock()
	if m.lazy.err != nil {
		return nil, nil, m.lazy.err
	}
	c, s, err := m.loadLocked(name)
	if err != nil {
		m.lazy.err = err
		return nil, nil, err
	}
	return c, s, nil
}

// declaredLocked reads the type called name as the version declares it,
// from the first source that lists it; both nil when the version has no
// such type.
func (m *Model) declaredLocked(name string) (*Complex, *Simple, error) {
	for _, src := range m.lazy.srcs {
		listed, c, s, err := src.b.typeAt(name, src.bit)
		if err != nil || listed {
			return c, s, err
		}
	}
	return nil, nil, nil
}

func (m *Model) loadLocked(name string) (*Complex, *Simple, error) {
	if c := m.complex[name]; c != nil {
		return c, nil, nil
	}
	if s := m.simple[name]; s != nil {
		return nil, s, nil
	}
	if m.lazy.absent[name] {
		return nil, nil, nil
	}
	c, s, err := m.declaredLocked(name)
	if err != nil {
		return nil, nil, err
	}
	if c == nil && s == nil {
		m.lazy.absent[name] = true
		return nil, nil, nil
	}
	if s != nil {
		if err := s.compile(); err != nil {
			return nil, nil, err
		}
		m.simple[name] = s
		return nil, s, nil
	}
	// Stored before its references load, so a type that contains itself
	// (FlowBaseElement, through others) finds it.
	m.complex[name] = c
	if c.Base != "" {
		if bc, _, err := m.loadLocked(c.Base); err != nil {
			return nil, nil, err
		} else if bc == nil {
			return nil, nil, fmt.Errorf("API %s: %s: extension base %q is not a complex type of the model", m.Version, name, c.Base)
		}
	}
	for i := range c.Own {
		e := &c.Own[i]
		if !strings.HasPrefix(e.Type, "xsd:") {
			if _, _, err := m.loadLocked(e.Type); err != nil {
				return nil, nil, err
			}
		}
		if err := m.resolve(e); err != nil {
			return nil, nil, fmt.Errorf("API %s: %s: %w", m.Version, name, err)
		}
	}
	if err := m.flatten(c); err != nil {
		return nil, nil, fmt.Errorf("API %s: %w", m.Version, err)
	}
	return c, nil, nil
}

// LoadAll loads every type of the version: what Decode and the tests do
// to prove a whole file well-formed.
func (m *Model) LoadAll() error {
	if m.lazy == nil {
		return nil
	}
	names, err := m.typeNames(false)
	if err != nil {
		return err
	}
	for _, n := range names {
		if _, _, err := m.Load(n); err != nil {
			return err
		}
	}
	return nil
}

// typeNames lists the types of the version (only the document roots when
// roots is true), sorted, from the sources' indexes.
func (m *Model) typeNames(roots bool) ([]string, error) {
	seen := map[string]bool{}
	var out []string
	for _, src := range m.lazy.srcs {
		err := src.b.each(func(n string, mask, rootMask uint64) error {
			if seen[n] {
				return nil
			}
			seen[n] = true
			if want := mask; roots {
				want = rootMask
				if want&(1<<src.bit) != 0 {
					out = append(out, n)
				}
			} else if want&(1<<src.bit) != 0 {
				out = append(out, n)
			}
			return nil
		})
		if err != nil {
			return nil, err
		}
	}
	slices.Sort(out)
	return out, nil
}

// isRoot reports whether metadataType is a document root at the version.
func (m *Model) isRoot(metadataType string) bool {
	if m.lazy == nil {
		_, ok := slices.BinarySearch(m.roots, metadataType)
		return ok
	}
	for _, src := range m.lazy.srcs {
		i, ok, err := src.b.find(metadataType)
		if err != nil {
			return false
		}
		if ok {
			_, _, _, _, rootMask, err := src.b.entry(i)
			return err == nil && rootMask&(1<<src.bit) != 0
		}
	}
	return false
}

// Roots are the types with a document root (ExternalClientApplication,
// CustomObject, ...), sorted: every type that extends Metadata.
func (m *Model) Roots() []string {
	if m.lazy == nil {
		return slices.Clone(m.roots)
	}
	m.lazy.rootsOnce.Do(func() { m.lazy.roots, m.lazy.rootsErr = m.typeNames(true) })
	return slices.Clone(m.lazy.roots)
}

// Root returns the complex type of the document root of metadataType, nil
// when the model has no such root.
func (m *Model) Root(metadataType string) *Complex {
	if m.lazy != nil {
		// Asked once per file judged: the answer is kept, so the index is
		// searched once per type.
		m.lazy.mu.Lock()
		c, ok := m.lazy.rootOf[metadataType]
		m.lazy.mu.Unlock()
		if ok {
			return c
		}
	}
	var c *Complex
	if m.isRoot(metadataType) {
		c = m.Complex(metadataType)
	}
	if m.lazy != nil {
		m.lazy.mu.Lock()
		m.lazy.rootOf[metadataType] = c
		m.lazy.mu.Unlock()
	}
	return c
}

// Complex returns the complex type called name, or nil.
func (m *Model) Complex(name string) *Complex {
	c, _, _ := m.Load(name)
	return c
}

// Simple returns the simple type called name, or nil.
func (m *Model) Simple(name string) *Simple {
	_, s, _ := m.Load(name)
	return s
}

// Has reports whether the version has a type called name, without loading
// it.
func (m *Model) Has(name string) bool {
	if m.lazy == nil {
		return m.complex[name] != nil || m.simple[name] != nil
	}
	m.lazy.mu.Lock()
	defer m.lazy.mu.Unlock()
	if m.complex[name] != nil || m.simple[name] != nil {
		return true
	}
	for _, src := range m.lazy.srcs {
		listed, present, _, err := src.b.lookup(name, src.bit)
		if err != nil || listed {
			return present && err == nil
		}
	}
	return false
}

// declared reads the type called name as the version declares it, without
// resolving or caching anything: what the history queries walk.
func (m *Model) declared(name string) (*Complex, *Simple, error) {
	if m.lazy == nil {
		return m.complex[name], m.simple[name], nil
	}
	m.lazy.mu.Lock()
	defer m.lazy.mu.Unlock()
	return m.declaredLocked(name)
}

// hasElement reports whether the flattened sequence of typeName has an
// element called element, reading only the type and its bases.
func (m *Model) hasElement(typeName, element string) (bool, error) {
	var seen []string
	for name := typeName; name != ""; {
		if slices.Contains(seen, name) {
			return false, fmt.Errorf("API %s: type %q extends itself", m.Version, typeName)
		}
		seen = append(seen, name)
		c, _, err := m.declared(name)
		if err != nil || c == nil {
			return false, err
		}
		for _, e := range c.Own {
			if e.Name == element {
				return true, nil
			}
		}
		name = c.Base
	}
	return false, nil
}

// ComplexTypes returns every complex type, sorted by name (loading all of
// them for a model read from a file).
func (m *Model) ComplexTypes() []*Complex {
	return sortedTypes(m, m.complex, func(c *Complex) string { return c.Name })
}

// SimpleTypes returns every simple type, sorted by name (loading all of
// them for a model read from a file).
func (m *Model) SimpleTypes() []*Simple {
	return sortedTypes(m, m.simple, func(s *Simple) string { return s.Name })
}

func sortedTypes[T any](m *Model, types map[string]*T, name func(*T) string) []*T {
	_ = m.LoadAll()
	m.lock()
	defer m.unlock()
	out := make([]*T, 0, len(types))
	for _, t := range types {
		out = append(out, t)
	}
	slices.SortFunc(out, func(a, b *T) int { return strings.Compare(name(a), name(b)) })
	return out
}

func (m *Model) lock() {
	if m.lazy != nil {
		m.lazy.mu.Lock()
	}
}

func (m *Model) unlock() {
	if m.lazy != nil {
		m.lazy.mu.Unlock()
	}
}
