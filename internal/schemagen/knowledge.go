package schemagen

import (
	"bytes"
	"encoding/xml"
	"errors"
	"fmt"
	"go/format"
	"io"
	"path/filepath"
	"slices"
	"strings"

	"github.com/byocpack/byocpack/internal/fsutil"
)

// topFields returns the top-level fields of complexType name: the elements
// of the sequences of its base types, outermost base first, then its own,
// in WSDL order. It fails on a content model it does not know (choice,
// group, attributes, simple content) rather than list fields that mean
// something else.
func (w *wsdl) topFields(name string) ([]string, error) {
	var fields []string
	for seen := map[string]bool{}; name != ""; {
		if seen[name] {
			return nil, fmt.Errorf("type %q extends itself", name)
		}
		seen[name] = true
		i, ok := w.types[name]
		if !ok {
			return nil, fmt.Errorf("type %q is referenced but not defined", name)
		}
		own, base, err := sequenceOf(w.blocks[i], w.xsdPrefix, w.tnsPrefix)
		if err != nil {
			return nil, err
		}
		fields = append(own, fields...)
		name = base
	}
	return fields, nil
}

// sequenceOf reads one complexType block: the names of the elements of its
// sequence and the local name of its extension base, if any.
func sequenceOf(b block, xsdPrefix, tnsPrefix string) (names []string, base string, err error) {
	// The element paths a field may sit at; what is inside a field (an
	// inline type) is the field's business, not a top-level field.
	allowed := map[string]bool{
		"complexType":                                   true,
		"complexType/sequence":                          true,
		"complexType/complexContent":                    true,
		"complexType/complexContent/extension":          true,
		"complexType/complexContent/extension/sequence": true,
	}
	d := xml.NewDecoder(bytes.NewReader(b.raw))
	var stack []string
	inField := 0 // depth of the open field element, 0 when none
	for {
		tok, err := d.RawToken()
		if err == io.EOF {
			return names, base, nil
		}
		if err != nil {
			return nil, "", fmt.Errorf("%s: %w", b.name, err)
		}
		switch t := tok.(type) {
		case xml.StartElement:
			stack = append(stack, t.Name.Local)
			if inField > 0 {
				continue
			}
			where := strings.Join(stack, "/")
			switch {
			case t.Name.Space != xsdPrefix:
				return nil, "", fmt.Errorf("%s: element %s:%s is outside the XML Schema namespace", b.name, t.Name.Space, t.Name.Local)
			case t.Name.Local == "element" && allowed[strings.Join(stack[:len(stack)-1], "/")] && strings.HasSuffix(where, "sequence/element"):
				name := attr(t, "name")
				if name == "" {
					return nil, "", fmt.Errorf("%s: a sequence element has no name", b.name)
				}
				names = append(names, name)
				inField = len(stack)
			case !allowed[where]:
				return nil, "", fmt.Errorf("%s: <%s> at %s is not a content model schemagen reads", b.name, t.Name.Local, where)
			case t.Name.Local == "extension":
				prefix, local, ok := strings.Cut(attr(t, "base"), ":")
				if !ok || prefix != tnsPrefix {
					return nil, "", fmt.Errorf("%s: extension base %q is not a type of the metadata namespace", b.name, attr(t, "base"))
				}
				base = local
			}
		case xml.EndElement:
			if len(stack) == inField {
				inField = 0
			}
			stack = stack[:len(stack)-1]
		}
	}
}

func attr(t xml.StartElement, local string) string {
	for _, a := range t.Attr {
		if a.Name.Space == "" && a.Name.Local == local {
			return a.Value
		}
	}
	return ""
}

// window is a run of consecutive WSDL versions, by index into
// Result.Versions, in which a type has a field.
type window struct {
	field       string
	first, last int
}

