package spec

import (
	"crypto/ed25519"
	"crypto/rand"
	"crypto/x509"
	"encoding/pem"
	"errors"
	"os"
	"strings"
	"testing"
	"testing/fstest"

	"github.com/byocpack/byocpack/internal/diag"
)

// baseSpec is a valid spec that each case edits. Line numbers matter: the
// expected messages below point into it.
const baseSpec = `prefix: Partner1
package:
  name: Partner1 Messaging
  namespace: partner1
  versionNumber: 1.0.0.NEXT
  apiVersion: "66.0"
app:
  name: ExternalClientApp1
  contactEmail: dev@partner1.example
  callbackUrl: https://login.salesforce.com
  scopes: [interaction_api, refresh_token]
  certificate: certs/server.crt
  policies:
    permittedUsers: AdminApprovedPreAuthorized
    profiles: [System Administrator]
channel:
  name: ChannelDefinition1
  label: Partner1 Messaging
  vendor:
    name: Vendor1
    type: BringYourOwnChannelPartner
  event:
    name: Message_Event
    typeField: EventType
    payloadField: Payload
  features:
    keywords: true
`

func fixtureCert(t testing.TB) []byte {
	t.Helper()
	b, err := os.ReadFile("../../fixtures/partner1/certs/server.crt")
	if err != nil {
		t.Fatal(err)
	}
	return b
}

// edit applies old/new replacement pairs to s; each old must occur
// exactly once, so a case cannot silently stop editing the base.
func edit(t *testing.T, s string, pairs ...string) string {
	t.Helper()
	if len(pairs)%2 != 0 {
		t.Fatalf("edit: odd number of arguments")
	}
	for i := 0; i < len(pairs); i += 2 {
		if n := strings.Count(s, pairs[i]); n != 1 {
			t.Fatalf("edit: %q occurs %d times in the spec, want 1", pairs[i], n)
		}
		s = strings.Replace(s, pairs[i], pairs[i+1], 1)
	}
	return s
}

// privateKeyPEM returns a freshly generated throwaway key, so no key is
// ever committed.
func privateKeyPEM(t *testing.T) []byte {
	t.Helper()
	_, key, err := ed25519.GenerateKey(rand.Reader)
	if err != nil {
		t.Fatal(err)
	}
	der, err := x509.MarshalPKCS8PrivateKey(key)
	if err != nil {
		t.Fatal(err)
	}
	return pem.EncodeToMemory(&pem.Block{Type: "PRIVATE KEY", Bytes: der})
}

func loadMap(fsys fstest.MapFS) (*Spec, error) {
	return Load(fsys, "byoc.yaml", "")
}

func problemLines(t *testing.T, err error) []string {
	t.Helper()
	if err == nil {
		return nil
	}
	var list diag.List
	if !errors.As(err, &list) {
		t.Fatalf("error is %T, want diag.List: %v", err, err)
	}
	out := make([]string, len(list))
	for i, p := range list {
		if p.Rule != RuleSpec || p.Severity != diag.Error {
			t.Errorf("problem %v: rule %q severity %q, want %q %q", p, p.Rule, p.Severity, RuleSpec, diag.Error)
		}
		out[i] = p.String()
	}
	return out
}

func TestLoadAcceptsByteOrderMark(t *testing.T) {
	spec, err := os.ReadFile("../../fixtures/partner1/byoc.yaml")
	if err != nil {
		t.Fatal(err)
	}
	crt, err := os.ReadFile("../../fixtures/partner1/certs/server.crt")
	if err != nil {
		t.Fatal(err)
	}
	fsys := fstest.MapFS{"byoc.yaml": {Data: append([]byte("\xef\xbb\xbf"), spec...)}, "certs/server.crt": {Data: crt}}
	if _, err := Load(fsys, "byoc.yaml", ""); err != nil {
		t.Fatalf("a spec saved with a UTF-8 byte-order mark: %v", err)
	}
}

func TestDeepFlowNestingIsRefusedBeforeParsing(t *testing.T) {
	deep := "prefix: " + strings.Repeat("[", 100_000) + strings.Repeat("]", 100_000) + "\n"
	_, err := Load(fstest.MapFS{"byoc.yaml": {Data: []byte(deep)}}, "byoc.yaml", "")
	if err == nil || !strings.Contains(err.Error(), "byoc.yaml:1:1: error spec: [ and { nest more than 32 levels") {
		t.Fatalf("got %v", err)
	}
	// Brackets in quotes and comments do not count.
	if d, at := flowNesting([]byte("a: '[[[['\n# {{{{{\nb: \"{{{{\"\nc: [x, {y: z}]\n")); d != 2 || at != 0 {
		t.Fatalf("depth %d at %d", d, at)
	}
}

func TestPackagePathsTakenByOthersAreRefused(t *testing.T) {
	for _, p := range []string{"dist", ".git", ".sfdx/x", "node_modules", ".byocpack"} {
		if msg := checkRelDir(p); msg == "" || !strings.Contains(msg, "give a directory of its own") {
			t.Errorf("%s: %q", p, msg)
		}
	}
	if msg := checkRelDir("force-app"); msg != "" {
		t.Errorf("force-app refused: %s", msg)
	}
}
