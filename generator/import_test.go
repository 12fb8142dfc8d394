package generator

import (
	"bytes"
	"context"
	"fmt"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"github.com/byocpack/byocpack/internal/model"
	"github.com/byocpack/byocpack/schemas"
)

// wsdlOf writes a Metadata API WSDL of version that holds the models m,
// with extra optional boolean elements added to the sequences of some
// types where their names sort, as Salesforce adds fields: a newer
// version of the WSDL an admin would download, made at test time from
// the embedded models (no Salesforce WSDL is committed).
func wsdlOf(m *model.Model, version string, extra map[string][]string) []byte {
	var b bytes.Buffer
	fmt.Fprintf(&b, "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<!--\nSalesforce.com Metadata API version %s\n\nWritten by a byocpack test from the bundled %s models.\n-->\n", version, m.Version)
	b.WriteString(`<definitions targetNamespace="http://soap.sforce.com/2006/04/metadata" xmlns="http://schemas.xmlsoap.org/wsdl/" xmlns:xsd="http://www.w3.org/2001/XMLSchema" xmlns:tns="http://soap.sforce.com/2006/04/metadata">` + "\n <types>\n")
	b.WriteString(`  <xsd:schema elementFormDefault="qualified" targetNamespace="http://soap.sforce.com/2006/04/metadata">` + "\n")
	typeRef := func(t string) string {
		if strings.HasPrefix(t, "xsd:") {
			return t
		}
		return "tns:" + t
	}
	for _, c := range m.ComplexTypes() {
		fmt.Fprintf(&b, "   <xsd:complexType name=%q>\n", c.Name)
		indent := "    "
		if c.Base != "" {
			fmt.Fprintf(&b, "    <xsd:complexContent>\n     <xsd:extension base=%q>\n", "tns:"+c.Base)
			indent = "      "
		}
		b.WriteString(indent + "<xsd:sequence>\n")
		own := slices.Clone(c.Own)
		for _, name := range extra[c.Name] {
			i := slices.IndexFunc(own, func(e model.Element) bool { return e.Name > name })
			if i < 0 {
				i = len(own)
			}
			own = slices.Insert(own, i, model.Element{Name: name, Type: "xsd:boolean", Min: 0, Max: 1})
		}
		for _, e := range own {
			max := ""
			if e.Max < 0 {
				max = ` maxOccurs="unbounded"`
			} else if e.Max != 1 {
				max = fmt.Sprintf(` maxOccurs="%d"`, e.Max)
			}
			min := ""
			if e.Min != 1 {
				min = fmt.Sprintf(` minOccurs="%d"`, e.Min)
			}
			nil := ""
			if e.Nillable {
				nil = ` nillable="true"`
			}
			fmt.Fprintf(&b, "%s <xsd:element name=%q%s%s type=%q%s/>\n", indent, e.Name, min, max, typeRef(e.Type), nil)
		}
		b.WriteString(indent + "</xsd:sequence>\n")
		if c.Base != "" {
			b.WriteString("     </xsd:extension>\n    </xsd:complexContent>\n")
		}
		b.WriteString("   </xsd:complexType>\n")
	}
	for _, s := range m.SimpleTypes() {
		fmt.Fprintf(&b, "   <xsd:simpleType name=%q>\n    <xsd:restriction base=%q>\n", s.Name, s.Base.String())
		for _, v := range s.Enum {
			fmt.Fprintf(&b, "     <xsd:enumeration value=%q/>\n", v)
		}
		b.WriteString("    </xsd:restriction>\n   </xsd:simpleType>\n")
	}
	b.WriteString("  </xsd:schema>\n </types>\n</definitions>\n")
	return b.Bytes()
}

// modelBody is an encoded models file without its header, version and
// digest: the types alone.
func modelBody(t *testing.T, m *model.Model) string {
	t.Helper()
	var b strings.Builder
	for _, c := range m.ComplexTypes() {
		lines, err := model.TypeLines(c, nil)
		if err != nil {
			t.Fatal(err)
		}
		b.WriteString(c.Name + "\n" + strings.Join(lines, "\n") + "\n")
	}
	for _, s := range m.SimpleTypes() {
		lines, err := model.TypeLines(nil, s)
		if err != nil {
			t.Fatal(err)
		}
		b.WriteString(s.Name + "\n" + strings.Join(lines, "\n") + "\n")
	}
	return b.String() + strings.Join(m.Roots(), " ")
}

