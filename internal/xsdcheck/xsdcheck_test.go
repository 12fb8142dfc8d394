package xsdcheck

import (
	"fmt"
	"strings"
	"sync"
	"testing"
	"testing/fstest"

	"github.com/google/go-cmp/cmp"

	"byocpack/internal/diag"
	"byocpack/schemas"
)

const ns = `xmlns="http://soap.sforce.com/2006/04/metadata"`

func mkdoc(root, body string) []byte {
	return []byte(fmt.Sprintf("<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<%s %s>\n%s</%s>\n", root, ns, body, root))
}

func TestCheck(t *testing.T) {
	c := New(schemas.FS)
	tests := []struct {
		name, version, typ string
		data               []byte
		// want holds "line rule fragment..." per problem; empty means valid.
		want []string
	}{
		{"valid eca", "66.0", "ExternalClientApplication",
			mkdoc("ExternalClientApplication", "  <contactEmail>a@example.com</contactEmail>\n  <distributionState>Packaged</distributionState>\n  <label>A</label>\n"), nil},
		{"valid ccd at 62", "62.0", "ConversationChannelDefinition",
			mkdoc("ConversationChannelDefinition", "  <customEventPayloadField>E__e.P__c</customEventPayloadField>\n  <customPlatformEvent>E__e</customPlatformEvent>\n  <developerName>A_B</developerName>\n  <masterLabel>A</masterLabel>\n"), nil},
		// One spelling, as apiver.Parse reads it: "v66" names no schema.
		{"version spelled v66", "v66", "CustomObject", mkdoc("CustomObject", "  <label>E</label>\n"),
			[]string{`0 xsd no XSD schemas for API version "v66"|supported versions: 62.0, 63.0, 64.0, 65.0, 66.0`}},
		{"bad enum names allowed values", "66.0", "ExternalClientApplication",
			mkdoc("ExternalClientApplication", "  <distributionState>Pkg</distributionState>\n"),
			[]string{`3 xsd value "Pkg" is not allowed for <distributionState>|Local, Packaged, Managed, AutoInstalled`}},
		{"enum differs by version", "65.0", "ConversationChannelDefinition",
			mkdoc("ConversationChannelDefinition", "  <customEventPayloadField>E__e.P__c</customEventPayloadField>\n  <customPlatformEvent>E__e</customPlatformEvent>\n  <developerName>A</developerName>\n  <isInboundReceiptsEnabled>true</isInboundReceiptsEnabled>\n  <masterLabel>A</masterLabel>\n"), nil},
		{"field removed in 66", "66.0", "ConversationChannelDefinition",
			mkdoc("ConversationChannelDefinition", "  <customEventPayloadField>E__e.P__c</customEventPayloadField>\n  <customPlatformEvent>E__e</customPlatformEvent>\n  <developerName>A</developerName>\n  <isInboundReceiptsEnabled>true</isInboundReceiptsEnabled>\n  <masterLabel>A</masterLabel>\n"),
			[]string{"6 xsd unknown element <isInboundReceiptsEnabled>|not a field of ConversationChannelDefinition|<isConferenceSupported>"}},
		{"bad boolean", "66.0", "ExtlClntAppConfigurablePolicies",
			mkdoc("ExtlClntAppConfigurablePolicies", "  <externalClientApplication>A</externalClientApplication>\n  <isEnabled>yes</isEnabled>\n"),
			[]string{`4 xsd value "yes" of <isEnabled>|xsd:boolean; use true or false`}},
		{"out of order", "66.0", "ExtlClntAppOauthSettings",
			mkdoc("ExtlClntAppOauthSettings", "  <externalClientApplication>A</externalClientApplication>\n  <label>L</label>\n  <commaSeparatedOauthScopes>Api</commaSeparatedOauthScopes>\n"),
			[]string{"5 xsd element <commaSeparatedOauthScopes> is out of order|must come before <label>|expected one of <oauthLink>, <singleLogoutUrl>, <trustedIpRanges> or the end of <ExtlClntAppOauthSettings>"}},
		{"missing required", "66.0", "ExtlClntAppOauthSettings",
			mkdoc("ExtlClntAppOauthSettings", "  <commaSeparatedOauthScopes>Api</commaSeparatedOauthScopes>\n"),
			[]string{"2 xsd <ExtlClntAppOauthSettings> at /ExtlClntAppOauthSettings is missing required element <externalClientApplication>"}},
		{"required comes first", "66.0", "ConnectedApp",
			mkdoc("ConnectedApp", "  <label>L</label>\n"),
			[]string{"3 xsd element <label> in <ConnectedApp> comes too early: required element <contactEmail> must come before it"}},
		{"nested enum with index", "66.0", "ConnectedApp",
			mkdoc("ConnectedApp", "  <contactEmail>a</contactEmail>\n  <label>L</label>\n  <oauthConfig>\n    <callbackUrl>https://x</callbackUrl>\n    <scopes>Api</scopes>\n    <scopes>Interactions</scopes>\n  </oauthConfig>\n"),
			[]string{`8 xsd value "Interactions"|/ConnectedApp/oauthConfig/scopes[2]|RefreshToken|Interaction, CDP`}},
		{"two independent problems", "66.0", "ExternalClientApplication",
			mkdoc("ExternalClientApplication", "  <distributionState>Pkg</distributionState>\n  <isProtected>no</isProtected>\n"),
			[]string{`3 xsd value "Pkg"`, `4 xsd value "no"`}},
		{"xsi:nil on a non-nillable element", "66.0", "ExternalClientApplication",
			mkdoc("ExternalClientApplication", "  <label xmlns:xsi=\"http://www.w3.org/2001/XMLSchema-instance\" xsi:nil=\"true\"/>\n"),
			[]string{"3 xsd <label> at /ExternalClientApplication/label has xsi:nil"}},
		{"wrong root", "66.0", "ExternalClientApplication", mkdoc("ConnectedApp", ""),
			[]string{"2 xsd root element is <ConnectedApp>; expected <ExternalClientApplication xmlns=\"http://soap.sforce.com/2006/04/metadata\">"}},
		{"no namespace", "66.0", "Package", []byte("<Package><version>66.0</version></Package>"),
			[]string{"1 xsd root element <Package> has no namespace"}},
		{"foreign child namespace", "66.0", "Package",
			[]byte(`<Package ` + ns + `><x:version xmlns:x="urn:x">1</x:version></Package>`),
			[]string{`1 xsd element <version> in namespace "urn:x" is not allowed in <Package>`}},
		{"not well-formed", "66.0", "Package", []byte("<Package " + ns + ">\n<version>66.0</versio>\n</Package>\n"),
			[]string{"2 xml not well-formed XML"}},
		{"truncated", "66.0", "Package", []byte("<Package " + ns + ">\n<version>66.0</version>\n"),
			[]string{"3 xml the file ends before <Package> is closed"}},
		{"empty", "66.0", "Package", nil, []string{"0 xml file is empty"}},
		{"whitespace only", "66.0", "Package", []byte(" \n\t"), []string{"0 xml file is empty"}},
		{"comment only", "66.0", "Package", []byte("<!-- nothing -->\n"), []string{"0 xml file has no root element"}},
		{"binary", "66.0", "Package", []byte("PK\x03\x04\x00\x00binary"), []string{"0 xml binary or not UTF-8"}},
		{"latin-1 bytes", "66.0", "Package", []byte("<Package " + ns + "><description>caf\xe9</description><version>1</version></Package>"), []string{"0 xml binary or not UTF-8"}},
		{"declared utf-16", "66.0", "Package", []byte("<?xml version=\"1.0\" encoding=\"UTF-16\"?>\n<Package " + ns + "><version>1</version></Package>"),
			[]string{"xml non-UTF-8 encoding"}},
		{"dtd", "66.0", "Package", []byte("<!DOCTYPE Package [<!ENTITY x \"y\">]>\n<Package " + ns + "><version>&x;</version></Package>"),
			[]string{"xml DTDs"}},
		{"unknown version", "61.0", "CustomObject", mkdoc("CustomObject", ""),
			[]string{`0 xsd no XSD schemas for API version "61.0"; supported versions: 62.0, 63.0, 64.0, 65.0, 66.0`}},
		{"unknown type", "66.0", "ApexClass", mkdoc("ApexClass", ""),
			[]string{`0 xsd no XSD schema for metadata type "ApexClass" at API version 66.0; types with schemas: ConnectedApp,|Package`}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got := c.Check(tt.version, tt.typ, "force-app/x.xml", tt.data)
			if len(got) != len(tt.want) {
				t.Fatalf("got %d problems, want %d:\n%s", len(got), len(tt.want), list(got))
			}
			for i, w := range tt.want {
				p := got[i]
				if p.File != "force-app/x.xml" || p.Severity != diag.Error {
					t.Errorf("problem %d: file %q severity %q", i, p.File, p.Severity)
				}
				head, frags, _ := strings.Cut(w, " ")
				if head != "xsd" && head != "xml" {
					if fmt.Sprint(p.Line) != head {
						t.Errorf("problem %d: line %d, want %s: %s", i, p.Line, head, p)
					}
				} else {
					frags = w
				}
				rule, rest, _ := strings.Cut(frags, " ")
				if p.Rule != rule {
					t.Errorf("problem %d: rule %q, want %q: %s", i, p.Rule, rule, p)
				}
				for f := range strings.SplitSeq(rest, "|") {
					if !strings.Contains(p.Message, f) {
						t.Errorf("problem %d: message lacks %q:\n%s", i, f, p)
					}
				}
			}
		})
	}
}

