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

func TestSchemasImportAndVersion(t *testing.T) {
	wsdl := filepath.Join("..", "..", "..", "shared", "salesforce", "metadata-wsdl", "metadata-v66.0.wsdl")
	data, err := os.ReadFile(wsdl)
	if err != nil {
		t.Skipf("the shared WSDLs are not here: %v", err)
	}
	newer := filepath.Join(t.TempDir(), "metadata.wsdl")
	if err := os.WriteFile(newer, []byte(strings.Replace(string(data), "Metadata API version 66.0", "Metadata API version 67.0", 1)), 0o644); err != nil {
		t.Fatal(err)
	}
	out := filepath.Join(t.TempDir(), "out")
	if code, _, stderr := run(t, "render", "-f", filepath.Join("..", "..", "fixtures", "partner1", "byoc.yaml"), "-o", out); code != 0 {
		t.Fatalf("render: %d %s", code, stderr)
	}
	code, stdout, stderr := run(t, "schemas", "import", newer, "-p", out)
	if code != 0 || !strings.Contains(stdout, "byocpack-schemas/v67.0.models: content models of Metadata API 67.0 for 898 types, ") || !strings.Contains(stdout, " bytes as changes against the bundled 66.0") || !strings.Contains(stdout, "commit ") {
		t.Fatalf("import: %d\n%s%s", code, stdout, stderr)
	}
	if code, stdout, _ = run(t, "schemas", "import", newer, "-p", out); code != 0 || !strings.HasPrefix(stdout, "unchanged:") {
		t.Errorf("second import: %d %s", code, stdout)
	}
	if code, _, stderr = run(t, "schemas", "import", filepath.Join(out, "sfdx-project.json"), "-p", out); code != 1 || !strings.Contains(stderr, "error: ") {
		t.Errorf("a JSON file as WSDL: %d %s", code, stderr)
	}
	if code, _, _ = run(t, "schemas", "import"); code != 2 {
		t.Errorf("no WSDL: exit %d", code)
	}
	wd, _ := os.Getwd()
	if err := os.Chdir(out); err != nil {
		t.Fatal(err)
	}
	defer os.Chdir(wd)
	_, stdout, _ = run(t, "version")
	if !strings.Contains(stdout, "content models:\n  47.0-66.0  bundled\n  67.0  project byocpack-schemas/v67.0.models\n") {
		t.Errorf("version:\n%s", stdout)
	}
}
