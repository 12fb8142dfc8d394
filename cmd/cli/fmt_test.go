package cli

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
)

const ecaRel = "force-app/main/default/externalClientApps/Partner1_ExternalClientApp1.eca-meta.xml"

// fmt --check fails CI on a reordered file and names it; fmt fixes it;
// validate calls the order a warning, --strict and --xsd refuse it, and
// --disable silences it, saying so.
func TestFmtCheckAndOrderVerdicts(t *testing.T) {
	out := filepath.Join(t.TempDir(), "out")
	if code, _, stderr := run(t, "render", "-f", filepath.Join("..", "..", "fixtures", "partner1", "byoc.yaml"), "-o", out); code != 0 {
		t.Fatalf("render: %d %s", code, stderr)
	}
	eca := filepath.Join(out, ecaRel)
	golden, err := os.ReadFile(eca)
	if err != nil {
		t.Fatal(err)
	}
	lines := strings.Split(string(golden), "\n")
	lines[2], lines[3] = lines[3], lines[2] // contactEmail after description
	if err := os.WriteFile(eca, []byte(strings.Join(lines, "\n")), 0o644); err != nil {
		t.Fatal(err)
	}
	for _, tt := range []struct {
		args []string
		code int
		want string
	}{
		{[]string{"validate", out}, 0, "warning xsd-order: <contactEmail> in <ExternalClientApplication> is not in the order Salesforce retrieves it"},
		{[]string{"validate", out, "--strict"}, 1, "0 errors, 1 warning"},
		{[]string{"validate", out, "--xsd"}, 1, "error xsd-order: element <contactEmail> is out of order"},
		{[]string{"validate", out, "--strict", "--disable", "xsd-order"}, 0, "0 errors, 0 warnings; 1 problem silenced by disabled rules"},
		{[]string{"fmt", "--check", out}, 1, ecaRel + ": would reformat"},
		{[]string{"fmt", out}, 0, "10 files: 1 formatted, 9 already formatted, 0 left as they are"},
		{[]string{"fmt", "--check", out}, 0, "10 files: 0 would reformat, 10 already formatted"},
		{[]string{"validate", out, "--xsd", "--strict"}, 0, "0 errors, 0 warnings"},
	} {
		code, stdout, stderr := run(t, tt.args...)
		if code != tt.code || !strings.Contains(stdout, tt.want) {
			t.Errorf("%v: exit %d, want %d; stdout lacks %q:\n%s%s", tt.args, code, tt.code, tt.want, stdout, stderr)
		}
	}
	if got, _ := os.ReadFile(eca); string(got) != string(golden) {
		t.Errorf("fmt did not restore render's bytes:\n%s", got)
	}
	if code, _, stderr := run(t, "validate", out, "--disable", "xsd-ordr"); code != 2 || !strings.Contains(stderr, "names no rule") {
		t.Errorf("unknown --disable: exit %d %s", code, stderr)
	}
	if code, stdout, _ := run(t, "fmt", "--format", "json", out); code != 0 || !strings.Contains(stdout, `"unchanged": 10`) {
		t.Errorf("fmt --format json: %d %s", code, stdout)
	}
}
