package outdir

import (
	"fmt"
	"path"
	"regexp"
	"slices"
	"strings"
)

// Bounds of what a manifest or a journal may list; byocpack's own list a
// few dozen paths a few folders deep.
const (
	maxEntries = 20_000
	maxPathLen = 1024
	maxDepth   = 64
)

// rootFiles are the files byocpack writes at the top of a project.
func rootFiles() []string {
	return []string{"sfdx-project.json", ".gitignore", "SETUP.md", "ADMIN-SETUP.md"}
}

// windowsGitAlias matches the 8.3 short name Windows may give .git.
var windowsGitAlias = regexp.MustCompile(`(?i)^git~[0-9]+$`)

// checkOwnedPath refuses a path byocpack never writes in an output
// directory. It writes the project's root files, metadata files
// (-meta.xml) under any folder, the two zips and, through a journal, its
// manifest, and never inside .git or its own state; a manifest or a
// journal that lists anything else (.git/HEAD, a hook, the journal
// itself, a folder that only case or a trailing dot tells from .git) was
// not written by byocpack, and acting on it could delete or plant the
// user's files.
func checkOwnedPath(p string, inJournal bool) error {
	if len(p) > maxPathLen || strings.Count(p, "/") >= maxDepth {
		return fmt.Errorf("%.60q… is longer or deeper than any path byocpack writes", p)
	}
	if p == ManifestName && inJournal {
		return nil
	}
	if slices.Contains(rootFiles(), p) {
		return nil
	}
	for _, c := range strings.Split(p, "/") {
		// Windows drops trailing dots and spaces, and case never tells
		// two names apart on Windows or macOS.
		bare := strings.TrimRight(c, ". ")
		if strings.EqualFold(bare, ".git") || strings.EqualFold(bare, StateDirName) || windowsGitAlias.MatchString(bare) {
			return fmt.Errorf("%q is not a path byocpack writes (it is inside .git or byocpack's own state, in some spelling)", p)
		}
	}
	switch base := path.Base(p); {
	case strings.HasSuffix(base, "-meta.xml"), base == "package.zip", base == "package-version-info.zip":
		return nil
	}
	return fmt.Errorf("%q is not a path byocpack writes (it writes the project's root files, -meta.xml files and the two zips)", p)
}

// checkJournalPaths checks a journal's lists: paths byocpack writes, and
// directories that are parents of them.
func checkJournalPaths(j *journal) error {
	if n := len(j.Writes) + len(j.Removes) + len(j.Dirs); n > maxEntries {
		return fmt.Errorf("it lists %d paths, more than byocpack ever writes in one run", n)
	}
	for _, p := range slices.Concat(j.Writes, j.Removes) {
		if err := checkOwnedPath(p, true); err != nil {
			return err
		}
	}
	for _, dir := range j.Dirs {
		if !slices.ContainsFunc(j.Writes, func(w string) bool { return strings.HasPrefix(w, dir+"/") }) {
			return fmt.Errorf("it lists the folder %q, which holds none of the files it writes", dir)
		}
	}
	return nil
}
