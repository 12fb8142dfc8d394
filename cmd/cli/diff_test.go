package cli

import (
	"archive/tar"
	"archive/zip"
	"bytes"
	"context"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"
)

// buildPartner builds fixture (fixtures/partner1 as an absolute path) into
// dir/name, with edit applied to its spec first.
func buildPartner(t *testing.T, fixture, dir, name string, edit func(string) string) string {
	t.Helper()
	spec := fixtureSpec(t, fixture, dir, name, edit)
	out := filepath.Join(dir, name)
	if code, _, stderr := run(t, "build", "-f", spec, "-o", out); code != 0 {
		t.Fatalf("build %s: exit %d\n%s", name, code, stderr)
	}
	return out
}

// fixtureSpec copies fixture's spec and certificate to dir/name-spec,
// with edit applied to the spec, and returns the spec's path.
func fixtureSpec(t *testing.T, fixture, dir, name string, edit func(string) string) string {
	t.Helper()
	src := filepath.Join(dir, name+"-spec")
	if err := os.CopyFS(src, os.DirFS(fixture)); err != nil {
		t.Fatal(err)
	}
	os.RemoveAll(filepath.Join(src, "golden"))
	spec := filepath.Join(src, "byoc.yaml")
	b, err := os.ReadFile(spec)
	if err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(spec, []byte(edit(string(b))), 0o644); err != nil {
		t.Fatal(err)
	}
	return spec
}

func same(s string) string { return s }

func partnerFixture(t *testing.T) string {
	t.Helper()
	fx, err := filepath.Abs("../../fixtures/partner1")
	if err != nil {
		t.Fatal(err)
	}
	return fx
}

