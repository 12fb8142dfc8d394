// Package outdir commits generated files into an output directory as one
// step: every file is staged beside the directory first, conflicts are
// found before anything moves, and a failure part-way puts back what was
// there. A manifest inside the directory records what byocpack wrote, so
// a later run removes its own stale files and never a file the user wrote.
package outdir

import (
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path"
	"path/filepath"
	"slices"
	"strings"

	"byocpack/internal/fserr"
)

// ManifestName is the manifest's file name inside the output directory.
const ManifestName = ".byocpack-manifest.json"

// File is one file to commit. Path is relative and slash-separated.
type File struct {
	Path string
	Data []byte
	// Merged files were built from the user's existing content (such as
	// sfdx-project.json): they may replace a file byocpack did not write,
	// and they are never removed as stale.
	Merged bool
}

// manifest is the record of what byocpack wrote, with a digest per file
// so that a file edited by hand is recognised and left alone.
type manifest struct {
	Tool  string          `json:"tool"`
	Files []manifestEntry `json:"files"`
}

type manifestEntry struct {
	Path   string `json:"path"`
	SHA256 string `json:"sha256"`
	Merged bool   `json:"merged,omitempty"`
}

// Result says what a commit changed.
type Result struct {
	Written   []string // created or changed
	Unchanged []string
	Removed   []string // stale files of an earlier run
}

// ConflictError lists files byocpack will not touch without --force.
type ConflictError struct {
	Dir       string
	Conflicts []string
}

func (e *ConflictError) Error() string {
	return fmt.Sprintf("%s: nothing was written, because byocpack would overwrite or remove files it did not write or that were edited since:\n  %s\nmove those files away, or pass --force to replace them",
		e.Dir, strings.Join(e.Conflicts, "\n  "))
}

func digest(b []byte) string {
	sum := sha256.Sum256(b)
	return hex.EncodeToString(sum[:])
}

// ReadFile returns a file of the output directory, or nil when it does
// not exist; renderers use it to merge into the user's files.
func ReadFile(dir, rel string) ([]byte, error) {
	b, err := os.ReadFile(filepath.Join(dir, filepath.FromSlash(rel)))
	if errors.Is(err, fs.ErrNotExist) {
		return nil, nil
	}
	return b, err
}

func readManifest(dir string) (map[string]manifestEntry, error) {
	b, err := ReadFile(dir, ManifestName)
	if err != nil || b == nil {
		return map[string]manifestEntry{}, err
	}
	var m manifest
	if err := json.Unmarshal(b, &m); err != nil {
		return nil, fmt.Errorf("%s: not a byocpack manifest (%v); it records which files byocpack owns, restore it or remove it together with the files it listed", filepath.Join(dir, ManifestName), err)
	}
	owned := map[string]manifestEntry{}
	for _, e := range m.Files {
		owned[e.Path] = e
	}
	return owned, nil
}

// Options tune a commit.
type Options struct {
	// Force replaces or removes files byocpack did not write, or that
	// were edited since, instead of reporting them as conflicts.
	Force bool
	// Keep lists path prefixes (such as "dist/") of files an earlier run
	// wrote that this run does not produce but must not remove: render
	// leaves the zips of build alone.
	Keep []string
}

// Plan works out what Commit would do, conflicts included, and changes
// nothing: it is what a dry run shows.
func Plan(dir string, files []File, opts Options) (*Result, error) {
	res, _, _, err := plan(dir, files, opts)
	return res, err
}

// Commit writes files into dir and removes the stale files of an earlier
// run, all or nothing.
func Commit(dir string, files []File, opts Options) (*Result, error) {
	res, changed, stale, err := plan(dir, files, opts)
	if err != nil {
		return nil, err
	}
	if err := apply(dir, changed, stale); err != nil {
		return nil, err
	}
	return res, nil
}

func plan(dir string, files []File, opts Options) (*Result, []File, []string, error) {
	if info, err := os.Stat(dir); err == nil && !info.IsDir() {
		return nil, nil, nil, fmt.Errorf("%s is a file, not a directory; choose another output directory", dir)
	}
	force := opts.Force
	for _, f := range files {
		if !fs.ValidPath(f.Path) || f.Path == ManifestName {
			return nil, nil, nil, fmt.Errorf("refusing to write %q outside %s", f.Path, dir)
		}
	}
	owned, err := readManifest(dir)
	if err != nil {
		return nil, nil, nil, err
	}
	res := &Result{}
	var conflicts []string
	var changed []File
	next := map[string]bool{}
	for _, f := range files {
		next[f.Path] = true
		cur, err := ReadFile(dir, f.Path)
		if err != nil {
			return nil, nil, nil, err
		}
		switch {
		case cur == nil:
			changed = append(changed, f)
		case string(cur) == string(f.Data):
			res.Unchanged = append(res.Unchanged, f.Path)
		case f.Merged:
			changed = append(changed, f)
		default:
			e, ours := owned[f.Path]
			if !force && (!ours || e.SHA256 != digest(cur)) {
				conflicts = append(conflicts, describeConflict(f.Path, ours))
				continue
			}
			changed = append(changed, f)
		}
	}
	var stale []string
	var kept []manifestEntry
	for p, e := range owned {
		if next[p] || e.Merged {
			continue
		}
		cur, err := ReadFile(dir, p)
		if err != nil {
			return nil, nil, nil, err
		}
		if cur == nil {
			continue
		}
		if keep(p, opts.Keep) {
			kept = append(kept, e)
			continue
		}
		if !force && e.SHA256 != digest(cur) {
			conflicts = append(conflicts, p+" (written by an earlier run, no longer generated, and edited since)")
			continue
		}
		stale = append(stale, p)
	}
	if len(conflicts) > 0 {
		slices.Sort(conflicts)
		return nil, nil, nil, &ConflictError{Dir: dir, Conflicts: conflicts}
	}
	m := manifest{Tool: "byocpack", Files: kept}
	for _, f := range files {
		m.Files = append(m.Files, manifestEntry{Path: f.Path, SHA256: digest(f.Data), Merged: f.Merged})
	}
	slices.SortFunc(m.Files, func(a, b manifestEntry) int { return strings.Compare(a.Path, b.Path) })
	mb, _ := json.MarshalIndent(m, "", "  ")
	mb = append(mb, '\n')
	if cur, _ := ReadFile(dir, ManifestName); string(cur) != string(mb) {
		changed = append(changed, File{Path: ManifestName, Data: mb})
	}
	slices.Sort(stale)
	for _, f := range changed {
		if f.Path != ManifestName {
			res.Written = append(res.Written, f.Path)
		}
	}
	res.Removed = stale
	slices.Sort(res.Written)
	slices.Sort(res.Unchanged)
	return res, changed, stale, nil
}

