// Package outdir owns what byocpack writes into a directory. A run opens
// the directory (taking its lock and finishing or undoing any run that
// was killed half-way), reads what it needs, plans the change against the
// manifest of what byocpack wrote before, and applies the plan as one
// step: staged inside the directory itself, so renames never cross a
// filesystem (a mount point works), journalled, so that after a kill the
// next run leaves either the old tree or the new one.
//
// Ownership is strict: byocpack replaces or removes only files it wrote
// and that are unchanged since; a file that was there before it first
// wrote to that path stays the user's, even when the bytes match.
package outdir

import (
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"time"

	"github.com/byocpack/byocpack/generator/escape"
	"github.com/byocpack/byocpack/internal/fserr"
	"github.com/byocpack/byocpack/internal/tree"
)

// File is one file a run wants in the directory. Path is relative and
// slash-separated.
type File struct {
	Path string
	Data []byte
	// Merged files were built from the user's existing content (such as
	// sfdx-project.json): they may replace a file byocpack did not write,
	// and they are never removed as stale.
	Merged  bool
	Role    Role
	Project string
	Inputs  string
	// Base, for a Merged file, is what the run merged it from: the Digest
	// of the file as the run read it, or Absent. A file that changed since
	// is a conflict: the merge would drop the change.
	Base string
	// SHA256, when set, is Digest(Data), which the caller made already
	// (a zip's, as it was built); Plan makes it when it is empty.
	SHA256 string
}

// Absent is the Base of a Merged file that was made without an existing
// one.
const Absent = "absent"

// BaseOf is the Base of a file merged from b (nil: there was none).
func BaseOf(b []byte) string {
	if b == nil {
		return Absent
	}
	return Digest(b)
}

// Result says what a plan changes.
type Result struct {
	Written   []string // created or changed
	Unchanged []string
	Removed   []string // stale files of an earlier run
	// Yours are paths byocpack would write that already hold exactly its
	// bytes but were not written by it: they stay the user's files.
	Yours []string
}

// ConflictError lists files byocpack will not touch without --force.
type ConflictError struct {
	Dir       string
	Conflicts []string
}

// Error lists one conflict a line, each escaped (package escape): a file
// name cannot add a line of its own.
func (e *ConflictError) Error() string {
	lines := make([]string, len(e.Conflicts))
	for i, c := range e.Conflicts {
		lines[i] = escape.Line(c)
	}
	return fmt.Sprintf("%s: nothing was written, because byocpack would overwrite or remove files it did not write or that were edited since:\n  %s\nmove those files away, or run with the Force option to replace them",
		escape.Line(e.Dir), strings.Join(lines, "\n  "))
}

// Digest is the hex SHA-256 the manifest records.
func Digest(b []byte) string {
	sum := sha256.Sum256(b)
	return hex.EncodeToString(sum[:])
}

// OpenOptions tune Open.
type OpenOptions struct {
	// Create makes the directory when it does not exist (a run that will
	// write). Without it, a missing directory is opened as empty.
	Create bool
	// LockWait is how long to wait for another run's lock; 0 means 30s.
	LockWait time.Duration
	// ExclusiveLockFile uses the O_EXCL lock file even where flock works
	// (tests of the fallback; network volumes take it by themselves).
	ExclusiveLockFile bool
	// Done, when closed, stops a wait for the lock (Ctrl-C).
	Done <-chan struct{}
}

// Dir is an opened output directory. Close it when done.
type Dir struct {
	// Path is the directory as the caller named it, for messages.
	Path    string
	missing bool
	created bool
	// createdFrom is the shallowest directory Open created.
	createdFrom string
	lock        *lock
	owned       map[string]Entry
	manifest    []byte // as Open read it
	// Recovered says what Open did about a run that was killed part-way:
	// "" when there was none.
	Recovered string
	// fault, when set (by tests), is called before each step of an apply;
	// an error stops the apply there, and errKilled stops it as a kill
	// would, without rolling back.
	fault func(step string) error
}

// errKilled, returned by a test fault, makes Apply stop as if the process
// had been killed: nothing after that step runs, not even the rollback.
var errKilled = errors.New("killed (test)")

func (d *Dir) state() string   { return filepath.Join(d.Path, StateDirName) }
func (d *Dir) txn() string     { return filepath.Join(d.state(), "txn") }
func (d *Dir) journal() string { return filepath.Join(d.state(), "journal.json") }

// committed is the journal once every file has moved: renaming it there
// is the apply's commit.
func (d *Dir) committed() string   { return filepath.Join(d.state(), "committed.json") }
func (d *Dir) abs(p string) string { return filepath.Join(d.Path, filepath.FromSlash(p)) }

