package cred

import (
	"bytes"
	"crypto/rsa"
	"crypto/x509"
	"encoding/base64"
	"encoding/pem"
	"errors"
	"github.com/byocpack/byocpack/internal/opensslt"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"
)

// testKey is one 2048-bit key for the whole package: generating keys is
// the slow part of these tests.
var testKey = sync.OnceValue(func() *rsa.PrivateKey {
	k, err := GenerateKey(2048)
	if err != nil {
		panic(err)
	}
	return k
})

// fewIterations keeps PBKDF2 fast in tests; one test uses the default.
const fewIterations = 1000

func write(t *testing.T, name string, data []byte) string {
	t.Helper()
	p := filepath.Join(t.TempDir(), name)
	if err := os.WriteFile(p, data, 0o600); err != nil {
		t.Fatal(err)
	}
	return p
}

func passphrase(s string) func() ([]byte, error) {
	return func() ([]byte, error) { return []byte(s), nil }
}

func TestKeyRoundTrip(t *testing.T) {
	for _, tc := range []struct {
		name       string
		pass       []byte
		iterations int
		wantType   string
	}{
		{"plain", nil, 0, "PRIVATE " + "KEY"},
		{"encrypted", []byte("correct horse"), fewIterations, "ENCRYPTED PRIVATE " + "KEY"},
		{"encrypted, default iterations", []byte("correct horse"), 0, "ENCRYPTED PRIVATE " + "KEY"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			data, err := EncodeKey(testKey(), tc.pass, tc.iterations)
			if err != nil {
				t.Fatal(err)
			}
			b, _ := pem.Decode(data)
			if b == nil || b.Type != tc.wantType {
				t.Fatalf("PEM type %v, want %s", b, tc.wantType)
			}
			if got := KeyIsEncrypted(data); got != (tc.pass != nil) {
				t.Errorf("KeyIsEncrypted = %v", got)
			}
			k, err := ParseKey(data, passphrase(string(tc.pass)))
			if err != nil {
				t.Fatal(err)
			}
			if !k.Equal(testKey()) {
				t.Fatal("the key read back differs")
			}
		})
	}
}

func TestEncryptedKeyRefusesMissingOrWrongPassphrase(t *testing.T) {
	data, err := EncodeKey(testKey(), []byte("right"), fewIterations)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := ParseKey(data, nil); !errors.Is(err, ErrPassphraseNeeded) {
		t.Errorf("no passphrase: %v", err)
	}
	for _, wrong := range []string{"wrong", "righ", "right "} {
		if _, err := ParseKey(data, passphrase(wrong)); !errors.Is(err, ErrWrongPassphrase) {
			t.Errorf("passphrase %q: %v", wrong, err)
		}
	}
	if _, err := EncodeKey(testKey(), []byte{}, 0); err == nil {
		t.Error("an empty passphrase encrypted the key")
	}
}

// openssl reads the key byocpack writes, plain and encrypted, and agrees
// it is a sound RSA key.
func TestOpensslReadsOurKeys(t *testing.T) {
	passFile := write(t, "pass", []byte("s3cret phrase\n"))
	for _, pass := range [][]byte{nil, []byte("s3cret phrase")} {
		data, err := EncodeKey(testKey(), pass, fewIterations)
		if err != nil {
			t.Fatal(err)
		}
		keyFile := write(t, "server.key", data)
		out := opensslt.Run(t, "pkey", "-in", keyFile, "-passin", "file:"+passFile, "-check", "-noout")
		if !strings.Contains(out, "Key is valid") {
			t.Errorf("openssl pkey -check: %s", out)
		}
		if pass != nil {
			out := opensslt.Run(t, "asn1parse", "-in", keyFile)
			for _, want := range []string{"PBES2", "PBKDF2", "hmacWithSHA256", "aes-256-cbc"} {
				if !strings.Contains(out, want) {
					t.Errorf("asn1parse lacks %s:\n%s", want, out)
				}
			}
		}
	}
}

