package validate

import (
	"archive/tar"
	"archive/zip"
	"bytes"
	"compress/gzip"
	"context"
	"crypto/x509/pkix"
	"encoding/asn1"
	"encoding/json"
	"flag"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"
	"time"
	"unicode"

	"github.com/byocpack/byocpack/internal/diag"
	"github.com/byocpack/byocpack/internal/secrets"

	"github.com/google/go-cmp/cmp"
)

var update = flag.Bool("update", false, "rewrite the want.txt files of the failing rule fixtures")

const fixturesDir = "../../fixtures/rules"

// cleanDir is the clean project: the partner1 golden itself, which
// generator's TestRenderGolden owns and rewrites, read here and never
// written, so the project the rules must accept is always exactly what
// byocpack renders.
const cleanDir = "../../fixtures/partner1/golden"

// fixtureNow is pinned so certificate fixtures keep their verdicts forever:
// the rule fixtures' good certificate is valid 2026-01-01 to 2125-01-01 and
// the goldens' from 2026-11-25 to 2126-11-01 (generator pins the same day).
var fixtureNow = time.Date(2027, 1, 1, 0, 0, 0, 0, time.UTC)

// loadTree reads a fixture directory the way the CLI reads a project: a
// tree with sfdx-project.json is a whole project whose package directories
// are the entries with a "package" key; a tree without one is a handful of
// files where force-app/ counts as packaged.
func loadTree(t testing.TB, dir string) Input {
	t.Helper()
	in := Input{APIVersion: "66.0", Now: fixtureNow}
	pkgDirs := []string{"force-app"}
	if raw, err := os.ReadFile(filepath.Join(dir, "sfdx-project.json")); err == nil {
		var proj struct {
			PackageDirectories []struct {
				Path    string `json:"path"`
				Package string `json:"package"`
			} `json:"packageDirectories"`
			SourceAPIVersion string `json:"sourceApiVersion"`
			Namespace        string `json:"namespace"`
		}
		if err := json.Unmarshal(raw, &proj); err != nil {
			t.Fatalf("%s: %v", dir, err)
		}
		in.Project, in.APIVersion, in.Namespace, pkgDirs = true, proj.SourceAPIVersion, proj.Namespace, nil
		for _, p := range proj.PackageDirectories {
			if p.Package != "" {
				pkgDirs = append(pkgDirs, p.Path)
			}
		}
	}
	err := filepath.WalkDir(dir, func(p string, e fs.DirEntry, err error) error {
		if err != nil || e.IsDir() {
			return err
		}
		rel := filepath.ToSlash(must(filepath.Rel(dir, p)))
		if rel == "want.txt" || rel == "sfdx-project.json" {
			return nil
		}
		data, err := os.ReadFile(p)
		if err != nil {
			return err
		}
		inPkg := slices.ContainsFunc(pkgDirs, func(d string) bool { return strings.HasPrefix(rel, d+"/") })
		in.Files = append(in.Files, File{Path: rel, Type: TypeOf(rel), Data: data, InPackage: inPkg})
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	return in
}

func must[T any](v T, err error) T {
	if err != nil {
		panic(err)
	}
	return v
}

func runFixture(t *testing.T, dir string) []diag.Problem {
	t.Helper()
	ps, err := Run(context.Background(), loadTree(t, dir), Options{})
	if err != nil {
		t.Fatal(err)
	}
	return ps
}

func withRule(ps []diag.Problem, id string) []string {
	var out []string
	for _, p := range ps {
		if p.Rule == id {
			out = append(out, p.String())
		}
	}
	return out
}

// TestRuleFixtures walks fixtures/rules/<ID>/{pass*,fail*}: a failing
// fixture must produce exactly the problems of that rule listed in its
// want.txt (position, severity and message), a passing one none of them.
func TestRuleFixtures(t *testing.T) {
	known := map[string]bool{}
	for _, r := range Rules() {
		known[r.ID] = true
	}
	ruleDirs, err := os.ReadDir(fixturesDir)
	if err != nil {
		t.Fatal(err)
	}
	for _, rd := range ruleDirs {
		id := rd.Name()
		if strings.HasPrefix(id, "_") {
			continue
		}
		if !known[id] {
			t.Errorf("fixtures/rules/%s is not a rule in the catalogue", id)
			continue
		}
		cases, err := os.ReadDir(filepath.Join(fixturesDir, id))
		if err != nil {
			t.Fatal(err)
		}
		for _, c := range cases {
			dir := filepath.Join(fixturesDir, id, c.Name())
			t.Run(id+"/"+c.Name(), func(t *testing.T) {
				got := withRule(runFixture(t, dir), id)
				switch {
				case strings.HasPrefix(c.Name(), "pass"):
					if len(got) > 0 {
						t.Errorf("passing fixture reports %s:\n%s", id, strings.Join(got, "\n"))
					}
				case strings.HasPrefix(c.Name(), "fail"):
					wantFile := filepath.Join(dir, "want.txt")
					if *update {
						if err := os.WriteFile(wantFile, []byte(strings.Join(got, "\n")+"\n"), 0o644); err != nil {
							t.Fatal(err)
						}
					}
					raw, err := os.ReadFile(wantFile)
					if err != nil {
						t.Fatal(err)
					}
					want := strings.Split(strings.TrimRight(string(raw), "\n"), "\n")
					if len(got) == 0 {
						t.Fatalf("failing fixture reports no %s", id)
					}
					if diff := cmp.Diff(want, got); diff != "" {
						t.Errorf("%s problems (-want +got):\n%s", id, diff)
					}
				default:
					t.Errorf("fixture directory %s must start with pass or fail", c.Name())
				}
			})
		}
	}
}

// TestEveryRuleHasFixturesAndDocs keeps the catalogue, the docs and the
// fixtures in step: a rule added without the other two fails here. Each
// rule's Anchor must be a fragment GitHub generates for a heading of
// docs/rules.md, worked out from the headings (githubAnchors), not from
// the rule ID the way the catalogue builds it, so a wrong anchor fails.
func TestEveryRuleHasFixturesAndDocs(t *testing.T) {
	docs, err := os.ReadFile("../../docs/rules.md")
	if err != nil {
		t.Fatal(err)
	}
	anchors := githubAnchors(string(docs))
	ids := map[string]bool{}
	for _, r := range Rules() {
		ids[r.ID] = true
		heading, ok := anchors[strings.TrimPrefix(r.Anchor, "docs/rules.md#")]
		switch {
		case !strings.HasPrefix(r.Anchor, "docs/rules.md#"):
			t.Errorf("%s: anchor %q does not point into docs/rules.md", r.ID, r.Anchor)
		case !ok:
			t.Errorf("%s: anchor %q is no heading of docs/rules.md", r.ID, r.Anchor)
		case heading != r.ID:
			t.Errorf("%s: anchor %q leads to the heading %q", r.ID, r.Anchor, heading)
		}
		var pass, fail bool
		entries, _ := os.ReadDir(filepath.Join(fixturesDir, r.ID))
		for _, e := range entries {
			pass = pass || strings.HasPrefix(e.Name(), "pass")
			fail = fail || strings.HasPrefix(e.Name(), "fail")
		}
		if !pass || !fail {
			t.Errorf("%s: need fixtures/rules/%s/pass and .../fail (have pass=%v fail=%v)", r.ID, r.ID, pass, fail)
		}
	}
	for _, heading := range anchors {
		if strings.HasPrefix(heading, "BYOC-") && !ids[heading] {
			t.Errorf("docs/rules.md has a section for %s, which is no rule", heading)
		}
	}
}

// githubAnchors maps the fragment GitHub gives each heading of a Markdown
// document to the heading's text, as github-slugger does it: lower case,
// every character that is not a letter, mark, number, connector, "-" or a
// space dropped, spaces turned into "-", and a repeated fragment suffixed
// "-1", "-2", ... Lines inside fenced code blocks are not headings.
func githubAnchors(md string) map[string]string {
	out := map[string]string{}
	seen := map[string]int{}
	fenced := false
	for line := range strings.SplitSeq(md, "\n") {
		if strings.HasPrefix(line, "```") {
			fenced = !fenced
		}
		level := len(line) - len(strings.TrimLeft(line, "#"))
		if fenced || level == 0 || level > 6 || !strings.HasPrefix(line[level:], " ") {
			continue
		}
		text := strings.TrimSpace(line[level:])
		var b strings.Builder
		for _, r := range strings.ToLower(text) {
			switch {
			case r == ' ':
				b.WriteRune('-')
			case r == '-' || unicode.In(r, unicode.L, unicode.M, unicode.N, unicode.Pc):
				b.WriteRune(r)
			}
		}
		slug := b.String()
		if n := seen[slug]; n > 0 {
			seen[slug]++
			slug = fmt.Sprintf("%s-%d", slug, n)
		} else {
			seen[slug] = 1
		}
		out[slug] = text
	}
	return out
}

func TestGithubAnchors(t *testing.T) {
	got := githubAnchors("# byocpack validation rules\n## BYOC-NO-PRIVATE-KEY\n```\n## not a heading\n```\n### A_b (c), d!\n## Dup\n## Dup\n#nospace\n")
	want := map[string]string{
		"byocpack-validation-rules": "byocpack validation rules",
		"byoc-no-private-key":       "BYOC-NO-PRIVATE-KEY",
		"a_b-c-d":                   "A_b (c), d!",
		"dup":                       "Dup",
		"dup-1":                     "Dup",
	}
	if diff := cmp.Diff(want, got); diff != "" {
		t.Errorf("(-want +got):\n%s", diff)
	}
}

// TestCleanProject is the project byocpack renders: it must be spotless,
// or every user starts with noise. It is the partner1 golden, not a copy.
func TestCleanProject(t *testing.T) {
	in := loadTree(t, cleanDir)
	if !in.Project || len(in.Files) < 10 {
		t.Fatalf("%s: project=%v with %d files; is the golden there?", cleanDir, in.Project, len(in.Files))
	}
	if ps := runFixture(t, cleanDir); len(ps) > 0 {
		var lines []string
		for _, p := range ps {
			lines = append(lines, p.String())
		}
		t.Errorf("clean project reports:\n%s", strings.Join(lines, "\n"))
	}
}

// archiveFixtures are the rule fixtures that are archives, DER or copies of
// other fixtures, built here so that what they hold is plain to review and
// cannot drift from what they copy. TestArchiveFixtures fails when a file
// on disk differs; -update writes them. No key in them is real: the PEM
// key's body and the DER key's contents are placeholders in a key's shape.
func archiveFixtures(t testing.TB) map[string][]byte {
	t.Helper()
	read := func(p string) []byte { return must(os.ReadFile(filepath.Join(fixturesDir, p))) }
	cert := read("BYOC-NO-PRIVATE-KEY/pass/force-app/main/default/staticresources/server.crt")
	connectedApp := read("BYOC-NO-CONSUMER-KEY/fail/force-app/main/default/connectedApps/Partner1_ConnectedApp1.connectedApp-meta.xml")
	global := read("BYOC-NO-GLOBAL-OAUTH/pass/source-org/main/default/extlClntAppGlobalOauthSets/Partner1_ExternalClientApp1_glbloauth.ecaGlblOauth-meta.xml")
	// Spelled in pieces so no secret scanner takes this file for a leak.
	keyPEM := "-----BEGIN " + "PRIVATE" + " KEY-----\nTk9UIEEgUkVBTCBLRVkgLSBmaXh0dXJlIHBsYWNlaG9sZGVy\n-----END " + "PRIVATE" + " KEY-----\n"
	// A PKCS#8 PrivateKeyInfo (rsaEncryption) around the words "not a key".
	placeholderDER := must(asn1.Marshal(struct {
		Version int
		Algo    pkix.AlgorithmIdentifier
		Key     []byte
	}{0, pkix.AlgorithmIdentifier{Algorithm: asn1.ObjectIdentifier{1, 2, 840, 113549, 1, 1, 1}, Parameters: asn1.NullRawValue}, []byte("not a key")}))
	js := "console.log('bundle');\n"
	deep := zipFiles(t, "k.pem", keyPEM)
	for range secrets.MaxDepth {
		deep = zipFiles(t, "inner.zip", deep)
	}
	const sr = "/force-app/main/default/staticresources/"
	return map[string][]byte{
		"BYOC-NO-PRIVATE-KEY/fail-archive" + sr + "bundle.resource": zipFiles(t,
			"js/app.js", js, "certs/server.crt", cert, "certs/server.key", keyPEM,
			"vendor/lib.tgz", gzipped(t, tarFiles(t, "keys/signing.der", placeholderDER))),
		"BYOC-NO-PRIVATE-KEY/fail-der" + sr + "signing.resource":       placeholderDER,
		"BYOC-NO-PRIVATE-KEY/pass-archive" + sr + "bundle.resource":    zipFiles(t, "js/app.js", js, "certs/server.crt", cert),
		"BYOC-NO-CONSUMER-KEY/fail-archive" + sr + "apps.resource":     zipFiles(t, "connectedApps/Partner1_ConnectedApp1.connectedApp", connectedApp),
		"BYOC-NO-CONSUMER-KEY/fail-any-suffix" + sr + "app.resource":   connectedApp,
		"BYOC-NO-GLOBAL-OAUTH/fail-renamed" + sr + "settings.resource": global,
		"BYOC-NO-GLOBAL-OAUTH/fail-archive" + sr + "settings.resource": zipFiles(t,
			"extlClntAppGlobalOauthSets/Partner1_ExternalClientApp1_glbloauth.ecaGlblOauth", global),
		// 16 MiB and one byte of zeros in 16 KB: one entry over MaxEntrySize.
		"BYOC-UNSCANNABLE-ARCHIVE/fail-bomb" + sr + "bomb.resource": zipFiles(t, "zeros.bin", make([]byte, secrets.MaxEntrySize+1)),
		// A key MaxDepth+1 zips deep, one level past the bound.
		"BYOC-UNSCANNABLE-ARCHIVE/fail-deep" + sr + "deep.resource": deep,
		// The first 64 bytes of a zip: a local header and no directory.
		"BYOC-UNSCANNABLE-ARCHIVE/fail-broken" + sr + "broken.resource": zipFiles(t, "js/app.js", strings.Repeat(js, 20))[:64],
		"BYOC-UNSCANNABLE-ARCHIVE/pass" + sr + "bundle.resource":        zipFiles(t, "js/app.js", js, "lib/inner.zip", zipFiles(t, "a.js", js)),
	}
}

func TestArchiveFixtures(t *testing.T) {
	for p, want := range archiveFixtures(t) {
		file := filepath.Join(fixturesDir, filepath.FromSlash(p))
		if *update {
			if err := os.MkdirAll(filepath.Dir(file), 0o755); err != nil {
				t.Fatal(err)
			}
			if err := os.WriteFile(file, want, 0o644); err != nil {
				t.Fatal(err)
			}
			continue
		}
		if got, err := os.ReadFile(file); err != nil || !bytes.Equal(got, want) {
			t.Errorf("fixtures/rules/%s is not what archiveFixtures builds (%v); run go test ./internal/validate -run TestArchiveFixtures -update", p, err)
		}
	}
}

// zipFiles zips name, content pairs (content a string or []byte), deflated,
// with a fixed time, so the bytes are the same on every machine.
func zipFiles(t testing.TB, pairs ...any) []byte {
	t.Helper()
	var buf bytes.Buffer
	zw := zip.NewWriter(&buf)
	for i := 0; i < len(pairs); i += 2 {
		w, err := zw.CreateHeader(&zip.FileHeader{Name: pairs[i].(string), Method: zip.Deflate, Modified: time.Date(2026, 1, 1, 0, 0, 0, 0, time.UTC)})
		if err == nil {
			_, err = fmt.Fprintf(w, "%s", pairs[i+1])
		}
		if err != nil {
			t.Fatal(err)
		}
	}
	if err := zw.Close(); err != nil {
		t.Fatal(err)
	}
	return buf.Bytes()
}

func tarFiles(t testing.TB, name string, data []byte) []byte {
	t.Helper()
	var buf bytes.Buffer
	tw := tar.NewWriter(&buf)
	err := tw.WriteHeader(&tar.Header{Name: name, Mode: 0o644, Size: int64(len(data)), ModTime: time.Date(2026, 1, 1, 0, 0, 0, 0, time.UTC)})
	if err == nil {
		_, err = tw.Write(data)
	}
	if err == nil {
		err = tw.Close()
	}
	if err != nil {
		t.Fatal(err)
	}
	return buf.Bytes()
}

func gzipped(t testing.TB, data []byte) []byte {
	t.Helper()
	var buf bytes.Buffer
	w := gzip.NewWriter(&buf)
	if _, err := w.Write(data); err != nil {
		t.Fatal(err)
	}
	if err := w.Close(); err != nil {
		t.Fatal(err)
	}
	return buf.Bytes()
}
