package schemagen

import (
	"bytes"
	"encoding/xml"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"regexp"
	"slices"
	"strings"
	"testing"
	"testing/fstest"

	"github.com/google/go-cmp/cmp"
)

const testLicense = "Copyright (c) 2024, Example, Inc.\r\nAll rights reserved.\r\n"

// miniWSDL is shaped like the real one: prefixes on wsdl:definitions, a
// header comment, SOAP wrapper elements, and types that reference each other
// by element type and by extension base.
const miniWSDL = `<?xml version="1.0" encoding="UTF-8"?>
<!--
Salesforce.com Metadata API version 66.0

Copyright 2006-2026 Salesforce.com, inc. All Rights Reserved
-->
<definitions targetNamespace="http://soap.sforce.com/2006/04/metadata" xmlns:xsd="http://www.w3.org/2001/XMLSchema" xmlns="http://schemas.xmlsoap.org/wsdl/" xmlns:tns="http://soap.sforce.com/2006/04/metadata">
 <types>
  <xsd:schema elementFormDefault="qualified" targetNamespace="http://soap.sforce.com/2006/04/metadata">
   <xsd:simpleType name="Color">
    <xsd:restriction base="xsd:string">
     <xsd:enumeration value="Red"/>
     <xsd:enumeration value="Blue"/>
    </xsd:restriction>
   </xsd:simpleType>
   <xsd:complexType name="Unrelated">
    <xsd:sequence>
     <xsd:element name="x" type="xsd:string"/>
    </xsd:sequence>
   </xsd:complexType>
   <xsd:complexType name="Metadata">
    <xsd:sequence>
     <xsd:element name="fullName" minOccurs="0" type="xsd:string"/>
    </xsd:sequence>
   </xsd:complexType>
   <xsd:complexType name="Part">
    <xsd:sequence>
     <xsd:element name="color" type="tns:Color"/>
    </xsd:sequence>
   </xsd:complexType>
   <xsd:complexType name="Widget">
    <xsd:complexContent>
     <xsd:extension base="tns:Metadata">
      <xsd:sequence>
       <xsd:element name="parts" minOccurs="0" maxOccurs="unbounded" type="tns:Part"/>
      </xsd:sequence>
     </xsd:extension>
    </xsd:complexContent>
   </xsd:complexType>
   <xsd:element name="SessionHeader">
    <xsd:complexType>
     <xsd:sequence>
      <xsd:element name="sessionId" type="xsd:string"/>
     </xsd:sequence>
    </xsd:complexType>
   </xsd:element>
  </xsd:schema>
 </types>
</definitions>
`

func TestGenerateVersionClosureAndOrder(t *testing.T) {
	res, err := GenerateVersion("metadata-v66.0.wsdl", "66.0", []byte(miniWSDL), []byte(testLicense), []string{"Widget", "Gadget"})
	if err != nil {
		t.Fatal(err)
	}
	files, skipped := res.Files, res.Skipped
	if len(files) != 1 || files[0].Path != "v66.0/Widget.xsd" {
		t.Fatalf("files = %v, want only v66.0/Widget.xsd", paths(files))
	}
	wantSkip := []Skip{{Version: "66.0", Type: "Gadget", Reason: `metadata-v66.0.wsdl defines no complexType "Gadget"`}}
	if d := cmp.Diff(wantSkip, skipped); d != "" {
		t.Errorf("skipped (-want +got):\n%s", d)
	}
	got := string(files[0].Data)
	names := regexp.MustCompile(`<xsd:(?:complex|simple)Type name="([^"]+)"`).FindAllStringSubmatch(got, -1)
	var order []string
	for _, m := range names {
		order = append(order, m[1])
	}
	// WSDL order, only what Widget needs: the extension base and the
	// element types, transitively; not Unrelated, not the SOAP header.
	if d := cmp.Diff([]string{"Color", "Metadata", "Part", "Widget"}, order); d != "" {
		t.Errorf("types (-want +got):\n%s", d)
	}
	for _, want := range []string{
		`<xsd:schema xmlns:xsd="http://www.w3.org/2001/XMLSchema" xmlns:tns="http://soap.sforce.com/2006/04/metadata" elementFormDefault="qualified" targetNamespace="http://soap.sforce.com/2006/04/metadata">`,
		` <xsd:element name="Widget" type="tns:Widget"/>` + "\n</xsd:schema>\n",
		"Copyright 2006-2026 Salesforce.com, inc. All Rights Reserved",
		"Copyright (c) 2024, Example, Inc.\nAll rights reserved.\n-->",
		"from metadata-v66.0.wsdl,\nSalesforce Metadata API version 66.0.",
		// Blocks keep the WSDL's text, re-indented one level under schema.
		" <xsd:simpleType name=\"Color\">\n  <xsd:restriction base=\"xsd:string\">\n   <xsd:enumeration value=\"Red\"/>",
	} {
		if !strings.Contains(got, want) {
			t.Errorf("schema lacks %q", want)
		}
	}
	if strings.Contains(got, "\r") || strings.Contains(got, "SessionHeader") || strings.Contains(got, "Unrelated") {
		t.Errorf("schema carries CR or unneeded definitions:\n%s", got)
	}
	if err := xml.Unmarshal(files[0].Data, new(struct{})); err != nil {
		t.Errorf("schema is not well-formed: %v", err)
	}
}

