package cli

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// git hands the merge driver the path from the repository (%P): a file
// named with a line break and a workflow command must not start a line of
// its own in the CI log, nor carry an escape sequence to the terminal.
func TestMergeDriverPrintsThePathInert(t *testing.T) {
	dir := t.TempDir()
	doc := func(label string) string {
		return "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<PermissionSet xmlns=\"http://soap.sforce.com/2006/04/metadata\">\n    <label>" + label + "</label>\n</PermissionSet>\n"
	}
	for name, label := range map[string]string{"base": "P", "ours": "A", "theirs": "B"} {
		p := filepath.Join(dir, name)
		if err := os.WriteFile(p, []byte(doc(label)), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	hostile := "x\n::error file=a::PWNED\x1b[31m.permissionset-meta.xml"
	_, _, stderr := run(t, "merge-driver", filepath.Join(dir, "base"), filepath.Join(dir, "ours"), filepath.Join(dir, "theirs"), hostile)
	for _, line := range strings.Split(stderr, "\n") {
		if strings.HasPrefix(line, "::") || strings.Contains(line, "\x1b") {
			t.Fatalf("the path reached the log raw: %q", stderr)
		}
	}
	if !strings.Contains(stderr, "PWNED") {
		t.Fatalf("the path is not named at all: %q", stderr)
	}
}
