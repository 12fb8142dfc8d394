// Package tree is a project as bytes in memory: what byocpack read from an
// output directory, with what it rendered laid over it. Every later stage
// (validation, conversion, zipping) works on a Tree, so what is zipped is
// exactly what was validated and nothing is read back from disk after the
// process itself wrote it. Large content is the one exception, read again
// when it is zipped and checked against its digest (lazy.go).
package tree

import (
	"context"
	"maps"
	"slices"
	"strings"
)

// Tree maps slash-separated paths relative to the project root to file
// contents. A large content file a Reader read with Lazy set is held by
// its record (Lazy) instead: Get gives no bytes for it, Read reads it
// again and checks it is what was read. The zero value is not usable;
// call New.
type Tree struct {
	files map[string][]byte
	lazy  map[string]*Lazy
}

// New returns an empty tree.
func New() *Tree { return &Tree{files: map[string][]byte{}, lazy: map[string]*Lazy{}} }

// Get returns a file's bytes and whether the tree holds it; a file held
// by its record (Lazy) has none here: use Read, or Lazy to copy it.
func (t *Tree) Get(p string) ([]byte, bool) {
	b, ok := t.files[p]
	return b, ok
}

// Lazy returns the record of a file held without its bytes; nil for a
// file held in memory or not held.
func (t *Tree) Lazy(p string) *Lazy { return t.lazy[p] }

// Read returns a file's bytes: those held, or those of a file held by its
// record, read again and checked to be the bytes read first (an error
// naming the file when they are not). ok is false when the tree does not
// hold the file.
func (t *Tree) Read(ctx context.Context, p string) (data []byte, ok bool, err error) {
	if l := t.lazy[p]; l != nil {
		data, err = l.ReadAll(ctx)
		return data, true, err
	}
	data, ok = t.files[p]
	return data, ok, nil
}

// Set adds or replaces a file.
func (t *Tree) Set(p string, data []byte) {
	t.files[p] = data
	delete(t.lazy, p)
}

// SetLazy adds or replaces a file held by its record.
func (t *Tree) SetLazy(p string, l *Lazy) {
	t.files[p] = nil
	t.lazy[p] = l
}

// Copy sets p in t as src holds it (bytes or record).
func (t *Tree) Copy(src *Tree, p string) {
	if l := src.lazy[p]; l != nil {
		t.SetLazy(p, l)
		return
	}
	t.Set(p, src.files[p])
}

// Delete removes a file; a missing one is no error.
func (t *Tree) Delete(p string) {
	delete(t.files, p)
	delete(t.lazy, p)
}

// Clone returns a tree with the same files (the byte slices and records
// are shared and must not be modified).
func (t *Tree) Clone() *Tree { return &Tree{files: maps.Clone(t.files), lazy: maps.Clone(t.lazy)} }

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
