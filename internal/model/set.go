package model

import (
	"cmp"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"sync"

	"github.com/byocpack/byocpack/internal/tree"
)

// ProjectDir is the folder at a project's root that `byocpack schemas
// import` writes into and every command reads: committed with the project,
// so every machine and CI judges alike. (.byocpack/ is byocpack's run
// state, removed after each run, so it cannot hold them.)
const ProjectDir = "byocpack-schemas"

// FileName is the name of the models file of version v ("66.0") in a
// bundled, project or cache folder.
func FileName(v string) string { return "v" + v + ".models" }

var fileRE = sync.OnceValue(func() *regexp.Regexp { return regexp.MustCompile(`^v([1-9][0-9]{0,2})\.0\.models$`) })

// CacheDir is the user cache folder `schemas import --cache` writes into,
// used by every project on the machine.
func CacheDir() (string, error) {
	dir, err := os.UserCacheDir()
	if err != nil {
		return "", err
	}
	return filepath.Join(dir, "byocpack", "schemas"), nil
}

// Origin says where a version's models come from.
type Origin struct {
	Version string
	// Kind is "bundled", "project" or "cache".
	Kind string
	// Path is the file, for project and cache models.
	Path string
}

// Set is the versions byocpack can check against: its bundled models, then
// a project's imported ones and the user cache's. A project's file wins
// over the bundled one of the same version (the user imported it on
// purpose); the cache only adds versions neither has, so a machine's cache
// never changes what the committed project means. Loading is lazy (a
// version's model is made on first use, and its types decode one by one
// as they are asked for) and safe for concurrent use.
type Set struct {
	mu      sync.Mutex
	entries map[string]*entry
	// sorted caches Versions, which a check asks for per file and per
	// element; any change to entries drops it.
	sorted []string
	// bundled is the bundled models file, which deltas are relative to;
	// err says why it could not be read.
	bundled *Bundle
	err     error
}

type entry struct {
	origin Origin
	// load makes the version's model.
	load func() (*Model, error)
	once sync.Once
	m    *Model
	err  error
}

// NewBundledSet returns the set of the models file data (name is used in
// messages), every version of it bundled. Only its header is read here.
func NewBundledSet(name, data string) *Set {
	s := &Set{entries: map[string]*entry{}}
	b, err := OpenBundle(name, data)
	if err != nil {
		s.err = err
		return s
	}
	if b.base != "" {
		s.err = fmt.Errorf("%s: a delta cannot be bundled", name)
		return s
	}
	s.bundled = b
	for bit, v := range b.versions {
		s.entries[v] = &entry{origin: Origin{Version: v, Kind: "bundled"}, load: func() (*Model, error) {
			return newLazy(v, b.shas[bit], b.Header, source{b, bit}), nil
		}}
	}
	return s
}

// ForProject returns base (the bundled set) with the models imported into
// the project at dir (dir/byocpack-schemas) and, when cache is true, the
// user cache's. A folder that does not exist adds nothing. Models already
// loaded in base are shared, not decoded again.
func ForProject(base *Set, dir string, cache bool) (*Set, error) {
	s := &Set{entries: map[string]*entry{}, bundled: base.bundled, err: base.err}
	base.mu.Lock()
	for v, e := range base.entries {
		s.entries[v] = e
		s.sorted = nil
	}
	base.mu.Unlock()
	if dir != "" {
		if err := s.addDir(filepath.Join(dir, ProjectDir), "project", true); err != nil {
			return nil, err
		}
	}
	if cache {
		if cd, err := CacheDir(); err == nil {
			// The cache is an optimisation: one that cannot be read (the
			// cache folder is a file, HOME unreadable) adds nothing and
			// fails nothing; the bundled and project models judge alone.
			_ = s.addDir(cd, "cache", false)
		}
	}
	return s, nil
}

// addDir adds the models files of dir; override says whether they replace
// versions the set already has.
func (s *Set) addDir(dir, kind string, override bool) error {
	ents, err := os.ReadDir(dir)
	if errors.Is(err, fs.ErrNotExist) {
		return nil
	}
	if err != nil {
		return fmt.Errorf("%s: %w", filepath.ToSlash(dir), err)
	}
	for _, de := range ents {
		m := fileRE().FindStringSubmatch(de.Name())
		if m == nil || !de.Type().IsRegular() {
			continue
		}
		v := m[1] + ".0"
		if _, have := s.entries[v]; have && !override {
			continue
		}
		p := filepath.Join(dir, de.Name())
		if kind == "cache" && !tree.Openable(p) {
			continue // an unreadable cache file must not shadow a fallback
		}
		s.entries[v] = &entry{origin: Origin{Version: v, Kind: kind, Path: filepath.ToSlash(p)}, load: func() (*Model, error) { return s.loadFile(p, v) }}
		s.sorted = nil
	}
	return nil
}

