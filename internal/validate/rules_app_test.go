package validate

import (
	"context"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"
)

// The clean BYOC project next to a CI external client app (Api scope,
// Local, no JWT) and an unrelated connected app: the BYOC rules judge the
// BYOC app alone, and the unrelated apps still get what Salesforce refuses
// in any app.
func TestBYOCRulesJudgeTheLinkedAppOnly(t *testing.T) {
	in := loadTree(t, cleanDir)
	pkg := "force-app/main/default/"
	in.Files = append(in.Files,
		File{Path: pkg + "externalClientApps/CI_Deploy.eca-meta.xml", Type: typeECA, InPackage: true, Data: []byte(`<?xml version="1.0" encoding="UTF-8"?>
<ExternalClientApplication xmlns="http://soap.sforce.com/2006/04/metadata">
    <contactEmail>ci@example.com</contactEmail>
    <distributionState>Local</distributionState>
    <label>CI Deploy</label>
    <orgScopedExternalApp>YOUR_ORG_ID:CI_Deploy</orgScopedExternalApp>
</ExternalClientApplication>
`)},
		File{Path: pkg + "extlClntAppOauthSettings/CI_Deploy_oauth.ecaOauth-meta.xml", Type: typeOauthSettings, InPackage: true, Data: []byte(`<?xml version="1.0" encoding="UTF-8"?>
<ExtlClntAppOauthSettings xmlns="http://soap.sforce.com/2006/04/metadata">
    <commaSeparatedOauthScopes>Api, RefreshToken, Bogus</commaSeparatedOauthScopes>
    <externalClientApplication>CI_Deploy</externalClientApplication>
    <label>CI Deploy OAuth Settings</label>
</ExtlClntAppOauthSettings>
`)},
		File{Path: "source-org/main/default/extlClntAppGlobalOauthSets/CI_Deploy_glbloauth.ecaGlblOauth-meta.xml", Type: typeGlobalOauth, Data: []byte(`<?xml version="1.0" encoding="UTF-8"?>
<ExtlClntAppGlobalOauthSettings xmlns="http://soap.sforce.com/2006/04/metadata">
    <callbackUrl>https://example.com/callback</callbackUrl>
    <certificate>not a certificate</certificate>
    <externalClientApplication>CI_Deploy</externalClientApplication>
    <label>CI Deploy Global OAuth Settings</label>
</ExtlClntAppGlobalOauthSettings>
`)},
		File{Path: "source-org/main/default/connectedApps/Reporting_Tool.connectedApp-meta.xml", Type: typeConnectedApp, Data: []byte(`<?xml version="1.0" encoding="UTF-8"?>
<ConnectedApp xmlns="http://soap.sforce.com/2006/04/metadata">
    <contactEmail>it@example.com</contactEmail>
    <label>Reporting Tool</label>
    <oauthConfig>
        <callbackUrl>https://example.com/callback</callbackUrl>
        <scopes>Api</scopes>
        <scopes>Web</scopes>
    </oauthConfig>
</ConnectedApp>
`)},
	)
	ps, err := Run(context.Background(), in, Options{})
	if err != nil {
		t.Fatal(err)
	}
	var got []string
	for _, p := range ps {
		got = append(got, p.Rule+" "+filepath.Base(p.File))
	}
	want := []string{
		"BYOC-ORG-SCOPED-ID CI_Deploy.eca-meta.xml",
		"BYOC-SCOPE-TOKEN CI_Deploy_oauth.ecaOauth-meta.xml",
		"BYOC-CERT CI_Deploy_glbloauth.ecaGlblOauth-meta.xml",
	}
	if d := cmp.Diff(want, got); d != "" {
		t.Errorf("problems (-want +got):\n%s\n%v", d, ps)
	}
}

// A Customer channel needs no app and is not matched against an unrelated
// one; a project without a channel says once that the BYOC app rules did
// not run.
func TestCustomerChannelAndNoChannel(t *testing.T) {
	in := loadTree(t, filepath.Join(fixturesDir, "BYOC-APP-PRESENCE", "pass-customer-unrelated"))
	in.Namespace = "partner1"
	ps, err := Run(context.Background(), in, Options{})
	if err != nil {
		t.Fatal(err)
	}
	if rules := rulesOf(ps); slices.ContainsFunc(rules, func(r string) bool { return r != RuleCCDEventRefs && r != RuleCCDVendor }) {
		t.Errorf("a Customer channel beside a CI app: %v", ps)
	}
	in = loadTree(t, cleanDir)
	in.Files = slices.DeleteFunc(in.Files, func(f File) bool { return f.Type == typeCCD })
	ps, err = Run(context.Background(), in, Options{})
	if err != nil {
		t.Fatal(err)
	}
	if len(ps) != 1 || ps[0].Rule != RuleNoChannel || !strings.Contains(ps[0].Message, "Partner1_ExternalClientApp1") {
		t.Errorf("no channel: %v", ps)
	}
}

// The tree tells, without the spec, when no 2GP version may be built.
func TestPackageableAs2GP(t *testing.T) {
	for _, tc := range []struct {
		dir, want string
	}{
		{"../partner1/golden", ""},
		{"BYOC-ECA-PACKAGED/fail", "distributionState is Local, so channel Partner1_ChannelDefinition1's external client app"},
		{"BYOC-CONNECTED-APP-1GP/fail", "is a connected app in a package directory"},
		{"BYOC-APP-PRESENCE/pass-customer-unrelated", ""},
	} {
		ok, why := PackageableAs2GP(loadTree(t, filepath.Join(fixturesDir, tc.dir)))
		if ok != (tc.want == "") || !strings.Contains(why, tc.want) {
			t.Errorf("%s: PackageableAs2GP = %v, %q", tc.dir, ok, why)
		}
	}
}
