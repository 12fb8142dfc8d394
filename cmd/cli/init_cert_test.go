package cli

import (
	"bytes"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"

	"github.com/byocpack/byocpack/internal/jsonschema"
)

func TestInitCertKeepsTheKeyOutsideAndDerivesFromThePrefix(t *testing.T) {
	dir := t.TempDir()
	spec := filepath.Join(dir, "acme", "byoc.yaml")
	if err := os.MkdirAll(filepath.Dir(spec), 0o755); err != nil {
		t.Fatal(err)
	}
	code, stdout, stderr := run(t, "init", "-o", spec, "--prefix", "Acme", "--namespace", "acme", "--cert")
	if code != 0 {
		t.Fatalf("init --cert: exit %d: %s", code, stderr)
	}
	key := filepath.Join(dir, "acme-server.key")
	if fi, err := os.Stat(key); err != nil || fi.Mode().Perm() != 0o600 {
		t.Fatalf("key beside the project: %v", err)
	}
	if !strings.Contains(stdout, "SHA-256 fingerprint: ") || !strings.Contains(stdout, "certificate: certs/server.crt") {
		t.Errorf("init --cert output:\n%s", stdout)
	}
	data, _ := os.ReadFile(spec)
	if regexp.MustCompile(`(?i)partner1|vendor1`).Match(data) {
		t.Errorf("the spec carries demo values:\n%s", data)
	}
	for _, want := range []string{"contactEmail: \"dev@acme.example\"", "name: Acme_Vendor", "--key ../acme-server.key"} {
		if !strings.Contains(string(data), want) {
			t.Errorf("the spec lacks %q", want)
		}
	}
	out := filepath.Join(dir, "acme", "out")
	if code, _, stderr := run(t, "build", "-f", spec, "-o", out); code != 0 {
		t.Fatalf("build after init --cert: exit %d: %s", code, stderr)
	}

	before, _ := os.ReadFile(key)
	code, _, stderr = run(t, "init", "-o", spec, "--prefix", "Acme", "--cert", "--force")
	if after, _ := os.ReadFile(key); code != 1 || !strings.Contains(stderr, "never overwrites a key") || !bytes.Equal(before, after) {
		t.Errorf("second init --cert --force: exit %d, %q", code, stderr)
	}

	// Without --cert, the hint names this project's own key.
	other := filepath.Join(dir, "globex", "byoc.yaml")
	_ = os.MkdirAll(filepath.Dir(other), 0o755)
	code, stdout, _ = run(t, "init", "-o", other, "--prefix", "Globex")
	if code != 0 || !strings.Contains(stdout, "byocpack cert --out "+filepath.Join(dir, "globex", "certs")+" --key "+filepath.Join(dir, "globex-server.key")) {
		t.Errorf("hint:\n%s", stdout)
	}
	for _, args := range [][]string{{"--key", "x.key"}, {"--cert", "--bits", "1024"}} {
		if code, _, _ := run(t, append([]string{"init", "-o", filepath.Join(t.TempDir(), "byoc.yaml")}, args...)...); code != 2 {
			t.Errorf("%v: exit %d", args, code)
		}
	}
}

// init without --namespace writes the key, empty, with what it is for;
// build then warns that a managed package needs one.
func TestInitWithoutNamespaceSaysAManagedPackageNeedsOne(t *testing.T) {
	dir := t.TempDir()
	specPath := filepath.Join(dir, "acme", "byoc.yaml")
	if err := os.MkdirAll(filepath.Dir(specPath), 0o755); err != nil {
		t.Fatal(err)
	}
	if code, _, stderr := run(t, "init", "-o", specPath, "--prefix", "Acme", "--cert"); code != 0 {
		t.Fatalf("init: exit %d: %s", code, stderr)
	}
	data, _ := os.ReadFile(specPath)
	for _, want := range []string{"  # A managed package needs the namespace prefix registered in (and linked to) the Dev Hub;\n", "  namespace: \"\"\n"} {
		if !strings.Contains(string(data), want) {
			t.Errorf("the spec lacks %q:\n%s", want, data)
		}
	}
	code, stdout, stderr := run(t, "build", "-f", specPath, "-o", filepath.Join(dir, "acme", "out"))
	if code != 0 || !strings.Contains(stdout+stderr, "package.namespace is empty, but a managed package needs one") {
		t.Errorf("build: exit %d, no namespace warning:\n%s\n%s", code, stdout, stderr)
	}
}

// Every spec init writes passes the JSON Schema it writes beside it, as an
// editor checks it: a new spec used to fail it for an empty features:.
func TestInitOutputPassesItsJSONSchema(t *testing.T) {
	for name, args := range map[string][]string{
		"default":       {"--prefix", "Acme"},
		"namespace":     {"--prefix", "Acme", "--namespace", "acme"},
		"customer":      {"--prefix", "Acme", "--customer"},
		"connected app": {"--prefix", "Acme", "--app-type", "ConnectedApp"},
	} {
		dir := t.TempDir()
		specPath := filepath.Join(dir, "byoc.yaml")
		if code, _, stderr := run(t, append([]string{"init", "-o", specPath}, args...)...); code != 0 {
			t.Fatalf("%s: exit %d: %s", name, code, stderr)
		}
		data, _ := os.ReadFile(specPath)
		schema, _ := os.ReadFile(filepath.Join(dir, "byoc.schema.json"))
		bad, err := jsonschema.Check(schema, data)
		if err != nil || len(bad) > 0 {
			t.Errorf("%s: init's spec fails byoc.schema.json: %v %v\n%s", name, err, bad, data)
		}
	}
}

// A Customer channel's partner makes the key and certificate, as SETUP.md
// and ADMIN-SETUP.md say: init --customer --cert makes the pair and says
// to send the certificate.
func TestInitCustomerCertMakesThePairThePartnerSends(t *testing.T) {
	dir := t.TempDir()
	specPath := filepath.Join(dir, "acme", "byoc.yaml")
	if err := os.MkdirAll(filepath.Dir(specPath), 0o755); err != nil {
		t.Fatal(err)
	}
	code, stdout, stderr := run(t, "init", "-o", specPath, "--prefix", "Acme", "--namespace", "acme", "--customer", "--cert")
	if code != 0 {
		t.Fatalf("exit %d: %s", code, stderr)
	}
	if _, err := os.Stat(filepath.Join(dir, "acme-server.key")); err != nil {
		t.Errorf("no key beside the project: %v", err)
	}
	if _, err := os.Stat(filepath.Join(dir, "acme", "certs", "server.crt")); err != nil {
		t.Errorf("no certificate: %v", err)
	}
	if !strings.Contains(stdout, "with ADMIN-SETUP.md to each customer's admin, who creates the app and sends back its consumer key") || strings.Contains(stdout, "under app:") {
		t.Errorf("output:\n%s", stdout)
	}
}
