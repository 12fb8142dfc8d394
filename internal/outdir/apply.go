package outdir

import (
	"encoding/json"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path"
	"path/filepath"
	"slices"
	"strconv"
	"strings"

	"github.com/byocpack/byocpack/internal/fserr"
	"github.com/byocpack/byocpack/internal/strictjson"
	"github.com/byocpack/byocpack/internal/tree"
)

// journal is written before the first file moves and says how to undo or
// finish the apply. Its state is "prepared" while files move and
// "committed" once all have; the next run reads it if this one is killed.
type journal struct {
	State  string   `json:"state"`
	Writes []string `json:"writes"`
	// Digests are the SHA-256 of each written file: a rollback moves a
	// file out of the way only when it holds exactly those bytes, so a
	// journal that was planted or damaged can never take a user's file.
	Digests map[string]string `json:"digests"`
	// IDs name each staged file as only this machine can (its device and
	// inode; see fileID), recorded before the journal is: a rollback takes
	// a file back out of place only when it is that very file, so a
	// journal committed to a repository, which can name a user's file and
	// its digest, takes nothing. A journal without them moves no file out.
	IDs map[string]string `json:"ids,omitempty"`
	// AsideIDs name, the same way, each file a write ("w3") or a removal
	// ("r0") moves aside, read before the journal is written: only that
	// very file is ever put back, or lets a commit prune its folder.
	AsideIDs map[string]string `json:"asideIds,omitempty"`
	// Aside records, under the same keys, each such file as the run read
	// it: it moves aside, and is deleted at the commit, only while it is
	// still that file with those bytes (see seen).
	Aside   map[string]seen `json:"aside,omitempty"`
	Removes []string        `json:"removes"`
	// Dirs are the directories this apply creates, shallowest first, so a
	// rollback removes them again.
	Dirs []string `json:"dirs"`
	// Layout 1 stages every file flat in the transaction directory, under
	// its index in Writes or Removes, so staging creates one directory and
	// no tree (on ext4 a mkdir costs more than writing a small file); 0 is
	// the earlier layout that mirrored each path under new/ and old/. Such
	// a journal records no identities, so recovery moves nothing of it and
	// says how to finish it with the byocpack that wrote it.
	Layout int `json:"layout,omitempty"`
}

const flatLayout = 1

// staged is where write i waits before it moves into place.
func (d *Dir) staged(j *journal, i int) string {
	if j.Layout == flatLayout {
		return filepath.Join(d.txn(), "n"+strconv.Itoa(i))
	}
	return filepath.Join(d.txn(), "new", filepath.FromSlash(j.Writes[i]))
}

// aside is where the file a write (kind 'w') or removal ('r') replaces
// waits until the apply is committed or undone.
func (d *Dir) aside(j *journal, kind byte, i int) string {
	if j.Layout == flatLayout {
		return filepath.Join(d.txn(), string(kind)+strconv.Itoa(i))
	}
	rel := j.Writes
	if kind == 'r' {
		rel = j.Removes
	}
	return filepath.Join(d.txn(), "old", filepath.FromSlash(rel[i]))
}

func asideKey(kind byte, i int) string { return string(kind) + strconv.Itoa(i) }

// keptAside reports whether the file at old is the one this run moved
// aside for write or removal i.
func keptAside(j *journal, kind byte, i int, old string) bool {
	fi, err := os.Lstat(old)
	id := j.AsideIDs[asideKey(kind, i)]
	return err == nil && fi.Mode().IsRegular() && id != "" && fileID(fi) == id
}

const (
	statePrepared  = "prepared"
	stateCommitted = "committed"
)

