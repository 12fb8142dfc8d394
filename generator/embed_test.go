package generator

import (
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
)

// A Go program of another module builds its package with the library and
// switches on the severity of Validate's problems, importing nothing under
// internal/ (the compiler refuses that across modules, so building it is
// the proof). The module is built offline from the module cache that
// this module's own tests already need.
func TestExternalModuleEmbedsTheLibrary(t *testing.T) {
	if testing.Short() {
		t.Skip("builds a program")
	}
	root, err := filepath.Abs("..")
	if err != nil {
		t.Fatal(err)
	}
	mod := t.TempDir()
	for _, name := range []string{"go.mod", "main.go"} {
		data, err := os.ReadFile(filepath.Join("testdata", "embedder", name))
		if err != nil {
			t.Fatal(err)
		}
		if name == "go.mod" {
			data = []byte(strings.Replace(string(data), "=> ../../..", "=> "+root, 1))
		}
		if err := os.WriteFile(filepath.Join(mod, name), data, 0o644); err != nil {
			t.Fatal(err)
		}
	}
	sum, err := os.ReadFile(filepath.Join(root, "go.sum"))
	if err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(filepath.Join(mod, "go.sum"), sum, 0o644); err != nil {
		t.Fatal(err)
	}
	bin := filepath.Join(mod, "embedder")
	build := exec.Command("go", "build", "-o", bin, ".")
	build.Dir = mod
	build.Env = append(os.Environ(), "GOFLAGS=-mod=mod", "GOPROXY=off", "GOSUMDB=off", "GOWORK=off")
	if out, err := build.CombinedOutput(); err != nil {
		t.Fatalf("the external module does not build: %v\n%s", err, out)
	}

	out := filepath.Join(t.TempDir(), "out")
	run := exec.Command(bin, filepath.Join(root, "fixtures", "partner1", "byoc.yaml"), out,
		filepath.Join(root, "fixtures", "rules", "BYOC-CCD-VENDOR", "fail"))
	got, err := run.CombinedOutput()
	if err != nil {
		t.Fatalf("embedder: %v\n%s", err, got)
	}
	text := string(got)
	for _, want := range []string{"built package.zip ", "built package-version-info.zip ", "error BYOC-"} {
		if !strings.Contains(text, want) {
			t.Errorf("embedder output lacks %q:\n%s", want, text)
		}
	}
	if _, err := os.Stat(filepath.Join(out, "dist", "package.zip")); err != nil {
		t.Errorf("Build wrote no zip: %v", err)
	}
}
