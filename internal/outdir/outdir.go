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

// Commit writes files into dir. With force, files byocpack did not write
// (or that were edited since) are replaced or removed instead of being
// reported as conflicts.
func Commit(dir string, files []File, force bool) (*Result, error) {
	for _, f := range files {
		if !fs.ValidPath(f.Path) || f.Path == ManifestName {
			return nil, fmt.Errorf("refusing to write %q outside %s", f.Path, dir)
		}
	}
	owned, err := readManifest(dir)
	if err != nil {
		return nil, err
	}
	res := &Result{}
	var conflicts []string
	var changed []File
	next := map[string]bool{}
	for _, f := range files {
		next[f.Path] = true
		cur, err := ReadFile(dir, f.Path)
		if err != nil {
			return nil, err
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
	for p, e := range owned {
		if next[p] || e.Merged {
			continue
		}
		cur, err := ReadFile(dir, p)
		if err != nil {
			return nil, err
		}
		if cur == nil {
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
		return nil, &ConflictError{Dir: dir, Conflicts: conflicts}
	}
	m := manifest{Tool: "byocpack"}
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
	if err := apply(dir, changed, stale); err != nil {
		return nil, err
	}
	for _, f := range changed {
		if f.Path != ManifestName {
			res.Written = append(res.Written, f.Path)
		}
	}
	res.Removed = stale
	slices.Sort(res.Written)
	slices.Sort(res.Unchanged)
	return res, nil
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
	parent := filepath.Dir(filepath.Clean(dir))
	if err := os.MkdirAll(parent, 0o755); err != nil {
		return err
	}
	stage, err := os.MkdirTemp(parent, "."+filepath.Base(dir)+".byocpack-")
	if err != nil {
		return fmt.Errorf("stage output beside %s: %w", dir, err)
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
			return fmt.Errorf("write %s: %w", f.Path, err)
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
