package doctor

import (
	"bytes"
	"path"
	"strings"

	"github.com/bmatcuk/doublestar/v4"
)

// Doctor never runs git (or anything) on the directory it inspects: a
// project's .git/config can name a program for git to run (core.fsmonitor,
// core.hooksPath with a hook, a filter). It reads what git would read
// instead: the .gitignore files from the repository's root down to the
// file and .git/info/exclude, and the index for what is tracked. The
// global excludes (core.excludesFile, ~/.config/git/ignore) are not
// consulted: they are the reader's own, not the project's.

// ignoreRule is one line of a .gitignore or exclude file.
type ignoreRule struct {
	// base is the directory of the file the rule is in, relative to the
	// repository's root ("" at the root): the rule only applies under it.
	base    string
	pattern string
	negate  bool
	dirOnly bool
	// anchored rules (a slash other than a trailing one) match the path
	// below base; the others match its last element at any depth.
	anchored bool
}

// parseIgnore reads the rules of one ignore file in directory base, as
// gitignore(5) describes its lines.
func parseIgnore(content []byte, base string) []ignoreRule {
	var out []ignoreRule
	for _, line := range strings.Split(string(bytes.TrimPrefix(content, []byte("\xef\xbb\xbf"))), "\n") {
		line = strings.TrimSuffix(line, "\r")
		line = trimTrailingSpaces(line)
		if line == "" || strings.HasPrefix(line, "#") {
			continue
		}
		r := ignoreRule{base: base}
		if strings.HasPrefix(line, "!") {
			r.negate, line = true, line[1:]
		} else if strings.HasPrefix(line, `\!`) || strings.HasPrefix(line, `\#`) {
			line = line[1:]
		}
		if strings.HasSuffix(line, "/") && !strings.HasSuffix(line, `\/`) {
			r.dirOnly, line = true, strings.TrimRight(line, "/")
		}
		if line == "" {
			continue
		}
		r.anchored = strings.Contains(line, "/")
		line = strings.TrimPrefix(line, "/")
		// git's globs have no braces: make doublestar read them as the
		// characters they are.
		line = strings.NewReplacer("{", `\{`, "}", `\}`).Replace(line)
		if !doublestar.ValidatePattern(line) {
			continue // git matches nothing with a broken pattern either
		}
		r.pattern = line
		out = append(out, r)
	}
	return out
}

// trimTrailingSpaces drops the trailing spaces of a line unless a
// backslash escapes them.
func trimTrailingSpaces(line string) string {
	for strings.HasSuffix(line, " ") && !strings.HasSuffix(line, `\ `) {
		line = line[:len(line)-1]
	}
	return line
}

// match reports whether r matches p (relative to the repository's root);
// isDir says p is a directory.
func (r ignoreRule) match(p string, isDir bool) bool {
	if r.dirOnly && !isDir {
		return false
	}
	rel := p
	if r.base != "" {
		if !strings.HasPrefix(p, r.base+"/") {
			return false
		}
		rel = p[len(r.base)+1:]
	}
	if !r.anchored {
		rel = path.Base(rel)
	}
	ok, err := doublestar.Match(r.pattern, rel)
	return err == nil && ok
}

// ignored reports whether git ignores the file p under rules, given in
// git's order of precedence, lowest first (info/exclude, then the
// .gitignore files from the root down; within a file the last rule that
// matches wins). As in git, a file whose directory is ignored stays
// ignored whatever a later rule says: git does not look inside.
func ignored(rules []ignoreRule, p string) bool {
	parts := strings.Split(p, "/")
	for i := 1; i < len(parts); i++ {
		if lastMatch(rules, strings.Join(parts[:i], "/"), true) {
			return true
		}
	}
	return lastMatch(rules, p, false)
}

func lastMatch(rules []ignoreRule, p string, isDir bool) bool {
	for i := len(rules) - 1; i >= 0; i-- {
		if rules[i].match(p, isDir) {
			return !rules[i].negate
		}
	}
	return false
}
