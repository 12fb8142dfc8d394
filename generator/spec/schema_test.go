package spec

import (
	"bytes"
	"encoding/json"
	"errors"
	"os"
	"path/filepath"
	"reflect"
	"slices"
	"strings"
	"testing"
	"testing/fstest"

	"github.com/byocpack/byocpack/internal/diag"
)

// baseJSON is baseSpec written as JSON.
const baseJSON = `{
  "prefix": "Partner1",
  "package": {
    "name": "Partner1 Messaging",
    "namespace": "partner1",
    "versionNumber": "1.0.0.NEXT",
    "apiVersion": "66.0"
  },
  "app": {
    "name": "ExternalClientApp1",
    "contactEmail": "dev@partner1.example",
    "callbackUrl": "https://login.salesforce.com",
    "scopes": ["interaction_api", "refresh_token"],
    "certificate": "certs/server.crt",
    "policies": {"permittedUsers": "AdminApprovedPreAuthorized", "profiles": ["System Administrator"]}
  },
  "channel": {
    "name": "ChannelDefinition1",
    "label": "Partner1 Messaging",
    "vendor": {"name": "Vendor1", "type": "BringYourOwnChannelPartner"},
    "event": {"name": "Message_Event", "typeField": "EventType", "payloadField": "Payload"},
    "features": {"keywords": true}
  }
}
`

func TestLoadJSON(t *testing.T) {
	if !json.Valid([]byte(baseJSON)) {
		t.Fatal("baseJSON is not JSON")
	}
	cert := fixtureCert(t)
	fsys := fstest.MapFS{
		"byoc.yaml":        {Data: []byte(baseSpec)},
		"byoc.json":        {Data: []byte(baseJSON)},
		"certs/server.crt": {Data: cert},
	}
	fromYAML, err := Load(fsys, "byoc.yaml", "spec")
	if err != nil {
		t.Fatal(err)
	}
	fromJSON, err := Load(fsys, "byoc.json", "spec")
	if err != nil {
		t.Fatal(err)
	}
	// Where each key is written differs between the two files.
	fromJSON.positions, fromYAML.positions = nil, nil
	if !reflect.DeepEqual(fromJSON, fromYAML) {
		t.Errorf("JSON spec:\n%s\nYAML spec:\n%s", specString(fromJSON), specString(fromYAML))
	}

	tests := []struct {
		name, old, new string
		want           []string
	}{
		{"number for text", `"prefix": "Partner1"`, `"prefix": 123`, []string{
			"byoc.json:2:13: error spec: prefix: expected text, found the number 123; quote it if you mean the text: \"123\"",
		}},
		{"unknown key", `"vendor": {"name"`, `"vendor": {"nmae"`, []string{
			"byoc.json:20:16: error spec: channel.vendor.name: missing required key; add name: Vendor1 (developerName of the vendor record)",
			"byoc.json:20:16: error spec: channel.vendor.nmae: unknown key (did you mean \"name\"?); valid keys under channel.vendor are name, label, type",
		}},
		{"bad scope", `["interaction_api", "refresh_token"]`, `["interaction_api", "refresh_tokens"]`, []string{
			"byoc.json:13:35: error spec: app.scopes[1]: \"refresh_tokens\" is not allowed (did you mean \"refresh_token\"?); use one of api, web, full, chatter_api, refresh_token, openid, profile, email, address, phone, offline_access, custom_permissions, wave_api, eclair_api, pardot_api, lightning, content, cdp_ingest_api, cdp_profile_api, cdp_query_api, chatbot_api, cdp_segment_api, cdp_identityresolution_api, cdp_calculated_insight_api, forgot_password, user_registration_api, sfap_api, interaction_api, cdp_api, einstein_gpt_api, pwdless_login_api",
		}},
		{"missing comma", `"name": "Partner1 Messaging",`, `"name": "Partner1 Messaging"`, []string{
			"byoc.json:5:5: error spec: not valid YAML: ',' or '}' must be specified; fix the syntax (indent with spaces, quote values containing ': ')",
		}},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			src := edit(t, baseJSON, tc.old, tc.new)
			_, err := Load(fstest.MapFS{"byoc.json": {Data: []byte(src)}, "certs/server.crt": {Data: cert}}, "byoc.json", "")
			if got := problemLines(t, err); !slices.Equal(got, tc.want) {
				t.Errorf("problems:\n%s\nwant:\n%s", strings.Join(got, "\n"), strings.Join(tc.want, "\n"))
			}
		})
	}
}

