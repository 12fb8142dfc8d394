package generator

import (
	"context"
	"errors"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// TestProjectFileEditedDuringBuildIsKept edits sfdx-project.json after
// build read it to merge its own keys in: the merge must not overwrite
// the edit.
func TestProjectFileEditedDuringBuildIsKept(t *testing.T) {
	out := filepath.Join(t.TempDir(), "out")
	if _, err := buildFixture(t, out, nil); err != nil {
		t.Fatal(err)
	}
	project := filepath.Join(out, "sfdx-project.json")
	b, err := os.ReadFile(project)
	if err != nil {
		t.Fatal(err)
	}
	// The next build changes the file (an older API version to update),
	// and the user edits it while that build runs.
	if err := os.WriteFile(project, []byte(strings.Replace(string(b), `"sourceApiVersion": "66.0"`, `"sourceApiVersion": "65.0"`, 1)), 0o644); err != nil {
		t.Fatal(err)
	}
	edited := strings.Replace(string(b), `"sourceApiVersion": "66.0"`, `"sourceApiVersion": "64.0", "x": 1`, 1)
	beforePlan = func() {
		if err := os.WriteFile(project, []byte(edited), 0o644); err != nil {
			t.Error(err)
		}
	}
	defer func() { beforePlan = nil }()
	_, err = buildFixture(t, out, nil)
	var ce *ConflictError
	if !errors.As(err, &ce) || !strings.Contains(err.Error(), "sfdx-project.json (changed while byocpack was running") {
		t.Fatalf("want a conflict on sfdx-project.json, got %v", err)
	}
	if got, _ := os.ReadFile(project); string(got) != edited {
		t.Fatalf("the user's edit was overwritten:\n%s", got)
	}
}

// TestFileEditedDuringFmtIsKept edits a file after fmt read it and before
// it writes the formatted bytes: the edit must stay.
func TestFileEditedDuringFmtIsKept(t *testing.T) {
	name := filepath.Join(t.TempDir(), "A.eca-meta.xml")
	messy := "<ExternalClientApplication xmlns=\"http://soap.sforce.com/2006/04/metadata\"><label>A</label><contactEmail>a@b.c</contactEmail></ExternalClientApplication>"
	if err := os.WriteFile(name, []byte(messy), 0o644); err != nil {
		t.Fatal(err)
	}
	const edit = "<ExternalClientApplication xmlns=\"http://soap.sforce.com/2006/04/metadata\"><label>Edited</label></ExternalClientApplication>"
	beforeFormatWrite = func(string) {
		if err := os.WriteFile(name, []byte(edit), 0o644); err != nil {
			t.Error(err)
		}
	}
	defer func() { beforeFormatWrite = nil }()
	res, err := Format(context.Background(), FormatOptions{Targets: []string{name}})
	if err != nil {
		t.Fatal(err)
	}
	if len(res.Files) != 1 || res.Files[0].Status != Failed || !strings.Contains(res.Files[0].Reason, "changed while fmt ran") {
		t.Errorf("result: %+v", res.Files)
	}
	if got, _ := os.ReadFile(name); string(got) != edit {
		t.Fatalf("the user's edit was overwritten:\n%s", got)
	}
}
