package cli

import (
	"errors"
	"io/fs"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"syscall"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"
)

// TestMain lets the test binary act as byocpack itself, so a test can run
// it as a child process and kill it.
func TestMain(m *testing.M) {
	if os.Getenv("BYOCPACK_TEST_AS_CLI") == "1" {
		os.Exit(Main(os.Args[1:], IO{In: os.Stdin, Out: os.Stdout, Err: os.Stderr}, "test"))
	}
	os.Exit(m.Run())
}

func child(args ...string) *exec.Cmd {
	self, _ := os.Executable()
	c := exec.Command(self, args...)
	c.Env = append(os.Environ(), "BYOCPACK_TEST_AS_CLI=1")
	return c
}

func snapshotDir(t *testing.T, dir string) map[string]string {
	t.Helper()
	out := map[string]string{}
	err := filepath.WalkDir(dir, func(p string, d fs.DirEntry, err error) error {
		if err != nil {
			return err
		}
		rel, _ := filepath.Rel(dir, p)
		if d.IsDir() {
			if rel != "." {
				out[filepath.ToSlash(rel)+"/"] = ""
			}
			return nil
		}
		b, err := os.ReadFile(p)
		out[filepath.ToSlash(rel)] = string(b)
		return err
	})
	if err != nil && !errors.Is(err, fs.ErrNotExist) {
		t.Fatal(err)
	}
	return out
}

// TestKilledBuildLeavesOldOrNewTree kills a real `byocpack build` process
// (SIGKILL, no chance to clean up) at many points of its run, then runs the
// next command, and checks that the tree is exactly the old one or the new
// one, with no staging leftovers.
func TestKilledBuildLeavesOldOrNewTree(t *testing.T) {
	if testing.Short() {
		t.Skip("runs byocpack as a child process many times")
	}
	root := t.TempDir()
	copyFixture := func(name string) string {
		dst := filepath.Join(root, name)
		for _, f := range []string{"byoc.yaml", "certs/server.crt"} {
			b, err := os.ReadFile(filepath.Join("..", "..", "fixtures", "partner1", f))
			if err != nil {
				t.Fatal(err)
			}
			if name == "new" && f == "byoc.yaml" {
				b = []byte(strings.Replace(string(b), "name: ExternalClientApp1", "name: ExternalClientApp2", 1))
			}
			if err := os.MkdirAll(filepath.Dir(filepath.Join(dst, f)), 0o755); err != nil {
				t.Fatal(err)
			}
			if err := os.WriteFile(filepath.Join(dst, f), b, 0o644); err != nil {
				t.Fatal(err)
			}
		}
		return filepath.Join(dst, "byoc.yaml")
	}
	oldSpec, newSpec := copyFixture("old"), copyFixture("new")
	build := func(spec, out string) {
		if b, err := child("build", "-f", spec, "-o", out).CombinedOutput(); err != nil {
			t.Fatalf("build %s: %v\n%s", spec, err, b)
		}
	}
	ref := filepath.Join(root, "ref")
	build(oldSpec, ref)
	oldTree := snapshotDir(t, ref)
	start := time.Now()
	build(newSpec, ref)
	full := time.Since(start)
	newTree := snapshotDir(t, ref)

	const runs = 30
	var sawOld, sawNew, recovered int
	for i := range runs {
		out := filepath.Join(root, "out", string(rune('a'+i%26))+strings.Repeat("x", i/26))
		build(oldSpec, out)
		c := child("build", "-f", newSpec, "-o", out)
		if err := c.Start(); err != nil {
			t.Fatal(err)
		}
		// Spread the kills over the second half of a run, where the apply
		// happens, and a little past it.
		time.Sleep(full/2 + time.Duration(i)*full*11/10/runs)
		_ = c.Process.Signal(syscall.SIGKILL)
		_ = c.Wait()
		// The next command finishes or undoes the interrupted apply
		// before it reads: any command that reads the project, the
		// read-only review and diff too.
		next := [][]string{{"validate", out}, {"review", out}, {"diff", out, out}}[i%3]
		b, err := child(next...).CombinedOutput()
		if err != nil {
			t.Fatalf("run %d: %s after a kill: %v\n%s", i, next[0], err, b)
		}
		if strings.Contains(string(b), "interrupted") || strings.Contains(string(b), "killed part-way") {
			recovered++
		}
		got := snapshotDir(t, out)
		switch {
		case cmp.Diff(oldTree, got) == "":
			sawOld++
		case cmp.Diff(newTree, got) == "":
			sawNew++
		default:
			t.Fatalf("run %d: after a kill the tree is neither the old nor the new one (-old +got):\n%s", i, cmp.Diff(oldTree, got))
		}
	}
	t.Logf("%d kills: %d left the old tree, %d the new one; %d interrupted runs finished or undone by the next command", runs, sawOld, sawNew, recovered)
}
