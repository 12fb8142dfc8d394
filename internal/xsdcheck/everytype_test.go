package xsdcheck

import (
	"bytes"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"os/exec"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"github.com/byocpack/byocpack/internal/diag"
	"github.com/byocpack/byocpack/internal/model"
	"github.com/byocpack/byocpack/schemas"
)

// The mutant test of every type: for sampled root types of every bundled
// version (Flow, Profile, PermissionSet, Layout and FlexiPage among them),
// a document of the type is built from its content model — its required
// elements and one top-level element of each kind a mutation needs — and
// mutated the ways a deploy refuses: an unknown element, a bad
// enumeration value, a non-boolean boolean, a non-repeatable element
// twice, a repeated element split by another, a required element missing.
// Each mutant must be an error at its line in the deploy verdict, and
// the XSD verdict must equal xmllint's on it and on the original, which
// must be valid. xmllint is skipped only where it is absent, never under
// CI=true.

// typesByVersion assigns every root type of every bundled version to one
// version it exists in (by a hash of its name, so the versions share the
// work and the choice never changes), and adds the large everyday types
// (Flow, Profile, ...) to every version: every type is judged in at least
// one version.
func typesByVersion(t *testing.T, set *model.Set) map[string][]string {
	t.Helper()
	versionsOf := map[string][]string{}
	for _, v := range set.Versions() {
		m, err := set.Get(v)
		if err != nil {
			t.Fatal(err)
		}
		for _, r := range m.Roots() {
			versionsOf[r] = append(versionsOf[r], v)
		}
	}
	out := map[string][]string{}
	for typ, vs := range versionsOf {
		h := 0
		for _, c := range typ {
			h = h*31 + int(c)
		}
		v := vs[(h&0x7fffffff)%len(vs)]
		out[v] = append(out[v], typ)
	}
	for _, v := range set.Versions() {
		m, _ := set.Get(v)
		for _, typ := range []string{"Flow", "Profile", "PermissionSet", "Layout", "FlexiPage", "CustomObject"} {
			if m.Root(typ) != nil {
				out[v] = append(out[v], typ)
			}
		}
		slices.Sort(out[v])
		out[v] = slices.Compact(out[v])
	}
	return out
}

// genDoc writes a document of one type, one element per line.
type genDoc struct {
	b     strings.Builder
	line  int
	lines map[string]int // "kind" -> line of the element a mutant changes
}

func (g *genDoc) emit(depth int, s string) {
	g.b.WriteString(strings.Repeat("    ", depth) + s + "\n")
	g.line++
}

// value is a valid value of a simple element; ok is false when the
// element's type has patterns or length facets this generator does not
// satisfy.
func value(e *model.Element) (string, bool) {
	b := e.Builtin()
	if st := e.Simple(); st != nil {
		if len(st.Enum) > 0 {
			return st.Enum[0], true
		}
		if len(st.Patterns) > 0 || st.Length >= 0 || st.MinLength > 1 {
			return "", false
		}
		b = st.Base
	}
	switch b {
	case model.Boolean:
		return "true", true
	case model.Int, model.Long:
		return "1", true
	case model.Double:
		return "1.5", true
	case model.Date:
		return "2024-01-31", true
	case model.DateTime:
		return "2024-01-31T10:00:00.000Z", true
	case model.Time:
		return "10:00:00.000Z", true
	case model.Base64Binary:
		return "QUJD", true
	}
	return "Sample", true
}

// element writes el and, for a complex one, its required children; ok is
// false when some value cannot be made or the nesting is too deep.
func (g *genDoc) element(e *model.Element, depth int) bool {
	if depth > 12 {
		return false
	}
	if ct := e.Complex(); ct != nil {
		g.emit(depth, "<"+e.Name+">")
		for _, ch := range ct.Sequence() {
			if ch.Min > 0 && !g.element(ch, depth+1) {
				return false
			}
		}
		g.emit(depth, "</"+e.Name+">")
		return true
	}
	if e.Builtin() == model.AnyType {
		g.emit(depth, "<"+e.Name+">Sample</"+e.Name+">")
		return true
	}
	v, ok := value(e)
	if !ok {
		return false
	}
	g.emit(depth, "<"+e.Name+">"+v+"</"+e.Name+">")
	return true
}

type everyMutant struct {
	kind   string
	data   []byte
	line   int // where the deploy verdict must report an error
	reject bool
}

