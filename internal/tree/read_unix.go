//go:build unix

package tree

import (
	"errors"
	"io"
	"io/fs"
	"syscall"
)

// noFollow makes an open refuse a symbolic link at the name itself.
const noFollow = syscall.O_NOFOLLOW

// readRegular reads a regular file with four system calls (open, fstat,
// read, close): package os would also register the descriptor with the
// poller and query its flags, half again as many calls per file, which
// is most of what reading 10,000 small files costs. O_NONBLOCK keeps the
// open of a FIFO from blocking; the fstat then refuses it.
func readRegular(name string) ([]byte, error) { return readRegularFlags(name, 0) }

// readNoLink is readRegular of a file a walk or a project read found to
// be a regular file: a symbolic link put in its place since is refused,
// never followed (O_NOFOLLOW).
func readNoLink(name string) ([]byte, error) {
	b, err := readRegularFlags(name, noFollow)
	if errors.Is(err, syscall.ELOOP) {
		return nil, linkError(name)
	}
	return b, err
}

func readRegularFlags(name string, flags int) ([]byte, error) {
	trace(name)
	return readOpen(name, func() (int, error) {
		return syscall.Open(name, syscall.O_RDONLY|syscall.O_NONBLOCK|syscall.O_CLOEXEC|flags, 0)
	})
}

// readOpen reads the regular file open gives a descriptor of.
func readOpen(name string, open func() (int, error)) ([]byte, error) {
	var fd int
	var err error
	for {
		fd, err = open()
		if err != syscall.EINTR {
			break
		}
	}
	if err != nil {
		return nil, &fs.PathError{Op: "open", Path: name, Err: err}
	}
	defer syscall.Close(fd)
	var st syscall.Stat_t
	if err := syscall.Fstat(fd, &st); err != nil {
		return nil, &fs.PathError{Op: "stat", Path: name, Err: err}
	}
	if err := checkRegular(name, modeOf(uint32(st.Mode)), st.Size); err != nil {
		return nil, err
	}
	return readSized(fdReader(fd), name, st.Size)
}

// modeOf is the file type of a stat's mode, as fs.FileMode says it.
func modeOf(m uint32) fs.FileMode {
	switch m & syscall.S_IFMT {
	case syscall.S_IFREG:
		return 0
	case syscall.S_IFDIR:
		return fs.ModeDir
	case syscall.S_IFLNK:
		return fs.ModeSymlink
	case syscall.S_IFIFO:
		return fs.ModeNamedPipe
	case syscall.S_IFSOCK:
		return fs.ModeSocket
	case syscall.S_IFCHR:
		return fs.ModeDevice | fs.ModeCharDevice
	}
	return fs.ModeDevice
}

// fdReader reads a descriptor, retrying an interrupted read.
type fdReader int

func (r fdReader) Read(p []byte) (int, error) {
	for {
		n, err := syscall.Read(int(r), p)
		switch {
		case err == syscall.EINTR:
			continue
		case err != nil:
			return 0, err
		case n == 0 && len(p) > 0:
			return 0, io.EOF
		}
		return n, nil
	}
}
