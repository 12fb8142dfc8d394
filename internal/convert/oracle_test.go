package convert

import (
	"archive/zip"
	"bytes"
	"context"
	"crypto/sha256"
	"encoding/json"
	"fmt"
	"io"
	"io/fs"
	"os"
	"os/exec"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"github.com/byocpack/byocpack/internal/sfdx"
)

// The oracle tests run the real Salesforce CLI (installed by `make oracle`)
// and require our converter to produce the same tree byte for byte. They
// are skipped unless BYOCPACK_SF names the sf executable, so unit tests
// never need Node or the network.

func oracleSF(t *testing.T) string {
	t.Helper()
	sf := os.Getenv("BYOCPACK_SF")
	if sf == "" {
		t.Skip("BYOCPACK_SF is unset; run `make oracle` to compare against the real Salesforce CLI")
	}
	return sf
}

// oracleEnv keeps the CLI offline and away from the user's home: telemetry
// and update checks off, HOME in a temporary directory, Node 22 first on PATH
// (BYOCPACK_NODE names its binary; the CLI refuses older Node versions).
func oracleEnv(t *testing.T, sf string) []string {
	env := []string{
		"HOME=" + t.TempDir(),
		"SF_DISABLE_TELEMETRY=true", "SFDX_DISABLE_TELEMETRY=true",
		"SF_AUTOUPDATE_DISABLE=true", "SF_SKIP_NEW_VERSION_CHECK=true",
		"SF_USE_GENERIC_UNIX_KEYCHAIN=true", "SF_DISABLE_LOG_FILE=true",
		"LANG=en_US.UTF-8", "LC_ALL=en_US.UTF-8", "TZ=UTC",
		"SFDX_PROJECT_JSON_VALIDATION=true",
	}
	path := filepath.Dir(sf)
	if node := os.Getenv("BYOCPACK_NODE"); node != "" {
		path = filepath.Dir(node) + string(os.PathListSeparator) + path
	}
	return append(env, "PATH="+path+string(os.PathListSeparator)+os.Getenv("PATH"))
}

// oracleProjects lists this package's test projects and every rendered
// fixture project (fixtures/*/golden) of the repository.
func oracleProjects(t *testing.T) []string {
	var dirs []string
	for _, pattern := range []string{"testdata/*/sfdx-project.json", "../../fixtures/*/golden/sfdx-project.json"} {
		m, err := filepath.Glob(pattern)
		if err != nil {
			t.Fatal(err)
		}
		for _, f := range m {
			dirs = append(dirs, filepath.Dir(f))
		}
	}
	slices.Sort(dirs)
	return dirs
}

func readTree(t *testing.T, root string) map[string][]byte {
	out := map[string][]byte{}
	err := filepath.WalkDir(root, func(p string, d fs.DirEntry, err error) error {
		if err != nil || d.IsDir() {
			return err
		}
		rel, _ := filepath.Rel(root, p)
		data, err := os.ReadFile(p)
		out[filepath.ToSlash(rel)] = data
		return err
	})
	if err != nil {
		t.Fatal(err)
	}
	return out
}

func TestOracleConvertSource(t *testing.T) {
	sf := oracleSF(t)
	projects := oracleProjects(t)
	if len(projects) == 0 {
		t.Fatal("no oracle projects found")
	}
	for _, dir := range projects {
		t.Run(filepath.ToSlash(dir), func(t *testing.T) {
			abs, err := filepath.Abs(dir)
			if err != nil {
				t.Fatal(err)
			}
			proj, err := sfdx.Load(abs)
			if err != nil {
				t.Fatal(err)
			}
			theirs := convertBoth(t, sf, proj, proj.DefaultPackageDir(), true)
			t.Logf("%d files matched byte for byte", len(theirs))
		})
	}
}

