//go:build unix

package cli

import (
	"os"
	"path/filepath"
	"strings"
	"syscall"
	"testing"
)

// TestCertKeyIsMode0600UnderAnyUmask is the regression test of issue 16
// row 18: with umask 777 the key was mode 0000 while cert said 0600.
// (Tests of this package do not run in parallel, so the process-wide
// umask touches no other test.)
func TestCertKeyIsMode0600UnderAnyUmask(t *testing.T) {
	dir := t.TempDir()
	out, keys := filepath.Join(dir, "certs"), filepath.Join(dir, "keys")
	for _, d := range []string{out, keys} {
		if err := os.Mkdir(d, 0o755); err != nil {
			t.Fatal(err)
		}
	}
	for _, umask := range []int{0o777, 0o077, 0} {
		old := syscall.Umask(umask)
		key := filepath.Join(keys, "k.key")
		code, stdout, stderr := run(t, "cert", "--out", out, "--key", key, "--force")
		syscall.Umask(old)
		if code != 0 {
			t.Fatalf("umask %03o: exit %d: %s", umask, code, stderr)
		}
		fi, err := os.Stat(key)
		if err != nil || fi.Mode().Perm() != 0o600 {
			t.Errorf("umask %03o: key mode %v (%v), want 0600", umask, fi.Mode().Perm(), err)
		}
		if !strings.Contains(stdout, "mode 0600") {
			t.Errorf("umask %03o: the message does not say the key's mode:\n%s", umask, stdout)
		}
	}
	// A fresh key (no --force) is created with O_EXCL: chmod'ed as well.
	old := syscall.Umask(0o777)
	key := filepath.Join(keys, "fresh.key")
	code, _, stderr := run(t, "cert", "--out", filepath.Join(out, "fresh"), "--key", key)
	syscall.Umask(old)
	if fi, err := os.Stat(key); code != 0 || err != nil || fi.Mode().Perm() != 0o600 {
		t.Errorf("fresh key under umask 777: exit %d %s, %v", code, stderr, err)
	}
}
