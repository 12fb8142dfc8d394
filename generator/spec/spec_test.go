package spec

import (
	"bytes"
	"encoding/json"
	"flag"
	"os"
	"path/filepath"
	"reflect"
	"strings"
	"testing"
	"testing/fstest"

	"github.com/byocpack/byocpack/internal/apiver"
	"github.com/byocpack/byocpack/internal/diag"
)

var update = flag.Bool("update", false, "rewrite docs/byoc.schema.json and the golden files under testdata")

func ptr(b bool) *bool { return &b }

func version(t *testing.T, s string) apiver.Version {
	t.Helper()
	v, err := apiver.Parse(s)
	if err != nil {
		t.Fatal(err)
	}
	return v
}

// certPEM is what Load keeps of a certificate file: the block, LF endings,
// no trailing newline.
func certPEM(t *testing.T, path string) string {
	t.Helper()
	b, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	return strings.TrimRight(strings.ReplaceAll(string(b), "\r\n", "\n"), "\n")
}

func TestLoadFixtures(t *testing.T) {
	tests := []struct {
		dir  string
		want Spec
	}{
		{"partner1", Spec{
			File:   "fixtures/partner1/byoc.yaml",
			Prefix: "Partner1",
			Package: Package{Name: "Partner1 Messaging", Namespace: "partner1", Path: "force-app", SourceOrgPath: "source-org",
				VersionNumber: "1.0.0.NEXT", VersionName: "ver 1.0", APIVersion: "66.0", api: version(t, "66.0")},
			App: &App{Type: ExternalClientApplication, Name: "ExternalClientApp1", Label: "Partner1 ExternalClientApp1",
				ContactEmail: "dev@partner1.example", Description: "Interaction Service integration",
				CallbackURL: "https://login.salesforce.com", CallbackURLs: []string{"https://login.salesforce.com"}, Scopes: []string{"Interaction", "RefreshToken"},
				CertificatePath: "certs/server.crt", CertificatePEM: certPEM(t, "../../fixtures/partner1/certs/server.crt"),
				DistributionState: "Packaged",
				Policies: Policies{PermittedUsers: "AdminApprovedPreAuthorized", Profiles: []string{"System Administrator"},
					PermissionSets: []string{}, IPRelaxation: "Enforce", RefreshTokenPolicy: "Infinite", RefreshTokenValidityUnit: "Days"}},
			Channel: Channel{Name: "ChannelDefinition1", Label: "Partner1 Messaging", ConnectedAppType: Partner,
				Vendor:       Vendor{Name: "Vendor1", Label: "Vendor1", Type: "BringYourOwnChannelPartner"},
				Event:        Event{Name: "Message_Event", Label: "Message Event", TypeField: "EventType", PayloadField: "Payload"},
				RoutingOwner: "Salesforce", ConsentOwner: "Salesforce"},
		}},
		{"customer1", Spec{
			File:   "fixtures/customer1/byoc.yaml",
			Prefix: "Customer1",
			Package: Package{Name: "Customer1 Contact Center", Namespace: "customer1", Path: "force-app", SourceOrgPath: "source-org",
				VersionNumber: "2.1.0.NEXT", APIVersion: "65.0", api: version(t, "65.0")},
			Channel: Channel{Name: "ContactCenter1", Label: "Customer1 Contact Center", ConnectedAppType: Customer,
				Vendor:       Vendor{Name: "Customer1_Vendor", Label: "Customer1 CCaaS", Type: "BringYourOwnContactCenter"},
				Event:        Event{Name: "CCaaS_Event", Label: "CCaaS Event", TypeField: "EventType", PayloadField: "Payload"},
				RoutingOwner: "Partner", ConsentOwner: "Partner",
				Features: Features{Keywords: ptr(false), ExplicitConsent: ptr(true), DoubleOptInConsent: ptr(true),
					ConferenceSupported: ptr(true), InboundReceipts: ptr(true)}},
			CustomerApp: &CustomerApp{Type: ExternalClientApplication, Name: "BYOC", Label: "Customer1 BYOC", CallbackURL: "https://login.salesforce.com",
				Scopes: []string{"Interaction"}, Policies: Policies{PermittedUsers: "AdminApprovedPreAuthorized", Profiles: []string{"System Administrator"}, PermissionSets: []string{}}},
		}},
		{"legacy1", Spec{
			File:   "fixtures/legacy1/byoc.yaml",
			Prefix: "Legacy1",
			Package: Package{Name: "Legacy1 Messaging", Namespace: "legacy1", Path: "force-app", SourceOrgPath: "source-org",
				VersionNumber: "1.4.0.NEXT", APIVersion: "63.0", api: version(t, "63.0")},
			App: &App{Type: ConnectedApp, Name: "ConnectedApp1", Label: "Legacy1 ConnectedApp1",
				ContactEmail: "integrations@legacy1.example", CallbackURL: "https://salesforce.com", CallbackURLs: []string{"https://salesforce.com"},
				Scopes:          []string{"Interaction", "RefreshToken", "OfflineAccess"},
				CertificatePath: "certs/server.crt", CertificatePEM: certPEM(t, "../../fixtures/legacy1/certs/server.crt"),
				DistributionState: "Packaged", NamedUserJWT: true,
				Policies: Policies{PermittedUsers: "AdminApprovedPreAuthorized",
					Profiles:       []string{"System Administrator", "Legacy1 Integration & Support"},
					PermissionSets: []string{"Legacy1_Integration"}, IPRelaxation: "Enforce", RefreshTokenPolicy: "Infinite", RefreshTokenValidityUnit: "Days"}},
			Channel: Channel{Name: "ChannelDefinition1", Label: "Legacy1 <Messaging> & Co", ConnectedAppType: Partner,
				Vendor:       Vendor{Name: "Legacy1_Vendor", Label: "Legacy1_Vendor", Type: "BringYourOwnChannelPartner"},
				Event:        Event{Name: "Legacy1_Event", Label: "Legacy1 Event", TypeField: "EventType", PayloadField: "Payload"},
				RoutingOwner: "Salesforce", ConsentOwner: "Salesforce",
				Features: Features{Keywords: ptr(true), TypingIndicatorHidden: ptr(true)}},
		}},
	}
	for _, tc := range tests {
		t.Run(tc.dir, func(t *testing.T) {
			s, err := Load(os.DirFS("../../fixtures/"+tc.dir), "byoc.yaml", "fixtures/"+tc.dir+"/byoc.yaml")
			if err != nil {
				t.Fatal(err)
			}
			if s.positions["prefix"] == (pos{}) {
				t.Error("no position recorded for prefix")
			}
			s.positions = nil
			// A one-channel spec: channel is Channels' only item.
			tc.want.Channel.key = "channel"
			tc.want.Channels = []Channel{tc.want.Channel}
			if !reflect.DeepEqual(*s, tc.want) {
				t.Errorf("Load:\n got %s\nwant %s", specString(s), specString(&tc.want))
			}
			if s.App != nil && (strings.Contains(s.App.CertificatePEM, "\r") || !strings.HasPrefix(s.App.CertificatePEM, "-----BEGIN CERTIFICATE-----\n")) {
				t.Errorf("CertificatePEM is not an LF PEM block: %q", s.App.CertificatePEM)
			}
		})
	}
}

