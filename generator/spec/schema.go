package spec

import (
	"bytes"
	"encoding/json"
	"strings"
)

// JSONSchema returns the JSON Schema (draft 2020-12) of byoc.yaml, built
// from the loader's own field definitions, so an editor checks exactly
// what `byocpack render` checks, short of the rules that span keys.
func JSONSchema() []byte {
	root := objectSchema(specFields())
	// The one rule across keys an editor can check: a spec has channel or
	// channels, not both.
	root = append(root, struct {
		k string
		v any
	}{"oneOf", []jsonObject{{{"required", []string{"channel"}}}, {{"required", []string{"channels"}}}}})
	root = append(jsonObject{
		{"$schema", "https://json-schema.org/draft/2020-12/schema"},
		{"title", "byocpack spec (byoc.yaml)"},
		{"description", "One declarative spec for a Salesforce BYOC (Bring Your Own Channel) managed package."},
	}, root...)
	out, err := json.Marshal(root)
	if err != nil {
		panic(err) // the schema is built from literals only
	}
	var b bytes.Buffer
	_ = json.Indent(&b, out, "", "  ")
	b.WriteByte('\n')
	return b.Bytes()
}

// jsonObject is an ordered JSON object, so the schema's bytes are stable.
type jsonObject []struct {
	k string
	v any
}

func (o jsonObject) MarshalJSON() ([]byte, error) {
	var b bytes.Buffer
	b.WriteByte('{')
	for i, kv := range o {
		if i > 0 {
			b.WriteByte(',')
		}
		k, _ := json.Marshal(kv.k)
		v, err := json.Marshal(kv.v)
		if err != nil {
			return nil, err
		}
		b.Write(k)
		b.WriteByte(':')
		b.Write(v)
	}
	b.WriteByte('}')
	return b.Bytes(), nil
}

func objectSchema(defs []*field) jsonObject {
	props := jsonObject{}
	var required []string
	for _, d := range defs {
		props = append(props, struct {
			k string
			v any
		}{d.key, fieldSchema(d)})
		if d.required {
			required = append(required, d.key)
		}
	}
	o := jsonObject{{"type", "object"}, {"additionalProperties", false}, {"properties", props}}
	if len(required) > 0 {
		o = append(o, struct {
			k string
			v any
		}{"required", required})
	}
	return o
}

func fieldSchema(d *field) jsonObject {
	var o jsonObject
	add := func(k string, v any) {
		o = append(o, struct {
			k string
			v any
		}{k, v})
	}
	add("description", d.doc)
	switch d.kind {
	case kindObject:
		o = append(o, objectSchema(d.fields)...)
		return o
	case kindObjectList:
		add("type", "array")
		add("minItems", 1)
		add("items", objectSchema(d.fields))
		return o
	case kindBool:
		add("type", "boolean")
	case kindString:
		if d.number {
			add("type", []string{"string", "number"})
		} else {
			add("type", "string")
		}
		if d.pattern != "" {
			add("pattern", d.pattern)
		}
		if len(d.enum) > 0 {
			if d.number {
				add("enum", append(anySlice(d.enum), numbers(d.enum)...))
			} else {
				add("enum", d.enum)
			}
		}
	case kindStringList:
		items := jsonObject{{"type", "string"}}
		if len(d.enum) > 0 {
			items = append(items, struct {
				k string
				v any
			}{"enum", d.enum})
		}
		add("type", "array")
		add("items", items)
		if d.unique {
			add("uniqueItems", true)
		}
	}
	if d.def != nil && !d.required {
		add("default", d.def)
	}
	if d.example != "" {
		add("examples", []string{strings.Trim(d.example, `"`)})
	}
	return o
}

func anySlice(ss []string) []any {
	out := make([]any, len(ss))
	for i, s := range ss {
		out[i] = s
	}
	return out
}

// numbers lets an editor accept apiVersion: 66.0 unquoted, as the loader
// does.
func numbers(ss []string) []any {
	out := make([]any, len(ss))
	for i, s := range ss {
		out[i] = json.Number(s)
	}
	return out
}
