package doctor

import (
	"context"
	"crypto/rsa"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/byocpack/byocpack/generator"
	"github.com/byocpack/byocpack/generator/cred"
)

var testKey = sync.OnceValue(func() *rsa.PrivateKey {
	k, err := cred.GenerateKey(2048)
	if err != nil {
		panic(err)
	}
	return k
})

const specText = `prefix: Acme
package: {name: Acme Messaging, namespace: acme}
app:
  name: ExternalClientApp1
  contactEmail: ops@acme.com
  certificate: certs/server.crt
channel:
  name: ChannelDefinition1
  label: Acme Messaging
  vendor: {name: Acme_Vendor, type: BringYourOwnChannelPartner}
  event: {name: Acme_Event}
`

// fixture is a project as a partner has it: the key beside the project
// directory, the spec and certificate in it, the rendered project in out.
type fixture struct {
	root, proj, out, key string
	cert                 []byte
}

func newFixture(t *testing.T, render bool) *fixture {
	t.Helper()
	root := t.TempDir()
	f := &fixture{root: root, proj: filepath.Join(root, "acme"), key: filepath.Join(root, "acme-server.key")}
	f.out = filepath.Join(f.proj, "out")
	certPEM, _, err := cred.SelfSign(testKey(), cred.CertOptions{CommonName: "Acme", Days: 365})
	if err != nil {
		t.Fatal(err)
	}
	f.cert = certPEM
	keyPEM, _ := cred.EncodeKey(testKey(), nil, 0)
	f.write(t, f.key, string(keyPEM))
	_ = os.Chmod(f.key, 0o600)
	f.write(t, filepath.Join(f.proj, "certs", "server.crt"), string(certPEM))
	f.write(t, filepath.Join(f.proj, "byoc.yaml"), specText)
	if render {
		if _, err := generator.Render(context.Background(), generator.RenderOptions{SpecFS: os.DirFS(f.proj), SpecPath: "byoc.yaml", OutDir: f.out}); err != nil {
			t.Fatal(err)
		}
	}
	return f
}

func (f *fixture) write(t *testing.T, path, data string) {
	t.Helper()
	if err := os.MkdirAll(filepath.Dir(path), 0o755); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(path, []byte(data), 0o600); err != nil {
		t.Fatal(err)
	}
}

func (f *fixture) options() Options {
	return Options{SpecFS: os.DirFS(f.proj), SpecPath: "byoc.yaml", SpecDisplay: "byoc.yaml", SpecDir: f.proj,
		OutDir: f.out, KeyPath: f.key, LoginURL: cred.ProductionLoginURL}
}

func doctor(t *testing.T, o Options) map[string]Check {
	t.Helper()
	rep, err := Run(context.Background(), o)
	if err != nil {
		t.Fatal(err)
	}
	out := map[string]Check{}
	for _, c := range rep.Checks {
		if _, dup := out[c.ID]; dup {
			t.Errorf("check %s reported twice", c.ID)
		}
		out[c.ID] = c
	}
	return out
}

func expect(t *testing.T, checks map[string]Check, id string, status Status, inMessage string) {
	t.Helper()
	c, ok := checks[id]
	if !ok {
		t.Errorf("no check %s", id)
		return
	}
	if c.Status != status || !strings.Contains(c.Message, inMessage) {
		t.Errorf("%s: %s %q (fix %q), want %s with %q", id, c.Status, c.Message, c.Fix, status, inMessage)
	}
	if status == Fail && c.Fix == "" && id != "spec" {
		t.Errorf("%s fails without a fix", id)
	}
}

func TestHealthyProjectPasses(t *testing.T) {
	f := newFixture(t, true)
	checks := doctor(t, f.options())
	for _, id := range []string{"spec", "certificate", "key", "contact-email", "pre-authorization", "project", "source-org", "login-url"} {
		expect(t, checks, id, Pass, "")
	}
	// render writes SETUP.md, which tells the subscriber's admin about the
	// sfdc_scrt2 grant.
	expect(t, checks, "event-access", Pass, "SETUP.md tells the subscriber's admin to grant sfdc_scrt2 Read and Create on acme__Acme_Event__e")
	if !strings.Contains(checks["source-org"].Message, "not a git work tree") {
		t.Errorf("source-org did not fall back to .gitignore: %s", checks["source-org"].Message)
	}
}