func specString(s *Spec) string {
	b, _ := json.MarshalIndent(s, "", "  ")
	return string(b)
}

// The fixtures point editors at the schema the golden test keeps current.
func TestFixturesReferenceSchema(t *testing.T) {
	for _, dir := range []string{"partner1", "customer1", "legacy1", "partner2"} {
		b, err := os.ReadFile(filepath.Join("../../fixtures", dir, "byoc.yaml"))
		if err != nil {
			t.Fatal(err)
		}
		const modeline = "# yaml-language-server: $schema="
		first, _, _ := strings.Cut(string(b), "\n")
		ref, ok := strings.CutPrefix(first, modeline)
		if !ok {
			t.Errorf("%s: first line %q, want the %s modeline", dir, first, modeline)
			continue
		}
		if got, want := filepath.Clean(filepath.Join("../../fixtures", dir, ref)), filepath.Clean("../../docs/byoc.schema.json"); got != want {
			t.Errorf("%s: schema reference %s resolves to %s, want %s", dir, ref, got, want)
		}
	}
}

// A certificate saved on Windows comes back with LF endings.
func TestLoadCertificateCRLF(t *testing.T) {
	crlf := bytes.ReplaceAll(fixtureCert(t), []byte("\n"), []byte("\r\n"))
	s, err := loadMap(fstest.MapFS{"byoc.yaml": {Data: []byte(baseSpec)}, "certs/server.crt": {Data: crlf}})
	if err != nil {
		t.Fatal(err)
	}
	if want := certPEM(t, "../../fixtures/partner1/certs/server.crt"); s.App.CertificatePEM != want {
		t.Errorf("CertificatePEM = %q, want %q", s.App.CertificatePEM, want)
	}
}