// The decoder reads keys openssl encrypts, with Salesforce's current
// recipe (genpkey -aes-256-cbc) and the other PBES2 variants openssl
// offers.
func TestWeReadOpensslEncryptedKeys(t *testing.T) {
	plain, err := EncodeKey(testKey(), nil, 0)
	if err != nil {
		t.Fatal(err)
	}
	plainFile := write(t, "plain.key", plain)
	for _, args := range [][]string{
		{"-v2", "aes-256-cbc"},
		{"-v2", "aes-128-cbc", "-v2prf", "hmacWithSHA512"},
		{"-v2", "aes-192-cbc", "-v2prf", "hmacWithSHA1", "-iter", "4096"},
		{"-v2", "des3"},
	} {
		out := filepath.Join(t.TempDir(), "enc.key")
		opensslt.Run(t, append([]string{"pkcs8", "-topk8", "-in", plainFile, "-out", out, "-passout", "pass:from openssl"}, args...)...)
		data, err := os.ReadFile(out)
		if err != nil {
			t.Fatal(err)
		}
		k, err := ParseKey(data, passphrase("from openssl"))
		if err != nil {
			t.Errorf("%v: %v", args, err)
			continue
		}
		if !k.Equal(testKey()) {
			t.Errorf("%v: a different key came out", args)
		}
		if _, err := ParseKey(data, passphrase("not it")); !errors.Is(err, ErrWrongPassphrase) {
			t.Errorf("%v, wrong passphrase: %v", args, err)
		}
	}

	// Salesforce's own first step, verbatim but for the size.
	out := filepath.Join(t.TempDir(), "server.pass.key")
	opensslt.Run(t, "genpkey", "-aes-256-cbc", "-algorithm", "RSA", "-pass", "pass:SomePassword", "-out", out, "-pkeyopt", "rsa_keygen_bits:2048")
	data, _ := os.ReadFile(out)
	if _, err := ParseKey(data, passphrase("SomePassword")); err != nil {
		t.Errorf("genpkey -aes-256-cbc: %v", err)
	}
}

func TestParseKeyForms(t *testing.T) {
	pkcs1 := pem.EncodeToMemory(&pem.Block{Type: "RSA PRIVATE " + "KEY", Bytes: x509.MarshalPKCS1PrivateKey(testKey())})
	if k, err := ParseKey(pkcs1, nil); err != nil || !k.Equal(testKey()) {
		t.Errorf("PKCS#1: %v", err)
	}
	legacy := pem.EncodeToMemory(&pem.Block{Type: "RSA PRIVATE " + "KEY", Headers: map[string]string{"Proc-Type": "4,ENCRYPTED", "DEK-Info": "DES-EDE3-CBC,0011223344556677"}, Bytes: []byte{1, 2, 3}})
	if _, err := ParseKey(legacy, passphrase("x")); err == nil || !strings.Contains(err.Error(), "openssl pkcs8 -topk8") {
		t.Errorf("legacy encryption: %v", err)
	}
	if !KeyIsEncrypted(legacy) {
		t.Error("legacy encrypted key not seen as encrypted")
	}
	certPEM, _, err := SelfSign(testKey(), CertOptions{CommonName: "x", Days: 1})
	if err != nil {
		t.Fatal(err)
	}
	if _, err := ParseKey(certPEM, nil); err == nil || !strings.Contains(err.Error(), "certificate, not the private key") {
		t.Errorf("certificate as key: %v", err)
	}
	if _, err := ParseKey([]byte("garbage"), nil); err == nil {
		t.Error("garbage parsed as a key")
	}
	// A damaged encrypted key fails cleanly, never panics.
	enc, _ := EncodeKey(testKey(), []byte("p"), fewIterations)
	b, _ := pem.Decode(enc)
	for _, cut := range []int{10, 60, len(b.Bytes) - 5} {
		damaged := pem.EncodeToMemory(&pem.Block{Type: b.Type, Bytes: b.Bytes[:cut]})
		if _, err := ParseKey(damaged, passphrase("p")); err == nil {
			t.Errorf("key cut at %d parsed", cut)
		}
	}
}

func TestSelfSignedCertificate(t *testing.T) {
	now := time.Date(2026, 11, 20, 10, 0, 0, 0, time.UTC)
	certPEM, c, err := SelfSign(testKey(), CertOptions{CommonName: "Acme Interaction Service", Days: 365, Now: now})
	if err != nil {
		t.Fatal(err)
	}
	if c.SignatureAlgorithm != x509.SHA256WithRSA || !c.NotAfter.Equal(now.AddDate(1, 0, 0)) || c.Subject.CommonName != "Acme Interaction Service" {
		t.Errorf("certificate: %v, %v, %q", c.SignatureAlgorithm, c.NotAfter, c.Subject.CommonName)
	}
	if !Matches(c, testKey()) {
		t.Error("certificate does not match its key")
	}
	other, _ := GenerateKey(2048)
	if Matches(c, other) {
		t.Error("certificate matches another key")
	}
	parsed, err := ParseCertificate(certPEM)
	if err != nil || !parsed.Equal(c) {
		t.Fatalf("ParseCertificate: %v", err)
	}
	withKey := append(append([]byte{}, certPEM...), pem.EncodeToMemory(&pem.Block{Type: "PRIVATE " + "KEY", Bytes: []byte{1}})...)
	if _, err := ParseCertificate(withKey); err == nil {
		t.Error("a certificate file holding a key was accepted")
	}
	for _, days := range []int{0, MaxDays + 1} {
		if _, _, err := SelfSign(testKey(), CertOptions{CommonName: "x", Days: days}); err == nil {
			t.Errorf("%d days accepted", days)
		}
	}

	file := write(t, "server.crt", certPEM)
	text := opensslt.Run(t, "x509", "-in", file, "-noout", "-text")
	for _, want := range []string{"Signature Algorithm: sha256WithRSAEncryption", "Public-Key: (2048 bit)", "Subject: CN = Acme Interaction Service", "Not After : Nov 20 10:00:00 2027 GMT"} {
		if !strings.Contains(text, want) {
			t.Errorf("openssl x509 -text lacks %q:\n%s", want, text)
		}
	}
	fp := opensslt.Run(t, "x509", "-in", file, "-noout", "-fingerprint", "-sha256")
	if got := strings.TrimSpace(fp[strings.Index(fp, "=")+1:]); got != Fingerprint(c) {
		t.Errorf("fingerprint %s, openssl says %s", Fingerprint(c), got)
	}
	keyData, _ := EncodeKey(testKey(), nil, 0)
	keyFile := write(t, "server.key", keyData)
	if a, b := opensslt.Run(t, "x509", "-in", file, "-noout", "-pubkey"), opensslt.Run(t, "pkey", "-in", keyFile, "-pubout"); a != b {
		t.Errorf("openssl sees different public keys in the certificate and the key:\n%s\n%s", a, b)
	}
}

