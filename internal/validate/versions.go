package validate

import (
	"cmp"
	"strings"
	"sync"

	"github.com/byocpack/byocpack/internal/apiver"
	"github.com/byocpack/byocpack/internal/diag"
)

// Which field exists in which API version comes from the knowledge
// generated from the bundled WSDLs (internal/apiver), the authority for
// every version they cover. What they cannot show is below: when a field
// the oldest bundled WSDL already has first appeared, and fields that left
// before it. Projects with an older sourceApiVersion are still judged by
// those documented facts.

// documented is a window known from Salesforce's documentation and older
// WSDLs; "" is an open end.
type documented struct{ since, until string }

// documentedFields are the pre-62.0 windows of the version-gated fields
// that broke real deploys. Source: ../shared/reference/metadata-types.md,
// which cites the Metadata API Developer Guide and the WSDLs v59-v61 of
// forcedotcom/wsdl: §4.3 (ExtlClntAppGlobalOauthSettings: certificate
// "Available in API version 60.0 and later", isNamedUserJwtEnabled first in
// WSDL 61.0), §4.4 (ExtlClntAppOauthConfigurablePolicies:
// isNamedUserJwtEnabled 61-63), §5 (ConversationChannelDefinition:
// customIcon and supportsCustomChannelParameters "Available in API version
// 61.0", connectedAppType and customerConnectedAppOauthLink 62.0,
// customEventChnlAddrIdField and customEventRecipientField "deprecated in
// API version 60.0 and will be removed in API version 61.0").
func documentedFields() map[string]map[string]documented {
	return map[string]map[string]documented{
		typeCCD: {
			"customEventChnlAddrIdField":      {until: "60.0"},
			"customEventRecipientField":       {until: "60.0"},
			"customIcon":                      {since: "61.0"},
			"supportsCustomChannelParameters": {since: "61.0"},
			"connectedAppType":                {since: "62.0"},
			"customerConnectedAppOauthLink":   {since: "62.0"},
		},
		typeOauthPolicies: {
			"isNamedUserJwtEnabled": {since: "61.0"},
		},
		typeGlobalOauth: {
			"certificate":           {since: "60.0"},
			"isNamedUserJwtEnabled": {since: "61.0"},
		},
	}
}

// documentedTypes is the first API version of each type, as the Metadata
// API Developer Guide gives it ("Available in API version ... and later";
// metadata-types.md §1).
func documentedTypes() map[string]string {
	return map[string]string{
		typeCCD: "60.0", typeECA: "59.0", typeOauthSettings: "59.0", typeGlobalOauth: "59.0",
		typeOauthPolicies: "59.0", typePolicies: "60.0",
	}
}

// renamedFields are fields Salesforce replaced by another: the fix for
// either one names the other, with its window.
func renamedFields() map[string][][2]string {
	return map[string][][2]string{
		typeCCD: {
			{"isInboundReceiptsEnabled", "isInboundAcknwOptionExposed"},
			{"isTypingIndicatorDisabled", "isTypingIndicatorOptionHidden"},
			{"isRoutingWorkResultEnabled", "isRoutingWorkResultSupported"},
		},
	}
}

// fieldFixes replace the plain fix ("remove it or raise sourceApiVersion to
// {since}", "remove it") where it would mislead; {since} is the version the
// field exists from.
func fieldFixes() map[string]map[string]string {
	const useTypePayload = "remove it and use customEventTypeField with customEventPayloadField"
	return map[string]map[string]string{
		typeCCD: {
			"customEventChnlAddrIdField":    useTypePayload,
			"customEventRecipientField":     useTypePayload,
			"connectedAppType":              "remove it (Partner is the default) or raise sourceApiVersion to {since}",
			"customerConnectedAppOauthLink": "remove it",
		},
		typeOauthPolicies: {
			"isNamedUserJwtEnabled": "remove it and set isNamedUserJwtEnabled in ExtlClntAppGlobalOauthSettings",
		},
		typeGlobalOauth: {
			"certificate":           "raise sourceApiVersion to {since} or upload the certificate in Setup",
			"isNamedUserJwtEnabled": "raise sourceApiVersion to {since} or set it in Setup",
		},
	}
}

// span is a window of versions in which a field exists; a zero bound is
// open: older than anything known, or still there.
type span struct{ since, until apiver.Version }

func (s span) contains(v apiver.Version) bool {
	return (s.since.IsZero() || !v.Before(s.since)) && (s.until.IsZero() || !s.until.Before(v))
}

// String writes the span for a fix: "63.0–65.0", "65.0+".
func (s span) String() string {
	switch {
	case s.until.IsZero():
		return s.since.String() + "+"
	case s.since.IsZero():
		return "up to " + s.until.String()
	}
	return s.since.String() + "–" + s.until.String()
}

// typeWindows are the spans of every field of one type the knowledge or
// the documented facts know.
type typeWindows map[string][]span