// Apply carries out a plan as one step. Files are staged under
// .byocpack/txn inside the directory, the journal is written, then each
// file moves into place with a rename (an existing one moves aside into
// the transaction first); if any step fails the moves are undone. A kill
// part-way leaves the journal, and the next Open finishes or undoes it.
func (d *Dir) Apply(p *Plan) (err error) {
	if d.lock == nil {
		return errors.New("outdir: Apply needs a directory opened with Create")
	}
	if p.Empty() {
		return nil
	}
	j := journal{State: statePrepared, Removes: p.removes, Digests: map[string]string{}, IDs: map[string]string{}, AsideIDs: map[string]string{}, Aside: map[string]seen{}, Layout: flatLayout}
	for _, f := range p.writes {
		j.Writes = append(j.Writes, f.Path)
		j.Digests[f.Path] = f.SHA256
		if f.SHA256 == "" {
			j.Digests[f.Path] = Digest(f.Data)
		}
	}
	for _, rel := range append(slices.Clone(j.Writes), j.Removes...) {
		if err := tree.NoSymlinkedParents(d.Path, rel); err != nil {
			return err
		}
	}
	j.Dirs = d.missingDirs(j.Writes)
	for kind, rels := range map[byte][]string{'w': j.Writes, 'r': j.Removes} {
		for i, rel := range rels {
			s, ok := p.seen[rel]
			if !ok {
				return fmt.Errorf("outdir: %s was planned without being read", rel)
			}
			j.Aside[asideKey(kind, i)] = s
			if s.ID != "" {
				j.AsideIDs[asideKey(kind, i)] = s.ID
			}
		}
	}
	if _, err := os.Lstat(d.committed()); err == nil {
		return fmt.Errorf("%s is left from another run; byocpack will not apply beside it: remove %s and check the directory by hand", d.committed(), d.state())
	}
	killed, journaled := false, false
	defer func() {
		if err == nil || killed {
			return
		}
		if !journaled {
			// Nothing has moved yet: drop the staged files.
			os.RemoveAll(d.txn())
			return
		}
		if rerr := d.rollback(j); rerr != nil {
			err = fmt.Errorf("%w; undoing the partial change also failed (%v): run byocpack again to finish undoing it", err, rerr)
		}
	}()
	step := func(name string) error {
		if d.fault == nil {
			return nil
		}
		ferr := d.fault(name)
		if errors.Is(ferr, errKilled) {
			killed = true
		}
		return ferr
	}

	if err := step("stage"); err != nil {
		return err
	}
	if err := os.Mkdir(d.txn(), 0o755); err != nil {
		return d.writeErr(StateDirName, err)
	}
	for i, f := range p.writes {
		staged := d.staged(&j, i)
		if err := os.WriteFile(staged, f.Data, 0o644); err != nil {
			return d.writeErr(f.Path, err)
		}
		fi, err := os.Lstat(staged)
		if err != nil {
			return d.writeErr(f.Path, err)
		}
		j.IDs[f.Path] = fileID(fi)
	}
	if err := step("journal"); err != nil {
		return err
	}
	if err := d.writeJournal(j, step); err != nil {
		return err
	}
	// From here on a rollback is possible: every staged file exists, so a
	// missing one has been moved into place.
	journaled = true
	for _, dir := range j.Dirs {
		if err := step("mkdir " + dir); err != nil {
			return err
		}
		if err := os.Mkdir(d.abs(dir), 0o755); err != nil && !errors.Is(err, fs.ErrExist) {
			return d.writeErr(dir, err)
		}
	}
	for i, rel := range j.Writes {
		if err := step("write " + rel); err != nil {
			return err
		}
		if err := d.stillAsRead(&j, 'w', i, rel); err != nil {
			return err
		}
		if err := d.moveAside(rel, d.aside(&j, 'w', i)); err != nil {
			return err
		}
		if err := os.Rename(d.staged(&j, i), d.abs(rel)); err != nil {
			return d.writeErr(rel, err)
		}
	}
	for i, rel := range j.Removes {
		if err := step("remove " + rel); err != nil {
			return err
		}
		if err := d.stillAsRead(&j, 'r', i, rel); err != nil {
			return err
		}
		if err := d.moveAside(rel, d.aside(&j, 'r', i)); err != nil {
			return err
		}
	}
	if err := step("commit"); err != nil {
		return err
	}
	// The commit is one rename of the journal: atomic, and cheaper than
	// writing a second record.
	if err := os.Rename(d.journal(), d.committed()); err != nil {
		return fmt.Errorf("cannot write in %s (%v); nothing was changed", d.Path, fserr.Cause(err))
	}
	killed = true // from here on, finishing is the only way; never roll back
	if err := step("cleanup"); err != nil {
		return nil // the next Open finishes the cleanup
	}
	return d.finish(j)
}

func (d *Dir) writeErr(rel string, err error) error {
	return fmt.Errorf("cannot write %s (%v); nothing was changed, check the permissions of %s", filepath.Join(d.Path, filepath.FromSlash(rel)), fserr.Cause(err), d.Path)
}

// moveAside moves the current file at rel (if any) to old in the
// transaction, from where a rollback puts it back and a commit deletes it.
func (d *Dir) moveAside(rel, old string) error {
	if _, err := os.Lstat(d.abs(rel)); errors.Is(err, fs.ErrNotExist) {
		return nil
	}
	if err := os.Rename(d.abs(rel), old); err != nil {
		return d.writeErr(rel, err)
	}
	return nil
}