func golden(t *testing.T, path string, got []byte) {
	t.Helper()
	if *update {
		if err := os.WriteFile(path, got, 0o644); err != nil {
			t.Fatal(err)
		}
		return
	}
	want, err := os.ReadFile(path)
	if err != nil {
		t.Fatalf("%v (run go test ./generator/spec -update to create it)", err)
	}
	if !bytes.Equal(got, want) {
		t.Errorf("%s is stale; run go test ./generator/spec -update and review the diff.\ngot:\n%s", path, got)
	}
}

func TestSkeleton(t *testing.T) {
	cert := fixtureCert(t)
	for _, customer := range []bool{false, true} {
		name := "skeleton.yaml"
		if customer {
			name = "skeleton-customer.yaml"
		}
		t.Run(name, func(t *testing.T) {
			out := Skeleton(nil, customer, "../docs/byoc.schema.json")
			if again := Skeleton(nil, customer, "../docs/byoc.schema.json"); !bytes.Equal(out, again) {
				t.Fatal("Skeleton is not stable from one call to the next")
			}
			golden(t, filepath.Join("testdata", name), out)

			fsys := fstest.MapFS{"byoc.yaml": {Data: out}}
			if !customer {
				// Without the certificate, the one problem is the missing file.
				_, err := loadMap(fsys)
				want := "byoc.yaml:47:16: error spec: app.certificate: cannot read certs/server.crt: file does not exist; give the path of the PEM certificate relative to the spec (openssl x509 -req ... -out server.crt)"
				if got := strings.Join(problemLines(t, err), "\n"); got != want {
					t.Errorf("without a certificate:\n got %s\nwant %s", got, want)
				}
				fsys["certs/server.crt"] = &fstest.MapFile{Data: cert}
			}
			s, err := loadMap(fsys)
			if err != nil {
				t.Fatalf("Skeleton output does not load:\n%v", err)
			}
			if got := s.App != nil; got == customer {
				t.Errorf("customer=%v: App present = %v", customer, got)
			}
			wantType := Partner
			if customer {
				wantType = Customer
			}
			if s.Channel.ConnectedAppType != wantType || s.Prefix != "Partner1" || s.Package.APIVersion != LatestAPIVersion() {
				t.Errorf("customer=%v: got connectedAppType %q, prefix %q, apiVersion %q", customer, s.Channel.ConnectedAppType, s.Prefix, s.Package.APIVersion)
			}
		})
	}
}

// Values given to Skeleton come back from Load unchanged, however YAML
// would otherwise read them.
func TestSkeletonValuesRoundTrip(t *testing.T) {
	values := map[string]string{
		"prefix":                     "Acme",
		"package.name":               "Acme: Messaging #1",
		"package.versionName":        "yes",
		"package.versionDescription": "1.5",
		"package.apiVersion":         "64.0",
		"app.name":                   "AcmeApp",
		"app.description":            `say "hi" & {more}`,
		"app.contactEmail":           "ops@acme.example",
		"channel.name":               "AcmeChannel",
		"channel.label":              "- Acme, [Messaging]",
		"channel.vendor.label":       "null",
	}
	out := Skeleton(values, false, "")
	s, err := loadMap(fstest.MapFS{"byoc.yaml": {Data: out}, "certs/server.crt": {Data: fixtureCert(t)}})
	if err != nil {
		t.Fatalf("%v\n%s", err, out)
	}
	got := map[string]string{
		"prefix":                     s.Prefix,
		"package.name":               s.Package.Name,
		"package.versionName":        s.Package.VersionName,
		"package.versionDescription": s.Package.Description,
		"package.apiVersion":         s.Package.APIVersion,
		"app.name":                   s.App.Name,
		"app.description":            s.App.Description,
		"app.contactEmail":           s.App.ContactEmail,
		"channel.name":               s.Channel.Name,
		"channel.label":              s.Channel.Label,
		"channel.vendor.label":       s.Channel.Vendor.Label,
	}
	if !reflect.DeepEqual(got, values) {
		t.Errorf("round trip:\n got %v\nwant %v\n%s", got, values, out)
	}
}

