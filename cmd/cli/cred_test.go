package cli

import (
	"bytes"
	"github.com/byocpack/byocpack/internal/opensslt"
	"net/http/httptest"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"
	"time"

	"github.com/byocpack/byocpack/generator/cred"
	"github.com/byocpack/byocpack/generator/oauth/oauthtest"
)

// runIn runs byocpack with stdin.
func runIn(t *testing.T, stdin string, args ...string) (code int, stdout, stderr string) {
	t.Helper()
	var out, errb bytes.Buffer
	code = Main(args, IO{In: strings.NewReader(stdin), Out: &out, Err: &errb}, "test")
	return code, out.String(), errb.String()
}

// makeCert runs byocpack cert into dir and returns the key and
// certificate paths.
func makeCert(t *testing.T, dir string, extra ...string) (key, crt string) {
	t.Helper()
	key = filepath.Join(dir, "acme-server.key")
	args := append([]string{"cert", "--out", filepath.Join(dir, "proj", "certs"), "--key", key, "--cn", "Acme Interaction Service"}, extra...)
	if code, _, stderr := run(t, args...); code != 0 {
		t.Fatalf("cert: exit %d: %s", code, stderr)
	}
	return key, filepath.Join(dir, "proj", "certs", "server.crt")
}

func TestCertKeyAndCertificateOpensslAccepts(t *testing.T) {
	dir := t.TempDir()
	key := filepath.Join(dir, "acme-server.key")
	code, stdout, stderr := run(t, "cert", "--out", filepath.Join(dir, "certs"), "--key", key, "--cn", "Acme Interaction Service", "--days", "90")
	if code != 0 {
		t.Fatalf("exit %d: %s", code, stderr)
	}
	crt := filepath.Join(dir, "certs", "server.crt")
	fi, err := os.Stat(key)
	if err != nil || fi.Mode().Perm() != 0o600 {
		t.Fatalf("key mode: %v, %v", fi, err)
	}
	if out := opensslt.Run(t, "pkey", "-in", key, "-check", "-noout"); !strings.Contains(out, "Key is valid") {
		t.Errorf("openssl pkey -check: %s", out)
	}
	text := opensslt.Run(t, "x509", "-in", crt, "-noout", "-text")
	for _, want := range []string{"sha256WithRSAEncryption", "Public-Key: (2048 bit)", "CN = Acme Interaction Service"} {
		if !strings.Contains(text, want) {
			t.Errorf("openssl x509 -text lacks %q", want)
		}
	}
	fp := opensslt.Run(t, "x509", "-in", crt, "-noout", "-fingerprint", "-sha256")
	if want := strings.TrimSpace(fp[strings.Index(fp, "=")+1:]); !strings.Contains(stdout, "SHA-256 fingerprint: "+want) {
		t.Errorf("stdout lacks openssl's fingerprint %s:\n%s", want, stdout)
	}
	expiry := time.Now().AddDate(0, 0, 90).UTC().Format("2006-01-02")
	if !strings.Contains(stdout, "expires: "+expiry) || !strings.Contains(stdout, "certificate: "+filepath.ToSlash(specRelative(".", crt))) {
		t.Errorf("stdout lacks the expiry %s or the spec line:\n%s", expiry, stdout)
	}

	before, _ := os.ReadFile(key)
	code, _, stderr = run(t, "cert", "--out", filepath.Join(dir, "certs"), "--key", key)
	if after, _ := os.ReadFile(key); code != 1 || !strings.Contains(stderr, "already exists") || !bytes.Equal(before, after) {
		t.Fatalf("second cert: exit %d, %q, key changed: %v", code, stderr, !bytes.Equal(before, after))
	}
	if code, _, stderr := run(t, "cert", "--out", filepath.Join(dir, "certs"), "--key", key, "--force"); code != 0 {
		t.Fatalf("cert --force: exit %d: %s", code, stderr)
	}
	if after, _ := os.ReadFile(key); bytes.Equal(before, after) {
		t.Error("--force did not replace the key")
	}
	if fi, _ := os.Stat(key); fi.Mode().Perm() != 0o600 {
		t.Errorf("replaced key has mode %v", fi.Mode().Perm())
	}
}

