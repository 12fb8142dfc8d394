package diff

import (
	"context"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"

	"github.com/byocpack/byocpack/internal/inspect"
)

const ns = `xmlns="http://soap.sforce.com/2006/04/metadata"`

// project writes a one-directory project holding files (paths under
// force-app/main/default) and loads it.
func project(t *testing.T, files map[string]string) *inspect.Set {
	t.Helper()
	dir := t.TempDir()
	files["../../../sfdx-project.json"] = `{"packageDirectories": [{"path": "force-app", "package": "P", "versionNumber": "1.0.0.NEXT"}], "sourceApiVersion": "66.0"}`
	for p, body := range files {
		full := filepath.Join(dir, "force-app/main/default", p)
		if err := os.MkdirAll(filepath.Dir(full), 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(full, []byte(body), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	set, err := inspect.Load(context.Background(), dir, inspect.Options{})
	if err != nil {
		t.Fatal(err)
	}
	return set
}

// lines renders the field changes of a result as "Type Name: path: old -> new".
func lines(r *Result) string {
	var out []string
	show := func(v *string) string {
		if v == nil {
			return "(absent)"
		}
		return `"` + *v + `"`
	}
	for _, c := range r.Changed {
		for _, f := range c.Fields {
			out = append(out, c.String()+": "+f.Path+": "+show(f.Old)+" -> "+show(f.New))
		}
	}
	for _, rn := range r.Renamed {
		out = append(out, "renamed "+rn.Old.String()+" -> "+rn.New.FullName)
	}
	for _, x := range r.Removed {
		out = append(out, "removed "+x.String())
	}
	for _, x := range r.Added {
		out = append(out, "added "+x.String())
	}
	for _, f := range r.Flags {
		out = append(out, string(f.Severity)+" "+f.Rule)
	}
	return strings.Join(out, "\n")
}

const oauth = `<?xml version="1.0" encoding="UTF-8"?>
<ExtlClntAppOauthSettings ` + ns + `>
    <commaSeparatedOauthScopes>Interaction, RefreshToken</commaSeparatedOauthScopes>
    <externalClientApplication>A_B</externalClientApplication>
    <label>A B OAuth</label>
    <trustedIpRanges>
        <endIpAddress>10.0.0.9</endIpAddress>
        <startIpAddress>10.0.0.1</startIpAddress>
    </trustedIpRanges>
    <trustedIpRanges>
        <endIpAddress>10.0.1.9</endIpAddress>
        <startIpAddress>10.0.1.1</startIpAddress>
    </trustedIpRanges>
</ExtlClntAppOauthSettings>
`

// The same content reordered, re-indented with tabs, with CRLF endings and
// the scope list in another order and spacing.
const oauthReordered = "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\r\n<ExtlClntAppOauthSettings " + ns + ">\r\n" +
	"\t<trustedIpRanges><startIpAddress>10.0.1.1</startIpAddress><endIpAddress>10.0.1.9</endIpAddress></trustedIpRanges>\r\n" +
	"\t<label>  A B OAuth </label>\r\n" +
	"\t<trustedIpRanges>\r\n\t\t<startIpAddress>10.0.0.1</startIpAddress>\r\n\t\t<endIpAddress>10.0.0.9</endIpAddress>\r\n\t</trustedIpRanges>\r\n" +
	"\t<externalClientApplication>A_B</externalClientApplication>\r\n" +
	"\t<commaSeparatedOauthScopes>RefreshToken,Interaction</commaSeparatedOauthScopes>\r\n" +
	"</ExtlClntAppOauthSettings>\r\n"

func TestFormattingAndOrderAreIgnored(t *testing.T) {
	r := compareSets(project(t, map[string]string{"extlClntAppOauthSettings/A_B_oauth.ecaOauth-meta.xml": oauth}),
		project(t, map[string]string{"extlClntAppOauthSettings/A_B_oauth.ecaOauth-meta.xml": oauthReordered}))
	if !r.Equal || lines(r) != "" {
		t.Fatalf("reordered, re-indented file differs:\n%s", lines(r))
	}
}

func TestFieldChangesByPath(t *testing.T) {
	changed := strings.NewReplacer(
		"Interaction, RefreshToken", "Api, Interaction, RefreshToken",
		"<startIpAddress>10.0.1.1</startIpAddress>", "<startIpAddress>10.0.1.2</startIpAddress>",
		"    <label>A B OAuth</label>\n", "",
	).Replace(oauth)
	app := func(scopes ...string) string {
		var b strings.Builder
		b.WriteString("<ConnectedApp " + ns + "><contactEmail>a@b.example</contactEmail><label>A</label><oauthConfig><callbackUrl>https://x.example</callbackUrl>")
		for _, s := range scopes {
			b.WriteString("<scopes>" + s + "</scopes>")
		}
		b.WriteString("</oauthConfig></ConnectedApp>")
		return b.String()
	}
	r := compareSets(
		project(t, map[string]string{"extlClntAppOauthSettings/A_B_oauth.ecaOauth-meta.xml": oauth, "connectedApps/A_C.connectedApp-meta.xml": app("Interaction", "RefreshToken")}),
		project(t, map[string]string{"extlClntAppOauthSettings/A_B_oauth.ecaOauth-meta.xml": changed, "connectedApps/A_C.connectedApp-meta.xml": app("RefreshToken", "Interaction", "Api")}))
	want := `ConnectedApp A_C: oauthConfig/scopes: "Interaction, RefreshToken" -> "RefreshToken, Interaction, Api"
ExtlClntAppOauthSettings A_B_oauth: commaSeparatedOauthScopes: "Interaction, RefreshToken" -> "Api, Interaction, RefreshToken"
ExtlClntAppOauthSettings A_B_oauth: label: "A B OAuth" -> (absent)
ExtlClntAppOauthSettings A_B_oauth: trustedIpRanges: "{endIpAddress: "10.0.1.9", startIpAddress: "10.0.1.1"}" -> (absent)
ExtlClntAppOauthSettings A_B_oauth: trustedIpRanges: (absent) -> "{endIpAddress: "10.0.1.9", startIpAddress: "10.0.1.2"}"
error DIFF-SCOPE-ADDED
error DIFF-SCOPE-ADDED`
	if d := cmp.Diff(want, lines(r)); d != "" {
		t.Errorf("(-want +got):\n%s", d)
	}
	if r.Equal {
		t.Error("Equal for a changed package")
	}
	for _, c := range r.Changed {
		for _, f := range c.Fields {
			if f.Line == 0 || !strings.HasSuffix(f.File, "-meta.xml") {
				t.Errorf("%s %s: no position (%s:%d)", c, f.Path, f.File, f.Line)
			}
		}
	}
}

// A repeated element with a key child (a list view's fullName) is matched
// by that key, so a change in one is reported at its path.
func TestKeyedRepeatedElements(t *testing.T) {
	obj := func(filter string) string {
		return `<CustomObject ` + ns + `><label>X</label>
<listViews><fullName>All</fullName><filterScope>Everything</filterScope></listViews>
<listViews><fullName>Mine</fullName><filterScope>` + filter + `</filterScope></listViews></CustomObject>`
	}
	r := compareSets(project(t, map[string]string{"objects/X__c/X__c.object-meta.xml": obj("Mine")}),
		project(t, map[string]string{"objects/X__c/X__c.object-meta.xml": obj("Queue")}))
	if d := cmp.Diff(`CustomObject X__c: listViews[fullName=Mine]/filterScope: "Mine" -> "Queue"`, lines(r)); d != "" {
		t.Errorf("(-want +got):\n%s", d)
	}
}

func TestRemovedAndRenamedAreFlagged(t *testing.T) {
	vendor := func(name string) string {
		return `<ConversationVendorInfo ` + ns + `><developerName>` + name + `</developerName><masterLabel>` + name + `</masterLabel><vendorType>BringYourOwnChannelPartner</vendorType></ConversationVendorInfo>`
	}
	field := `<CustomField ` + ns + `><fullName>T__c</fullName><label>T</label><length>255</length><type>Text</type></CustomField>`
	r := compareSets(
		project(t, map[string]string{"ConversationVendorInformation/V1.ConversationVendorInformation-meta.xml": vendor("V1"), "objects/E__e/fields/T__c.field-meta.xml": field}),
		project(t, map[string]string{"ConversationVendorInformation/V2.ConversationVendorInformation-meta.xml": vendor("V2")}))
	want := `renamed ConversationVendorInfo V1 -> V2
removed CustomField E__e.T__c
warning DIFF-RENAMED
warning DIFF-REMOVED`
	if d := cmp.Diff(want, lines(r)); d != "" {
		t.Errorf("(-want +got):\n%s", d)
	}
	if d := cmp.Diff([]FieldChange{
		{Path: "developerName", Old: ptr("V1"), New: ptr("V2"), File: r.Renamed[0].New.File, Line: 1},
		{Path: "masterLabel", Old: ptr("V1"), New: ptr("V2"), File: r.Renamed[0].New.File, Line: 1},
	}, r.Renamed[0].Fields); d != "" {
		t.Errorf("rename fields (-want +got):\n%s", d)
	}
}

// What widens access is flagged: a scope added (Full and Api as errors),
// users made self-authorized, IP restrictions relaxed or ranges dropped,
// refresh tokens living longer; and a change to policies or global
// settings says it does not reach subscribers by upgrading.
func TestAccessWideningIsFlagged(t *testing.T) {
	policies := func(users, ip, refresh, period string) string {
		return `<?xml version="1.0" encoding="UTF-8"?>
<ExtlClntAppOauthConfigurablePolicies ` + ns + `>
    <externalClientApplication>A_B</externalClientApplication>
    <ipRelaxationPolicyType>` + ip + `</ipRelaxationPolicyType>
    <label>A B</label>
    <permittedUsersPolicyType>` + users + `</permittedUsersPolicyType>
    <refreshTokenPolicyType>` + refresh + `</refreshTokenPolicyType>
    <refreshTokenValidityPeriod>` + period + `</refreshTokenValidityPeriod>
    <refreshTokenValidityUnit>Days</refreshTokenValidityUnit>
</ExtlClntAppOauthConfigurablePolicies>
`
	}
	ca := func(admin, scopes string) string {
		return `<ConnectedApp ` + ns + `><label>C</label><oauthConfig><callbackUrl>https://x.example</callbackUrl><isAdminApproved>` + admin + `</isAdminApproved>` + scopes + `</oauthConfig></ConnectedApp>`
	}
	fewerRanges := strings.Replace(oauth, "<trustedIpRanges>\n        <endIpAddress>10.0.1.9</endIpAddress>\n        <startIpAddress>10.0.1.1</startIpAddress>\n    </trustedIpRanges>\n", "", 1)
	r := compareSets(
		project(t, map[string]string{
			"extlClntAppOauthPolicies/A_B_oauthPlcy.ecaOauthPlcy-meta.xml": policies("AdminApprovedPreAuthorized", "Enforce", "SpecificLifetime", "30"),
			"extlClntAppOauthSettings/A_B_oauth.ecaOauth-meta.xml":         oauth,
			"connectedApps/A_C.connectedApp-meta.xml":                      ca("true", "<scopes>Interaction</scopes>"),
		}),
		project(t, map[string]string{
			"extlClntAppOauthPolicies/A_B_oauthPlcy.ecaOauthPlcy-meta.xml": policies("AllSelfAuthorized", "Bypass", "SpecificLifetime", "90"),
			"extlClntAppOauthSettings/A_B_oauth.ecaOauth-meta.xml":         fewerRanges,
			"connectedApps/A_C.connectedApp-meta.xml":                      ca("false", "<scopes>Interaction</scopes><scopes>Full</scopes><scopes>Chatter</scopes>"),
		}))
	var got []string
	for _, f := range r.Flags {
		got = append(got, string(f.Severity)+" "+f.Rule+" "+f.Message)
	}
	want := []string{
		"error DIFF-SCOPE-ADDED A_C gains the OAuth scope Full: Full reaches everything the user can, every other scope included",
		"warning DIFF-SCOPE-ADDED A_C gains the OAuth scope Chatter: every token the app is issued carries it",
		"error DIFF-SELF-AUTHORIZED A_C now lets any user authorize it themselves, where only admin-approved, pre-authorized users could",
		"error DIFF-SELF-AUTHORIZED A_B now lets any user authorize it themselves, where only admin-approved, pre-authorized users could",
		"warning DIFF-IP-RELAXED A_B relaxes IP restrictions from Enforce to Bypass: a token works from more networks",
		"warning DIFF-REFRESH-LONGER A_B makes refresh tokens live longer (SpecificLifetime 90 Days, was SpecificLifetime 30 Days): a leaked one grants access for longer",
		"warning DIFF-IP-RELAXED A_B drops 1 of its 2 trusted IP ranges (trustedIpRanges): a login is accepted from addresses it refused",
	}
	if d := cmp.Diff(want, got); d != "" {
		t.Errorf("flags (-want +got):\n%s", d)
	}
	var notes []string
	for _, c := range r.Changed {
		if c.Subscribers != "" {
			notes = append(notes, c.Type)
		}
	}
	if d := cmp.Diff([]string{"ExtlClntAppOauthConfigurablePolicies"}, notes); d != "" || len(r.Notes) != 1 || !strings.Contains(r.Notes[0], "does not reach subscribers who installed already") {
		t.Errorf("subscriber notes %s %q", d, r.Notes)
	}
}

func TestRefreshLife(t *testing.T) {
	for in, want := range map[[3]string]int{
		{"Infinite", "", ""}: -1, {"Zero", "", ""}: 0, {"SpecificInactivity", "2", "Hours"}: 2, {"SpecificLifetime", "1", "Months"}: 720,
		{"specific_lifetime:90:DAYS", "", ""}: 2160, {"infinite", "", ""}: -1, {"SpecificLifetime", "x", "Days"}: -2,
	} {
		if got := refreshLife(in[0], in[1], in[2]); got != want {
			t.Errorf("%v: %d, want %d", in, got, want)
		}
	}
}

// Static resources of a project are components too: a single file
// (chartJs.js beside chartJs.resource-meta.xml) and a folder (d3/ beside
// d3.resource-meta.xml). The new-user trial saw a project's diff miss a
// cacheControl going from Private to Public, and its review list two
// resources of seven.
func TestStaticResourcesOfAProjectAreCompared(t *testing.T) {
	meta := func(cache string) string {
		return `<?xml version="1.0" encoding="UTF-8"?><StaticResource ` + ns + `><cacheControl>` + cache + `</cacheControl><contentType>application/zip</contentType></StaticResource>`
	}
	files := func(cache, js string) map[string]string {
		return map[string]string{
			"staticresources/chartJs.resource-meta.xml": meta("Private"),
			"staticresources/chartJs.js":                js,
			"staticresources/d3.resource-meta.xml":      meta(cache),
			"staticresources/d3/d3.min.js":              "d3",
		}
	}
	old, new := project(t, files("Private", "a")), project(t, files("Public", "b"))
	var names []string
	for _, c := range old.OfType("StaticResource") {
		names = append(names, c.FullName)
	}
	if diff := cmp.Diff([]string{"chartJs", "d3"}, names); diff != "" {
		t.Errorf("static resources of the project (-want +got):\n%s", diff)
	}
	r := compareSets(old, new)
	if got := lines(r); !strings.Contains(got, `StaticResource d3: cacheControl: "Private" -> "Public"`) {
		t.Errorf("the cacheControl change is not in the diff:\n%s", got)
	}
	changed := false
	for _, c := range r.Changed {
		changed = changed || c.String() == "StaticResource chartJs"
	}
	if !changed {
		t.Errorf("chartJs's changed content is not in the diff: %+v", r.Changed)
	}
}