// convertBoth converts the package directory pd with our converter and
// with `sf project convert source`, requires the two trees to be equal and
// returns the CLI's; strict also fails on a warning of the CLI.
func convertBoth(t *testing.T, sf string, proj *sfdx.Project, pd *sfdx.PackageDir, strict bool) map[string][]byte {
	t.Helper()
	res, err := PackageDir(context.Background(), proj.Dir, pd, Options{})
	if err != nil {
		t.Fatalf("our converter: %v", err)
	}
	ours := map[string][]byte{"package.xml": PackageXML(res.Components, PackageXMLOptions{APIVersion: proj.SourceAPIVersion})}
	for _, f := range res.Files {
		ours[f.Path] = f.Data
	}
	out := filepath.Join(t.TempDir(), "md")
	cmd := exec.Command(sf, "project", "convert", "source", "--root-dir", pd.Path, "--output-dir", out, "--json")
	cmd.Dir = proj.Dir
	cmd.Env = oracleEnv(t, sf)
	var stdout, stderr bytes.Buffer
	cmd.Stdout, cmd.Stderr = &stdout, &stderr
	if err := cmd.Run(); err != nil {
		t.Fatalf("sf project convert source: %v\n%s\n%s", err, stdout.String(), stderr.String())
	}
	var reply struct {
		Status   int   `json:"status"`
		Warnings []any `json:"warnings"`
	}
	if err := json.Unmarshal(stdout.Bytes(), &reply); err != nil || reply.Status != 0 {
		t.Fatalf("sf replied %s (%v)", stdout.String(), err)
	}
	if strict && len(reply.Warnings) > 0 {
		t.Errorf("sf warned: %v", reply.Warnings)
	}
	theirs := readTree(t, out)
	compareTrees(t, ours, theirs)
	return theirs
}

func compareTrees(t *testing.T, ours, theirs map[string][]byte) {
	t.Helper()
	var names []string
	for n := range theirs {
		names = append(names, n)
	}
	for n := range ours {
		if _, ok := theirs[n]; !ok {
			names = append(names, n)
		}
	}
	slices.Sort(names)
	for _, n := range names {
		a, inOurs := ours[n]
		b, inTheirs := theirs[n]
		switch {
		case !inOurs:
			t.Errorf("%s: written by the CLI, missing from ours", n)
		case !inTheirs:
			t.Errorf("%s: ours only; the CLI does not write it", n)
		case isZip(a) && isZip(b):
			// The CLI stamps a zipped static resource with the time of the
			// run: compare entries (names, order, bytes).
			if x, y := zipEntries(t, a), zipEntries(t, b); !slices.Equal(x, y) {
				t.Errorf("%s: zip entries differ:\n--- ours\n%s\n--- CLI\n%s", n, strings.Join(x, "\n"), strings.Join(y, "\n"))
			}
		case n == "package.xml" && !bytes.Equal(a, b):
			t.Errorf("package.xml differs type by type:\n%s", diffTypes(string(a), string(b)))
		case !bytes.Equal(a, b):
			t.Errorf("%s differs:\n--- ours\n%s\n--- CLI\n%s", n, a, b)
		}
	}
}

func isZip(b []byte) bool { return bytes.HasPrefix(b, []byte("PK\x03\x04")) }

// zipEntries lists a zip's entries in order as "name sha256".
func zipEntries(t *testing.T, data []byte) []string {
	t.Helper()
	zr, err := zip.NewReader(bytes.NewReader(data), int64(len(data)))
	if err != nil {
		t.Fatal(err)
	}
	var out []string
	for _, f := range zr.File {
		rc, err := f.Open()
		if err != nil {
			t.Fatal(err)
		}
		b, err := io.ReadAll(rc)
		rc.Close()
		if err != nil {
			t.Fatal(err)
		}
		out = append(out, fmt.Sprintf("%s %x", f.Name, sha256.Sum256(b)))
	}
	return out
}

// diffTypes lists package.xml <types> blocks present in only one file.
func diffTypes(ours, theirs string) string {
	blocks := func(s string) []string { return strings.Split(s, "<types>") }
	a, b := blocks(ours), blocks(theirs)
	var out []string
	for _, x := range a {
		if !slices.Contains(b, x) {
			out = append(out, "ours only: <types>"+x)
		}
	}
	for _, x := range b {
		if !slices.Contains(a, x) {
			out = append(out, "CLI only: <types>"+x)
		}
	}
	return strings.Join(out, "\n")
}

