package schemagen

import (
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"

	"github.com/byocpack/byocpack/internal/model"
)

func TestContentModelsFromWSDL(t *testing.T) {
	res, err := GenerateVersion("metadata-v66.0.wsdl", "66.0", []byte(miniWSDL), []byte(testLicense), []string{"Widget", "Gadget"})
	if err != nil {
		t.Fatal(err)
	}
	if len(res.Models) != 1 || res.Models[0].Path != "models/v66.0.models" {
		t.Fatalf("models = %v", paths(res.Models))
	}
	m, err := model.Decode("v66.0.models", res.Models[0].Data)
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
			_, err := GenerateVersion("metadata-v66.0.wsdl", "66.0", []byte(wsdl), []byte(testLicense), []string{"Widget"})
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
	res, err := GenerateVersion("metadata-v66.0.wsdl", "66.0", []byte(wsdl), []byte(testLicense), []string{"Widget"})
	if err != nil {
		t.Fatal(err)
	}
	m, err := model.Decode("v66.0.models", res.Models[0].Data)
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

func TestModelsForReadsTheVersionFromTheHeader(t *testing.T) {
	wsdl := strings.ReplaceAll(miniWSDL, "66.0", "67.0")
	m, err := ModelsFor([]byte(wsdl), []string{"Widget", "Gadget"}, []string{"imported"})
	if err != nil {
		t.Fatal(err)
	}
	if m.Version != "67.0" || m.Root("Widget") == nil || m.Header[0] != "imported" {
		t.Errorf("version %s, header %q", m.Version, m.Header)
	}
	for _, bad := range []string{
		strings.Replace(miniWSDL, "Metadata API version 66.0", "Partner API version 66.0", 1),
		strings.Replace(miniWSDL, "Metadata API version 66.0", "Metadata API version 66", 1),
	} {
		if _, err := ModelsFor([]byte(bad), []string{"Widget"}, nil); err == nil {
			t.Errorf("accepted a WSDL whose header names no version:\n%.200s", bad)
		}
	}
	if _, err := ModelsFor([]byte(miniWSDL), []string{"Gadget"}, nil); err == nil || !strings.Contains(err.Error(), "defines none of the metadata types") {
		t.Errorf("a WSDL without the roots: err = %v", err)
	}
}