// windowsOf merges the generated windows of typ with the documented facts:
// a generated window that starts at the oldest bundled WSDL starts at the
// documented version (or is open), one that ends at the newest is open, and
// a field no bundled WSDL has keeps its documented window.
func windowsOf(typ string) typeWindows {
	docs := documentedFields()[typ]
	out := typeWindows{}
	for field, ws := range apiver.Windows(typ) {
		spans := make([]span, len(ws))
		for i, w := range ws {
			spans[i] = span{w.First, w.Last}
		}
		if spans[0].since == apiver.Oldest() {
			spans[0].since = parseOrZero(docs[field].since)
		}
		if last := &spans[len(spans)-1]; last.until == apiver.Latest() {
			last.until = apiver.Version{}
		}
		out[field] = spans
	}
	for field, d := range docs {
		if _, known := out[field]; !known {
			out[field] = []span{{parseOrZero(d.since), parseOrZero(d.until)}}
		}
	}
	return out
}

// parseOrZero parses a documented version; "" is the zero Version.
func parseOrZero(s string) apiver.Version {
	if s == "" {
		return apiver.Version{} // without formatting Parse's error
	}
	v, _ := apiver.Parse(s)
	return v
}

// typeSince is the first version of typ: from the WSDLs when the oldest
// bundled one lacks it, else as documented; zero when unknown.
func typeSince(typ string) apiver.Version {
	for _, v := range apiver.Supported() {
		if len(apiver.Fields(typ, v)) > 0 {
			if v != apiver.Oldest() {
				return v
			}
			break
		}
	}
	return parseOrZero(documentedTypes()[typ])
}

// outside says how v falls outside the spans of a field and what to do;
// ok is false when v is inside one of them.
func (tw typeWindows) outside(typ, field string, v apiver.Version) (span, fix string, ok bool) {
	spans := tw[field]
	for _, s := range spans {
		if s.contains(v) {
			return "", "", false
		}
	}
	first, last := spans[0], spans[len(spans)-1]
	fix = fieldFixes()[typ][field]
	switch {
	case !first.since.IsZero() && v.Before(first.since):
		span = "exists from API " + first.since.String()
		if other, ok := tw.renamed(typ, field); ok {
			fix = cmp.Or(fix, "use "+other+" ("+tw[other][0].String()+") or raise sourceApiVersion")
		}
		fix = cmp.Or(fix, "remove it or raise sourceApiVersion to {since}")
	case !last.until.IsZero() && last.until.Before(v):
		span = "was removed in API " + last.until.Next().String()
		if other, ok := tw.renamed(typ, field); ok {
			fix = cmp.Or(fix, "use "+other+" ("+tw[other][len(tw[other])-1].String()+")")
		}
	default:
		span = "is not in API " + v.String()
	}
	return span, strings.ReplaceAll(cmp.Or(fix, "remove it"), "{since}", first.since.String()), true
}

// renamed returns the field that replaced field, or that field replaced.
func (tw typeWindows) renamed(typ, field string) (string, bool) {
	for _, pair := range renamedFields()[typ] {
		for i, f := range pair {
			if other := pair[1-i]; f == field && len(tw[other]) > 0 {
				return other, true
			}
		}
	}
	return "", false
}

// versionKnowledge is what the rule knows of each type, each type's
// worked out the first time a file of it is judged: a build judges five
// types, and working out all of them was a tenth of its time.
type versionKnowledge map[string]func() typeKnowledge

type typeKnowledge struct {
	since   apiver.Version
	windows typeWindows
}

func newVersionKnowledge() versionKnowledge {
	k := versionKnowledge{}
	types := apiver.Types()
	for typ := range documentedTypes() {
		types = append(types, typ)
	}
	for _, typ := range types {
		k[typ] = sync.OnceValue(func() typeKnowledge { return typeKnowledge{typeSince(typ), windowsOf(typ)} })
	}
	return k
}

// of returns what is known of typ; nothing for a type no WSDL or
// document describes.
func (k versionKnowledge) of(typ string) typeKnowledge {
	if f, ok := k[typ]; ok {
		return f()
	}
	return typeKnowledge{}
}

func (r *run) versionWindows(d doc) []diag.Problem {
	v := r.version
	if v.IsZero() {
		return nil // no version to judge against; the spec check reports a bad one
	}
	var ps []diag.Problem
	known := r.versions.of(d.Type)
	if since := known.since; !since.IsZero() && v.Before(since) {
		ps = append(ps, r.problem(RuleAPIVersionField, d.File, d.Root,
			"%s exists from API %s but sourceApiVersion is %s; raise sourceApiVersion", d.Type, since, r.in.APIVersion))
	}
	windows := known.windows
	for _, c := range d.Root.Children {
		if _, known := windows[c.Name]; !known {
			continue // a misspelt element is the schema check's to report
		}
		if span, fix, out := windows.outside(d.Type, c.Name, v); out {
			ps = append(ps, r.problem(RuleAPIVersionField, d.File, c,
				"%s %s but sourceApiVersion is %s; %s", c.Name, span, r.in.APIVersion, fix))
		}
	}
	return ps
}