// projectModel is version v of the models the project at dir is judged by.
func projectModel(t *testing.T, dir, v string) *model.Model {
	t.Helper()
	set, err := model.ForProject(schemas.Bundled(), dir, false)
	if err != nil {
		t.Fatal(err)
	}
	m, err := set.Get(v)
	if err != nil {
		t.Fatal(err)
	}
	return m
}

// A 67.0 project: before the import its 67.0 fields are warnings naming
// 66.0; schemas import writes byocpack-schemas/v67.0.models, the same bytes
// every time; then the fields are known, a misspelt one is an error again,
// fmt orders by 67.0, and version lists it.
func TestImportNewerVersion(t *testing.T) {
	t.Setenv("XDG_CACHE_HOME", t.TempDir())
	m66, err := schemas.Bundled().Get("66.0")
	if err != nil {
		t.Fatal(err)
	}
	wsdl := filepath.Join(t.TempDir(), "metadata.wsdl")
	if err := os.WriteFile(wsdl, wsdlOf(m66, "67.0", map[string][]string{"ExtlClntAppGlobalOauthSettings": {"isDPopEnabled", "isEnforceRefreshTokenTTL"}}), 0o644); err != nil {
		t.Fatal(err)
	}
	dir := filepath.Join(t.TempDir(), "p")
	renderFixture(t, "partner1", dir)
	editFile(t, filepath.Join(dir, "sfdx-project.json"), func(s string) string {
		return strings.Replace(s, `"sourceApiVersion": "66.0"`, `"sourceApiVersion": "67.0"`, 1)
	})
	// Out of order as well: the two new fields after label.
	editFile(t, filepath.Join(dir, globalFile), func(s string) string {
		return strings.Replace(s, "</ExtlClntAppGlobalOauthSettings>", "    <isEnforceRefreshTokenTTL>true</isEnforceRefreshTokenTTL>\n    <isDPopEnabled>true</isDPopEnabled>\n</ExtlClntAppGlobalOauthSettings>", 1)
	})
	validateRules := func() string {
		t.Helper()
		res, err := Validate(context.Background(), ValidateOptions{Targets: []string{dir}, Now: testNow})
		if err != nil {
			t.Fatal(err)
		}
		return rulesSeen(res.Problems)
	}
	base := filepath.Base(globalFile)
	if got := validateRules(); got != "info api-version sfdx-project.json; warning xsd "+base+"; warning xsd "+base {
		t.Fatalf("before the import: %s", got)
	}
	if _, err := ImportSchemas(context.Background(), ImportOptions{WSDL: wsdl, ProjectDir: t.TempDir()}); err == nil {
		t.Error("imported into a directory that is no project")
	}
	res, err := ImportSchemas(context.Background(), ImportOptions{WSDL: wsdl, ProjectDir: dir})
	if err != nil {
		t.Fatal(err)
	}
	want := filepath.Join(dir, model.ProjectDir, "v67.0.models")
	if res.Version != "67.0" || res.Path != want || res.Unchanged || res.Bundled || len(res.SHA256) != 64 || len(res.Roots) != 898 || res.Base != "66.0" {
		t.Fatalf("import: %+v", res)
	}
	first, _ := os.ReadFile(want)
	again, err := ImportSchemas(context.Background(), ImportOptions{WSDL: wsdl, ProjectDir: dir})
	if err != nil || !again.Unchanged {
		t.Fatalf("second import: %+v %v", again, err)
	}
	if b, _ := os.ReadFile(want); !bytes.Equal(b, first) || !strings.Contains(string(first), "sha256 "+res.SHA256+"\n") {
		t.Error("the models file is not deterministic or lacks the WSDL's digest")
	}
	// The file holds the one type that changed, against the bundled 66.0.
	if !strings.Contains(string(first), "\nbase 66.0 ") || !strings.Contains(string(first), "\nindex 1 31\nExtlClntAppGlobalOauthSettings\n") || len(first) > 8<<10 {
		t.Errorf("the delta holds more than the changed type (%d bytes):\n%.3000s", len(first), first)
	}
	// The WSDL written from the 66.0 models gives them back, plus the two fields.
	imported := projectModel(t, dir, "67.0")
	_, e := imported.Root("ExtlClntAppGlobalOauthSettings").Lookup("isDPopEnabled")
	if e == nil || e.Builtin() != model.Boolean {
		t.Fatalf("isDPopEnabled: %+v", e)
	}
	body67 := modelBody(t, imported)
	for _, f := range []string{"isDPopEnabled", "isEnforceRefreshTokenTTL"} {
		body67 = strings.Replace(body67, "\ne "+f+" xsd:boolean 0 1\n", "\n", 1)
	}
	if body66 := modelBody(t, m66); body67 != body66 {
		t.Error("importing a WSDL written from the 66.0 models does not give them back")
	}

	if got := validateRules(); got != "warning xsd-order "+base {
		t.Fatalf("after the import: %s", got)
	}
	fres, err := Format(context.Background(), FormatOptions{Targets: []string{dir}})
	if err != nil || fres.Count(Formatted) != 1 {
		t.Fatalf("fmt: %v %+v", err, fres)
	}
	if got := validateRules(); got != "" {
		t.Fatalf("after fmt: %s", got)
	}
	if b, _ := os.ReadFile(filepath.Join(dir, globalFile)); !strings.Contains(string(b), "<isConsumerSecretOptional>false</isConsumerSecretOptional>\n    <isDPopEnabled>true</isDPopEnabled>\n") {
		t.Errorf("fmt did not order by 67.0:\n%s", b)
	}
	editFile(t, filepath.Join(dir, globalFile), func(s string) string {
		return strings.Replace(s, "<isDPopEnabled>true</isDPopEnabled>", "<isDPoPEnabled>true</isDPoPEnabled>", 1)
	})
	if got := validateRules(); got != "error xsd "+base {
		t.Fatalf("a misspelt 67.0 field: %s", got)
	}
	versions, err := ModelVersions(dir)
	if err != nil {
		t.Fatal(err)
	}
	if last := versions[len(versions)-1]; last.Version != "67.0" || last.Origin != "project" || !slices.ContainsFunc(versions, func(v ModelVersion) bool { return v.Version == "66.0" && v.Origin == "bundled" }) {
		t.Errorf("versions %+v", versions)
	}

	// --cache serves projects that do not import the version themselves.
	cres, err := ImportSchemas(context.Background(), ImportOptions{WSDL: wsdl, Cache: true})
	if err != nil || !strings.HasPrefix(cres.Path, os.Getenv("XDG_CACHE_HOME")) {
		t.Fatalf("cache import: %+v %v", cres, err)
	}
	other := filepath.Join(t.TempDir(), "q")
	renderFixture(t, "partner1", other)
	if vs, _ := ModelVersions(other); vs[len(vs)-1] != (ModelVersion{"67.0", "cache", filepath.ToSlash(cres.Path)}) {
		t.Errorf("versions with a cached import: %+v", vs)
	}
}

