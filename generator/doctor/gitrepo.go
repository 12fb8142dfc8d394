package doctor

import (
	"bytes"
	"encoding/binary"
	"errors"
	"os"
	"path"
	"path/filepath"
	"strings"

	"github.com/byocpack/byocpack/internal/tree"
)

// gitRepo is the git work tree a directory is in, found and read without
// running git (see gitignore.go).
type gitRepo struct {
	root   string // the work tree's root on disk
	gitDir string // its .git directory (a worktree's own one)
	common string // where info/exclude and config are (a worktree's main .git)
}

// findRepo looks for .git in dir and its parents, as git does; nil when
// dir is in no work tree.
func findRepo(dir string) *gitRepo {
	abs, err := filepath.Abs(dir)
	if err != nil {
		return nil
	}
	if real, err := filepath.EvalSymlinks(abs); err == nil {
		abs = real
	}
	for d := abs; ; d = filepath.Dir(d) {
		dotGit := filepath.Join(d, ".git")
		if fi, err := os.Stat(dotGit); err == nil {
			repo := &gitRepo{root: d, gitDir: dotGit, common: dotGit}
			if !fi.IsDir() {
				// A worktree or submodule: ".git" names its git directory.
				b, err := tree.ReadPath(dotGit)
				target, ok := strings.CutPrefix(strings.TrimSpace(string(b)), "gitdir:")
				if err != nil || !ok {
					return nil
				}
				repo.gitDir = resolve(d, strings.TrimSpace(target))
				repo.common = repo.gitDir
			}
			if b, err := tree.ReadPath(filepath.Join(repo.gitDir, "commondir")); err == nil {
				repo.common = resolve(repo.gitDir, strings.TrimSpace(string(b)))
			}
			return repo
		}
		if filepath.Dir(d) == d {
			return nil
		}
	}
}

func resolve(dir, p string) string {
	if filepath.IsAbs(p) {
		return p
	}
	return filepath.Join(dir, p)
}

// rel is dir's path in the work tree, slash-separated ("" at its root).
func (g *gitRepo) rel(dir string) string {
	abs, _ := filepath.Abs(dir)
	if real, err := filepath.EvalSymlinks(abs); err == nil {
		abs = real
	}
	r, err := filepath.Rel(g.root, abs)
	if err != nil || r == "." {
		return ""
	}
	return filepath.ToSlash(r)
}

// rules are the ignore rules that bear on p, lowest precedence first:
// .git/info/exclude, then each .gitignore from the root down to p's
// directory. A .gitignore that is a link is not read, as git does not.
func (g *gitRepo) rules(p string) []ignoreRule {
	var out []ignoreRule
	if b, err := tree.ReadPath(filepath.Join(g.common, "info", "exclude")); err == nil {
		out = append(out, parseIgnore(b, "")...)
	}
	// Root first, then deeper.
	var ordered []string
	for d := path.Dir(p); d != "."; d = path.Dir(d) {
		ordered = append([]string{d}, ordered...)
	}
	ordered = append([]string{""}, ordered...)
	for _, d := range ordered {
		b, err := tree.ReadFile(g.root, path.Join(d, ".gitignore"))
		if err == nil && b != nil {
			out = append(out, parseIgnore(b, d)...)
		}
	}
	return out
}

// tracked reports whether the index lists p (or a sparse directory
// entry holding it). ok is false when the index cannot be read.
func (g *gitRepo) tracked(p string) (is, ok bool) {
	b, err := tree.ReadPath(filepath.Join(g.gitDir, "index"))
	if errors.Is(err, os.ErrNotExist) {
		return false, true // nothing added yet
	}
	if err != nil {
		return false, false
	}
	hashLen := 20
	if cfg, err := tree.ReadPath(filepath.Join(g.common, "config")); err == nil && sha256Repo(cfg) {
		hashLen = 32
	}
	found := false
	err = indexPaths(b, hashLen, func(name string) bool {
		if name == p || strings.HasSuffix(name, "/") && strings.HasPrefix(p, name) {
			found = true
			return false
		}
		return true
	})
	return found, err == nil
}

// sha256Repo reports whether a git config sets extensions.objectFormat
// to sha256, which makes every hash in the index 32 bytes.
func sha256Repo(cfg []byte) bool {
	for _, line := range strings.Split(strings.ToLower(string(cfg)), "\n") {
		k, v, ok := strings.Cut(line, "=")
		if ok && strings.TrimSpace(k) == "objectformat" && strings.TrimSpace(v) == "sha256" {
			return true
		}
	}
	return false
}

var errIndex = errors.New("not a git index this doctor reads")

// indexPaths calls each with the path of every entry of a git index
// (versions 2 to 4, as gitformat-index(5) lays them out) until it returns
// false.
// maxIndexPath is the longest path an index entry may name: git's own
// limit on a path (PATH_MAX on Linux).
const maxIndexPath = 4096

func indexPaths(b []byte, hashLen int, each func(string) bool) error {
	if len(b) < 12 || string(b[:4]) != "DIRC" {
		return errIndex
	}
	version := binary.BigEndian.Uint32(b[4:])
	n := binary.BigEndian.Uint32(b[8:])
	if version < 2 || version > 4 {
		return errIndex
	}
	off, prev := 12, ""
	fixed := 40 + hashLen + 2
	for i := uint32(0); i < n; i++ {
		start := off
		if off+fixed > len(b) {
			return errIndex
		}
		flags := binary.BigEndian.Uint16(b[off+40+hashLen:])
		off += fixed
		if version >= 3 && flags&0x4000 != 0 {
			off += 2
		}
		if off > len(b) {
			return errIndex
		}
		var name string
		if version == 4 {
			strip, used := offsetVarint(b[off:])
			if used == 0 || strip > uint64(len(prev)) {
				return errIndex
			}
			off += used
			end := bytes.IndexByte(b[off:], 0)
			if end < 0 {
				return errIndex
			}
			if len(prev)-int(strip)+end > maxIndexPath {
				// Each entry may add to the one before: without a bound a
				// small hostile index grows names quadratically.
				return errIndex
			}
			name = prev[:len(prev)-int(strip)] + string(b[off:off+end])
			off += end + 1
		} else {
			end := bytes.IndexByte(b[off:], 0)
			if end < 0 {
				return errIndex
			}
			name = string(b[off : off+end])
			// 1 to 8 NULs pad the entry to a multiple of 8 bytes.
			off = start + (off-start+end+8)&^7
		}
		prev = name
		if !each(name) {
			return nil
		}
	}
	return nil
}

// offsetVarint decodes git's offset varint; used is 0 when b ends first.
func offsetVarint(b []byte) (v uint64, used int) {
	for i, c := range b {
		if i > 9 {
			return 0, 0
		}
		if i == 0 {
			v = uint64(c & 127)
		} else {
			v = (v+1)<<7 | uint64(c&127)
		}
		if c&128 == 0 {
			return v, i + 1
		}
	}
	return 0, 0
}
