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
		out = append(out, f.Severity+" "+f.Rule+" "+filepath.Base(strings.SplitN(f.File, "!", 2)[len(strings.SplitN(f.File, "!", 2))-1]))
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
	r := Review(set, Options{Now: day})
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
	r = Review(load(t, "../../fixtures/risky1/byoc.yaml"), Options{Now: time.Date(2027, 3, 1, 0, 0, 0, 0, time.UTC)})
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
	}
	for p, body := range files {
		full := filepath.Join(dir, p)
		os.MkdirAll(filepath.Dir(full), 0o755)
		if err := os.WriteFile(full, []byte(body), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	r := Review(load(t, dir), Options{Now: time.Date(2027, 2, 1, 0, 0, 0, 0, time.UTC)})
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
		r := Review(load(t, "../../fixtures/"+tc.fixture+"/byoc.yaml"), Options{Now: day})
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
	r := Review(load(t, dir), Options{Now: day})
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