func TestDiffFixtureBuilds(t *testing.T) {
	dir := t.TempDir()
	fx := partnerFixture(t)
	t.Chdir(dir)
	buildPartner(t, fx, dir, "a", same)
	buildPartner(t, fx, dir, "scope", func(s string) string {
		return strings.Replace(s, "scopes: [interaction_api, refresh_token]", "scopes: [interaction_api, refresh_token, api]", 1)
	})
	buildPartner(t, fx, dir, "policy", func(s string) string {
		return strings.Replace(s, "permittedUsers: AdminApprovedPreAuthorized", "permittedUsers: AllSelfAuthorized", 1)
	})
	buildPartner(t, fx, dir, "renamed", func(s string) string {
		return strings.Replace(s, "name: ChannelDefinition1", "name: ChannelDefinition2", 1)
	})
	// removed: a's project without the event's type field.
	if err := os.CopyFS("removed", os.DirFS("a")); err != nil {
		t.Fatal(err)
	}
	if err := os.Remove("removed/force-app/main/default/objects/Message_Event__e/fields/EventType__c.field-meta.xml"); err != nil {
		t.Fatal(err)
	}
	// reordered: a's project with one file re-indented, CRLF, children
	// in reverse order.
	if err := os.CopyFS("reordered", os.DirFS("a")); err != nil {
		t.Fatal(err)
	}
	ccd := "reordered/force-app/main/default/conversationChannelDefinitions/Partner1_ChannelDefinition1.ConversationChannelDefinition-meta.xml"
	b, _ := os.ReadFile(ccd)
	ls := strings.Split(strings.TrimSpace(string(b)), "\n")
	body := ls[2 : len(ls)-1]
	var rev []string
	for i := len(body) - 1; i >= 0; i-- {
		rev = append(rev, "\t\t"+strings.TrimSpace(body[i])+"  ")
	}
	os.WriteFile(ccd, []byte(ls[0]+"\r\n"+ls[1]+"\r\n"+strings.Join(rev, "\r\n")+"\r\n"+ls[len(ls)-1]+"\r\n"), 0o644)

	for _, tc := range []struct {
		old, new string
		code     int
		want     string
	}{
		{"a/dist/package-version-info.zip", "scope/dist/package-version-info.zip", 1, `--- a/dist/package-version-info.zip (package-version-info.zip)
+++ scope/dist/package-version-info.zip (package-version-info.zip)
~ ExtlClntAppOauthSettings Partner1_ExternalClientApp1_oauth: commaSeparatedOauthScopes: "RefreshToken, Interaction" -> "Api, RefreshToken, Interaction"
error DIFF-SCOPE-ADDED: Partner1_ExternalClientApp1 gains the OAuth scope Api: Api reads and changes all the user's data through the REST and SOAP APIs
  fix: remove Api unless the integration calls what it grants; a reviewer of the package version will ask why
1 changed
`},
		{"a", "policy", 1, `--- a (project)
+++ policy (project)
outside the package (not packaged; stays in the org that owns the app):
~ ExtlClntAppOauthConfigurablePolicies Partner1_ExternalClientApp1_oauthPlcy: permittedUsersPolicyType: "AdminApprovedPreAuthorized" -> "AllSelfAuthorized"
error DIFF-SELF-AUTHORIZED: Partner1_ExternalClientApp1 now lets any user authorize it themselves, where only admin-approved, pre-authorized users could
  fix: keep permittedUsersPolicyType AdminApprovedPreAuthorized (app.policies.permittedUsers)
note: ExtlClntAppOauthConfigurablePolicies Partner1_ExternalClientApp1_oauthPlcy: does not reach subscribers who installed already: a subscriber org gets the policies at install and keeps them (its admin's changes persist); tell their admins to change it in Setup
1 changed
`},
		{"a/dist/package.zip", "policy/dist/package.zip", 0, `--- a/dist/package.zip (package.zip)
+++ policy/dist/package.zip (package.zip)
no differences
`},
		{"a/dist/package.zip", "renamed", 1, `--- a/dist/package.zip (package.zip)
+++ renamed (project)
> ConversationChannelDefinition Partner1_ChannelDefinition1 -> Partner1_ChannelDefinition2
    developerName: "Partner1_ChannelDefinition1" -> "Partner1_ChannelDefinition2"
warning DIFF-RENAMED: ConversationChannelDefinition: the API name changes from Partner1_ChannelDefinition1 to Partner1_ChannelDefinition2; a managed package cannot rename a released component: upgrading adds Partner1_ChannelDefinition2 and subscribers keep Partner1_ChannelDefinition1
  fix: keep the API name Partner1_ChannelDefinition1 (change the label instead), unless no released (promoted) version holds it
note: what stays outside the package (source-org/) is not compared: a/dist/package.zip is a package.zip, which never holds it
1 renamed
`},
		{"a", "removed", 1, `--- a (project)
+++ removed (project)
- CustomField Message_Event__e.EventType__c
warning DIFF-REMOVED: CustomField Message_Event__e.EventType__c is removed from the package; in a managed package a released version constrains removal, and upgrading does not delete the subscribers' copy
  fix: keep the component (deprecate it) if any released (promoted) version holds it; otherwise nothing to do
1 removed
`},
		{"a", "reordered", 0, "--- a (project)\n+++ reordered (project)\nno differences\n"},
		{"reordered", "a/dist/package-version-info.zip", 0, ""},
		{"a-spec/byoc.yaml", "a", 0, ""},
	} {
		code, stdout, stderr := run(t, "diff", tc.old, tc.new)
		if code != tc.code {
			t.Errorf("diff %s %s: exit %d, want %d\n%s%s", tc.old, tc.new, code, tc.code, stdout, stderr)
		}
		if tc.want != "" {
			if d := cmp.Diff(tc.want, stdout); d != "" {
				t.Errorf("diff %s %s (-want +got):\n%s", tc.old, tc.new, d)
			}
		}
	}
}

