package sfdx

import (
	"fmt"
	"github.com/byocpack/byocpack/internal/tree"
	"path"
	"path/filepath"
	"strings"
	"sync"

	"github.com/bmatcuk/doublestar/v4"
)

// ForceIgnoreFile is the ignore file the CLI reads at the project root.
const ForceIgnoreFile = ".forceignore"

// Bounds on .forceignore: every path of a project is matched against every
// rule, once per folder above it, so 100,000 rules over a deep tree took
// minutes. Real files hold tens of rules.
const (
	// MaxIgnoreRules is one rule for each of the 10,000 files a deploy
	// takes at most, tenfold smaller: a list that long names files one by
	// one, which a folder or a pattern does better.
	MaxIgnoreRules = 1_000
	// MaxIgnoreLine is the longest path Linux accepts (PATH_MAX).
	MaxIgnoreLine = 4096
)

// defaultIgnore are the rules the CLI (source-deploy-retrieve's ForceIgnore)
// puts before the user's own; like the CLI, they only apply when a
// .forceignore exists.
func defaultIgnore() []string {
	return []string{
		"**/*.dup",
		"**/.*",
		"!.sf",
		"**/.sf/**",
		"!**/.sf/orgs",
		"!**/.sf/orgs/**",
		"**/.sf/orgs/*/**",
		"!**/.sf/orgs/*/remoteMetadata",
		"!**/.sf/orgs/*/remoteMetadata/**",
		"**/package2-descriptor.json",
		"**/package2-manifest.json",
	}
}

type ignoreRule struct {
	negate   bool
	dirOnly  bool
	anchored bool // matched against the whole path, not only the base name
	glob     string
	// needle is the longest run of plain characters in glob, which every
	// path it matches holds: a path without it is passed over without
	// matching the glob (most rules are "**/name/**" or "**/*.ext",
	// and a project has hundreds of files a rule does not name).
	needle string
}

// needleOf is the longest piece of glob between wildcards and slashes
// ("**/" may match no folder at all, so the slashes are not required),
// or "" when glob has classes, alternatives or escapes, whose characters
// a match need not hold.
func needleOf(glob string) string {
	if strings.ContainsAny(glob, "[{\\") {
		return ""
	}
	needle := ""
	for _, piece := range strings.FieldsFunc(glob, func(r rune) bool { return r == '*' || r == '?' || r == '/' }) {
		if len(piece) > len(needle) {
			needle = piece
		}
	}
	return needle
}

// ForceIgnore holds gitignore-style rules relative to the project root. The
// zero value ignores nothing, as the CLI does when no .forceignore exists.
type ForceIgnore struct {
	rules []ignoreRule
	// dirs remembers the verdict on each folder: every file below it asks
	// again, and matching each rule for each folder of each path was a
	// fifth of packaging an 800-file project. files remembers each file's,
	// since reading, validating, the secrets gate and the converter each
	// ask.
	dirs, files sync.Map // string → bool
}

// LoadForceIgnore reads projectDir/.forceignore; a missing file is not an
// error.
func LoadForceIgnore(projectDir string) (*ForceIgnore, error) {
	file := filepath.Join(projectDir, ForceIgnoreFile)
	data, err := tree.ReadFile(projectDir, ForceIgnoreFile)
	if err != nil {
		return nil, fmt.Errorf("%s: %w", file, err)
	}
	if data == nil {
		return &ForceIgnore{}, nil
	}
	return ParseForceIgnore(file, string(data))
}

// ParseForceIgnore parses .forceignore content; name is used in messages.
func ParseForceIgnore(name, content string) (*ForceIgnore, error) {
	f := &ForceIgnore{}
	lines := append(defaultIgnore(), strings.Split(strings.ReplaceAll(content, "\r\n", "\n"), "\n")...)
	nDefault := len(defaultIgnore())
	for i, line := range lines {
		if len(line) > MaxIgnoreLine {
			return nil, fmt.Errorf("%s:%d: a line of %d bytes is longer than any path (%d bytes); shorten it or split it into patterns", name, i-nDefault+1, len(line), MaxIgnoreLine)
		}
		r, ok, err := parseIgnoreLine(line)
		if err != nil {
			return nil, fmt.Errorf("%s:%d: %v", name, i-nDefault+1, err)
		}
		if !ok {
			continue
		}
		if len(f.rules)-nDefault >= MaxIgnoreRules {
			return nil, fmt.Errorf("%s:%d: more than %d rules; byocpack reads at most %d (each file is matched against every rule): ignore folders or patterns rather than files one by one", name, i-nDefault+1, MaxIgnoreRules, MaxIgnoreRules)
		}
		f.rules = append(f.rules, r)
	}
	return f, nil
}