func TestGenerateVersionRejects(t *testing.T) {
	tests := []struct {
		name, wsdl, version, license, want string
	}{
		{"wrong version", miniWSDL, "65.0", testLicense, `does not say "Metadata API version 65.0"`},
		{"ref attribute", strings.Replace(miniWSDL, `type="tns:Color"`, `ref="tns:Color"`, 1), "66.0", testLicense, "attribute ref is not supported"},
		{"undefined type", strings.Replace(miniWSDL, `type="tns:Color"`, `type="tns:Colour"`, 1), "66.0", testLicense, `type "Colour" is referenced but not defined`},
		{"unknown prefix", strings.Replace(miniWSDL, `type="tns:Color"`, `type="foo:Color"`, 1), "66.0", testLicense, "unknown prefix"},
		{"duplicate type", strings.Replace(miniWSDL, `name="Unrelated"`, `name="Part"`, 1), "66.0", testLicense, `type "Part" is defined twice`},
		{"double dash in licence", miniWSDL, "66.0", "a -- b", `contains "--"`},
		{"not xml", "<definitions>", "66.0", testLicense, "not well-formed"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, err := GenerateVersion("metadata-v66.0.wsdl", tt.version, []byte(tt.wsdl), []byte(tt.license), []string{"Widget"})
			if err == nil || !strings.Contains(err.Error(), tt.want) || !strings.Contains(err.Error(), "metadata-v66.0.wsdl") {
				t.Fatalf("err = %v, want one naming the file and containing %q", err, tt.want)
			}
		})
	}
}

func TestGenerateFindsVersionsAndNeedsLicence(t *testing.T) {
	fsys := fstest.MapFS{
		"metadata-v66.0.wsdl": {Data: []byte(miniWSDL)},
		"metadata-v65.0.wsdl": {Data: []byte(strings.ReplaceAll(miniWSDL, "66.0", "65.0"))},
		"notes.txt":           {Data: []byte("ignored")},
		"LICENSE.txt":         {Data: []byte(testLicense)},
	}
	res, err := Generate(fsys, []string{"Widget", "Part"})
	if err != nil {
		t.Fatal(err)
	}
	want := []string{"v65.0/Part.xsd", "v65.0/Widget.xsd", "v66.0/Part.xsd", "v66.0/Widget.xsd"}
	if d := cmp.Diff(want, paths(res.Files)); d != "" {
		t.Errorf("paths (-want +got):\n%s", d)
	}
	delete(fsys, "LICENSE.txt")
	if _, err := Generate(fsys, []string{"Widget"}); err == nil || !errors.Is(err, fs.ErrNotExist) {
		t.Errorf("without LICENSE.txt: err = %v, want not-exist", err)
	}
}

