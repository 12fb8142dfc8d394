package tree

import (
	"errors"
	"fmt"
	"io/fs"
	"path"
	"path/filepath"
	"strings"
)

// This file is the Reader over an fs.FS (Reader.FS): a project a test
// holds in memory (testing/fstest.MapFS), read by the same walk as a
// project on disk and within the same bounds, so that a pipeline test
// needs no disk. The FS gives each file's identity (name, size, mode,
// time) through its stat; links, FIFOs, devices and names with control
// characters are refused as on disk.

// ReadFSFile reads rel from fsys without following a link, within
// MaxFileSize; a missing file is (nil, nil): what ReadFile is on disk.
func ReadFSFile(fsys fs.FS, rel string) ([]byte, error) {
	if err := CheckPath(rel); err != nil {
		return nil, err
	}
	fi, err := fs.Lstat(fsys, rel)
	if errors.Is(err, fs.ErrNotExist) {
		return nil, nil
	}
	if err != nil {
		return nil, err
	}
	if fi.Mode()&fs.ModeSymlink != 0 {
		return nil, fmt.Errorf("%s is a symbolic link; byocpack reads only regular files here: replace it with the file", rel)
	}
	return ReadFSPath(fsys, rel)
}

// ReadFSPath reads a regular file of fsys, checked from the open file's
// stat and bounded while it is read, as ReadPath is on disk.
func ReadFSPath(fsys fs.FS, rel string) ([]byte, error) {
	trace(rel)
	f, err := fsys.Open(rel)
	if err != nil {
		return nil, err
	}
	defer f.Close()
	return readOpened(f, rel)
}

// fileFS is File over r.FS.
func (r *Reader) fileFS(rel string) error {
	if _, ok := r.Tree.Get(rel); ok {
		return nil
	}
	b, err := ReadFSFile(r.FS, rel)
	if err != nil || b == nil {
		return err
	}
	return r.add(rel, filepath.Join(r.Root, filepath.FromSlash(rel)), b)
}

// dirFS is Dir over r.FS: the same refusals, and the same count and size
// bounds through add.
func (r *Reader) dirFS(rel string, keep func(rel string) bool, skipDir func(rel string) bool) error {
	start := path.Clean(rel)
	if start != "." {
		if err := CheckPath(start); err != nil {
			return err
		}
		// No link at the directory or above it; a directory that is not
		// there (or is a file) holds nothing, as on disk.
		parts := strings.Split(start, "/")
		for i := range parts {
			cur := strings.Join(parts[:i+1], "/")
			fi, err := fs.Lstat(r.FS, cur)
			if errors.Is(err, fs.ErrNotExist) {
				return nil
			}
			if err != nil {
				return err
			}
			if fi.Mode()&fs.ModeSymlink != 0 {
				return fmt.Errorf("%s is a symbolic link; byocpack does not follow links in a project: replace it with the directory", cur)
			}
			if !fi.IsDir() {
				return nil
			}
		}
	}
	return fs.WalkDir(r.FS, start, func(p string, d fs.DirEntry, err error) error {
		if err != nil {
			return err
		}
		if r.Ctx != nil {
			if err := r.Ctx.Err(); err != nil {
				return err
			}
		}
		if read, err := judge(p, p, d, p == start, keep, skipDir); !read {
			return err
		}
		if r.ListOnly {
			return r.add(p, filepath.Join(r.Root, filepath.FromSlash(p)), nil)
		}
		b, err := ReadFSPath(r.FS, p)
		if err != nil {
			return err
		}
		name := filepath.Join(r.Root, filepath.FromSlash(p))
		if r.keepLazy(p, b) {
			return r.addRead(p, name, nil, newLazy(name, "", p, r.FS, b))
		}
		return r.add(p, name, b)
	})
}
