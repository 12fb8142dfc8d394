package cli

import (
	"encoding/json"
	"path/filepath"
	"strings"
	"testing"
)

// TestJWTCertInitSchemaHaveJSON: every reporting command has --json, with
// its result in the envelope, also under --quiet; no private key is ever
// in it.
func TestJWTCertInitSchemaHaveJSON(t *testing.T) {
	dir := t.TempDir()
	key, crt := filepath.Join(dir, "acme-server.key"), filepath.Join(dir, "certs", "server.crt")
	var cert certResult
	code, stdout, stderr := run(t, "cert", "--out", filepath.Join(dir, "certs"), "--key", key, "--cn", "Acme", "--json", "--quiet")
	if code != 0 || unmarshalResult(stdout, &cert) != nil || cert.Key.Path != key || cert.Certificate.CommonName != "Acme" || len(cert.Certificate.SHA256) == 0 {
		t.Fatalf("cert --json: exit %d %+v\n%s%s", code, cert, stdout, stderr)
	}
	var jwt jwtResult
	code, stdout, stderr = run(t, "jwt", "--key", key, "--client-id", "3MVG9x", "--user", "u@acme.example", "--cert", crt, "--json", "-q")
	if code != 0 || unmarshalResult(stdout, &jwt) != nil || strings.Count(jwt.Assertion, ".") != 2 || jwt.Subject != "u@acme.example" || jwt.VerifiedWith == nil || jwt.VerifiedWith.SHA256 != cert.Certificate.SHA256 {
		t.Fatalf("jwt --json: exit %d %+v\n%s%s", code, jwt, stdout, stderr)
	}
	var ini initResult
	spec := filepath.Join(dir, "p", "byoc.yaml")
	code, stdout, stderr = run(t, "init", "-o", spec, "--cert", "--key", filepath.Join(dir, "p.key"), "--json")
	if code != 0 || unmarshalResult(stdout, &ini) != nil || ini.Spec != spec || ini.Cert == nil || ini.Cert.Key.Path != filepath.Join(dir, "p.key") || len(ini.Next) != 1 {
		t.Fatalf("init --json: exit %d %+v\n%s%s", code, ini, stdout, stderr)
	}
	var sch struct {
		Schema map[string]any `json:"schema"`
	}
	code, stdout, _ = run(t, "schema", "--json")
	if code != 0 || unmarshalResult(stdout, &sch) != nil || sch.Schema["$schema"] == nil {
		t.Fatalf("schema --json: exit %d\n%s", code, stdout)
	}
	// Without --json, schema prints the schema itself, for > byoc.schema.json.
	if _, stdout, _ := run(t, "schema"); !json.Valid([]byte(stdout)) || strings.Contains(stdout, "schemaVersion") {
		t.Errorf("schema without --json changed:\n%.200s", stdout)
	}
	// A refusal is an envelope too.
	if code, stdout, _ := run(t, "cert", "--out", filepath.Join(dir, "certs"), "--json"); code != 1 || !strings.Contains(stdout, `"status": "error"`) || !strings.Contains(stdout, "already exists") {
		t.Errorf("cert refused: exit %d\n%s", code, stdout)
	}
	for _, args := range [][]string{
		{"cert", "--out", filepath.Join(dir, "c2"), "--json"},
		{"init", "-o", filepath.Join(dir, "q", "byoc.yaml"), "--cert", "--key", filepath.Join(dir, "q.key"), "--json"},
	} {
		if _, stdout, _ := run(t, args...); strings.Contains(stdout, "PRIVATE KEY") || strings.Contains(stdout, "BEGIN") {
			t.Errorf("%v: a key in the JSON:\n%s", args, stdout)
		}
	}
}
