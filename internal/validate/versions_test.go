package validate

import (
	"context"
	"strings"
	"testing"

	"github.com/byocpack/byocpack/internal/apiver"
)

// The documented facts only reach where the WSDLs cannot: they must not
// contradict the generated knowledge, which is the authority from the
// oldest bundled WSDL on.
func TestDocumentedFactsStayBeforeTheWSDLs(t *testing.T) {
	oldest := apiver.Oldest()
	check := func(what, s string) apiver.Version {
		if s == "" {
			return apiver.Version{}
		}
		v, err := apiver.Parse(s)
		if err != nil {
			t.Errorf("%s: %v", what, err)
		}
		return v
	}
	for typ, fields := range documentedFields() {
		for field, d := range fields {
			what := typ + "." + field
			since, until := check(what, d.since), check(what, d.until)
			gen := apiver.FieldWindows(typ, field)
			switch {
			case gen == nil && (until.IsZero() || !until.Before(oldest)):
				t.Errorf("%s: no bundled WSDL has it, so it must be documented as removed before %s", what, oldest)
			case gen != nil && !until.IsZero():
				t.Errorf("%s: the WSDLs say when it left; drop the documented until", what)
			case gen != nil && gen[0].First != oldest:
				t.Errorf("%s: the WSDLs show it arriving in %s; drop the documented since", what, gen[0].First)
			case gen != nil && oldest.Before(since):
				t.Errorf("%s: documented from %s, but WSDL %s already has it", what, since, oldest)
			}
		}
	}
	for typ, s := range documentedTypes() {
		if v := check(typ, s); len(apiver.Fields(typ, oldest)) == 0 || oldest.Before(v) {
			t.Errorf("%s: documented from %s, but the knowledge disagrees", typ, s)
		}
	}
	for typ, fields := range fieldFixes() {
		w := windowsOf(typ)
		for field := range fields {
			if w[field] == nil {
				t.Errorf("fix for %s.%s, a field nothing knows", typ, field)
			}
		}
	}
	for typ, pairs := range renamedFields() {
		w := windowsOf(typ)
		for _, p := range pairs {
			if w[p[0]] == nil || w[p[1]] == nil {
				t.Errorf("rename %s.%s -> %s names a field nothing knows", typ, p[0], p[1])
			}
		}
	}
}

func TestVersionWindows(t *testing.T) {
	ccd := func(extra string) File {
		return File{Path: ccdPath, Data: []byte(strings.Replace(partnerCCD, "    <developerName>", extra+"    <developerName>", 1))}
	}
	tests := []struct {
		version string
		file    File
		want    []string // messages of BYOC-API-VERSION-FIELD
	}{
		// Removed before the oldest WSDL: only the documented fact knows.
		{"66.0", ccd("    <customEventChnlAddrIdField>X</customEventChnlAddrIdField>\n"),
			[]string{"customEventChnlAddrIdField was removed in API 61.0 but sourceApiVersion is 66.0; remove it and use customEventTypeField with customEventPayloadField"}},
		{"60.0", ccd("    <customEventChnlAddrIdField>X</customEventChnlAddrIdField>\n"),
			[]string{"connectedAppType exists from API 62.0 but sourceApiVersion is 60.0; remove it (Partner is the default) or raise sourceApiVersion to 62.0"}},
		// Older than the WSDLs: the documented start of a field they all have.
		{"61.0", ccd(""),
			[]string{"connectedAppType exists from API 62.0 but sourceApiVersion is 61.0; remove it (Partner is the default) or raise sourceApiVersion to 62.0"}},
		{"59.0", ccd("    <customIcon>Logo</customIcon>\n"),
			[]string{
				"ConversationChannelDefinition exists from API 60.0 but sourceApiVersion is 59.0; raise sourceApiVersion",
				"connectedAppType exists from API 62.0 but sourceApiVersion is 59.0; remove it (Partner is the default) or raise sourceApiVersion to 62.0",
				"customIcon exists from API 61.0 but sourceApiVersion is 59.0; remove it or raise sourceApiVersion to 61.0",
			}},
		// Inside the WSDLs: generated windows, renamed fields name each other.
		{"64.0", ccd("    <isInboundAcknwOptionExposed>true</isInboundAcknwOptionExposed>\n    <isProgressIndicatorOptExposed>true</isProgressIndicatorOptExposed>\n"),
			[]string{
				"isInboundAcknwOptionExposed exists from API 65.0 but sourceApiVersion is 64.0; use isInboundReceiptsEnabled (63.0–65.0) or raise sourceApiVersion",
				"isProgressIndicatorOptExposed exists from API 65.0 but sourceApiVersion is 64.0; remove it or raise sourceApiVersion to 65.0",
			}},
		{"66.0", ccd("    <isTypingIndicatorDisabled>true</isTypingIndicatorDisabled>\n"),
			[]string{"isTypingIndicatorDisabled was removed in API 66.0 but sourceApiVersion is 66.0; use isTypingIndicatorOptionHidden (65.0+)"}},
		// Newer than the WSDLs: what the newest one has still exists.
		{"67.0", ccd("    <isConferenceSupported>true</isConferenceSupported>\n"), nil},
		// A field of every version, and a misspelt one, are not this rule's.
		{"62.0", ccd("    <supportsKeywordz>true</supportsKeywordz>\n"), nil},
		// Not a version: nothing to judge by.
		{"v66", ccd("    <isTypingIndicatorDisabled>true</isTypingIndicatorDisabled>\n"), nil},
		// A type outside the CCD: the WSDLs know its fields too.
		{"66.0", File{Path: "p/A_oauthPlcy.ecaOauthPlcy-meta.xml", Data: []byte(`<?xml version="1.0" encoding="UTF-8"?>
<ExtlClntAppOauthConfigurablePolicies xmlns="http://soap.sforce.com/2006/04/metadata">
    <externalClientApplication>A</externalClientApplication>
    <isNamedUserJwtEnabled>true</isNamedUserJwtEnabled>
</ExtlClntAppOauthConfigurablePolicies>
`)}, []string{"isNamedUserJwtEnabled was removed in API 64.0 but sourceApiVersion is 66.0; remove it and set isNamedUserJwtEnabled in ExtlClntAppGlobalOauthSettings"}},
	}
	for _, tt := range tests {
		ps, err := Run(context.Background(), Input{APIVersion: tt.version, Files: []File{tt.file}}, Options{})
		if err != nil {
			t.Fatal(err)
		}
		var got []string
		for _, p := range ps {
			if p.Rule == RuleAPIVersionField {
				got = append(got, p.Message)
			}
		}
		if strings.Join(got, "\n") != strings.Join(tt.want, "\n") {
			t.Errorf("%s %s:\n got %q\nwant %q", tt.version, tt.file.Path, got, tt.want)
		}
	}
}