// build writes the original document of typ and its mutants.
func build(m *model.Model, typ string) ([]everyMutant, bool) {
	root := m.Root(typ)
	seq := root.Sequence()
	// The elements of the original: every required one, and the first
	// optional top-level element of each kind a mutation needs.
	keep := map[int]string{}
	simpleOf := func(e *model.Element) bool { return e.Complex() == nil && e.Builtin() != model.AnyType }
	pick := func(kind string, want func(e *model.Element) bool) {
		for i, e := range seq {
			if _, taken := keep[i]; !taken && e.Min == 0 && want(e) {
				if _, ok := value(e); ok {
					keep[i] = kind
					return
				}
			}
		}
	}
	pick("bool", func(e *model.Element) bool { return simpleOf(e) && e.Builtin() == model.Boolean && e.Max == 1 })
	pick("enum", func(e *model.Element) bool {
		return simpleOf(e) && e.Simple() != nil && len(e.Simple().Enum) > 0 && e.Max == 1
	})
	pick("once", func(e *model.Element) bool { return simpleOf(e) && e.Max == 1 })
	pick("repeated", func(e *model.Element) bool { return simpleOf(e) && e.Repeatable() })
	required := -1
	for i, e := range seq {
		if e.Min > 0 {
			if _, taken := keep[i]; !taken {
				keep[i] = "required"
				if required < 0 && e.Min == 1 && !optionalInDeploy(typ, root.Name, e.Name) {
					required = i
				}
			}
		}
	}
	// Positional particles (a name twice in one sequence) make "which
	// one is missing" ambiguous; such types get the other mutants.
	names := map[string]int{}
	for _, e := range seq {
		names[e.Name]++
	}

	write := func(change func(i int, e *model.Element, g *genDoc) bool) ([]byte, map[string]int, bool) {
		g := &genDoc{line: 1, lines: map[string]int{}}
		g.emit(0, `<?xml version="1.0" encoding="UTF-8"?>`)
		g.emit(0, fmt.Sprintf(`<%s xmlns="%s">`, typ, MetadataNamespace))
		for i, e := range seq {
			kind, ok := keep[i]
			if !ok {
				continue
			}
			g.lines[kind] = g.line
			if change != nil && change(i, e, g) {
				continue
			}
			if !g.element(e, 1) {
				return nil, nil, false
			}
		}
		g.lines["end"] = g.line
		g.emit(0, "</"+typ+">")
		return []byte(g.b.String()), g.lines, true
	}
	orig, lines, ok := write(nil)
	if !ok {
		return nil, false
	}
	out := []everyMutant{{kind: "original", data: orig}}
	add := func(kind string, data []byte, line int) {
		out = append(out, everyMutant{kind: kind, data: data, line: line, reject: true})
	}
	replaceLine := func(line int, with string) []byte {
		ls := strings.Split(string(orig), "\n")
		ls[line-1] = with
		return []byte(strings.Join(ls, "\n"))
	}
	add("unknown-element", replaceLine(lines["end"], "    <zzNotAField>1</zzNotAField>\n</"+typ+">"), lines["end"])
	for i, kind := range keep {
		e := seq[i]
		switch kind {
		case "bool":
			add("non-boolean", replaceLine(lines[kind], "    <"+e.Name+">yes</"+e.Name+">"), lines[kind])
		case "enum":
			add("bad-enum", replaceLine(lines[kind], "    <"+e.Name+">NotAnAllowedValue</"+e.Name+">"), lines[kind])
		case "once":
			v, _ := value(e)
			el := "    <" + e.Name + ">" + v + "</" + e.Name + ">"
			add("duplicated", replaceLine(lines[kind], el+"\n"+el), lines[kind]+1)
		case "repeated":
			v, _ := value(e)
			el := "    <" + e.Name + ">" + v + "</" + e.Name + ">"
			// Split by another element of the type, so only the split
			// (and the order) is wrong.
			for j, o := range seq {
				_, taken := keep[j]
				sv, ok := value(o)
				if j == i || taken || !ok || !simpleOf(o) || o.Max != 1 || names[o.Name] > 1 {
					continue
				}
				splitter := "    <" + o.Name + ">" + sv + "</" + o.Name + ">"
				add("split-repeated", replaceLine(lines[kind], el+"\n"+splitter+"\n"+el), lines[kind]+2)
				break
			}
		}
	}
	if required >= 0 && names[seq[required].Name] == 1 {
		data, _, ok := write(func(i int, _ *model.Element, _ *genDoc) bool { return i == required })
		if ok {
			add("missing-required", data, 2)
		}
	}
	slices.SortFunc(out, func(a, b everyMutant) int { return strings.Compare(a.kind, b.kind) })
	return out, true
}

