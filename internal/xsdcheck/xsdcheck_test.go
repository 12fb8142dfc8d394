package xsdcheck

import (
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"sync"
	"testing"

	"github.com/google/go-cmp/cmp"

	"github.com/byocpack/byocpack/internal/diag"
	"github.com/byocpack/byocpack/internal/model"
	"github.com/byocpack/byocpack/internal/xmldoc"
	"github.com/byocpack/byocpack/schemas"
)

const ns = `xmlns="http://soap.sforce.com/2006/04/metadata"`

func mkdoc(root, body string) []byte {
	return []byte(fmt.Sprintf("<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<%s %s>\n%s</%s>\n", root, ns, body, root))
}

func parse(t testing.TB, data []byte) *xmldoc.Document {
	t.Helper()
	doc, err := xmldoc.Parse(data)
	if err != nil {
		t.Fatalf("parse: %v\n%s", err, data)
	}
	return doc
}

// want holds "line severity rule fragment|fragment..." per problem; an
// empty list means the document passes.
func expect(t *testing.T, got []diag.Problem, want []string) {
	t.Helper()
	if len(got) != len(want) {
		t.Fatalf("got %d problems, want %d:\n%s", len(got), len(want), list(got))
	}
	for i, w := range want {
		p := got[i]
		f := strings.SplitN(w, " ", 4)
		if fmt.Sprint(p.Line) != f[0] || string(p.Severity) != f[1] || p.Rule != f[2] {
			t.Errorf("problem %d: got %d %s %s, want %s %s %s: %s", i, p.Line, p.Severity, p.Rule, f[0], f[1], f[2], p)
		}
		if p.File != "force-app/x.xml" {
			t.Errorf("problem %d: file %q", i, p.File)
		}
		for _, frag := range strings.Split(f[3], "|") {
			if !strings.Contains(p.Message, frag) {
				t.Errorf("problem %d: message lacks %q:\n%s", i, frag, p)
			}
		}
	}
}