// Open opens dir, waits for its lock, completes or rolls back a run that
// was interrupted, and reads the manifest.
func Open(dir string, opts OpenOptions) (*Dir, error) {
	d := &Dir{Path: dir}
	fi, err := os.Stat(dir)
	switch {
	case err == nil && !fi.IsDir():
		return nil, fmt.Errorf("%s is a file, not a directory; choose another output directory", dir)
	case errors.Is(err, fs.ErrNotExist) && !opts.Create:
		d.missing = true
		d.owned = map[string]Entry{}
		return d, nil
	case errors.Is(err, fs.ErrNotExist):
		d.createdFrom = firstMissing(dir)
		if err := os.MkdirAll(dir, 0o755); err != nil {
			return nil, fmt.Errorf("cannot create %s (%v); check the permissions of its parent", dir, fserr.Cause(err))
		}
		d.created = true
	case err != nil:
		return nil, fmt.Errorf("%s: %v", dir, fserr.Cause(err))
	}
	_, stateErr := os.Lstat(d.state())
	if opts.Create || stateErr == nil {
		if err := d.takeLock(opts); err != nil {
			d.cleanupCreated()
			return nil, err
		}
		if err := d.recover(); err != nil {
			d.Close()
			return nil, err
		}
	}
	mb, err := tree.ReadFile(dir, ManifestName)
	if err != nil {
		d.Close()
		return nil, fmt.Errorf("%s: %v", filepath.Join(dir, ManifestName), fserr.Cause(err))
	}
	if d.owned, err = parseManifest(filepath.Join(dir, ManifestName), mb); err != nil {
		d.Close()
		return nil, err
	}
	d.manifest = mb
	return d, nil
}

func (d *Dir) takeLock(opts OpenOptions) error {
	if fi, err := os.Lstat(d.state()); err == nil && !fi.IsDir() {
		what := "a file"
		if !fi.Mode().IsRegular() {
			what = tree.Kind(fi.Mode())
		}
		return fmt.Errorf("%s is %s, not a directory; byocpack keeps its lock and journal in that directory and does not follow links there: move it away", d.state(), what)
	}
	if err := os.Mkdir(d.state(), 0o755); err != nil && !errors.Is(err, fs.ErrExist) {
		return fmt.Errorf("cannot write in %s (%v); byocpack needs to write there", d.Path, fserr.Cause(err))
	}
	wait := opts.LockWait
	if wait == 0 {
		wait = 30 * time.Second
	}
	l, err := acquire(d.state(), d.Path, wait, opts.ExclusiveLockFile, opts.Done)
	if err != nil {
		var busy *BusyError
		if errors.As(err, &busy) {
			return err
		}
		return fmt.Errorf("cannot lock %s (%v): %s must be a file byocpack can create and lock; remove what is there", d.Path, fserr.Cause(err), filepath.Join(d.state(), flockName))
	}
	d.lock = l
	return nil
}

// Close releases the lock and removes byocpack's state directory, and the
// output directory itself when this run created it and left it empty.
func (d *Dir) Close() {
	if d == nil || d.lock == nil {
		return
	}
	d.lock.release()
	d.lock = nil
	os.Remove(d.state()) // only when empty: another run may be waiting in it
	d.cleanupCreated()
}

// cleanupCreated removes the directories Open created, deepest first,
// as long as they are empty: a run that wrote nothing leaves nothing.
func (d *Dir) cleanupCreated() {
	if !d.created {
		return
	}
	for p := filepath.Clean(d.Path); ; p = filepath.Dir(p) {
		if os.Remove(p) != nil || p == d.createdFrom || p == filepath.Dir(p) {
			return
		}
	}
}

// firstMissing returns the shallowest ancestor of dir (or dir itself)
// that does not exist.
func firstMissing(dir string) string {
	p := filepath.Clean(dir)
	for {
		parent := filepath.Dir(p)
		if parent == p {
			return p
		}
		if _, err := os.Lstat(parent); err == nil {
			return p
		}
		p = parent
	}
}

// Missing reports whether the directory did not exist (and was not
// created).
func (d *Dir) Missing() bool { return d.missing }

// ReadFile reads a file of the directory (nil when it does not exist),
// never through a link, a FIFO or a device, and bounded in size.
func (d *Dir) ReadFile(rel string) ([]byte, error) {
	if d.missing {
		return nil, nil
	}
	b, err := tree.ReadFile(d.Path, rel)
	if err != nil {
		return nil, fmt.Errorf("%s: %v", filepath.Join(d.Path, filepath.FromSlash(rel)), fserr.Cause(err))
	}
	return b, nil
}

// Owned returns the manifest's entries, sorted by path.
func (d *Dir) Owned() []Entry {
	out := make([]Entry, 0, len(d.owned))
	for _, e := range d.owned {
		out = append(out, e)
	}
	slices.SortFunc(out, func(a, b Entry) int { return strings.Compare(a.Path, b.Path) })
	return out
}

// PlanOptions tune Plan.
type PlanOptions struct {
	// Force replaces or removes files byocpack did not write, or that
	// were edited since, instead of reporting them as conflicts.
	Force bool
	// Replaces says which earlier entries this run's files stand for: an
	// entry it replaces and does not produce again is stale and removed;
	// the others are kept as they are (render keeps zips that still match
	// the tree; package keeps the rendered files).
	Replaces func(Entry) bool
	// Read, when set, gives the bytes of rel as the run read them before
	// (its snapshot of the directory), so that the plan does not read the
	// file a second time. The plan stamps the file all the same, and the
	// commit re-checks the file against these bytes' digest before it
	// moves it: an edit made since the snapshot is kept, never lost.
	Read func(rel string) ([]byte, bool)
}