// loadFile reads the models file at p, which its name says holds version
// v: a delta against a bundled version, or the complete models of v. Every
// type a delta defines is loaded at once, so a damaged file is reported
// before any file is judged by it.
func (s *Set) loadFile(p, v string) (*Model, error) {
	name := filepath.ToSlash(p)
	data, err := readBounded(p)
	if err != nil {
		return nil, fmt.Errorf("%s: %w", name, err)
	}
	b, err := OpenBundle(name, string(data))
	if err != nil {
		return nil, err
	}
	if len(b.versions) != 1 || b.versions[0] != v {
		return nil, fmt.Errorf("%s: holds the models of API %s, not %s; rename it %s", name, strings.Join(b.versions, ", "), v, FileName(b.versions[0]))
	}
	srcs := []source{{b, 0}}
	if base, sha := b.Base(); base != "" {
		bit := -1
		if s.bundled != nil {
			bit = s.bundled.bit(base)
		}
		if bit < 0 || s.bundled.shas[bit] != sha {
			return nil, fmt.Errorf("%s: holds the changes of API %s against the bundled models of API %s (WSDL SHA-256 %.12s…), which this byocpack does not have; import the WSDL again with `byocpack schemas import`", name, v, base, sha)
		}
		b.over, b.overBit = s.bundled, bit
		srcs = append(srcs, source{s.bundled, bit})
	}
	m := newLazy(v, b.shas[0], b.Header, srcs...)
	names, err := (&Model{Version: v, lazy: &lazyState{srcs: srcs[:1]}}).typeNames(false)
	if err != nil {
		return nil, err
	}
	for _, n := range names {
		if _, _, err := m.Load(n); err != nil {
			return nil, fmt.Errorf("%s: %w", name, err)
		}
	}
	return m, nil
}

// maxFile bounds a models file read from disk: an imported delta is a
// few hundred kilobytes, the complete models of a version a few megabytes.
const maxFile = 16 << 20

func readBounded(p string) ([]byte, error) {
	fi, err := os.Stat(p)
	if err != nil {
		return nil, err
	}
	if !fi.Mode().IsRegular() || fi.Size() > maxFile {
		return nil, fmt.Errorf("%s: not a regular file under %d MiB", filepath.ToSlash(p), maxFile>>20)
	}
	return tree.ReadPath(p)
}

// Versions lists the versions of the set, oldest first.
func (s *Set) Versions() []string {
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.sorted == nil {
		s.sorted = make([]string, 0, len(s.entries))
		for v := range s.entries {
			s.sorted = append(s.sorted, v)
		}
		slices.SortFunc(s.sorted, compareVersions)
	}
	return slices.Clone(s.sorted)
}

// Origins lists where each version comes from, oldest first.
func (s *Set) Origins() []Origin {
	var out []Origin
	for _, v := range s.Versions() {
		s.mu.Lock()
		out = append(out, s.entries[v].origin)
		s.mu.Unlock()
	}
	return out
}

// Newest is the newest version of the set.
func (s *Set) Newest() string {
	vs := s.Versions()
	if len(vs) == 0 {
		return ""
	}
	return vs[len(vs)-1]
}

// Has reports whether the set has models for exactly v.
func (s *Set) Has(v string) bool {
	s.mu.Lock()
	defer s.mu.Unlock()
	_, ok := s.entries[v]
	return ok
}

// Resolve picks the models to judge a project at version v by: v's own,
// or the newest when v is newer than every version of the set (newer is
// true then). ok is false when v is not a version or is older than the
// set knows and has no models of its own.
func (s *Set) Resolve(v string) (use string, newer, ok bool) {
	for {
		use, newer, ok = s.resolve(v)
		if !ok || !s.dropBrokenCache(use) {
			return use, newer, ok
		}
	}
}

// dropBrokenCache removes version v from the set when it comes from the
// user cache and does not load (a damaged or foreign file): the cache
// only ever adds, so the set judges as if it were not there. It reports
// whether it removed v.
func (s *Set) dropBrokenCache(v string) bool {
	s.mu.Lock()
	e := s.entries[v]
	s.mu.Unlock()
	if e == nil || e.origin.Kind != "cache" {
		return false
	}
	if _, err := s.Get(v); err == nil {
		return false
	}
	s.mu.Lock()
	delete(s.entries, v)
	s.sorted = nil
	s.mu.Unlock()
	return true
}

func (s *Set) resolve(v string) (use string, newer, ok bool) {
	if s.Has(v) {
		return v, false, true
	}
	n := s.Newest()
	if n == "" || majorOf(v) <= 0 {
		return "", false, false
	}
	if majorOf(v) > majorOf(n) {
		return n, true, true
	}
	return "", false, false
}

// Get returns the models of version v, decoding them on first use.
func (s *Set) Get(v string) (*Model, error) {
	s.mu.Lock()
	e, ok := s.entries[v]
	s.mu.Unlock()
	if !ok {
		return nil, fmt.Errorf("no content models for API version %s; byocpack has %s", v, strings.Join(s.Versions(), ", "))
	}
	e.once.Do(func() {
		if s.err != nil {
			e.err = s.err
			return
		}
		e.m, e.err = e.load()
		if e.m != nil {
			e.m.Source = e.origin.Kind
			if e.origin.Path != "" {
				e.m.Source = e.origin.Path
			}
		}
	})
	return e.m, e.err
}

func majorOf(v string) int {
	d, ok := strings.CutSuffix(v, ".0")
	n, err := strconv.Atoi(d)
	if !ok || err != nil || d != strconv.Itoa(n) {
		return 0
	}
	return n
}

func compareVersions(a, b string) int { return cmp.Compare(majorOf(a), majorOf(b)) }

// BundledFile is the bundled models file the set was made from, which an
// imported delta is written against.
func (s *Set) BundledFile() (*Bundle, error) {
	if s.err != nil {
		return nil, s.err
	}
	if s.bundled == nil {
		return nil, errors.New("no bundled models")
	}
	return s.bundled, nil
}
