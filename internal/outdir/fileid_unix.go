//go:build unix

package outdir

import (
	"fmt"
	"io/fs"
	"syscall"
)

// fileID names the file behind fi so that only the run that made it can
// know the name: its device and inode, which a rename keeps and nobody
// can write into a journal before the file exists on this machine.
func fileID(fi fs.FileInfo) string {
	if st, ok := fi.Sys().(*syscall.Stat_t); ok {
		return fmt.Sprintf("%d:%d", st.Dev, st.Ino)
	}
	return ""
}

// extraLinks reports whether fi, a regular file, has other names than
// the one opened: a hard link planted at byocpack's lock path would make
// it write elsewhere. A count of 0 (the holder before has just removed
// the file) is no extra link: the caller opens the path again.
func extraLinks(fi fs.FileInfo) bool {
	st, ok := fi.Sys().(*syscall.Stat_t)
	return !ok || st.Nlink > 1
}