func TestEncryptedKeyWithOpensslAndJWT(t *testing.T) {
	dir := t.TempDir()
	t.Setenv("ACME_KEY_PASS", "horse battery staple")
	key, crt := makeCert(t, dir, "--passphrase-env", "ACME_KEY_PASS")
	data, _ := os.ReadFile(key)
	if !cred.KeyIsEncrypted(data) {
		t.Fatal("the key is not encrypted")
	}
	if out := opensslt.Run(t, "pkey", "-in", key, "-passin", "env:ACME_KEY_PASS", "-check", "-noout"); !strings.Contains(out, "Key is valid") {
		t.Errorf("openssl: %s", out)
	}
	passFile := filepath.Join(dir, "pass")
	if err := os.WriteFile(passFile, []byte("horse battery staple\n"), 0o600); err != nil {
		t.Fatal(err)
	}
	jwt := []string{"jwt", "--key", key, "--client-id", "3MVG9x", "--user", "u@acme.example", "--cert", crt}
	if code, _, stderr := run(t, jwt...); code != 1 || !strings.Contains(stderr, "the key is encrypted") {
		t.Errorf("without passphrase: exit %d, %q", code, stderr)
	}
	if code, _, stderr := run(t, append(jwt, "--passphrase-file", passFile)...); code != 0 || !strings.Contains(stderr, "signature verified") {
		t.Errorf("with passphrase file: exit %d, %q", code, stderr)
	}
	t.Setenv("ACME_KEY_PASS", "wrong")
	if code, _, stderr := run(t, append(jwt, "--passphrase-env", "ACME_KEY_PASS")...); code != 1 || !strings.Contains(stderr, "passphrase does not decrypt") {
		t.Errorf("wrong passphrase: exit %d, %q", code, stderr)
	}
}

// A key openssl encrypted, as Salesforce's recipe does, signs with jwt.
func TestJWTReadsOpensslEncryptedKey(t *testing.T) {
	dir := t.TempDir()
	key := filepath.Join(dir, "server.pass.key")
	opensslt.Run(t, "genpkey", "-aes-256-cbc", "-algorithm", "RSA", "-pass", "pass:SomePassword", "-out", key, "-pkeyopt", "rsa_keygen_bits:2048")
	crt := filepath.Join(dir, "server.crt")
	opensslt.Run(t, "req", "-new", "-x509", "-sha256", "-days", "1", "-key", key, "-passin", "pass:SomePassword", "-subj", "/CN=openssl", "-out", crt)
	t.Setenv("PASS", "SomePassword")
	if code, _, stderr := run(t, "jwt", "--key", key, "--client-id", "c", "--user", "u@x.example", "--passphrase-env", "PASS", "--cert", crt); code != 0 || !strings.Contains(stderr, "signature verified") {
		t.Fatalf("exit %d: %s", code, stderr)
	}
}

func TestCertRefusesBadFlags(t *testing.T) {
	for _, args := range [][]string{
		{"--bits", "1024"}, {"--bits", "2047"}, {"--days", "0"}, {"--days", "36500"},
		{"--passphrase-env", "A", "--passphrase-file", "f"},
	} {
		dir := t.TempDir()
		code, _, stderr := run(t, append([]string{"cert", "--out", dir}, args...)...)
		if code != 2 || !strings.Contains(stderr, "error: ") {
			t.Errorf("%v: exit %d, %q", args, code, stderr)
		}
		if entries, _ := os.ReadDir(dir); len(entries) > 0 {
			t.Errorf("%v: wrote %v", args, entries)
		}
	}
	t.Setenv("EMPTY_PASS", "")
	dir := t.TempDir()
	if code, _, stderr := run(t, "cert", "--out", dir, "--passphrase-env", "EMPTY_PASS"); code != 1 || !strings.Contains(stderr, "empty") {
		t.Errorf("empty passphrase: exit %d, %q", code, stderr)
	}
	if code, _, stderr := run(t, "cert", "--out", dir, "--passphrase-env", "NOT_SET_ANYWHERE_42"); code != 1 || !strings.Contains(stderr, "not set") {
		t.Errorf("unset passphrase variable: exit %d, %q", code, stderr)
	}
	if entries, _ := os.ReadDir(dir); len(entries) > 0 {
		t.Errorf("a refused passphrase still wrote %v", entries)
	}
}

