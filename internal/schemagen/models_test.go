package schemagen

import (
	"bytes"
	"io/fs"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"testing/fstest"

	"github.com/google/go-cmp/cmp"

	"github.com/byocpack/byocpack/internal/model"
)

// modelsOf runs Models on folders of one WSDL each, keyed by version.
func modelsOf(wsdls map[string]string) (File, error) {
	var folders []fs.FS
	for v, w := range wsdls {
		folders = append(folders, fstest.MapFS{"LICENSE.txt": {Data: []byte(testLicense)}, "metadata-v" + v + ".wsdl": {Data: []byte(w)}})
	}
	return Models(folders...)
}

func TestContentModelsFromWSDL(t *testing.T) {
	f, err := modelsOf(map[string]string{"66.0": miniWSDL})
	if err != nil {
		t.Fatal(err)
	}
	if f.Path != "models/bundled.models" {
		t.Fatalf("models = %v", f.Path)
	}
	m, err := model.Decode("bundled.models", f.Data)
	if err != nil {
		t.Fatal(err)
	}
	if d := cmp.Diff([]string{"Widget"}, m.Roots()); d != "" {
		t.Errorf("roots (-want +got):\n%s", d)
	}
	w := m.Root("Widget")
	var seq []string
	for _, e := range w.Sequence() {
		seq = append(seq, e.Name)
	}
	// The extension chain flattened, base first.
	if d := cmp.Diff([]string{"fullName", "parts"}, seq); d != "" {
		t.Errorf("Widget sequence (-want +got):\n%s", d)
	}
	_, parts := w.Lookup("parts")
	if parts.Min != 0 || parts.Max != -1 || parts.Complex() == nil || parts.Complex().Name != "Part" {
		t.Errorf("parts = %+v", parts)
	}
	_, color := parts.Complex().Lookup("color")
	if color.Simple() == nil || !sameStrings(color.Simple().Enum, "Red", "Blue") || color.Min != 1 {
		t.Errorf("color = %+v", color)
	}
	if m.Complex("Unrelated") != nil || len(m.SimpleTypes()) != 1 {
		t.Error("models hold types no root needs")
	}
	if len(m.SHA256) != 64 || !strings.Contains(strings.Join(m.Header, "\n"), "Copyright (c) 2024, Example, Inc.") {
		t.Errorf("digest %q, header %q", m.SHA256, m.Header)
	}
}

func sameStrings(got []string, want ...string) bool {
	return strings.Join(got, ",") == strings.Join(want, ",")
}

// make schemas (and schemas import) stop on any construct the models
// cannot express, naming the type.
func TestContentModelsRefuseWhatTheyCannotExpress(t *testing.T) {
	for name, tt := range map[string]struct{ from, to, want string }{
		"choice":      {`<xsd:sequence>` + "\n" + `     <xsd:element name="color"`, `<xsd:choice>` + "\n" + `     <xsd:element name="color"`, "Part: <choice>"},
		"attribute":   {`<xsd:element name="color" type="tns:Color"/>`, `<xsd:element name="color" type="tns:Color"/><xsd:attribute name="a" type="xsd:string"/>`, "Part: <attribute>"},
		"inline type": {`<xsd:element name="color" type="tns:Color"/>`, `<xsd:element name="color"><xsd:simpleType><xsd:restriction base="xsd:string"/></xsd:simpleType></xsd:element>`, "element color has an inline type"},
		"builtin":     {`<xsd:element name="color" type="tns:Color"/>`, `<xsd:element name="color" type="xsd:duration"/>`, "built-in type xsd:duration"},
		"facet":       {`<xsd:enumeration value="Red"/>`, `<xsd:maxInclusive value="3"/>`, "Color: <maxInclusive>"},
		"pattern":     {`<xsd:enumeration value="Red"/>`, `<xsd:pattern value="[a-z-[aeiou]]+"/>`, "character class subtraction"},
		"default":     {`<xsd:element name="color" type="tns:Color"/>`, `<xsd:element name="color" type="tns:Color" default="Red"/>`, "attribute default"},
	} {
		t.Run(name, func(t *testing.T) {
			if !strings.Contains(miniWSDL, tt.from) {
				t.Fatalf("miniWSDL lacks %q", tt.from)
			}
			wsdl := strings.Replace(miniWSDL, tt.from, tt.to, 1)
			if name == "choice" {
				wsdl = strings.Replace(wsdl, "</xsd:sequence>\n   </xsd:complexType>\n   <xsd:complexType name=\"Widget\">", "</xsd:choice>\n   </xsd:complexType>\n   <xsd:complexType name=\"Widget\">", 1)
			}
			_, err := modelsOf(map[string]string{"66.0": wsdl})
			if err == nil || !strings.Contains(err.Error(), tt.want) {
				t.Fatalf("err = %v, want one containing %q", err, tt.want)
			}
		})
	}
}

