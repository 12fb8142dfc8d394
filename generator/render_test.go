package generator

import (
	"bytes"
	"context"
	"crypto/rand"
	"crypto/rsa"
	"crypto/x509"
	"crypto/x509/pkix"
	"encoding/pem"
	"errors"
	"flag"
	"io/fs"
	"math/big"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"
	"testing/fstest"
	"time"

	"github.com/google/go-cmp/cmp"
)

// update rewrites fixtures/*/golden from the current renderer:
// go test ./generator -run TestRenderGolden -update
var update = flag.Bool("update", false, "rewrite the golden files under fixtures/*/golden")

// fixtures are the bundled example specs.
func fixtures() []string { return []string{"partner1", "customer1", "legacy1", "partner2"} }

// testNow pins certificate checks, so the goldens do not depend on the day
// the tests run.
var testNow = time.Date(2027, 1, 1, 0, 0, 0, 0, time.UTC)

func renderFixture(t *testing.T, name, out string) *RenderResult {
	t.Helper()
	res, err := Render(context.Background(), RenderOptions{
		SpecFS:      os.DirFS(filepath.Join("..", "fixtures", name)),
		SpecPath:    "byoc.yaml",
		SpecDisplay: "fixtures/" + name + "/byoc.yaml",
		OutDir:      out,
		Now:         testNow,
	})
	if err != nil {
		t.Fatalf("render %s: %v", name, err)
	}
	return res
}

// readTree returns every file under dir by slash path.
func readTree(t *testing.T, dir string) map[string]string {
	t.Helper()
	tree := map[string]string{}
	err := filepath.WalkDir(dir, func(p string, d fs.DirEntry, err error) error {
		if err != nil || d.IsDir() {
			return err
		}
		b, err := os.ReadFile(p)
		rel, _ := filepath.Rel(dir, p)
		tree[filepath.ToSlash(rel)] = string(b)
		return err
	})
	if err != nil && !errors.Is(err, fs.ErrNotExist) {
		t.Fatal(err)
	}
	return tree
}

