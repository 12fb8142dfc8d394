package cli

import (
	"bytes"
	"encoding/json"
	"os"
	"path/filepath"
	"strings"
	"syscall"
	"testing"

	"github.com/google/go-cmp/cmp"
)

func run(t *testing.T, args ...string) (code int, stdout, stderr string) {
	t.Helper()
	var out, errb bytes.Buffer
	code = Main(args, IO{In: strings.NewReader(""), Out: &out, Err: &errb}, "test")
	return code, out.String(), errb.String()
}

func TestRenderFlagsReachOptions(t *testing.T) {
	var got *RenderOptions
	cmd := NewCmdRender(IO{}, func(o *RenderOptions) error { got = o; return nil })
	cmd.SetArgs([]string{"-f", "x/byoc.yaml", "-o", "dist", "--force", "--dry-run", "--json"})
	if err := cmd.Execute(); err != nil {
		t.Fatal(err)
	}
	want := RenderOptions{SpecPath: "x/byoc.yaml", OutDir: "dist", Force: true, DryRun: true, JSON: true}
	got.IO = IO{}
	if diff := cmp.Diff(want, *got, cmp.AllowUnexported(IO{})); diff != "" {
		t.Fatal(diff)
	}
}

func TestUsageErrorsExit2(t *testing.T) {
	for _, args := range [][]string{
		{"render", "--bogus"},
		{"render", "extra-arg"},
		{"nope"},
		{"validate", "--format", "xml"},
		{"init", "--prefix", "Bad__Prefix"},
		{"validate", "--api-version", "46.0", "."},
	} {
		code, _, stderr := run(t, args...)
		if code != 2 {
			t.Errorf("%v: exit %d, want 2 (stderr %q)", args, code, stderr)
		}
		if !strings.Contains(stderr, "error: ") {
			t.Errorf("%v: stderr does not say what is wrong: %q", args, stderr)
		}
	}
}

// TestMissingInputExits1 holds every command to one rule: an input that
// is not there is invalid input (1), not a usage error (2).
func TestMissingInputExits1(t *testing.T) {
	for _, args := range [][]string{
		{"validate", "does/not/exist"},
		{"validate", "does/not/*.xml"},
		{"render", "-f", "does/not/exist.yaml", "-o", t.TempDir()},
		{"build", "-f", "does/not/exist.yaml", "-o", t.TempDir()},
		{"package", "-p", "does/not/exist"},
	} {
		if code, _, stderr := run(t, args...); code != 1 {
			t.Errorf("%v: exit %d, want 1 (stderr %q)", args, code, stderr)
		}
		if _, err := os.Stat("does"); err == nil {
			os.RemoveAll("does")
			t.Errorf("%v created the missing input's directories", args)
		}
	}
}

