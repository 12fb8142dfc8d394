package cli

import (
	"encoding/json"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/byocpack/byocpack/generator"
)

// unmarshalResult decodes a command's JSON envelope and its result into v.
func unmarshalResult(stdout string, v any) error {
	var env struct {
		SchemaVersion int             `json:"schemaVersion"`
		Status        string          `json:"status"`
		Result        json.RawMessage `json:"result"`
	}
	if err := json.Unmarshal([]byte(stdout), &env); err != nil {
		return err
	}
	if env.SchemaVersion != envelopeVersion || env.Status == "" {
		return fmt.Errorf("not an envelope: %s", stdout)
	}
	return json.Unmarshal(env.Result, v)
}

// schemaRoot is the schema "$ref"s resolve in.
var schemaRoot map[string]any

// checkSchema checks v against the subset of JSON Schema that
// docs/output.schema.json uses: type, const, enum, required,
// additionalProperties false, properties, items, minimum, $ref to $defs,
// anyOf, and allOf of if/then.
func checkSchema(schema map[string]any, v any, at string) []string {
	var bad []string
	if ref, ok := schema["$ref"].(string); ok {
		name, _ := strings.CutPrefix(ref, "#/$defs/")
		def, ok := schemaRoot["$defs"].(map[string]any)[name].(map[string]any)
		if !ok {
			return []string{at + ": unresolved " + ref}
		}
		return checkSchema(def, v, at)
	}
	if all, ok := schema["allOf"].([]any); ok {
		for _, x := range all {
			sub := x.(map[string]any)
			if cond, ok := sub["if"].(map[string]any); ok {
				if len(checkSchema(cond, v, at)) == 0 {
					bad = append(bad, checkSchema(sub["then"].(map[string]any), v, at)...)
				}
				continue
			}
			bad = append(bad, checkSchema(sub, v, at)...)
		}
	}
	if anyOf, ok := schema["anyOf"].([]any); ok {
		var why []string
		for _, x := range anyOf {
			b := checkSchema(x.(map[string]any), v, at)
			if len(b) == 0 {
				why = nil
				break
			}
			why = append(why, b...)
		}
		bad = append(bad, why...)
	}
	if types, ok := schema["type"]; ok {
		var names []string
		switch t := types.(type) {
		case string:
			names = []string{t}
		case []any:
			for _, x := range t {
				names = append(names, x.(string))
			}
		}
		okType := false
		for _, n := range names {
			switch x := v.(type) {
			case nil:
				okType = okType || n == "null"
			case bool:
				okType = okType || n == "boolean"
			case float64:
				okType = okType || n == "number" || (n == "integer" && x == float64(int64(x)))
			case string:
				okType = okType || n == "string"
			case []any:
				okType = okType || n == "array"
			case map[string]any:
				okType = okType || n == "object"
			}
		}
		if !okType {
			return append(bad, fmt.Sprintf("%s: %v is not of type %v", at, v, types))
		}
	}
	if c, ok := schema["const"]; ok && c != v {
		bad = append(bad, fmt.Sprintf("%s: %v is not %v", at, v, c))
	}
	if enum, ok := schema["enum"].([]any); ok {
		found := false
		for _, e := range enum {
			found = found || e == v
		}
		if !found {
			bad = append(bad, fmt.Sprintf("%s: %v is not one of %v", at, v, enum))
		}
	}
	if m, ok := schema["minimum"].(float64); ok {
		if x, isNum := v.(float64); isNum && x < m {
			bad = append(bad, fmt.Sprintf("%s: %v < %v", at, x, m))
		}
	}
	if obj, ok := v.(map[string]any); ok {
		props, _ := schema["properties"].(map[string]any)
		for _, r := range schemaList(schema["required"]) {
			if _, has := obj[r]; !has {
				bad = append(bad, fmt.Sprintf("%s: lacks %q", at, r))
			}
		}
		for k, val := range obj {
			sub, known := props[k].(map[string]any)
			if !known {
				if schema["additionalProperties"] == false {
					bad = append(bad, fmt.Sprintf("%s: unknown key %q", at, k))
				}
				continue
			}
			bad = append(bad, checkSchema(sub, val, at+"."+k)...)
		}
	}
	if arr, ok := v.([]any); ok {
		if items, ok := schema["items"].(map[string]any); ok {
			for i, x := range arr {
				bad = append(bad, checkSchema(items, x, fmt.Sprintf("%s[%d]", at, i))...)
			}
		}
	}
	return bad
}

func schemaList(v any) []string {
	var out []string
	if l, ok := v.([]any); ok {
		for _, x := range l {
			out = append(out, x.(string))
		}
	}
	return out
}

