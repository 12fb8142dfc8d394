package cli

import (
	"crypto/rand"
	"crypto/rsa"
	"crypto/x509"
	"encoding/pem"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// TestCertRefusesAnInsaneCommonName is the regression test of issue 16
// row 18: control characters reached the certificate and the terminal.
func TestCertRefusesAnInsaneCommonName(t *testing.T) {
	dir := t.TempDir()
	for _, cn := range []string{"Acme\x1b[31mRed", "Acme\nService", "Acme\tService", "Acme\u202eecivreS", "Acme\u200bService",
		"Acme\x00", " Acme", "Acme ", strings.Repeat("a", 65), "Acme\xff"} {
		code, stdout, stderr := run(t, "cert", "--out", filepath.Join(dir, "certs"), "--key", filepath.Join(dir, "k.key"), "--cn", cn)
		if code != 2 || !strings.Contains(stderr, "--cn: ") {
			t.Errorf("%q: exit %d, %q", cn, code, stderr)
		}
		if strings.ContainsAny(stdout+stderr, "\x1b\x00\u202e\u200b") {
			t.Errorf("%q: the raw name reached the terminal: %q", cn, stderr)
		}
		if _, err := os.Stat(filepath.Join(dir, "k.key")); err == nil {
			t.Fatalf("%q: a key was written", cn)
		}
	}
	for _, cn := range []string{"Acme Interaction Service", "Société Générale — Messaging", strings.Repeat("é", 64)} {
		if code, _, stderr := run(t, "cert", "--out", filepath.Join(dir, "ok"), "--key", filepath.Join(dir, "ok.key"), "--cn", cn, "--force"); code != 0 {
			t.Errorf("%q: exit %d, %s", cn, code, stderr)
		}
	}
}

// TestJWTWarnsOfAShortKey: Salesforce's recipe makes 2048-bit keys; a
// 1024-bit key still signs (whether Salesforce takes it cannot be checked
// offline) but jwt and token say so (issue 16 row 18).
func TestJWTWarnsOfAShortKey(t *testing.T) {
	dir := t.TempDir()
	short := filepath.Join(dir, "short.key")
	if err := os.WriteFile(short, pkcs8PEM(t, 1024), 0o600); err != nil {
		t.Fatal(err)
	}
	code, _, stderr := run(t, "jwt", "--key", short, "--client-id", "3MVG9x", "--user", "u@acme.example")
	if code != 0 || !strings.Contains(stderr, "warning: "+short+": the key is RSA 1024 bits, shorter than the 2048") {
		t.Errorf("1024-bit key: exit %d, %q", code, stderr)
	}
	long, _ := makeCert(t, dir)
	if code, _, stderr := run(t, "jwt", "--key", long, "--client-id", "3MVG9x", "--user", "u@acme.example"); code != 0 || strings.Contains(stderr, "warning") {
		t.Errorf("2048-bit key: exit %d, %q", code, stderr)
	}
}

// pkcs8PEM is a fresh RSA key of bits, as unencrypted PKCS#8 PEM.
func pkcs8PEM(t *testing.T, bits int) []byte {
	t.Helper()
	k, err := rsa.GenerateKey(rand.Reader, bits)
	if err != nil {
		t.Fatal(err)
	}
	der, err := x509.MarshalPKCS8PrivateKey(k)
	if err != nil {
		t.Fatal(err)
	}
	return pem.EncodeToMemory(&pem.Block{Type: "PRIVATE KEY", Bytes: der})
}