// missingDirs lists the parent directories of paths that do not exist
// yet, shallowest first.
func (d *Dir) missingDirs(paths []string) []string {
	seen := map[string]bool{}
	var out []string
	for _, p := range paths {
		var chain []string
		for dir := path.Dir(p); dir != "."; dir = path.Dir(dir) {
			chain = append(chain, dir)
		}
		for i := len(chain) - 1; i >= 0; i-- {
			dir := chain[i]
			if seen[dir] {
				continue
			}
			seen[dir] = true
			if _, err := os.Lstat(d.abs(dir)); errors.Is(err, fs.ErrNotExist) {
				out = append(out, dir)
			}
		}
	}
	slices.SortStableFunc(out, func(a, b string) int { return strings.Count(a, "/") - strings.Count(b, "/") })
	return out
}

func (d *Dir) writeJournal(j journal, step func(string) error) error {
	b, _ := json.Marshal(j)
	tmp := d.journal() + ".tmp"
	if err := os.WriteFile(tmp, b, 0o644); err != nil {
		return fmt.Errorf("cannot write in %s (%v); nothing was changed", d.Path, fserr.Cause(err))
	}
	// Between writing the record and renaming it into place.
	if err := step("rename journal " + j.State); err != nil {
		return err
	}
	if err := os.Rename(tmp, d.journal()); err != nil {
		return fmt.Errorf("cannot write in %s (%v); nothing was changed", d.Path, fserr.Cause(err))
	}
	return nil
}

// recover finishes or undoes an apply that a killed run left behind. Every
// step checks what is there before it moves anything, so a recovery that
// is itself killed is simply run again.
func (d *Dir) recover() error {
	if fi, err := os.Lstat(d.txn()); err == nil && !fi.IsDir() {
		return fmt.Errorf("%s is not a directory byocpack made (a link or a file); byocpack will not follow it: remove %s and check the directory by hand", d.txn(), d.state())
	}
	committed, record := true, d.committed()
	b, err := tree.ReadFile(d.state(), filepath.Base(record))
	if err == nil && b == nil {
		committed, record = false, d.journal()
		b, err = tree.ReadFile(d.state(), filepath.Base(record))
	}
	if err == nil && b == nil {
		err = fs.ErrNotExist
	}
	if errors.Is(err, fs.ErrNotExist) {
		// Killed before the journal was written: nothing moved yet.
		if _, err := os.Lstat(d.txn()); err == nil {
			d.Recovered = "removed the staged files of a byocpack run that was interrupted before it changed anything"
		}
		os.RemoveAll(d.txn())
		os.Remove(d.journal() + ".tmp")
		return nil
	}
	if err != nil {
		return fmt.Errorf("%s: %v; remove %s and check the directory by hand", record, fserr.Cause(err), d.state())
	}
	var j journal
	if err := strictjson.Unmarshal(b, &j); err != nil || (j.State != statePrepared && j.State != stateCommitted) {
		return fmt.Errorf("%s: not a byocpack journal; an interrupted run cannot be undone automatically: compare %s with %s/txn, then remove %s", record, d.Path, d.state(), d.state())
	}
	if err := checkJournalPaths(&j); err != nil {
		return fmt.Errorf("%s: not a journal byocpack wrote: %v; byocpack will not act on it: remove %s and check the directory by hand", record, err, d.state())
	}
	for _, p := range slices.Concat(j.Writes, j.Removes, j.Dirs) {
		if tree.CheckPath(p) != nil || tree.NoSymlinkedParents(d.Path, p) != nil {
			return fmt.Errorf("%s: lists %q, which is not a path byocpack writes inside %s; byocpack will not follow it: remove %s and check the directory by hand", record, p, d.Path, d.state())
		}
	}
	if committed || j.State == stateCommitted {
		if err := d.finish(j); err != nil {
			return err
		}
		d.Recovered = "finished a byocpack run that was interrupted after it had written every file"
		return nil
	}
	if err := d.rollback(j); err != nil {
		return fmt.Errorf("cannot undo the byocpack run that was interrupted in %s: %v", d.Path, fserr.Cause(err))
	}
	d.Recovered = "undid a byocpack run that was interrupted part-way; the directory is as it was before that run"
	return nil
}

