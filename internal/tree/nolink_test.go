//go:build unix

package tree

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
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