// The knowledge base lists each root's own and inherited fields, with the
// runs of versions that have them; a field that leaves and comes back has
// two runs.
func TestKnowledgeWindows(t *testing.T) {
	v := func(n int) string { return fmt.Sprintf("%d.0", n) }
	var res Result
	for n := 62; n <= 65; n++ {
		wsdl := strings.ReplaceAll(miniWSDL, "66.0", v(n))
		if n != 63 {
			// parts is in 62, 64 and 65 only; extra arrives in 64.
			extra := ""
			if n >= 64 {
				extra = `<xsd:element name="extra" minOccurs="0" type="xsd:string"/>`
			}
			wsdl = strings.Replace(wsdl, `<xsd:element name="parts"`, extra+`<xsd:element name="parts"`, 1)
		} else {
			wsdl = strings.Replace(wsdl, `<xsd:element name="parts" minOccurs="0" maxOccurs="unbounded" type="tns:Part"/>`, "", 1)
		}
		one, err := GenerateVersion("metadata-v"+v(n)+".wsdl", v(n), []byte(wsdl), []byte(testLicense), []string{"Widget"})
		if err != nil {
			t.Fatal(err)
		}
		res.Versions = append(res.Versions, one.Versions...)
		res.Fields = append(res.Fields, one.Fields...)
		res.License = one.License
	}
	if d := cmp.Diff([]string{"fullName", "parts"}, res.Fields[0].Fields); d != "" {
		t.Errorf("Widget fields at 62.0 (-want +got):\n%s", d)
	}
	src, err := Knowledge(res)
	if err != nil {
		t.Fatal(err)
	}
	for _, want := range []string{
		"from metadata-v62.0.wsdl to metadata-v65.0.wsdl; DO NOT EDIT.",
		"return []Version{{62}, {63}, {64}, {65}}",
		"\t\"Widget\",\n",
		`{"extra", 64, 65},` + "\n\t\t\t" + `{"fullName", 62, 65},` + "\n\t\t\t" + `{"parts", 62, 62},` + "\n\t\t\t" + `{"parts", 64, 65},`,
		"//\tCopyright (c) 2024, Example, Inc.\n",
	} {
		if !strings.Contains(string(src), want) {
			t.Errorf("knowledge lacks %q:\n%s", want, src)
		}
	}
	gap := res
	gap.Versions = slices.Delete(slices.Clone(res.Versions), 1, 2)
	if _, err := Knowledge(gap); err == nil || !strings.Contains(err.Error(), "not consecutive") {
		t.Errorf("a missing WSDL between two others: err = %v", err)
	}
	choice := strings.Replace(miniWSDL, "<xsd:sequence>\n       <xsd:element name=\"parts\"", "<xsd:choice>\n       <xsd:element name=\"parts\"", 1)
	choice = strings.Replace(choice, "</xsd:sequence>\n     </xsd:extension>", "</xsd:choice>\n     </xsd:extension>", 1)
	if _, err := GenerateVersion("metadata-v66.0.wsdl", "66.0", []byte(choice), []byte(testLicense), []string{"Widget"}); err == nil || !strings.Contains(err.Error(), "not a content model") {
		t.Errorf("xsd:choice in a root: err = %v", err)
	}
}

