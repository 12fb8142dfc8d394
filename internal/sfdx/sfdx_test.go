package sfdx

import (
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/byocpack/byocpack/internal/registry"
	"github.com/byocpack/byocpack/internal/tree"
)

func write(t *testing.T, root, rel, content string) {
	t.Helper()
	p := filepath.Join(root, filepath.FromSlash(rel))
	if err := os.MkdirAll(filepath.Dir(p), 0o755); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(p, []byte(content), 0o644); err != nil {
		t.Fatal(err)
	}
}

func TestLoadKeepsOrderAndImpliesDefault(t *testing.T) {
	dir := t.TempDir()
	write(t, dir, "force-app/x", "")
	write(t, dir, ProjectFile, `{
  "namespace": "ns",
  "sourceApiVersion": "62.0",
  "packageDirectories": [
    {"versionNumber": "1.0.0.NEXT", "path": "force-app", "package": "P"}
  ],
  "packageAliases": {"P": "0Ho000000000001AAA"}
}`)
	p, err := Load(dir)
	if err != nil {
		t.Fatal(err)
	}
	pd := p.DefaultPackageDir()
	if !pd.Default || pd.Path != "force-app" || pd.Package != "P" || pd.Line != 5 {
		t.Fatalf("package dir = %+v", pd)
	}
	var keys []string
	for _, m := range pd.Members {
		keys = append(keys, m.Key)
	}
	if strings.Join(keys, ",") != "versionNumber,path,package" {
		t.Fatalf("key order lost: %v", keys)
	}
	if p.PackageAliases["P"] != "0Ho000000000001AAA" || p.SourceAPIVersion != "62.0" || p.Namespace != "ns" {
		t.Fatalf("project = %+v", p)
	}
}

func TestLoadErrorsNameFileAndLine(t *testing.T) {
	cases := map[string]struct{ json, want string }{
		"syntax": {"{\n  \"packageDirectories\": [\n    {\"path\": \"force-app\",}\n  ]\n}", "sfdx-project.json:3:26: invalid JSON"},
		// Issue 16 row 2: Node's JSON.parse keeps the last of two keys,
		// byocpack's top-level read did too but its packageDirectories walk
		// took the first; every duplicate is refused at its line:column.
		"duplicate packageDirectories": {"{\n  \"packageDirectories\": [{\"path\": \"force-app\"}],\n  \"packageDirectories\": [{\"path\": \"secrets\"}]\n}", `sfdx-project.json:3:3: key "packageDirectories" appears twice in one object (first at 2:3)`},
		"duplicate name":               {"{\"name\": \"a\", \"packageDirectories\": [{\"path\": \"force-app\"}], \"name\": \"b\"}", `sfdx-project.json:1:62: key "name" appears twice`},
		"duplicate nested":             {"{\"packageDirectories\": [{\"path\": \"force-app\"}], \"plugins\": {\"byocpack\": {\"disable\": [], \"disable\": [\"x\"]}}}", `key "disable" appears twice`},
		"trailing":                     {"{\"packageDirectories\": [{\"path\": \"force-app\"}]} {\"packageDirectories\": [{\"path\": \"secrets\"}]}", "data after the JSON value"},
		"missing dir":                  {"{\n\"packageDirectories\": [\n  {\"path\": \"nope\"}\n]}", `sfdx-project.json:3: package directory "nope" does not exist`},
		"two default":                  {"{\"packageDirectories\": [{\"path\": \"force-app\", \"default\": true}, {\"path\": \"force-app\", \"default\": true}]}", "exactly one must be"},
		"absolute":                     {"{\"packageDirectories\": [{\"path\": \"/etc\"}]}", "must be relative"},
		"no dirs":                      {"{\"namespace\": \"x\"}", `"packageDirectories" is required`},
		"only false":                   {"{\"packageDirectories\": [{\"path\": \"force-app\", \"default\": false}]}", `cannot have "default": false`},
	}
	for name, c := range cases {
		t.Run(name, func(t *testing.T) {
			dir := t.TempDir()
			write(t, dir, "force-app/x", "")
			write(t, dir, ProjectFile, c.json)
			_, err := Load(dir)
			if err == nil || !strings.Contains(err.Error(), c.want) || !strings.Contains(err.Error(), ProjectFile) {
				t.Fatalf("want %q, got %v", c.want, err)
			}
		})
	}
}

func TestForceIgnore(t *testing.T) {
	f, err := ParseForceIgnore(".forceignore", "# comment\n**/jsconfig.json\nforce-app/main/default/secret/\n*.bak\n!keep.bak\n")
	if err != nil {
		t.Fatal(err)
	}
	for rel, want := range map[string]bool{
		"force-app/a/jsconfig.json":                    true,
		"force-app/main/default/secret/x.eca-meta.xml": true,
		"force-app/x.bak":                              true,
		"force-app/keep.bak":                           false,
		"force-app/.hidden":                            true, // a CLI default rule
		"force-app/p/package2-descriptor.json":         true,
		"force-app/main/default/classes/A.cls":         false,
	} {
		if got := f.Denies(rel); got != want {
			t.Errorf("Denies(%q) = %v, want %v", rel, got, want)
		}
	}
	// "dir/**" matches what is inside dir, not dir itself, so a later
	// negation re-includes a file in it (coral-cloud keeps one settings
	// file this way).
	g, err := ParseForceIgnore(".forceignore", "**/settings/**\n!LightningExperience.settings-meta.xml\n")
	if err != nil {
		t.Fatal(err)
	}
	if g.Denies("app/main/settings/LightningExperience.settings-meta.xml") || !g.Denies("app/main/settings/Case.settings-meta.xml") {
		t.Error("a negation must re-include a file under a dir/** rule")
	}
	if (&ForceIgnore{}).Denies("force-app/.hidden") {
		t.Error("without a .forceignore the CLI applies no rules")
	}
	if _, err := ParseForceIgnore(".forceignore", "ok\nforce-app\\main\n"); err == nil || !strings.Contains(err.Error(), ".forceignore:2:") {
		t.Errorf("backslash rule: %v", err)
	}
}

