//go:build !unix

package outdir

import (
	"fmt"
	"io/fs"
)

// fileID names the file behind fi: where there is no inode to read, its
// modification time to the nanosecond and its size, which a rename keeps
// and a journal written before the file existed cannot predict.
func fileID(fi fs.FileInfo) string {
	return fmt.Sprintf("%d:%d", fi.ModTime().UnixNano(), fi.Size())
}

// singleLink reports whether fi is a regular file; link counts are not
// read here.
func singleLink(fi fs.FileInfo) bool { return fi.Mode().IsRegular() }
