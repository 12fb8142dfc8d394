package migrate

import (
	"os"
	"path/filepath"
	"regexp"
	"slices"
	"strings"
	"testing"

	"github.com/beevik/etree"
	"github.com/google/go-cmp/cmp"
)

// followNotes does what migrate's notes ask of the user for a spec to
// render: add the Interaction scope and a pre-authorized profile where the
// connected app had none.
func followNotes(res *Result) {
	s := string(res.Spec)
	notes := strings.Join(res.Notes, "\n")
	if strings.Contains(notes, "lacks the Interaction scope") {
		s = regexp.MustCompile(`(?m)^  scopes: \[(.*)\]$`).ReplaceAllStringFunc(s, func(line string) string {
			if strings.HasSuffix(line, "[]") {
				return "  scopes: [interaction_api]"
			}
			return strings.TrimSuffix(line, "]") + ", interaction_api]"
		})
	}
	if strings.Contains(notes, "pre-authorizes no profile") {
		s = strings.Replace(s, "    profiles: []\n", "    profiles: [System Administrator]\n", 1)
	}
	res.Spec = []byte(s)
}

func texts(root *etree.Element, path string) []string {
	var out []string
	for _, e := range root.FindElements(path) {
		out = append(out, strings.TrimSpace(e.Text()))
	}
	return out
}

// The committed look-alikes of real connected apps (CI, SAML-only,
// several callbacks, client credentials): every element is carried or
// listed, the spec renders once the notes are followed, and it reads back
// the values the connected app held for every setting byoc.yaml has.
func TestMigrateLookAlikes(t *testing.T) {
	files, _ := filepath.Glob("testdata/*.connectedApp-meta.xml")
	if len(files) < 4 {
		t.Fatalf("look-alikes: %v", files)
	}
	for _, f := range files {
		t.Run(filepath.Base(f), func(t *testing.T) {
			data, err := os.ReadFile(f)
			if err != nil {
				t.Fatal(err)
			}
			res, err := FromConnectedApp(data, Options{FileName: f})
			if err != nil {
				t.Fatal(err)
			}
			doc := etree.NewDocument()
			if err := doc.ReadFromBytes(data); err != nil {
				t.Fatal(err)
			}
			root := doc.Root()
			accountedFor(t, data, res)
			for _, u := range res.Unmapped {
				if u.Note == "" || u.Note == "no counterpart in byoc.yaml" {
					t.Errorf("%s is listed without why: %q", u.Path, u.Note)
				}
			}
			followNotes(res)
			cert := res.Certificate
			if cert == nil {
				cert = []byte(testCert())
			}
			a := renderWithChannel(t, res, cert).Spec.App
			if a.Description != strings.Join(texts(root, "description"), "") {
				t.Errorf("description %q", a.Description)
			}
			if want := texts(root, "profileName"); len(want) > 0 {
				want = slices.DeleteFunc(want, func(p string) bool { return strings.Contains(p, ",") })
				if len(want) == 0 {
					want = []string{"System Administrator"} // followNotes adds it
				}
				if d := cmp.Diff(want, a.Policies.Profiles); d != "" {
					t.Errorf("profiles (-want +got):\n%s", d)
				}
			}
			if d := cmp.Diff(texts(root, "permissionSetName"), a.Policies.PermissionSets, cmp.Comparer(func(x, y []string) bool { return len(x)+len(y) == 0 || slices.Equal(x, y) })); d != "" {
				t.Errorf("permission sets (-want +got):\n%s", d)
			}
			if v := texts(root, "oauthConfig/isPkceRequired"); len(v) > 0 && (a.PKCERequired == nil || *a.PKCERequired != (v[0] == "true")) {
				t.Errorf("PKCE %v, want %s", a.PKCERequired, v[0])
			}
			if v := texts(root, "oauthConfig/isNamedUserJwtEnabled"); a.NamedUserJWT != (len(v) > 0 && v[0] == "true") {
				t.Errorf("named-user JWT %v, want %v", a.NamedUserJWT, v)
			}
			var urls []string
			for _, u := range strings.Fields(strings.Join(texts(root, "oauthConfig/callbackUrl"), " ")) {
				if (strings.HasPrefix(u, "https://") || strings.HasPrefix(u, "http://localhost")) && !slices.Contains(urls, u) {
					urls = append(urls, u)
				}
			}
			if len(urls) == 0 {
				urls = []string{"https://login.salesforce.com"}
			}
			if d := cmp.Diff(urls, a.CallbackURLs); d != "" {
				t.Errorf("callback URLs (-want +got):\n%s", d)
			}
		})
	}
}

