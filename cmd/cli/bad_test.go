package cli

import (
	"archive/zip"
	"bytes"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"syscall"
	"testing"
	"time"
)

// badCase is one entry of fixtures/bad (see its README).
type badCase struct {
	args   string
	exit   int
	want   []string
	absent []string
	kept   []string
}

func parseCase(t *testing.T, file string) badCase {
	t.Helper()
	b, err := os.ReadFile(file)
	if err != nil {
		t.Fatal(err)
	}
	var c badCase
	for _, line := range strings.Split(strings.TrimSpace(string(b)), "\n") {
		k, v, _ := strings.Cut(line, ": ")
		switch k {
		case "args":
			c.args = v
		case "exit":
			c.exit, _ = strconv.Atoi(v)
		case "want":
			c.want = append(c.want, v)
		case "absent":
			c.absent = append(c.absent, v)
		case "kept":
			c.kept = append(c.kept, v)
		default:
			t.Fatalf("%s: unknown line %q", file, line)
		}
	}
	return c
}

func (c badCase) check(t *testing.T, dir string) {
	t.Helper()
	fixtures, _ := filepath.Abs("../../fixtures")
	kept := map[string][]byte{}
	for _, k := range c.kept {
		kept[k], _ = os.ReadFile(filepath.Join(dir, k))
	}
	args := strings.Fields(strings.NewReplacer("{case}", dir, "{fixtures}", fixtures).Replace(c.args))
	start := time.Now()
	code, stdout, stderr := run(t, args...)
	if took := time.Since(start); took > 20*time.Second {
		t.Errorf("took %v", took)
	}
	out := stdout + stderr
	if code != c.exit {
		t.Errorf("exit %d, want %d\n%s", code, c.exit, out)
	}
	for _, w := range c.want {
		if !strings.Contains(out, w) {
			t.Errorf("output lacks %q:\n%s", w, out)
		}
	}
	for _, a := range c.absent {
		if _, err := os.Lstat(filepath.Join(dir, a)); err == nil {
			t.Errorf("%s was written", a)
		}
	}
	for k, b := range kept {
		if now, _ := os.ReadFile(filepath.Join(dir, k)); !bytes.Equal(now, b) {
			t.Errorf("%s changed", k)
		}
	}
}

// TestBadInputs runs every case of fixtures/bad on a private copy, then the
// hostile inputs that cannot be committed, made here.
func TestBadInputs(t *testing.T) {
	cases, err := filepath.Glob("../../fixtures/bad/*/case.txt")
	if err != nil || len(cases) == 0 {
		t.Fatalf("no cases: %v", err)
	}
	for _, file := range cases {
		name := filepath.Base(filepath.Dir(file))
		t.Run(name, func(t *testing.T) {
			c := parseCase(t, file)
			dir := filepath.Join(t.TempDir(), name)
			if err := os.CopyFS(dir, os.DirFS(filepath.Dir(file))); err != nil {
				t.Fatal(err)
			}
			c.check(t, dir)
		})
	}

	made := map[string]struct {
		make func(t *testing.T, dir string)
		c    badCase
	}{
		"spec-fifo": {func(t *testing.T, dir string) {
			if err := syscall.Mkfifo(filepath.Join(dir, "byoc.yaml"), 0o644); err != nil {
				t.Fatal(err)
			}
		}, badCase{args: "render -f {case}/byoc.yaml -o {case}/out", exit: 1, want: []string{"it is a FIFO"}, absent: []string{"out"}}},
		"spec-dev-zero": {func(t *testing.T, dir string) {
			if err := os.Symlink("/dev/zero", filepath.Join(dir, "byoc.yaml")); err != nil {
				t.Fatal(err)
			}
		}, badCase{args: "build -f {case}/byoc.yaml -o {case}/out", exit: 1, want: []string{"it is a character device"}, absent: []string{"out"}}},
		"spec-100mb": {func(t *testing.T, dir string) {
			f, err := os.Create(filepath.Join(dir, "byoc.yaml"))
			if err != nil {
				t.Fatal(err)
			}
			defer f.Close()
			if err := f.Truncate(100 << 20); err != nil {
				t.Fatal(err)
			}
		}, badCase{args: "render -f {case}/byoc.yaml -o {case}/out", exit: 1, want: []string{"104857600 bytes is more than the 4 MiB"}, absent: []string{"out"}}},
		"spec-bracket-bomb": {func(t *testing.T, dir string) {
			write(t, filepath.Join(dir, "byoc.yaml"), "prefix: "+strings.Repeat("[", 100_000)+"\n")
		}, badCase{args: "render -f {case}/byoc.yaml -o {case}/out", exit: 1, want: []string{"nest more than 32 levels"}, absent: []string{"out"}}},
		"validate-fifo": {func(t *testing.T, dir string) {
			if err := syscall.Mkfifo(filepath.Join(dir, "X.eca-meta.xml"), 0o644); err != nil {
				t.Fatal(err)
			}
		}, badCase{args: "validate {case}/X.eca-meta.xml", exit: 1, want: []string{"it is a FIFO"}}},
		"diff-zip-slip": {func(t *testing.T, dir string) {
			var buf bytes.Buffer
			zw := zip.NewWriter(&buf)
			w, _ := zw.Create("../../escaped.txt")
			w.Write([]byte("x"))
			zw.Close()
			write(t, filepath.Join(dir, "a.zip"), buf.String())
		}, badCase{args: "diff {case}/a.zip {case}/a.zip", exit: 2, want: []string{".."}, absent: []string{"../escaped.txt", "escaped.txt"}}},
	}
	for name, m := range made {
		t.Run(name, func(t *testing.T) {
			dir := filepath.Join(t.TempDir(), name)
			if err := os.MkdirAll(dir, 0o755); err != nil {
				t.Fatal(err)
			}
			m.make(t, dir)
			m.c.check(t, dir)
		})
	}
}

func write(t *testing.T, name, data string) {
	t.Helper()
	if err := os.WriteFile(name, []byte(data), 0o644); err != nil {
		t.Fatal(err)
	}
}