// TestOracleRefusals: for each project under testdata/refused, the CLI
// and our converter both refuse it, and both messages carry the text in its
// want.txt (case aside), so a user finds the same words either way.
func TestOracleRefusals(t *testing.T) {
	sf := oracleSF(t)
	dirs, err := filepath.Glob("testdata/refused/*/sfdx-project.json")
	if err != nil || len(dirs) == 0 {
		t.Fatalf("no refusal projects (%v)", err)
	}
	for _, pf := range dirs {
		dir, _ := filepath.Abs(filepath.Dir(pf))
		t.Run(filepath.Base(dir), func(t *testing.T) {
			want, err := os.ReadFile(filepath.Join(dir, "want.txt"))
			if err != nil {
				t.Fatal(err)
			}
			w := strings.ToLower(strings.TrimSpace(string(want)))
			proj, err := sfdx.Load(dir)
			if err != nil {
				t.Fatal(err)
			}
			pd := proj.DefaultPackageDir()
			_, ours := PackageDir(context.Background(), dir, pd, Options{})
			if ours == nil || !strings.Contains(strings.ToLower(ours.Error()), w) {
				t.Errorf("our converter: %v; want an error saying %q", ours, w)
			}
			cmd := exec.Command(sf, "project", "convert", "source", "--root-dir", pd.Path, "--output-dir", filepath.Join(t.TempDir(), "md"), "--json")
			cmd.Dir = dir
			cmd.Env = oracleEnv(t, sf)
			out, err := cmd.CombinedOutput()
			if err == nil || !strings.Contains(strings.ToLower(string(out)), w) {
				t.Errorf("sf project convert source: %v\n%s\nwant a refusal saying %q", err, out, w)
			}
		})
	}
}

// The repository's own sfdx-project.json makes its root a project whose
// one package directory is the demo's reference package: sf converts it
// from the root, without --root-dir, to exactly what byocpack converts
// from the fixture's own project, and no test fixture (fixtures/bad,
// fixtures/rules) is part of it.
func TestOracleConvertFromRepositoryRoot(t *testing.T) {
	sf := oracleSF(t)
	root, err := filepath.Abs(filepath.Join("..", ".."))
	if err != nil {
		t.Fatal(err)
	}
	proj, err := sfdx.Load(root)
	if err != nil {
		t.Fatal(err)
	}
	if len(proj.PackageDirectories) != 1 || proj.DefaultPackageDir().Path != "fixtures/partner1/golden/force-app" {
		t.Fatalf("the root project's package directories are %+v, want fixtures/partner1/golden/force-app alone", proj.PackageDirectories)
	}
	golden := filepath.Join(root, "fixtures", "partner1", "golden")
	gp, err := sfdx.Load(golden)
	if err != nil {
		t.Fatal(err)
	}
	if proj.Namespace != gp.Namespace || proj.SourceAPIVersion != gp.SourceAPIVersion {
		t.Errorf("root project: namespace %q API %s; the fixture's: %q %s", proj.Namespace, proj.SourceAPIVersion, gp.Namespace, gp.SourceAPIVersion)
	}
	res, err := PackageDir(context.Background(), golden, gp.DefaultPackageDir(), Options{})
	if err != nil {
		t.Fatal(err)
	}
	ours := map[string][]byte{"package.xml": PackageXML(res.Components, PackageXMLOptions{APIVersion: gp.SourceAPIVersion})}
	for _, f := range res.Files {
		ours[f.Path] = f.Data
	}
	out := filepath.Join(t.TempDir(), "md")
	cmd := exec.Command(sf, "project", "convert", "source", "--output-dir", out, "--json")
	cmd.Dir = root
	cmd.Env = oracleEnv(t, sf)
	if msg, err := cmd.CombinedOutput(); err != nil {
		t.Fatalf("sf project convert source at the repository root: %v\n%s", err, msg)
	}
	compareTrees(t, ours, readTree(t, out))
}