// Plan is a change worked out against the directory, applied by Apply.
type Plan struct {
	Result  Result
	writes  []File
	removes []string
	// seen is each path to write or remove as Plan read it: Apply moves a
	// file aside only while it is still that one.
	seen map[string]seen
}

// Plan works out what writing files means for the directory, conflicts
// included, and changes nothing: it is also what a dry run shows.
func (d *Dir) Plan(files []File, opts PlanOptions) (*Plan, error) {
	for _, f := range files {
		// What this run writes, the next one must accept in its
		// manifest: refuse it now rather than leave a manifest that
		// locks the directory.
		if f.Path != ManifestName {
			if err := checkOwnedPath(f.Path, false); err != nil {
				return nil, fmt.Errorf("byocpack cannot own %s: %v; choose another path", filepath.Join(d.Path, filepath.FromSlash(f.Path)), err)
			}
		}
	}
	files = slices.Clone(files)
	for i := range files {
		if files[i].SHA256 == "" {
			files[i].SHA256 = Digest(files[i].Data)
		}
	}
	p := &Plan{seen: map[string]seen{}}
	var conflicts []string
	next := map[string]bool{}
	var entries []Entry
	for _, f := range files {
		if err := tree.CheckPath(f.Path); err != nil || f.Path == ManifestName || f.Path == StateDirName || strings.HasPrefix(f.Path, StateDirName+"/") {
			return nil, fmt.Errorf("refusing to write %q: not a path byocpack may write inside %s", f.Path, d.Path)
		}
		if next[f.Path] {
			return nil, fmt.Errorf("%s is produced twice", f.Path)
		}
		next[f.Path] = true
		cur, err := d.look(p, f.Path, opts.Read)
		if err != nil {
			return nil, err
		}
		if f.Merged && f.Base != "" && f.Base != BaseOf(cur) {
			conflicts = append(conflicts, f.Path+changedWhileRunning)
			continue
		}
		e, ours := d.owned[f.Path]
		ours = ours && cur != nil && e.SHA256 == Digest(cur)
		claim := true
		switch {
		case cur == nil:
			p.writes = append(p.writes, f)
			p.Result.Written = append(p.Result.Written, f.Path)
		case string(cur) == string(f.Data) && (ours || f.Merged || d.owned[f.Path].Path != ""):
			p.Result.Unchanged = append(p.Result.Unchanged, f.Path)
		case string(cur) == string(f.Data):
			// There before byocpack wrote here: it stays the user's.
			p.Result.Yours = append(p.Result.Yours, f.Path)
			claim = false
		case f.Merged || ours || opts.Force:
			p.writes = append(p.writes, f)
			p.Result.Written = append(p.Result.Written, f.Path)
		default:
			conflicts = append(conflicts, describeConflict(f.Path, d.owned[f.Path].Path != ""))
			continue
		}
		if claim {
			entries = append(entries, Entry{Path: f.Path, SHA256: f.SHA256, Merged: f.Merged, Role: f.Role, Project: f.Project, Inputs: f.Inputs})
		}
	}
	for _, e := range d.Owned() {
		if next[e.Path] {
			continue
		}
		if e.Merged || opts.Replaces == nil || !opts.Replaces(e) {
			entries = append(entries, e)
			continue
		}
		cur, err := d.look(p, e.Path, opts.Read)
		if err != nil {
			return nil, err
		}
		switch {
		case cur == nil:
		case e.SHA256 == Digest(cur) || opts.Force:
			p.removes = append(p.removes, e.Path)
			p.Result.Removed = append(p.Result.Removed, e.Path)
		default:
			conflicts = append(conflicts, e.Path+" (written by an earlier run, no longer generated, and edited since)")
		}
	}
	if len(conflicts) > 0 {
		slices.Sort(conflicts)
		return nil, &ConflictError{Dir: d.Path, Conflicts: conflicts}
	}
	mb := marshalManifest(entries)
	// The manifest as Open read it (the lock keeps other runs out); an
	// edit by hand since shows at the commit's re-check.
	if cur, err := d.look(p, ManifestName, func(string) ([]byte, bool) { return d.manifest, true }); err != nil {
		return nil, err
	} else if string(cur) != string(mb) {
		p.writes = append(p.writes, File{Path: ManifestName, Data: mb})
	}
	for _, r := range []*[]string{&p.Result.Written, &p.Result.Unchanged, &p.Result.Removed, &p.Result.Yours} {
		slices.Sort(*r)
	}
	return p, nil
}

func describeConflict(p string, ours bool) string {
	if ours {
		return p + " (edited since byocpack wrote it)"
	}
	return p + " (exists and was not written by byocpack)"
}

// Empty reports whether applying the plan changes nothing.
func (p *Plan) Empty() bool { return len(p.writes) == 0 && len(p.removes) == 0 }