func TestAssertion(t *testing.T) {
	now := time.Unix(1_800_000_000, 0)
	tok, c, err := Sign(testKey(), AssertionOptions{ClientID: "3MVG9.consumer", Username: "integration@acme.example",
		Audience: ProductionLoginURL, TTL: 3 * time.Minute, Now: now})
	if err != nil {
		t.Fatal(err)
	}
	if c.Expires != now.Unix()+180 {
		t.Errorf("exp %d, want %d (seconds, 3 minutes ahead)", c.Expires, now.Unix()+180)
	}
	header, _ := base64.RawURLEncoding.DecodeString(strings.Split(tok, ".")[0])
	payload, _ := base64.RawURLEncoding.DecodeString(strings.Split(tok, ".")[1])
	if string(header) != `{"alg":"RS256"}` || string(payload) != `{"iss":"3MVG9.consumer","sub":"integration@acme.example","aud":"https://login.salesforce.com","exp":1800000180}` {
		t.Errorf("header %s, payload %s", header, payload)
	}
	got, err := Verify(tok, &testKey().PublicKey)
	if err != nil || got != c {
		t.Fatalf("Verify: %+v, %v", got, err)
	}
	if ps := got.Problems(now, 0); len(ps) > 0 {
		t.Errorf("problems with a good assertion: %v", ps)
	}
	other, _ := GenerateKey(2048)
	if _, err := Verify(tok, &other.PublicKey); err == nil {
		t.Error("verified with another key")
	}
	tampered := strings.Split(tok, ".")
	tampered[1] = base64.RawURLEncoding.EncodeToString(bytes.Replace(payload, []byte("integration"), []byte("admin"), 1))
	if _, err := Verify(strings.Join(tampered, "."), &testKey().PublicKey); err == nil {
		t.Error("a tampered payload verified")
	}

	// openssl verifies the signature with the certificate's public key.
	certPEM, _, _ := SelfSign(testKey(), CertOptions{CommonName: "x", Days: 1})
	parts := strings.Split(tok, ".")
	sig, _ := base64.RawURLEncoding.DecodeString(parts[2])
	dir := t.TempDir()
	for name, data := range map[string][]byte{"in": []byte(parts[0] + "." + parts[1]), "sig": sig, "crt": certPEM} {
		if err := os.WriteFile(filepath.Join(dir, name), data, 0o600); err != nil {
			t.Fatal(err)
		}
	}
	pub := opensslt.Run(t, "x509", "-in", filepath.Join(dir, "crt"), "-noout", "-pubkey")
	if err := os.WriteFile(filepath.Join(dir, "pub"), []byte(pub), 0o600); err != nil {
		t.Fatal(err)
	}
	if out := opensslt.Run(t, "dgst", "-sha256", "-verify", filepath.Join(dir, "pub"), "-signature", filepath.Join(dir, "sig"), filepath.Join(dir, "in")); !strings.Contains(out, "Verified OK") {
		t.Errorf("openssl dgst -verify: %s", out)
	}
}