func TestJSONSchemaGolden(t *testing.T) {
	golden(t, "../../docs/byoc.schema.json", JSONSchema())
}

// The schema describes exactly the keys the loader accepts, with the same
// required keys, enums and kinds.
func TestJSONSchemaMatchesFields(t *testing.T) {
	var root map[string]any
	if err := json.Unmarshal(JSONSchema(), &root); err != nil {
		t.Fatalf("schema is not JSON: %v", err)
	}
	if root["$schema"] != "https://json-schema.org/draft/2020-12/schema" {
		t.Errorf("$schema = %v", root["$schema"])
	}
	var walk func(path string, defs []*field, obj map[string]any)
	walk = func(path string, defs []*field, obj map[string]any) {
		if obj["type"] != "object" || obj["additionalProperties"] != false {
			t.Errorf("%s: type %v additionalProperties %v, want a closed object", path, obj["type"], obj["additionalProperties"])
		}
		props, _ := obj["properties"].(map[string]any)
		var wantReq []string
		for _, d := range defs {
			p := join(path, d.key)
			if d.required {
				wantReq = append(wantReq, d.key)
			}
			ps, ok := props[d.key].(map[string]any)
			if !ok {
				t.Errorf("%s: accepted by the loader, missing from the schema", p)
				continue
			}
			if ps["description"] != d.doc || d.doc == "" {
				t.Errorf("%s: description %q, want %q (non-empty)", p, ps["description"], d.doc)
			}
			switch d.kind {
			case kindObject:
				walk(p, d.fields, ps)
			case kindBool:
				if ps["type"] != "boolean" {
					t.Errorf("%s: type %v, want boolean", p, ps["type"])
				}
			case kindString:
				wantType := any("string")
				if d.number {
					wantType = []any{"string", "number"}
				}
				if !reflect.DeepEqual(ps["type"], wantType) {
					t.Errorf("%s: type %v, want %v", p, ps["type"], wantType)
				}
				for _, e := range d.enum {
					if !slices.Contains(ps["enum"].([]any), any(e)) {
						t.Errorf("%s: enum lacks %q", p, e)
					}
				}
			case kindStringList:
				items, _ := ps["items"].(map[string]any)
				if ps["type"] != "array" || items["type"] != "string" {
					t.Errorf("%s: type %v items %v, want an array of strings", p, ps["type"], items)
				}
				if d.enum != nil && len(items["enum"].([]any)) != len(d.enum) {
					t.Errorf("%s: items enum %v, want %v", p, items["enum"], d.enum)
				}
			}
		}
		for k := range props {
			if findField(defs, k) == nil {
				t.Errorf("%s: in the schema, unknown to the loader", join(path, k))
			}
		}
		var gotReq []string
		if r, ok := obj["required"].([]any); ok {
			for _, k := range r {
				gotReq = append(gotReq, k.(string))
			}
		}
		if !slices.Equal(gotReq, wantReq) {
			t.Errorf("%s: required %v, want %v", path, gotReq, wantReq)
		}
	}
	walk("", specFields(), root)
}

