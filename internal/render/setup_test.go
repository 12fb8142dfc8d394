package render

import (
	"os"
	"strings"
	"testing"
	"testing/fstest"

	textesc "github.com/byocpack/byocpack/generator/escape"
	"github.com/byocpack/byocpack/generator/spec"
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
		"## 1. Deploy the project to your org", "`app.distributionState` is Local",
		"    sf project deploy start --target-org ORG --source-dir force-app --source-dir source-org\n",
		"the global OAuth settings and policies of\n`source-org/` included",
		"## 2. In the org\n\nThe policies deployed in step 1 already say who may use the app.\n\n1. The platform event",
		"## 3. Get an access token", "a pre-authorized user of the org,")
	// A Local app is deployed, not packaged: nothing of the Dev Hub, a
	// package version or a subscriber's install.
	for _, not := range []string{"sf package", "Dev Hub", "DEVHUB", "subscriber", "installing", "No package version"} {
		if strings.Contains(local[setupFile], not) {
			t.Errorf("the Local guide says %q:\n%s", not, local[setupFile])
		}
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
		"(`customer1__CCaaS_Event__e`)")
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

// SETUP.md never says --package-type Managed without a namespace unless
// it warns first that a managed package needs one.
func TestSetupWarnsOfAManagedPackageWithoutNamespace(t *testing.T) {
	g := guides(t, "partner1", func(s string) string { return strings.Replace(s, "namespace: partner1", `namespace: ""`, 1) })
	doc := g[setupFile]
	warn := strings.Index(doc, "a managed package needs one")
	create := strings.Index(doc, "--package-type Managed")
	if warn < 0 || create < 0 || warn > create {
		t.Errorf("SETUP.md does not warn before sf package create:\n%s", doc)
	}
	if strings.Contains(guides(t, "partner1", func(s string) string { return s })[setupFile], "a managed package needs one") {
		t.Error("warns with a namespace")
	}
}

// The Customer guides agree on who does what: the partner makes the key
// and certificate and sends the certificate; the admin creates the app,
// uploads it and sends back the consumer key.
func TestCustomerGuidesAgree(t *testing.T) {
	g := guides(t, "customer1", func(s string) string { return s })
	wantIn(t, g[setupFile], setupFile,
		"byocpack cert --out certs --key ../customer1-server.key",
		"Send each admin `ADMIN-SETUP.md` and `certs/server.crt`, never the key",
		"sends you back its consumer key",
		"signed with your private key (`../customer1-server.key`), whose certificate the admin uploaded")
	wantIn(t, g[adminSetupFile], adminSetupFile,
		"upload the certificate your messaging partner gives you; the private\n  key that signs the JWTs stays with them",
		"send the consumer key\n(never the secret) to your messaging partner")
	if strings.Contains(g[adminSetupFile], "Issue JSON Web Token") {
		t.Error("the external client app's procedure does not ask for named-user JWT-based access tokens")
	}
}