// The certificate path is resolved from the spec's directory, and display
// names the file in messages.
func TestLoadNestedPathAndDisplay(t *testing.T) {
	fsys := fstest.MapFS{
		"proj/byoc.yaml":        {Data: []byte(baseSpec)},
		"proj/certs/server.crt": {Data: fixtureCert(t)},
	}
	s, err := Load(fsys, "proj/byoc.yaml", "")
	if err != nil {
		t.Fatal(err)
	}
	if s.File != "proj/byoc.yaml" {
		t.Errorf("File = %q, want proj/byoc.yaml", s.File)
	}
	delete(fsys, "proj/certs/server.crt")
	_, err = Load(fsys, "proj/byoc.yaml", "./my spec.yaml")
	want := "./my spec.yaml:12:16: error spec: app.certificate: cannot read certs/server.crt: file does not exist; give the path of the PEM certificate relative to the spec (openssl x509 -req ... -out server.crt)"
	if got := strings.Join(problemLines(t, err), "\n"); got != want {
		t.Errorf("got  %s\nwant %s", got, want)
	}
	_, err = Load(fsys, "nope.yaml", "")
	want = "nope.yaml: error spec: cannot read the spec: file does not exist; pass the path of a byoc.yaml (byocpack init writes one)"
	if got := strings.Join(problemLines(t, err), "\n"); got != want {
		t.Errorf("got  %s\nwant %s", got, want)
	}
}

