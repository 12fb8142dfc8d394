package model

import "slices"

// What the versions of a set say about one name: the queries behind a
// message such as "<X> exists from API 57.0; this project is at 56.0".
// Each reads only the type asked about (and its extension bases) in each
// version, never a whole version's models.

// TypeVersions returns the versions of the set that have a type called
// name, oldest first.
func (s *Set) TypeVersions(name string) []string {
	return s.versionsWhere(func(m *Model) (bool, error) { return m.Has(name), nil })
}

// ElementVersions returns the versions in which the complex type typeName
// has an element called element (its own or an extension base's), oldest
// first.
func (s *Set) ElementVersions(typeName, element string) []string {
	return s.versionsWhere(func(m *Model) (bool, error) { return m.hasElement(typeName, element) })
}

// EnumVersions returns the versions in which the simple type simpleName
// allows value in its enumeration, oldest first.
func (s *Set) EnumVersions(simpleName, value string) []string {
	return s.versionsWhere(func(m *Model) (bool, error) {
		_, st, err := m.declared(simpleName)
		return st != nil && slices.Contains(st.Enum, value), err
	})
}

// Since returns the first of versions ("" when there is none): with
// ElementVersions, the version an element first appears in. A name that
// left and came back has several runs; versions holds them all.
func Since(versions []string) string {
	if len(versions) == 0 {
		return ""
	}
	return versions[0]
}

// versionsWhere lists the versions whose model satisfies f; a version
// whose models cannot be read counts as not having the name.
func (s *Set) versionsWhere(f func(*Model) (bool, error)) []string {
	var out []string
	for _, v := range s.Versions() {
		m, err := s.Get(v)
		if err != nil {
			continue
		}
		if ok, err := f(m); ok && err == nil {
			out = append(out, v)
		}
	}
	return out
}
