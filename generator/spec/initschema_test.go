package spec

import (
	"bytes"
	"encoding/json"
	"fmt"
	"reflect"
	"regexp"
	"slices"
	"testing"

	"github.com/goccy/go-yaml"
)

// checkJSONSchema checks v against the subset of JSON Schema the spec's
// schema uses (type, properties, additionalProperties, required, enum,
// pattern, items, uniqueItems, oneOf), as an editor would, and returns every
// violation with its path.
func checkJSONSchema(schema map[string]any, v any, at string) []string {
	var bad []string
	fail := func(format string, args ...any) { bad = append(bad, at+": "+fmt.Sprintf(format, args...)) }
	if t, ok := schema["type"]; ok {
		var types []string
		switch t := t.(type) {
		case string:
			types = []string{t}
		case []any:
			for _, x := range t {
				types = append(types, x.(string))
			}
		}
		kind := "null"
		switch v.(type) {
		case map[string]any:
			kind = "object"
		case []any:
			kind = "array"
		case string:
			kind = "string"
		case bool:
			kind = "boolean"
		case json.Number:
			kind = "number"
		}
		if !slices.Contains(types, kind) {
			fail("is %s, the schema wants %v", kind, types)
			return bad
		}
	}
	if e, ok := schema["enum"].([]any); ok && !slices.ContainsFunc(e, func(x any) bool { return reflect.DeepEqual(x, v) }) {
		fail("%v is not in the enum", v)
	}
	if p, ok := schema["pattern"].(string); ok {
		if s, isStr := v.(string); isStr && !regexp.MustCompile(p).MatchString(s) {
			fail("%q does not match %s", s, p)
		}
	}
	if alts, ok := schema["oneOf"].([]any); ok {
		n := 0
		for _, a := range alts {
			if len(checkJSONSchema(a.(map[string]any), v, at)) == 0 {
				n++
			}
		}
		if n != 1 {
			fail("matches %d of the oneOf alternatives, not exactly one", n)
		}
	}
	switch v := v.(type) {
	case map[string]any:
		props, _ := schema["properties"].(map[string]any)
		for _, r := range asStrings(schema["required"]) {
			if _, ok := v[r]; !ok {
				fail("lacks required %s", r)
			}
		}
		for k, x := range v {
			sub, ok := props[k].(map[string]any)
			if !ok {
				if schema["additionalProperties"] == false {
					fail("has unknown key %s", k)
				}
				continue
			}
			bad = append(bad, checkJSONSchema(sub, x, at+"."+k)...)
		}
	case []any:
		items, _ := schema["items"].(map[string]any)
		for i, x := range v {
			if items != nil {
				bad = append(bad, checkJSONSchema(items, x, fmt.Sprintf("%s[%d]", at, i))...)
			}
			if schema["uniqueItems"] == true && slices.ContainsFunc(v[:i], func(y any) bool { return reflect.DeepEqual(x, y) }) {
				fail("repeats %v", x)
			}
		}
	}
	return bad
}

func asStrings(v any) []string {
	var out []string
	if l, ok := v.([]any); ok {
		for _, x := range l {
			out = append(out, x.(string))
		}
	}
	return out
}

// What byocpack init writes passes the JSON Schema it writes beside it:
// every new spec used to fail it for an empty features: block.
func TestInitSpecPassesItsJSONSchema(t *testing.T) {
	var schema map[string]any
	dec := json.NewDecoder(bytes.NewReader(JSONSchema()))
	dec.UseNumber()
	if err := dec.Decode(&schema); err != nil {
		t.Fatal(err)
	}
	for name, sk := range map[string][]byte{
		"external client app": Skeleton(map[string]string{"prefix": "Acme", "package.namespace": "acme"}, false, ""),
		"no namespace":        Skeleton(map[string]string{"prefix": "Acme"}, false, ""),
		"connected app":       Skeleton(map[string]string{"prefix": "Acme", "app.type": ConnectedApp, "app.distributionState": ""}, false, ""),
		"customer":            Skeleton(map[string]string{"prefix": "Acme"}, true, ""),
	} {
		js, err := yaml.YAMLToJSON(sk)
		if err != nil {
			t.Fatalf("%s: %v", name, err)
		}
		var v any
		d := json.NewDecoder(bytes.NewReader(js))
		d.UseNumber()
		if err := d.Decode(&v); err != nil {
			t.Fatalf("%s: %v", name, err)
		}
		if bad := checkJSONSchema(schema, v, "spec"); len(bad) > 0 {
			t.Errorf("%s: init's spec fails its JSON Schema:\n%v\n%s", name, bad, sk)
		}
	}
	// The checker does refuse what the schema refuses.
	if bad := checkJSONSchema(schema, map[string]any{"channel": map[string]any{"features": nil}}, "spec"); len(bad) == 0 {
		t.Error("the checker accepts features: null")
	}
	if bad := checkJSONSchema(schema, map[string]any{"prefix": "A", "package": map[string]any{"name": "A"}, "channel": map[string]any{}, "channels": []any{}}, "spec"); len(bad) == 0 {
		t.Error("the schema accepts channel and channels together")
	}
}
