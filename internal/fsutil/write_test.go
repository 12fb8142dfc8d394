package fsutil

import (
	"errors"
	"io/fs"
	"os"
	"path/filepath"
	"strings"
	"syscall"
	"testing"
)

func TestWriteFile(t *testing.T) {
	root := t.TempDir()
	old := syscall.Umask(0o277)
	defer syscall.Umask(old)
	if err := WriteFile(root, "a/b/f.txt", []byte("one"), 0o644, false); err != nil {
		t.Fatal(err)
	}
	name := filepath.Join(root, "a", "b", "f.txt")
	if fi, err := os.Stat(name); err != nil || fi.Mode().Perm() != 0o644 {
		t.Errorf("mode %v, %v; want 0644 whatever the umask", fi.Mode(), err)
	}
	if err := WriteFile(root, "a/b/f.txt", []byte("two"), 0o644, false); !errors.Is(err, fs.ErrExist) {
		t.Errorf("without replace over an existing file: %v", err)
	}
	if err := WriteFile(root, "a/b/f.txt", []byte("two"), 0o600, true); err != nil {
		t.Fatal(err)
	}
	if b, _ := os.ReadFile(name); string(b) != "two" {
		t.Errorf("replaced: %q", b)
	}
	entries, _ := os.ReadDir(filepath.Join(root, "a", "b"))
	if len(entries) != 1 {
		t.Errorf("left beside the file: %v", entries)
	}
	outside := t.TempDir()
	os.Symlink(outside, filepath.Join(root, "link"))
	os.Symlink(filepath.Join(outside, "new"), filepath.Join(root, "dangling"))
	for rel, want := range map[string]string{
		"link/f.txt": "link is a symbolic link; byocpack does not write through links below",
		"dangling":   "dangling is a symbolic link; byocpack never writes through one",
		"../f.txt":   "is not a clean relative path",
	} {
		if err := WriteFile(root, rel, []byte("x"), 0o644, true); err == nil || !strings.Contains(err.Error(), want) {
			t.Errorf("%s: %v, want %q", rel, err, want)
		}
	}
	if entries, _ := os.ReadDir(outside); len(entries) != 0 {
		t.Errorf("wrote outside: %v", entries)
	}
}

func TestTempOf(t *testing.T) {
	for name, want := range map[string]string{
		".X.object-meta.xml.byocpack-tmp-123": "X.object-meta.xml",
		".acme.key.byocpack-tmp-9":            "acme.key",
		"acme.key.byocpack-tmp-9":             "",
		".acme.key.byocpack-tmp-":             "",
		".acme.key.byocpack-tmp-9x":           "",
		".notes.tmp":                          "",
	} {
		if got, ok := TempOf(name); got != want || ok != (want != "") {
			t.Errorf("TempOf(%q) = %q, %v", name, got, ok)
		}
	}
}