// XSD allows one name twice in a sequence, and the WSDLs use it: Flow
// (59.0 on) flattens FlowElement's description and FlowCustomError's;
// MutingPermissionSet has PermissionSet's label and its own. The models
// keep both particles, in place.
func TestContentModelsKeepRepeatedNames(t *testing.T) {
	from := `<xsd:element name="parts"`
	if !strings.Contains(miniWSDL, from) {
		t.Fatalf("miniWSDL lacks %q", from)
	}
	wsdl := strings.Replace(miniWSDL, from, `<xsd:element name="fullName" type="xsd:int"/>`+from, 1)
	f, err := modelsOf(map[string]string{"66.0": wsdl})
	if err != nil {
		t.Fatal(err)
	}
	m, err := model.Decode("bundled.models", f.Data)
	if err != nil {
		t.Fatal(err)
	}
	w := m.Root("Widget")
	var seq []string
	for _, e := range w.Sequence() {
		seq = append(seq, e.Name+" "+e.Type)
	}
	if d := cmp.Diff([]string{"fullName xsd:string", "fullName xsd:int", "parts Part"}, seq); d != "" {
		t.Errorf("Widget sequence (-want +got):\n%s", d)
	}
	none := func(int) int { return 0 }
	firstTaken := func(p int) int { return max(1-p, 0) }
	if w.Place("fullName", -1, none) != 0 || w.Place("fullName", 0, firstTaken) != 1 || w.Place("fullName", 2, none) != 0 || w.Place("parts", -1, none) != 2 {
		t.Error("Place does not match repeated names by position")
	}
}

// Two versions merge into one file that gives each back; an import of a
// newer WSDL is a delta against the newest: only what changed, the same
// bytes every time, and judged with the bundled types it did not change.
func TestModelsMergeVersionsAndImportADelta(t *testing.T) {
	v65 := strings.ReplaceAll(miniWSDL, "66.0", "65.0")
	v65 = strings.Replace(v65, `     <xsd:enumeration value="Blue"/>`+"\n", "", 1)
	f, err := modelsOf(map[string]string{"65.0": v65, "66.0": miniWSDL})
	if err != nil {
		t.Fatal(err)
	}
	set := model.NewBundledSet("bundled", string(f.Data))
	if got := set.EnumVersions("Color", "Blue"); !sameStrings(got, "66.0") {
		t.Errorf("Blue in %v", got)
	}
	base, err := set.BundledFile()
	if err != nil {
		t.Fatal(err)
	}
	v67 := strings.ReplaceAll(miniWSDL, "66.0", "67.0")
	v67 = strings.Replace(v67, `<xsd:element name="color" type="tns:Color"/>`, `<xsd:element name="color" type="tns:Color"/><xsd:element name="size" minOccurs="0" type="xsd:int"/>`, 1)
	version, roots, data, err := ImportModels([]byte(v67), []string{"imported"}, base)
	if err != nil {
		t.Fatal(err)
	}
	_, _, again, _ := ImportModels([]byte(v67), []string{"imported"}, base)
	if version != "67.0" || !sameStrings(roots, "Widget") || !bytes.Equal(data, again) {
		t.Fatalf("version %s, roots %v, stable %v", version, roots, bytes.Equal(data, again))
	}
	// Only Part changed: the delta holds it and no other type.
	if !strings.Contains(string(data), "index 1 5\nPart\n") || !strings.Contains(string(data), "base 66.0 ") {
		t.Errorf("delta:\n%s", data)
	}
	dir := t.TempDir()
	if err := os.MkdirAll(filepath.Join(dir, model.ProjectDir), 0o755); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(filepath.Join(dir, model.ProjectDir, model.FileName("67.0")), data, 0o644); err != nil {
		t.Fatal(err)
	}
	ps, err := model.ForProject(set, dir, false)
	if err != nil {
		t.Fatal(err)
	}
	m, err := ps.Get("67.0")
	if err != nil {
		t.Fatal(err)
	}
	_, parts := m.Root("Widget").Lookup("parts")
	if i, _ := parts.Complex().Lookup("size"); i != 1 || !parts.Complex().Sequence()[0].Simple().Allows("Blue") {
		t.Error("the delta's model lacks the new element or the base's types")
	}
	if got := ps.ElementVersions("Part", "size"); !sameStrings(got, "67.0") {
		t.Errorf("size in %v", got)
	}
	for _, bad := range []string{
		strings.Replace(miniWSDL, "Metadata API version 66.0", "Partner API version 66.0", 1),
		strings.Replace(miniWSDL, "Metadata API version 66.0", "Metadata API version 66", 1),
	} {
		if _, _, _, err := ImportModels([]byte(bad), nil, base); err == nil {
			t.Errorf("accepted a WSDL whose header names no version:\n%.200s", bad)
		}
	}
	if _, _, _, err := ImportModels([]byte(strings.ReplaceAll(miniWSDL, "tns:Metadata", "tns:Unrelated")), nil, base); err == nil || !strings.Contains(err.Error(), "no complex type extends Metadata") {
		t.Errorf("a WSDL without metadata types: err = %v", err)
	}
}

