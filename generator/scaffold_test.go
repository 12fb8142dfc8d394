package generator

import (
	"errors"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// Init, a refused second Init and RotateCertificate through the library
// alone: what the CLI's init and cert rotate print is made here, and a
// refusal names the option that lifts it, never a flag.
func TestInitAndRotateThroughTheLibrary(t *testing.T) {
	dir := filepath.Join(t.TempDir(), "acme")
	specPath := filepath.Join(dir, "byoc.yaml")
	opts := InitOptions{Output: specPath, Prefix: "Acme", AppType: "ExternalClientApplication", Cert: true, Days: 30, Bits: 2048}
	res, err := Init(opts)
	if err != nil {
		t.Fatal(err)
	}
	if res.Pair == nil || res.Schema != filepath.Join(dir, SchemaFileName) {
		t.Fatalf("Init result %+v", res)
	}
	if fi, err := os.Stat(res.KeyPath); err != nil || fi.Mode().Perm() != 0o600 {
		t.Fatalf("key %s: %v %v", res.KeyPath, fi, err)
	}
	spec1, _ := os.ReadFile(specPath)

	_, err = Init(InitOptions{Output: specPath, Prefix: "Acme", AppType: "ExternalClientApplication", Days: 30, Bits: 2048})
	var oe *OptionError
	if !errors.As(err, &oe) || oe.Option != "Force" || strings.Contains(err.Error(), "--") {
		t.Fatalf("second Init: %v (%#v), want an OptionError naming Force and no flag", err, oe)
	}
	if again, _ := os.ReadFile(specPath); string(again) != string(spec1) {
		t.Fatal("a refused Init changed the spec")
	}

	rot, err := RotateCertificate(RotateOptions{Spec: specPath, Days: 30, Bits: 2048})
	if err != nil {
		t.Fatal(err)
	}
	if rot.From != "certs/server.crt" || rot.To != "certs/server-2.crt" {
		t.Errorf("rotated %q -> %q", rot.From, rot.To)
	}
	if edited, _ := os.ReadFile(specPath); !strings.Contains(string(edited), "certs/server-2.crt") {
		t.Error("the spec does not name the new certificate")
	}
	if _, err := os.Stat(rot.Pair.Options.KeyPath); err != nil {
		t.Errorf("the next key: %v", err)
	}
}

// A passphrase source is read only where the options point, and an unset
// variable is named.
func TestPassphraseSources(t *testing.T) {
	t.Setenv("BYOCPACK_TEST_PASS", "s3cret")
	if p, err := (Passphrase{Env: "BYOCPACK_TEST_PASS"}).Read(); err != nil || string(p) != "s3cret" {
		t.Errorf("env: %q %v", p, err)
	}
	file := filepath.Join(t.TempDir(), "pass")
	if err := os.WriteFile(file, []byte("first\r\nsecond\n"), 0o600); err != nil {
		t.Fatal(err)
	}
	if p, err := (Passphrase{File: file}).Read(); err != nil || string(p) != "first" {
		t.Errorf("file: %q %v", p, err)
	}
	if _, err := (Passphrase{Env: "BYOCPACK_TEST_UNSET_42"}).Read(); err == nil || !strings.Contains(err.Error(), "BYOCPACK_TEST_UNSET_42") {
		t.Errorf("unset: %v", err)
	}
	var ue *UsageError
	if err := (Passphrase{File: file, Env: "X"}).Check(); !errors.As(err, &ue) || ue.Option != "Passphrase" {
		t.Errorf("both: %v", err)
	}
}
