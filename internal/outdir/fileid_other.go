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

// extraLinks reports whether fi has other names; link counts are not
// read here.
func extraLinks(fs.FileInfo) bool { return false }