func TestDiffFormats(t *testing.T) {
	dir := t.TempDir()
	fx := partnerFixture(t)
	t.Chdir(dir)
	buildPartner(t, fx, dir, "a", same)
	buildPartner(t, fx, dir, "b", func(s string) string {
		return strings.Replace(s, "scopes: [interaction_api, refresh_token]", "scopes: [interaction_api, refresh_token, api]", 1)
	})
	os.Remove("b/force-app/main/default/ConversationVendorInformation/Vendor1.ConversationVendorInformation-meta.xml")
	code, stdout, _ := run(t, "diff", "a", "b", "--format", "markdown")
	want := "### byocpack diff\n\n`a` (project) → `b` (project): **1 removed, 1 changed**\n\n" +
		"| change | component | field | old | new |\n|---|---|---|---|---|\n" +
		"| removed | `ConversationVendorInfo Vendor1` | | | |\n" +
		"| changed | `ExtlClntAppOauthSettings Partner1_ExternalClientApp1_oauth` | `commaSeparatedOauthScopes` | `RefreshToken, Interaction` | `Api, RefreshToken, Interaction` |\n\n" +
		"> [!WARNING]\n> **DIFF-REMOVED** ConversationVendorInfo Vendor1 is removed from the package; in a managed package a released version constrains removal, and upgrading does not delete the subscribers' copy\n" +
		"> **Fix:** keep the component (deprecate it) if any released (promoted) version holds it; otherwise nothing to do\n" +
		"\n> [!CAUTION]\n> **DIFF-SCOPE-ADDED** Partner1_ExternalClientApp1 gains the OAuth scope Api: Api reads and changes all the user's data through the REST and SOAP APIs\n" +
		"> **Fix:** remove Api unless the integration calls what it grants; a reviewer of the package version will ask why\n"
	if d := cmp.Diff(want, stdout); d != "" || code != 1 {
		t.Errorf("markdown: exit %d (-want +got):\n%s", code, d)
	}
	code, stdout, _ = run(t, "diff", "a", "b", "--format", "github")
	want = "::notice file=b/force-app/main/default/extlClntAppOauthSettings/Partner1_ExternalClientApp1_oauth.ecaOauth-meta.xml,line=3,title=changed ExtlClntAppOauthSettings Partner1_ExternalClientApp1_oauth::commaSeparatedOauthScopes: \"RefreshToken, Interaction\" -> \"Api, RefreshToken, Interaction\"\n" +
		"::warning file=a/force-app/main/default/ConversationVendorInformation/Vendor1.ConversationVendorInformation-meta.xml,line=2,title=DIFF-REMOVED::ConversationVendorInfo Vendor1 is removed from the package; in a managed package a released version constrains removal, and upgrading does not delete the subscribers' copy%0AFix: keep the component (deprecate it) if any released (promoted) version holds it; otherwise nothing to do\n" +
		"::error file=b/force-app/main/default/extlClntAppOauthSettings/Partner1_ExternalClientApp1_oauth.ecaOauth-meta.xml,line=3,title=DIFF-SCOPE-ADDED::Partner1_ExternalClientApp1 gains the OAuth scope Api: Api reads and changes all the user's data through the REST and SOAP APIs%0AFix: remove Api unless the integration calls what it grants; a reviewer of the package version will ask why\n" +
		"1 removed, 1 changed\n"
	if d := cmp.Diff(want, stdout); d != "" || code != 1 {
		t.Errorf("github: exit %d (-want +got):\n%s", code, d)
	}
	code, stdout, _ = run(t, "diff", "a", "b", "--format", "json")
	for _, s := range []string{`"equal": false`, `"path": "commaSeparatedOauthScopes"`, `"old": "RefreshToken, Interaction"`, `"rule": "DIFF-REMOVED"`, `"errors": 1,`, `"warnings": 1`} {
		if !strings.Contains(stdout, s) || code != 1 {
			t.Errorf("json: exit %d, lacks %s:\n%s", code, s, stdout)
		}
	}
}

// hostile writes archives that try to escape, link, or expand without
// bound.
func hostile(t *testing.T, dir string) map[string][]byte {
	t.Helper()
	zipOf := func(write func(w *zip.Writer)) []byte {
		var buf bytes.Buffer
		w := zip.NewWriter(&buf)
		write(w)
		if err := w.Close(); err != nil {
			t.Fatal(err)
		}
		return buf.Bytes()
	}
	file := func(w *zip.Writer, name, body string) {
		f, err := w.Create(name)
		if err != nil {
			t.Fatal(err)
		}
		f.Write([]byte(body))
	}
	outside := filepath.Join(filepath.Dir(dir), "byocpack-escaped.txt")
	var tarBuf bytes.Buffer
	tw := tar.NewWriter(&tarBuf)
	// A header that declares 100 MiB; its body never comes.
	tw.WriteHeader(&tar.Header{Name: "package.xml", Mode: 0o644, Size: 100 << 20, Typeflag: tar.TypeReg})
	return map[string][]byte{
		"zip slip": zipOf(func(w *zip.Writer) {
			file(w, "package.xml", "<Package/>")
			file(w, "../byocpack-escaped.txt", "escaped")
		}),
		"absolute path": zipOf(func(w *zip.Writer) { file(w, outside, "escaped") }),
		"symlink entry": zipOf(func(w *zip.Writer) {
			h := &zip.FileHeader{Name: "package.xml"}
			h.SetMode(os.ModeSymlink | 0o777)
			f, _ := w.CreateHeader(h)
			f.Write([]byte("/etc/passwd"))
		}),
		"oversized entry": tarBuf.Bytes(),
		"zip bomb": zipOf(func(w *zip.Writer) {
			f, _ := w.CreateHeader(&zip.FileHeader{Name: "objects/Bomb__c.object", Method: zip.Deflate})
			zeros := make([]byte, 1<<20)
			for range 65 { // 65 MiB of zeros, about 65 KB deflated
				f.Write(zeros)
			}
		}),
	}
}

