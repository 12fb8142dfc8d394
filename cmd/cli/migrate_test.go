package cli

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
)

func TestMigrateWritesASpecThatBuildsOnceAChannelIsAdded(t *testing.T) {
	dir := t.TempDir()
	_, crt := makeCert(t, dir)
	certPEM, err := os.ReadFile(crt)
	if err != nil {
		t.Fatal(err)
	}
	app := filepath.Join(dir, "Acme_BYOC.connectedApp-meta.xml")
	if err := os.WriteFile(app, []byte(`<?xml version="1.0" encoding="UTF-8"?>
<ConnectedApp xmlns="http://soap.sforce.com/2006/04/metadata">
    <canvasConfig><canvasUrl>https://acme.example/canvas</canvasUrl></canvasConfig>
    <contactEmail>integrations@acme.example</contactEmail>
    <label>Acme BYOC</label>
    <oauthConfig>
        <callbackUrl>https://login.salesforce.com</callbackUrl>
        <certificate>`+string(certPEM)+`</certificate>
        <consumerSecret>DO-NOT-PRINT-ME</consumerSecret>
        <isAdminApproved>true</isAdminApproved>
        <isNamedUserJwtEnabled>true</isNamedUserJwtEnabled>
        <scopes>Interaction</scopes>
        <scopes>RefreshToken</scopes>
    </oauthConfig>
    <profileName>System Administrator</profileName>
</ConnectedApp>
`), 0o644); err != nil {
		t.Fatal(err)
	}
	spec := filepath.Join(dir, "acme", "byoc.yaml")
	code, stdout, stderr := run(t, "migrate", "--from", "connected-app", app, "-o", spec)
	if code != 0 {
		t.Fatalf("exit %d: %s", code, stderr)
	}
	for _, want := range []string{"external client app Acme_BYOC", "canvasConfig", "canvas plugin", "not carried (2;", "oauthConfig/consumerSecret = (not shown)"} {
		if !strings.Contains(stdout, want) {
			t.Errorf("stdout lacks %q:\n%s", want, stdout)
		}
	}
	if strings.Contains(stdout+stderr, "DO-NOT-PRINT-ME") {
		t.Error("the consumer secret was printed")
	}
	if got, _ := os.ReadFile(filepath.Join(dir, "acme", "Acme_BYOC.crt")); string(got) != string(certPEM) {
		t.Errorf("the certificate beside the spec differs:\n%s", got)
	}
	if code, _, stderr := run(t, "migrate", "--from", "connected-app", app, "-o", spec); code != 1 || !strings.Contains(stderr, "already exists") {
		t.Errorf("second migrate: exit %d, %q", code, stderr)
	}
	if code, _, stderr := run(t, "build", "-f", spec, "-o", filepath.Join(dir, "acme", "out")); code != 1 || !strings.Contains(stderr, "channel") {
		t.Errorf("build before the channel is added: exit %d, %q", code, stderr)
	}
	f, err := os.OpenFile(spec, os.O_APPEND|os.O_WRONLY, 0)
	if err != nil {
		t.Fatal(err)
	}
	_, _ = f.WriteString("channel:\n  name: ChannelDefinition1\n  label: Acme Messaging\n  vendor: {name: Acme_Vendor, type: BringYourOwnChannelPartner}\n  event: {name: Acme_Event}\n")
	f.Close()
	if code, stdout, stderr := run(t, "build", "-f", spec, "-o", filepath.Join(dir, "acme", "out")); code != 0 || !strings.Contains(stdout, "Acme_BYOC.eca-meta.xml") {
		t.Errorf("build with a channel: exit %d:\n%s%s", code, stdout, stderr)
	}
	for _, args := range [][]string{
		{"migrate", app},
		{"migrate", "--from", "connected-apps", app},
		{"migrate", "--from", "connected-app"},
	} {
		if code, _, _ := run(t, args...); code != 2 {
			t.Errorf("%v: exit %d", args, code)
		}
	}
}
