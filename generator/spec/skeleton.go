package spec

import (
	"bytes"
	"encoding/json"
	"fmt"
	"strings"
)

// Skeleton returns a commented byoc.yaml: every key with its description,
// the value from values (keyed by path, such as "app.name") or else its
// example or default. Optional booleans are written commented out. When
// customer is true the app block is left out, as the spec requires for
// connectedAppType Customer. schemaRef, when set, is written as the
// yaml-language-server modeline so editors check and complete the file.
func Skeleton(values map[string]string, customer bool, schemaRef string) []byte {
	var b bytes.Buffer
	if schemaRef != "" {
		fmt.Fprintf(&b, "# yaml-language-server: $schema=%s\n", schemaRef)
	}
	b.WriteString("# byocpack spec: render it with `byocpack render -f byoc.yaml -o out`.\n")
	b.WriteString("# Every key is described in `byocpack schema` and the README.\n")
	writeFields(&b, specFields(), "", 0, values, customer)
	return b.Bytes()
}

func writeFields(b *bytes.Buffer, defs []*field, prefix string, depth int, values map[string]string, customer bool) {
	indent := strings.Repeat("  ", depth)
	for _, d := range defs {
		p := join(prefix, d.key)
		if p == "app" && customer {
			fmt.Fprintf(b, "%s# app: left out, because channel.connectedAppType is Customer: the customer's admin creates the app.\n", indent)
			continue
		}
		if p == "customerApp" && !customer {
			continue
		}
		fmt.Fprintf(b, "%s# %s\n", indent, d.doc)
		if p == "app.certificate" {
			fmt.Fprintf(b, "%s# Make one (keep server.key out of the project):\n", indent)
			fmt.Fprintf(b, "%s#   openssl req -x509 -sha256 -nodes -days 365 -newkey rsa:2048 -keyout server.key -out certs/server.crt\n", indent)
		}
		switch d.kind {
		case kindObject:
			fmt.Fprintf(b, "%s%s:\n", indent, d.key)
			writeFields(b, d.fields, p, depth+1, values, customer)
		case kindBool:
			fmt.Fprintf(b, "%s# %s: true\n", indent, d.key)
		case kindStringList:
			if d.def == nil {
				// The default depends on other keys (app.type): leave it
				// to the loader.
				fmt.Fprintf(b, "%s# %s: %s\n", indent, d.key, d.example)
				continue
			}
			items := listExample(d)
			if d, ok := d.def.([]string); ok {
				items = d
			}
			fmt.Fprintf(b, "%s%s: %s\n", indent, d.key, yamlList(items))
		case kindString:
			v, ok := values[p]
			if !ok {
				v = strings.Trim(d.example, `"`)
				if v == "" {
					v, _ = d.def.(string)
				}
			}
			if p == "channel.connectedAppType" && customer {
				v = Customer
			}
			if v == "" && !d.required {
				fmt.Fprintf(b, "%s# %s: \n", indent, d.key)
				continue
			}
			fmt.Fprintf(b, "%s%s: %s\n", indent, d.key, yamlString(v))
		}
	}
}

// yamlString quotes a value when YAML would read it as something other
// than the same string; JSON's string syntax is valid YAML.
func yamlString(s string) string {
	plain := s != "" && !strings.ContainsAny(s, ":#{}[],&*!|>'\"%@`") &&
		strings.TrimSpace(s) == s && !looksTyped(s)
	if plain {
		return s
	}
	q, _ := json.Marshal(s)
	return string(q)
}

func looksTyped(s string) bool {
	switch strings.ToLower(s) {
	case "true", "false", "yes", "no", "on", "off", "null", "~":
		return true
	}
	return strings.IndexFunc(s, func(r rune) bool { return !(r >= '0' && r <= '9' || r == '.' || r == '-' || r == '+') }) < 0
}

func yamlList(items []string) string {
	quoted := make([]string, len(items))
	for i, it := range items {
		quoted[i] = yamlString(it)
	}
	return "[" + strings.Join(quoted, ", ") + "]"
}
