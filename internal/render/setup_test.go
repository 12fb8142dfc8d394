package render

import (
	"os"
	"strings"
	"testing"
	"testing/fstest"

	"github.com/byocpack/byocpack/generator/spec"
	textesc "github.com/byocpack/byocpack/internal/escape"
)

// renderEdited renders a fixture's spec, edited, with the fixture's
// certificate.
func renderEdited(t *testing.T, fixture string, edit func(string) string) []File {
	t.Helper()
	raw, err := os.ReadFile("../../fixtures/" + fixture + "/byoc.yaml")
	if err != nil {
		t.Fatal(err)
	}
	fsys := fstest.MapFS{"byoc.yaml": {Data: []byte(edit(string(raw)))}}
	if crt, err := os.ReadFile("../../fixtures/" + fixture + "/certs/server.crt"); err == nil {
		fsys["certs/server.crt"] = &fstest.MapFile{Data: crt}
	}
	s, err := spec.Load(fsys, "byoc.yaml", "")
	if err != nil {
		t.Fatal(err)
	}
	r, err := New()
	if err != nil {
		t.Fatal(err)
	}
	files, err := r.Render(s, nil, nil)
	if err != nil {
		t.Fatal(err)
	}
	return files
}

// guides renders a fixture's spec, edited, and returns the guides by name.
func guides(t *testing.T, fixture string, edit func(string) string) map[string]string {
	t.Helper()
	out := map[string]string{}
	for _, f := range renderEdited(t, fixture, edit) {
		if strings.HasSuffix(f.Path, ".md") {
			if f.Type != "" || f.InPackage || f.Merged || strings.Contains(f.Path, "/") {
				t.Errorf("%s must be an ordinary project file at the output root: %+v", f.Path, f)
			}
			out[f.Path] = string(f.Data)
		}
	}
	return out
}

func wantIn(t *testing.T, doc, name string, wants ...string) {
	t.Helper()
	for _, w := range wants {
		if !strings.Contains(doc, w) {
			t.Errorf("%s lacks %q:\n%s", name, w, doc)
		}
	}
}

// A Local app gets no package version step, and says why; a named
// definitionFile is what the version step points to.
func TestSetupVariants(t *testing.T) {
	local := guides(t, "partner1", func(s string) string {
		return strings.Replace(s, "distributionState: Packaged", "distributionState: Local", 1)
	})
	wantIn(t, local[setupFile], setupFile,
		"No package version: app.distributionState is Local",
		"Deploy the whole\nproject there (`sf project deploy start --source-dir force-app --source-dir source-org`)",
		"## 2. In each subscriber org, after installing", "## 3. Get an access token")
	if strings.Contains(local[setupFile], "sf package version create") {
		t.Error("a Local app must not be told to create a package version")
	}
	if _, ok := local[adminSetupFile]; ok {
		t.Error("ADMIN-SETUP.md is for a Customer channel only")
	}
	def := guides(t, "partner1", func(s string) string {
		return strings.Replace(s, `  apiVersion: "66.0"`, "  apiVersion: \"66.0\"\n  definitionFile: config/byoc-scratch-def.json", 1)
	})
	wantIn(t, def[setupFile], setupFile, "`sfdx-project.json` names `config/byoc-scratch-def.json`")
}

// A Customer channel's admin gets the app to create from customerApp.
func TestAdminSetupFromCustomerApp(t *testing.T) {
	g := guides(t, "customer1", func(s string) string {
		return strings.Replace(s, "channel:\n", "customerApp:\n  type: ConnectedApp\n  name: Contact_Center\n  callbackUrl: https://ccaas.example/callback\n  policies: {permissionSets: [CCaaS_Agents]}\nchannel:\n", 1)
	})
	wantIn(t, g[adminSetupFile], adminSetupFile,
		"# Create the OAuth app for Customer1 Contact Center",
		"## 1. Create the connected app",
		"Connected App Name: `Customer1 Contact_Center`; API Name `Customer1_Contact_Center`",
		"Callback URL: `https://ccaas.example/callback`",
		"Selected OAuth Scopes: Perform requests at any time (refresh_token, offline_access); Access Interaction API resources (interaction_api).",
		"Manage Permission Sets (`CCaaS_Agents`)",
		"Modify Conversation Channel Definition → `Customer1_ContactCenter1`: choose\n`Customer1_Contact_Center`",
		"(`CCaaS_Event__e`)")
	wantIn(t, g[setupFile], setupFile, "customer's admin creates one as `ADMIN-SETUP.md` describes")
}

func TestMarkdownText(t *testing.T) {
	if got := textesc.Text("Acme <Messaging> *1*"); got != `Acme \<Messaging\> \*1\*` {
		t.Errorf("md = %s", got)
	}
	if got := textesc.Code("a`b"); got != "``a`b``" {
		t.Errorf("code = %s", got)
	}
	if got := textesc.Code("`a"); got != "`` `a ``" {
		t.Errorf("code = %s", got)
	}
}

// package.definitionFile reaches sfdx-project.json, for sf package version
// create to build its validation org from.
func TestDefinitionFileInProject(t *testing.T) {
	s := loadFixture(t, "partner1")
	s.Package.DefinitionFile = "config/byoc-scratch-def.json"
	out, _, err := mergeProject(nil, s)
	if err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(string(out), `"versionNumber": "1.0.0.NEXT",
      "definitionFile": "config/byoc-scratch-def.json"`) {
		t.Errorf("sfdx-project.json:\n%s", out)
	}
}
