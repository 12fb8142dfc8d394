//go:build unix

package tree

import (
	"os"
	"path/filepath"
	"runtime"
	"strings"
	"testing"

	"github.com/byocpack/byocpack/internal/testtool"
)

// A file the walk found regular, replaced by a link before a reader opens
// it (an attacker flipping it in a loop got the link's target packaged
// once in 300 runs), is refused at the open, never followed; a file the
// user names (a certificate, a passphrase file) may still be a link.
func TestAFileSwappedForALinkIsNotFollowed(t *testing.T) {
	dir := t.TempDir()
	outside := filepath.Join(dir, "outside.txt")
	if err := os.WriteFile(outside, []byte("OUTSIDE"), 0o644); err != nil {
		t.Fatal(err)
	}
	link := filepath.Join(dir, "small.resource")
	if err := os.Symlink(outside, link); err != nil {
		t.Fatal(err)
	}
	if b, err := readNoLink(link); err == nil || !strings.Contains(err.Error(), "symbolic link") {
		t.Fatalf("readNoLink of a link: %q, %v; want the link refused", b, err)
	}
	if b, err := ReadPath(link); err != nil || string(b) != "OUTSIDE" {
		t.Fatalf("ReadPath of a link the user named: %q, %v", b, err)
	}
}

// A folder swapped for a link to one outside the project before a file in
// it is read (the second attacker trial leaked the outside file in a
// quarter of 300 runs) is refused where the system can say so (Linux's
// openat2); the project's own path may hold links.
func TestAFolderSwappedForALinkIsNotFollowed(t *testing.T) {
	if runtime.GOOS != "linux" {
		t.Skip("openat2 is Linux's")
	}
	root := testtool.LinkedFolder(t)
	if b, err := readBeneath(RealDir(root), "d/f.js", filepath.Join(root, "d", "f.js")); err == nil || !strings.Contains(err.Error(), "symbolic link") {
		t.Fatalf("a file under a linked folder: %q, %v; want the link refused", b, err)
	}
	// The project reached through a link of the user's: read as usual.
	if err := os.WriteFile(filepath.Join(root, "a.js"), []byte("A"), 0o644); err != nil {
		t.Fatal(err)
	}
	via := filepath.Join(filepath.Dir(root), "via")
	if err := os.Symlink(root, via); err != nil {
		t.Fatal(err)
	}
	if b, err := ReadFile(via, "a.js"); err != nil || string(b) != "A" {
		t.Fatalf("a project reached through a link: %q, %v", b, err)
	}
}
