package review

import (
	"context"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"

	"github.com/byocpack/byocpack/internal/inspect"
)

func load(t *testing.T, target string) *inspect.Set {
	t.Helper()
	set, err := inspect.Load(context.Background(), target, inspect.Options{})
	if err != nil {
		t.Fatal(err)
	}
	return set
}

func flags(r *Report) string {
	var out []string
	for _, f := range r.Flags {
		out = append(out, string(f.Severity)+" "+f.Rule+" "+filepath.Base(strings.SplitN(f.File, "!", 2)[len(strings.SplitN(f.File, "!", 2))-1]))
	}
	return strings.Join(out, "\n")
}

// day pins the review a fortnight before the risky fixture's certificate
// expires (2027-01-31).
var day = time.Date(2027, 1, 15, 0, 0, 0, 0, time.UTC)

// The risky fixture's spec, then its tree with the two risks a spec cannot
// express (IP restrictions bypassed, a plain-http callback) edited in.
func TestRiskyFixtureFlagsEachRisk(t *testing.T) {
	set := load(t, "../../fixtures/risky1/byoc.yaml")
	for _, c := range set.Outside {
		switch c.Type {
		case "ExtlClntAppOauthConfigurablePolicies":
			c.Elem("ipRelaxationPolicyType").SetText("Bypass")
		case "ExtlClntAppGlobalOauthSettings":
			c.Elem("callbackUrl").SetText("http://risky1.example/oauth/callback")
		}
	}
	r := reviewSet(set, Options{Now: day})
	// Scopes come in the order a retrieve writes them (the WSDL enum's):
	// Api, Web, Full, RefreshToken, Interaction.
	want := `warning REVIEW-BROAD-SCOPE Risky1_App1_oauth.ecaOauth-meta.xml
warning REVIEW-BROAD-SCOPE Risky1_App1_oauth.ecaOauth-meta.xml
error REVIEW-BROAD-SCOPE Risky1_App1_oauth.ecaOauth-meta.xml
error REVIEW-CALLBACK-HTTP Risky1_App1_glbloauth.ecaGlblOauth-meta.xml
warning REVIEW-CERT-EXPIRING Risky1_App1_glbloauth.ecaGlblOauth-meta.xml
error REVIEW-SELF-AUTHORIZED Risky1_App1_oauthPlcy.ecaOauthPlcy-meta.xml
warning REVIEW-REFRESH-FOREVER Risky1_App1_oauthPlcy.ecaOauthPlcy-meta.xml
warning REVIEW-IP-BYPASS Risky1_App1_oauthPlcy.ecaOauthPlcy-meta.xml`
	if d := cmp.Diff(want, flags(r)); d != "" {
		t.Errorf("flags (-want +got):\n%s", d)
	}
	for _, f := range r.Flags {
		if f.Line == 0 || f.Fix == "" || f.Message == "" {
			t.Errorf("%s: no line, fix or message: %+v", f.Rule, f)
		}
	}
	if !strings.Contains(r.Flags[2].Message, "Full") || !strings.Contains(r.Flags[4].Message, "in 16 days") {
		t.Errorf("messages do not name the scope or the days left: %q, %q", r.Flags[2].Message, r.Flags[4].Message)
	}

	// The spec as written: the wildcard callback, and an expired
	// certificate once its day has passed.
	r = reviewSet(load(t, "../../fixtures/risky1/byoc.yaml"), Options{Now: time.Date(2027, 3, 1, 0, 0, 0, 0, time.UTC)})
	got := flags(r)
	for _, rule := range []string{"error REVIEW-CALLBACK-WILDCARD", "error REVIEW-CERT-EXPIRED"} {
		if !strings.Contains(got, rule) {
			t.Errorf("%s not flagged:\n%s", rule, got)
		}
	}
	a := r.Apps[0]
	if d := cmp.Diff([]string{"Api", "Web", "Full", "RefreshToken", "Interaction"}, scopeNames(a)); d != "" || a.PermittedUsers != "AllSelfAuthorized" {
		t.Errorf("scopes %s, permitted users %s", d, a.PermittedUsers)
	}
}