func TestCheckDeploy(t *testing.T) {
	c := New(schemas.Bundled())
	tests := []struct {
		name, version, typ string
		data               []byte
		want               []string
	}{
		{"valid eca", "66.0", "ExternalClientApplication",
			mkdoc("ExternalClientApplication", "  <contactEmail>a@example.com</contactEmail>\n  <distributionState>Packaged</distributionState>\n  <label>A</label>\n"), nil},
		{"valid ccd at 62", "62.0", "ConversationChannelDefinition",
			mkdoc("ConversationChannelDefinition", "  <customEventPayloadField>E__e.P__c</customEventPayloadField>\n  <customPlatformEvent>E__e</customPlatformEvent>\n  <developerName>A_B</developerName>\n  <masterLabel>A</masterLabel>\n"), nil},
		{"version spelled v66", "v66", "CustomObject", mkdoc("CustomObject", "  <label>E</label>\n"),
			[]string{`0 error xsd no content models for API version "v66"|62.0, 63.0, 64.0, 65.0, 66.0|schemas import`}},
		{"older than every model is judged by the oldest", "46.0", "CustomObject", mkdoc("CustomObject", "  <enablePublishStatusTracking>true</enablePublishStatusTracking>\n"),
			[]string{`3 error xsd <enablePublishStatusTracking> in <CustomObject> at /CustomObject exists from API 49.0; this project is at 46.0 (CustomObject in API 47.0 has no such field)`}},
		{"not a version", "sixty", "CustomObject", mkdoc("CustomObject", ""),
			[]string{`0 error xsd no content models for API version "sixty"`}},
		{"judged by its own older version", "48.0", "CustomObject", mkdoc("CustomObject", "  <enablePublishStatusTracking>true</enablePublishStatusTracking>\n"),
			[]string{`3 error xsd <enablePublishStatusTracking> in <CustomObject> at /CustomObject exists from API 49.0; this project is at 48.0|"Element enablePublishStatusTracking invalid at this location in type CustomObject"`}},
		{"type without a model", "66.0", "NoSuchType", mkdoc("NoSuchType", ""),
			[]string{`0 error xsd no content model for metadata type "NoSuchType" at API version 66.0`}},
		{"fmt is offered only for a type it formats", "66.0", "CustomLabels",
			mkdoc("CustomLabels", "  <labels>\n    <fullName>L</fullName>\n    <shortDescription>L</shortDescription>\n    <value>v</value>\n    <language>en_US</language>\n    <protected>false</protected>\n  </labels>\n"),
			[]string{"7 warning xsd-order <language> in <labels> at /CustomLabels/labels is not in the order Salesforce retrieves it (it belongs before <value>;"}},
		{"every type is judged", "66.0", "ApexClass", mkdoc("ApexClass", ""),
			[]string{`2 error xsd <ApexClass> at /ApexClass is missing required elements <apiVersion>, <status>`}},
		{"bad enum names allowed values", "66.0", "ExternalClientApplication",
			mkdoc("ExternalClientApplication", "  <distributionState>Pkg</distributionState>\n"),
			[]string{`3 error xsd value "Pkg" is not allowed for <distributionState>|Local, Packaged, Managed, AutoInstalled`}},
		{"enum near miss", "66.0", "ExternalClientApplication",
			mkdoc("ExternalClientApplication", "  <distributionState>packaged</distributionState>\n"),
			[]string{`3 error xsd did you mean Packaged?`}},
		{"enum differs by version", "65.0", "ConversationChannelDefinition",
			mkdoc("ConversationChannelDefinition", "  <customEventPayloadField>E__e.P__c</customEventPayloadField>\n  <customPlatformEvent>E__e</customPlatformEvent>\n  <developerName>A</developerName>\n  <isInboundReceiptsEnabled>true</isInboundReceiptsEnabled>\n  <masterLabel>A</masterLabel>\n"), nil},
		{"field removed in 66", "66.0", "ConversationChannelDefinition",
			mkdoc("ConversationChannelDefinition", "  <customEventPayloadField>E__e.P__c</customEventPayloadField>\n  <customPlatformEvent>E__e</customPlatformEvent>\n  <developerName>A</developerName>\n  <isInboundReceiptsEnabled>true</isInboundReceiptsEnabled>\n  <masterLabel>A</masterLabel>\n"),
			[]string{`6 error xsd <isInboundReceiptsEnabled> in <ConversationChannelDefinition> at /ConversationChannelDefinition exists in API 63.0 to 65.0; this project is at 66.0|"Element isInboundReceiptsEnabled invalid at this location in type ConversationChannelDefinition"`}},
		{"unknown in every version", "66.0", "ConversationChannelDefinition",
			mkdoc("ConversationChannelDefinition", "  <customEventPayloadField>E__e.P__c</customEventPayloadField>\n  <customPlatformEvent>E__e</customPlatformEvent>\n  <developerName>A</developerName>\n  <masterLabl>A</masterLabl>\n  <masterLabel>A</masterLabel>\n"),
			[]string{`6 error xsd unknown element <masterLabl>|not a field of ConversationChannelDefinition in API 66.0|did you mean <masterLabel>?`}},
		{"enum value from a later version", "56.0", "ConnectedApp",
			mkdoc("ConnectedApp", "  <contactEmail>a@example.com</contactEmail>\n  <label>A</label>\n  <oauthConfig>\n    <callbackUrl>https://example.com/cb</callbackUrl>\n    <isCodeCredentialEnabled>false</isCodeCredentialEnabled>\n    <scopes>SFAP</scopes>\n  </oauthConfig>\n"),
			[]string{`7 error xsd <isCodeCredentialEnabled> in <oauthConfig> at /ConnectedApp/oauthConfig exists from API 57.0; this project is at 56.0`, `8 error xsd value "SFAP" of <scopes> at /ConnectedApp/oauthConfig/scopes exists from API 58.0; this project is at 56.0`}},
		{"misspelt element", "66.0", "CustomField",
			mkdoc("CustomField", "  <fullName>A__c</fullName>\n  <label>A</label>\n  <lenght>255</lenght>\n  <type>Text</type>\n"),
			[]string{"5 error xsd unknown element <lenght>|did you mean <length>?"}},
		{"bad boolean", "66.0", "ExtlClntAppConfigurablePolicies",
			mkdoc("ExtlClntAppConfigurablePolicies", "  <externalClientApplication>A</externalClientApplication>\n  <isEnabled>yes</isEnabled>\n"),
			[]string{`4 error xsd value "yes" of <isEnabled>|xsd:boolean; use true or false`}},
		{"order is a warning", "66.0", "ExtlClntAppOauthSettings",
			mkdoc("ExtlClntAppOauthSettings", "  <externalClientApplication>A</externalClientApplication>\n  <label>L</label>\n  <commaSeparatedOauthScopes>Api</commaSeparatedOauthScopes>\n"),
			[]string{"5 warning xsd-order <commaSeparatedOauthScopes> in <ExtlClntAppOauthSettings> is not in the order Salesforce retrieves it; `byocpack fmt` fixes it (it belongs before <label>"}},
		{"missing required", "66.0", "ExtlClntAppOauthSettings",
			mkdoc("ExtlClntAppOauthSettings", "  <commaSeparatedOauthScopes>Api</commaSeparatedOauthScopes>\n"),
			[]string{"2 error xsd <ExtlClntAppOauthSettings> at /ExtlClntAppOauthSettings is missing required element <externalClientApplication>"}},
		{"several missing", "66.0", "ConnectedApp", mkdoc("ConnectedApp", ""),
			[]string{"2 error xsd is missing required elements <contactEmail>, <label>"}},
		{"non-repeatable twice", "66.0", "ExternalClientApplication",
			mkdoc("ExternalClientApplication", "  <contactEmail>a@example.com</contactEmail>\n  <label>A</label>\n  <label>B</label>\n"),
			[]string{`5 error xsd <label> appears 2 times in <ExternalClientApplication>, which allows it once|"Element label is duplicated at this location in type ExternalClientApplication"`}},
		{"repeated element split", "66.0", "ConnectedApp",
			mkdoc("ConnectedApp", "  <contactEmail>a</contactEmail>\n  <label>L</label>\n  <profileName>A</profileName>\n  <permissionSetName>P</permissionSetName>\n  <profileName>B</profileName>\n"),
			[]string{
				"6 warning xsd-order <permissionSetName> in <ConnectedApp> is not in the order",
				`7 error xsd <profileName> in <ConnectedApp> is separated from the <profileName> before it|"Element profileName is duplicated at this location in type ConnectedApp"|byocpack fmt`,
			}},
		{"nested enum with index", "66.0", "ConnectedApp",
			mkdoc("ConnectedApp", "  <contactEmail>a</contactEmail>\n  <label>L</label>\n  <oauthConfig>\n    <callbackUrl>https://x</callbackUrl>\n    <scopes>Api</scopes>\n    <scopes>Interactions</scopes>\n  </oauthConfig>\n"),
			[]string{`8 error xsd value "Interactions"|/ConnectedApp/oauthConfig/scopes[2]|did you mean Interaction?|RefreshToken`}},
		{"every problem of a file", "66.0", "ExternalClientApplication",
			mkdoc("ExternalClientApplication", "  <distributionState>Pkg</distributionState>\n  <isProtected>no</isProtected>\n  <bogus>x</bogus>\n"),
			[]string{
				`3 error xsd value "Pkg"`, `4 error xsd value "no"`, "5 error xsd unknown element <bogus>",
			}},
		{"xsi:nil on a non-nillable element", "66.0", "ExternalClientApplication",
			mkdoc("ExternalClientApplication", "  <contactEmail>a</contactEmail>\n  <label xmlns:xsi=\"http://www.w3.org/2001/XMLSchema-instance\" xsi:nil=\"true\"/>\n"),
			[]string{"4 error xsd <label> at /ExternalClientApplication/label has xsi:nil"}},
		{"an attribute is a warning", "66.0", "ExternalClientApplication",
			mkdoc("ExternalClientApplication", "  <contactEmail foo=\"bar\">a</contactEmail>\n  <label>A</label>\n"),
			[]string{"3 warning xsd <contactEmail> at /ExternalClientApplication/contactEmail carries the attribute foo"}},
		{"text in a complex element", "66.0", "ExternalClientApplication",
			mkdoc("ExternalClientApplication", "  stray\n  <contactEmail>a</contactEmail>\n  <label>A</label>\n"),
			[]string{`2 warning xsd stray text "stray" directly inside <ExternalClientApplication>|deploys it`}},
		{"value with children", "66.0", "ExternalClientApplication",
			mkdoc("ExternalClientApplication", "  <contactEmail><b>a</b></contactEmail>\n  <label>A</label>\n"),
			[]string{"3 error xsd <contactEmail> at /ExternalClientApplication/contactEmail holds a value and cannot contain child elements"}},
		{"int with spaces follows the spec", "66.0", "CustomField",
			mkdoc("CustomField", "  <fullName>A__c</fullName>\n  <label>A</label>\n  <length> +18 </length>\n  <type>Text</type>\n"), nil},
		{"int overflow", "66.0", "CustomField",
			mkdoc("CustomField", "  <fullName>A__c</fullName>\n  <label>A</label>\n  <length>99999999999</length>\n  <type>Text</type>\n"),
			[]string{`5 error xsd value "99999999999" of <length>|not a valid xsd:int`}},
		{"wrong root", "66.0", "ExternalClientApplication", mkdoc("ConnectedApp", ""),
			[]string{`2 error xsd root element is <ConnectedApp>; expected <ExternalClientApplication xmlns="http://soap.sforce.com/2006/04/metadata">`}},
		{"no namespace", "66.0", "Package", []byte("<Package><version>66.0</version></Package>"),
			[]string{"1 error xsd root element <Package> has no namespace"}},
		{"foreign child namespace", "66.0", "Package",
			[]byte(`<Package ` + ns + `><x:version xmlns:x="urn:x">1</x:version></Package>`),
			[]string{"1 error xsd missing required element <version>", `1 error xsd element <version> in namespace "urn:x" is not allowed in <Package>`}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			expect(t, c.Check(tt.version, tt.typ, "force-app/x.xml", parse(t, tt.data)), tt.want)
		})
	}
}