func TestJWTClaimsAndRefusals(t *testing.T) {
	dir := t.TempDir()
	key, crt := makeCert(t, dir)
	base := []string{"jwt", "--key", key, "--client-id", "3MVG9consumer", "--user", "integration@acme.example"}
	before := time.Now()
	code, stdout, stderr := run(t, append(base, "--cert", crt, "--ttl", "2m")...)
	if code != 0 {
		t.Fatalf("exit %d: %s", code, stderr)
	}
	data, _ := os.ReadFile(crt)
	cert, _ := cred.ParseCertificate(data)
	claims, err := cred.VerifyWithCertificate(strings.TrimSpace(stdout), cert)
	if err != nil {
		t.Fatal(err)
	}
	if claims.Issuer != "3MVG9consumer" || claims.Subject != "integration@acme.example" || claims.Audience != cred.ProductionLoginURL {
		t.Errorf("claims %+v", claims)
	}
	if claims.Expires < before.Unix()+119 || claims.Expires > time.Now().Unix()+120 {
		t.Errorf("exp %d is not 2 minutes ahead in seconds (now %d)", claims.Expires, before.Unix())
	}
	for _, tc := range []struct {
		args []string
		want string
	}{
		{[]string{"--ttl", "4m"}, "over 3 minutes"},
		{[]string{"--audience", "https://login.salesforce.com/"}, "ends with a slash"},
		{[]string{"--audience", "http://test.salesforce.com"}, "plain http"},
		{[]string{"--audience", "https://acme.my.salesforce.com/services/oauth2/token"}, "carries the path"},
	} {
		code, stdout, stderr := run(t, append(base, tc.args...)...)
		if code != 2 || stdout != "" || !strings.Contains(stderr, tc.want) {
			t.Errorf("%v: exit %d, %q, want a refusal saying %q", tc.args, code, stderr, tc.want)
		}
	}
	code, stdout, _ = run(t, append(base, "--audience", "https://acme.my.site.com/partners")...)
	if c, _ := cred.VerifyWithCertificate(strings.TrimSpace(stdout), cert); code != 0 || c.Audience != "https://acme.my.site.com/partners" {
		t.Errorf("Experience Cloud site audience: exit %d, aud %q", code, c.Audience)
	}
	other := t.TempDir()
	_, otherCrt := makeCert(t, other)
	if code, _, stderr := run(t, append(base, "--cert", otherCrt)...); code != 1 || !strings.Contains(stderr, "does not verify") {
		t.Errorf("another certificate: exit %d, %q", code, stderr)
	}
	if code, _, _ := run(t, "jwt", "--key", key, "--user", "u"); code != 2 {
		t.Errorf("missing --client-id: exit %d", code)
	}
}

// tokenServer is the loopback stand-in for Salesforce's token endpoint,
// holding the certificate at crt.
func tokenServer(t *testing.T, crt string) *httptest.Server {
	t.Helper()
	data, err := os.ReadFile(crt)
	if err != nil {
		t.Fatal(err)
	}
	cert, err := cred.ParseCertificate(data)
	if err != nil {
		t.Fatal(err)
	}
	return oauthtest.New(t, cert)
}

func TestTokenAgainstLoopbackServer(t *testing.T) {
	dir := t.TempDir()
	key, crt := makeCert(t, dir)
	srv := tokenServer(t, crt)
	base := []string{"token", "--key", key, "--client-id", oauthtest.ClientID, "--login-url", srv.URL}

	code, stdout, stderr := run(t, append(base, "--user", "integration@acme.example")...)
	if code != 0 || !strings.Contains(stdout, "instance_url  "+oauthtest.InstanceURL) || !strings.Contains(stdout, "scopes        interaction_api api") {
		t.Fatalf("exit %d:\n%s%s", code, stdout, stderr)
	}
	if strings.Contains(stdout+stderr, oauthtest.AccessToken) {
		t.Error("the access token was printed without --show-token")
	}
	if _, stdout, _ := run(t, append(base, "--user", "integration@acme.example", "--show-token")...); !strings.Contains(stdout, oauthtest.AccessToken) {
		t.Errorf("--show-token did not print it:\n%s", stdout)
	}
	code, stdout, _ = run(t, append(base, "--user", "integration@acme.example", "--json")...)
	var res tokenOutput
	if err := unmarshalResult(stdout, &res); err != nil || code != 0 || !res.OK || res.Token.InstanceURL == "" || strings.Contains(stdout, oauthtest.AccessToken) {
		t.Errorf("--json: exit %d, %v:\n%s", code, err, stdout)
	}

	code, _, stderr = run(t, append(base, "--user", oauthtest.UserUnapproved)...)
	if code != 1 || !strings.Contains(stderr, "user hasn't approved this consumer") || !strings.Contains(stderr, "Admin approved users are pre-authorized") || !strings.Contains(stderr, "byocpack explain user-not-approved") {
		t.Errorf("unapproved user: exit %d:\n%s", code, stderr)
	}
	code, stdout, _ = run(t, append(base, "--user", oauthtest.UserUnapproved, "--json")...)
	res = tokenOutput{}
	if err := unmarshalResult(stdout, &res); err != nil || code != 1 || res.OK || res.Error.Code != "invalid_grant" || len(res.Notes) == 0 || res.Notes[0].ID != "user-not-approved" {
		t.Errorf("unapproved --json: exit %d, %v: %s", code, err, stdout)
	}
	code, _, stderr = run(t, append(base, "--user", oauthtest.UserNoScope)...)
	if code != 1 || !strings.Contains(stderr, "error: the token lacks the interaction_api scope") || !strings.Contains(stderr, "byocpack explain 10003") {
		t.Errorf("token without interaction_api: exit %d, %q", code, stderr)
	}
	code, stdout, _ = run(t, append(base, "--user", oauthtest.UserNoScope, "--json")...)
	res = tokenOutput{}
	if err := unmarshalResult(stdout, &res); err != nil || code != 1 || res.OK || res.Token == nil || len(res.Notes) != 1 || res.Notes[0].ID != "10003" || !strings.Contains(stdout, `"status": "refused"`) {
		t.Errorf("token without interaction_api --json: exit %d, %v: %s", code, err, stdout)
	}
	code, _, stderr = run(t, append(base, "--user", "integration@acme.example", "--audience", "https://login.salesforce.com")...)
	if code != 1 || !strings.Contains(stderr, "byocpack explain audience-invalid") {
		t.Errorf("wrong audience: exit %d, %q", code, stderr)
	}
	for _, login := range []string{"http://login.salesforce.com", "https://login.salesforce.com/services/oauth2/token"} {
		if code, _, stderr := run(t, "token", "--key", key, "--client-id", "x", "--user", "u", "--login-url", login); code != 2 {
			t.Errorf("%s: exit %d, %q", login, code, stderr)
		}
	}
}

