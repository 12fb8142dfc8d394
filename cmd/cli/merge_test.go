package cli

import (
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"

	"github.com/byocpack/byocpack/internal/testtool"
)

// gitRepo is a throwaway repository whose byocpack is this test binary,
// set up with the README's .gitattributes and git config lines.
type gitRepo struct {
	t   *testing.T
	dir string
	env []string
}

func newGitRepo(t *testing.T, attributes string, config ...[2]string) *gitRepo {
	t.Helper()
	testtool.Path(t, "git", "apt-get install git")
	self, err := os.Executable()
	if err != nil {
		t.Fatal(err)
	}
	bin := t.TempDir()
	script := "#!/bin/sh\nBYOCPACK_TEST_AS_CLI=1 exec '" + self + "' \"$@\"\n"
	if err := os.WriteFile(filepath.Join(bin, "byocpack"), []byte(script), 0o755); err != nil {
		t.Fatal(err)
	}
	r := &gitRepo{t: t, dir: t.TempDir(), env: append(os.Environ(),
		"PATH="+bin+string(os.PathListSeparator)+os.Getenv("PATH"),
		"GIT_CONFIG_GLOBAL=/dev/null", "GIT_CONFIG_NOSYSTEM=1", "HOME="+t.TempDir(),
		"GIT_AUTHOR_NAME=t", "GIT_AUTHOR_EMAIL=t@example.com", "GIT_COMMITTER_NAME=t", "GIT_COMMITTER_EMAIL=t@example.com",
		"GIT_AUTHOR_DATE=2026-01-01T00:00:00Z", "GIT_COMMITTER_DATE=2026-01-01T00:00:00Z")}
	r.git("init", "-q", "-b", "main")
	for _, kv := range config {
		r.git("config", kv[0], kv[1])
	}
	r.write(".gitattributes", attributes)
	r.write("sfdx-project.json", `{"packageDirectories": [{"path": "force-app", "default": true}], "sourceApiVersion": "66.0"}`+"\n")
	return r
}

func (r *gitRepo) git(args ...string) string {
	r.t.Helper()
	out, err := r.try(args...)
	if err != nil {
		r.t.Fatalf("git %s: %v\n%s", strings.Join(args, " "), err, out)
	}
	return out
}

func (r *gitRepo) try(args ...string) (string, error) {
	cmd := exec.Command("git", args...)
	cmd.Dir, cmd.Env = r.dir, r.env
	out, err := cmd.CombinedOutput()
	return string(out), err
}

func (r *gitRepo) write(name, content string) {
	r.t.Helper()
	p := filepath.Join(r.dir, filepath.FromSlash(name))
	if err := os.MkdirAll(filepath.Dir(p), 0o755); err != nil {
		r.t.Fatal(err)
	}
	if err := os.WriteFile(p, []byte(content), 0o644); err != nil {
		r.t.Fatal(err)
	}
}

func (r *gitRepo) read(name string) string {
	r.t.Helper()
	b, err := os.ReadFile(filepath.Join(r.dir, filepath.FromSlash(name)))
	if err != nil {
		r.t.Fatal(err)
	}
	return string(b)
}

func (r *gitRepo) commitAll(msg string) {
	r.t.Helper()
	r.git("add", "-A")
	r.git("commit", "-q", "-m", msg)
}

// The README's merge driver lines.
var mergeDriverConfig = [][2]string{
	{"merge.byocpack.name", "byocpack metadata merge"},
	{"merge.byocpack.driver", "byocpack merge-driver %O %A %B %P --marker-size %L"},
}

const (
	permSetPath = "force-app/main/default/permissionsets/Support.permissionset-meta.xml"
	appPath     = "force-app/main/default/connectedApps/Acme_App.connectedApp-meta.xml"
)

func fieldPerm(field, editable string) string {
	return "    <fieldPermissions>\n        <editable>" + editable + "</editable>\n        <field>" + field + "</field>\n        <readable>true</readable>\n    </fieldPermissions>\n"
}

func permSet(perms ...string) string {
	return `<?xml version="1.0" encoding="UTF-8"?>` + "\n" + `<PermissionSet xmlns="http://soap.sforce.com/2006/04/metadata">` + "\n" +
		strings.Join(perms, "") + "    <label>Support</label>\n</PermissionSet>\n"
}

func connectedApp(scopes ...string) string {
	s := ""
	for _, sc := range scopes {
		s += "        <scopes>" + sc + "</scopes>\n"
	}
	return `<?xml version="1.0" encoding="UTF-8"?>` + "\n" + `<ConnectedApp xmlns="http://soap.sforce.com/2006/04/metadata">` + "\n" +
		"    <contactEmail>dev@acme.example</contactEmail>\n    <label>Acme App</label>\n    <oauthConfig>\n" +
		"        <callbackUrl>https://login.salesforce.com</callbackUrl>\n        <consumerKey>KEY</consumerKey>\n" + s +
		"    </oauthConfig>\n</ConnectedApp>\n"
}

