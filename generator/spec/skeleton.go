package spec

import (
	"bytes"
	"encoding/json"
	"fmt"
	"path"
	"regexp"
	"strconv"
	"strings"
)

// Skeleton returns a commented byoc.yaml: every key with its description,
// the value from values (keyed by path, such as "app.name") or else its
// example or default. Optional booleans are written commented out. When
// customer is true the app block is left out, as the spec requires for
// connectedAppType Customer. schemaRef, when set, is written as the
// yaml-language-server modeline so editors check and complete the file.
func Skeleton(values map[string]string, customer bool, schemaRef string) []byte {
	return SkeletonOf(SkeletonOptions{Values: values, Customer: customer, SchemaRef: schemaRef})
}

// SkeletonOptions are the inputs of SkeletonOf.
type SkeletonOptions struct {
	// Values of string keys, by path ("app.name").
	Values map[string]string
	// Lists are the values of list keys, by path ("app.scopes").
	Lists map[string][]string
	// Customer leaves the app block out (connectedAppType Customer).
	Customer bool
	// SchemaRef is written as the yaml-language-server modeline.
	SchemaRef string
	// Header lines are written as comments after the first lines.
	Header []string
	// Commented are top-level keys written commented out, for the user to
	// complete (a spec migrate writes has no channel yet).
	Commented []string
}

// SkeletonOf returns a commented byoc.yaml as Skeleton does, with list
// values and blocks left for the user to complete.
func SkeletonOf(o SkeletonOptions) []byte {
	var b bytes.Buffer
	if o.SchemaRef != "" {
		fmt.Fprintf(&b, "# yaml-language-server: $schema=%s\n", o.SchemaRef)
	}
	b.WriteString("# byocpack spec: render it with `byocpack render -f byoc.yaml -o out`.\n")
	b.WriteString("# Every key is described in `byocpack schema` and the README.\n")
	for _, h := range o.Header {
		fmt.Fprintf(&b, "# %s\n", h)
	}
	for _, d := range specFields() {
		if !contains(o.Commented, d.key) {
			writeFields(&b, []*field{d}, "", 0, o)
			continue
		}
		// Comment out the value lines only, keeping the indentation, so
		// the block reads as the spec it will be.
		var block bytes.Buffer
		writeFields(&block, []*field{d}, "", 0, o)
		for _, line := range strings.SplitAfter(block.String(), "\n") {
			body := strings.TrimLeft(line, " ")
			if body == "" || strings.HasPrefix(body, "#") {
				b.WriteString(line)
				continue
			}
			b.WriteString(line[:len(line)-len(body)] + "# " + body)
		}
	}
	return b.Bytes()
}

func contains(list []string, s string) bool {
	for _, v := range list {
		if v == s {
			return true
		}
	}
	return false
}

// KeyFileName is where byocpack puts a project's private key, beside the
// project directory: named after the prefix, so that two projects side
// by side never share (or overwrite) one key.
func KeyFileName(prefix string) string {
	return strings.ToLower(prefix) + "-server.key"
}

// KeyFileFor is the key byocpack made with the certificate at
// certificatePath: KeyFileName, numbered as cert rotate numbers the
// certificate (certs/server-2.crt goes with partner1-server-2.key).
func KeyFileFor(prefix, certificatePath string) string {
	stem, ext, _ := RotationNumber(KeyFileName(prefix))
	if _, _, n := RotationNumber(path.Base(certificatePath)); n > 1 {
		return fmt.Sprintf("%s-%d%s", stem, n, ext)
	}
	return stem + ext
}

var rotated = regexp.MustCompile(`^(.*)-(\d+)$`)

// RotationNumber splits a key or certificate path into its stem, its
// extension and the number cert rotate gave it: 1 for server.crt, 2 for
// server-2.crt.
func RotationNumber(p string) (stem, ext string, n int) {
	ext = path.Ext(p)
	stem = strings.TrimSuffix(p, ext)
	if m := rotated.FindStringSubmatch(stem); m != nil {
		if n, err := strconv.Atoi(m[2]); err == nil && n > 1 {
			return m[1], ext, n
		}
	}
	return stem, ext, 1
}

func writeFields(b *bytes.Buffer, defs []*field, prefix string, depth int, o SkeletonOptions) {
	indent := strings.Repeat("  ", depth)
	values, customer := o.Values, o.Customer
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
			keyPrefix, ok := values["prefix"]
			if !ok {
				keyPrefix = findField(specFields(), "prefix").example
			}
			fmt.Fprintf(b, "%s# Make it with its key, which stays outside the project (or run init with --cert):\n", indent)
			fmt.Fprintf(b, "%s#   byocpack cert --out certs --key ../%s\n", indent, KeyFileName(keyPrefix))
		}
		switch d.kind {
		case kindObject:
			fmt.Fprintf(b, "%s%s:\n", indent, d.key)
			writeFields(b, d.fields, p, depth+1, o)
		case kindBool:
			fmt.Fprintf(b, "%s# %s: true\n", indent, d.key)
		case kindStringList:
			given, isGiven := o.Lists[p]
			if d.def == nil && !isGiven {
				// The default depends on other keys (app.type): leave it
				// to the loader.
				fmt.Fprintf(b, "%s# %s: %s\n", indent, d.key, d.example)
				continue
			}
			items := listExample(d)
			if d, ok := d.def.([]string); ok {
				items = d
			}
			if isGiven {
				items = given
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
	// JSON's string syntax is YAML's double-quoted style; HTML escaping
	// (\u0026 for &) would be valid but unreadable.
	var q bytes.Buffer
	enc := json.NewEncoder(&q)
	enc.SetEscapeHTML(false)
	_ = enc.Encode(s)
	return strings.TrimSuffix(q.String(), "\n")
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