// A real release imported over the one before it: the delta is a small
// fraction of the version's complete models and reads back as exactly
// them, every type and every root.
func TestImportOfARealReleaseIsASmallExactDelta(t *testing.T) {
	dir := filepath.Join(repoRoot(t), "..", "shared", "salesforce", "metadata-wsdl")
	license, err := os.ReadFile(filepath.Join(dir, "LICENSE.txt"))
	if err != nil {
		t.Skipf("the shared WSDLs are not here: %v", err)
	}
	read := func(v string) []byte {
		data, err := os.ReadFile(filepath.Join(dir, "metadata-v"+v+".wsdl"))
		if err != nil {
			t.Fatal(err)
		}
		return data
	}
	w65, w66 := read("65.0"), read("66.0")
	bundled, err := Models(fstest.MapFS{"LICENSE.txt": {Data: license}, "metadata-v65.0.wsdl": {Data: w65}})
	if err != nil {
		t.Fatal(err)
	}
	full, err := Models(fstest.MapFS{"LICENSE.txt": {Data: license}, "metadata-v66.0.wsdl": {Data: w66}})
	if err != nil {
		t.Fatal(err)
	}
	set := model.NewBundledSet("bundled", string(bundled.Data))
	base, err := set.BundledFile()
	if err != nil {
		t.Fatal(err)
	}
	version, _, delta, err := ImportModels(w66, nil, base)
	if err != nil {
		t.Fatal(err)
	}
	if len(delta) > len(full.Data)/8 {
		t.Errorf("the 66.0 delta over 65.0 is %d bytes, the complete models %d", len(delta), len(full.Data))
	}
	project := t.TempDir()
	if err := os.MkdirAll(filepath.Join(project, model.ProjectDir), 0o755); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(filepath.Join(project, model.ProjectDir, model.FileName(version)), delta, 0o644); err != nil {
		t.Fatal(err)
	}
	ps, err := model.ForProject(set, project, false)
	if err != nil {
		t.Fatal(err)
	}
	got, err := ps.Get(version)
	if err != nil {
		t.Fatal(err)
	}
	want, err := model.Decode("full", full.Data)
	if err != nil {
		t.Fatal(err)
	}
	if d := cmp.Diff(want.Roots(), got.Roots()); d != "" {
		t.Errorf("roots (-complete +delta):\n%s", d)
	}
	if d := cmp.Diff(allLines(t, want), allLines(t, got)); d != "" {
		t.Errorf("types (-complete +delta):\n%.3000s", d)
	}
}

// allLines is every type of m as its record lines, by name.
func allLines(t *testing.T, m *model.Model) map[string][]string {
	t.Helper()
	out := map[string][]string{}
	for _, c := range m.ComplexTypes() {
		out[c.Name], _ = model.TypeLines(c, nil)
	}
	for _, s := range m.SimpleTypes() {
		out[s.Name], _ = model.TypeLines(nil, s)
	}
	return out
}
