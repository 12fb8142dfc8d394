package tree

import (
	"io/fs"
	"strings"
	"testing"
	"testing/fstest"
)

// hugeFS reports every file as one byte over MaxFileSize, as a runaway
// file would be: the reader must refuse it from its stat, before reading.
type hugeFS struct{ fstest.MapFS }

func (h hugeFS) Open(name string) (fs.File, error) {
	f, err := h.MapFS.Open(name)
	if err != nil {
		return nil, err
	}
	return hugeFile{f}, nil
}

type hugeFile struct{ fs.File }

func (h hugeFile) Stat() (fs.FileInfo, error) {
	fi, err := h.File.Stat()
	if err != nil || fi.IsDir() {
		return fi, err
	}
	return hugeInfo{fi}, nil
}

type hugeInfo struct{ fs.FileInfo }

func (hugeInfo) Size() int64 { return MaxFileSize + 1 }

func TestFSReaderKeepsTheBounds(t *testing.T) {
	files := fstest.MapFS{
		"p/a.xml":    {Data: []byte("<a/>\n")},
		"p/link.xml": {Data: []byte("a.xml"), Mode: fs.ModeSymlink},
	}
	if _, err := ReadFSPath(hugeFS{files}, "p/a.xml"); err == nil || !strings.Contains(err.Error(), "more than the 64 MiB") {
		t.Errorf("a file over MaxFileSize: got %v", err)
	}
	if b, err := ReadFSFile(files, "p/missing.xml"); b != nil || err != nil {
		t.Errorf("a missing file: got %q, %v", b, err)
	}
	if _, err := ReadFSFile(files, "p/link.xml"); err == nil || !strings.Contains(err.Error(), "is a symbolic link") {
		t.Errorf("a link: got %v", err)
	}
	if _, err := ReadFSFile(files, "../p/a.xml"); err == nil {
		t.Error("a path out of the FS was read")
	}
	r := NewReader("proj")
	r.FS = files
	err := r.Dir("p", nil, nil)
	if err == nil || !strings.Contains(err.Error(), "p/link.xml: symbolic links are not packaged") {
		t.Errorf("a link in a walked directory: got %v", err)
	}
	// The count bound: the walk stops at the file over the limit.
	r = NewReader("proj")
	r.FS, r.files = fstest.MapFS{"p/a.xml": {Data: []byte("<a/>\n")}}, MaxFiles
	if err := r.Dir("p", nil, nil); err == nil || !strings.Contains(err.Error(), "more than 200000 files") {
		t.Errorf("one file over MaxFiles: got %v", err)
	}
}
