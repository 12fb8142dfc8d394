// Package jsonschema checks a YAML or JSON document against the subset of
// JSON Schema (draft 2020-12) byocpack's own schemas use, as an editor
// would: type, properties, additionalProperties, required, enum, pattern,
// items, uniqueItems and oneOf. It lets tests hold what byocpack writes
// (init's spec, the fixtures) to the schema written beside it.
package jsonschema

import (
	"bytes"
	"encoding/json"
	"fmt"
	"reflect"
	"regexp"
	"slices"

	"github.com/goccy/go-yaml"
)

// Check returns every violation of the YAML (or JSON) document doc
// against schema, each with its path from "spec"; nil when it passes.
func Check(schema, doc []byte) ([]string, error) {
	var s map[string]any
	if err := decode(schema, &s); err != nil {
		return nil, fmt.Errorf("schema: %w", err)
	}
	js, err := yaml.YAMLToJSON(doc)
	if err != nil {
		return nil, err
	}
	var v any
	if err := decode(js, &v); err != nil {
		return nil, err
	}
	return check(s, v, "spec"), nil
}

func decode(data []byte, v any) error {
	d := json.NewDecoder(bytes.NewReader(data))
	d.UseNumber()
	return d.Decode(v)
}

// checkJSONSchema checks v against the subset of JSON Schema the spec's
// schema uses (type, properties, additionalProperties, required, enum,
// pattern, items, uniqueItems, oneOf), as an editor would, and returns every
// violation with its path.
func check(schema map[string]any, v any, at string) []string {
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
			if len(check(a.(map[string]any), v, at)) == 0 {
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
			bad = append(bad, check(sub, x, at+"."+k)...)
		}
	case []any:
		items, _ := schema["items"].(map[string]any)
		for i, x := range v {
			if items != nil {
				bad = append(bad, check(items, x, fmt.Sprintf("%s[%d]", at, i))...)
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