// Variants YAML allows that the loader must accept as the base spec says.
func TestLoadAccepts(t *testing.T) {
	tests := []struct {
		name  string
		edits []string
		check func(*Spec) any
		want  any
	}{
		{"apiVersion unquoted", []string{`apiVersion: "66.0"`, `apiVersion: 66.0`}, func(s *Spec) any { return s.Package.APIVersion }, "66.0"},
		{"apiVersion unquoted 62.0", []string{`apiVersion: "66.0"`, `apiVersion: 62.0`}, func(s *Spec) any { return s.Package.APIVersion }, "62.0"},
		{"apiVersion default", []string{"  apiVersion: \"66.0\"\n", ""}, func(s *Spec) any { return s.Package.APIVersion }, LatestAPIVersion()},
		{"!!str number", []string{"  name: Partner1 Messaging\n", "  name: Partner1 Messaging\n  versionName: !!str 2\n"}, func(s *Spec) any { return s.Package.VersionName }, "2"},
		{"http localhost callback", []string{"callbackUrl: https://login.salesforce.com", "callbackUrl: http://localhost:1717/OauthRedirect"}, func(s *Spec) any { return s.App.CallbackURL }, "http://localhost:1717/OauthRedirect"},
		{"metadata scope names", []string{"[interaction_api, refresh_token]", "[Interaction, RefreshToken, OfflineAccess]"}, func(s *Spec) any { return s.App.Scopes }, []string{"Interaction", "RefreshToken", "OfflineAccess"}},
		{"offline_access is the RefreshToken checkbox", []string{"[interaction_api, refresh_token]", "[interaction_api, offline_access]", "app:\n", "app:\n  type: ConnectedApp\n"}, func(s *Spec) any { return s.App.Scopes }, []string{"Interaction", "RefreshToken"}},
		{"refresh_token, offline_access is one checkbox", []string{"[interaction_api, refresh_token]", "[interaction_api, refresh_token, offline_access]"}, func(s *Spec) any { return s.App.Scopes }, []string{"Interaction", "RefreshToken"}},
		{"app name starting with a digit", []string{"  name: ExternalClientApp1\n", "  name: \"365\"\n"}, func(s *Spec) any { return s.AppAPIName() }, "Partner1_365"},
		{"namespaced permission set", []string{"    profiles: [System Administrator]\n", "    profiles: [System Administrator]\n    permissionSets: [sfdc__Integration_User, Acme_Int]\n"}, func(s *Spec) any { return s.App.Policies.PermissionSets }, []string{"sfdc__Integration_User", "Acme_Int"}},
		{"ECA named-user JWT off by default", nil, func(s *Spec) any { return s.App.NamedUserJWT }, false},
		{"connected app named-user JWT on by default", []string{"app:\n", "app:\n  type: ConnectedApp\n"}, func(s *Spec) any { return s.App.NamedUserJWT }, true},
		{"ECA named-user JWT on", []string{"app:\n", "app:\n  namedUserJwt: true\n"}, func(s *Spec) any { return s.App.NamedUserJWT }, true},
		{"client credentials", []string{"app:\n", "app:\n  clientCredentialsFlow: true\n", "    profiles:", "    clientCredentialsUser: run.as@partner1.example\n    profiles:"}, func(s *Spec) any { return []any{s.App.ClientCredentials, s.App.Policies.ClientCredentialsUser} }, []any{true, "run.as@partner1.example"}},
		{"flow mappings", []string{"  vendor:\n    name: Vendor1\n    type: BringYourOwnChannelPartner\n", "  vendor: {name: Vendor1, label: Vendor One, type: BringYourOwnChannelPartner}\n"}, func(s *Spec) any { return s.Channel.Vendor }, Vendor{"Vendor1", "Vendor One", "BringYourOwnChannelPartner"}},
		{"block scalar", []string{"  name: Partner1 Messaging\n", "  name: Partner1 Messaging\n  versionDescription: |-\n    First line\n    second line\n"}, func(s *Spec) any { return s.Package.Description }, "First line\nsecond line"},
		{"features absent stay nil", []string{"  features:\n    keywords: true\n", ""}, func(s *Spec) any { return s.Channel.Features }, Features{}},
		{"feature false is kept", []string{"keywords: true", "keywords: false"}, func(s *Spec) any { return s.Channel.Features.Keywords != nil && !*s.Channel.Features.Keywords }, true},
		{"empty namespace", []string{"namespace: partner1", `namespace: ""`}, func(s *Spec) any { return s.Package.Namespace }, ""},
		{"explicit app label", []string{"  name: ExternalClientApp1\n", "  name: ExternalClientApp1\n  label: Partner One App\n"}, func(s *Spec) any { return s.App.Label }, "Partner One App"},
		{"ECA default scopes", []string{"  scopes: [interaction_api, refresh_token]\n", ""}, func(s *Spec) any { return s.App.Scopes }, []string{"Interaction"}},
		{"ECA without refresh_token", []string{"[interaction_api, refresh_token]", "[interaction_api]"}, func(s *Spec) any { return s.App.Scopes }, []string{"Interaction"}},
		{"connected app default scopes", []string{"  scopes: [interaction_api, refresh_token]\n", "", "app:\n", "app:\n  type: ConnectedApp\n"}, func(s *Spec) any { return s.App.Scopes }, []string{"Interaction", "RefreshToken"}},
		{"SFApiPlatform is SFAP", []string{"[interaction_api, refresh_token]", "[interaction_api, SFApiPlatform]"}, func(s *Spec) any { return s.App.Scopes }, []string{"Interaction", "SFAP"}},
		{"several callback URLs", []string{"  callbackUrl: https://login.salesforce.com", "  callbackUrls: [https://a.example/cb, https://b.example/cb]"}, func(s *Spec) any { return []any{s.App.CallbackURL, s.App.CallbackURLs} }, []any{"https://a.example/cb", []string{"https://a.example/cb", "https://b.example/cb"}}},
		{"external client app settings", []string{"  scopes:", "  pkceRequired: true\n  orgScopedExternalApp: 00D5g000004xyzAEAQ:Partner1_ExternalClientApp1\n  oauthLink: 00D5g000004xyzA:888000000000001\n  scopes:",
			"    profiles:", "    ipRelaxation: Enforce_RelaxRefresh\n    refreshTokenPolicy: SpecificLifetime\n    refreshTokenValidity: 90\n    refreshTokenValidityUnit: Months\n    sessionLevel: HIGH_ASSURANCE\n    sessionLevelAction: RaiseSessionLevel\n    profiles:"},
			func(s *Spec) any {
				return []any{*s.App.PKCERequired, s.App.OrgScopedExternalApp, s.App.OAuthLink, s.App.Policies.IPRelaxation, s.App.Policies.RefreshTokenPolicy, s.App.Policies.RefreshTokenValidity, s.App.Policies.RefreshTokenValidityUnit, s.App.Policies.SessionLevel, s.App.Policies.SessionLevelAction}
			}, []any{true, "00D5g000004xyzAEAQ:Partner1_ExternalClientApp1", "00D5g000004xyzA:888000000000001", "Enforce_RelaxRefresh", "SpecificLifetime", "90", "Months", "HIGH_ASSURANCE", "RaiseSessionLevel"}},
		{"definitionFile", []string{`  apiVersion: "66.0"`, "  apiVersion: \"66.0\"\n  definitionFile: config/project-scratch-def.json"}, func(s *Spec) any { return s.Package.DefinitionFile }, "config/project-scratch-def.json"},
		{"40-character developerName", []string{"  name: ChannelDefinition1", "  name: " + strings.Repeat("C", 31)}, func(s *Spec) any { return len(s.ChannelDeveloperName()) }, 40},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			fsys := fstest.MapFS{"byoc.yaml": {Data: []byte(edit(t, baseSpec, tc.edits...))}, "certs/server.crt": {Data: fixtureCert(t)}}
			s, err := loadMap(fsys)
			if err != nil {
				t.Fatal(err)
			}
			if got := tc.check(s); !reflect.DeepEqual(got, tc.want) {
				t.Errorf("got %#v, want %#v", got, tc.want)
			}
		})
	}
}