func TestInfer(t *testing.T) {
	reg := registry.New()
	cases := []struct {
		rel, typ, full, parent string
		kind                   Kind
	}{
		{"force-app/main/default/conversationChannelDefinitions/C.ConversationChannelDefinition-meta.xml", "ConversationChannelDefinition", "C", "", MetaXML},
		{"force-app/misc/V.ConversationVendorInformation-meta.xml", "ConversationVendorInfo", "V", "", MetaXML},
		{"force-app/x/App.eca-meta.xml", "ExternalClientApplication", "App", "", MetaXML},
		{"force-app/classes/A.cls", "ApexClass", "A", "", Content},
		{"force-app/objects/O__c/fields/F__c.field-meta.xml", "CustomField", "F__c", "O__c", Child},
		{"force-app/objects/O__c/O__c.object-meta.xml", "CustomObject", "O__c", "O__c", MetaXML},
		{"force-app/README.md", "", "", "", NotMetadata},
		{"force-app/other/A.cls", "", "", "", NotMetadata},
	}
	for _, c := range cases {
		sf, err := Infer(reg, c.rel)
		if err != nil {
			t.Fatalf("%s: %v", c.rel, err)
		}
		typ := ""
		if sf.Type != nil {
			typ = sf.Type.Name
		}
		if typ != c.typ || sf.FullName != c.full || sf.ParentName != c.parent || sf.Kind != c.kind {
			t.Errorf("%s: got %s %q parent %q kind %d", c.rel, typ, sf.FullName, sf.ParentName, sf.Kind)
		}
	}
	_, err := Infer(reg, "force-app/c/X.conversationChannelDefinition-meta.xml")
	if err == nil || !strings.Contains(err.Error(), `did you mean ".ConversationChannelDefinition-meta.xml"`) || !strings.Contains(err.Error(), "force-app/c/X.") {
		t.Fatalf("lower-case suffix: %v", err)
	}
}

func TestReadPackageDirsSortedAndIgnored(t *testing.T) {
	dir := t.TempDir()
	for _, f := range []string{"force-app/b/Z.cls", "force-app/a/B.cls", "force-app/a/a.cls", "force-app/skip/x.cls", "force-app/node_modules/m.cls", "force-app/.git/config", "other/o.cls"} {
		write(t, dir, f, "")
	}
	ign, _ := ParseForceIgnore(".forceignore", "force-app/skip/\n**/node_modules/**\n")
	r := tree.NewReader(dir)
	p := &Project{PackageDirectories: []PackageDir{{Path: "force-app"}}}
	if err := ReadPackageDirs(r, p, ign); err != nil {
		t.Fatal(err)
	}
	if got := strings.Join(r.Tree.Paths(), " "); got != "force-app/a/B.cls force-app/a/a.cls force-app/b/Z.cls" {
		t.Fatalf("got %v", got)
	}
}

func TestParseRefusesGarbageVersionAndCaseTwins(t *testing.T) {
	for name, c := range map[string]struct{ json, want string }{
		"path in version": {`{"packageDirectories":[{"path":"force-app"}],"sourceApiVersion":"../../etc"}`, `"../../etc" is not an API version`},
		"version no dot":  {`{"packageDirectories":[{"path":"force-app"}],"sourceApiVersion":"66"}`, `"66" is not an API version`},
		"case twins":      {`{"packageDirectories":[{"path":"force-app","default":true},{"path":"Force-App"}],"sourceApiVersion":"66.0"}`, "differ only in letter case"},
	} {
		_, err := Parse([]byte(c.json), "sfdx-project.json")
		if err == nil || !strings.Contains(err.Error(), c.want) {
			t.Errorf("%s: want %q, got %v", name, c.want, err)
		}
	}
	if _, err := Parse([]byte(`{"packageDirectories":[{"path":"force-app"}],"sourceApiVersion":"67.0"}`), "sfdx-project.json"); err != nil {
		t.Errorf("67.0 refused: %v", err)
	}
}

// matchMetaXML is the CLI's -meta.xml pattern without the backtracking.
func TestMatchMetaXMLIsThePattern(t *testing.T) {
	names := []string{
		"A.eca-meta.xml", "A.b.c-meta.xml", "A.b-meta.xml.bak", ".x-meta.xml", "x.-meta.xml", "a.b-meta.xml-meta.xml",
		"noext", "a-meta.xml", "a..b-meta.xml", "a.b-meta.xmlx", "é.ü-meta.xml", "a.b\n.c-meta.xml", "a.b-meta.xm", "..-meta.xml",
		"Message_Event__e.object-meta.xml", "a.b.-meta.xml", "a.b-meta.xml.c-meta.xml",
	}
	for _, n := range names {
		want := metaXMLPattern().FindStringSubmatch(n)
		if got := matchMetaXML(n); strings.Join(got, "|") != strings.Join(want, "|") || (got == nil) != (want == nil) {
			t.Errorf("%q: got %q, want %q", n, got, want)
		}
	}
}

func FuzzMatchMetaXML(f *testing.F) {
	f.Add("A.eca-meta.xml")
	f.Fuzz(func(t *testing.T, n string) {
		want := metaXMLPattern().FindStringSubmatch(n)
		if got := matchMetaXML(n); strings.Join(got, "|") != strings.Join(want, "|") || (got == nil) != (want == nil) {
			t.Fatalf("%q: got %q, want %q", n, got, want)
		}
	})
}
