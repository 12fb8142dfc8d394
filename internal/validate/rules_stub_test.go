package validate

import (
	"context"
	"path/filepath"
	"strings"
	"testing"

	"github.com/byocpack/byocpack/internal/diag"
)

// A whole project whose connected app is a stub is clean: neither the
// full app's rules (scopes, JWT, certificate) nor the first-generation
// warning apply, the content model does not judge it, and a 2GP version
// may be built.
func TestConnectedAppStubProjectIsClean(t *testing.T) {
	in := loadTree(t, filepath.Join(fixturesDir, "BYOC-CA-STUB/pass"))
	schema := &fakeSchema{}
	ps, err := Run(context.Background(), in, Options{Schema: schema})
	if err != nil {
		t.Fatal(err)
	}
	var got []string
	for _, p := range ps {
		if p.Rule != "xsd" { // the fake judges every other file
			got = append(got, p.String())
		}
	}
	if len(got) > 0 {
		t.Errorf("a stub project reports:\n%s", strings.Join(got, "\n"))
	}
	for _, c := range schema.calls {
		if strings.Contains(c, "connectedApps/") {
			t.Errorf("the content model judged the stub: %s", c)
		}
	}
	if ok, why := PackageableAs2GP(in); !ok {
		t.Errorf("PackageableAs2GP = false, %q", why)
	}
	mixed := loadTree(t, filepath.Join(fixturesDir, "BYOC-CA-STUB/fail-extra-element"))
	if ok, why := PackageableAs2GP(mixed); ok || !strings.Contains(why, "may carry only the stub") {
		t.Errorf("a stub with oauthConfig: PackageableAs2GP = %v, %q", ok, why)
	}
}

// --xsd: a well-formed stub is not judged by the XSD, which refuses every
// stub, and says so in an info line; one with a full app's elements gets
// the XSD's verdict.
func TestConnectedAppStubUnderXSD(t *testing.T) {
	for _, tc := range []struct {
		dir, rule string
		sev       diag.Severity
	}{
		{"pass-retrieved-order", RuleConnectedAppStub, diag.Info},
		{"fail-extra-element", "xsd", diag.Error},
	} {
		ps, err := Run(context.Background(), loadTree(t, filepath.Join(fixturesDir, "BYOC-CA-STUB", tc.dir)), Options{Schema: &fakeSchema{}, SchemaOnly: true})
		if err != nil {
			t.Fatal(err)
		}
		if len(ps) != 1 || ps[0].Rule != tc.rule || ps[0].Severity != tc.sev {
			t.Errorf("%s under --xsd: %v", tc.dir, ps)
		}
		if tc.sev == diag.Info && !strings.Contains(ps[0].Message, "packaging-only shape") {
			t.Errorf("%s: %s", tc.dir, ps[0].Message)
		}
	}
}

// Silenced by ID like every rule.
func TestConnectedAppStubRuleCanBeDisabled(t *testing.T) {
	in := loadTree(t, filepath.Join(fixturesDir, "BYOC-CA-STUB/fail-version"))
	in.Disabled = []string{RuleConnectedAppStub}
	var stats Stats
	ps, err := Run(context.Background(), in, Options{Stats: &stats})
	if err != nil {
		t.Fatal(err)
	}
	if len(withRule(ps, RuleConnectedAppStub)) > 0 || stats.Silenced != 1 {
		t.Errorf("disabled: %v, %d silenced", ps, stats.Silenced)
	}
}

// What the review found between the spec, fmt and validate: a stub out
// of render's order is the order warning (so --strict and fmt --check
// agree), a padded version is refused as the spec refuses it, and a
// project without a namespace is told that the stub's cannot be checked.
func TestConnectedAppStubOrderPaddingAndNamespace(t *testing.T) {
	const path = "force-app/main/default/connectedApps/Partner1_ConnectedApp1.connectedApp-meta.xml"
	stub := func(version string, order ...string) []byte {
		el := map[string]string{
			"developerName": "    <developerName>partner1__Partner1_ConnectedApp1</developerName>\n",
			"label":         "    <label>Partner1 ConnectedApp1</label>\n",
			"version":       "    <version>" + version + "</version>\n",
		}
		s := `<?xml version="1.0" encoding="UTF-8"?>` + "\n" + `<ConnectedApp xmlns="http://soap.sforce.com/2006/04/metadata">` + "\n"
		for _, o := range order {
			s += el[o]
		}
		return []byte(s + "</ConnectedApp>\n")
	}
	for _, tc := range []struct {
		name      string
		data      []byte
		namespace string
		want      []string
	}{
		{"render's order", stub("1.0", "developerName", "label", "version"), "partner1", nil},
		{"another order", stub("1.0", "version", "label", "developerName"), "partner1", []string{"warning xsd-order"}},
		{"padded version", stub(" 1.0 ", "developerName", "label", "version"), "partner1", []string{"error BYOC-CA-STUB"}},
		{"no namespace", stub("1.0", "developerName", "label", "version"), "", []string{"warning BYOC-CA-STUB"}},
	} {
		in := Input{Project: true, APIVersion: "66.0", Namespace: tc.namespace, Now: fixtureNow,
			Files: []File{{Path: path, Type: typeConnectedApp, InPackage: true, Data: tc.data}}}
		ps, err := Run(context.Background(), in, Options{})
		if err != nil {
			t.Fatal(err)
		}
		var got []string
		for _, p := range ps {
			if p.Rule == RuleConnectedAppStub || p.Rule == "xsd-order" {
				got = append(got, string(p.Severity)+" "+p.Rule)
			}
		}
		if strings.Join(got, ";") != strings.Join(tc.want, ";") {
			t.Errorf("%s: got %v, want %v\n%v", tc.name, got, tc.want, ps)
		}
	}
}
