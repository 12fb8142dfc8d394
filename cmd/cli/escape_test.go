package cli

import (
	"archive/zip"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"
)

// hostileName is a file or entry name made to forge output: a colour and
// screen-clearing escape, a line that GitHub Actions would run as a
// workflow command, HTML and a markdown link.
const hostileName = "A\x1b[2J\x1b[31m\n::error::forged <img src=x> [link](http://x)"

// assertInert fails when out lets a hostile value through: a raw escape
// or control character, a line that starts a workflow command byocpack did
// not write (annotations are allowed when github is true), and, when
// markdown is true, live HTML or a link.
func assertInert(t *testing.T, what, out string, github, markdown bool) {
	t.Helper()
	if i := strings.IndexFunc(out, func(r rune) bool { return r < 0x20 && r != '\n' && r != '\t' || r == 0x7f }); i >= 0 {
		t.Errorf("%s: a raw control character %q reaches the output:\n%q", what, out[i], out)
	}
	for _, line := range strings.Split(out, "\n") {
		l := strings.TrimSpace(line)
		if strings.HasPrefix(l, "::") && !(github && regexp.MustCompile(`^::(error|warning|notice)( file=[^:]*)?::`).MatchString(l)) {
			t.Errorf("%s: a line GitHub would run as a command: %q", what, line)
		}
		if strings.HasPrefix(l, "::error::forged") {
			t.Errorf("%s: a forged annotation: %q", what, line)
		}
		if markdown {
			// What a renderer reads outside code spans and escapes.
			live := regexp.MustCompile("(`+)[^`]*?(`+)").ReplaceAllString(l, "")
			live = regexp.MustCompile(`\\.`).ReplaceAllString(live, "")
			if strings.Contains(live, "<img") || strings.Contains(live, "[link](") || strings.HasPrefix(l, "# heading") {
				t.Errorf("%s: live markdown or HTML: %q", what, line)
			}
		}
	}
}

func TestFmtAndValidatePrintHostileFileNamesInert(t *testing.T) {
	dir := t.TempDir()
	name := filepath.Join(dir, strings.ReplaceAll(hostileName, "/", "_")+".eca-meta.xml")
	if err := os.WriteFile(name, []byte("<ExternalClientApplication>"), 0o644); err != nil {
		t.Fatal(err)
	}
	_, stdout, stderr := run(t, "fmt", "--check", dir)
	assertInert(t, "fmt", stdout+stderr, false, false)
	if !strings.Contains(stdout+stderr, `\x1b[2J`) {
		t.Errorf("fmt does not name the file, escaped:\n%s%s", stdout, stderr)
	}
	_, stdout, stderr = run(t, "validate", name)
	assertInert(t, "validate", stdout+stderr, false, false)
	_, stdout, stderr = run(t, "validate", "--format", "github", name)
	assertInert(t, "validate --format github", stdout+stderr, true, false)
	if !strings.Contains(stdout, `file=`+filepath.Dir(name)) || !strings.Contains(stdout, `%0A%3A%3Aerror%3A%3Aforged`) {
		t.Errorf("validate --format github does not escape file= as GitHub reads it:\n%s", stdout)
	}
}

func TestTokenServerErrorIsPrintedInert(t *testing.T) {
	dir := t.TempDir()
	key, _ := makeCert(t, dir)
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "application/json")
		w.WriteHeader(http.StatusBadRequest)
		w.Write([]byte(`{"error":"invalid_grant","error_description":"no\u001b[2J\n::error::forged <img src=x> [link](http://x)"}`))
	}))
	defer srv.Close()
	code, stdout, stderr := run(t, "token", "--key", key, "--client-id", "x", "--user", "u@acme.example", "--login-url", srv.URL)
	if code != 1 || !strings.Contains(stderr, "forged") {
		t.Fatalf("exit %d:\n%s%s", code, stdout, stderr)
	}
	assertInert(t, "token", stdout+stderr, false, false)
}

// hostileProject renders partner1 into dir/name and puts hostile values
// in its app's label (XML can hold a line break, not an ESC).
func hostileProject(t *testing.T, fx, dir, name string) string {
	t.Helper()
	out := buildPartner(t, fx, dir, name, same)
	eca := filepath.Join(out, "force-app/main/default/externalClientApps/Partner1_ExternalClientApp1.eca-meta.xml")
	b, err := os.ReadFile(eca)
	if err != nil {
		t.Fatal(err)
	}
	label := regexp.MustCompile(`<label>[^<]*</label>`)
	hostile := "<label>x&#10;::error::forged&#10;# heading &lt;img src=x&gt; [link](http://x) | `tick`</label>"
	if err := os.WriteFile(eca, label.ReplaceAll(b, []byte(hostile)), 0o644); err != nil {
		t.Fatal(err)
	}
	return out
}

func TestReviewAndDiffMarkdownAreInert(t *testing.T) {
	dir := t.TempDir()
	fx := partnerFixture(t)
	t.Chdir(dir)
	plain := buildPartner(t, fx, dir, "plain", same)
	bad := hostileProject(t, fx, dir, "bad")
	_, got := reviewAt(t, reviewDay, bad)
	if !strings.Contains(got, "forged") {
		t.Fatalf("the label is not in the review:\n%s", got)
	}
	assertInert(t, "review markdown", got, false, true)
	_, got = reviewAt(t, reviewDay, bad, "--format", "github")
	assertInert(t, "review github", got, true, false)
	for _, format := range []string{"markdown", "text", "github"} {
		_, stdout, stderr := run(t, "diff", plain, bad, "--format", format)
		if !strings.Contains(stdout, "forged") {
			t.Fatalf("diff %s does not show the label:\n%s%s", format, stdout, stderr)
		}
		assertInert(t, "diff "+format, stdout+stderr, format == "github", format == "markdown")
	}
}

func TestArchiveEntryNamesArePrintedInert(t *testing.T) {
	dir := t.TempDir()
	t.Chdir(dir)
	zipOf := func(path string, names ...string) {
		var b strings.Builder
		zw := zip.NewWriter(&b)
		for _, name := range append([]string{"package.xml"}, names...) {
			w, err := zw.Create(name)
			if err != nil {
				t.Fatal(err)
			}
			w.Write([]byte(`<?xml version="1.0" encoding="UTF-8"?><Package xmlns="http://soap.sforce.com/2006/04/metadata"><types><members>*</members><name>ApexClass</name></types><version>66.0</version></Package>`))
		}
		zw.Close()
		if err := os.WriteFile(path, []byte(b.String()), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	zipOf("old.zip", "classes/Plain.cls")
	zipOf("new.zip", "classes/Plain.cls", "classes/"+strings.ReplaceAll(hostileName, "/", "_")+".cls")
	for _, args := range [][]string{
		{"review", "new.zip"}, {"review", "new.zip", "--format", "github"},
		{"diff", "old.zip", "new.zip"}, {"diff", "old.zip", "new.zip", "--format", "markdown"}, {"diff", "old.zip", "new.zip", "--format", "github"},
	} {
		_, stdout, stderr := run(t, args...)
		if !strings.Contains(stdout, "forged") && args[len(args)-1] != "github" {
			t.Errorf("%v does not show the entry:\n%s%s", args, stdout, stderr)
		}
		last := args[len(args)-1]
		assertInert(t, strings.Join(args, " "), stdout+stderr, last == "github", last == "markdown" || args[0] == "review" && len(args) == 2)
	}
}