// Exact values of the look-alikes that carry each kind of setting.
func TestMigrateLookAlikeValues(t *testing.T) {
	load := func(name string) *Result {
		data, err := os.ReadFile("testdata/" + name)
		if err != nil {
			t.Fatal(err)
		}
		res, err := FromConnectedApp(data, Options{FileName: name})
		if err != nil {
			t.Fatal(err)
		}
		return res
	}
	globex := load("Globex_Forms.connectedApp-meta.xml")
	for _, want := range []string{`description: "0x10"`, `label: "- dash"`, `profiles: ["0o17", "yes"]`, "permissionSets: [sfdc__Integration_User]",
		"ipRelaxation: Enforce_RelaxRefresh\n", "refreshTokenPolicy: SpecificLifetime\n", `refreshTokenValidity: "90"`, "sessionLevel: HIGH_ASSURANCE\n",
		"scopes: [Api, RefreshToken, Interaction, OfflineAccess]", "pkceRequired: true\n", "  # namedUserJwt: true\n"} {
		if !strings.Contains(string(globex.Spec), want) {
			t.Errorf("Globex spec lacks %q", want)
		}
	}
	if ci := load("Acme_CI.connectedApp-meta.xml"); !strings.Contains(string(ci.Spec), "secretRequiredForRefreshToken: true\n") {
		t.Error("Acme_CI: isSecretRequiredForRefreshToken not carried")
	}
	office := load("Office_365.connectedApp-meta.xml")
	if office.Prefix != "Office" || office.Name != "365" || !strings.Contains(string(office.Spec), `  name: "365"`) {
		t.Errorf("Office_365: prefix %q name %q", office.Prefix, office.Name)
	}
	notes := strings.Join(office.Notes, "\n")
	if !strings.Contains(notes, "has no OAuth settings") || !strings.Contains(string(office.Spec), "scopes: []") {
		t.Errorf("the SAML-only app's gap is not said:\n%s", notes)
	}
	for _, c := range office.Carried {
		if strings.HasPrefix(c.From, "oauthConfig") {
			t.Errorf("an app without OAuth settings carried %+v", c)
		}
	}
	initech := load("Initech_Sync.connectedApp-meta.xml")
	for _, want := range []string{"clientCredentialsFlow: true\n", `clientCredentialsUser: "integration@initech.example"`, "namedUserJwt: true\n",
		"refreshTokenPolicy: SpecificInactivity\n", `refreshTokenValidity: "6"`, "refreshTokenValidityUnit: Hours\n", "permittedUsers: AllSelfAuthorized\n", "scopes: [Full, RefreshToken]"} {
		if !strings.Contains(string(initech.Spec), want) {
			t.Errorf("Initech spec lacks %q", want)
		}
	}
	var listed []string
	for _, u := range initech.Unmapped {
		listed = append(listed, u.Path+"="+u.Value)
	}
	for _, want := range []string{"oauthConfig/scopes=ChatbotApi", "profileName=Initech Integration, Sync", "oauthConfig/isConsumerKeyOptional=false"} {
		if !slices.Contains(listed, want) {
			t.Errorf("Initech does not list %s: %v", want, listed)
		}
	}
}
