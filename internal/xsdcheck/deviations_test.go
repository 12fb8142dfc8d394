package xsdcheck

import (
	"errors"
	"io/fs"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"

	"github.com/byocpack/byocpack/internal/diag"
	"github.com/byocpack/byocpack/schemas"
)

// TestDeviations: every entry of the table has a look-alike file of our
// own (testdata/deviations/<id>.<Type>.xml) that the deploy verdict
// accepts (stray text: one warning, no error) and the XSD verdict refuses,
// as xmllint does where it is installed.
func TestDeviations(t *testing.T) {
	const version = "66.0"
	files, err := filepath.Glob("testdata/deviations/*.xml")
	if err != nil {
		t.Fatal(err)
	}
	byID := map[string]string{}
	for _, f := range files {
		id, _, _ := strings.Cut(filepath.Base(f), ".")
		byID[id] = f
	}
	xmllint, lookErr := exec.LookPath("xmllint")
	if lookErr != nil && os.Getenv("CI") == "true" {
		t.Fatal("xmllint is not installed; CI needs it (apt-get install libxml2-utils)")
	}
	for _, d := range Deviations {
		t.Run(d.ID, func(t *testing.T) {
			f, ok := byID[d.ID]
			if !ok {
				t.Fatalf("no look-alike testdata/deviations/%s.<Type>.xml", d.ID)
			}
			if d.Evidence == "" || !strings.Contains(d.Evidence, " @ ") {
				t.Errorf("evidence %q names no file at a commit", d.Evidence)
			}
			typ := strings.TrimSuffix(strings.SplitN(filepath.Base(f), ".", 2)[1], ".xml")
			data, err := os.ReadFile(f)
			if err != nil {
				t.Fatal(err)
			}
			deploy := New(schemas.Bundled()).Check(version, typ, f, parse(t, data))
			wantWarnings := 0
			if d.ID == "stray-text" {
				wantWarnings = 1
			}
			if n := count(deploy, diag.Error); n != 0 || count(deploy, diag.Warning) != wantWarnings {
				t.Errorf("deploy verdict: %s", list(deploy))
			}
			xsd := (&Checker{Models: schemas.Bundled(), Mode: XSD}).Check(version, typ, f, parse(t, data))
			if count(xsd, diag.Error) == 0 {
				t.Errorf("--xsd accepts what the XSD refuses")
			}
			if lookErr != nil {
				return
			}
			if valid := xmllintValid(t, xmllint, version, typ, data); valid {
				t.Errorf("xmllint accepts the look-alike; the entry is no deviation")
			}
		})
	}
}

func count(ps []diag.Problem, sev diag.Severity) int {
	n := 0
	for _, p := range ps {
		if p.Severity == sev {
			n++
		}
	}
	return n
}

// xmllintValid runs xmllint on data with the XSD of typ cut from the WSDL
// of version.
func xmllintValid(t *testing.T, xmllint, version, typ string, data []byte) bool {
	t.Helper()
	dir := t.TempDir()
	xsd := typeXSD(t, version, typ)
	if err := os.WriteFile(filepath.Join(dir, "s.xsd"), xsd, 0o644); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(filepath.Join(dir, "d.xml"), data, 0o644); err != nil {
		t.Fatal(err)
	}
	cmd := exec.Command(xmllint, "--noout", "--nonet", "--schema", "s.xsd", "d.xml")
	cmd.Dir = dir
	out, err := cmd.CombinedOutput()
	valid := err == nil && strings.Contains(string(out), "d.xml validates")
	return valid
}

// typeXSD cuts the XSD of one root type from the WSDL of version.
func typeXSD(t *testing.T, version, typ string) []byte {
	t.Helper()
	key := "type:" + version + "/" + typ
	got, _ := xsdCache.Load(key)
	if got == nil {
		got = cutRoots(version, []string{typ})
		xsdCache.Store(key, got)
	}
	switch v := got.(type) {
	case error:
		// No WSDLs beside the repository (a checkout alone) skips, as
		// cutXSD does; WSDLs that do not cut fail under CI.
		if os.Getenv("CI") == "true" && !errors.Is(v, fs.ErrNotExist) {
			t.Fatalf("cannot cut %s %s from the WSDLs: %v", version, typ, v)
		}
		t.Skipf("cannot cut %s %s from the WSDLs: %v", version, typ, v)
	case map[string][]byte:
		if data, ok := v["v"+version+"/"+typ+".xsd"]; ok {
			return data
		}
	}
	t.Fatalf("the %s WSDL yields no XSD for %s", version, typ)
	return nil
}