func TestExplainCommand(t *testing.T) {
	code, stdout, _ := run(t, "explain", `{"error":"app_not_found","error_description":"External client app is not installed in this org"}`)
	if code != 0 || !strings.HasPrefix(stdout, "app-not-installed (oauth)") || !strings.Contains(stdout, "fix:") {
		t.Errorf("exit %d:\n%s", code, stdout)
	}
	code, stdout, _ = runIn(t, "Deploying...\nERROR  ...  Could not infer a metadata type\n", "explain", "-")
	if code != 0 || !strings.HasPrefix(stdout, "suffix-case") {
		t.Errorf("stdin: exit %d:\n%s", code, stdout)
	}
	if code, _, stderr := run(t, "explain", "all good"); code != 1 || !strings.Contains(stderr, "no known BYOC error") {
		t.Errorf("no match: exit %d, %q", code, stderr)
	}
	code, stdout, _ = run(t, "explain", "--list")
	if n := len(regexp.MustCompile(`(?m)^\S+ \(`).FindAllString(stdout, -1)); code != 0 || n < 20 {
		t.Errorf("--list: exit %d, %d entries", code, n)
	}
	code, stdout, _ = run(t, "explain", "10003", "--json")
	var res struct{ Matches []struct{ ID, Fix string } }
	if err := unmarshalResult(stdout, &res); err != nil || code != 0 || len(res.Matches) != 1 || res.Matches[0].ID != "10003" {
		t.Errorf("--json: exit %d, %v, %s", code, err, stdout)
	}
	if code, _, _ := run(t, "explain"); code != 2 {
		t.Errorf("no text: exit %d", code)
	}
}

// Without --key, cert puts the key where init --cert does: beside the
// project directory, named after the spec's prefix; never in the project.
func TestCertDefaultKeyIsOutsideTheProject(t *testing.T) {
	dir := t.TempDir()
	proj := filepath.Join(dir, "acme")
	if err := os.MkdirAll(proj, 0o755); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(filepath.Join(proj, "byoc.yaml"), []byte("prefix: Acme\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	if code, _, stderr := run(t, "cert", "--out", filepath.Join(proj, "certs")); code != 0 {
		t.Fatalf("exit %d: %s", code, stderr)
	}
	if _, err := os.Stat(filepath.Join(dir, "acme-server.key")); err != nil {
		t.Errorf("the key is not beside the project: %v", err)
	}
	if _, err := os.Stat(filepath.Join(proj, "certs", "server.key")); err == nil {
		t.Error("the key was written into the project")
	}
	other := filepath.Join(dir, "other")
	if code, _, stderr := run(t, "cert", "--out", filepath.Join(other, "certs"), "--prefix", "Globex"); code != 0 {
		t.Fatalf("exit %d: %s", code, stderr)
	}
	if _, err := os.Stat(filepath.Join(dir, "globex-server.key")); err != nil {
		t.Errorf("--prefix names the key: %v", err)
	}
}
