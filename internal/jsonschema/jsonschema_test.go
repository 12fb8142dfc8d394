package jsonschema

import (
	"strings"
	"testing"
)

const schema = `{"type": "object", "additionalProperties": false, "required": ["name"],
  "properties": {
    "name": {"type": "string", "pattern": "^[A-Z]"},
    "kind": {"type": "string", "enum": ["A", "B"]},
    "version": {"type": ["string", "number"]},
    "tags": {"type": "array", "items": {"type": "string"}, "uniqueItems": true},
    "opts": {"type": "object", "properties": {"on": {"type": "boolean"}}}
  },
  "oneOf": [{"required": ["kind"]}, {"required": ["tags"]}]}`

func TestCheck(t *testing.T) {
	for doc, want := range map[string]string{
		"name: Acme\nkind: A\nversion: 66.0\nopts: {on: true}\n": "",
		"name: acme\nkind: A\n":                                  `spec.name: "acme" does not match ^[A-Z]`,
		"name: Acme\nkind: C\n":                                  "spec.kind: C is not in the enum",
		"name: Acme\nkind: A\nother: 1\n":                        "spec: has unknown key other",
		"kind: A\n":                                              "spec: lacks required name",
		"name: Acme\ntags: [a, a]\n":                             "spec.tags: repeats a",
		"name: Acme\nkind: A\nopts:\n":                           "spec.opts: is null, the schema wants [object]",
		"name: Acme\nkind: A\ntags: [a]\n":                       "spec: matches 2 of the oneOf alternatives, not exactly one",
	} {
		bad, err := Check([]byte(schema), []byte(doc))
		if err != nil {
			t.Fatalf("%q: %v", doc, err)
		}
		if got := strings.Join(bad, "; "); got != want {
			t.Errorf("%q: %q, want %q", doc, got, want)
		}
	}
}