func parseIgnoreLine(line string) (ignoreRule, bool, error) {
	var r ignoreRule
	line = strings.TrimRight(line, " \t")
	if line == "" || strings.HasPrefix(line, "#") {
		return r, false, nil
	}
	if strings.Contains(line, "\\") && !strings.HasPrefix(line, "\\#") && !strings.HasPrefix(line, "\\!") {
		return r, false, fmt.Errorf("%q uses a backslash; .forceignore separates folders with \"/\"", line)
	}
	if strings.HasPrefix(line, "!") {
		r.negate = true
		line = line[1:]
	} else if strings.HasPrefix(line, "\\") {
		line = line[1:]
	}
	if strings.HasSuffix(line, "/") {
		r.dirOnly = true
		line = strings.TrimSuffix(line, "/")
	}
	if strings.HasPrefix(line, "/") {
		r.anchored = true
		line = strings.TrimPrefix(line, "/")
	} else if strings.Contains(line, "/") {
		r.anchored = true
	}
	if !doublestar.ValidatePattern(line) {
		return r, false, fmt.Errorf("%q is not a valid pattern", line)
	}
	r.glob, r.needle = line, needleOf(line)
	return r, true, nil
}

func (r ignoreRule) matches(rel string, isDir bool) bool {
	if r.dirOnly && !isDir {
		return false
	}
	subject := rel
	if !r.anchored {
		subject = path.Base(rel)
	}
	if !strings.Contains(subject, r.needle) {
		return false
	}
	if r.anchored {
		ok, _ := doublestar.Match(r.glob, rel)
		if ok && isDir && strings.HasSuffix(r.glob, "/**") {
			// As in gitignore (and the CLI's node-ignore), "dir/**" matches
			// what is inside dir but not dir itself, so a later "!" rule can
			// re-include a file in it.
			self, _ := doublestar.Match(strings.TrimSuffix(r.glob, "/**"), rel)
			return !self
		}
		return ok
	}
	ok, _ := doublestar.Match(r.glob, subject)
	return ok
}

// decide applies the rules to one path; the last matching rule wins.
func (f *ForceIgnore) decide(rel string, isDir bool) bool {
	ignored := false
	for _, r := range f.rules {
		if r.matches(rel, isDir) {
			ignored = !r.negate
		}
	}
	return ignored
}

// Denies reports whether rel (slash-separated, relative to the project
// root) is ignored. As in git, a file inside an ignored folder is ignored
// and cannot be re-included.
func (f *ForceIgnore) Denies(rel string) bool {
	if f == nil || len(f.rules) == 0 {
		return false
	}
	if v, ok := f.files.Load(rel); ok {
		return v.(bool)
	}
	dir, ok := parentDir(rel)
	denied := ok && f.deniesDir(dir) || f.decide(rel, false)
	f.files.Store(rel, denied)
	return denied
}

// deniesDir reports whether the folder dir, or one above it, is ignored.
func (f *ForceIgnore) deniesDir(dir string) bool {
	if v, ok := f.dirs.Load(dir); ok {
		return v.(bool)
	}
	denied := false
	if parent, ok := parentDir(dir); ok {
		denied = f.deniesDir(parent)
	}
	denied = denied || f.decide(dir, true)
	f.dirs.Store(dir, denied)
	return denied
}

// parentDir is p up to its last slash, if it has one.
func parentDir(p string) (string, bool) {
	i := strings.LastIndexByte(p, '/')
	if i < 0 {
		return "", false
	}
	return p[:i], true
}