func writeTree(t *testing.T, dir string, tree map[string]string) {
	t.Helper()
	if err := os.RemoveAll(dir); err != nil {
		t.Fatal(err)
	}
	for p, data := range tree {
		full := filepath.Join(dir, filepath.FromSlash(p))
		if err := os.MkdirAll(filepath.Dir(full), 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(full, []byte(data), 0o644); err != nil {
			t.Fatal(err)
		}
	}
}

func TestRenderGolden(t *testing.T) {
	for _, name := range fixtures() {
		t.Run(name, func(t *testing.T) {
			out := filepath.Join(t.TempDir(), "out")
			renderFixture(t, name, out)
			got := readTree(t, out)
			golden := filepath.Join("..", "fixtures", name, "golden")
			if *update {
				writeTree(t, golden, got)
			}
			want := readTree(t, golden)
			if len(want) == 0 {
				t.Fatalf("no golden files in %s; run go test ./generator -run TestRenderGolden -update", golden)
			}
			if diff := cmp.Diff(want, got); diff != "" {
				t.Errorf("render %s differs from %s (-want +got); if the change is intended, run go test ./generator -run TestRenderGolden -update:\n%s", name, golden, diff)
			}
		})
	}
}

func TestRenderTwiceGivesSameBytes(t *testing.T) {
	for _, name := range fixtures() {
		t.Run(name, func(t *testing.T) {
			a := filepath.Join(t.TempDir(), "a")
			b := filepath.Join(t.TempDir(), "b")
			renderFixture(t, name, a)
			renderFixture(t, name, b)
			if diff := cmp.Diff(readTree(t, a), readTree(t, b)); diff != "" {
				t.Fatalf("two renders differ:\n%s", diff)
			}
			again := renderFixture(t, name, a)
			if len(again.Changes.Written) != 0 || len(again.Changes.Removed) != 0 {
				t.Fatalf("re-render into the same directory changed files: wrote %v, removed %v", again.Changes.Written, again.Changes.Removed)
			}
		})
	}
}

// specFS is partner1's spec with edits applied, in memory.
func specFS(t *testing.T, edit func(string) string) fs.FS {
	t.Helper()
	return fixtureSpecFS(t, "partner1", edit)
}

// fixtureSpecFS is a fixture's spec and certificate, the spec edited.
func fixtureSpecFS(t *testing.T, name string, edit func(string) string) fs.FS {
	t.Helper()
	spec, err := os.ReadFile("../fixtures/" + name + "/byoc.yaml")
	if err != nil {
		t.Fatal(err)
	}
	crt, err := os.ReadFile("../fixtures/" + name + "/certs/server.crt")
	if err != nil {
		t.Fatal(err)
	}
	return fstest.MapFS{
		"byoc.yaml":        {Data: []byte(edit(string(spec)))},
		"certs/server.crt": {Data: crt},
	}
}

func renderFS(fsys fs.FS, out string) (*RenderResult, error) {
	return Render(context.Background(), RenderOptions{SpecFS: fsys, SpecPath: "byoc.yaml", OutDir: out, Now: testNow})
}

func TestRenameAppRemovesStaleFilesAndKeepsUserFiles(t *testing.T) {
	out := filepath.Join(t.TempDir(), "out")
	if _, err := renderFS(specFS(t, func(s string) string { return s }), out); err != nil {
		t.Fatal(err)
	}
	userFile := filepath.Join(out, "force-app", "main", "default", "externalClientApps", "Notes.md")
	if err := os.WriteFile(userFile, []byte("mine"), 0o644); err != nil {
		t.Fatal(err)
	}
	renamed := specFS(t, func(s string) string {
		return strings.Replace(s, "name: ExternalClientApp1", "name: ExternalClientApp2", 1)
	})
	res, err := renderFS(renamed, out)
	if err != nil {
		t.Fatal(err)
	}
	tree := readTree(t, out)
	for p := range tree {
		if strings.Contains(p, "ExternalClientApp1") {
			t.Errorf("stale file %s left behind after renaming the app", p)
		}
	}
	for _, want := range []string{
		"force-app/main/default/externalClientApps/Partner1_ExternalClientApp2.eca-meta.xml",
		"source-org/main/default/extlClntAppGlobalOauthSets/Partner1_ExternalClientApp2_glbloauth.ecaGlblOauth-meta.xml",
	} {
		if _, ok := tree[want]; !ok {
			t.Errorf("%s missing after rename", want)
		}
	}
	if tree["force-app/main/default/externalClientApps/Notes.md"] != "mine" {
		t.Error("the user's own file was changed or removed")
	}
	if len(res.Changes.Removed) != 5 {
		t.Errorf("removed %v, want the 5 files of the old app", res.Changes.Removed)
	}
}

func TestFailedRenderChangesNothing(t *testing.T) {
	out := filepath.Join(t.TempDir(), "out")
	if _, err := renderFS(specFS(t, func(s string) string { return s }), out); err != nil {
		t.Fatal(err)
	}
	before := readTree(t, out)
	bad := specFS(t, func(s string) string {
		s = strings.Replace(s, "name: ExternalClientApp1", "name: ExternalClientApp2", 1)
		return strings.Replace(s, "contactEmail: dev@partner1.example", "contactEmail: not-an-email", 1)
	})
	_, err := renderFS(bad, out)
	var list ProblemList
	if !errors.As(err, &list) || !strings.Contains(err.Error(), "app.contactEmail") {
		t.Fatalf("want a spec problem about app.contactEmail, got %v", err)
	}
	if diff := cmp.Diff(before, readTree(t, out)); diff != "" {
		t.Fatalf("a failed render changed the output directory:\n%s", diff)
	}
	entries, _ := os.ReadDir(filepath.Dir(out))
	if len(entries) != 1 {
		t.Fatalf("a staging directory was left beside the output: %v", entries)
	}
}

func TestRenderRefusesRuleViolationsBeforeWriting(t *testing.T) {
	out := filepath.Join(t.TempDir(), "out")
	// A 1024-bit certificate passes the spec loader (it is a valid
	// certificate) but breaks a BYOC rule on the rendered files: nothing
	// may be written.
	fsys := specFS(t, func(s string) string { return s })
	fsys.(fstest.MapFS)["certs/server.crt"] = &fstest.MapFile{Data: selfSigned(t, 1024)}
	_, err := renderFS(fsys, out)
	if err == nil || !strings.Contains(err.Error(), "1024") {
		t.Fatalf("want an error about the 1024-bit key, got %v", err)
	}
	if _, statErr := os.Stat(out); !errors.Is(statErr, fs.ErrNotExist) {
		t.Fatalf("output directory was created despite the error")
	}
}

// selfSigned makes a throwaway certificate; its key is never written.
func selfSigned(t *testing.T, bits int) []byte {
	t.Helper()
	key, err := rsa.GenerateKey(rand.Reader, bits)
	if err != nil {
		t.Fatal(err)
	}
	tmpl := &x509.Certificate{SerialNumber: big.NewInt(1), Subject: pkix.Name{CommonName: "weak.example"},
		NotBefore: testNow.AddDate(-1, 0, 0), NotAfter: testNow.AddDate(1, 0, 0)}
	der, err := x509.CreateCertificate(rand.Reader, tmpl, tmpl, &key.PublicKey, key)
	if err != nil {
		t.Fatal(err)
	}
	return pem.EncodeToMemory(&pem.Block{Type: "CERTIFICATE", Bytes: der})
}

func TestRenderConflictsWithUserFile(t *testing.T) {
	out := filepath.Join(t.TempDir(), "out")
	eca := filepath.Join(out, "force-app", "main", "default", "externalClientApps", "Partner1_ExternalClientApp1.eca-meta.xml")
	if err := os.MkdirAll(filepath.Dir(eca), 0o755); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(eca, []byte("hand-written"), 0o644); err != nil {
		t.Fatal(err)
	}
	_, err := renderFS(specFS(t, func(s string) string { return s }), out)
	var conflict *ConflictError
	if !errors.As(err, &conflict) || len(conflict.Conflicts) != 1 || !strings.Contains(conflict.Conflicts[0], "not written by byocpack") {
		t.Fatalf("want one conflict on the hand-written file, got %v", err)
	}
	if b, _ := os.ReadFile(eca); string(b) != "hand-written" {
		t.Fatal("the hand-written file was overwritten")
	}
	if _, err := os.Stat(filepath.Join(out, "sfdx-project.json")); !errors.Is(err, fs.ErrNotExist) {
		t.Fatal("other files were written despite the conflict")
	}
}

func TestRenderMergesExistingProject(t *testing.T) {
	out := filepath.Join(t.TempDir(), "out")
	user := `{
  "packageDirectories": [
    {"path": "other-app", "default": true, "package": "Other"},
    {"path": "force-app", "package": "Partner1 Messaging", "versionNumber": "0.9.0.NEXT", "ancestorVersion": "HIGHEST"}
  ],
  "name": "mine",
  "packageAliases": {"Partner1 Messaging": "0Ho000000000001AAA"},
  "plugins": {"x": 1},
  "sourceApiVersion": "64.0"
}
`
	writeTree(t, out, map[string]string{"sfdx-project.json": user})
	res, err := renderFS(specFS(t, func(s string) string { return s }), out)
	if err != nil {
		t.Fatal(err)
	}
	// The user's default stays theirs; byocpack's directory is found by
	// its package name, and every change is listed.
	want := `{
  "packageDirectories": [
    {
      "path": "other-app",
      "default": true,
      "package": "Other"
    },
    {
      "path": "force-app",
      "package": "Partner1 Messaging",
      "versionNumber": "1.0.0.NEXT",
      "ancestorVersion": "HIGHEST",
      "versionName": "ver 1.0"
    },
    {
      "path": "source-org"
    }
  ],
  "name": "mine",
  "packageAliases": {
    "Partner1 Messaging": "0Ho000000000001AAA"
  },
  "plugins": {
    "x": 1
  },
  "sourceApiVersion": "66.0",
  "namespace": "partner1",
  "sfdcLoginUrl": "https://login.salesforce.com"
}
`
	if diff := cmp.Diff(want, readTree(t, out)["sfdx-project.json"]); diff != "" {
		t.Fatalf("merged sfdx-project.json (-want +got):\n%s", diff)
	}
	wantChanges := []string{
		`packageDirectories[force-app].versionName: added "ver 1.0"`,
		`packageDirectories[force-app].versionNumber: "0.9.0.NEXT" → "1.0.0.NEXT"`,
		`packageDirectories: added "source-org" (not packaged: what stays in the org that owns the app)`,
		`namespace: added "partner1"`,
		`sfdcLoginUrl: added "https://login.salesforce.com"`,
		`sourceApiVersion: "64.0" → "66.0"`,
	}
	if diff := cmp.Diff(wantChanges, res.ProjectChanges); diff != "" {
		t.Errorf("listed changes (-want +got):\n%s", diff)
	}
	// build zips byocpack's package directory, not the user's default.
	addFiles(t, out, map[string]string{"other-app/main/default/classes/Other.cls": "public class Other {}\n",
		"other-app/main/default/classes/Other.cls-meta.xml": "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<ApexClass xmlns=\"http://soap.sforce.com/2006/04/metadata\">\n    <apiVersion>66.0</apiVersion>\n    <status>Active</status>\n</ApexClass>\n"})
	b, err := buildFS(t, func(s string) string { return s }, out)
	if err != nil {
		t.Fatal(err)
	}
	names := zipNames(t, b.Package.Artifacts[0].Path)
	if slices.Contains(names, "classes/Other.cls") || !slices.Contains(names, "externalClientApps/Partner1_ExternalClientApp1.eca") {
		t.Fatalf("build zipped the wrong package directory: %v", names)
	}
}

// TestNoSecretsInPackageDir scans what lands under the package directory
// for anything that must stay in the source org.
func TestNoSecretsInPackageDir(t *testing.T) {
	for _, name := range fixtures() {
		t.Run(name, func(t *testing.T) {
			out := filepath.Join(t.TempDir(), "out")
			renderFixture(t, name, out)
			for p, data := range readTree(t, out) {
				if !strings.HasPrefix(p, "force-app/") {
					continue
				}
				for _, secret := range []string{"PRIVATE KEY", "<consumerKey>", "<consumerSecret>", "ExtlClntAppGlobalOauthSettings", ".ecaGlblOauth"} {
					if strings.Contains(p+"\n"+data, secret) {
						t.Errorf("%s carries %q", p, secret)
					}
				}
			}
		})
	}
}

func TestGitignoreKeepsGlobalSettingsOutOfGit(t *testing.T) {
	out := filepath.Join(t.TempDir(), "out")
	writeTree(t, out, map[string]string{".gitignore": "node_modules/\n"})
	if _, err := renderFS(specFS(t, func(s string) string { return s }), out); err != nil {
		t.Fatal(err)
	}
	got := readTree(t, out)[".gitignore"]
	if !strings.HasPrefix(got, "node_modules/\n") || !strings.HasSuffix(got, "source-org/**/*.ecaGlblOauth-meta.xml\n") {
		t.Fatalf(".gitignore lost the user's lines or lacks the pattern:\n%s", got)
	}
	if _, err := renderFS(specFS(t, func(s string) string { return s }), out); err != nil {
		t.Fatal(err)
	}
	if again := readTree(t, out)[".gitignore"]; again != got {
		t.Fatalf("second render changed .gitignore again:\n%s", again)
	}
	if !bytes.Contains([]byte(got), []byte("must not be added to source control")) {
		t.Fatalf(".gitignore does not say why")
	}
}

func TestRenderIntoAFileSaysSo(t *testing.T) {
	file := filepath.Join(t.TempDir(), "sfdx-project.json")
	if err := os.WriteFile(file, []byte("{}"), 0o644); err != nil {
		t.Fatal(err)
	}
	_, err := renderFS(specFS(t, func(s string) string { return s }), file)
	if err == nil || err.Error() != file+" is a file, not a directory; choose another output directory" {
		t.Fatalf("got %v", err)
	}
}

// The seed's own external client app configuration renders: interaction_api
// alone and distributionState Local (developing in one's own org), with a
// warning that the app cannot go into a managed package; with users left
// to self-authorize, one that RefreshToken is then needed.
func TestRenderSeedConfiguration(t *testing.T) {
	seed := specFS(t, func(s string) string {
		s = strings.Replace(s, "scopes: [interaction_api, refresh_token]", "scopes: [interaction_api]", 1)
		s = strings.Replace(s, "distributionState: Packaged", "distributionState: Local", 1)
		return strings.Replace(s, "permittedUsers: AdminApprovedPreAuthorized", "permittedUsers: AllSelfAuthorized", 1)
	})
	res, err := renderFS(seed, filepath.Join(t.TempDir(), "out"))
	if err != nil {
		t.Fatal(err)
	}
	var got []string
	for _, p := range res.Problems {
		got = append(got, string(p.Severity)+" "+p.Rule)
	}
	if d := cmp.Diff([]string{"warning BYOC-ECA-PACKAGED", "warning BYOC-REFRESH-TOKEN"}, got); d != "" {
		t.Errorf("problems (-want +got):\n%s", d)
	}
	if ok, why := res.Spec.PackageableAs2GP(); ok || !strings.Contains(why, "app.distributionState") {
		t.Errorf("PackageableAs2GP = %v, %q", ok, why)
	}
}

// What real external client apps carry renders into the file Salesforce
// keeps it in, in WSDL order, and passes the schema check render runs.
func TestRenderAppSettings(t *testing.T) {
	full := specFS(t, func(s string) string {
		s = strings.Replace(s, "  callbackUrl: https://login.salesforce.com\n", "  callbackUrls: [https://login.salesforce.com, https://test.salesforce.com]\n", 1)
		s = strings.Replace(s, "  distributionState: Packaged\n", "  distributionState: Packaged\n  pkceRequired: true\n  secretRequiredForRefreshToken: false\n  namedUserJwt: true\n  clientCredentialsFlow: true\n  orgScopedExternalApp: 00D5g000004xyzAEAQ:Partner1_ExternalClientApp1\n  oauthLink: 00D5g000004xyzA:888xx0000000001\n", 1)
		return strings.Replace(s, "    permissionSets: []\n", "    permissionSets: []\n    ipRelaxation: Enforce_RelaxRefresh\n    refreshTokenPolicy: SpecificLifetime\n    refreshTokenValidity: 90\n    clientCredentialsUser: integration@partner1.example\n    sessionLevel: HIGH_ASSURANCE\n    sessionLevelAction: RaiseSessionLevel\n", 1)
	})
	out := filepath.Join(t.TempDir(), "out")
	res, err := renderFS(full, out)
	if err != nil {
		t.Fatal(err)
	}
	if len(res.Problems) > 0 {
		t.Errorf("problems: %v", res.Problems)
	}
	tree := readTree(t, out)
	const pkg, org = "force-app/main/default/", "source-org/main/default/"
	for file, want := range map[string]string{
		pkg + "externalClientApps/Partner1_ExternalClientApp1.eca-meta.xml":                            "    <label>Partner1 ExternalClientApp1</label>\n    <orgScopedExternalApp>00D5g000004xyzAEAQ:Partner1_ExternalClientApp1</orgScopedExternalApp>\n",
		pkg + "extlClntAppOauthSettings/Partner1_ExternalClientApp1_oauth.ecaOauth-meta.xml":           "    <oauthLink>00D5g000004xyzA:888xx0000000001</oauthLink>\n",
		org + "extlClntAppGlobalOauthSets/Partner1_ExternalClientApp1_glbloauth.ecaGlblOauth-meta.xml": "    <callbackUrl>https://login.salesforce.com\nhttps://test.salesforce.com</callbackUrl>\n",
		org + "extlClntAppOauthPolicies/Partner1_ExternalClientApp1_oauthPlcy.ecaOauthPlcy-meta.xml":   "    <ipRelaxationPolicyType>Enforce_RelaxRefresh</ipRelaxationPolicyType>\n    <isClientCredentialsFlowEnabled>true</isClientCredentialsFlowEnabled>\n    <label>Partner1 ExternalClientApp1 OAuth Policies</label>\n    <permittedUsersPolicyType>AdminApprovedPreAuthorized</permittedUsersPolicyType>\n    <policyAction>RaiseSessionLevel</policyAction>\n    <refreshTokenPolicyType>SpecificLifetime</refreshTokenPolicyType>\n    <refreshTokenValidityPeriod>90</refreshTokenValidityPeriod>\n    <refreshTokenValidityUnit>Days</refreshTokenValidityUnit>\n    <requiredSessionLevel>HIGH_ASSURANCE</requiredSessionLevel>\n",
	} {
		if !strings.Contains(tree[file], want) {
			t.Errorf("%s lacks\n%s\nin:\n%s", file, want, tree[file])
		}
	}
	if g := tree[org+"extlClntAppGlobalOauthSets/Partner1_ExternalClientApp1_glbloauth.ecaGlblOauth-meta.xml"]; !strings.Contains(g, "    <externalClientApplication>Partner1_ExternalClientApp1</externalClientApplication>\n    <isClientCredentialsFlowEnabled>true</isClientCredentialsFlowEnabled>\n    <isConsumerSecretOptional>false</isConsumerSecretOptional>\n    <isNamedUserJwtEnabled>true</isNamedUserJwtEnabled>\n    <isPkceRequired>true</isPkceRequired>\n    <isSecretRequiredForRefreshToken>false</isSecretRequiredForRefreshToken>\n    <label>") {
		t.Errorf("isPkceRequired out of place:\n%s", g)
	}
	if p := tree[org+"extlClntAppOauthPolicies/Partner1_ExternalClientApp1_oauthPlcy.ecaOauthPlcy-meta.xml"]; !strings.Contains(p, "metadata\">\n    <clientCredentialsFlowUser>integration@partner1.example</clientCredentialsFlowUser>\n    <commaSeparatedProfile>") {
		t.Errorf("clientCredentialsFlowUser out of place:\n%s", p)
	}
}

// A connected app writes the same settings in its own spellings.
func TestRenderConnectedAppSettings(t *testing.T) {
	settings := fixtureSpecFS(t, "legacy1", func(s string) string {
		s = strings.Replace(s, "  certificate: certs/server.crt\n", "  certificate: certs/server.crt\n  pkceRequired: false\n  secretRequiredForRefreshToken: true\n  clientCredentialsFlow: true\n  callbackUrls: [https://login.salesforce.com, https://test.salesforce.com]\n", 1)
		return strings.Replace(s, "    permissionSets: [Legacy1_Integration]\n", "    permissionSets: [Legacy1_Integration]\n    clientCredentialsUser: integration@legacy1.example\n    ipRelaxation: Bypass_2factor\n    refreshTokenPolicy: SpecificInactivity\n    refreshTokenValidity: 7\n", 1)
	})
	out := filepath.Join(t.TempDir(), "out")
	if _, err := renderFS(settings, out); err != nil {
		t.Fatal(err)
	}
	app := readTree(t, out)["force-app/main/default/connectedApps/Legacy1_ConnectedApp1.connectedApp-meta.xml"]
	for _, want := range []string{
		"        <callbackUrl>https://login.salesforce.com\nhttps://test.salesforce.com</callbackUrl>\n",
		"        <isAdminApproved>true</isAdminApproved>\n        <isClientCredentialEnabled>true</isClientCredentialEnabled>\n        <isConsumerSecretOptional>false</isConsumerSecretOptional>\n",
		"        <isNamedUserJwtEnabled>true</isNamedUserJwtEnabled>\n        <isPkceRequired>false</isPkceRequired>\n        <isSecretRequiredForRefreshToken>true</isSecretRequiredForRefreshToken>\n        <oauthClientCredentialUser>integration@legacy1.example</oauthClientCredentialUser>\n        <scopes>RefreshToken</scopes>\n",
		"        <ipRelaxation>BYPASS_2FACTOR</ipRelaxation>\n        <refreshTokenPolicy>specific_inactivity:7:DAYS</refreshTokenPolicy>\n",
	} {
		if !strings.Contains(app, want) {
			t.Errorf("connected app lacks\n%s\nin:\n%s", want, app)
		}
	}
}