// Every default in the schema is one the loader accepts: a spec that
// spells out each default loads to the same Spec as one that omits them.
func TestSchemaDefaultsAreAccepted(t *testing.T) {
	cert := fixtureCert(t)
	var b strings.Builder
	var write func(defs []*field, depth int)
	write = func(defs []*field, depth int) {
		ind := strings.Repeat("  ", depth)
		for _, d := range defs {
			if d.key == "customerApp" {
				continue // for a Customer channel only; TestCustomerAppDefaults
			}
			if d.kind == kindObject {
				b.WriteString(ind + d.key + ":\n")
				write(d.fields, depth+1)
				continue
			}
			if d.def == nil {
				continue
			}
			v, _ := json.Marshal(d.def)
			b.WriteString(ind + d.key + ": " + string(v) + "\n")
		}
	}
	write(specFields(), 0)
	// Add what has no default: the required values of the base spec.
	defaults := b.String()
	for _, kv := range [][2]string{
		{"package:\n", "prefix: Partner1\npackage:\n  name: Partner1 Messaging\n"},
		{"app:\n", "app:\n  name: ExternalClientApp1\n  contactEmail: dev@partner1.example\n  certificate: certs/server.crt\n"},
		{"channel:\n", "channel:\n  name: ChannelDefinition1\n  label: Partner1 Messaging\n"},
		{"  vendor:\n", "  vendor:\n    name: Vendor1\n    type: BringYourOwnChannelPartner\n"},
		{"  event:\n", "  event:\n    name: Message_Event\n"},
	} {
		defaults = strings.Replace(defaults, kv[0], kv[1], 1)
	}
	minimal := `prefix: Partner1
package: {name: Partner1 Messaging}
app: {name: ExternalClientApp1, contactEmail: dev@partner1.example, certificate: certs/server.crt}
channel:
  name: ChannelDefinition1
  label: Partner1 Messaging
  vendor: {name: Vendor1, type: BringYourOwnChannelPartner}
  event: {name: Message_Event}
`
	fsys := fstest.MapFS{"full.yaml": {Data: []byte(defaults)}, "min.yaml": {Data: []byte(minimal)}, "certs/server.crt": {Data: cert}}
	full, err := Load(fsys, "full.yaml", "x")
	if err != nil {
		t.Fatalf("%v\n%s", err, defaults)
	}
	min, err := Load(fsys, "min.yaml", "x")
	if err != nil {
		t.Fatal(err)
	}
	// The notes point at where each spec writes the key.
	if len(full.Notes) != len(min.Notes) {
		t.Errorf("notes: %v and %v", full.Notes, min.Notes)
	}
	full.positions, min.positions, full.Notes, min.Notes = nil, nil, nil, nil
	if !reflect.DeepEqual(full, min) {
		t.Errorf("defaults written out:\n%s\nleft out:\n%s", specString(full), specString(min))
	}
}

func FuzzLoad(f *testing.F) {
	cert, err := os.ReadFile("../../fixtures/partner1/certs/server.crt")
	if err != nil {
		f.Fatal(err)
	}
	f.Add([]byte(baseSpec))
	f.Add([]byte(baseJSON))
	f.Fuzz(func(t *testing.T, data []byte) {
		fsys := fstest.MapFS{"byoc.yaml": {Data: data}, "certs/server.crt": {Data: cert}}
		s, err := Load(fsys, "byoc.yaml", "spec.yaml")
		if err == nil {
			if s == nil || s.File != "spec.yaml" {
				t.Fatalf("no error and spec %v", s)
			}
			return
		}
		if s != nil {
			t.Fatalf("both a spec and an error: %v", err)
		}
		var list diag.List
		if !errors.As(err, &list) || len(list) == 0 {
			t.Fatalf("error %T %v, want a non-empty diag.List", err, err)
		}
		for _, p := range list {
			if p.File != "spec.yaml" || p.Rule != RuleSpec || p.Severity != diag.Error || p.Line < 1 || p.Column < 1 || p.Message == "" {
				t.Fatalf("problem %#v does not name the file with a position", p)
			}
		}
		if !slices.IsSortedFunc(list, diag.Compare) {
			t.Fatalf("problems are not sorted:\n%v", err)
		}
	})
}