// Knowledge writes the Go source of internal/apiver's generated data: the
// API versions of the WSDLs read and, for each root type, every top-level
// field with the runs of versions that have it.
func Knowledge(res Result) ([]byte, error) {
	majors, index, err := consecutiveMajors(res.Versions)
	if err != nil {
		return nil, err
	}
	present := map[string]map[string][]bool{} // type -> field -> per version
	for _, tf := range res.Fields {
		i, ok := index[tf.Version]
		if !ok {
			return nil, fmt.Errorf("schemagen: knowledge: fields of %s for version %s, which no WSDL gave", tf.Type, tf.Version)
		}
		if present[tf.Type] == nil {
			present[tf.Type] = map[string][]bool{}
		}
		for _, f := range tf.Fields {
			if present[tf.Type][f] == nil {
				present[tf.Type][f] = make([]bool, len(res.Versions))
			}
			present[tf.Type][f][i] = true
		}
	}
	types := make([]string, 0, len(present))
	for t := range present {
		types = append(types, t)
	}
	slices.Sort(types)

	var b bytes.Buffer
	writeProvenance(&b, res, "Run `make schemas` after adding a WSDL or a root type.")
	b.WriteString("// wsdlVersions are the API versions of the bundled WSDLs, oldest first.\n")
	b.WriteString("func wsdlVersions() []Version {\n\treturn []Version{")
	for i, m := range majors {
		if i > 0 {
			b.WriteString(", ")
		}
		fmt.Fprintf(&b, "{%d}", m)
	}
	b.WriteString("}\n}\n\n")
	b.WriteString("// wsdlTypes are the metadata types with a generated schema, sorted.\n")
	b.WriteString("func wsdlTypes() []string {\n\treturn []string{\n")
	for _, t := range types {
		fmt.Fprintf(&b, "\t\t%q,\n", t)
	}
	b.WriteString("\t}\n}\n\n")
	b.WriteString("// wsdlFields returns the top-level fields of typ, sorted by name, each with\n")
	b.WriteString("// the first and last API version of a run of WSDLs that have it; nil for a\n")
	b.WriteString("// type without a schema.\n")
	b.WriteString("func wsdlFields(typ string) []fieldWindow {\n\tswitch typ {\n")
	for _, t := range types {
		fmt.Fprintf(&b, "\tcase %q:\n\t\treturn []fieldWindow{\n", t)
		for _, w := range windows(present[t]) {
			fmt.Fprintf(&b, "\t\t\t{%q, %d, %d},\n", w.field, majors[w.first], majors[w.last])
		}
		b.WriteString("\t\t}\n")
	}
	b.WriteString("\t}\n\treturn nil\n}\n")
	src, err := format.Source(b.Bytes())
	if err != nil {
		return nil, fmt.Errorf("schemagen: knowledge: generated Go does not parse: %w", err)
	}
	return src, nil
}

// consecutiveMajors returns the major numbers of the WSDL versions read,
// and each version's index, checking that they follow each other: windows
// are runs of consecutive versions, and a missing WSDL in the middle would
// make a gap look like a value that never left.
func consecutiveMajors(versions []Source) ([]int, map[string]int, error) {
	if len(versions) == 0 {
		return nil, nil, errors.New("schemagen: knowledge: no WSDL was read")
	}
	majors := make([]int, len(versions))
	index := map[string]int{}
	for i, v := range versions {
		majors[i], index[v.Version] = majorOf(v.Version), i
		if i > 0 && majors[i] != majors[i-1]+1 {
			return nil, nil, fmt.Errorf("schemagen: knowledge: WSDL versions %s and %s are not consecutive; add the WSDLs in between", versions[i-1].Version, v.Version)
		}
	}
	return majors, index, nil
}

// writeProvenance starts a generated file of package apiver: what it was
// generated from, how to regenerate it, and the WSDL's header and licence,
// as the licence requires of anything derived from the WSDL.
func writeProvenance(b *bytes.Buffer, res Result, runHint string) {
	first, last := res.Versions[0], res.Versions[len(res.Versions)-1]
	fmt.Fprintf(b, "// Code generated by internal/tools/schemagen from %s to %s; DO NOT EDIT.\n", first.Name, last.Name)
	b.WriteString("// " + runHint + "\n//\n")
	b.WriteString("// Derived from the Salesforce Metadata API WSDLs, whose newest header reads:\n//\n")
	writeComment(b, last.Header)
	b.WriteString("//\n// They are distributed under the following licence (" + licenseTitle + ", " + licenseFile + "):\n//\n")
	writeComment(b, res.License)
	b.WriteString("\npackage apiver\n\n")
}

// windows turns per-version presence into runs, sorted by field name and
// then version.
func windows(fields map[string][]bool) []window {
	names := make([]string, 0, len(fields))
	for f := range fields {
		names = append(names, f)
	}
	slices.Sort(names)
	var out []window
	for _, f := range names {
		start := -1
		for i, ok := range append(fields[f], false) {
			switch {
			case ok && start < 0:
				start = i
			case !ok && start >= 0:
				out = append(out, window{f, start, i - 1})
				start = -1
			}
		}
	}
	return out
}

// writeComment writes text as // lines, a blank line as a bare //.
func writeComment(b *bytes.Buffer, text string) {
	for l := range strings.SplitSeq(text, "\n") {
		if l = strings.TrimRight(l, " \t"); l == "" {
			b.WriteString("//\n")
		} else {
			b.WriteString("//\t" + l + "\n")
		}
	}
}

// WriteKnowledge writes Knowledge(res) to file.
func WriteKnowledge(file string, res Result) error { return writeGenerated(file, Knowledge, res) }

// writeGenerated writes what gen makes of res to file.
func writeGenerated(file string, gen func(Result) ([]byte, error), res Result) error {
	src, err := gen(res)
	if err != nil {
		return err
	}
	return fsutil.WriteFile(filepath.Dir(file), filepath.Base(file), src, 0o644, true)
}
