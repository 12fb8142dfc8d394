package migrate

import (
	"context"
	"encoding/json"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"testing"

	"github.com/beevik/etree"
	"github.com/google/go-cmp/cmp"

	"github.com/byocpack/byocpack/generator"
	"github.com/byocpack/byocpack/generator/cred"
	specpkg "github.com/byocpack/byocpack/generator/spec"
)

var testCert = sync.OnceValue(func() string {
	k, err := cred.GenerateKey(2048)
	if err != nil {
		panic(err)
	}
	pemData, _, err := cred.SelfSign(k, cred.CertOptions{CommonName: "Acme connected app", Days: 365})
	if err != nil {
		panic(err)
	}
	return string(pemData)
})

// fullApp is a connected app with every kind of setting: carried, the
// same as byocpack's, and without a counterpart.
func fullApp() string {
	return `<?xml version="1.0" encoding="UTF-8"?>
<ConnectedApp xmlns="http://soap.sforce.com/2006/04/metadata">
    <attributes><formula>$User.Email</formula><key>email</key></attributes>
    <canvasConfig><accessMethod>Get</accessMethod><canvasUrl>https://acme.example/canvas</canvasUrl></canvasConfig>
    <contactEmail>integrations@acme.example</contactEmail>
    <contactPhone>+1 555 0100</contactPhone>
    <description>Acme messaging connector</description>
    <ipRanges><description>office</description><end>10.0.0.255</end><start>10.0.0.1</start></ipRanges>
    <label>Acme BYOC Connector</label>
    <mobileAppConfig><applicationId>acme.app</applicationId></mobileAppConfig>
    <oauthConfig>
        <callbackUrl>https://acme.example/callback
http://acme.example/insecure
https://acme.example/second</callbackUrl>
        <certificate>` + testCert() + `</certificate>
        <consumerKey>3MVG9OLDKEYDONOTCOPY</consumerKey>
        <consumerSecret>TOPSECRETVALUE123</consumerSecret>
        <isAdminApproved>true</isAdminApproved>
        <isConsumerSecretOptional>false</isConsumerSecretOptional>
        <isNamedUserJwtEnabled>true</isNamedUserJwtEnabled>
        <isPkceRequired>true</isPkceRequired>
        <isClientCredentialEnabled>true</isClientCredentialEnabled>
        <oauthClientCredentialUser>integration@acme.example</oauthClientCredentialUser>
        <scopes>Interaction</scopes>
        <scopes>RefreshToken</scopes>
        <scopes>Api</scopes>
        <scopes>SFAP</scopes>
        <scopes>Basic</scopes>
    </oauthConfig>
    <oauthPolicy>
        <ipRelaxation>BYPASS</ipRelaxation>
        <refreshTokenPolicy>specific_lifetime:90:DAYS</refreshTokenPolicy>
    </oauthPolicy>
    <permissionSetName>Acme_Integration</permissionSetName>
    <profileName>System Administrator</profileName>
    <profileName>Acme Integration &amp; Support</profileName>
    <samlConfig><acsUrl>https://acme.example/saml</acsUrl></samlConfig>
    <sessionPolicy><policyAction>RaiseSessionLevel</policyAction><sessionLevel>HIGH_ASSURANCE</sessionLevel><sessionTimeout>30</sessionTimeout></sessionPolicy>
    <startUrl>https://acme.example/start</startUrl>
</ConnectedApp>
`
}

// channelBlock is what the user adds to the migrated spec.
const channelBlock = `
channel:
  name: ChannelDefinition1
  label: Acme Messaging
  vendor: {name: Acme_Vendor, type: BringYourOwnChannelPartner}
  event: {name: Acme_Event}
`

