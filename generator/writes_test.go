package generator

import (
	"context"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/byocpack/byocpack/schemas"
)

// TestImportRefusesASymlinkedSchemasFolder: `schemas import` writes into
// the project's byocpack-schemas/, never through a link there to a folder
// elsewhere.
func TestImportRefusesASymlinkedSchemasFolder(t *testing.T) {
	m66, err := schemas.Bundled().Get("66.0")
	if err != nil {
		t.Fatal(err)
	}
	wsdl := filepath.Join(t.TempDir(), "metadata.wsdl")
	if err := os.WriteFile(wsdl, wsdlOf(m66, "67.0", nil), 0o644); err != nil {
		t.Fatal(err)
	}
	project, elsewhere := t.TempDir(), t.TempDir()
	os.WriteFile(filepath.Join(project, "sfdx-project.json"), []byte(`{"packageDirectories":[{"path":"force-app","default":true}],"sourceApiVersion":"66.0"}`), 0o644)
	if err := os.Symlink(elsewhere, filepath.Join(project, "byocpack-schemas")); err != nil {
		t.Fatal(err)
	}
	_, err = ImportSchemas(context.Background(), ImportOptions{WSDL: wsdl, ProjectDir: project})
	if err == nil || !strings.Contains(err.Error(), "byocpack-schemas is a symbolic link") {
		t.Errorf("got %v, want a refusal naming the link", err)
	}
	if entries, _ := os.ReadDir(elsewhere); len(entries) != 0 {
		t.Errorf("wrote through the link: %v", entries)
	}
}

// TestFmtRemovesTheTempsOfAKilledRun: a fmt killed between writing a
// file's new copy and renaming it leaves the copy; the next fmt in that
// folder removes it (and only such copies).
func TestFmtRemovesTheTempsOfAKilledRun(t *testing.T) {
	dir := t.TempDir()
	file := filepath.Join(dir, "X__c.object-meta.xml")
	if err := os.WriteFile(file, []byte(unformatted), 0o644); err != nil {
		t.Fatal(err)
	}
	stale := filepath.Join(dir, ".X__c.object-meta.xml.byocpack-tmp-123456")
	mine := filepath.Join(dir, ".notes.tmp")
	for _, f := range []string{stale, mine} {
		os.WriteFile(f, []byte(unformatted), 0o644)
	}
	if _, err := Format(t.Context(), FormatOptions{Targets: []string{file}}); err != nil {
		t.Fatal(err)
	}
	if _, err := os.Lstat(stale); err == nil {
		t.Error("the killed run's temporary copy is still there")
	}
	if _, err := os.Lstat(mine); err != nil {
		t.Errorf("a file that is no temporary copy of fmt's was removed: %v", err)
	}
}