// Only a Partner channel's Packaged external client app makes a 2GP
// package version; the reason names the key to change.
func TestPackageableAs2GP(t *testing.T) {
	for _, tc := range []struct {
		name  string
		edits []string
		ok    bool
		key   string
	}{
		{"packaged ECA", nil, true, ""},
		{"local ECA", []string{"  certificate: certs/server.crt\n", "  certificate: certs/server.crt\n  distributionState: Local\n"}, false, "app.distributionState is Local"},
		{"connected app", []string{"app:\n", "app:\n  type: ConnectedApp\n"}, false, "app.type is ConnectedApp"},
		{"connected app stub", []string{"app:\n", "app:\n  type: ConnectedApp\n  releasedVersion: 1.0\n"}, true, ""},
	} {
		t.Run(tc.name, func(t *testing.T) {
			s, err := loadMap(fstest.MapFS{"byoc.yaml": {Data: []byte(edit(t, baseSpec, tc.edits...))}, "certs/server.crt": {Data: fixtureCert(t)}})
			if err != nil {
				t.Fatal(err)
			}
			ok, why := s.PackageableAs2GP()
			if ok != tc.ok || !strings.HasPrefix(why, tc.key) {
				t.Errorf("PackageableAs2GP() = %v, %q", ok, why)
			}
		})
	}
	if ok, why := (&Spec{}).PackageableAs2GP(); !ok || why != "" {
		t.Errorf("a Customer channel without an app: %v, %q", ok, why)
	}
}