// renderWithChannel writes the migrated spec and its certificate, adds a
// channel block, and renders and validates it through the library.
func renderWithChannel(t *testing.T, res *Result, certPEM []byte) *generator.RenderResult {
	t.Helper()
	dir := t.TempDir()
	if err := os.WriteFile(filepath.Join(dir, "byoc.yaml"), append(append([]byte{}, res.Spec...), channelBlock...), 0o644); err != nil {
		t.Fatal(err)
	}
	if certPEM != nil {
		p := filepath.Join(dir, filepath.FromSlash(res.CertificatePath))
		if err := os.MkdirAll(filepath.Dir(p), 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(p, certPEM, 0o644); err != nil {
			t.Fatal(err)
		}
	}
	out, err := generator.Render(context.Background(), generator.RenderOptions{SpecFS: os.DirFS(dir), SpecPath: "byoc.yaml", OutDir: filepath.Join(dir, "out")})
	if err != nil {
		t.Fatalf("the migrated spec with a channel does not render:\n%v\n%s", err, res.Spec)
	}
	return out
}

func TestMigrateFullConnectedApp(t *testing.T) {
	res, err := FromConnectedApp([]byte(fullApp()), Options{FileName: "connectedApps/Acme_BYOC.connectedApp-meta.xml"})
	if err != nil {
		t.Fatal(err)
	}
	if res.Prefix != "Acme" || res.Name != "BYOC" || res.CertificatePath != "Acme_BYOC.crt" || res.Certificate == nil {
		t.Errorf("names and certificate: %+v", res)
	}
	c, err := cred.ParseCertificate(res.Certificate)
	if err != nil || !strings.Contains(string(res.Certificate), strings.TrimSpace(testCert())) {
		t.Errorf("certificate: %v", err)
	}
	_ = c
	spec := string(res.Spec)
	for _, want := range []string{
		"prefix: Acme\n", "name: BYOC\n", "label: Acme BYOC Connector\n", `contactEmail: "integrations@acme.example"`,
		`callbackUrls: ["https://acme.example/callback", "https://acme.example/second"]`, "  # callbackUrl: \n",
		"scopes: [Interaction, RefreshToken, Api, SFAP, Basic]",
		"certificate: Acme_BYOC.crt\n", "permittedUsers: AdminApprovedPreAuthorized\n",
		`profiles: [System Administrator, "Acme Integration & Support"]`, "permissionSets: [Acme_Integration]",
		"type: ExternalClientApplication\n", "distributionState: Packaged\n",
		"pkceRequired: true\n", "namedUserJwt: true\n", "clientCredentialsFlow: true\n",
		"ipRelaxation: Bypass\n", "refreshTokenPolicy: SpecificLifetime\n", "refreshTokenValidity: \"90\"\n", "refreshTokenValidityUnit: Days\n",
		"sessionLevel: HIGH_ASSURANCE\n", "sessionLevelAction: RaiseSessionLevel\n", `clientCredentialsUser: "integration@acme.example"`,
		"# channel:\n", "  # name: ChannelDefinition1\n",
	} {
		if !strings.Contains(spec, want) {
			t.Errorf("spec lacks %q:\n%s", want, spec)
		}
	}
	unmapped := map[string]string{}
	for _, u := range res.Unmapped {
		unmapped[u.Path] += u.Value + " | " + u.Note + "\n"
	}
	for path, want := range map[string]string{
		"attributes": "customAttributes", "canvasConfig": "canvas plugin", "contactPhone": "no key",
		"ipRanges": "trustedIpRanges", "mobileAppConfig": "push", "samlConfig": "SAML plugin",
		"sessionPolicy/sessionTimeout": "sessionTimeoutInMinutes", "startUrl": "startUrl",
		"oauthConfig/callbackUrl":    "http://acme.example/insecure",
		"oauthConfig/consumerKey":    "never carried",
		"oauthConfig/consumerSecret": "(not shown)",
	} {
		if !strings.Contains(unmapped[path], want) {
			t.Errorf("unmapped %s lacks %q: %q", path, want, unmapped[path])
		}
	}
	for _, carried := range []string{"oauthConfig/isPkceRequired", "oauthPolicy/ipRelaxation", "oauthPolicy/refreshTokenPolicy", "sessionPolicy/sessionLevel", "sessionPolicy/policyAction", "oauthConfig/isNamedUserJwtEnabled", "oauthConfig/isClientCredentialEnabled", "oauthConfig/oauthClientCredentialUser"} {
		if unmapped[carried] != "" {
			t.Errorf("%s is a setting the spec holds, but was listed as not carried: %s", carried, unmapped[carried])
		}
	}
	// Secrets are never copied anywhere.
	js, _ := json.Marshal(res)
	for _, secret := range []string{"TOPSECRETVALUE123", "3MVG9OLDKEYDONOTCOPY"} {
		if strings.Contains(spec, secret) || strings.Contains(string(js), secret) {
			t.Errorf("%s leaked into the result", secret)
		}
	}
	// Every unmapped setting is in the spec's header too.
	for _, u := range res.Unmapped {
		if !strings.Contains(spec, "#   "+u.Path+" = ") {
			t.Errorf("the spec does not list %s", u.Path)
		}
	}
	out := renderWithChannel(t, res, res.Certificate)
	a := out.Spec.App
	want := specpkg.Policies{PermittedUsers: "AdminApprovedPreAuthorized", Profiles: []string{"System Administrator", "Acme Integration & Support"}, PermissionSets: []string{"Acme_Integration"},
		IPRelaxation: "Bypass", RefreshTokenPolicy: "SpecificLifetime", RefreshTokenValidity: "90", RefreshTokenValidityUnit: "Days",
		ClientCredentialsUser: "integration@acme.example", SessionLevel: "HIGH_ASSURANCE", SessionLevelAction: "RaiseSessionLevel"}
	if d := cmp.Diff(want, a.Policies); d != "" {
		t.Errorf("the rendered spec's policies (-want +got):\n%s", d)
	}
	if d := cmp.Diff([]string{"https://acme.example/callback", "https://acme.example/second"}, a.CallbackURLs); d != "" || !*a.PKCERequired || !a.NamedUserJWT || !a.ClientCredentials {
		t.Errorf("the rendered spec lost settings: callbacks %s, %+v", d, a)
	}
	var gotECA bool
	for _, f := range out.Files {
		gotECA = gotECA || strings.HasSuffix(f.Path, "externalClientApps/Acme_BYOC.eca-meta.xml")
	}
	if !gotECA {
		t.Errorf("no Acme_BYOC external client app among %d files", len(out.Files))
	}
}

// Every element of the connected app is either carried or listed: none
// is dropped silently.
func TestMigrateAccountsForEverySetting(t *testing.T) {
	data := []byte(fullApp())
	res, err := FromConnectedApp(data, Options{FileName: "Acme_BYOC.connectedApp-meta.xml"})
	if err != nil {
		t.Fatal(err)
	}
	accountedFor(t, data, res)
}

// accountedFor fails for every element of the connected app data that
// res neither carried nor listed: none is dropped silently.
func accountedFor(t *testing.T, data []byte, res *Result) {
	t.Helper()
	seen := map[string]bool{}
	for _, c := range res.Carried {
		seen[c.From] = true
	}
	for _, u := range res.Unmapped {
		seen[u.Path] = true
	}
	doc := etree.NewDocument()
	if err := doc.ReadFromBytes(data); err != nil {
		t.Fatal(err)
	}
	for _, e := range doc.Root().ChildElements() {
		paths := []string{e.Tag}
		if e.Tag == "oauthConfig" || e.Tag == "oauthPolicy" || e.Tag == "sessionPolicy" {
			paths = nil
			for _, k := range e.ChildElements() {
				paths = append(paths, e.Tag+"/"+k.Tag)
			}
		}
		for _, p := range paths {
			if !seen[p] {
				t.Errorf("%s is neither carried nor listed", p)
			}
		}
	}
}

func TestMigrateWithoutCertificate(t *testing.T) {
	app := `<ConnectedApp xmlns="http://soap.sforce.com/2006/04/metadata">
    <contactEmail>ops@globex.example</contactEmail>
    <label>Globex</label>
    <oauthConfig>
        <callbackUrl>https://login.salesforce.com</callbackUrl>
        <scopes>RefreshToken</scopes>
        <scopes>Interaction</scopes>
    </oauthConfig>
</ConnectedApp>`
	res, err := FromConnectedApp([]byte(app), Options{FileName: "Globex.connectedApp"})
	if err != nil {
		t.Fatal(err)
	}
	if res.Prefix != "Globex" || res.Name != "ExternalClientApp1" || res.Certificate != nil || res.CertificatePath != "certs/server.crt" {
		t.Errorf("%+v", res)
	}
	notes := strings.Join(res.Notes, "\n")
	for _, want := range []string{"no usable certificate", "byocpack cert --out certs --key ../globex-server.key", "self-authorize", "JWT-based access tokens", "pre-authorizes no profile", "Globex_"} {
		if !strings.Contains(notes, want) {
			t.Errorf("notes lack %q:\n%s", want, notes)
		}
	}
	if !strings.Contains(string(res.Spec), "permittedUsers: AllSelfAuthorized") {
		t.Error("the self-authorized policy was not carried faithfully")
	}
	renderWithChannel(t, res, []byte(testCert()))
}

func TestMigrateRefusals(t *testing.T) {
	for _, tc := range []struct{ name, file, data, want string }{
		{"stub", "Acme_App.connectedApp-meta.xml", `<ConnectedApp xmlns="http://soap.sforce.com/2006/04/metadata"><developerName>acme__Acme_App</developerName><label>A</label><version>1.0</version></ConnectedApp>`, "stub"},
		{"other type", "Acme_App.connectedApp-meta.xml", `<ExternalClientApplication xmlns="http://soap.sforce.com/2006/04/metadata"/>`, "not ConnectedApp metadata"},
		{"not xml", "Acme_App.connectedApp-meta.xml", `<ConnectedApp`, "not well-formed"},
		{"bad name", "app.xml", `<ConnectedApp xmlns="http://soap.sforce.com/2006/04/metadata"/>`, "not named like a connected app"},
		{"bad prefix", "1Acme_App.connectedApp-meta.xml", `<ConnectedApp xmlns="http://soap.sforce.com/2006/04/metadata"/>`, "not a valid API name"},
	} {
		if _, err := FromConnectedApp([]byte(tc.data), Options{FileName: tc.file}); err == nil || !strings.Contains(err.Error(), tc.want) {
			t.Errorf("%s: %v, want %q", tc.name, err, tc.want)
		}
	}
}