func list(ps []diag.Problem) string {
	var b strings.Builder
	for _, p := range ps {
		b.WriteString("  " + p.String() + "\n")
	}
	return b.String()
}

func TestSupported(t *testing.T) {
	c := New(schemas.FS)
	if d := cmp.Diff([]string{"62.0", "63.0", "64.0", "65.0", "66.0"}, c.Versions()); d != "" {
		t.Errorf("versions (-want +got):\n%s", d)
	}
	types := c.Types("66.0")
	for _, want := range []string{"ConversationChannelDefinition", "CustomField", "ExternalClientApplication", "Package"} {
		if !strings.Contains(strings.Join(types, ","), want) {
			t.Errorf("Types(66.0) = %v lacks %s", types, want)
		}
	}
	if len(c.Supported()) != 5*len(types) {
		t.Errorf("Supported() has %d entries, want %d", len(c.Supported()), 5*len(types))
	}

	// Versions sort numerically, so a future v100.0 comes last.
	fsys := fstest.MapFS{
		"v9.0/A.xsd":   {Data: []byte("x")},
		"v100.0/A.xsd": {Data: []byte("x")},
		"v62.0/B.xsd":  {Data: []byte("x")},
		"v62.0/A.xsd":  {Data: []byte("x")},
		"v62/A.xsd":    {Data: []byte("x")},
		"vx/A.xsd":     {Data: []byte("x")},
	}
	got := New(fsys).Supported()
	want := []Schema{{"9.0", "A"}, {"62.0", "A"}, {"62.0", "B"}, {"100.0", "A"}}
	if d := cmp.Diff(want, got); d != "" {
		t.Errorf("Supported (-want +got):\n%s", d)
	}
}