func keep(p string, prefixes []string) bool {
	for _, k := range prefixes {
		if strings.HasPrefix(p, k) {
			return true
		}
	}
	return false
}

func describeConflict(p string, ours bool) string {
	if ours {
		return p + " (edited since byocpack wrote it)"
	}
	return p + " (exists and was not written by byocpack)"
}

// apply stages every file in a directory beside dir (same filesystem, so
// renames are atomic), then moves them into place, keeping what it
// replaces or removes until the end so that a failure can put it back.
func apply(dir string, changed []File, stale []string) (err error) {
	if len(changed) == 0 && len(stale) == 0 {
		return nil
	}
	// Stage next to where the files really go, so a symlinked output
	// directory on another filesystem still gets atomic renames.
	if real, err := filepath.EvalSymlinks(dir); err == nil {
		dir = real
	}
	parent := filepath.Dir(filepath.Clean(dir))
	if err := os.MkdirAll(parent, 0o755); err != nil {
		return err
	}
	stage, err := os.MkdirTemp(parent, "."+filepath.Base(dir)+".byocpack-")
	if err != nil {
		return fmt.Errorf("cannot stage the output beside %s (%v); byocpack writes a temporary directory next to the output directory, so its parent must be writable", dir, fserr.Cause(err))
	}
	defer os.RemoveAll(stage)
	newDir := filepath.Join(stage, "new")
	backup := filepath.Join(stage, "old")
	for _, f := range changed {
		p := filepath.Join(newDir, filepath.FromSlash(f.Path))
		if err := os.MkdirAll(filepath.Dir(p), 0o755); err != nil {
			return err
		}
		if err := os.WriteFile(p, f.Data, 0o644); err != nil {
			return fmt.Errorf("stage %s: %w", f.Path, err)
		}
	}
	if _, statErr := os.Stat(dir); errors.Is(statErr, fs.ErrNotExist) && len(stale) == 0 {
		// A new output directory appears whole or not at all.
		return os.Rename(newDir, dir)
	}

	type move struct{ from, to string }
	var done []move // undo log, replayed backwards on failure
	defer func() {
		if err == nil {
			return
		}
		for i := len(done) - 1; i >= 0; i-- {
			_ = os.Rename(done[i].to, done[i].from)
		}
	}()
	moveFile := func(from, to string) error {
		if err := os.MkdirAll(filepath.Dir(to), 0o755); err != nil {
			return err
		}
		if err := os.Rename(from, to); err != nil {
			return err
		}
		done = append(done, move{from, to})
		return nil
	}
	for _, f := range changed {
		target := filepath.Join(dir, filepath.FromSlash(f.Path))
		if _, err := os.Lstat(target); err == nil {
			if err := moveFile(target, filepath.Join(backup, filepath.FromSlash(f.Path))); err != nil {
				return fmt.Errorf("replace %s: %w", f.Path, err)
			}
		}
		if err := moveFile(filepath.Join(newDir, filepath.FromSlash(f.Path)), target); err != nil {
			return fmt.Errorf("cannot write %s (%v); nothing was changed, check the permissions of %s", filepath.Join(dir, filepath.FromSlash(f.Path)), fserr.Cause(err), dir)
		}
	}
	for _, p := range stale {
		if err := moveFile(filepath.Join(dir, filepath.FromSlash(p)), filepath.Join(backup, filepath.FromSlash(p))); err != nil {
			return fmt.Errorf("remove stale %s: %w", p, err)
		}
	}
	pruneEmptyDirs(dir, stale)
	return nil
}

// pruneEmptyDirs removes the directories that removing stale files left
// empty, up to (not including) dir. A directory with anything else in it
// stays.
func pruneEmptyDirs(dir string, removed []string) {
	for _, p := range removed {
		for d := path.Dir(p); d != "." && d != "/"; d = path.Dir(d) {
			if os.Remove(filepath.Join(dir, filepath.FromSlash(d))) != nil {
				break
			}
		}
	}
}
