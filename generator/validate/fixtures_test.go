package validate

import (
	"context"
	"encoding/json"
	"flag"
	"io/fs"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"
	"time"

	"byocpack/internal/diag"

	"github.com/google/go-cmp/cmp"
)

var update = flag.Bool("update", false, "rewrite the want.txt files of the failing rule fixtures")

const fixturesDir = "../../fixtures/rules"

// fixtureNow is pinned so certificate fixtures keep their verdicts forever:
// the good certificate is valid 2026-01-01 to 2125-01-01.
var fixtureNow = time.Date(2026, 6, 1, 0, 0, 0, 0, time.UTC)

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
		}
		if err := json.Unmarshal(raw, &proj); err != nil {
			t.Fatalf("%s: %v", dir, err)
		}
		in.Project, in.APIVersion, pkgDirs = true, proj.SourceAPIVersion, nil
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
// fixtures in step: a rule added without the other two fails here.
func TestEveryRuleHasFixturesAndDocs(t *testing.T) {
	docs, err := os.ReadFile("../../docs/rules.md")
	if err != nil {
		t.Fatal(err)
	}
	for _, r := range Rules() {
		if !strings.Contains(string(docs), "\n## "+r.ID+"\n") {
			t.Errorf("docs/rules.md has no section \"## %s\"", r.ID)
		}
		anchor := strings.TrimPrefix(r.Anchor, "docs/rules.md#")
		if anchor != strings.ToLower(r.ID) {
			t.Errorf("%s: anchor %q does not match the heading", r.ID, r.Anchor)
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
}

// TestCleanProject is the project byocpack renders: it must be spotless,
// or every user starts with noise.
func TestCleanProject(t *testing.T) {
	if ps := runFixture(t, filepath.Join(fixturesDir, "_clean")); len(ps) > 0 {
		var lines []string
		for _, p := range ps {
			lines = append(lines, p.String())
		}
		t.Errorf("clean project reports:\n%s", strings.Join(lines, "\n"))
	}
}