func TestWritePrunesStaleSchemas(t *testing.T) {
	dir := t.TempDir()
	stale := filepath.Join(dir, "v61.0", "Old.xsd")
	keep := filepath.Join(dir, "schemas.go")
	for _, p := range []string{stale, keep} {
		if err := os.MkdirAll(filepath.Dir(p), 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(p, []byte("x"), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	res := Result{Files: []File{{Path: "v66.0/Widget.xsd", Data: []byte("<a/>\n")}}}
	if err := Write(dir, res); err != nil {
		t.Fatal(err)
	}
	if _, err := os.Stat(stale); !errors.Is(err, fs.ErrNotExist) {
		t.Errorf("stale schema survived: %v", err)
	}
	if _, err := os.Stat(keep); err != nil {
		t.Errorf("non-schema file was touched: %v", err)
	}
	if b, err := os.ReadFile(filepath.Join(dir, "v66.0", "Widget.xsd")); err != nil || string(b) != "<a/>\n" {
		t.Errorf("written schema = %q, %v", b, err)
	}
}

// TestCommittedSchemasMatchWSDL regenerates schemas/ in memory from the
// shared WSDLs and fails on any drift, so nobody hand-edits a generated
// schema or forgets `make schemas` after changing the generator.
func TestCommittedSchemasMatchWSDL(t *testing.T) {
	root := repoRoot(t)
	wsdlDir := filepath.Join(root, "..", "shared", "salesforce", "metadata-wsdl")
	if _, err := os.Stat(filepath.Join(wsdlDir, "LICENSE.txt")); err != nil {
		t.Skipf("WSDLs not available at %s (%v); drift cannot be checked here", wsdlDir, err)
	}
	res, err := Generate(os.DirFS(wsdlDir), DefaultRoots())
	if err != nil {
		t.Fatal(err)
	}
	again, err := Generate(os.DirFS(wsdlDir), DefaultRoots())
	if err != nil {
		t.Fatal(err)
	}
	if !slices.EqualFunc(res.Files, again.Files, func(a, b File) bool { return a.Path == b.Path && bytes.Equal(a.Data, b.Data) }) {
		t.Fatal("two generation runs produced different bytes")
	}
	schemasDir := filepath.Join(root, "schemas")
	// The XSDs are cut by the tests that need them, never committed.
	if committed, _ := fs.Glob(os.DirFS(schemasDir), "v*/*.xsd"); len(committed) > 0 {
		t.Errorf("schemas/ holds XSDs %v; run `make schemas` to remove them", committed)
	}
	checkVerbatim(t, wsdlDir, res.Files)
	folders := []fs.FS{os.DirFS(wsdlDir)}
	if older := filepath.Join(wsdlDir, "..", "metadata-wsdl-older"); dirExists(older) {
		folders = append(folders, os.DirFS(older))
	} else {
		t.Errorf("the older WSDLs are not at %s; the models cannot be checked", older)
	}
	models, err := Models(folders...)
	if err != nil {
		t.Fatal(err)
	}
	res.Models = []File{models}
	for _, f := range res.Models {
		got, err := os.ReadFile(filepath.Join(schemasDir, filepath.FromSlash(f.Path)))
		if err != nil {
			t.Errorf("%v; run `make schemas`", err)
		} else if !bytes.Equal(got, f.Data) {
			t.Errorf("schemas/%s differs from what the WSDLs yield; run `make schemas`", f.Path)
		}
	}
	if committed, _ := fs.Glob(os.DirFS(schemasDir), "models/*"); !slices.Equal(committed, paths(res.Models)) {
		t.Errorf("schemas/models holds %v, the WSDLs yield %v; run `make schemas`", committed, paths(res.Models))
	}

	// The knowledge base internal/apiver compiles in comes from the same run.
	kb, err := Knowledge(res)
	if err != nil {
		t.Fatal(err)
	}
	kbFile := filepath.Join(root, "internal", "apiver", "wsdl_gen.go")
	if got, err := os.ReadFile(kbFile); err != nil {
		t.Errorf("%v; run `make schemas`", err)
	} else if !bytes.Equal(got, kb) {
		t.Errorf("internal/apiver/wsdl_gen.go differs from what the WSDLs yield; run `make schemas`:\n%s", cmp.Diff(string(kb), string(got)))
	}
	scopes, err := Scopes(res)
	if err != nil {
		t.Fatal(err)
	}
	if got, err := os.ReadFile(filepath.Join(root, "internal", "apiver", "scopes_gen.go")); err != nil {
		t.Errorf("%v; run `make schemas`", err)
	} else if !bytes.Equal(got, scopes) {
		t.Errorf("internal/apiver/scopes_gen.go differs from what the WSDLs yield; run `make schemas`:\n%s", cmp.Diff(string(scopes), string(got)))
	}
}

// checkVerbatim proves each copied line exists in the source WSDL, so the
// generated schemas say what Salesforce published and nothing else.
func checkVerbatim(t *testing.T, wsdlDir string, files []File) {
	t.Helper()
	lines := map[string]map[string]bool{}
	for _, f := range files {
		version := strings.TrimPrefix(path0(f.Path), "v")
		if lines[version] == nil {
			data, err := os.ReadFile(filepath.Join(wsdlDir, "metadata-v"+version+".wsdl"))
			if err != nil {
				t.Fatal(err)
			}
			set := map[string]bool{}
			for l := range strings.SplitSeq(string(data), "\n") {
				set[strings.TrimSpace(l)] = true
			}
			lines[version] = set
		}
		body := string(f.Data)
		body = body[strings.Index(body, "-->\n")+4:]
		for i, l := range strings.Split(strings.TrimSpace(body), "\n") {
			l = strings.TrimSpace(l)
			if i == 0 || strings.HasPrefix(l, "<xsd:element name=\""+strings.TrimSuffix(filepath.Base(f.Path), ".xsd")+"\" type=") || l == "</xsd:schema>" {
				continue // the wrapper and the global element we add
			}
			if !lines[version][l] {
				t.Errorf("%s: line %q is not in the WSDL", f.Path, l)
			}
		}
	}
}

func dirExists(p string) bool { fi, err := os.Stat(p); return err == nil && fi.IsDir() }

func path0(p string) string { first, _, _ := strings.Cut(p, "/"); return first }

func paths(files []File) []string {
	out := make([]string, len(files))
	for i, f := range files {
		out[i] = f.Path
	}
	return out
}

// repoRoot walks up from the test's directory to the byocpack module root,
// so the test works whatever package directory `go test` runs it in.
func repoRoot(t *testing.T) string {
	t.Helper()
	dir, err := os.Getwd()
	if err != nil {
		t.Fatal(err)
	}
	for {
		data, err := os.ReadFile(filepath.Join(dir, "go.mod"))
		if err == nil && regexp.MustCompile(`(?m)^module github\.com/byocpack/byocpack\s*$`).Match(data) {
			return dir
		}
		parent := filepath.Dir(dir)
		if parent == dir {
			t.Fatal("cannot find the byocpack module root above the test directory")
		}
		dir = parent
	}
}