func TestMutantsOfEveryType(t *testing.T) {
	set := schemas.Bundled()
	xmllint, lookErr := exec.LookPath("xmllint")
	if lookErr != nil && os.Getenv("CI") == "true" {
		t.Fatal("xmllint is not installed; CI needs it (apt-get install libxml2-utils)")
	}
	deploy := New(set)
	xsdMode := &Checker{Models: set, Mode: XSD}
	judged, mutantsSeen, agreed := 0, 0, 0
	kinds := map[string]int{}
	byVersion := typesByVersion(t, set)
	for _, version := range set.Versions() {
		m, err := set.Get(version)
		if err != nil {
			t.Fatal(err)
		}
		types := byVersion[version]
		var cut map[string][]byte
		if lookErr == nil {
			got := cutRoots(version, types)
			switch v := got.(type) {
			case error:
				if os.Getenv("CI") == "true" && !errors.Is(v, fs.ErrNotExist) {
					t.Fatalf("cannot cut the %s XSDs: %v", version, v)
				}
				t.Logf("cannot cut the %s XSDs (%v); xmllint skipped there", version, v)
			case map[string][]byte:
				cut = v
			}
		}
		for _, typ := range types {
			ms, ok := build(m, typ)
			if !ok {
				t.Logf("%s %s: no document can be generated from the model (patterns or depth); skipped", version, typ)
				continue
			}
			judged++
			var lint map[string]bool
			if cut != nil {
				lint = xmllintVerdicts(t, xmllint, cut["v"+version+"/"+typ+".xsd"], ms)
			}
			for _, mu := range ms {
				mutantsSeen++
				kinds[mu.kind]++
				name := fmt.Sprintf("%s/%s#%s", version, typ, mu.kind)
				doc := parse(t, mu.data)
				ps := deploy.Check(version, typ, "x.xml", doc)
				if !mu.reject {
					if n := count(ps, diag.Error); n > 0 {
						t.Errorf("%s: the original is refused:\n%s\n%s", name, list(ps), mu.data)
					}
				} else if !slices.ContainsFunc(ps, func(p diag.Problem) bool { return p.Severity == diag.Error && p.Line == mu.line }) {
					t.Errorf("%s: no error at line %d in the deploy verdict:\n%s\n%s", name, mu.line, list(ps), mu.data)
				}
				xs := xsdMode.Check(version, typ, "x.xml", parse(t, mu.data))
				valid := count(xs, diag.Error) == 0
				if lint == nil {
					continue
				}
				if lint[mu.kind] != valid {
					t.Errorf("%s: --xsd says valid=%v, xmllint valid=%v:\n%s\n%s", name, valid, lint[mu.kind], list(xs), mu.data)
					continue
				}
				agreed++
			}
		}
	}
	if judged < 800 {
		t.Errorf("only %d types judged; the sample or the generator shrank", judged)
	}
	t.Logf("%d types over %d versions, %d mutants (%v); %d verdicts equal xmllint's", judged, len(set.Versions()), mutantsSeen, kinds, agreed)
}

// xmllintVerdicts validates the mutants of one type with one xmllint
// process; it returns validity by mutant kind.
func xmllintVerdicts(t *testing.T, xmllint string, xsd []byte, ms []everyMutant) map[string]bool {
	t.Helper()
	if xsd == nil {
		t.Fatal("no XSD cut for the type")
	}
	dir := t.TempDir()
	if err := os.WriteFile(filepath.Join(dir, "s.xsd"), xsd, 0o644); err != nil {
		t.Fatal(err)
	}
	args := []string{"--noout", "--nonet", "--schema", "s.xsd"}
	for i, mu := range ms {
		f := fmt.Sprintf("m%02d.xml", i)
		if err := os.WriteFile(filepath.Join(dir, f), mu.data, 0o644); err != nil {
			t.Fatal(err)
		}
		args = append(args, f)
	}
	cmd := exec.Command(xmllint, args...)
	cmd.Dir = dir
	var buf bytes.Buffer
	cmd.Stdout, cmd.Stderr = &buf, &buf
	_ = cmd.Run() // non-zero whenever a mutant is invalid
	out := map[string]bool{}
	for i, mu := range ms {
		out[mu.kind] = strings.Contains(buf.String(), fmt.Sprintf("m%02d.xml validates", i))
	}
	return out
}
