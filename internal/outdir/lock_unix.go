//go:build unix

package outdir

import (
	"errors"
	"os"
	"syscall"
)

const openNoFollow = syscall.O_NOFOLLOW

var errWouldBlock = syscall.EWOULDBLOCK

// tryLock takes an exclusive flock without waiting.
func tryLock(f *os.File) error { return syscall.Flock(int(f.Fd()), syscall.LOCK_EX|syscall.LOCK_NB) }

// alive reports whether a process of this host still runs.
func alive(pid int) bool {
	err := syscall.Kill(pid, 0)
	return err == nil || errors.Is(err, syscall.EPERM)
}