func TestCertificateAndKeyFailures(t *testing.T) {
	f := newFixture(t, false)
	o := f.options()
	c, _ := cred.ParseCertificate(f.cert)
	o.Now = c.NotAfter.Add(-10*24*time.Hour + time.Minute)
	// 30 days ahead it still works: a warning with the rotation.
	checks := doctor(t, o)
	expect(t, checks, "certificate", Warn, "in 9 days")
	if !strings.Contains(checks["certificate"].Fix, "byocpack cert rotate -f ") || !strings.Contains(checks["certificate"].Fix, "cut-over") {
		t.Errorf("the fix does not say how to rotate: %s", checks["certificate"].Fix)
	}
	o.Now = c.NotAfter.Add(-31 * 24 * time.Hour)
	expect(t, doctor(t, o), "certificate", Pass, "valid until")
	o.Now = c.NotAfter.Add(24 * time.Hour)
	expect(t, doctor(t, o), "certificate", Fail, "expired")

	other, _ := cred.GenerateKey(2048)
	otherPEM, _ := cred.EncodeKey(other, nil, 0)
	wrong := filepath.Join(f.root, "other.key")
	f.write(t, wrong, string(otherPEM))
	o = f.options()
	o.KeyPath = wrong
	expect(t, doctor(t, o), "key", Fail, "is not the key of certs/server.crt")

	_ = os.Chmod(f.key, 0o644)
	expect(t, doctor(t, f.options()), "key", Fail, "others can read it")
	_ = os.Chmod(f.key, 0o600)

	inside := filepath.Join(f.proj, "server.key")
	keyPEM, _ := cred.EncodeKey(testKey(), []byte("pw"), 1000)
	f.write(t, inside, string(keyPEM))
	o = f.options()
	o.KeyPath = inside
	expect(t, doctor(t, o), "key", Fail, "the key is encrypted")
	o.Passphrase = func() ([]byte, error) { return []byte("pw"), nil }
	expect(t, doctor(t, o), "key", Fail, "inside the project")

	o = f.options()
	o.KeyPath = ""
	expect(t, doctor(t, o), "key", Pass, "found beside the project")
	_ = os.Remove(f.key)
	expect(t, doctor(t, o), "key", Skip, "no --key")
	expect(t, doctor(t, o), "project", Skip, "nothing rendered")
}

func TestProjectThatNoLongerMatchesTheSpec(t *testing.T) {
	f := newFixture(t, true)
	f.write(t, filepath.Join(f.proj, "byoc.yaml"), strings.ReplaceAll(specText, "prefix: Acme", "prefix: Globex"))
	checks := doctor(t, f.options())
	expect(t, checks, "project", Fail, "a ExternalClientApplication Acme_ExternalClientApp1 the spec does not make (prefix Acme, the spec's is Globex)")
	expect(t, checks, "project", Fail, "no ConversationChannelDefinition Globex_ChannelDefinition1")
	if !strings.Contains(checks["project"].Fix, "render again") {
		t.Errorf("fix: %s", checks["project"].Fix)
	}
}

func TestGlobalSettingsMustStayOutOfGit(t *testing.T) {
	f := newFixture(t, true)
	f.write(t, filepath.Join(f.out, ".gitignore"), "# nothing\n")
	expect(t, doctor(t, f.options()), "source-org", Fail, "is not git-ignored")
	f.write(t, filepath.Join(f.out, ".gitignore"), "*.ecaGlblOauth-meta.xml\n")
	expect(t, doctor(t, f.options()), "source-org", Pass, "git-ignored")
	f.write(t, filepath.Join(f.out, ".gitignore"), "source-org/**/*.xml\n!source-org/main/default/extlClntAppGlobalOauthSets/*\n")
	expect(t, doctor(t, f.options()), "source-org", Fail, "is not git-ignored")
	// git never looks inside an ignored directory: no later rule takes a
	// file in it back.
	f.write(t, filepath.Join(f.out, ".gitignore"), "source-org/\n!source-org/main/default/extlClntAppGlobalOauthSets/*\n")
	expect(t, doctor(t, f.options()), "source-org", Pass, "git-ignored")
	if err := os.RemoveAll(filepath.Join(f.out, "source-org")); err != nil {
		t.Fatal(err)
	}
	expect(t, doctor(t, f.options()), "source-org", Fail, "does not exist")

	// With git: a committed global settings file fails, whatever
	// .gitignore says.
	if _, err := exec.LookPath("git"); err != nil {
		t.Skip("git not installed")
	}
	g := newFixture(t, true)
	gitRun := func(args ...string) {
		cmd := exec.Command("git", append([]string{"-C", g.out, "-c", "user.email=t@example.com", "-c", "user.name=t"}, args...)...)
		if out, err := cmd.CombinedOutput(); err != nil {
			t.Fatalf("git %v: %v\n%s", args, err, out)
		}
	}
	gitRun("init", "-q")
	o := g.options()
	expect(t, doctor(t, o), "source-org", Pass, "global excludes are not read")
	gitRun("add", "-f", "source-org")
	expect(t, doctor(t, o), "source-org", Fail, "is committed to git")
}

