package spec

import (
	"math/rand/v2"
	"slices"
	"strings"
	"testing"
	"testing/fstest"
)

// trickyScalars are strings YAML would read as something else when
// written plain: numbers in every base, booleans of YAML 1.1 and 1.2,
// nulls, a sequence or a mapping, anchors, tags, directives, comments.
var trickyScalars = []string{
	"0x10", "0o17", "0b101", "017", "1_000", "1e3", "-1", "+1", ".5", ".inf", "-.Inf", ".NaN", "12:30", "1:2:3",
	"yes", "No", "ON", "off", "y", "n", "True", "FALSE", "null", "Null", "~",
	"- dash", "-", "--", "---", "...", "? key", "key: value", "a #b", "#c", "@at", "`tick", "&anchor", "*alias", "!tag", "%YAML",
	"| lit", "> fold", "'single'", `"double"`, " lead", "trail ", "a\tb", "[x]", "{y}", "a, b", "2001-12-14", "2001-12-14t21:59:43.10-05:00",
	"=", "<<", "x\\y", "é", "Acme Integration & Support", "System Administrator",
}

// randomScalar builds a string from the characters that change how YAML
// reads a scalar, deterministically from r.
func randomScalar(r *rand.Rand) string {
	const alphabet = "0xob1_e.+-: #@&*!|>'\"%`[]{},?~yYnNtT\\ aé"
	n := 1 + r.IntN(8)
	var b strings.Builder
	for range n {
		runes := []rune(alphabet)
		b.WriteRune(runes[r.IntN(len(runes))])
	}
	return b.String()
}

// The spec Skeleton writes reads back to the values it was given, however
// the string would re-type when written plain: a migrated description
// 0x10 or a profile 0o17 stays text.
func TestSkeletonRoundTripsTrickyStrings(t *testing.T) {
	r := rand.New(rand.NewPCG(22, 11))
	cases := slices.Clone(trickyScalars)
	for range 400 {
		cases = append(cases, randomScalar(r))
	}
	for _, s := range cases {
		// A label is one line without edge spaces, and a profile name
		// holds no comma (the external client app joins them with commas).
		label := strings.TrimSpace(s)
		if label == "" || label == "Standard User" || strings.ContainsAny(label, "\t") {
			label = "Label"
		}
		profile := strings.ReplaceAll(label, ",", ";")
		out := SkeletonOf(SkeletonOptions{
			Values: map[string]string{"prefix": "Acme", "app.description": s, "app.label": label, "channel.label": label},
			Lists:  map[string][]string{"app.policies.profiles": {profile, "Standard User"}},
		})
		sp, err := loadMap(fstest.MapFS{"byoc.yaml": {Data: out}, "certs/server.crt": {Data: fixtureCert(t)}})
		if err != nil {
			t.Errorf("%q: the written spec does not load: %v\n%s", s, err, out)
			continue
		}
		if sp.App.Description != s || sp.App.Label != label || sp.Channel.Label != label || !slices.Equal(sp.App.Policies.Profiles, []string{profile, "Standard User"}) {
			t.Errorf("%q reads back as description %q, label %q, channel label %q, profiles %q", s, sp.App.Description, sp.App.Label, sp.Channel.Label, sp.App.Policies.Profiles)
		}
	}
}

// Plain scalars stay plain: quoting is for the values that need it.
func TestYAMLStringPlainWhenSafe(t *testing.T) {
	for in, want := range map[string]string{
		"System Administrator": "System Administrator", "Acme_Integration": "Acme_Integration",
		"0x10": `"0x10"`, "- dash": `"- dash"`, "0o17": `"0o17"`, "yes": `"yes"`, "1_000": `"1_000"`, ".inf": `".inf"`,
	} {
		if got := yamlString(in); got != want {
			t.Errorf("yamlString(%q) = %s, want %s", in, got, want)
		}
	}
}

// The client credentials flow's Run As user needs the flow; the flow
// without one loads with a warning, as Setup lets it be saved so.
func TestClientCredentialsUserNeedsTheFlow(t *testing.T) {
	_, err := loadMap(fstest.MapFS{"byoc.yaml": {Data: []byte(edit(t, baseSpec, "    profiles:", "    clientCredentialsUser: run.as@partner1.example\n    profiles:"))}, "certs/server.crt": {Data: fixtureCert(t)}})
	if err == nil || !strings.Contains(err.Error(), "app.policies.clientCredentialsUser: is the Run As user of the client credentials flow, which is off") {
		t.Errorf("user without the flow: %v", err)
	}
	s, err := loadMap(fstest.MapFS{"byoc.yaml": {Data: []byte(edit(t, baseSpec, "app:\n", "app:\n  clientCredentialsFlow: true\n"))}, "certs/server.crt": {Data: fixtureCert(t)}})
	if err != nil || len(s.Notes) != 1 || !strings.Contains(s.Notes[0].Message, "set app.policies.clientCredentialsUser") {
		t.Errorf("flow without a user: %v %v", err, s)
	}
}
