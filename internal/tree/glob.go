package tree

import (
	"context"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path"
	"path/filepath"
	"slices"
	"strings"
	"syscall"

	"github.com/bmatcuk/doublestar/v4"
)

// Bounds on one glob's walk, so that `**` over a huge or looping tree ends
// with an error instead of running on.
const (
	// GlobMaxEntries bounds the files and directories one glob looks at:
	// five times the files byocpack reads from one project.
	GlobMaxEntries = 5 * MaxFiles
	// GlobMaxDepth bounds how deep below its fixed part a glob descends;
	// a Salesforce DX tree nests about ten levels
	// (force-app/main/default/objects/X/fields/Y.field-meta.xml).
	GlobMaxDepth = 64
)

// Glob returns the files pattern (a doublestar pattern in the system's
// separators) matches, sorted. It walks from the pattern's fixed leading
// directories (which may be a symbolic link: the user named it) and never
// follows a symbolic link to a directory below them, so a link can lead
// neither outside that root nor into a loop; a link to a file is listed
// like a file, and the command that reads it decides. It stops at ctx's
// cancellation and at the bounds above.
func Glob(ctx context.Context, pattern string) ([]string, error) {
	base, rest := doublestar.SplitPattern(filepath.ToSlash(pattern))
	// A pattern without "**" matches at a fixed depth; nothing deeper is
	// walked.
	depth := GlobMaxDepth
	if !strings.Contains(rest, "**") {
		depth = strings.Count(rest, "/") + 1
	}
	g := &globber{ctx: ctx, pattern: pattern, rest: rest, depth: depth}
	if err := g.dir(filepath.FromSlash(base), "", 0); err != nil {
		return nil, err
	}
	slices.Sort(g.matches)
	return g.matches, nil
}

type globber struct {
	ctx     context.Context
	pattern string
	rest    string
	depth   int
	entries int
	matches []string
}

// dir lists name (rel below the pattern's root), matching its files and
// descending into its real directories.
func (g *globber) dir(name, rel string, depth int) error {
	entries, err := os.ReadDir(name)
	if err != nil {
		if rel == "" && (errors.Is(err, fs.ErrNotExist) || errors.Is(err, syscall.ENOTDIR)) {
			return nil // matches nothing
		}
		return fmt.Errorf("%s: cannot list %s: %w", g.pattern, filepath.ToSlash(name), err)
	}
	for _, e := range entries {
		if err := g.ctx.Err(); err != nil {
			return err
		}
		if g.entries++; g.entries > GlobMaxEntries {
			return fmt.Errorf("%s: more than %d files and directories to look at; narrow the pattern or pass the project directory", g.pattern, GlobMaxEntries)
		}
		p, r := filepath.Join(name, e.Name()), path.Join(rel, e.Name())
		if e.IsDir() {
			if depth+1 >= g.depth {
				if g.depth == GlobMaxDepth {
					return fmt.Errorf("%s: %s nests more than %d levels below the pattern's fixed part; narrow the pattern", g.pattern, filepath.ToSlash(p), GlobMaxDepth)
				}
				continue
			}
			if err := g.dir(p, r, depth+1); err != nil {
				return err
			}
			continue
		}
		if e.Type()&os.ModeSymlink != 0 {
			// Not followed: a link to a directory is neither listed nor
			// walked.
			if fi, err := os.Stat(p); err == nil && fi.IsDir() {
				continue
			}
		}
		if ok, _ := doublestar.Match(g.rest, r); ok {
			if len(g.matches) >= MaxFiles {
				return fmt.Errorf("%s: matches more than %d files; narrow the pattern or pass the project directory", g.pattern, MaxFiles)
			}
			g.matches = append(g.matches, p)
		}
	}
	return nil
}