func TestLoginURLForms(t *testing.T) {
	f := newFixture(t, true)
	for url, want := range map[string]Status{
		"https://login.salesforce.com":   Pass,
		"https://acme.my.salesforce.com": Pass,
		"https://acme.my.site.com/help":  Pass,
		"https://login.salesforce.com/":  Warn,
		"https://login.example.org":      Warn,
		"http://login.salesforce.com":    Fail,
		"https://test.salesforce.com/x":  Fail,
		"https://x.lightning.force.com":  Fail,
		"https://x--c.vf.force.com":      Fail,
	} {
		o := f.options()
		o.LoginURL = url
		if c := doctor(t, o)["login-url"]; c.Status != want {
			t.Errorf("%s: %s %q, want %s", url, c.Status, c.Message, want)
		}
	}
	o := f.options()
	o.LoginURL = "https://x.lightning.force.com"
	expect(t, doctor(t, o), "login-url", Fail, "https://x.my.salesforce.com")
	o.LoginURL = ""
	expect(t, doctor(t, o), "login-url", Pass, "sfdcLoginUrl")
}

func TestEventAccessGrant(t *testing.T) {
	f := newFixture(t, true)
	ps := filepath.Join(f.out, "force-app", "main", "default", "permissionsets", "sfdc_scrt2.permissionset-meta.xml")
	grant := func(read, create string) string {
		return `<?xml version="1.0" encoding="UTF-8"?>
<PermissionSet xmlns="http://soap.sforce.com/2006/04/metadata">
    <label>sfdc_scrt2</label>
    <objectPermissions>
        <allowCreate>` + create + `</allowCreate>
        <allowDelete>false</allowDelete>
        <allowEdit>false</allowEdit>
        <allowRead>` + read + `</allowRead>
        <modifyAllRecords>false</modifyAllRecords>
        <object>Acme_Event__e</object>
        <viewAllRecords>false</viewAllRecords>
    </objectPermissions>
</PermissionSet>
`
	}
	f.write(t, ps, grant("true", "false"))
	expect(t, doctor(t, f.options()), "event-access", Fail, "without Read and Create")
	f.write(t, ps, grant("true", "true"))
	expect(t, doctor(t, f.options()), "event-access", Pass, "grants sfdc_scrt2 Read and Create")
	// A second channel with its own event needs its own grant.
	two := strings.Replace(specText, "channel:\n  name: ChannelDefinition1\n  label: Acme Messaging\n  vendor: {name: Acme_Vendor, type: BringYourOwnChannelPartner}\n  event: {name: Acme_Event}\n",
		"channels:\n  - {name: SMS, label: Acme SMS, vendor: {name: Acme_Vendor, type: BringYourOwnChannelPartner}, event: {name: Acme_Event}}\n  - {name: WhatsApp, label: Acme WhatsApp, vendor: {name: Acme_Vendor, type: BringYourOwnChannelPartner}, event: {name: WhatsApp_Event}}\n", 1)
	f.write(t, filepath.Join(f.proj, "byoc.yaml"), two)
	expect(t, doctor(t, f.options()), "event-access", Fail, "gives sfdc_scrt2 no access to acme__WhatsApp_Event__e")
	f.write(t, filepath.Join(f.proj, "byoc.yaml"), specText)
	_ = os.Remove(ps)
	f.write(t, filepath.Join(f.out, "SETUP.md"), "Grant Read and Create on acme__Acme_Event__e to sfdc_scrt2.\n")
	expect(t, doctor(t, f.options()), "event-access", Pass, "SETUP.md tells")
}

func TestSpecProblemsAndPolicies(t *testing.T) {
	f := newFixture(t, false)
	f.write(t, filepath.Join(f.proj, "byoc.yaml"), "prefix: Acme\n")
	checks := doctor(t, f.options())
	expect(t, checks, "spec", Fail, "problems")
	expect(t, checks, "certificate", Skip, "")

	f.write(t, filepath.Join(f.proj, "byoc.yaml"), strings.Replace(specText, "  certificate:", "  policies: {permittedUsers: AllSelfAuthorized}\n  certificate:", 1))
	checks = doctor(t, f.options())
	expect(t, checks, "pre-authorization", Warn, "AllSelfAuthorized")
	if c := checks["pre-authorization"]; c.Explain != "user-not-approved" || !strings.Contains(c.Fix, "Admin approved users are pre-authorized") {
		t.Errorf("pre-authorization fix does not come from the explain table: %+v", c)
	}
	f.write(t, filepath.Join(f.proj, "byoc.yaml"), strings.Replace(specText, "ops@acme.com", "dev@acme.example", 1))
	checks = doctor(t, f.options())
	expect(t, checks, "contact-email", Warn, "placeholder")
	// init writes that placeholder: the app's other checks still run.
	expect(t, checks, "pre-authorization", Pass, "admin-approved users are pre-authorized")
}