// app.releasedVersion makes the app a stub, kept as written (1.0, not 1),
// and the load says, at the key, that the package carries only the stub.
func TestReleasedVersionMakesAStub(t *testing.T) {
	s, err := loadMap(fstest.MapFS{"byoc.yaml": {Data: []byte(edit(t, baseSpec, "app:\n", "app:\n  type: ConnectedApp\n  releasedVersion: 1.0\n"))}, "certs/server.crt": {Data: fixtureCert(t)}})
	if err != nil {
		t.Fatal(err)
	}
	if !s.App.Stub() || s.App.ReleasedVersion != "1.0" {
		t.Errorf("Stub() = %v, ReleasedVersion %q", s.App.Stub(), s.App.ReleasedVersion)
	}
	if len(s.Notes) != 1 || s.Notes[0].Severity != diag.Info || s.Notes[0].Line != 9 || s.Notes[0].Column != 20 ||
		!strings.Contains(s.Notes[0].Message, "only the stub of the connected app partner1__Partner1_ExternalClientApp1 (version 1.0)") {
		t.Errorf("notes = %+v", s.Notes)
	}
	if (&App{Type: ExternalClientApplication, ReleasedVersion: "1.0"}).Stub() {
		t.Error("an external client app is never a stub")
	}
}

// A Customer channel's spec may describe the app its admin creates; every
// key has a default, and a Partner channel may not carry the block.
func TestCustomerApp(t *testing.T) {
	customer := strings.Replace(baseSpec[:strings.Index(baseSpec, "app:")]+baseSpec[strings.Index(baseSpec, "channel:"):], "  label: Partner1 Messaging\n", "  label: Partner1 Messaging\n  connectedAppType: Customer\n", 1)
	block := "customerApp:\n  type: ConnectedApp\n  name: Interaction\n  scopes: [interaction_api, refresh_token, api]\n  policies: {permissionSets: [Acme_Integration]}\n"
	s, err := loadMap(fstest.MapFS{"byoc.yaml": {Data: []byte(block + customer)}})
	if err != nil {
		t.Fatal(err)
	}
	want := &CustomerApp{Type: ConnectedApp, Name: "Interaction", Label: "Partner1 Interaction", CallbackURL: "https://salesforce.com",
		Scopes:   []string{"Interaction", "RefreshToken", "Api"},
		Policies: Policies{PermittedUsers: "AdminApprovedPreAuthorized", Profiles: []string{"System Administrator"}, PermissionSets: []string{"Acme_Integration"}}}
	if !reflect.DeepEqual(s.CustomerApp, want) || s.CustomerAppAPIName() != "Partner1_Interaction" {
		t.Errorf("CustomerApp = %#v", s.CustomerApp)
	}
	_, err = loadMap(fstest.MapFS{"byoc.yaml": {Data: []byte("customerApp:\n  scopes: [refresh_token]\n" + customer)}})
	if got := strings.Join(problemLines(t, err), "\n"); !strings.Contains(got, "customerApp.scopes: lacks interaction_api") {
		t.Errorf("customerApp without Interaction: %s", got)
	}
	_, err = loadMap(fstest.MapFS{"byoc.yaml": {Data: []byte(baseSpec + "customerApp: {name: X}\n")}, "certs/server.crt": {Data: fixtureCert(t)}})
	if got := strings.Join(problemLines(t, err), "\n"); !strings.Contains(got, "error spec: customerApp: describes the app a Customer channel's admin creates, but channel.connectedAppType is Partner") {
		t.Errorf("customerApp with a Partner channel: %s", got)
	}
}
