package cli

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// TestDuplicateKeyInProjectIsRefusedByEveryCommand is the regression
// test of issue 16 row 2: sfdx-project.json naming packageDirectories
// twice made validate and package read the first list while the
// Salesforce CLI (Node's JSON.parse) reads the last, here a directory
// holding a private key. Every command refuses the file at the key.
func TestDuplicateKeyInProjectIsRefusedByEveryCommand(t *testing.T) {
	dir := t.TempDir()
	for name, data := range map[string]string{
		"sfdx-project.json":                             "{\n  \"packageDirectories\": [{\"path\": \"force-app\", \"default\": true}],\n  \"namespace\": \"\",\n  \"packageDirectories\": [{\"path\": \"keys\", \"default\": true}]\n}\n",
		"force-app/main/default/classes/A.cls":          "public class A {}\n",
		"force-app/main/default/classes/A.cls-meta.xml": "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<ApexClass xmlns=\"http://soap.sforce.com/2006/04/metadata\"><apiVersion>62.0</apiVersion><status>Active</status></ApexClass>\n",
		"keys/main/default/staticresources/k.resource":  string(pkcs8PEM(t, 2048)),
	} {
		p := filepath.Join(dir, filepath.FromSlash(name))
		if err := os.MkdirAll(filepath.Dir(p), 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(p, []byte(data), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	want := `sfdx-project.json:4:3: key "packageDirectories" appears twice`
	for _, args := range [][]string{{"validate", dir}, {"package", "-p", dir, "--dry-run"}, {"fmt", "--check", dir}} {
		code, stdout, stderr := run(t, args...)
		if code == 0 || !strings.Contains(stdout+stderr, want) {
			t.Errorf("%v: exit %d, want the duplicate key refused (%s):\n%s%s", args, code, want, stdout, stderr)
		}
	}
}
