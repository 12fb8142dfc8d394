package sfdx

import (
	"fmt"
	"github.com/byocpack/byocpack/internal/tree"
	"path"
	"path/filepath"
	"strings"

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
}

// ForceIgnore holds gitignore-style rules relative to the project root. The
// zero value ignores nothing, as the CLI does when no .forceignore exists.
type ForceIgnore struct {
	rules []ignoreRule
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
	r.glob = line
	return r, true, nil
}

func (r ignoreRule) matches(rel string, isDir bool) bool {
	if r.dirOnly && !isDir {
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
	ok, _ := doublestar.Match(r.glob, path.Base(rel))
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
	parts := strings.Split(rel, "/")
	for i := 1; i < len(parts); i++ {
		if f.decide(strings.Join(parts[:i], "/"), true) {
			return true
		}
	}
	return f.decide(rel, false)
}