// TestEveryJSONOutputFollowsTheSchema runs each reporting command with
// --json, succeeding and failing, and checks stdout against
// docs/output.schema.json and the exit code against the envelope's.
func TestEveryJSONOutputFollowsTheSchema(t *testing.T) {
	b, err := os.ReadFile("../../docs/output.schema.json")
	if err != nil {
		t.Fatal(err)
	}
	var schema map[string]any
	if err := json.Unmarshal(b, &schema); err != nil {
		t.Fatal(err)
	}
	schemaRoot = schema
	dir := t.TempDir()
	spec := "../../fixtures/partner1/byoc.yaml"
	out := filepath.Join(dir, "out")
	bad := filepath.Join(dir, "bad.yaml")
	write(t, bad, "prefix: Acme\npackage:\n  nmae: x\n")
	brokenXML := filepath.Join(dir, "X.eca-meta.xml")
	write(t, brokenXML, "<ExternalClientApplication>")
	runs := [][]string{
		{"render", "-f", spec, "-o", out, "--json"},
		{"render", "-f", bad, "-o", out, "--json"},
		{"build", "-f", spec, "-o", out, "--json"},
		{"build", "-f", spec, "-o", out, "--dry-run", "--json"},
		{"package", "-p", out, "--json"},
		{"package", "-p", filepath.Join(dir, "nothere"), "--json"},
		{"validate", out, "--json"},
		{"validate", brokenXML, "--format", "json"},
		{"validate", filepath.Join(dir, "nothere"), "--json"},
		{"diff", spec, spec, "--json"},
		{"diff", spec, filepath.Join(dir, "nothere"), "--json"},
		{"review", spec, "--json"},
		{"explain", "Could not infer a metadata type", "--json"},
		{"version", "--json"},
		{"fmt", "--check", brokenXML, "--json"},
		{"cert", "--out", filepath.Join(dir, "certs"), "--json"},
		{"cert", "--out", filepath.Join(dir, "certs"), "--json"}, // exists: refused
		{"jwt", "--key", filepath.Join(dir, "certs", "server.key"), "--client-id", "3MVG9x", "--user", "u@acme.example", "--cert", filepath.Join(dir, "certs", "server.crt"), "--json"},
		{"jwt", "--key", filepath.Join(dir, "nothere.key"), "--client-id", "3MVG9x", "--user", "u@acme.example", "--json"},
		{"init", "-o", filepath.Join(dir, "init", "byoc.yaml"), "--cert", "--key", filepath.Join(dir, "init.key"), "--json"},
		{"init", "-o", filepath.Join(dir, "init2", "byoc.yaml"), "--json"},
		{"init", "-o", filepath.Join(dir, "init", "byoc.yaml"), "--json"}, // exists: error
		{"schema", "--json"},
		// Usage errors: the flag that fails stops parsing before --json.
		{"validate", "--json", "--bogus", out},
		{"build", "--format", "json", "-f", spec, "--no-such-flag"},
		{"validate", "--json", "--disable"},
	}
	for _, args := range runs {
		code, stdout, stderr := run(t, args...)
		var v any
		if err := json.Unmarshal([]byte(stdout), &v); err != nil {
			t.Errorf("%v: stdout is not JSON (%v):\n%s\nstderr: %s", args, err, stdout, stderr)
			continue
		}
		for _, p := range checkSchema(schema, v, "$") {
			t.Errorf("%v: %s", args, p)
		}
		if m, ok := v.(map[string]any); ok && m["exitCode"] != float64(code) {
			t.Errorf("%v: exit %d but the envelope says %v", args, code, m["exitCode"])
		}
	}
	// A usage error says so in the envelope, with exit 2.
	if code, stdout, _ := run(t, "validate", "--json", "--bogus", out); code != exitUsage || !strings.Contains(stdout, `"exitCode": 2`) || !strings.Contains(stdout, "--bogus") {
		t.Errorf("usage error: exit %d\n%s", code, stdout)
	}
	// No envelope where the command has no JSON output, nor where --json
	// is the value of another flag.
	for _, args := range [][]string{{"validate", "--disable", "--json"}} {
		if _, stdout, _ := run(t, args...); strings.Contains(stdout, "schemaVersion") {
			t.Errorf("%v printed an envelope:\n%s", args, stdout)
		}
	}
	// A conflict is a refusal with the conflicting files in result.
	write(t, filepath.Join(out, "force-app/main/default/externalClientApps/Partner1_ExternalClientApp1.eca-meta.xml"), "mine")
	code, stdout, _ := run(t, "render", "-f", spec, "-o", out, "--json")
	if code != 1 || !strings.Contains(stdout, `"status": "refused"`) || !strings.Contains(stdout, `"conflicts"`) {
		t.Errorf("conflict: exit %d\n%s", code, stdout)
	}
}

// A JSON problem's fix is what the message says after its last "; ",
// unless that is inside an aside in parentheses (the new-user trial saw
// "fix": "the Metadata API deploys either order)" on xsd-order), and the
// problem's own Fix when it has one.
func TestJSONFixIsTheMessagesFix(t *testing.T) {
	for _, c := range []struct{ msg, fix, want string }{
		{"certificate expired; issue a new one", "", "issue a new one"},
		{"<a> in <b> is not in the order Salesforce retrieves it (it belongs before <c>; the Metadata API deploys either order)", "", ""},
		{"x (a; b) is wrong; do y", "", "do y"},
		{"no fix here", "", ""},
		{"cause; message fix", "the problem's fix", "the problem's fix"},
	} {
		got := toJSONProblems([]generator.Problem{{Message: c.msg, Fix: c.fix}})[0].Fix
		if got != c.want {
			t.Errorf("%q: fix %q, want %q", c.msg, got, c.want)
		}
	}
}
