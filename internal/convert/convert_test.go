package convert

import (
	"archive/zip"
	"context"
	"errors"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"github.com/byocpack/byocpack/internal/sfdx"
)

func project(t *testing.T, files map[string]string) string {
	t.Helper()
	dir := t.TempDir()
	files["sfdx-project.json"] = `{"packageDirectories":[{"path":"force-app"}],"sourceApiVersion":"62.0"}`
	for rel, content := range files {
		p := filepath.Join(dir, filepath.FromSlash(rel))
		if err := os.MkdirAll(filepath.Dir(p), 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(p, []byte(content), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	return dir
}

// filePaths lists a result's file paths in order.
func filePaths(res *Result) []string {
	var out []string
	for _, f := range res.Files {
		out = append(out, f.Path)
	}
	return out
}

func convertDir(t *testing.T, dir string) (*Result, error) {
	t.Helper()
	p, err := sfdx.Load(dir)
	if err != nil {
		t.Fatal(err)
	}
	return PackageDir(context.Background(), dir, p.DefaultPackageDir(), Options{})
}

const clsMeta = "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<ApexClass xmlns=\"http://soap.sforce.com/2006/04/metadata\">\n    <apiVersion>62.0</apiVersion>\n</ApexClass>\n"

func TestApexClassAndDefaultTypeCopiedVerbatim(t *testing.T) {
	eca := "<?xml version=\"1.0\"?>\n<ExternalClientApplication   xmlns=\"http://soap.sforce.com/2006/04/metadata\"><label>odd  layout</label></ExternalClientApplication>"
	dir := project(t, map[string]string{
		"force-app/main/classes/Hello.cls":          "class Hello {}",
		"force-app/main/classes/Hello.cls-meta.xml": clsMeta,
		"force-app/any/where/App.eca-meta.xml":      eca,
	})
	res, err := convertDir(t, dir)
	if err != nil {
		t.Fatal(err)
	}
	got := map[string]string{}
	for _, f := range res.Files {
		got[f.Path] = string(f.Data)
	}
	if got["classes/Hello.cls"] != "class Hello {}" || got["classes/Hello.cls-meta.xml"] != clsMeta || got["externalClientApps/App.eca"] != eca || len(got) != 3 {
		t.Fatalf("files = %v", got)
	}
	pkg := string(PackageXML(res.Components, PackageXMLOptions{APIVersion: "62.0"}))
	if !strings.Contains(pkg, "<members>Hello</members>\n        <name>ApexClass</name>") ||
		strings.Index(pkg, "ApexClass") > strings.Index(pkg, "ExternalClientApplication") ||
		!strings.HasSuffix(pkg, "    <version>62.0</version>\n</Package>\n") {
		t.Fatalf("package.xml:\n%s", pkg)
	}
	withProfile := string(PackageXML(res.Components, PackageXMLOptions{APIVersion: "62.0", ProfileEntry: true}))
	if !strings.HasSuffix(withProfile, "    <types>\n        <name>Profile</name>\n    </types>\n    <version>62.0</version>\n</Package>\n") {
		t.Fatalf("package.zip flavour lacks the trailing Profile entry:\n%s", withProfile)
	}
}

func field(name string) string {
	return "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<CustomField xmlns=\"http://soap.sforce.com/2006/04/metadata\">\n    <fullName>" + name + "</fullName>\n    <type>Text</type>\n</CustomField>\n"
}

func TestCustomObjectRecomposed(t *testing.T) {
	dir := project(t, map[string]string{
		"force-app/objects/O__c/O__c.object-meta.xml":         "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<CustomObject xmlns=\"http://soap.sforce.com/2006/04/metadata\">\n\t<label>O</label>\n\t<a>1</a><b/><a>2</a>\n</CustomObject>\n",
		"force-app/objects/O__c/fields/Zed__c.field-meta.xml": field("Zed__c"),
		"force-app/objects/O__c/fields/abc__c.field-meta.xml": field("abc__c"),
		"force-app/objects/O__c/fields/A_b__c.field-meta.xml": field("A_b__c"),
	})
	res, err := convertDir(t, dir)
	if err != nil {
		t.Fatal(err)
	}
	if len(res.Files) != 1 || res.Files[0].Path != "objects/O__c.object" {
		t.Fatalf("files = %+v", res.Files)
	}
	out := string(res.Files[0].Data)
	// The CLI's XML model groups repeated elements and re-indents by 4.
	if !strings.Contains(out, "    <label>O</label>\n    <a>1</a>\n    <a>2</a>\n    <b></b>\n    <fields>\n") {
		t.Fatalf("parent not rewritten like the CLI:\n%s", out)
	}
	i, j, k := strings.Index(out, "A_b__c"), strings.Index(out, "abc__c"), strings.Index(out, "Zed__c")
	if !(i < j && j < k) {
		t.Fatalf("fields not in localeCompare order (A_b__c, abc__c, Zed__c):\n%s", out)
	}
	var comps []string
	for _, c := range res.Components {
		comps = append(comps, c.Type+":"+c.FullName)
	}
	want := []string{"CustomField:O__c.A_b__c", "CustomField:O__c.Zed__c", "CustomField:O__c.abc__c", "CustomObject:O__c"}
	if !slices.Equal(comps, want) {
		t.Fatalf("components = %v", comps)
	}
}

func TestUnsupportedTypeNamesFileAndType(t *testing.T) {
	dir := project(t, map[string]string{
		"force-app/main/uiBundles/app/app.uibundle-meta.xml": "<UIBundle/>",
		"force-app/main/uiBundles/app/ui-bundle.json":        "{}",
	})
	_, err := convertDir(t, dir)
	if err == nil || !strings.Contains(err.Error(), "force-app/main/uiBundles/app/ui-bundle.json") || !strings.Contains(err.Error(), "UIBundle") {
		t.Fatalf("got %v", err)
	}
}

func TestBundleFolderCopiedWithoutFilesBesideIt(t *testing.T) {
	dir := project(t, map[string]string{
		"force-app/main/lwc/jsconfig.json":                 "{}",
		"force-app/main/lwc/myCmp/myCmp.js":                "export default class {}",
		"force-app/main/lwc/myCmp/myCmp.js-meta.xml":       "<LightningComponentBundle/>",
		"force-app/main/lwc/myCmp/__tests__/myCmp.test.js": "test",
		"force-app/main/aura/Box/Box.cmp":                  "<aura:component/>",
		"force-app/main/aura/Box/Box.cmp-meta.xml":         "<AuraDefinitionBundle/>",
	})
	res, err := convertDir(t, dir)
	if err != nil {
		t.Fatal(err)
	}
	got := filePaths(res)
	want := []string{"aura/Box/Box.cmp", "aura/Box/Box.cmp-meta.xml", "lwc/myCmp/__tests__/myCmp.test.js", "lwc/myCmp/myCmp.js", "lwc/myCmp/myCmp.js-meta.xml"}
	if !slices.Equal(got, want) {
		t.Fatalf("files = %v", got)
	}
	if len(res.Components) != 2 || res.Components[0] != (Component{"AuraDefinitionBundle", "Box"}) || res.Components[1] != (Component{"LightningComponentBundle", "myCmp"}) {
		t.Fatalf("components = %v", res.Components)
	}
}

func TestBadInputsNameTheFile(t *testing.T) {
	cases := map[string]struct {
		files map[string]string
		want  []string
	}{
		"missing content": {map[string]string{"force-app/classes/A.cls-meta.xml": clsMeta}, []string{"force-app/classes/A.cls-meta.xml", "A.cls"}},
		"orphan content":  {map[string]string{"force-app/classes/A.cls": "x"}, []string{"force-app/classes/A.cls", "without its metadata file"}},
		"wrong case":      {map[string]string{"force-app/c/X.conversationChannelDefinition-meta.xml": "<x/>"}, []string{"force-app/c/X.conversationChannelDefinition-meta.xml", "did you mean"}},
		"mixed content":   {map[string]string{"force-app/objects/O/O.object-meta.xml": "<CustomObject><a>t<!--c--></a></CustomObject>"}, []string{"force-app/objects/O/O.object-meta.xml:1", "mixes text"}},
		"wrong root":      {map[string]string{"force-app/objects/O/fields/F.field-meta.xml": "<CustomObject/>"}, []string{"force-app/objects/O/fields/F.field-meta.xml", "<CustomField"}},
		"mdapi format":    {map[string]string{"force-app/externalClientApps/A.eca": "<x/>"}, []string{"force-app/externalClientApps/A.eca", "A.eca-meta.xml"}},
		"non-ascii sort":  {map[string]string{"force-app/objects/O/fields/F.field-meta.xml": field("Émile"), "force-app/objects/O/fields/G.field-meta.xml": field("G")}, []string{"ASCII"}},
		"empty":           {map[string]string{"force-app/README.md": "hi"}, []string{"no metadata source"}},
	}
	for name, c := range cases {
		t.Run(name, func(t *testing.T) {
			_, err := convertDir(t, project(t, c.files))
			if err == nil {
				t.Fatal("no error")
			}
			for _, w := range c.want {
				if !strings.Contains(err.Error(), w) {
					t.Errorf("error %q lacks %q", err, w)
				}
			}
		})
	}
}

// The expected orders below were produced by Node 22's localeCompare.
func TestCollationMatchesLocaleCompare(t *testing.T) {
	w := newCollationWeights()
	in := []string{"xy", "x.y", "x-y", "field2__c", "Field_2__c", "Field__c", "B", "b", "ab", "Ab", "a1", "A_b", "a_b", "a_", "a", "A"}
	want := "a A a_ a_b A_b a1 ab Ab b B Field__c Field_2__c field2__c x-y x.y xy"
	slices.SortStableFunc(in, func(a, b string) int { r, _ := w.compare(a, b); return r })
	if got := strings.Join(in, " "); got != want {
		t.Fatalf("got  %s\nwant %s", got, want)
	}
}

func TestXMLModelRoundTrip(t *testing.T) {
	src := "<?xml version=\"1.0\"?>\n<R xmlns=\"u\" x='a&amp;b'>\n  <t>  A &amp; B &lt;c&gt; 'q' \"d\" &#160; &amp;lt;  </t>\n  <!-- note -->\n  <c><![CDATA[x < y]]></c>\n  <e k=\"v\">txt</e>\n  <n><m/></n>\n</R>"
	name, v, err := parseXML("f.xml", []byte(src))
	if err != nil {
		t.Fatal(err)
	}
	got := renderXML(name, v.(*xobject))
	want := "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<R xmlns=\"u\" x=\"a&amp;b\">\n    <t>A &amp; B &lt;c&gt; &apos;q&apos; &quot;d&quot; &#160; &amp;lt;</t><!-- note --><c>\n        <![CDATA[x < y]]>\n    </c>\n    <e k=\"v\">txt</e>\n    <n>\n        <m></m>\n    </n>\n</R>\n"
	if got != want {
		t.Fatalf("got\n%s\nwant\n%s", got, want)
	}
}

func TestDeepNestingIsRefusedNotRecursedInto(t *testing.T) {
	const levels = 1_000_000
	deep := strings.Repeat("<a>", levels) + strings.Repeat("</a>", levels)
	_, _, err := parseXML("deep.xml", []byte("<?xml version=\"1.0\"?>\n"+deep))
	if err == nil || !strings.Contains(err.Error(), "nest more than 64 levels") {
		t.Fatalf("want a depth refusal, got %v", err)
	}
}

func srMeta(ct string) string {
	return "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<StaticResource xmlns=\"http://soap.sforce.com/2006/04/metadata\">\n    <contentType>" + ct + "</contentType>\n</StaticResource>\n"
}

func TestStaticResourceFolderNeedsArchiveContentType(t *testing.T) {
	dir := project(t, map[string]string{
		"force-app/staticresources/site/index.html":        "<p>",
		"force-app/staticresources/site.resource-meta.xml": srMeta("text/html"),
	})
	_, err := convertDir(t, dir)
	// The CLI's own words, so a user searching for either finds the fix.
	if err == nil || !strings.Contains(err.Error(), "A StaticResource directory must have a content type of application/zip or application/jar - found text/html for site") {
		t.Fatalf("got %v", err)
	}
}

func TestStaticResourceBounds(t *testing.T) {
	big := strings.Repeat("x", MaxStaticResourceSize+1)
	dir := project(t, map[string]string{
		"force-app/staticresources/big.txt":               big,
		"force-app/staticresources/big.resource-meta.xml": srMeta("text/plain"),
	})
	if _, err := convertDir(t, dir); err == nil || !strings.Contains(err.Error(), "5 MB") {
		t.Fatalf("got %v", err)
	}
	// Zipped, the same bytes compress far below the limit.
	dir = project(t, map[string]string{
		"force-app/staticresources/big/big.txt":           big,
		"force-app/staticresources/big.resource-meta.xml": srMeta("application/zip"),
	})
	res, err := convertDir(t, dir)
	if err != nil {
		t.Fatal(err)
	}
	if f := res.Files[0]; f.Path != "staticresources/big.resource" || !f.Built || len(f.Data) > 100_000 {
		t.Fatalf("first file %s built=%v %d bytes", f.Path, f.Built, len(f.Data))
	}
}

func TestStaticResourceFolderWithoutMetadataIsRefused(t *testing.T) {
	dir := project(t, map[string]string{
		"force-app/staticresources/site/index.html": "<p>",
		"force-app/staticresources/stray.txt":       "x",
		"force-app/classes/A.cls":                   "class A {}",
		"force-app/classes/A.cls-meta.xml":          clsMeta,
	})
	if _, err := convertDir(t, dir); err == nil || !strings.Contains(err.Error(), "force-app/staticresources/site") {
		t.Fatalf("got %v", err)
	}
}

func TestDuplicateLabelNamesBothFiles(t *testing.T) {
	label := func(name string) string {
		return `<?xml version="1.0" encoding="UTF-8"?><CustomLabels xmlns="http://soap.sforce.com/2006/04/metadata"><labels><fullName>` + name + `</fullName><value>v</value></labels></CustomLabels>`
	}
	dir := project(t, map[string]string{
		"force-app/labels/A.labels-meta.xml": label("Greeting"),
		"force-app/labels/B.labels-meta.xml": label("Greeting"),
	})
	_, err := convertDir(t, dir)
	if err == nil || !strings.Contains(err.Error(), "A.labels-meta.xml") || !strings.Contains(err.Error(), "B.labels-meta.xml") || !strings.Contains(err.Error(), `"Greeting"`) {
		t.Fatalf("got %v", err)
	}
}

func TestConversionKeysAreRefusedByName(t *testing.T) {
	for _, key := range []string{"replacements", "sourceBehaviorOptions", "registryCustomizations"} {
		dir := project(t, map[string]string{"force-app/classes/A.cls": "class A {}", "force-app/classes/A.cls-meta.xml": clsMeta})
		data := `{"packageDirectories":[{"path":"force-app"}],` + "\n" + `"` + key + `": [],"sourceApiVersion":"62.0"}`
		if err := os.WriteFile(filepath.Join(dir, "sfdx-project.json"), []byte(data), 0o644); err != nil {
			t.Fatal(err)
		}
		_, err := convertDir(t, dir)
		if err == nil || !strings.Contains(err.Error(), "sfdx-project.json:2: \""+key+"\"") {
			t.Errorf("%s: got %v", key, err)
		}
	}
}

func TestEmailTemplateFolderAliasIsRefusedAsTheCLIDoes(t *testing.T) {
	dir := project(t, map[string]string{
		"force-app/email/Old.emailTemplateFolder-meta.xml": "<EmailTemplateFolder/>",
	})
	if _, err := convertDir(t, dir); err == nil || !strings.Contains(err.Error(), "Old.emailTemplateFolder-meta.xml") || !strings.Contains(err.Error(), "could not infer a metadata type") {
		t.Fatalf("got %v", err)
	}
}

func TestDocumentMetadataNamedAfterItsContent(t *testing.T) {
	dir := project(t, map[string]string{
		"force-app/documents/Brand.documentFolder-meta.xml": "<DocumentFolder/>",
		"force-app/documents/Brand/logo.svg":                "<svg/>",
		"force-app/documents/Brand/logo.document-meta.xml":  "<Document/>",
	})
	res, err := convertDir(t, dir)
	if err != nil {
		t.Fatal(err)
	}
	got := filePaths(res)
	if want := []string{"documents/Brand-meta.xml", "documents/Brand/logo.svg", "documents/Brand/logo.svg-meta.xml"}; !slices.Equal(got, want) {
		t.Fatalf("files = %v", got)
	}
	pkg := string(PackageXML(res.Components, PackageXMLOptions{APIVersion: "62.0"}))
	if !strings.Contains(pkg, "<members>Brand</members>\n        <members>Brand/logo</members>\n        <name>Document</name>") {
		t.Fatal(pkg)
	}
}

func TestCancelledConversionStops(t *testing.T) {
	dir := project(t, map[string]string{
		"force-app/staticresources/site/index.html":        "<p>",
		"force-app/staticresources/site.resource-meta.xml": srMeta("application/zip"),
	})
	p, err := sfdx.Load(dir)
	if err != nil {
		t.Fatal(err)
	}
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	if _, err := PackageDir(ctx, dir, p.DefaultPackageDir(), Options{}); !errors.Is(err, context.Canceled) {
		t.Fatalf("got %v", err)
	}
}

func TestNestedTypeFoldersAreRefused(t *testing.T) {
	dir := project(t, map[string]string{
		"force-app/lwc/outer/outer.js-meta.xml":           "<LightningComponentBundle/>",
		"force-app/lwc/outer/lwc/inner/inner.js-meta.xml": "<LightningComponentBundle/>",
	})
	if _, err := convertDir(t, dir); err == nil || !strings.Contains(err.Error(), "force-app/lwc/outer/lwc/inner/inner.js-meta.xml") || !strings.Contains(err.Error(), "two folders named lwc") {
		t.Fatalf("got %v", err)
	}
}

// Files already compressed are stored, judged by their bytes alone;
// everything else is deflated.
func TestZipMethod(t *testing.T) {
	big := strings.Repeat("\x00", storeBelow)
	for _, c := range []struct {
		data string
		want uint16
	}{
		{"\x89PNG\r\n\x1a\n" + big, zip.Store},
		{"\xff\xd8\xff\xe0" + big, zip.Store},
		{"GIF89a" + big, zip.Store},
		{"PK\x03\x04rest" + big, zip.Store},
		{"\x1f\x8b\x08" + big, zip.Store},
		{"<?xml version=\"1.0\"?>" + big, zip.Deflate},
		{"PNG" + big, zip.Deflate},
		{"<?xml version=\"1.0\"?>", zip.Store}, // small
		{"", zip.Store},
		{strings.Repeat("x", storeBelow-1), zip.Store},
		{strings.Repeat("x", storeBelow), zip.Deflate},
	} {
		if got := ZipMethod([]byte(c.data)); got != c.want {
			t.Errorf("ZipMethod(%q) = %d, want %d", c.data, got, c.want)
		}
	}
}
