package generator

import (
	"context"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

func TestValidateGoldenProjectsAreClean(t *testing.T) {
	for _, name := range fixtures() {
		res, err := Validate(context.Background(), ValidateOptions{Targets: []string{filepath.Join("..", "fixtures", name, "golden")}, Now: testNow})
		if err != nil {
			t.Fatal(err)
		}
		// The legacy path carries its one expected warning.
		want := 0
		if name == "legacy1" {
			want = 1
		}
		if len(res.Problems) != want || res.Files == 0 {
			t.Errorf("%s: %d files, problems:\n%v", name, res.Files, ProblemList(res.Problems))
		}
	}
}

// TestValidateOtherMetadataIsJudged: a project that also holds Apex
// classes has their meta files judged by the ApexClass model like every
// type's, and the secret scan still applies to the classes.
func TestValidateOtherMetadataIsJudged(t *testing.T) {
	dir := filepath.Join(t.TempDir(), "p")
	renderFixture(t, "partner1", dir)
	classes := filepath.Join(dir, "force-app", "main", "default", "classes")
	writeTree(t, classes, map[string]string{
		"Hook.cls":          "public class Hook {}\n",
		"Hook.cls-meta.xml": "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<ApexClass xmlns=\"http://soap.sforce.com/2006/04/metadata\">\n    <apiVersion>66.0</apiVersion>\n    <status>Active</status>\n</ApexClass>\n",
		// A fake key block, spelled in pieces so no scanner takes this
		// test for a leaked key.
		"Leak.cls":          "/* -----BEGIN RSA " + "PRIVATE KEY-----\nMIIB\n-----END RSA " + "PRIVATE KEY----- */\n",
		"Leak.cls-meta.xml": "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<ApexClass xmlns=\"http://soap.sforce.com/2006/04/metadata\">\n    <apiVersion>66.0</apiVersion>\n    <status>Active</status>\n</ApexClass>\n",
	})
	res, err := Validate(context.Background(), ValidateOptions{Targets: []string{dir}, Now: testNow})
	if err != nil {
		t.Fatal(err)
	}
	if res.WithoutSchema != 0 {
		t.Errorf("WithoutSchema = %d, want every metadata file judged", res.WithoutSchema)
	}
	var rules []string
	for _, p := range res.Problems {
		rules = append(rules, p.Rule+" "+filepath.Base(p.File))
	}
	if got := strings.Join(rules, "; "); got != "BYOC-NO-PRIVATE-KEY Leak.cls" {
		t.Errorf("problems: %s", got)
	}
	if _, err := os.Stat(filepath.Join(classes, "Hook.cls")); err != nil {
		t.Fatal(err)
	}
}

func TestValidateReportsUninferableAndNonMetadataFiles(t *testing.T) {
	dir := filepath.Join(t.TempDir(), "p")
	renderFixture(t, "partner1", dir)
	eca := filepath.Join(dir, "force-app", "main", "default", "externalClientApps")
	data, err := os.ReadFile(filepath.Join(eca, "Partner1_ExternalClientApp1.eca-meta.xml"))
	if err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(filepath.Join(eca, "Other.externalClientApp-meta.xml"), data, 0o644); err != nil {
		t.Fatal(err)
	}
	res, err := Validate(context.Background(), ValidateOptions{Targets: []string{dir}, Now: testNow})
	if err != nil {
		t.Fatal(err)
	}
	if len(res.Problems) != 1 || res.Problems[0].Rule != RuleTypeInference || !strings.HasSuffix(res.Problems[0].File, "Other.externalClientApp-meta.xml") {
		t.Fatalf("want one type-inference error, got:\n%v", ProblemList(res.Problems))
	}
	stray := filepath.Join(t.TempDir(), "notes.bin")
	if err := os.WriteFile(stray, []byte("x"), 0o644); err != nil {
		t.Fatal(err)
	}
	res, err = Validate(context.Background(), ValidateOptions{Targets: []string{stray}, Now: testNow})
	if err != nil {
		t.Fatal(err)
	}
	if len(res.Problems) != 1 || res.Problems[0].Rule != RuleNotMetadata || res.Problems[0].Severity != SeverityWarning {
		t.Fatalf("want one not-metadata warning, got:\n%v", ProblemList(res.Problems))
	}
}
