package cli

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// TestMigrateNeverCopiesASecretFoundAnywhere is the regression test of
// issue 16 row 4: consumer keys and secrets outside oauthConfig, other
// elements named like secrets, and a private key in any value reach
// neither the spec (nor its comments), stdout nor --json.
func TestMigrateNeverCopiesASecretFoundAnywhere(t *testing.T) {
	keyPEM := string(pkcs8PEM(t, 2048))
	keyBody := strings.Split(keyPEM, "\n")[3] // a line of the key's base64, unique to it
	dir := t.TempDir()
	app := filepath.Join(dir, "Acme_BYOC.connectedApp-meta.xml")
	if err := os.WriteFile(app, []byte(`<?xml version="1.0" encoding="UTF-8"?>
<ConnectedApp xmlns="http://soap.sforce.com/2006/04/metadata">
    <consumerKey>3MVG9TOPLEVELKEY</consumerKey>
    <consumerSecret>TOPLEVELSECRET</consumerSecret>
    <contactEmail>integrations@acme.example</contactEmail>
    <description>`+keyPEM+`</description>
    <label>Acme BYOC</label>
    <apiPassword>PASSWORDVALUE</apiPassword>
    <oauthConfig>
        <callbackUrl>https://acme.example/cb?client_secret=QUERYSECRETVALUE123 https://login.salesforce.com</callbackUrl>
        <consumerKey>3MVG9OAUTHCONFIGKEY</consumerKey>
        <consumerSecret>OAUTHCONFIGSECRET</consumerSecret>
        <isConsumerSecretOptional>true</isConsumerSecretOptional>
        <scopes>Interaction</scopes>
        <privateKey>PRIVATEKEYVALUE</privateKey>
    </oauthConfig>
    <oauthPolicy>
        <consumerSecret>POLICYSECRET</consumerSecret>
        <clientSecretValue>CLIENTSECRETVALUE</clientSecretValue>
    </oauthPolicy>
    <profileName>System Administrator</profileName>
</ConnectedApp>
`), 0o644); err != nil {
		t.Fatal(err)
	}
	leaked := func(s string) []string {
		var out []string
		for _, v := range []string{"TOPLEVELKEY", "TOPLEVELSECRET", "PASSWORDVALUE", "OAUTHCONFIGKEY", "OAUTHCONFIGSECRET",
			"PRIVATEKEYVALUE", "POLICYSECRET", "CLIENTSECRETVALUE", "QUERYSECRETVALUE", keyBody} {
			if strings.Contains(s, v) {
				out = append(out, v)
			}
		}
		return out
	}
	for i, extra := range [][]string{nil, {"--json"}} {
		spec := filepath.Join(dir, "run"+string(rune('a'+i)), "byoc.yaml")
		code, stdout, stderr := run(t, append([]string{"migrate", "--from", "connected-app", app, "-o", spec}, extra...)...)
		if code != 0 {
			t.Fatalf("%v: exit %d: %s%s", extra, code, stdout, stderr)
		}
		written, err := os.ReadFile(spec)
		if err != nil {
			t.Fatal(err)
		}
		if l := leaked(stdout + stderr); l != nil {
			t.Errorf("%v: printed %v:\n%s%s", extra, l, stdout, stderr)
		}
		if l := leaked(string(written)); l != nil {
			t.Errorf("%v: the spec holds %v:\n%s", extra, l, written)
		}
		if !strings.Contains(stdout, "oauthPolicy/consumerSecret") || !strings.Contains(stdout, "(not shown)") {
			t.Errorf("%v: the secrets are not listed as not shown:\n%s", extra, stdout)
		}
	}
}