func TestImportRefusesWhatIsNoMetadataWSDL(t *testing.T) {
	dir := filepath.Join(t.TempDir(), "p")
	renderFixture(t, "partner1", dir)
	bad := filepath.Join(t.TempDir(), "partner.wsdl")
	if err := os.WriteFile(bad, []byte("<?xml version=\"1.0\"?>\n<!-- Salesforce.com Partner Web Services API Version 66.0 -->\n<definitions/>\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	if _, err := ImportSchemas(context.Background(), ImportOptions{WSDL: bad, ProjectDir: dir}); err == nil {
		t.Fatal("imported a WSDL that is not the Metadata API's")
	}
	if _, err := os.Stat(filepath.Join(dir, model.ProjectDir)); err == nil {
		t.Error("a failed import wrote the folder")
	}
}

// Importing a bundled version's own WSDL gives the bundled models: a
// delta with no type in it, since import and make schemas are one
// generator.
func TestImportOfABundledWSDLGivesTheBundledModels(t *testing.T) {
	wsdl := filepath.Join("..", "..", "shared", "salesforce", "metadata-wsdl", "metadata-v66.0.wsdl")
	if _, err := os.Stat(wsdl); err != nil {
		t.Skipf("the shared WSDLs are not here: %v", err)
	}
	dir := filepath.Join(t.TempDir(), "p")
	renderFixture(t, "partner1", dir)
	res, err := ImportSchemas(context.Background(), ImportOptions{WSDL: wsdl, ProjectDir: dir})
	if err != nil {
		t.Fatal(err)
	}
	if !res.Bundled {
		t.Error("66.0 not reported as bundled")
	}
	data, _ := os.ReadFile(res.Path)
	if !strings.Contains(string(data), "\nindex 0 0\n") {
		t.Errorf("the import of a bundled WSDL holds types:\n%.3000s", data)
	}
	imported := projectModel(t, dir, "66.0")
	bundled, _ := schemas.Bundled().Get("66.0")
	if modelBody(t, imported) != modelBody(t, bundled) || imported.SHA256 != bundled.SHA256 {
		t.Error("the imported 66.0 models differ from the bundled ones")
	}
}

// Two newer versions imported side by side: 68.0 adds a metadata type of
// its own. Each file holds only what differs from the bundled 66.0, and the
// models answer in which versions the new type and field exist.
func TestImportTwoNewerVersions(t *testing.T) {
	m66, err := schemas.Bundled().Get("66.0")
	if err != nil {
		t.Fatal(err)
	}
	dir := filepath.Join(t.TempDir(), "p")
	renderFixture(t, "partner1", dir)
	extra := map[string][]string{"ExtlClntAppGlobalOauthSettings": {"isDPopEnabled"}}
	w67 := wsdlOf(m66, "67.0", extra)
	newType := `   <xsd:complexType name="ExtlClntAppOauthSecuritySettings">
    <xsd:complexContent>
     <xsd:extension base="tns:Metadata">
      <xsd:sequence>
       <xsd:element name="externalClientApplication" type="xsd:string"/>
      </xsd:sequence>
     </xsd:extension>
    </xsd:complexContent>
   </xsd:complexType>
  </xsd:schema>`
	w68 := bytes.Replace(wsdlOf(m66, "68.0", extra), []byte("  </xsd:schema>"), []byte(newType), 1)
	sizes := map[string]int{}
	for v, data := range map[string][]byte{"67.0": w67, "68.0": w68} {
		p := filepath.Join(t.TempDir(), "metadata-"+v+".wsdl")
		if err := os.WriteFile(p, data, 0o644); err != nil {
			t.Fatal(err)
		}
		res, err := ImportSchemas(context.Background(), ImportOptions{WSDL: p, ProjectDir: dir})
		if err != nil {
			t.Fatal(err)
		}
		if res.Version != v || res.Base != "66.0" {
			t.Fatalf("import %s: %+v", v, res)
		}
		sizes[v] = res.Size
	}
	t.Logf("delta sizes: %v", sizes)
	if sizes["67.0"] > 4<<10 || sizes["68.0"] > 5<<10 || sizes["68.0"] <= sizes["67.0"] {
		t.Errorf("delta sizes %v; only the changed types belong in them", sizes)
	}
	set, err := model.ForProject(schemas.Bundled(), dir, false)
	if err != nil {
		t.Fatal(err)
	}
	if got := set.TypeVersions("ExtlClntAppOauthSecuritySettings"); !slices.Equal(got, []string{"68.0"}) {
		t.Errorf("the new type exists in %v", got)
	}
	if got := model.Since(set.ElementVersions("ExtlClntAppGlobalOauthSettings", "isDPopEnabled")); got != "67.0" {
		t.Errorf("isDPopEnabled since %q", got)
	}
	m68, err := set.Get("68.0")
	if err != nil {
		t.Fatal(err)
	}
	if m68.Root("ExtlClntAppOauthSecuritySettings") == nil || m68.Root("CustomObject") == nil || len(m68.Roots()) != len(m66.Roots())+1 {
		t.Errorf("68.0 roots: %d, 66.0: %d", len(m68.Roots()), len(m66.Roots()))
	}
	m67, _ := set.Get("67.0")
	if m67.Root("ExtlClntAppOauthSecuritySettings") != nil {
		t.Error("67.0 has the type 68.0 added")
	}
}
