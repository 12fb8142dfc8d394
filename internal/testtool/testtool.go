// Package testtool gates tests on outside programs (npm, git, pre-commit,
// actionlint, the SARIF validator): present, the test runs; absent, it is
// skipped with a line saying so, except under CI=true, where a missing
// tool fails the test, so CI never skips silently. `make test` collects
// the skips (BYOCPACK_SKIPPED) and lists them at the end.
package testtool

import (
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"testing"
)

// Path returns the path of the program name, or skips (fails under CI)
// saying what installs it.
func Path(t testing.TB, name, install string) string {
	t.Helper()
	p, err := exec.LookPath(name)
	if err != nil {
		Missing(t, name, install)
	}
	return p
}

// Missing skips t because tool is not installed (install says how), or
// fails it under CI=true.
func Missing(t testing.TB, tool, install string) {
	t.Helper()
	msg := fmt.Sprintf("%s: skipped, %s is not installed (%s)", t.Name(), tool, install)
	if os.Getenv("CI") == "true" {
		t.Fatal(msg + "; CI=true never skips")
	}
	if f := os.Getenv("BYOCPACK_SKIPPED"); f != "" {
		if out, err := os.OpenFile(f, os.O_WRONLY|os.O_APPEND|os.O_CREATE, 0o644); err == nil {
			fmt.Fprintln(out, msg)
			out.Close()
		}
	}
	t.Skip(msg)
}

// CacheDir is a directory kept across test runs for installed tools:
// BYOCPACK_TOOLS_CACHE, or byocpack-test-tools in the user cache.
func CacheDir(t testing.TB, name string) string {
	t.Helper()
	base := os.Getenv("BYOCPACK_TOOLS_CACHE")
	if base == "" {
		c, err := os.UserCacheDir()
		if err != nil {
			c = os.TempDir()
		}
		base = filepath.Join(c, "byocpack-test-tools")
	}
	dir := filepath.Join(base, name)
	if err := os.MkdirAll(dir, 0o755); err != nil {
		t.Fatal(err)
	}
	return dir
}

// The pinned versions of the tools only tests use; the Makefile's tools
// target installs the same (a test holds them equal).
const (
	Actionlint     = "v1.7.7"
	SARIFMultitool = "5.7.0"
)

// LinkedFolder makes, in a new temporary directory, a project folder and
// an outside folder holding f.js ("OUTSIDE"), and a link project/d to the
// outside folder: a folder swapped for a link, as an attacker would. It
// skips the test where links cannot be made.
func LinkedFolder(t *testing.T) (root string) {
	t.Helper()
	base := t.TempDir()
	outside := filepath.Join(base, "outside")
	root = filepath.Join(base, "project")
	for _, d := range []string{outside, root} {
		if err := os.MkdirAll(d, 0o755); err != nil {
			t.Fatal(err)
		}
	}
	if err := os.WriteFile(filepath.Join(outside, "f.js"), []byte("OUTSIDE"), 0o644); err != nil {
		t.Fatal(err)
	}
	if err := os.Symlink(outside, filepath.Join(root, "d")); err != nil {
		t.Skipf("no symbolic links here: %v", err)
	}
	return root
}