func TestCheckXSDMode(t *testing.T) {
	c := &Checker{Models: schemas.Bundled(), Mode: XSD}
	doc := mkdoc("ExtlClntAppOauthSettings", "  <externalClientApplication>A</externalClientApplication>\n  <label>L</label>\n  <commaSeparatedOauthScopes>Api</commaSeparatedOauthScopes>\n")
	expect(t, c.Check("66.0", "ExtlClntAppOauthSettings", "force-app/x.xml", parse(t, doc)),
		[]string{"5 error xsd-order element <commaSeparatedOauthScopes> is out of order in <ExtlClntAppOauthSettings>: it must come before <label>"})
	attr := mkdoc("ExternalClientApplication", "  <contactEmail foo=\"bar\">a</contactEmail>\n  <label>A</label>\n")
	expect(t, c.Check("66.0", "ExternalClientApplication", "force-app/x.xml", parse(t, attr)),
		[]string{"3 error xsd carries the attribute foo"})
}

// A project newer than every model is judged by the newest one; what that
// one does not know is a warning that says how to import the newer WSDL.
func TestCheckNewerProject(t *testing.T) {
	c := New(schemas.Bundled())
	doc := mkdoc("ExtlClntAppGlobalOauthSettings", "  <externalClientApplication>A</externalClientApplication>\n  <isDPopEnabled>true</isDPopEnabled>\n  <isEnforceRefreshTokenTTL>true</isEnforceRefreshTokenTTL>\n  <label>L</label>\n")
	expect(t, c.Check("67.0", "ExtlClntAppGlobalOauthSettings", "force-app/x.xml", parse(t, doc)), []string{
		"4 warning xsd unknown element <isDPopEnabled>|API 66.0, the newest version byocpack has, and the project is at 67.0|byocpack schemas import metadata.wsdl",
		"5 warning xsd unknown element <isEnforceRefreshTokenTTL>",
	})
	scope := mkdoc("ConnectedApp", "  <contactEmail>a</contactEmail>\n  <label>L</label>\n  <oauthConfig>\n    <callbackUrl>https://x</callbackUrl>\n    <scopes>DataCloudUserClaims</scopes>\n  </oauthConfig>\n")
	expect(t, c.Check("67.0", "ConnectedApp", "force-app/x.xml", parse(t, scope)),
		[]string{`7 warning xsd value "DataCloudUserClaims" is not allowed for <scopes>|project is at 67.0`})
	// A required element is required in any version.
	expect(t, c.Check("67.0", "ExtlClntAppGlobalOauthSettings", "force-app/x.xml", parse(t, mkdoc("ExtlClntAppGlobalOauthSettings", ""))),
		[]string{"2 error xsd missing required element <externalClientApplication>"})
}

