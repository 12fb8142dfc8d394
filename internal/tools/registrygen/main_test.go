package main

import (
	"bytes"
	"errors"
	"io/fs"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// repoRoot walks up from the test's directory to the one holding go.mod.
func repoRoot(t *testing.T) string {
	t.Helper()
	dir, err := os.Getwd()
	if err != nil {
		t.Fatal(err)
	}
	for {
		if _, err := os.Stat(filepath.Join(dir, "go.mod")); err == nil {
			return dir
		}
		parent := filepath.Dir(dir)
		if parent == dir {
			t.Fatal("go.mod not found above the test directory")
		}
		dir = parent
	}
}

// TestGeneratedRegistryIsCurrent fails when registry_gen.go no longer matches
// the shared registry, so an update of the CLI's registry cannot slip in
// without regenerating (make registry).
func TestGeneratedRegistryIsCurrent(t *testing.T) {
	root := repoRoot(t)
	in := filepath.Join(root, "..", "shared", "salesforce", "sdr-registry", "metadataRegistry.json")
	if _, err := os.Stat(in); errors.Is(err, fs.ErrNotExist) {
		t.Skipf("%s is absent; the drift check needs the shared inputs", in)
	}
	want, err := generateFromFile(in)
	if err != nil {
		t.Fatal(err)
	}
	got, err := os.ReadFile(filepath.Join(root, "internal", "registry", "registry_gen.go"))
	if err != nil {
		t.Fatal(err)
	}
	if !bytes.Equal(got, want) {
		t.Fatal("internal/registry/registry_gen.go is stale: run `make registry` and commit the result")
	}
	if !bytes.Contains(got, []byte("Apache License")) {
		t.Fatal("the generated registry lost its Apache-2.0 notice")
	}
}

func TestGenerateRejectsUnknownKeys(t *testing.T) {
	reg := `{"types":{"x":{"id":"x","name":"X","directoryName":"xs","suffix":"x","brandNew":1}},"suffixes":{},"strictDirectoryNames":{},"childTypes":{}}`
	_, err := generate([]byte(reg), []byte("Apache License Version 2.0\n"))
	if err == nil || !strings.Contains(err.Error(), `"brandNew"`) {
		t.Fatalf("want an error naming the unknown key, got %v", err)
	}
}

func TestGenerateKeepsNotice(t *testing.T) {
	reg := `{"types":{"x":{"id":"x","name":"X","directoryName":"xs","suffix":"x","inFolder":false}},"suffixes":{"x":"x"},"strictDirectoryNames":{},"childTypes":{}}`
	src, err := generate([]byte(reg), []byte("Apache License Version 2.0\n\nCopyright (c) 2026 Example\n\n   TERMS AND CONDITIONS FOR USE, REPRODUCTION, AND DISTRIBUTION\nsecret tail\n"))
	if err != nil {
		t.Fatal(err)
	}
	s := string(src)
	if !strings.Contains(s, "Copyright (c) 2026 Example") || strings.Contains(s, "secret tail") {
		t.Fatalf("notice not kept as expected:\n%s", s)
	}
	if !strings.Contains(s, `Suffix:        "x"`) && !strings.Contains(s, `Suffix: "x"`) {
		t.Fatalf("type not emitted:\n%s", s)
	}
}
