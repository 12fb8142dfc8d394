package tree

import (
	"bytes"
	"errors"
	"io/fs"
	"os"
	"path"
	"path/filepath"
	"runtime"
	"slices"
	"strings"
	"syscall"
	"testing"
)

// Both readers (the system-call one of unix and package os's of the
// rest) read what is there and refuse the same files the same way.
func TestReadersAgree(t *testing.T) {
	dir := t.TempDir()
	write := func(name string, data []byte) string {
		p := filepath.Join(dir, name)
		if err := os.WriteFile(p, data, 0o644); err != nil {
			t.Fatal(err)
		}
		return p
	}
	empty := write("empty", nil)
	small := write("small.xml", []byte("<a/>\n"))
	big := write("big", bytes.Repeat([]byte("x"), 1<<20+3))
	fifo := filepath.Join(dir, "fifo")
	if runtime.GOOS != "windows" {
		if err := syscall.Mkfifo(fifo, 0o644); err != nil {
			t.Fatal(err)
		}
	}
	for name, read := range map[string]func(string) ([]byte, error){"readRegular": readRegular, "readRegularFile": readRegularFile} {
		for _, p := range []string{empty, small, big} {
			want, _ := os.ReadFile(p)
			got, err := read(p)
			if err != nil || !bytes.Equal(got, want) {
				t.Errorf("%s(%s) = %d bytes, %v; want %d bytes", name, filepath.Base(p), len(got), err, len(want))
			}
		}
		if _, err := read(filepath.Join(dir, "missing")); !errors.Is(err, fs.ErrNotExist) {
			t.Errorf("%s(missing) = %v, want not exist", name, err)
		}
		if _, err := read(dir); !IsNotRegular(err) || !strings.Contains(err.Error(), "a directory") {
			t.Errorf("%s(dir) = %v", name, err)
		}
		if runtime.GOOS != "windows" {
			if _, err := read(fifo); !IsNotRegular(err) || !strings.Contains(err.Error(), "a FIFO") {
				t.Errorf("%s(fifo) = %v", name, err)
			}
		}
	}
}

// A name with a control character stops the walk, quoted in the error.
func TestControlCharacterInNameIsRefused(t *testing.T) {
	dir := t.TempDir()
	if err := os.MkdirAll(filepath.Join(dir, "pkg"), 0o755); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(filepath.Join(dir, "pkg", "X\nY.cls"), []byte("x"), 0o644); err != nil {
		t.Skip("no such names here:", err)
	}
	r := NewReader(dir)
	err := r.Dir("pkg", nil, nil)
	if err == nil || !strings.Contains(err.Error(), `"pkg/X\nY.cls"`) {
		t.Errorf("want a refusal quoting the name, got %v", err)
	}
}

// The walk names files relative to the root, whether the root is ".", a
// relative or an absolute path, and whether the walk starts at the root.
func TestDirNamesFilesRelativeToTheRoot(t *testing.T) {
	dir := t.TempDir()
	for _, p := range []string{"pkg/a/x-meta.xml", "top-meta.xml"} {
		if err := os.MkdirAll(filepath.Dir(filepath.Join(dir, p)), 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(filepath.Join(dir, p), []byte("x"), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	t.Chdir(filepath.Dir(dir))
	for _, root := range []string{dir, filepath.Base(dir), "./" + filepath.Base(dir)} {
		for start, want := range map[string][]string{"pkg": {"pkg/a/x-meta.xml"}, ".": {"pkg/a/x-meta.xml", "top-meta.xml"}} {
			r := NewReader(root)
			if err := r.Dir(start, nil, nil); err != nil {
				t.Fatal(err)
			}
			if got := r.Tree.Paths(); !slices.Equal(got, want) {
				t.Errorf("root %s, start %s: %v, want %v", root, start, got, want)
			}
		}
	}
	t.Chdir(dir)
	r := NewReader(".")
	if err := r.Dir(".", nil, nil); err != nil {
		t.Fatal(err)
	}
	if got := r.Tree.Paths(); !slices.Equal(got, []string{"pkg/a/x-meta.xml", "top-meta.xml"}) {
		t.Errorf("root .: %v", got)
	}
}

// An ignored name with a control character (macOS's Icon\r) is skipped.
func TestIgnoredControlCharacterNameIsSkipped(t *testing.T) {
	dir := t.TempDir()
	if err := os.MkdirAll(filepath.Join(dir, "pkg"), 0o755); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(filepath.Join(dir, "pkg", "Icon\r"), nil, 0o644); err != nil {
		t.Skip("no such names here:", err)
	}
	r := NewReader(dir)
	if err := r.Dir("pkg", func(rel string) bool { return !strings.HasPrefix(path.Base(rel), "Icon") }, nil); err != nil {
		t.Errorf("an ignored name stopped the walk: %v", err)
	}
}