func TestRenderBadSpecExit1AndWritesNothing(t *testing.T) {
	dir := t.TempDir()
	spec := filepath.Join(dir, "byoc.yaml")
	if err := os.WriteFile(spec, []byte("prefix: Acme\npackage:\n  nmae: x\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	out := filepath.Join(dir, "out")
	code, stdout, stderr := run(t, "render", "-f", spec, "-o", out)
	if code != 1 || stdout != "" {
		t.Fatalf("exit %d, stdout %q", code, stdout)
	}
	for _, want := range []string{
		spec + `:3:3: error spec: package.nmae: unknown key (did you mean "name"?)`,
		"nothing was written",
	} {
		if !strings.Contains(stderr, want) {
			t.Errorf("stderr lacks %q:\n%s", want, stderr)
		}
	}
	if _, err := os.Stat(out); err == nil {
		t.Fatal("output directory was created")
	}
}

func TestInitRenderValidate(t *testing.T) {
	dir := t.TempDir()
	spec := filepath.Join(dir, "byoc.yaml")
	if code, _, stderr := run(t, "init", "-o", spec, "--prefix", "Acme", "--namespace", "acme"); code != 0 {
		t.Fatalf("init: exit %d: %s", code, stderr)
	}
	if code, _, stderr := run(t, "init", "-o", spec); code != 1 || !strings.Contains(stderr, "already exists") || !strings.Contains(stderr, "Pass --force to overwrite it") {
		t.Fatalf("second init: exit %d, %q; want a refusal to overwrite", code, stderr)
	}
	crt, err := os.ReadFile("../../fixtures/partner1/certs/server.crt")
	if err != nil {
		t.Fatal(err)
	}
	if err := os.MkdirAll(filepath.Join(dir, "certs"), 0o755); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(filepath.Join(dir, "certs", "server.crt"), crt, 0o644); err != nil {
		t.Fatal(err)
	}
	out := filepath.Join(dir, "out")
	code, stdout, stderr := run(t, "render", "-f", spec, "-o", out)
	if code != 0 {
		t.Fatalf("render: exit %d: %s", code, stderr)
	}
	if !strings.Contains(stdout, "externalClientApps/Acme_ExternalClientApp1.eca-meta.xml") {
		t.Fatalf("render output does not list the app:\n%s", stdout)
	}
	code, stdout, _ = run(t, "validate", out, "--format", "json")
	var res validateOutput
	if err := unmarshalResult(stdout, &res); err != nil || code != 0 || res.Files == 0 || !strings.Contains(stdout, `"errors": 0`) {
		t.Fatalf("validate: exit %d, %+v, %v", code, res, err)
	}
}

func TestValidateReportsBrokenFileExit1(t *testing.T) {
	dir := t.TempDir()
	f := filepath.Join(dir, "X.ConversationChannelDefinition-meta.xml")
	if err := os.WriteFile(f, []byte("<ConversationChannelDefinition"), 0o644); err != nil {
		t.Fatal(err)
	}
	code, stdout, _ := run(t, "validate", f)
	if code != 1 || !strings.Contains(stdout, filepath.ToSlash(f)+":") || !strings.Contains(stdout, "1 file checked: 1 error") {
		t.Fatalf("exit %d:\n%s", code, stdout)
	}
}

func TestVersionAndSchema(t *testing.T) {
	_, stdout, _ := run(t, "version")
	if !strings.HasPrefix(stdout, "byocpack test (go") || !strings.Contains(stdout, "62.0 to 66.0") {
		t.Fatalf("version: %q", stdout)
	}
	_, stdout, _ = run(t, "schema")
	var schema map[string]any
	if err := json.Unmarshal([]byte(stdout), &schema); err != nil || schema["properties"] == nil {
		t.Fatalf("schema is not a JSON Schema: %v", err)
	}
}

func TestRenderJSONReportsProblemsOnStdout(t *testing.T) {
	dir := t.TempDir()
	spec := filepath.Join(dir, "byoc.yaml")
	if err := os.WriteFile(spec, []byte("prefix: 1Acme\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	code, stdout, stderr := run(t, "render", "-f", spec, "-o", filepath.Join(dir, "out"), "--json")
	var got struct {
		Problems []struct{ Rule, Message string }
	}
	if err := json.Unmarshal([]byte(stdout), &got); err != nil || code != 1 || len(got.Problems) == 0 {
		t.Fatalf("exit %d, stdout %q: %v", code, stdout, err)
	}
	if !strings.Contains(stderr, "nothing was written") {
		t.Fatalf("stderr lacks the human summary: %q", stderr)
	}
}

func TestSourceDateEpochOutOfRangeIsAUsageError(t *testing.T) {
	for _, v := range []string{"abc", "-5", "99999999999"} {
		t.Setenv("SOURCE_DATE_EPOCH", v)
		code, _, stderr := run(t, "package", "-p", t.TempDir())
		if code != 2 || !strings.Contains(stderr, "SOURCE_DATE_EPOCH") {
			t.Errorf("SOURCE_DATE_EPOCH=%s: exit %d, %q", v, code, stderr)
		}
	}
}

func TestInitRefusesBadFlagValues(t *testing.T) {
	for _, args := range [][]string{
		{"--namespace", "toolongnamespace123"},
		{"--email", "notanemail"},
		{"--app-type", "Lambda"},
		{"--customer", "--app-type", "ConnectedApp"},
	} {
		out := filepath.Join(t.TempDir(), "byoc.yaml")
		code, _, stderr := run(t, append([]string{"init", "-o", out}, args...)...)
		if code != 2 {
			t.Errorf("%v: exit %d, %q", args, code, stderr)
		}
		if _, err := os.Stat(out); err == nil {
			t.Errorf("%v: wrote %s anyway", args, out)
		}
	}
}

func TestSpecFromStdinAndFIFORefused(t *testing.T) {
	spec, err := os.ReadFile("../../fixtures/partner1/byoc.yaml")
	if err != nil {
		t.Fatal(err)
	}
	certs, _ := filepath.Abs("../../fixtures/partner1/certs")
	dir := t.TempDir()
	t.Chdir(dir)
	if err := os.CopyFS("certs", os.DirFS(certs)); err != nil {
		t.Fatal(err)
	}
	var out, errb bytes.Buffer
	code := Main([]string{"render", "-f", "-", "-o", "out"}, IO{In: bytes.NewReader(spec), Out: &out, Err: &errb}, "test")
	// Relative paths in a spec on stdin resolve from the working directory.
	if code != 0 || !strings.Contains(out.String(), "rendered - into out") {
		t.Fatalf("spec on stdin: exit %d\n%s%s", code, out.String(), errb.String())
	}
	if err := syscall.Mkfifo(filepath.Join(dir, "fifo.yaml"), 0o644); err != nil {
		t.Fatal(err)
	}
	code, _, stderr := run(t, "render", "-f", filepath.Join(dir, "fifo.yaml"), "-o", filepath.Join(dir, "out"))
	if code != 1 || !strings.Contains(stderr, "it is a FIFO") {
		t.Fatalf("FIFO spec: exit %d\n%s", code, stderr)
	}
}

func TestConventions(t *testing.T) {
	if code, out, _ := run(t, "--version"); code != 0 || out != "byocpack test\n" {
		t.Errorf("--version: exit %d, %q", code, out)
	}
	if code, _, stderr := run(t, "render", "my.yaml"); code != 2 || !strings.Contains(stderr, "pass -f my.yaml") {
		t.Errorf("render ARG: exit %d, %q", code, stderr)
	}
	code, out, _ := run(t, "__complete", "validate", "--format", "")
	if code != 0 || !strings.HasPrefix(out, "text\njson\ngithub\n") {
		t.Errorf("completion of validate --format: %q", out)
	}
	if _, out, _ := run(t, "__complete", "diff", "--format", ""); !strings.HasPrefix(out, "text\njson\nmarkdown\ngithub\n") {
		t.Errorf("completion of diff --format: %q", out)
	}
}

func TestInitJSONWritesJSONThatRenders(t *testing.T) {
	dir := t.TempDir()
	specPath := filepath.Join(dir, "p", "byoc.json")
	if code, _, stderr := run(t, "init", "--prefix", "Acme", "-o", specPath, "--cert", "--key", filepath.Join(dir, "acme.key")); code != 0 {
		t.Fatalf("init: %s", stderr)
	}
	b, err := os.ReadFile(specPath)
	if err != nil {
		t.Fatal(err)
	}
	var v map[string]any
	if err := json.Unmarshal(b, &v); err != nil || v["prefix"] != "Acme" {
		t.Fatalf("not JSON: %v\n%s", err, b)
	}
	if code, _, stderr := run(t, "render", "-f", specPath, "-o", filepath.Join(dir, "out"), "--dry-run"); code != 0 {
		t.Fatalf("render of the JSON spec: %s", stderr)
	}
}

func TestQuiet(t *testing.T) {
	code, stdout, _ := run(t, "validate", "-q", "../../fixtures/partner1/golden")
	if code != 0 || stdout != "" {
		t.Errorf("quiet validate: exit %d, stdout %q", code, stdout)
	}
	code, stdout, stderr := run(t, "validate", "-q", "../../fixtures/bad/xml-malformed/Acme_App.eca-meta.xml")
	if code != 1 || stdout != "" || !strings.Contains(stderr, "BYOC-MALFORMED-XML") {
		t.Errorf("quiet validate of a broken file: exit %d, stdout %q, stderr %q", code, stdout, stderr)
	}
	if _, stdout, _ := run(t, "validate", "-q", "--json", "../../fixtures/partner1/golden"); !strings.Contains(stdout, `"status": "ok"`) {
		t.Errorf("--quiet swallowed --json: %q", stdout)
	}
}
