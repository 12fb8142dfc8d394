package generator

import (
	"context"
	"errors"
	"os"
	"path/filepath"
	"testing"
	"time"
)

const unformatted = `<?xml version="1.0" encoding="UTF-8"?><CustomObject xmlns="http://soap.sforce.com/2006/04/metadata"><label>X</label><deploymentStatus>Deployed</deploymentStatus></CustomObject>`

// linkedTree makes root/a/X__c.object-meta.xml, a folder outside root
// holding another such file, and inside root/a a link to that folder and
// two links back up (a loop a walk that follows links never leaves:
// each level doubles the paths).
func linkedTree(t *testing.T) (root, outside string) {
	t.Helper()
	dir := t.TempDir()
	root, outside = filepath.Join(dir, "root"), filepath.Join(dir, "outside")
	for _, d := range []string{filepath.Join(root, "a"), outside} {
		if err := os.MkdirAll(d, 0o755); err != nil {
			t.Fatal(err)
		}
	}
	for _, f := range []string{filepath.Join(root, "a", "X__c.object-meta.xml"), filepath.Join(outside, "Y__c.object-meta.xml")} {
		if err := os.WriteFile(f, []byte(unformatted), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	for name, to := range map[string]string{"link": outside, "loop1": "..", "loop2": ".."} {
		if err := os.Symlink(to, filepath.Join(root, "a", name)); err != nil {
			t.Fatal(err)
		}
	}
	return root, outside
}

// within runs f, failing the test if it has not returned in a minute: a
// walk that follows the loop never returns.
func within(t *testing.T, f func() error) error {
	t.Helper()
	done := make(chan error, 1)
	go func() { done <- f() }()
	select {
	case err := <-done:
		return err
	case <-time.After(time.Minute):
		t.Fatal("did not return: the glob followed a link loop")
		return nil
	}
}

// TestFmtGlobStaysInsideItsRoot: a `**` glob does not follow a folder
// that is a symbolic link, so fmt rewrites nothing outside the glob's root
// and a link loop ends nothing.
func TestFmtGlobStaysInsideItsRoot(t *testing.T) {
	root, outside := linkedTree(t)
	var res *FormatResult
	err := within(t, func() (err error) {
		res, err = Format(context.Background(), FormatOptions{Targets: []string{filepath.Join(root, "**", "*-meta.xml")}})
		return err
	})
	if err != nil {
		t.Fatal(err)
	}
	if len(res.Files) != 1 || res.Files[0].Path != filepath.ToSlash(filepath.Join(root, "a", "X__c.object-meta.xml")) || res.Files[0].Status != Formatted {
		t.Errorf("files %+v, want only root/a/X__c.object-meta.xml, formatted", res.Files)
	}
	if b, _ := os.ReadFile(filepath.Join(outside, "Y__c.object-meta.xml")); string(b) != unformatted {
		t.Errorf("the file outside the glob's root was rewritten:\n%s", b)
	}
}

// TestGlobStopsOnCancel: validate and fmt of a glob over a link loop end,
// and a cancelled context (Ctrl-C) stops the walk.
func TestGlobStopsOnCancel(t *testing.T) {
	root, _ := linkedTree(t)
	glob := filepath.Join(root, "**", "*-meta.xml")
	err := within(t, func() error {
		res, err := Validate(context.Background(), ValidateOptions{Targets: []string{glob}})
		if err == nil && res.Files != 1 {
			t.Errorf("validate read %d files, want 1", res.Files)
		}
		return err
	})
	if err != nil {
		t.Fatal(err)
	}
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	for name, run := range map[string]func() error{
		"validate": func() error { _, err := Validate(ctx, ValidateOptions{Targets: []string{glob}}); return err },
		"fmt":      func() error { _, err := Format(ctx, FormatOptions{Targets: []string{glob}, Check: true}); return err },
	} {
		if err := within(t, run); !errors.Is(err, context.Canceled) {
			t.Errorf("%s: got %v, want context.Canceled", name, err)
		}
	}
}