func TestBrokenSchemaIsAProblemNotAPanic(t *testing.T) {
	c := New(fstest.MapFS{"v66.0/Package.xsd": {Data: []byte("<xsd:schema")}})
	got := c.Check("66.0", "Package", "package.xml", mkdoc("Package", "<version>1</version>\n"))
	if len(got) != 1 || got[0].Rule != "xsd" || !strings.Contains(got[0].Message, "v66.0/Package.xsd") {
		t.Fatalf("got %v, want one xsd problem naming the schema", got)
	}
}

// TestConcurrentFirstUse runs many first uses of the same schemas at once;
// with -race it proves the lazy compile is safe, and the results must not
// depend on which goroutine compiled.
func TestConcurrentFirstUse(t *testing.T) {
	c := New(schemas.FS)
	bad := mkdoc("ExternalClientApplication", "  <distributionState>Pkg</distributionState>\n")
	want := New(schemas.FS).Check("66.0", "ExternalClientApplication", "f", bad)
	var wg sync.WaitGroup
	results := make([][]diag.Problem, 32)
	for i := range results {
		wg.Go(func() {
			typ := []string{"ExternalClientApplication", "CustomObject"}[i%2]
			if typ == "CustomObject" {
				results[i] = c.Check("66.0", typ, "f", mkdoc("CustomObject", "<label>x</label>\n"))
				return
			}
			results[i] = c.Check("66.0", typ, "f", bad)
		})
	}
	wg.Wait()
	for i, r := range results {
		w := want
		if i%2 == 1 {
			w = nil
		}
		if d := cmp.Diff(w, r); d != "" {
			t.Errorf("goroutine %d (-want +got):\n%s", i, d)
		}
	}
	c.mu.Lock()
	defer c.mu.Unlock()
	if len(c.entries) != 2 {
		t.Errorf("%d schemas compiled, want 2", len(c.entries))
	}
}

func TestCursor(t *testing.T) {
	ps := []particle{{name: "a", min: 0, max: 1}, {name: "b", min: 1, max: -1}, {name: "c", min: 0, max: 1}}
	tests := []struct {
		seen     []string
		want     []string
		wantEnd  bool
		accepted bool
	}{
		{nil, []string{"a", "b"}, false, true},
		{[]string{"a"}, []string{"b"}, false, true},
		{[]string{"b"}, []string{"b", "c"}, true, true},
		{[]string{"b", "b", "c"}, nil, true, true},
		{[]string{"c"}, []string{"a", "b"}, false, false},
	}
	for _, tt := range tests {
		cur := &cursor{ps: ps}
		ok := true
		for _, s := range tt.seen {
			ok = cur.advance(s) && ok
		}
		got, end := cur.expected()
		if ok != tt.accepted || end != tt.wantEnd || !cmp.Equal(got, tt.want, cmpEmpty) {
			t.Errorf("after %v: accepted %v, expected %v, canEnd %v; want %v %v %v", tt.seen, ok, got, end, tt.accepted, tt.want, tt.wantEnd)
		}
	}
}

var cmpEmpty = cmp.Comparer(func(a, b []string) bool { return strings.Join(a, ",") == strings.Join(b, ",") })
