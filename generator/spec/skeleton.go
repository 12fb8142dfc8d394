package spec

import (
	"bytes"
	"encoding/json"
	"fmt"
	"github.com/byocpack/byocpack/generator/escape"
	"path"
	"regexp"
	"strconv"
	"strings"

	"github.com/goccy/go-yaml/ast"
	"github.com/goccy/go-yaml/parser"
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
	// Bools are the values of boolean keys, by path ("app.pkceRequired");
	// a boolean not here is written commented out.
	Bools map[string]bool
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
		// One comment line each, whatever the line quotes (a value read
		// from a migrated app): a line break would end the comment and
		// write live YAML into the spec.
		fmt.Fprintf(&b, "# %s\n", escape.Line(h))
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
		case kindObjectList:
			// The example is the spec's own prefix and vendor, never a
			// demo partner's.
			pre, ok := values["prefix"]
			if !ok {
				pre = findField(specFields(), "prefix").example
			}
			vendor, ok := values["channel.vendor.name"]
			if !ok {
				vendor = pre + "_Vendor"
			}
			fmt.Fprintf(b, "%s# %s:   # each item has the keys of channel, such as:\n", indent, d.key)
			for _, ch := range []string{"SMS", "WhatsApp"} {
				fmt.Fprintf(b, "%s#   - {name: %s, label: %s %s, vendor: {name: %s, type: BringYourOwnChannelPartner}, event: {name: Message_Event}}\n", indent, ch, pre, ch, vendor)
			}
		case kindObject:
			// An object whose every key is left commented out would read
			// as null, which its JSON Schema refuses: comment it out too.
			var inner bytes.Buffer
			writeFields(&inner, d.fields, p, depth+1, o)
			if onlyComments(inner.String()) {
				fmt.Fprintf(b, "%s# %s:\n", indent, d.key)
			} else {
				fmt.Fprintf(b, "%s%s:\n", indent, d.key)
			}
			b.Write(inner.Bytes())
		case kindBool:
			if v, ok := o.Bools[p]; ok {
				fmt.Fprintf(b, "%s%s: %t\n", indent, d.key, v)
				continue
			}
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
			if p == "package.namespace" && v == "" {
				// A managed package needs one: the key stays in sight.
				fmt.Fprintf(b, "%s# A managed package needs the namespace prefix registered in (and linked to) the Dev Hub;\n", indent)
				fmt.Fprintf(b, "%s# set it before sf package create (render, build, validate and doctor warn while it is empty).\n", indent)
				fmt.Fprintf(b, "%s%s: \"\"\n", indent, d.key)
				continue
			}
			if v == "" && !d.required {
				fmt.Fprintf(b, "%s# %s: \n", indent, d.key)
				continue
			}
			fmt.Fprintf(b, "%s%s: %s\n", indent, d.key, yamlString(v))
		}
	}
}

// yamlString quotes a value unless YAML reads it back, plain, as the same
// string in both places the skeleton writes one: a mapping value and a
// flow-list item. Asking the parser the spec is loaded with, rather than
// listing what re-types (0x10, 0o17, - dash, yes, .inf, 1_000 ...), keeps
// the written spec true to its values by construction. looksTyped adds
// what YAML 1.1 readers (editors) would re-type though goccy does not
// (yes, off). JSON's string
// syntax is YAML's double-quoted style.
func yamlString(s string) string {
	plain := s != "" && !strings.ContainsAny(s, ":#{}[],&*!|>'\"%@`\\") &&
		strings.TrimSpace(s) == s && !strings.ContainsAny(s, "\n\r\t") &&
		!looksTyped(s) && readsBackPlain("k: "+s+"\n", s) && readsBackPlain("k: ["+s+"]\n", s)
	if plain {
		return s
	}
	// HTML escaping (\u0026 for &) would be valid but unreadable.
	var q bytes.Buffer
	enc := json.NewEncoder(&q)
	enc.SetEscapeHTML(false)
	_ = enc.Encode(s)
	return strings.TrimSuffix(q.String(), "\n")
}

// readsBackPlain reports whether doc, a one-key mapping whose value is s
// or a one-item list of s, parses to exactly that string.
func readsBackPlain(doc, s string) bool {
	f, err := parser.ParseBytes([]byte(doc), 0)
	if err != nil || len(f.Docs) != 1 {
		return false
	}
	kv, ok := mappingValues(f.Docs[0].Body)
	if !ok || len(kv) != 1 {
		return false
	}
	v := kv[0].Value
	if seq, isSeq := v.(*ast.SequenceNode); isSeq {
		if len(seq.Values) != 1 {
			return false
		}
		v = seq.Values[0]
	}
	str, isStr := v.(*ast.StringNode)
	return isStr && str.Value == s
}

func yamlList(items []string) string {
	quoted := make([]string, len(items))
	for i, it := range items {
		quoted[i] = yamlString(it)
	}
	return "[" + strings.Join(quoted, ", ") + "]"
}

// looksTyped: words YAML 1.1 reads as booleans or null, and strings of
// digits and signs only, which some reader takes for a number.
func looksTyped(s string) bool {
	switch strings.ToLower(s) {
	case "true", "false", "yes", "no", "on", "off", "y", "n", "null", "~":
		return true
	}
	return strings.IndexFunc(s, func(r rune) bool { return !(r >= '0' && r <= '9' || r == '.' || r == '-' || r == '+') }) < 0
}

// onlyComments reports whether every non-blank line of s is a comment.
func onlyComments(s string) bool {
	for _, line := range strings.Split(s, "\n") {
		if t := strings.TrimSpace(line); t != "" && !strings.HasPrefix(t, "#") {
			return false
		}
	}
	return true
}
