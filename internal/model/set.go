package model

import (
	"cmp"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path"
	"path/filepath"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"sync"
	"syscall"
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
// never changes what the committed project means. Loading is lazy and safe
// for concurrent use.
type Set struct {
	mu      sync.Mutex
	entries map[string]*entry
}

type entry struct {
	origin Origin
	read   func() ([]byte, error)
	once   sync.Once
	m      *Model
	err    error
}

// NewSet returns a set that holds the models files fsys has under dir
// (v<api>.models), as bundled models.
func NewSet(fsys fs.FS, dir string) *Set {
	s := &Set{entries: map[string]*entry{}}
	names, _ := fs.Glob(fsys, path.Join(dir, "*.models"))
	for _, n := range names {
		m := fileRE().FindStringSubmatch(path.Base(n))
		if m == nil {
			continue
		}
		v := m[1] + ".0"
		s.entries[v] = &entry{origin: Origin{Version: v, Kind: "bundled"}, read: func() ([]byte, error) { return fs.ReadFile(fsys, n) }}
	}
	return s
}

// ForProject returns base (the bundled set) with the models imported into
// the project at dir (dir/byocpack-schemas) and, when cache is true, the
// user cache's. A folder that does not exist adds nothing. Models already
// loaded in base are shared, not decoded again.
func ForProject(base *Set, dir string, cache bool) (*Set, error) {
	s := &Set{entries: map[string]*entry{}}
	base.mu.Lock()
	for v, e := range base.entries {
		s.entries[v] = e
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
		if kind == "cache" && !openable(p) {
			continue // an unreadable cache file must not shadow a fallback
		}
		s.entries[v] = &entry{origin: Origin{Version: v, Kind: kind, Path: filepath.ToSlash(p)}, read: func() ([]byte, error) { return readBounded(p) }}
	}
	return nil
}

// openable reports whether p opens for reading (without blocking).
func openable(p string) bool {
	f, err := os.OpenFile(p, os.O_RDONLY|syscall.O_NONBLOCK, 0)
	if err != nil {
		return false
	}
	f.Close()
	return true
}

// maxFile bounds a models file read from disk: the bundled ones are a few
// hundred kilobytes.
const maxFile = 16 << 20

func readBounded(p string) ([]byte, error) {
	fi, err := os.Stat(p)
	if err != nil {
		return nil, err
	}
	if !fi.Mode().IsRegular() || fi.Size() > maxFile {
		return nil, fmt.Errorf("%s: not a regular file under %d MiB", filepath.ToSlash(p), maxFile>>20)
	}
	return os.ReadFile(p)
}

// Versions lists the versions of the set, oldest first.
func (s *Set) Versions() []string {
	s.mu.Lock()
	defer s.mu.Unlock()
	out := make([]string, 0, len(s.entries))
	for v := range s.entries {
		out = append(out, v)
	}
	slices.SortFunc(out, compareVersions)
	return out
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
		name := "bundled " + FileName(v)
		if e.origin.Path != "" {
			name = e.origin.Path
		}
		data, err := e.read()
		if err != nil {
			e.err = fmt.Errorf("%s: %w", name, err)
			return
		}
		m, err := Decode(name, data)
		if err != nil {
			e.err = err
			return
		}
		if m.Version != v {
			e.err = fmt.Errorf("%s: holds the models of API %s, not %s; rename it %s", name, m.Version, v, FileName(m.Version))
			return
		}
		m.Source = e.origin.Kind
		if e.origin.Path != "" {
			m.Source = e.origin.Path
		}
		e.m = m
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
