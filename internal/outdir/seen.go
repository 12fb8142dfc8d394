package outdir

import (
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"strconv"

	"github.com/byocpack/byocpack/generator/escape"
	"github.com/byocpack/byocpack/internal/tree"
)

// seen is a file as a run read it. The user may edit the directory while
// a run works on it: a file is moved aside, and a moved-aside file
// deleted, only while it is still this one (the same file, size, time and
// bytes), so an edit made after the read is never lost.
type seen struct {
	// ID is the file's fileID; "" when there was no file.
	ID     string `json:"id,omitempty"`
	Size   int64  `json:"size,omitempty"`
	MTime  int64  `json:"mtime,omitempty"`
	SHA256 string `json:"sha256,omitempty"`
}

const changedWhileRunning = " (changed while byocpack was running; kept as it is: run byocpack again)"

// look reads the file at rel as ReadFile does and records in p what it
// read. The stat comes first: an edit between it and the read shows as a
// newer time than the one recorded, so it is caught, never missed. read,
// when it has rel, gives the bytes the run read earlier instead: an edit
// since then shows as bytes other than the digest recorded here.
func (d *Dir) look(p *Plan, rel string, read func(string) ([]byte, bool)) ([]byte, error) {
	if d.missing {
		p.seen[rel] = seen{}
		return nil, nil
	}
	fi, err := os.Lstat(d.abs(rel))
	var b []byte
	if known, ok := readEarlier(read, rel); ok && err == nil && fi.Mode().IsRegular() {
		b = known
	} else {
		var rerr error
		if b, rerr = d.ReadFile(rel); rerr != nil {
			return nil, rerr
		}
	}
	s := seen{}
	if err == nil && b != nil {
		s = stamp(fi)
		s.SHA256 = Digest(b)
	}
	p.seen[rel] = s
	return b, nil
}

func stamp(fi fs.FileInfo) seen {
	return seen{ID: fileID(fi), Size: fi.Size(), MTime: fi.ModTime().UnixNano()}
}

// isStill reports whether the file at abs is still the one s records
// (nothing there when s records no file). The digest is read only when
// the cheap stamps agree.
func isStill(abs string, s seen) bool {
	fi, err := os.Lstat(abs)
	if s.ID == "" {
		return errors.Is(err, fs.ErrNotExist)
	}
	if err != nil || !fi.Mode().IsRegular() {
		return false
	}
	now := stamp(fi)
	if now.ID != s.ID || now.Size != s.Size || now.MTime != s.MTime {
		return false
	}
	b, err := tree.ReadFile(filepath.Dir(abs), filepath.Base(abs))
	return err == nil && b != nil && Digest(b) == s.SHA256
}

// stillAsRead refuses to move the file at rel when it is not the one the
// plan read: the user edited, replaced or created it meanwhile.
func (d *Dir) stillAsRead(j *journal, kind byte, i int, rel string) error {
	s, ok := j.Aside[asideKey(kind, i)]
	if !ok || isStill(d.abs(rel), s) {
		return nil
	}
	return &ConflictError{Dir: d.Path, Conflicts: []string{rel + changedWhileRunning}}
}

// keepEdited is called before a committed apply deletes what it moved
// aside: a file edited after the move (through a handle the user's
// program still held) is put back where it was when that place is free,
// else kept under the state directory, and reported; never deleted.
// stuck says a kept file could not leave the transaction.
func (d *Dir) keepEdited(j *journal) (err error, stuck bool) {
	var kept []string
	for _, k := range []struct {
		kind byte
		rels []string
	}{{'w', j.Writes}, {'r', j.Removes}} {
		for i, rel := range k.rels {
			old := d.aside(j, k.kind, i)
			s, ok := j.Aside[asideKey(k.kind, i)]
			// Only the very file this run moved aside (its device and
			// inode): a planted transaction puts nothing in the tree.
			if !ok || !keptAside(j, k.kind, i, old) || isStill(old, s) {
				continue
			}
			dst := d.abs(rel)
			if _, err := os.Lstat(dst); err == nil || tree.NoSymlinkedParents(d.Path, rel) != nil {
				dst = d.keptPath(rel)
			}
			if dst == "" || os.Rename(old, dst) != nil {
				dst, stuck = old, true
			}
			kept = append(kept, fmt.Sprintf("%s: edited while byocpack replaced it; your version is kept at %s", d.abs(rel), dst))
		}
	}
	if len(kept) == 0 {
		return nil, false
	}
	return &KeptError{Dir: d.Path, Kept: kept}, stuck
}

// keptPath is a free path for rel under the state directory's kept/, or
// "" when there is none.
func (d *Dir) keptPath(rel string) string {
	rel = "kept/" + rel
	base := filepath.Join(d.state(), filepath.FromSlash(rel))
	// Checked before and after creating the folders: never through a link.
	if tree.NoSymlinkedParents(d.state(), rel) != nil || os.MkdirAll(filepath.Dir(base), 0o755) != nil || tree.NoSymlinkedParents(d.state(), rel) != nil {
		return ""
	}
	for n := 0; n < 100; n++ {
		p := base
		if n > 0 {
			p += "." + strconv.Itoa(n)
		}
		if _, err := os.Lstat(p); errors.Is(err, fs.ErrNotExist) {
			return p
		}
	}
	return ""
}

// KeptError says a run completed but found files the user edited while it
// replaced them, and where each edited version now is.
type KeptError struct {
	Dir  string
	Kept []string
}

// Error lists one kept file a line, each escaped (package escape).
func (e *KeptError) Error() string {
	msg := escape.Line(e.Dir) + ": byocpack wrote its files, but these were edited while it ran:"
	for _, k := range e.Kept {
		msg += "\n  " + escape.Line(k)
	}
	return msg + "\ncompare each kept version with the file in place and keep the one you want"
}

func readEarlier(read func(string) ([]byte, bool), rel string) ([]byte, bool) {
	if read == nil {
		return nil, false
	}
	b, ok := read(rel)
	return b, ok && b != nil
}
