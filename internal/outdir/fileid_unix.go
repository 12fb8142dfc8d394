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

// singleLink reports whether fi is a regular file with one name: a hard
// link planted at byocpack's lock path would make it write elsewhere.
func singleLink(fi fs.FileInfo) bool {
	st, ok := fi.Sys().(*syscall.Stat_t)
	return fi.Mode().IsRegular() && ok && st.Nlink == 1
}