func scopeNames(a App) []string {
	var out []string
	for _, s := range a.Scopes {
		out = append(out, s.Name)
	}
	return out
}

// A legacy connected app carries its policies itself.
func TestConnectedAppRisks(t *testing.T) {
	cert, err := os.ReadFile("../../fixtures/risky1/certs/server.crt")
	if err != nil {
		t.Fatal(err)
	}
	dir := t.TempDir()
	files := map[string]string{
		"sfdx-project.json": `{"packageDirectories": [{"path": "force-app", "package": "L", "versionNumber": "1.0.0.NEXT"}], "namespace": "l", "sourceApiVersion": "63.0"}`,
		"force-app/main/default/connectedApps/L_App.connectedApp-meta.xml": `<?xml version="1.0" encoding="UTF-8"?>
<ConnectedApp xmlns="http://soap.sforce.com/2006/04/metadata">
    <contactEmail>a@l.example</contactEmail>
    <label>L App</label>
    <oauthConfig>
        <callbackUrl>https://l.example/cb
http://l.example/cb</callbackUrl>
        <certificate>` + string(cert) + `</certificate>
        <isAdminApproved>false</isAdminApproved>
        <isNamedUserJwtEnabled>true</isNamedUserJwtEnabled>
        <scopes>Interaction</scopes>
        <scopes>RefreshToken</scopes>
    </oauthConfig>
    <oauthPolicy>
        <ipRelaxation>BYPASS</ipRelaxation>
        <refreshTokenPolicy>infinite</refreshTokenPolicy>
    </oauthPolicy>
    <profileName>System Administrator</profileName>
</ConnectedApp>
`,
		"force-app/main/default/conversationChannelDefinitions/L_Channel.ConversationChannelDefinition-meta.xml": channelXML("L_Channel"),
	}
	for p, body := range files {
		full := filepath.Join(dir, p)
		os.MkdirAll(filepath.Dir(full), 0o755)
		if err := os.WriteFile(full, []byte(body), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	r := reviewSet(load(t, dir), Options{Now: time.Date(2027, 2, 1, 0, 0, 0, 0, time.UTC)})
	want := `error REVIEW-CALLBACK-HTTP L_App.connectedApp-meta.xml
error REVIEW-CERT-EXPIRED L_App.connectedApp-meta.xml
error REVIEW-SELF-AUTHORIZED L_App.connectedApp-meta.xml
warning REVIEW-REFRESH-FOREVER L_App.connectedApp-meta.xml
warning REVIEW-IP-BYPASS L_App.connectedApp-meta.xml`
	if d := cmp.Diff(want, flags(r)); d != "" {
		t.Errorf("flags (-want +got):\n%s", d)
	}
	a := r.Apps[0]
	if d := cmp.Diff([]string{"https://l.example/cb", "http://l.example/cb"}, a.CallbackURLs); d != "" || a.NamedUserJWT != "on" || a.Profiles[0] != "System Administrator" {
		t.Errorf("callbacks %s, named-user JWT %s, profiles %v", d, a.NamedUserJWT, a.Profiles)
	}
	if r.Flags[0].Line != 6 {
		t.Errorf("callback flagged at line %d, want 6", r.Flags[0].Line)
	}
}

// Each fixture's review lists its scopes, permitted users and channel; a
// zip says the owning org's settings are not in it.
func TestFixtureSummaries(t *testing.T) {
	for _, tc := range []struct {
		fixture, scopes, users, channel, appType string
	}{
		{"partner1", "RefreshToken Interaction", "AdminApprovedPreAuthorized", "Partner1_ChannelDefinition1 Partner", "ExternalClientApplication"},
		{"legacy1", "RefreshToken OfflineAccess Interaction", "AdminApprovedPreAuthorized", "Legacy1_ChannelDefinition1 Partner", "ConnectedApp"},
		{"customer1", "", "", "Customer1_ContactCenter1 Customer", ""},
	} {
		r := reviewSet(load(t, "../../fixtures/"+tc.fixture+"/byoc.yaml"), Options{Now: day})
		var scopes, users, appType string
		if len(r.Apps) > 0 {
			scopes, users, appType = strings.Join(scopeNames(r.Apps[0]), " "), r.Apps[0].PermittedUsers, r.Apps[0].Type
		}
		channel := r.Channels[0].DeveloperName + " " + r.Channels[0].ConnectedAppType
		if got := []string{scopes, users, channel, appType}; !cmp.Equal(got, []string{tc.scopes, tc.users, tc.channel, tc.appType}) {
			t.Errorf("%s: got %q", tc.fixture, got)
		}
		if len(r.Events) != 1 || len(r.Events[0].Fields) != 2 || len(r.Vendors) != 1 {
			t.Errorf("%s: events %+v vendors %+v", tc.fixture, r.Events, r.Vendors)
		}
	}
}

// A connected app stub grants nothing itself: no scopes, no flags, and the
// review says it references the app Released in the first-generation
// package.
func TestConnectedAppStubGrantsNothing(t *testing.T) {
	dir := t.TempDir()
	files := map[string]string{
		"sfdx-project.json": `{"packageDirectories": [{"path": "force-app", "package": "L", "versionNumber": "1.0.0.NEXT"}], "namespace": "l", "sourceApiVersion": "63.0"}`,
		"force-app/main/default/connectedApps/L_App.connectedApp-meta.xml": "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<ConnectedApp xmlns=\"http://soap.sforce.com/2006/04/metadata\">\n    <version>1.0</version>\n    <developerName>l__L_App</developerName>\n    <label>L App</label>\n</ConnectedApp>\n",
	}
	for p, body := range files {
		full := filepath.Join(dir, p)
		os.MkdirAll(filepath.Dir(full), 0o755)
		if err := os.WriteFile(full, []byte(body), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	r := reviewSet(load(t, dir), Options{Now: day})
	if len(r.Flags) != 0 || len(r.Apps) != 1 {
		t.Fatalf("flags %q, apps %+v", flags(r), r.Apps)
	}
	a := r.Apps[0]
	if !strings.Contains(a.DistributionState, "references the connected app l__L_App, version 1.0, released in a first-generation package") ||
		!strings.Contains(a.DistributionState, "grants nothing itself") || len(a.Scopes) != 0 || a.Label != "L App" {
		t.Errorf("stub reviewed as %+v", a)
	}
	if a.PermittedUsers != Released || a.JWTBearer != Released || a.ContactEmail != Released || !a.Stub {
		t.Errorf("permitted users %q, JWT bearer %q, contact %q, stub %v", a.PermittedUsers, a.JWTBearer, a.ContactEmail, a.Stub)
	}
}

func channelXML(developerName string) string {
	return `<?xml version="1.0" encoding="UTF-8"?>
<ConversationChannelDefinition xmlns="http://soap.sforce.com/2006/04/metadata">
    <developerName>` + developerName + `</developerName>
    <masterLabel>Channel</masterLabel>
</ConversationChannelDefinition>
`
}

func writeProject(t *testing.T, files map[string]string) string {
	t.Helper()
	dir := t.TempDir()
	for p, body := range files {
		full := filepath.Join(dir, p)
		if err := os.MkdirAll(filepath.Dir(full), 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(full, []byte(body), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	return dir
}

const project = `{"packageDirectories": [{"path": "force-app", "package": "L", "versionNumber": "1.0.0.NEXT"}], "namespace": "l", "sourceApiVersion": "63.0"}`

// connectedApp is a connected app with the given scopes and extra
// elements (after oauthConfig).
func connectedApp(scopes []string, oauthExtra, extra string) string {
	var sc strings.Builder
	for _, s := range scopes {
		sc.WriteString("        <scopes>" + s + "</scopes>\n")
	}
	return `<?xml version="1.0" encoding="UTF-8"?>
<ConnectedApp xmlns="http://soap.sforce.com/2006/04/metadata">
    <contactEmail>a@l.example</contactEmail>
    <label>App</label>
    <oauthConfig>
        <callbackUrl>https://l.example/cb</callbackUrl>
        <isAdminApproved>false</isAdminApproved>
` + oauthExtra + sc.String() + `    </oauthConfig>
` + extra + `</ConnectedApp>
`
}

// Only the app the Partner channel links to (the prefix L) is judged as
// the BYOC app; a CI app with Api and Web, self-authorized, is none of the
// Interaction Service's business, and only its Full scope and generic
// risks are flagged, in words for any app that name its file.
func TestOnlyTheLinkedAppIsJudgedAsBYOC(t *testing.T) {
	dir := writeProject(t, map[string]string{
		"sfdx-project.json": project,
		"force-app/main/default/connectedApps/L_App.connectedApp-meta.xml":                                       connectedApp([]string{"Api", "Interaction"}, "", ""),
		"force-app/main/default/connectedApps/CI_Deploy.connectedApp-meta.xml":                                   connectedApp([]string{"Api", "Web", "Full", "RefreshToken"}, "", "    <oauthPolicy>\n        <refreshTokenPolicy>infinite</refreshTokenPolicy>\n    </oauthPolicy>\n"),
		"force-app/main/default/conversationChannelDefinitions/L_Channel.ConversationChannelDefinition-meta.xml": channelXML("L_Channel"),
	})
	r := reviewSet(load(t, dir), Options{Now: day})
	want := `warning REVIEW-BROAD-SCOPE CI_Deploy.connectedApp-meta.xml
warning REVIEW-REFRESH-FOREVER CI_Deploy.connectedApp-meta.xml
warning REVIEW-BROAD-SCOPE L_App.connectedApp-meta.xml
error REVIEW-SELF-AUTHORIZED L_App.connectedApp-meta.xml`
	if d := cmp.Diff(want, flags(r)); d != "" {
		t.Errorf("flags (-want +got):\n%s", d)
	}
	for _, f := range r.Flags[:2] {
		if strings.Contains(f.Message+f.Fix, "Interaction") || strings.Contains(f.Fix, "byoc.yaml") || !strings.Contains(f.Fix, "CI_Deploy.connectedApp-meta.xml") {
			t.Errorf("generic flag worded for the BYOC app or without its file: %+v", f)
		}
	}
	if !r.Apps[1].BYOC || r.Apps[0].BYOC {
		t.Errorf("BYOC apps: %s %v, %s %v", r.Apps[0].Name, r.Apps[0].BYOC, r.Apps[1].Name, r.Apps[1].BYOC)
	}
	// Without a channel no app is the BYOC app.
	dir = writeProject(t, map[string]string{
		"sfdx-project.json": project,
		"force-app/main/default/connectedApps/L_App.connectedApp-meta.xml": connectedApp([]string{"Api", "Interaction"}, "", ""),
	})
	if r := reviewSet(load(t, dir), Options{Now: day}); len(r.Flags) != 0 {
		t.Errorf("no channel, yet flagged:\n%s", flags(r))
	}
}

// Two package entries with one path are one set of files: each app one
// section. A connected app without OAuth settings is not self-authorized.
func TestSharedPathAndAppWithoutOAuth(t *testing.T) {
	dir := writeProject(t, map[string]string{
		"sfdx-project.json": `{"packageDirectories": [{"path": "force-app", "package": "L", "versionNumber": "1.0.0.NEXT", "default": true}, {"path": "./force-app/"}], "namespace": "l", "sourceApiVersion": "63.0"}`,
		"force-app/main/default/connectedApps/L_Saml.connectedApp-meta.xml": `<?xml version="1.0" encoding="UTF-8"?>
<ConnectedApp xmlns="http://soap.sforce.com/2006/04/metadata">
    <contactEmail>a@l.example</contactEmail>
    <label>SAML</label>
    <canvasConfig>
        <accessMethod>Post</accessMethod>
        <canvasUrl>https://l.example/canvas</canvasUrl>
    </canvasConfig>
    <ipRanges>
        <end>203.0.113.20</end>
        <start>203.0.113.10</start>
    </ipRanges>
    <samlConfig>
        <acsUrl>https://l.example/acs</acsUrl>
        <entityUrl>https://l.example</entityUrl>
        <samlSigningAlgoType>SHA1</samlSigningAlgoType>
    </samlConfig>
    <sessionPolicy>
        <sessionLevel>HIGH_ASSURANCE</sessionLevel>
        <sessionTimeout>30</sessionTimeout>
    </sessionPolicy>
</ConnectedApp>
`,
	})
	r := reviewSet(load(t, dir), Options{Now: day})
	if len(r.Apps) != 1 {
		t.Fatalf("%d app sections, want 1", len(r.Apps))
	}
	a := r.Apps[0]
	got := []string{a.PermittedUsers, strings.Join(a.TrustedIPRanges, " "), a.ClientCredentials, a.SessionPolicy, a.SAML, a.Canvas}
	want := []string{"no OAuth settings", "203.0.113.10-203.0.113.20", "off", "timeout 30 minutes, session level HIGH_ASSURANCE",
		"entity https://l.example, ACS https://l.example/acs, signing SHA1", "https://l.example/canvas, access Post"}
	if d := cmp.Diff(want, got); d != "" {
		t.Errorf("app (-want +got):\n%s", d)
	}
	if d := cmp.Diff("warning REVIEW-SAML-SHA1 L_Saml.connectedApp-meta.xml", flags(r)); d != "" {
		t.Errorf("flags (-want +got):\n%s", d)
	}
}

// A client-credentials app shows its run-as user.
func TestClientCredentialsRunAs(t *testing.T) {
	dir := writeProject(t, map[string]string{
		"sfdx-project.json": project,
		"force-app/main/default/connectedApps/CI_App.connectedApp-meta.xml": connectedApp([]string{"Api"},
			"        <isClientCredentialEnabled>true</isClientCredentialEnabled>\n        <oauthClientCredentialUser>ci@l.example</oauthClientCredentialUser>\n", ""),
	})
	r := reviewSet(load(t, dir), Options{Now: day})
	if a := r.Apps[0]; a.ClientCredentials != "on: runs as ci@l.example" {
		t.Errorf("client credentials %q", a.ClientCredentials)
	}
	// The appexchange profile: the connected app carries every setting
	// itself, so each verdict is certain and points at its element.
	r = reviewSet(load(t, dir), Options{Now: day, Profile: ProfileAppExchange})
	want := `error APPX-PKCE CI_App.connectedApp-meta.xml
error APPX-IP-ALLOWLIST CI_App.connectedApp-meta.xml
warning APPX-CLIENT-CREDENTIALS CI_App.connectedApp-meta.xml
warning APPX-SCOPE-LEAST-PRIVILEGE CI_App.connectedApp-meta.xml`
	if d := cmp.Diff(want, flags(r)); d != "" {
		t.Errorf("profile flags (-want +got):\n%s", d)
	}
	for _, f := range r.Flags {
		if !strings.Contains(f.Fix, "(where: the ConnectedApp file (packaged with the app))") || !strings.Contains(f.Message, "[") {
			t.Errorf("%s does not say its control and where its setting lives: %+v", f.Rule, f)
		}
	}
}

// An external client app's SAML policies, canvas settings and
// client-credentials policy are read from their own files, linked by
// externalClientApplication.
func TestExternalClientAppParts(t *testing.T) {
	const ns = `xmlns="http://soap.sforce.com/2006/04/metadata"`
	dir := writeProject(t, map[string]string{
		"sfdx-project.json": `{"packageDirectories": [{"path": "force-app", "package": "L", "versionNumber": "1.0.0.NEXT", "default": true}, {"path": "source-org"}], "namespace": "l", "sourceApiVersion": "66.0"}`,
		"force-app/main/default/externalClientApps/CI_App.eca-meta.xml":                               `<ExternalClientApplication ` + ns + `><contactEmail>a@l.example</contactEmail><distributionState>Packaged</distributionState><label>CI</label></ExternalClientApplication>`,
		"force-app/main/default/extlClntAppOauthSettings/CI_App_oauth.ecaOauth-meta.xml":              `<ExtlClntAppOauthSettings ` + ns + `><commaSeparatedOauthScopes>Api</commaSeparatedOauthScopes><externalClientApplication>CI_App</externalClientApplication><label>CI</label><trustedIpRanges><endIpAddress>198.51.100.9</endIpAddress><startIpAddress>198.51.100.1</startIpAddress></trustedIpRanges></ExtlClntAppOauthSettings>`,
		"force-app/main/default/extlClntAppSamlConfigurablePolicies/CI_App_saml.ecaSamlPlcy-meta.xml": `<ExtlClntAppSamlConfigurablePolicies ` + ns + `><acsUrl>https://l.example/acs</acsUrl><entityUrl>https://l.example</entityUrl><externalClientApplication>CI_App</externalClientApplication><label>CI</label><signingAlgorithmType>SHA1</signingAlgorithmType></ExtlClntAppSamlConfigurablePolicies>`,
		"source-org/main/default/extlClntAppOauthPolicies/CI_App_oauthPlcy.ecaOauthPlcy-meta.xml":     `<ExtlClntAppOauthConfigurablePolicies ` + ns + `><clientCredentialsFlowUser>ci@l.example</clientCredentialsFlowUser><externalClientApplication>CI_App</externalClientApplication><isClientCredentialsFlowEnabled>true</isClientCredentialsFlowEnabled><label>CI</label><permittedUsersPolicyType>AllSelfAuthorized</permittedUsersPolicyType><sessionTimeoutInMinutes>15</sessionTimeoutInMinutes></ExtlClntAppOauthConfigurablePolicies>`,
	})
	r := reviewSet(load(t, dir), Options{Now: day})
	if len(r.Apps) != 1 {
		t.Fatalf("apps: %+v", r.Apps)
	}
	a := r.Apps[0]
	got := []string{strings.Join(a.TrustedIPRanges, " "), a.ClientCredentials, a.SessionPolicy, a.SAML, a.PermittedUsers}
	want := []string{"198.51.100.1-198.51.100.9", "on: runs as ci@l.example", "timeout 15 minutes", "entity https://l.example, ACS https://l.example/acs, signing SHA1", "AllSelfAuthorized"}
	if d := cmp.Diff(want, got); d != "" {
		t.Errorf("app (-want +got):\n%s", d)
	}
	// Self-authorized is no risk of an app no channel links to; SHA-1 is.
	if d := cmp.Diff("warning REVIEW-SAML-SHA1 CI_App_saml.ecaSamlPlcy-meta.xml", flags(r)); d != "" {
		t.Errorf("flags (-want +got):\n%s", d)
	}
	r = reviewSet(load(t, dir), Options{Now: day, Profile: ProfileAppExchange})
	for _, rule := range []string{"error APPX-PKCE", "warning APPX-CLIENT-CREDENTIALS", "warning APPX-SAML-SHA256"} {
		if !strings.Contains(flags(r), rule) {
			t.Errorf("profile lacks %s:\n%s", rule, flags(r))
		}
	}
	if strings.Contains(flags(r), "APPX-IP-ALLOWLIST") {
		t.Errorf("an app with trusted IP ranges flagged:\n%s", flags(r))
	}
}
