package render

import (
	"strings"
	"testing"

	"github.com/byocpack/byocpack/generator/spec"
)

// renderLegacy renders fixtures/legacy1's spec, edited, by path.
func renderLegacy(t *testing.T, edit func(string) string) map[string]File {
	t.Helper()
	out := map[string]File{}
	for _, f := range renderEdited(t, "legacy1", edit) {
		out[f.Path] = f
	}
	return out
}

// With app.releasedVersion the package carries the stub, under the file
// name the full app has, and every other file is the legacy path's.
func TestRenderConnectedAppStub(t *testing.T) {
	const app = "force-app/main/default/connectedApps/Legacy1_ConnectedApp1.connectedApp-meta.xml"
	full := renderLegacy(t, func(s string) string { return s })
	stub := renderLegacy(t, func(s string) string {
		return strings.Replace(s, "  type: ConnectedApp\n", "  type: ConnectedApp\n  releasedVersion: \"1.0\"\n", 1)
	})
	want := `<?xml version="1.0" encoding="UTF-8"?>
<ConnectedApp xmlns="http://soap.sforce.com/2006/04/metadata">
    <developerName>legacy1__Legacy1_ConnectedApp1</developerName>
    <label>Legacy1 ConnectedApp1</label>
    <version>1.0</version>
</ConnectedApp>
`
	got, ok := stub[app]
	if !ok {
		t.Fatalf("no %s among %v", app, keys(stub))
	}
	if string(got.Data) != want {
		t.Errorf("stub:\n%s\nwant:\n%s", got.Data, want)
	}
	// What fmt writes, so fmt leaves a rendered stub as it is.
	if out, _, err := layout("63.0", spec.ConnectedApp, got.Data); err != nil || string(out) != want {
		t.Errorf("the formatter turns the stub into %q, %v", out, err)
	}
	if got.Type != spec.ConnectedApp || got.FullName != "Legacy1_ConnectedApp1" || !got.InPackage {
		t.Errorf("stub file: %+v", got)
	}
	if len(stub) != len(full) {
		t.Errorf("files: %v, want those of the full app: %v", keys(stub), keys(full))
	}
	for p, f := range full {
		if p == app || p == setupFile {
			continue
		}
		if string(stub[p].Data) != string(f.Data) {
			t.Errorf("%s differs from the full connected app's render:\n%s\nwant:\n%s", p, stub[p].Data, f.Data)
		}
	}
	setup := string(stub[setupFile].Data)
	wantIn(t, setup, setupFile,
		"## 1. Release the connected app in the first-generation package",
		"This package carries only its stub, `force-app/main/default/connectedApps/Legacy1_ConnectedApp1.connectedApp-meta.xml`",
		"`legacy1__Legacy1_ConnectedApp1`", "version `1.0`", "namespace `legacy1`",
		"## 2. Create the package version", "sf package version create",
		"## 3. In each subscriber org, after installing", "## 4. Get an access token")
	for _, not := range []string{"Put the connected app into a first-generation package", "No package version"} {
		if strings.Contains(setup, not) {
			t.Errorf("%s still says %q", setupFile, not)
		}
	}
}

func keys(m map[string]File) []string {
	var out []string
	for k := range m {
		out = append(out, k)
	}
	return out
}