func TestHostileArchivesAreRefused(t *testing.T) {
	root := t.TempDir()
	dir := filepath.Join(root, "work")
	os.Mkdir(dir, 0o755)
	t.Chdir(dir)
	want := map[string]string{
		"zip slip":        `entry "../byocpack-escaped.txt": the path climbs out with ".." (zip slip): refused`,
		"absolute path":   "an absolute path: refused",
		"symlink entry":   `a link (to "/etc/passwd")`,
		"oversized entry": "declares 104857600 bytes, more than the 64 MiB byocpack reads from one entry",
		"zip bomb":        "likely zip bomb",
	}
	for name, data := range hostile(t, dir) {
		p := strings.ReplaceAll(name, " ", "-") + ".zip"
		if err := os.WriteFile(p, data, 0o644); err != nil {
			t.Fatal(err)
		}
		for _, args := range [][]string{{"diff", p, p}, {"review", p}} {
			code, stdout, stderr := run(t, args...)
			if code != 2 || !strings.Contains(stderr, want[name]) || stdout != "" {
				t.Errorf("%s %v: exit %d, stdout %q, stderr %q; want exit 2 and %q", name, args, code, stdout, stderr, want[name])
			}
		}
	}
	// Nothing was extracted anywhere: the work directory holds only the
	// archives, and nothing landed beside it.
	entries, _ := os.ReadDir(dir)
	if len(entries) != 5 {
		t.Errorf("the work directory holds %d entries, want the 5 archives", len(entries))
	}
	if top, _ := os.ReadDir(root); len(top) != 1 {
		t.Errorf("something was written beside the work directory: %v", top)
	}
}

func TestDiffUsage(t *testing.T) {
	for _, args := range [][]string{{"diff", "a"}, {"diff", "a", "b", "c"}, {"diff", "--format", "xml", "a", "b"}, {"review", "--format", "text"}, {"review", "a", "b"}, {"diff", "missing1", "missing2"}} {
		if code, _, stderr := run(t, args...); code != 2 || !strings.Contains(stderr, "error: ") {
			t.Errorf("%v: exit %d, stderr %q", args, code, stderr)
		}
	}
}

func TestAnnotationEscaping(t *testing.T) {
	var b bytes.Buffer
	writeAnnotation(&b, annotation{severity: "error", file: "a,b:c.xml", line: 3, col: 4, title: "R: 100%, sure", message: "50% done\r\nnext: a, b"})
	writeAnnotation(&b, annotation{severity: "info", file: "spec.yaml!force-app/x.xml", line: 9, message: "inner"})
	want := "::error file=a%2Cb%3Ac.xml,line=3,col=4,title=R%3A 100%25%2C sure::50%25 done%0D%0Anext: a, b\n" +
		"::notice file=spec.yaml::inner\n"
	if d := cmp.Diff(want, b.String()); d != "" {
		t.Errorf("(-want +got):\n%s", d)
	}
}

// Colour only on a terminal, and never with NO_COLOR set.
func TestDiffColour(t *testing.T) {
	dir := t.TempDir()
	fx := partnerFixture(t)
	t.Chdir(dir)
	buildPartner(t, fx, dir, "a", same)
	os.CopyFS("b", os.DirFS("a"))
	os.Remove("b/force-app/main/default/ConversationVendorInformation/Vendor1.ConversationVendorInformation-meta.xml")
	var out bytes.Buffer
	on := true
	var opts *DiffOptions
	cmd := NewCmdDiff(IO{Out: &out, Err: &out}, func(o *DiffOptions) error { opts = o; return nil })
	cmd.SetArgs([]string{"a", "b"})
	cmd.SetContext(context.Background())
	if err := cmd.Execute(); err != nil {
		t.Fatal(err)
	}
	opts.Color = &on
	if err := runDiff(cmd, opts); err == nil {
		t.Fatal("different trees: no exit 1")
	}
	if !strings.Contains(out.String(), "\x1b[31m- ConversationVendorInfo Vendor1\x1b[0m") {
		t.Errorf("forced colour: no red removal:\n%q", out.String())
	}
	if useColor(&out) {
		t.Error("colour for a buffer")
	}
	t.Setenv("NO_COLOR", "1")
	if useColor(os.Stdout) {
		t.Error("colour with NO_COLOR set")
	}
	if _, stdout, _ := run(t, "diff", "a", "b"); strings.Contains(stdout, "\x1b[") {
		t.Errorf("colour when stdout is not a terminal:\n%q", stdout)
	}
}
