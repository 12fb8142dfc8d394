// Package tree is a project as bytes in memory: what byocpack read from an
// output directory, with what it rendered laid over it. Every later stage
// (validation, conversion, zipping) works on a Tree, so what is zipped is
// exactly what was validated and nothing is read back from disk after the
// process itself wrote it.
package tree

import (
	"maps"
	"slices"
	"strings"
)

// Tree maps slash-separated paths relative to the project root to file
// contents. The zero value is not usable; call New.
type Tree struct {
	files map[string][]byte
}

// New returns an empty tree.
func New() *Tree { return &Tree{files: map[string][]byte{}} }

// Get returns a file's bytes and whether the tree holds it.
func (t *Tree) Get(p string) ([]byte, bool) {
	b, ok := t.files[p]
	return b, ok
}

// Set adds or replaces a file.
func (t *Tree) Set(p string, data []byte) { t.files[p] = data }

// Delete removes a file; a missing one is no error.
func (t *Tree) Delete(p string) { delete(t.files, p) }

// Clone returns a tree with the same files (the byte slices are shared and
// must not be modified).
func (t *Tree) Clone() *Tree { return &Tree{files: maps.Clone(t.files)} }

// Paths returns every path, sorted by byte order.
func (t *Tree) Paths() []string {
	return slices.Sorted(maps.Keys(t.files))
}

// Under returns the sorted paths inside dir ("." or "" for all).
func (t *Tree) Under(dir string) []string {
	if dir == "" || dir == "." {
		return t.Paths()
	}
	prefix := strings.TrimSuffix(dir, "/") + "/"
	var out []string
	for p := range t.files {
		if strings.HasPrefix(p, prefix) {
			out = append(out, p)
		}
	}
	slices.Sort(out)
	return out
}
