package tree

import (
	"errors"
	"fmt"
	"io"
	"io/fs"
	"os"
	"path/filepath"
	"syscall"
	"time"
)

// MaxInputFile bounds a spec or a certificate read through DirFS: a spec
// is a few kilobytes and a certificate chain a few more, so 4 MiB refuses
// a runaway file at once, without reading it.
const MaxInputFile = 4 << 20

// DirFS is os.DirFS with byocpack's bounds: a name that is not a regular
// file (a FIFO, a device, a socket, also behind a symbolic link) is
// refused without blocking, and a file over limit bytes is refused from its
// size before any byte is read.
func DirFS(dir string, limit int64) fs.FS { return boundedFS{dir: dir, limit: limit} }

type boundedFS struct {
	dir   string
	limit int64
}

func (b boundedFS) Open(name string) (fs.File, error) {
	if !fs.ValidPath(name) {
		return nil, &fs.PathError{Op: "open", Path: name, Err: fs.ErrInvalid}
	}
	full := filepath.Join(b.dir, filepath.FromSlash(name))
	f, err := os.OpenFile(full, os.O_RDONLY|syscall.O_NONBLOCK, 0)
	if err != nil {
		return nil, err
	}
	fi, err := f.Stat()
	if err != nil {
		f.Close()
		return nil, err
	}
	if fi.IsDir() {
		return f, nil
	}
	if err := checkInput(name, fi, b.limit); err != nil {
		f.Close()
		return nil, err
	}
	trace(full)
	return &limitedFile{File: f, left: b.limit + 1, limit: b.limit}, nil
}

// Stat answers fs.Stat without opening the file, so that ReadFS's check
// before the open does not open it a first time.
func (b boundedFS) Stat(name string) (fs.FileInfo, error) {
	if !fs.ValidPath(name) {
		return nil, &fs.PathError{Op: "stat", Path: name, Err: fs.ErrInvalid}
	}
	return os.Stat(filepath.Join(b.dir, filepath.FromSlash(name)))
}

// limitedFile stops a file that grows while it is read.
type limitedFile struct {
	*os.File
	left, limit int64
}

func (l *limitedFile) Read(p []byte) (int, error) {
	if l.left <= 0 {
		return 0, fmt.Errorf("%s: more than the %d MiB byocpack reads from this file", l.Name(), l.limit>>20)
	}
	if int64(len(p)) > l.left {
		p = p[:l.left]
	}
	n, err := l.File.Read(p)
	l.left -= int64(n)
	return n, err
}

// WithFile is fsys with one more file, name, holding data: the spec read
// from standard input, with the files it references resolved in fsys.
func WithFile(fsys fs.FS, name string, data []byte) fs.FS {
	return overlayFS{base: fsys, name: name, data: data}
}

type overlayFS struct {
	base fs.FS
	name string
	data []byte
}

func (o overlayFS) Open(name string) (fs.File, error) {
	if name == o.name {
		return &memFile{name: name, data: o.data}, nil
	}
	return o.base.Open(name)
}

type memFile struct {
	name string
	data []byte
	off  int
}

func (m *memFile) Stat() (fs.FileInfo, error) { return memInfo{m}, nil }
func (m *memFile) Close() error               { return nil }
func (m *memFile) Read(p []byte) (int, error) {
	if m.off >= len(m.data) {
		return 0, io.EOF
	}
	n := copy(p, m.data[m.off:])
	m.off += n
	return n, nil
}

type memInfo struct{ m *memFile }

func (i memInfo) Name() string       { return i.m.name }
func (i memInfo) Size() int64        { return int64(len(i.m.data)) }
func (i memInfo) Mode() fs.FileMode  { return 0o444 }
func (i memInfo) ModTime() time.Time { return time.Time{} }
func (i memInfo) IsDir() bool        { return false }
func (i memInfo) Sys() any           { return nil }

// ReadAllLimited reads r up to limit bytes; more is an error naming what.
func ReadAllLimited(r io.Reader, limit int64, what string) ([]byte, error) {
	b, err := io.ReadAll(io.LimitReader(r, limit+1))
	if err != nil {
		return nil, err
	}
	if int64(len(b)) > limit {
		return nil, fmt.Errorf("%s: more than the %d MiB byocpack reads", what, limit>>20)
	}
	return b, nil
}

// IsNotRegular reports whether err refuses a FIFO, device or socket.
func IsNotRegular(err error) bool { return errors.Is(err, errNotRegular) }

// ReadFS reads name from fsys within limit bytes, refusing what is not a
// regular file from its stat before opening it: any fs.FS a caller passes
// (os.DirFS too, whose open of a FIFO blocks) reads a spec or a
// certificate without hanging on a FIFO or filling memory from
// /dev/zero. The open file is checked again, in case the name changed
// between the two.
func ReadFS(fsys fs.FS, name string, limit int64) ([]byte, error) {
	fi, err := fs.Stat(fsys, name)
	if err != nil {
		return nil, err
	}
	if err := checkInput(name, fi, limit); err != nil {
		return nil, err
	}
	f, err := fsys.Open(name)
	if err != nil {
		return nil, err
	}
	defer f.Close()
	if fi, err = f.Stat(); err != nil {
		return nil, err
	}
	if err := checkInput(name, fi, limit); err != nil {
		return nil, err
	}
	return ReadAllLimited(f, limit, name)
}

// checkInput refuses an input file that is not a regular file (a FIFO, a
// device) or is over limit bytes, from its stat.
func checkInput(name string, fi fs.FileInfo, limit int64) error {
	switch {
	case !fi.Mode().IsRegular():
		return &fs.PathError{Op: "open", Path: name, Err: fmt.Errorf("%w: it is %s; give a regular file", errNotRegular, kind(fi.Mode()))}
	case fi.Size() > limit:
		return &fs.PathError{Op: "open", Path: name, Err: fmt.Errorf("%d bytes is more than the %d MiB byocpack reads from this file", fi.Size(), limit>>20)}
	}
	return nil
}
