package schemagen

import (
	"fmt"
	"slices"
	"strings"
	"testing"
)

// scopeWSDL is miniWSDL at version n with a scope enumeration of values.
func scopeWSDL(n int, values ...string) string {
	var enum strings.Builder
	enum.WriteString(`<xsd:simpleType name="ConnectedAppOauthAccessScope"><xsd:restriction base="xsd:string">`)
	for _, v := range values {
		fmt.Fprintf(&enum, `<xsd:enumeration value="%s"/>`, v)
	}
	enum.WriteString("</xsd:restriction></xsd:simpleType>\n   ")
	w := strings.ReplaceAll(miniWSDL, "66.0", fmt.Sprintf("%d.0", n))
	return strings.Replace(w, `<xsd:simpleType name="Color">`, enum.String()+`<xsd:simpleType name="Color">`, 1)
}

// The scope knowledge keeps the newest WSDL's order, puts a value only an
// older WSDL has after its predecessor there, and gives each value its runs
// of versions.
func TestScopesOrderAndWindows(t *testing.T) {
	var res Result
	for n, values := range map[int][]string{
		62: {"Api", "Old", "RefreshToken"},
		63: {"Api", "RefreshToken", "Interaction"},
		64: {"Api", "RefreshToken", "Interaction", "MCP"},
	} {
		one, err := GenerateVersion(fmt.Sprintf("metadata-v%d.0.wsdl", n), fmt.Sprintf("%d.0", n), []byte(scopeWSDL(n, values...)), []byte(testLicense), []string{"Widget"})
		if err != nil {
			t.Fatal(err)
		}
		res.Versions = append(res.Versions, one.Versions...)
		res.Enums = append(res.Enums, one.Enums...)
		res.License = one.License
	}
	sortForTest(&res)
	src, err := Scopes(res)
	if err != nil {
		t.Fatal(err)
	}
	want := "\t\t{\"Api\", 62, 64},\n\t\t{\"Old\", 62, 62},\n\t\t{\"RefreshToken\", 62, 64},\n\t\t{\"Interaction\", 63, 64},\n\t\t{\"MCP\", 64, 64},\n"
	if !strings.Contains(string(src), want) {
		t.Errorf("scopes lack\n%s\nin:\n%s", want, src)
	}
	if !strings.Contains(string(src), "//\tCopyright (c) 2024, Example, Inc.\n") {
		t.Error("scopes_gen.go must carry the WSDL licence")
	}
}

func sortForTest(res *Result) {
	slices.SortFunc(res.Versions, func(a, b Source) int { return compareVersions(a.Version, b.Version) })
	slices.SortFunc(res.Enums, func(a, b Enum) int { return compareVersions(a.Version, b.Version) })
}

// An enumeration of another shape is refused, not read half right.
func TestScopesRejectOtherShapes(t *testing.T) {
	w := strings.Replace(scopeWSDL(66, "Api"), `<xsd:restriction base="xsd:string"><xsd:enumeration value="Api"/>`, `<xsd:restriction base="xsd:string"><xsd:pattern value="A.*"/>`, 1)
	if _, err := GenerateVersion("metadata-v66.0.wsdl", "66.0", []byte(w), []byte(testLicense), []string{"Widget"}); err == nil || !strings.Contains(err.Error(), "not part of an enumeration") {
		t.Errorf("a pattern facet: err = %v", err)
	}
	w = strings.Replace(scopeWSDL(66, "Api"), `<xsd:restriction base="xsd:string"><xsd:enumeration`, `<xsd:restriction base="xsd:token"><xsd:enumeration`, 1)
	if _, err := GenerateVersion("metadata-v66.0.wsdl", "66.0", []byte(w), []byte(testLicense), []string{"Widget"}); err == nil || !strings.Contains(err.Error(), "not of xsd:string") {
		t.Errorf("a restriction of xsd:token: err = %v", err)
	}
	one, err := GenerateVersion("metadata-v66.0.wsdl", "66.0", []byte(miniWSDL), []byte(testLicense), []string{"Widget"})
	if err != nil || len(one.Enums) != 0 {
		t.Errorf("a WSDL without the enumeration: enums %v, err %v", one.Enums, err)
	}
	if _, err := Scopes(one); err == nil {
		t.Error("Scopes of WSDLs without the enumeration must fail")
	}
}