// rollback puts back what an apply moved, newest first, with renames
// only, and only what it can prove this run moved: a file it takes out of
// place must be the very file the run staged (IDs), one it puts back the
// very file the run moved aside (AsideIDs). Whatever it cannot prove it
// leaves where it is and reports, keeping the journal, so nothing is ever
// lost to a journal it did not write.
func (d *Dir) rollback(j journal) error {
	var errs []error
	fix := "check it, then remove " + d.state()
	if j.Layout != flatLayout || len(j.AsideIDs) == 0 && len(j.IDs) == 0 {
		// A journal of an older byocpack records no identities.
		fix = "if an older byocpack was interrupted here, run that version once more on the directory (it finishes or undoes its own run); else " + fix
	}
	unproven := func(rel, what string) {
		errs = append(errs, fmt.Errorf("%s: %s, but byocpack cannot prove the interrupted run put it there, so it moved nothing: %s",
			filepath.Join(d.Path, filepath.FromSlash(rel)), what, fix))
	}
	back := func(kind byte, i int, rel string) {
		old := d.aside(&j, kind, i)
		if _, err := os.Lstat(old); err != nil {
			return // nothing was moved aside
		}
		if j.Layout != flatLayout || !keptAside(&j, kind, i, old) {
			unproven(rel, "the version from before stays in "+old)
			return
		}
		if _, err := os.Lstat(d.abs(rel)); err == nil {
			// Never over a file that is there, and never delete the one
			// kept aside: the user decides.
			errs = append(errs, fmt.Errorf("%s holds a file this run cannot prove it wrote, so the version from before the interrupted run stays in %s: compare the two, keep one, then remove %s",
				filepath.Join(d.Path, filepath.FromSlash(rel)), old, d.state()))
			return
		}
		if err := os.Rename(old, d.abs(rel)); err != nil {
			errs = append(errs, err)
		}
	}
	for i := len(j.Removes) - 1; i >= 0; i-- {
		back('r', i, j.Removes[i])
	}
	for i := len(j.Writes) - 1; i >= 0; i-- {
		rel := j.Writes[i]
		staged := d.staged(&j, i)
		if _, err := os.Lstat(staged); errors.Is(err, fs.ErrNotExist) {
			// The new file was moved into place: move it back out, but
			// only the very file this run staged, with exactly its bytes.
			fi, err := os.Lstat(d.abs(rel))
			switch {
			case err != nil:
				// Not there: nothing to take out.
			case j.Layout == flatLayout && fi.Mode().IsRegular() && j.IDs[rel] != "" && fileID(fi) == j.IDs[rel] && d.holds(rel, j.Digests[rel]):
				if err := os.Rename(d.abs(rel), staged); err != nil {
					errs = append(errs, err)
					continue
				}
			case d.holds(rel, j.Digests[rel]):
				// The bytes this run wrote, in a file it cannot prove is
				// its own (the directory was copied or moved since).
				unproven(rel, "it holds the bytes the interrupted run wrote")
			}
		}
		back('w', i, rel)
	}
	if len(errs) > 0 {
		return errors.Join(errs...)
	}
	for i := len(j.Dirs) - 1; i >= 0; i-- {
		os.Remove(d.abs(j.Dirs[i])) // only when empty
	}
	os.RemoveAll(d.txn())
	os.Remove(d.journal())
	// A kill while the commit record was being written leaves its
	// temporary file beside the journal.
	os.Remove(d.journal() + ".tmp")
	return nil
}

// finish deletes what a committed apply replaced and the directories its
// removals left empty, but first keeps what was edited after it moved
// aside (keepEdited).
func (d *Dir) finish(j journal) error {
	kept, stuck := d.keepEdited(&j)
	for i, p := range j.Removes {
		// Only where this run really moved a file aside: a journal that
		// names paths it never touched prunes none of the user's folders.
		if !keptAside(&j, 'r', i, d.aside(&j, 'r', i)) {
			continue
		}
		for dir := path.Dir(p); dir != "."; dir = path.Dir(dir) {
			if os.Remove(d.abs(dir)) != nil {
				break
			}
		}
	}
	if stuck {
		// A kept file could not leave the transaction: keep it and the
		// record, so the next run tries again and nothing is deleted.
		return kept
	}
	os.RemoveAll(d.txn())
	os.Remove(d.committed())
	os.Remove(d.journal())
	os.Remove(d.journal() + ".tmp")
	return kept
}

// holds reports whether the file at rel has the given digest.
func (d *Dir) holds(rel, digest string) bool {
	if digest == "" {
		return false
	}
	b, err := tree.ReadFile(d.Path, rel)
	return err == nil && b != nil && Digest(b) == digest
}
