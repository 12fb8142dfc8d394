// Package fsutil writes the files byocpack's commands write outside an
// output directory (init's and migrate's spec, cert's key, fmt's rewrites,
// an imported schema) the one safe way: atomically, never through a
// symbolic link, never outside the directory the user gave. internal/outdir
// keeps its own journaled writer for whole generated trees.
package fsutil

import (
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path"
	"path/filepath"
	"strings"
)

// tempMark is in the name of every temporary file WriteFile makes,
// ".<name>.byocpack-tmp-<random>", so a later run can tell its own
// leftovers (a run killed between write and rename) from the user's files.
const tempMark = ".byocpack-tmp-"

// WriteFile writes data to root/rel, rel being slash-separated and inside
// root, with exactly mode perm (the umask does not change it). root is the
// directory the user gave (made when missing) and may itself be a link;
// below it no directory
// may be a symbolic link (a missing one is made, mode 0755), and rel itself
// may not be one, dangling or not: byocpack never writes through a link.
// The data goes to a temporary file beside rel (created with O_EXCL, so it
// is never a link either), which then takes rel's place in one step: a
// reader, or a run killed half way, sees the old file or the new one,
// never a part. Without replace an existing rel is left alone and the
// error wraps fs.ErrExist. A run killed before the rename leaves the
// temporary file; RemoveStaleTemps removes such leftovers (once per
// directory: it lists the directory).
func WriteFile(root, rel string, data []byte, perm fs.FileMode, replace bool) error {
	st, err := Stage(root, rel, data, perm, replace)
	if err != nil {
		return err
	}
	return st.Commit()
}

// Staged is a file written beside its target, not yet in its place.
type Staged struct {
	tmp, name string
	replace   bool
}

// Stage does all of WriteFile but the last step, so that a caller writing
// two files that belong together (a key and its certificate) can put both
// in place back to back, after everything that can take time is done.
func Stage(root, rel string, data []byte, perm fs.FileMode, replace bool) (_ *Staged, err error) {
	if rel == "" || !fs.ValidPath(rel) || rel == "." || strings.Contains(rel, `\`) {
		return nil, fmt.Errorf("%q is not a clean relative path inside %s", rel, root)
	}
	dir, err := makeDirs(root, path.Dir(rel))
	if err != nil {
		return nil, err
	}
	st := &Staged{name: filepath.Join(dir, path.Base(rel)), replace: replace}
	if err := st.check(); err != nil {
		return nil, err
	}
	tmp, err := os.CreateTemp(dir, "."+path.Base(rel)+tempMark+"*")
	if err != nil {
		return nil, err
	}
	st.tmp = tmp.Name()
	defer func() {
		if err != nil {
			st.Abort()
		}
	}()
	if err = tmp.Chmod(perm); err == nil {
		if _, err = tmp.Write(data); err == nil {
			err = tmp.Sync()
		}
	}
	if cerr := tmp.Close(); err == nil {
		err = cerr
	}
	if err != nil {
		return nil, err
	}
	return st, nil
}

// check refuses a link at the target, and an existing target without
// replace.
func (st *Staged) check() error {
	fi, err := os.Lstat(st.name)
	switch {
	case errors.Is(err, fs.ErrNotExist):
		return nil
	case err != nil:
		return err
	case fi.Mode()&fs.ModeSymlink != 0:
		return fmt.Errorf("%s is a symbolic link; byocpack never writes through one: remove the link, or write elsewhere", filepath.ToSlash(st.name))
	case !st.replace:
		return &fs.PathError{Op: "write", Path: filepath.ToSlash(st.name), Err: fs.ErrExist}
	case !fi.Mode().IsRegular():
		return fmt.Errorf("%s is not a regular file; byocpack replaces only files: remove it", filepath.ToSlash(st.name))
	}
	return nil
}

// Commit puts the staged file in its place in one step; on failure the
// temporary file is removed.
func (st *Staged) Commit() (err error) {
	defer func() {
		if err != nil {
			st.Abort()
		}
	}()
	if err := st.check(); err != nil {
		return err
	}
	if st.replace {
		// rename replaces what is at name, a link included, and never
		// follows one.
		return os.Rename(st.tmp, st.name)
	}
	// A hard link fails if name appeared meanwhile; rename would not.
	if err := os.Link(st.tmp, st.name); err != nil {
		if errors.Is(err, fs.ErrExist) {
			return &fs.PathError{Op: "write", Path: filepath.ToSlash(st.name), Err: fs.ErrExist}
		}
		return err
	}
	return os.Remove(st.tmp)
}

// Abort removes the staged file.
func (st *Staged) Abort() { _ = os.Remove(st.tmp) }

// makeDirs makes root/rel's directories that are missing, refusing any
// that is a symbolic link or not a directory, and returns the last.
func makeDirs(root, rel string) (string, error) {
	if err := os.MkdirAll(root, 0o755); err != nil {
		return "", err
	}
	cur := root
	if rel == "." {
		return cur, nil
	}
	for _, part := range strings.Split(rel, "/") {
		cur = filepath.Join(cur, part)
		fi, err := os.Lstat(cur)
		if errors.Is(err, fs.ErrNotExist) {
			if err := os.Mkdir(cur, 0o755); err != nil && !errors.Is(err, fs.ErrExist) {
				return "", err
			}
			if fi, err = os.Lstat(cur); err != nil {
				return "", err
			}
		} else if err != nil {
			return "", err
		}
		if fi.Mode()&fs.ModeSymlink != 0 {
			return "", fmt.Errorf("%s is a symbolic link; byocpack does not write through links below %s: replace it with a directory", filepath.ToSlash(cur), filepath.ToSlash(root))
		}
		if !fi.IsDir() {
			return "", fmt.Errorf("%s is a file where a directory is needed: move it away", filepath.ToSlash(cur))
		}
	}
	return cur, nil
}

// RemoveStaleTemps removes from dir the temporary files WriteFile left
// when a run was killed between writing and renaming, for the files whose
// base name of returns true. Only regular files named as WriteFile names
// them are touched; what cannot be removed stays.
func RemoveStaleTemps(dir string, of func(base string) bool) {
	entries, err := os.ReadDir(dir)
	if err != nil {
		return
	}
	for _, e := range entries {
		base, ok := TempOf(e.Name())
		if ok && e.Type().IsRegular() && of(base) {
			_ = os.Remove(filepath.Join(dir, e.Name()))
		}
	}
}

// TempOf reports whether name is one of WriteFile's temporary files, and
// for which file.
func TempOf(name string) (base string, ok bool) {
	i := strings.LastIndex(name, tempMark)
	if !strings.HasPrefix(name, ".") || i <= 1 {
		return "", false
	}
	rest := name[i+len(tempMark):]
	if rest == "" || strings.Trim(rest, "0123456789") != "" {
		return "", false
	}
	return name[1:i], true
}
