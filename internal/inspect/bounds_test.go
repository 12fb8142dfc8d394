package inspect

import (
	"archive/zip"
	"bytes"
	"context"
	"errors"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"
)

// zipOfObjects writes a Metadata API zip holding one CustomObject file per
// body, named A, B, ...
func zipOfObjects(t *testing.T, bodies ...string) string {
	t.Helper()
	var buf bytes.Buffer
	w := zip.NewWriter(&buf)
	members := ""
	for i, body := range bodies {
		name := string(rune('A' + i))
		members += "<members>" + name + "</members>"
		f, _ := w.Create("objects/" + name + ".object")
		f.Write([]byte(`<?xml version="1.0" encoding="UTF-8"?>` + "\n" + `<CustomObject xmlns="http://soap.sforce.com/2006/04/metadata">` + "\n" + body + "</CustomObject>\n"))
	}
	f, _ := w.Create("package.xml")
	f.Write([]byte(`<Package xmlns="http://soap.sforce.com/2006/04/metadata"><types>` + members + `<name>CustomObject</name></types><version>62.0</version></Package>`))
	if err := w.Close(); err != nil {
		t.Fatal(err)
	}
	p := filepath.Join(t.TempDir(), "bomb.zip")
	if err := os.WriteFile(p, buf.Bytes(), 0o644); err != nil {
		t.Fatal(err)
	}
	return p
}

// TestLoadBoundsXML: a small zip of huge documents is refused with an
// error naming the file, instead of being parsed into gigabytes of
// elements (a 117 KB zip of two 60 MB files took review 8 GB): per file
// the element count, the nesting and the length of a value are bounded,
// and so are the elements of all files together.
func TestLoadBoundsXML(t *testing.T) {
	perFile := strings.Repeat("<a/>", 600_000)
	// Each file within the per-file bound, together past MaxElements.
	share := strings.Repeat("<a/>", MaxElements/3+1)
	for _, tc := range []struct {
		name   string
		bodies []string
		want   string
	}{
		{"elements in one file", []string{perFile, perFile}, "bomb.zip!objects/A.object: not well-formed XML: line 3: more than 500000 elements"},
		{"elements in all files", []string{share, share, share}, "objects/C.object: line 2: the files read hold more than 1000000 XML elements in all"},
		{"nesting", []string{strings.Repeat("<a>", 100) + strings.Repeat("</a>", 100)}, "objects/A.object: not well-formed XML: line 3: elements nest more than 64 levels deep"},
		{"one long value", []string{"<description>" + strings.Repeat("x", MaxText+1) + "</description>"}, "objects/A.object: line 3: <description> holds 8388609 bytes of text, more than the 8 MiB"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			p := zipOfObjects(t, tc.bodies...)
			ctx, cancel := context.WithTimeout(context.Background(), 2*time.Minute)
			defer cancel()
			_, err := Load(ctx, p, Options{})
			if err == nil || !strings.Contains(err.Error(), tc.want) {
				t.Fatalf("got %v, want an error containing %q", err, tc.want)
			}
		})
	}
}

// TestLoadProjectStopsOnCancel: reading a project's package directories
// (each path matched against .forceignore) stops at the context's
// cancellation, so Ctrl-C ends review and diff of a large tree.
func TestLoadProjectStopsOnCancel(t *testing.T) {
	dir := t.TempDir()
	os.WriteFile(filepath.Join(dir, "sfdx-project.json"), []byte(`{"packageDirectories":[{"path":"force-app","default":true}],"sourceApiVersion":"62.0"}`), 0o644)
	os.WriteFile(filepath.Join(dir, ".forceignore"), []byte("**/*.dup\n"), 0o644)
	obj := filepath.Join(dir, "force-app", "main", "default", "objects", "X__c")
	os.MkdirAll(obj, 0o755)
	os.WriteFile(filepath.Join(obj, "X__c.object-meta.xml"), []byte(`<CustomObject xmlns="http://soap.sforce.com/2006/04/metadata"><label>X</label></CustomObject>`), 0o644)
	if _, err := Load(context.Background(), dir, Options{}); err != nil {
		t.Fatal(err)
	}
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	if _, err := Load(ctx, dir, Options{}); !errors.Is(err, context.Canceled) {
		t.Fatalf("got %v, want context.Canceled", err)
	}
}
