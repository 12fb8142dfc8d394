package outdir

import (
	"errors"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// applyWithHook plans files over dir, then applies them with hook run
// before each step: the user's edits between the run's read and its
// commit.
func applyWithHook(t *testing.T, dir string, files []File, hook func(step string)) error {
	t.Helper()
	d, err := Open(dir, OpenOptions{Create: true})
	if err != nil {
		t.Fatal(err)
	}
	defer d.Close()
	p, err := d.Plan(files, PlanOptions{Replaces: replacesRendered})
	if err != nil {
		t.Fatal(err)
	}
	d.fault = func(step string) error { hook(step); return nil }
	return d.Apply(p)
}

func TestEditBetweenReadAndMoveIsKept(t *testing.T) {
	for _, tc := range []struct {
		name, step, path string
		next             []File
	}{
		{"replaced", "write gen-meta.xml", "gen-meta.xml", []File{{Path: "gen-meta.xml", Data: []byte("v2")}, {Path: "stale-meta.xml", Data: []byte("s")}}},
		{"removed", "remove stale-meta.xml", "stale-meta.xml", []File{{Path: "gen-meta.xml", Data: []byte("v2")}}},
		{"created", "write new-meta.xml", "new-meta.xml", []File{{Path: "gen-meta.xml", Data: []byte("v1")}, {Path: "stale-meta.xml", Data: []byte("s")}, {Path: "new-meta.xml", Data: []byte("n")}}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			dir := t.TempDir()
			if _, err := commit(t, dir, []File{{Path: "gen-meta.xml", Data: []byte("v1")}, {Path: "stale-meta.xml", Data: []byte("s")}}, PlanOptions{Replaces: replacesRendered}); err != nil {
				t.Fatal(err)
			}
			err := applyWithHook(t, dir, tc.next, func(step string) {
				if step == tc.step {
					writeTree(t, dir, map[string]string{tc.path: "the user's edit"})
				}
			})
			var ce *ConflictError
			if !errors.As(err, &ce) || !strings.Contains(ce.Error(), tc.path) {
				t.Fatalf("want a conflict naming %s, got %v", tc.path, err)
			}
			if got := readTree(t, dir)[tc.path]; got != "the user's edit" {
				t.Fatalf("%s holds %q: the user's edit was lost", tc.path, got)
			}
		})
	}
}

// TestEditAfterMoveAsideIsNeverDeleted edits files through handles opened
// before the run, as an editor or a `>>` still writing does: the edits
// land in the files the run moved aside, which the commit must keep.
func TestEditAfterMoveAsideIsNeverDeleted(t *testing.T) {
	dir := t.TempDir()
	if _, err := commit(t, dir, []File{{Path: "gen-meta.xml", Data: []byte("v1")}, {Path: "a/stale-meta.xml", Data: []byte("s")}}, PlanOptions{Replaces: replacesRendered}); err != nil {
		t.Fatal(err)
	}
	var handles []*os.File
	for _, p := range []string{"gen-meta.xml", "a/stale-meta.xml"} {
		f, err := os.OpenFile(filepath.Join(dir, filepath.FromSlash(p)), os.O_WRONLY|os.O_APPEND, 0)
		if err != nil {
			t.Fatal(err)
		}
		defer f.Close()
		handles = append(handles, f)
	}
	err := applyWithHook(t, dir, []File{{Path: "gen-meta.xml", Data: []byte("v2")}}, func(step string) {
		if step == "commit" {
			for _, f := range handles {
				f.WriteString(" edited")
			}
		}
	})
	var ke *KeptError
	if !errors.As(err, &ke) || len(ke.Kept) != 2 {
		t.Fatalf("want both edits reported as kept, got %v", err)
	}
	got := readTree(t, dir)
	if got["gen-meta.xml"] != "v2" || got["a/stale-meta.xml"] != "s edited" || got[StateDirName+"/kept/gen-meta.xml"] != "v1 edited" {
		t.Fatalf("edited files lost or misplaced: %v", got)
	}
	// The next run works and leaves the kept file alone.
	if _, err := commit(t, dir, []File{{Path: "gen-meta.xml", Data: []byte("v3")}}, PlanOptions{Replaces: replacesRendered}); err != nil {
		t.Fatal(err)
	}
	if got := readTree(t, dir)[StateDirName+"/kept/gen-meta.xml"]; got != "v1 edited" {
		t.Fatalf("the kept version was removed by the next run: %q", got)
	}
}

func TestMergedFileEditedSinceItWasReadConflicts(t *testing.T) {
	dir := t.TempDir()
	writeTree(t, dir, map[string]string{"sfdx-project.json": "edited after the run read it"})
	_, err := commit(t, dir, []File{{Path: "sfdx-project.json", Data: []byte("merged"), Merged: true, Base: BaseOf([]byte("as read"))}}, PlanOptions{})
	var ce *ConflictError
	if !errors.As(err, &ce) {
		t.Fatalf("want a conflict, got %v", err)
	}
	if got := readTree(t, dir)["sfdx-project.json"]; got != "edited after the run read it" {
		t.Fatalf("the user's edit was overwritten: %q", got)
	}
}

// TestPlantedKeptFileIsNotPutInTheTree: a committed record with a file in
// its transaction that "changed" after it moved aside would be put back
// in place; one that this machine did not move aside puts nothing there.
func TestPlantedKeptFileIsNotPutInTheTree(t *testing.T) {
	dir := t.TempDir()
	record := `{"state":"committed","writes":[],"removes":["force-app/Evil-meta.xml"],"dirs":[],"layout":1,` +
		`"asideIds":{"r0":"1:2"},"aside":{"r0":{"id":"1:2","size":1,"mtime":1,"sha256":"00"}}}`
	writeTree(t, dir, map[string]string{StateDirName + "/committed.json": record, StateDirName + "/txn/r0": "planted"})
	d, err := Open(dir, OpenOptions{})
	if err != nil {
		t.Fatal(err)
	}
	d.Close()
	if _, err := os.Stat(filepath.Join(dir, "force-app", "Evil-meta.xml")); err == nil {
		t.Fatal("a planted record put a file in the tree")
	}
}
