package cli

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// cert rotate makes the next key and certificate beside the current ones,
// never replacing them, and switches app.certificate in the spec by
// editing that one line; doctor then finds the new key.
func TestCertRotate(t *testing.T) {
	dir := t.TempDir()
	spec := filepath.Join(dir, "acme", "byoc.yaml")
	if err := os.MkdirAll(filepath.Dir(spec), 0o755); err != nil {
		t.Fatal(err)
	}
	if code, _, stderr := run(t, "init", "-o", spec, "--prefix", "Acme", "--namespace", "acme", "--cert"); code != 0 {
		t.Fatalf("init: exit %d: %s", code, stderr)
	}
	before, _ := os.ReadFile(spec)
	oldCert, _ := os.ReadFile(filepath.Join(dir, "acme", "certs", "server.crt"))
	oldKey, _ := os.ReadFile(filepath.Join(dir, "acme-server.key"))

	code, stdout, stderr := run(t, "cert", "rotate", "-f", spec)
	if code != 0 {
		t.Fatalf("rotate: exit %d: %s", code, stderr)
	}
	for _, want := range []string{"certificate: certs/server-2.crt", "acme-server-2.key", "cut-over", "invalid assertion", "stay valid until they expire"} {
		if !strings.Contains(stdout, want) {
			t.Errorf("rotate output lacks %q:\n%s", want, stdout)
		}
	}
	after, _ := os.ReadFile(spec)
	if want := strings.Replace(string(before), "certificate: certs/server.crt", "certificate: certs/server-2.crt", 1); string(after) != want || string(after) == string(before) {
		t.Errorf("the spec changed beyond app.certificate:\n%s", after)
	}
	if got, _ := os.ReadFile(filepath.Join(dir, "acme", "certs", "server.crt")); string(got) != string(oldCert) {
		t.Error("the current certificate was replaced")
	}
	if got, _ := os.ReadFile(filepath.Join(dir, "acme-server.key")); string(got) != string(oldKey) {
		t.Error("the current key was replaced")
	}
	if fi, err := os.Stat(filepath.Join(dir, "acme-server-2.key")); err != nil || fi.Mode().Perm() != 0o600 {
		t.Errorf("new key: %v", err)
	}
	if code, stdout, _ := run(t, "doctor", "-f", spec); !strings.Contains(stdout, "acme-server-2.key (found beside the project) belongs to certs/server-2.crt") {
		t.Errorf("doctor after rotate: exit %d\n%s", code, stdout)
	}

	// The next rotation numbers on.
	if code, stdout, stderr := run(t, "cert", "rotate", "-f", spec); code != 0 || !strings.Contains(stdout, "certs/server-2.crt -> certs/server-3.crt") {
		t.Errorf("second rotate: exit %d\n%s%s", code, stdout, stderr)
	}

	// A spec that is a symlink is refused, and nothing is written.
	link := filepath.Join(dir, "acme", "link.yaml")
	if err := os.Symlink("byoc.yaml", link); err != nil {
		t.Fatal(err)
	}
	if code, _, stderr := run(t, "cert", "rotate", "-f", link); code != 1 || !strings.Contains(stderr, "not a regular file") {
		t.Errorf("symlink: exit %d %s", code, stderr)
	}
	if _, err := os.Stat(filepath.Join(dir, "acme", "certs", "server-4.crt")); err == nil {
		t.Error("a refused rotation wrote a certificate")
	}
}

// Rotation writes inside the spec's directory only: not through a certs
// folder that links elsewhere, and not beside an absolute app.certificate.
func TestCertRotateWritesOnlyBesideTheSpec(t *testing.T) {
	dir := t.TempDir()
	spec := filepath.Join(dir, "acme", "byoc.yaml")
	if err := os.MkdirAll(filepath.Dir(spec), 0o755); err != nil {
		t.Fatal(err)
	}
	if code, _, stderr := run(t, "init", "-o", spec, "--prefix", "Acme", "--namespace", "acme", "--cert"); code != 0 {
		t.Fatalf("init: exit %d: %s", code, stderr)
	}
	certs, elsewhere := filepath.Join(dir, "acme", "certs"), filepath.Join(dir, "elsewhere")
	if err := os.Rename(certs, elsewhere); err != nil {
		t.Fatal(err)
	}
	if err := os.Symlink(elsewhere, certs); err != nil {
		t.Fatal(err)
	}
	if code, _, _ := run(t, "cert", "rotate", "-f", spec); code == 0 {
		t.Error("rotate wrote through the linked certs folder")
	}
	if _, err := os.Stat(filepath.Join(elsewhere, "server-2.crt")); err == nil {
		t.Error("a certificate was written outside the spec's directory")
	}

	abs := filepath.Join(dir, "abs", "server.crt")
	if err := os.MkdirAll(filepath.Dir(abs), 0o755); err != nil {
		t.Fatal(err)
	}
	crt, _ := os.ReadFile(filepath.Join(elsewhere, "server.crt"))
	if err := os.WriteFile(abs, crt, 0o644); err != nil {
		t.Fatal(err)
	}
	data, _ := os.ReadFile(spec)
	if err := os.WriteFile(spec, []byte(strings.Replace(string(data), "certificate: certs/server.crt", "certificate: "+abs, 1)), 0o644); err != nil {
		t.Fatal(err)
	}
	code, _, stderr := run(t, "cert", "rotate", "-f", spec)
	if code == 0 || !strings.Contains(stderr, "absolute path") {
		t.Errorf("rotate of an absolute certificate: exit %d: %s", code, stderr)
	}
	if _, err := os.Stat(filepath.Join(dir, "abs", "server-2.crt")); err == nil {
		t.Error("a certificate was written beside the absolute path")
	}
}
