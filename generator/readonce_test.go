package generator

import (
	"context"
	"crypto/sha256"
	"os"
	"path/filepath"
	"sort"
	"sync"
	"testing"

	"github.com/byocpack/byocpack/internal/sfdx"
	"github.com/byocpack/byocpack/internal/tree"
	"github.com/byocpack/byocpack/internal/xmldoc"
)

// ioTrace counts, while a command runs, the reads of each file (by name),
// the XML parses of each distinct content and the parses of each
// sfdx-project.json.
type ioTrace struct {
	mu       sync.Mutex
	reads    map[string]int
	parses   map[[32]byte]int
	projects map[string]int
}

func traceIO(t *testing.T) *ioTrace {
	t.Helper()
	tr := &ioTrace{reads: map[string]int{}, parses: map[[32]byte]int{}, projects: map[string]int{}}
	tree.Trace = func(name string) {
		abs, _ := filepath.Abs(name)
		tr.mu.Lock()
		tr.reads[abs]++
		tr.mu.Unlock()
	}
	xmldoc.Trace = func(data []byte) {
		tr.mu.Lock()
		tr.parses[sha256.Sum256(data)]++
		tr.mu.Unlock()
	}
	sfdx.Trace = func(file string) {
		tr.mu.Lock()
		tr.projects[file]++
		tr.mu.Unlock()
	}
	t.Cleanup(func() { tree.Trace, xmldoc.Trace, sfdx.Trace = nil, nil, nil })
	return tr
}

// check fails for a file read more than maxReads times, a content parsed
// more than once, and an sfdx-project.json parsed more than once.
func (tr *ioTrace) check(t *testing.T, what string, maxReads int) {
	t.Helper()
	tr.mu.Lock()
	defer tr.mu.Unlock()
	var names []string
	for n := range tr.reads {
		names = append(names, n)
	}
	sort.Strings(names)
	for _, n := range names {
		if tr.reads[n] > maxReads {
			t.Errorf("%s read %s %d times", what, n, tr.reads[n])
		}
	}
	for sum, n := range tr.parses {
		if n > 1 {
			t.Errorf("%s parsed one XML content (SHA-256 %x…) %d times", what, sum[:6], n)
		}
	}
	for f, n := range tr.projects {
		if n > 1 {
			t.Errorf("%s parsed %s %d times", what, f, n)
		}
	}
	t.Logf("%s: %d files read, %d XML contents parsed", what, len(tr.reads), len(tr.parses))
}

// Build reads each input file once and parses each file at most once;
// Validate of the built project the same.
func TestBuildAndValidateReadEachFileOnce(t *testing.T) {
	out := t.TempDir()
	build := func(force ...bool) {
		t.Helper()
		if _, err := Build(context.Background(), BuildOptions{Render: RenderOptions{
			SpecFS: tree.DirFS("../fixtures/partner1", tree.MaxInputFile), SpecPath: "byoc.yaml", OutDir: out, Now: testNow, Force: len(force) > 0,
		}}); err != nil {
			t.Fatal(err)
		}
	}
	tr := traceIO(t)
	build()
	tr.check(t, "build", 1)
	// Again over its own output, which it reads to see what changed: each
	// file once, by the snapshot that is validated, zipped and planned
	// against (the manifest as the lock's open read it).
	tr = traceIO(t)
	build()
	tr.check(t, "build again", 1)
	// A file the rebuild replaces is read once more, by the commit's
	// re-check right before it is moved (one edited meanwhile is kept):
	// two reads, by design; still at most one parse.
	edited, err := filepath.Abs(filepath.Join(out, "force-app", "main", "default", "objects", "Message_Event__e", "fields", "EventType__c.field-meta.xml"))
	if err != nil {
		t.Fatal(err)
	}
	b, err := os.ReadFile(edited)
	if err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(edited, append(b, '\n'), 0o644); err != nil {
		t.Fatal(err)
	}
	tr = traceIO(t)
	build(true)
	tr.check(t, "build replacing an edited file", 2)
	if n := tr.reads[edited]; n != 2 {
		t.Errorf("build read the file it replaced %d times; want 2 (the snapshot, and the re-check before the move)", n)
	}

	tr = traceIO(t)
	if _, err := Validate(context.Background(), ValidateOptions{Targets: []string{out}}); err != nil {
		t.Fatal(err)
	}
	tr.check(t, "validate", 1)
}