// branches commits base on main, then ours on branch a and theirs on
// branch b, and merges b into a; it returns the merge's error.
func (r *gitRepo) branches(files map[string][3]string) error {
	r.t.Helper()
	for name, v := range files {
		r.write(name, v[0])
	}
	r.commitAll("base")
	r.git("checkout", "-q", "-b", "b")
	for name, v := range files {
		r.write(name, v[2])
	}
	r.commitAll("theirs")
	r.git("checkout", "-q", "main")
	r.git("checkout", "-q", "-b", "a")
	for name, v := range files {
		r.write(name, v[1])
	}
	r.commitAll("ours")
	_, err := r.try("merge", "-q", "--no-edit", "b")
	return err
}

// Two branches each adding a fieldPermissions to a PermissionSet and a
// scope to a connected app, at the same place of the file, merge cleanly
// through the driver: entries are matched by field and by value, not by
// line. Plain git's text merge conflicts on the same history.
func TestMergeDriverMergesGroupsByKey(t *testing.T) {
	files := map[string][3]string{
		permSetPath: {permSet(fieldPerm("Account.Phone", "false")),
			permSet(fieldPerm("Account.Fax", "false"), fieldPerm("Account.Phone", "false")),
			permSet(fieldPerm("Account.Industry", "true"), fieldPerm("Account.Phone", "false"))},
		appPath: {connectedApp("Api"), connectedApp("Api", "Interaction"), connectedApp("Api", "RefreshToken")},
	}
	plain := newGitRepo(t, "")
	if err := plain.branches(files); err == nil {
		t.Fatal("git's text merge merged the branches cleanly; the test proves nothing")
	}

	r := newGitRepo(t, "*-meta.xml merge=byocpack\n", mergeDriverConfig...)
	if err := r.branches(files); err != nil {
		t.Fatalf("merge through the driver: %v\n%s", err, r.git("status", "--short"))
	}
	want := permSet(fieldPerm("Account.Fax", "false"), fieldPerm("Account.Industry", "true"), fieldPerm("Account.Phone", "false"))
	if got := r.read(permSetPath); got != want {
		t.Errorf("merged permission set:\n%s\nwant:\n%s", got, want)
	}
	if got, want := r.read(appPath), connectedApp("Api", "Interaction", "RefreshToken"); got != want {
		t.Errorf("merged connected app:\n%s\nwant:\n%s", got, want)
	}
}

// One entry changed two ways is a conflict, marked around the whole entry
// (editable and readable go together); the rest of the file still merges.
// A file fmt does not know falls back to git's text merge.
func TestMergeDriverConflicts(t *testing.T) {
	r := newGitRepo(t, "*-meta.xml merge=byocpack\n", mergeDriverConfig...)
	unknown := "force-app/main/default/notes/readme.nosuchtype-meta.xml"
	err := r.branches(map[string][3]string{
		permSetPath: {permSet(fieldPerm("Account.Phone", "false")),
			permSet(fieldPerm("Account.Fax", "false"), fieldPerm("Account.Phone", "true")),
			strings.Replace(permSet(fieldPerm("Account.Phone", "false")), "<readable>true", "<readable>false", 1)},
		unknown: {"one\ntwo\n", "one\nours\n", "one\ntheirs\n"},
	})
	if err == nil {
		t.Fatal("the merge succeeded; want conflicts")
	}
	if got := r.git("diff", "--name-only", "--diff-filter=U"); got != permSetPath+"\n"+unknown+"\n" && got != unknown+"\n"+permSetPath+"\n" {
		t.Errorf("unmerged files: %q", got)
	}
	want := permSet(fieldPerm("Account.Fax", "false"),
		"<<<<<<< ours\n"+fieldPerm("Account.Phone", "true")+"=======\n"+
			strings.Replace(fieldPerm("Account.Phone", "false"), "<readable>true", "<readable>false", 1)+">>>>>>> theirs\n")
	if got := r.read(permSetPath); got != want {
		t.Errorf("conflicted permission set:\n%s\nwant:\n%s", got, want)
	}
	if got := r.read(unknown); got != "one\n<<<<<<< ours\nours\n=======\ntheirs\n>>>>>>> theirs\n" {
		t.Errorf("unknown file, merged as text:\n%s", got)
	}
}

// As a clean filter, fmt stages metadata in retrieve order and layout and
// leaves the working file and files it does not know alone.
func TestFmtCleanFilter(t *testing.T) {
	r := newGitRepo(t, "*-meta.xml filter=byocpack\n", [2]string{"filter.byocpack.clean", "byocpack fmt --stdin %f"})
	tidy := connectedApp("Api")
	messy := strings.Replace(tidy, "    <contactEmail>dev@acme.example</contactEmail>\n    <label>Acme App</label>\n", "  <label>Acme App</label><contactEmail>dev@acme.example</contactEmail>\n", 1)
	r.write(appPath, messy)
	odd := []string{"force-app/main/default/notes/x.nosuchtype-meta.xml", permSetPath}
	r.write(odd[0], "<not formatted/>")
	r.write(odd[1], "<PermissionSet><label>x</label></PermissionSet>")
	r.commitAll("add")
	if got := r.git("show", "HEAD:"+appPath); got != tidy {
		t.Errorf("staged:\n%s\nwant:\n%s", got, tidy)
	}
	if got := r.read(appPath); got != messy {
		t.Errorf("the working file changed:\n%s", got)
	}
	for _, f := range odd {
		if got, want := r.git("show", "HEAD:"+f), r.read(f); got != want {
			t.Errorf("%s, which fmt does not format, was staged as %q", f, got)
		}
	}
}