func TestFormatRestoresRetrieveOrder(t *testing.T) {
	m, err := schemas.Bundled().Get("66.0")
	if err != nil {
		t.Fatal(err)
	}
	in := "<?xml version='1.0'?>\n<ConnectedApp " + ns + ">\n<label>L &amp; Co</label>\n\t<oauthConfig><scopes>RefreshToken</scopes>\n<callbackUrl>https://x</callbackUrl>\n<scopes>Api</scopes></oauthConfig><contactEmail>a</contactEmail>\n<description>   </description><attributes></attributes>\n</ConnectedApp>"
	want := "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<ConnectedApp " + ns + ">\n    <attributes/>\n    <contactEmail>a</contactEmail>\n    <description>   </description>\n    <label>L &amp; Co</label>\n    <oauthConfig>\n        <callbackUrl>https://x</callbackUrl>\n        <scopes>RefreshToken</scopes>\n        <scopes>Api</scopes>\n    </oauthConfig>\n</ConnectedApp>\n"
	got, err := Format(m, "ConnectedApp", parse(t, []byte(in)))
	if err != nil {
		t.Fatal(err)
	}
	if d := cmp.Diff(want, string(got)); d != "" {
		t.Errorf("(-want +got):\n%s", d)
	}
	again, err := Format(m, "ConnectedApp", parse(t, got))
	if err != nil || string(again) != string(got) {
		t.Errorf("not idempotent: %v\n%s", err, again)
	}
	for name, doc := range map[string]string{
		"comment":   "<ConnectedApp " + ns + "><!-- x --><label>L</label></ConnectedApp>",
		"unknown":   "<ConnectedApp " + ns + "><lable>L</lable></ConnectedApp>",
		"attribute": "<ConnectedApp " + ns + "><label a=\"b\">L</label></ConnectedApp>",
		"mixed":     "<ConnectedApp " + ns + ">x<label>L</label></ConnectedApp>",
		"root":      "<ExternalClientApplication " + ns + "/>",
	} {
		if _, err := Format(m, "ConnectedApp", parse(t, []byte(doc))); err == nil {
			t.Errorf("%s: formatted, want it left alone", name)
		} else if _, ok := err.(*NotFormatted); !ok {
			t.Errorf("%s: %T", name, err)
		}
	}
}

