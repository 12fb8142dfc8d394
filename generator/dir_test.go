package generator

import (
	"context"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// A library caller names the directory instead of changing the process's
// working directory: relative targets are read from Dir, and Dir's project
// (.forceignore, sfdx-project.json) applies to loose files.
func TestValidateAndFormatTakeADirectory(t *testing.T) {
	dir := t.TempDir()
	write := func(rel, body string) {
		t.Helper()
		p := filepath.Join(dir, filepath.FromSlash(rel))
		if err := os.MkdirAll(filepath.Dir(p), 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(p, []byte(body), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	const event = "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<CustomObject xmlns=\"http://soap.sforce.com/2006/04/metadata\">\n    <label>E</label>\n    <deploymentStatus>Deployed</deploymentStatus>\n    <eventType>HighVolume</eventType>\n    <pluralLabel>Es</pluralLabel>\n    <publishBehavior>PublishAfterCommit</publishBehavior>\n</CustomObject>\n"
	write("sfdx-project.json", `{"packageDirectories":[{"path":"force-app","default":true}],"sourceApiVersion":"66.0","namespace":"acme"}`)
	write(".forceignore", "**/Ignored__e.object-meta.xml\n")
	write("force-app/main/default/objects/E__e/E__e.object-meta.xml", event)
	write("force-app/main/default/objects/Ignored__e/Ignored__e.object-meta.xml", "<not xml")
	t.Chdir(t.TempDir()) // elsewhere: nothing may be read from here

	res, err := Validate(context.Background(), ValidateOptions{Dir: dir, Targets: []string{
		"force-app/main/default/objects/E__e/E__e.object-meta.xml",
		"force-app/main/default/objects/Ignored__e/Ignored__e.object-meta.xml",
	}})
	if err != nil {
		t.Fatal(err)
	}
	if res.Files != 1 {
		t.Errorf("checked %d files, want 1: Dir's .forceignore denies the other", res.Files)
	}
	for _, p := range res.Problems {
		if p.Severity == SeverityError || !strings.HasPrefix(p.File, filepath.ToSlash(dir)) {
			t.Errorf("problem %s: want no error, and paths under Dir", p)
		}
	}
	whole, err := Validate(context.Background(), ValidateOptions{Dir: dir})
	if err != nil || whole.Files != 1 {
		t.Fatalf("no target means Dir itself: %v, %+v", err, whole)
	}

	// Out of retrieve order: fmt with Dir reorders it in place.
	write("force-app/main/default/objects/E__e/E__e.object-meta.xml", strings.Replace(event, "    <label>E</label>\n", "", 1)+"")
	f, err := Format(context.Background(), FormatOptions{Dir: dir, Check: true, Targets: []string{"force-app/main/default/objects/E__e/E__e.object-meta.xml"}})
	if err != nil || len(f.Files) != 1 || !strings.HasPrefix(filepath.ToSlash(f.Files[0].Path), filepath.ToSlash(dir)) {
		t.Fatalf("Format with Dir: %v, %+v", err, f)
	}
}