func TestAssertionRefusals(t *testing.T) {
	good := AssertionOptions{ClientID: "id", Username: "u@x.example", Audience: ProductionLoginURL}
	for _, tc := range []struct {
		edit func(*AssertionOptions)
		want string
	}{
		{func(o *AssertionOptions) { o.TTL = 3*time.Minute + time.Second }, "over 3 minutes"},
		{func(o *AssertionOptions) { o.TTL = time.Hour }, "over 3 minutes"},
		{func(o *AssertionOptions) { o.Audience = "https://login.salesforce.com/" }, "ends with a slash"},
		{func(o *AssertionOptions) { o.Audience = "http://login.salesforce.com" }, "plain http"},
		{func(o *AssertionOptions) { o.Audience = "https://test.salesforce.com/services/oauth2/token" }, "carries the path"},
		{func(o *AssertionOptions) { o.Audience = "https://acme.my.salesforce.com/x" }, "carries the path"},
		{func(o *AssertionOptions) { o.Audience = "https://acme.my.salesforce.com:8443" }, "port"},
		{func(o *AssertionOptions) { o.Audience = "login.salesforce.com" }, "not an absolute URL"},
		{func(o *AssertionOptions) { o.ClientID = " " }, "client ID is empty"},
		{func(o *AssertionOptions) { o.Username = "" }, "username is empty"},
	} {
		o := good
		tc.edit(&o)
		if _, _, err := Sign(testKey(), o); err == nil || !strings.Contains(err.Error(), tc.want) {
			t.Errorf("%+v: %v, want %q", o, err, tc.want)
		}
	}
	for _, aud := range []string{
		"https://login.salesforce.com", "https://test.salesforce.com", "https://acme.my.salesforce.com",
		"https://acme--dev.sandbox.my.salesforce.com",
		"https://acme.my.site.com/partners", "https://acme.my.site.com/partners/", "http://127.0.0.1:8080/x",
	} {
		o := good
		o.Audience = aud
		if _, c, err := Sign(testKey(), o); err != nil || c.Audience != aud {
			t.Errorf("%s: %v (aud %q)", aud, err, c.Audience)
		}
	}
}

func TestClaimsProblems(t *testing.T) {
	now := time.Unix(1_800_000_000, 0)
	base := Claims{Issuer: "i", Subject: "s", Audience: ProductionLoginURL}
	for _, tc := range []struct {
		exp  int64
		want string
	}{
		{now.UnixMilli() + 180_000, "milliseconds"},
		{now.Unix() + 600, "more than 3 minutes"},
		{now.Unix() - 60, "expired"},
	} {
		c := base
		c.Expires = tc.exp
		if ps := c.Problems(now, 0); len(ps) != 1 || !strings.Contains(ps[0], tc.want) {
			t.Errorf("exp %d: %v, want %q", tc.exp, ps, tc.want)
		}
	}
}

func TestLoginURLForms(t *testing.T) {
	for in, want := range map[string]string{
		"https://login.salesforce.com/":        "https://login.salesforce.com",
		"https://acme.my.salesforce.com":       "https://acme.my.salesforce.com",
		"https://acme.my.site.com/partners/":   "https://acme.my.site.com/partners",
		"http://127.0.0.1:4321":                "http://127.0.0.1:4321",
		"http://login.salesforce.com":          "error: plain http",
		"https://login.salesforce.com/oauth2":  "error: carries the path",
		"https://login.salesforce.com?x=1":     "error: query",
		"ftp://login.salesforce.com":           "error: not an https URL",
		"https://user:pw@login.salesforce.com": "error: user info",
		// Page hosts: the My Domain login host is the fix.
		"https://acme.lightning.force.com":                  "error: https://acme.my.salesforce.com",
		"https://acme--dev.sandbox.lightning.force.com/":    "error: https://acme--dev.sandbox.my.salesforce.com",
		"https://acme--acmepkg.vf.force.com":                "error: https://acme.my.salesforce.com",
		"https://acme--c.visualforce.com":                   "error: https://acme.my.salesforce.com",
		"https://c.na1.visual.force.com":                    "error: https://<mydomain>.my.salesforce.com",
		"https://acme--dev--acmepkg.sandbox.vf.force.com/x": "error: Lightning or Visualforce page host",
	} {
		f, err := CheckLoginURL(in)
		wantErr, isErr := strings.CutPrefix(want, "error: ")
		switch {
		case isErr && (err == nil || !strings.Contains(err.Error(), wantErr)):
			t.Errorf("%s: %v, want an error saying %q", in, err, wantErr)
		case !isErr && (err != nil || f.String() != want):
			t.Errorf("%s: %q, %v; want %q", in, f.String(), err, want)
		}
	}
	for host, want := range map[string]HostKind{
		"login.salesforce.com": HostProduction, "TEST.salesforce.com": HostSandbox, "acme.my.salesforce.com": HostMyDomain,
		"my.salesforce.com": HostUnknown, "acme.my.site.com": HostSite, "localhost": HostLoopback, "::1": HostLoopback,
		"login.salesforce.com.evil.example": HostUnknown, "acme.lightning.force.com": HostPage, "acme--c.vf.force.com": HostPage,
		"acme.secure.force.com": HostSite, "lightning.force.com": HostSite,
	} {
		if got := ClassifyHost(host); got != want {
			t.Errorf("%s: %s, want %s", host, got, want)
		}
	}
}