func TestGitignoreMatcher(t *testing.T) {
	rel := "source-org/main/default/extlClntAppGlobalOauthSets/A_glbloauth.ecaGlblOauth-meta.xml"
	for content, want := range map[string]bool{
		"source-org/**/*.ecaGlblOauth-meta.xml\n": true,
		"/source-org/\n":                    true,
		"source-org\n":                      true,
		"*.ecaGlblOauth-meta.xml\n":         true,
		"extlClntAppGlobalOauthSets/\n":     true,
		"force-app/\n# source-org/\n":       false,
		"*.xml\n!*.ecaGlblOauth-meta.xml\n": false,
		"":                                  false,
	} {
		if got := ignored(parseIgnore([]byte(content), ""), rel); got != want {
			t.Errorf("%q: %v, want %v", content, got, want)
		}
	}
}

// Each app type's procedure decides named-user JWT-based access tokens:
// off passes for an external client app, with what to turn on if the
// Interaction API refuses a valid token; off warns for a connected app.
func TestNamedUserJWTFollowsTheAppTypesProcedure(t *testing.T) {
	f := newFixture(t, false)
	checks := doctor(t, f.options())
	expect(t, checks, "named-user-jwt", Pass, "off, as the external client app's procedure has it; if the Interaction API refuses calls made with a valid token, set app.namedUserJwt: true")
	// Said even while another app check has something to say.
	f.write(t, filepath.Join(f.proj, "byoc.yaml"), strings.Replace(specText, "ops@acme.com", "dev@acme.example", 1))
	expect(t, doctor(t, f.options()), "named-user-jwt", Pass, "set app.namedUserJwt: true")
	f.write(t, filepath.Join(f.proj, "byoc.yaml"), strings.Replace(specText, "  name: ExternalClientApp1\n", "  name: ExternalClientApp1\n  namedUserJwt: true\n", 1))
	expect(t, doctor(t, f.options()), "named-user-jwt", Pass, "issues JWT-based access tokens")
	f.write(t, filepath.Join(f.proj, "byoc.yaml"), strings.Replace(specText, "  name: ExternalClientApp1\n", "  type: ConnectedApp\n  name: ExternalClientApp1\n  namedUserJwt: false\n  scopes: [interaction_api, refresh_token]\n", 1))
	expect(t, doctor(t, f.options()), "named-user-jwt", Warn, "step 7")
}

// A managed package needs a namespace; the Dev Hub deploy doctor names is
// the one SETUP.md names, run from the project, with the app.
func TestNamespaceAndDevHubDeploy(t *testing.T) {
	f := newFixture(t, true)
	checks := doctor(t, f.options())
	expect(t, checks, "namespace", Pass, "acme")
	want := "sf project deploy start --target-org DEVHUB --source-dir force-app/main/default/externalClientApps/Acme_ExternalClientApp1.eca-meta.xml --source-dir force-app/main/default/extlClntAppOauthSettings/Acme_ExternalClientApp1_oauth.ecaOauth-meta.xml --source-dir source-org"
	expect(t, checks, "source-org", Pass, "from "+f.out+" (the project: sf needs its sfdx-project.json): "+want)
	setup, err := os.ReadFile(filepath.Join(f.out, "SETUP.md"))
	if err != nil {
		t.Fatal(err)
	}
	if got := strings.Join(strings.Fields(strings.ReplaceAll(string(setup), "\\\n", "")), " "); !strings.Contains(got, want) {
		t.Errorf("SETUP.md does not say %q", want)
	}
	f.write(t, filepath.Join(f.proj, "byoc.yaml"), strings.Replace(specText, ", namespace: acme", "", 1))
	expect(t, doctor(t, f.options()), "namespace", Warn, "a managed package needs one")
}

// The names still match, but a value changed since the render (here the
// contact; a rotated certificate alike): deploying out would deploy the old
// value, so the project check fails and says to render again.
func TestProjectWithOldValuesIsStale(t *testing.T) {
	f := newFixture(t, true)
	expect(t, doctor(t, f.options()), "project", Pass, "matches the spec")
	f.write(t, filepath.Join(f.proj, "byoc.yaml"), strings.Replace(specText, "ops@acme.com", "integrations@acme.com", 1))
	checks := doctor(t, f.options())
	expect(t, checks, "project", Fail, ".eca-meta.xml differs from what the spec renders now")
	if !strings.Contains(checks["project"].Fix, "render again") {
		t.Errorf("fix: %s", checks["project"].Fix)
	}
}
