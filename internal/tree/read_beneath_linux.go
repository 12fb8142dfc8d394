package tree

import (
	"errors"
	"path/filepath"
	"syscall"
	"unsafe"
)

// sysOpenat2 is openat2(2)'s number, the same on every Linux
// architecture (since 5.6); the syscall package does not name it.
const sysOpenat2 = 437

// resolveNoSymlinks makes openat2 fail with ELOOP on a symbolic link in
// any component of the path.
const resolveNoSymlinks = 0x04

type openHow struct {
	flags, mode, resolve uint64
}

// readBeneath reads rel under root, a directory whose own path has no
// link left in it (Reader.realRoot), refusing a symbolic link in any
// component of rel: a folder a walk found, swapped for a link to one
// outside the project before a file in it is read, is never followed
// (O_NOFOLLOW guards the last name only). Where the kernel has no
// openat2 (before 5.6, or a sandbox that refuses it) the read falls back
// to readNoLink.
func readBeneath(root, rel, name string) ([]byte, error) {
	if root == "" {
		return readNoLink(name)
	}
	trace(name)
	path, err := syscall.BytePtrFromString(filepath.Join(root, filepath.FromSlash(rel)))
	if err != nil {
		return nil, err
	}
	how := openHow{flags: syscall.O_RDONLY | syscall.O_NONBLOCK | syscall.O_CLOEXEC, resolve: resolveNoSymlinks}
	cwd := dirCWD
	b, err := readOpen(name, func() (int, error) {
		fd, _, errno := syscall.Syscall6(sysOpenat2, uintptr(cwd), uintptr(unsafe.Pointer(path)), uintptr(unsafe.Pointer(&how)), unsafe.Sizeof(how), 0, 0)
		if errno != 0 {
			return -1, errno
		}
		return int(fd), nil
	})
	switch {
	case errors.Is(err, syscall.ENOSYS), errors.Is(err, syscall.EPERM):
		return readNoLink(name)
	case errors.Is(err, syscall.ELOOP), errors.Is(err, syscall.EXDEV):
		return nil, linkError(name)
	}
	return b, err
}

// dirCWD is AT_FDCWD.
const dirCWD = -100