// TestConcurrentFirstUse loads the same models from many goroutines at
// once; with -race it proves the lazy decode is safe.
func TestConcurrentFirstUse(t *testing.T) {
	set := model.NewBundledSet("bundled models", schemas.Models)
	c := New(set)
	bad := parse(t, mkdoc("ExternalClientApplication", "  <distributionState>Pkg</distributionState>\n"))
	want := New(schemas.Bundled()).Check("66.0", "ExternalClientApplication", "f", bad)
	var wg sync.WaitGroup
	results := make([][]diag.Problem, 32)
	for i := range results {
		wg.Go(func() { results[i] = c.Check("66.0", "ExternalClientApplication", "f", bad) })
	}
	wg.Wait()
	for i, r := range results {
		if d := cmp.Diff(want, r); d != "" {
			t.Errorf("goroutine %d (-want +got):\n%s", i, d)
		}
	}
}

// MutingPermissionSet's flattened sequence has label twice, both
// required (PermissionSet's and its own): the checker matches each <label>
// to its own particle, as an XSD validator does, rather than call the
// second one a duplicate.
func TestRepeatedNamesArePositional(t *testing.T) {
	m, err := schemas.Bundled().Get("59.0")
	if err != nil {
		t.Fatal(err)
	}
	ct := m.Root("MutingPermissionSet")
	run := func(body string) []diag.Problem {
		doc := parse(t, mkdoc("MutingPermissionSet", body))
		w := &walker{m: m, mode: XSD, project: "59.0", file: "force-app/x.xml", typ: "MutingPermissionSet", ns: MetadataNamespace}
		w.complex(doc.Root, ct, "/MutingPermissionSet", true, false)
		return w.out
	}
	cases := []struct {
		body string
		want []string
	}{
		{"  <label>A</label>\n  <label>B</label>\n", nil},
		{"  <description>d</description>\n  <label>A</label>\n  <userPermissions><enabled>true</enabled><name>X</name></userPermissions>\n  <label>B</label>\n", nil},
		{"  <label>A</label>\n", []string{"2 error xsd missing required element <label>"}},
		{"  <label>A</label>\n  <label>B</label>\n  <label>C</label>\n", []string{"5 error xsd <label> appears 2 times"}},
	}
	for _, c := range cases {
		expect(t, run(c.body), c.want)
	}
	// xmllint, where it and the WSDLs are here, gives the same verdicts.
	xmllint, err := exec.LookPath("xmllint")
	if err != nil {
		t.Skip("xmllint not on PATH; the verdicts are not compared with it")
	}
	cut, ok := cutRoots("59.0", []string{"MutingPermissionSet"}).(map[string][]byte)
	if !ok {
		t.Skip("the 59.0 WSDL is not beside the repository")
	}
	dir := t.TempDir()
	xsdPath := filepath.Join(dir, "mps.xsd")
	if err := os.WriteFile(xsdPath, cut["v59.0/MutingPermissionSet.xsd"], 0o644); err != nil {
		t.Fatal(err)
	}
	for i, c := range cases {
		doc := filepath.Join(dir, fmt.Sprintf("m%d.xml", i))
		if err := os.WriteFile(doc, mkdoc("MutingPermissionSet", c.body), 0o644); err != nil {
			t.Fatal(err)
		}
		out, err := exec.Command(xmllint, "--noout", "--nonet", "--schema", xsdPath, doc).CombinedOutput()
		if valid := err == nil; valid != (c.want == nil) {
			t.Errorf("case %d: xmllint says valid=%v:\n%s", i, valid, out)
		}
	}
}

func TestNearest(t *testing.T) {
	names := []string{"length", "label", "type", "fullName", "externalId"}
	for in, want := range map[string]string{"lenght": "length", "Label": "label", "fullname": "fullName", "tpye": "type", "zzzzzz": "", "x": ""} {
		if got := nearest(in, names); got != want {
			t.Errorf("nearest(%q) = %q, want %q", in, got, want)
		}
	}
}

func list(ps []diag.Problem) string {
	var b strings.Builder
	for _, p := range ps {
		b.WriteString("  " + p.String() + "\n")
	}
	return b.String()
}

func TestProblemsPerDocumentAreBounded(t *testing.T) {
	doc := parse(t, mkdoc("ExternalClientApplication", strings.Repeat("<bogus>x</bogus>\n", 5000)))
	got := New(schemas.Bundled()).Check("66.0", "ExternalClientApplication", "f", doc)
	if len(got) != maxProblems+1 || !strings.Contains(got[len(got)-1].Message+got[0].Message, "more schema problems in this file are not shown") {
		last := got[len(got)-1]
		t.Fatalf("%d problems, last %s", len(got), last)
	}
}
