package cli

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// legacySpec copies fixtures/legacy1's spec, edited, and its certificate
// into a new directory and returns the spec's path.
func legacySpec(t *testing.T, edit func(string) string) string {
	t.Helper()
	return fixtureSpec(t, "../../fixtures/legacy1", t.TempDir(), "legacy1", edit)
}

const stubFile = "force-app/main/default/connectedApps/Legacy1_ConnectedApp1.connectedApp-meta.xml"

// app.releasedVersion: build packages the connected app's stub as a
// second-generation package, with package-version-info.zip and without
// the first-generation warning; validate, --xsd, fmt and review agree.
func TestBuildConnectedAppStub(t *testing.T) {
	spec := legacySpec(t, func(s string) string {
		return strings.Replace(s, "  type: ConnectedApp\n", "  type: ConnectedApp\n  releasedVersion: \"1.0\"\n", 1)
	})
	out := filepath.Join(t.TempDir(), "out")
	code, stdout, stderr := run(t, "build", "-f", spec, "-o", out)
	if code != 0 {
		t.Fatalf("build: exit %d:\n%s\n%s", code, stdout, stderr)
	}
	for _, zip := range []string{"package.zip", "package-version-info.zip"} {
		if _, err := os.Stat(filepath.Join(out, "dist", zip)); err != nil {
			t.Errorf("build wrote no dist/%s: %v\n%s", zip, err, stdout)
		}
	}
	all := stdout + stderr
	for _, want := range []string{"package-version-info.zip", "info spec: app.releasedVersion: the package carries only the stub of the connected app legacy1__Legacy1_ConnectedApp1 (version 1.0)", "stub of the connected app Legacy1_ConnectedApp1"} {
		if !strings.Contains(all, want) {
			t.Errorf("build output lacks %q:\n%s", want, all)
		}
	}
	for _, not := range []string{"BYOC-CONNECTED-APP-1GP", "Spring '26", "first-generation packaging org"} {
		if strings.Contains(all, not) {
			t.Errorf("build output says %q:\n%s", not, all)
		}
	}
	stub, err := os.ReadFile(filepath.Join(out, stubFile))
	if err != nil || !strings.Contains(string(stub), "<developerName>legacy1__Legacy1_ConnectedApp1</developerName>") || strings.Contains(string(stub), "CERTIFICATE") {
		t.Fatalf("the rendered connected app is not the stub: %v\n%s", err, stub)
	}
	if code, stdout, stderr := run(t, "validate", out, "--strict"); code != 0 || !strings.Contains(stdout, "0 errors, 0 warnings") {
		t.Errorf("validate --strict: exit %d:\n%s%s", code, stdout, stderr)
	}
	if code, stdout, stderr := run(t, "validate", out, "--xsd"); code != 0 || !strings.Contains(stdout+stderr, "info BYOC-CA-STUB: the stub of a connected app released in a first-generation package") {
		t.Errorf("validate --xsd: exit %d:\n%s%s", code, stdout, stderr)
	}
	if code, stdout, stderr := run(t, "fmt", "--check", out); code != 0 {
		t.Errorf("fmt --check: exit %d:\n%s%s", code, stdout, stderr)
	}
	if code, stdout, stderr := run(t, "review", out); code != 0 || !strings.Contains(stdout, "stub: references the connected app legacy1__Legacy1_ConnectedApp1, version 1.0") {
		t.Errorf("review: exit %d:\n%s%s", code, stdout, stderr)
	}
	setup, _ := os.ReadFile(filepath.Join(out, "SETUP.md"))
	if !strings.Contains(string(setup), "This package carries only its stub") {
		t.Errorf("SETUP.md does not describe the stub:\n%s", setup)
	}
}

// A hand-written stub in a project byocpack did not render, in the order
// a person might write it: package builds the second-generation zips, and
// one with a full app's element beside it is refused at the element.
func TestPackageHandWrittenConnectedAppStub(t *testing.T) {
	out := filepath.Join(t.TempDir(), "out")
	if code, stdout, stderr := run(t, "render", "-f", legacySpec(t, func(s string) string { return s }), "-o", out); code != 0 {
		t.Fatalf("render: exit %d:\n%s\n%s", code, stdout, stderr)
	}
	write := func(body string) {
		t.Helper()
		doc := "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<ConnectedApp xmlns=\"http://soap.sforce.com/2006/04/metadata\">\n" + body + "</ConnectedApp>\n"
		if err := os.WriteFile(filepath.Join(out, stubFile), []byte(doc), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	write("    <label>Legacy1 ConnectedApp1</label>\n    <version>1.0</version>\n    <developerName>legacy1__Legacy1_ConnectedApp1</developerName>\n")
	dist := filepath.Join(t.TempDir(), "dist")
	code, stdout, stderr := run(t, "package", "-p", out, "-o", dist)
	if code != 0 {
		t.Fatalf("package: exit %d:\n%s\n%s", code, stdout, stderr)
	}
	if _, err := os.Stat(filepath.Join(dist, "package-version-info.zip")); err != nil || strings.Contains(stdout+stderr, "Spring '26") {
		t.Errorf("no second-generation zips from a hand-written stub: %v\n%s%s", err, stdout, stderr)
	}
	write("    <developerName>legacy1__Legacy1_ConnectedApp1</developerName>\n    <label>Legacy1 ConnectedApp1</label>\n    <oauthConfig>\n        <callbackUrl>https://login.salesforce.com</callbackUrl>\n    </oauthConfig>\n    <version>1.0</version>\n")
	code, stdout, stderr = run(t, "package", "-p", out, "-o", dist)
	if code != 1 || !strings.Contains(stdout+stderr, stubFile+":5:5: error BYOC-CA-STUB: <oauthConfig> beside the stub's developerName and version") {
		t.Errorf("package of a mixed stub: exit %d:\n%s%s", code, stdout, stderr)
	}
}
