package generator

import (
	"bytes"
	"context"
	"math/rand/v2"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/byocpack/byocpack/internal/xmldoc"
)

// scramble writes a document with the children of every element shuffled
// and a careless layout (odd indentation, no line breaks, empty elements
// spelt out, a bare declaration), keeping every leaf's raw text.
// Elements of the same name keep their order among themselves: which
// profile or scope comes first is the data, not the layout, and fmt keeps
// it (a run of them may still be split by others).
func scramble(rng *rand.Rand, data []byte) []byte {
	doc, err := xmldoc.Parse(data)
	if err != nil {
		panic(err)
	}
	var b bytes.Buffer
	b.WriteString("<?xml version='1.0'?>")
	var write func(e *xmldoc.Element)
	write = func(e *xmldoc.Element) {
		b.WriteString([]string{"\n", "", "\n\t", "\r\n  ", " "}[rng.IntN(5)])
		b.WriteString("<" + e.Local)
		for _, a := range e.Attrs {
			b.WriteString(" " + a.Local + `="` + a.Value + `"`)
		}
		b.WriteString(">")
		kids := append([]*xmldoc.Element(nil), e.Children...)
		rng.Shuffle(len(kids), func(i, j int) { kids[i], kids[j] = kids[j], kids[i] })
		byName := map[string][]*xmldoc.Element{}
		for _, c := range e.Children {
			byName[c.Local] = append(byName[c.Local], c)
		}
		for i, c := range kids {
			kids[i], byName[c.Local] = byName[c.Local][0], byName[c.Local][1:]
		}
		for _, c := range kids {
			write(c)
		}
		if len(kids) > 0 {
			b.WriteString([]string{"\n", "", "  "}[rng.IntN(3)])
		}
		b.Write(e.Raw)
		b.WriteString("</" + e.Local + ">")
	}
	write(doc.Root)
	return b.Bytes()
}

// Shuffle the children of every golden file of every fixture, lay them
// out carelessly, and fmt restores exactly the bytes render writes; a
// second run changes nothing.
func TestFormatRestoresGoldenBytes(t *testing.T) {
	rng := rand.New(rand.NewPCG(8, 5))
	for _, name := range fixtures() {
		t.Run(name, func(t *testing.T) {
			golden := readTree(t, filepath.Join("..", "fixtures", name, "golden"))
			dir := filepath.Join(t.TempDir(), "p")
			scrambled := map[string]string{}
			n := 0
			for p, data := range golden {
				scrambled[p] = data
				if strings.HasSuffix(p, "-meta.xml") {
					for {
						s := string(scramble(rng, []byte(data)))
						if s != data {
							scrambled[p] = s
							break
						}
					}
					n++
				}
			}
			writeTree(t, dir, scrambled)
			check, err := Format(context.Background(), FormatOptions{Targets: []string{dir}, Check: true})
			if err != nil {
				t.Fatal(err)
			}
			if check.Count(Formatted) != n || len(check.Files) != n {
				t.Fatalf("--check: %d of %d would change: %+v", check.Count(Formatted), n, check.Files)
			}
			for p, data := range readTree(t, dir) {
				if data != scrambled[p] {
					t.Fatalf("--check wrote %s", p)
				}
			}
			res, err := Format(context.Background(), FormatOptions{Targets: []string{dir}})
			if err != nil {
				t.Fatal(err)
			}
			if res.Count(Formatted) != n {
				t.Errorf("formatted %d of %d: %+v", res.Count(Formatted), n, res.Files)
			}
			got := readTree(t, dir)
			for p, want := range golden {
				if got[p] != want {
					t.Errorf("%s differs from golden:\n%s", p, got[p])
				}
			}
			again, err := Format(context.Background(), FormatOptions{Targets: []string{dir}})
			if err != nil || again.Count(Unchanged) != n {
				t.Errorf("second run: %v %+v", err, again)
			}
			if v, err := Validate(context.Background(), ValidateOptions{Targets: []string{dir}, Now: testNow, XSD: true}); err != nil || HasErrors(v.Problems, false) {
				t.Errorf("formatted project fails the XSD verdict: %v %v", err, ProblemList(v.Problems))
			}
		})
	}
}

// What fmt leaves alone it says why, and never writes: comments, elements
// the models do not know, files that do not parse, files outside the
// targets, symbolic links.
func TestFormatLeavesWhatItCannotRewrite(t *testing.T) {
	dir := filepath.Join(t.TempDir(), "p")
	renderFixture(t, "partner1", dir)
	eca := filepath.Join(dir, ecaFile)
	ecaDir := filepath.Dir(eca)
	files := map[string]string{
		"Commented.eca-meta.xml": "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<ExternalClientApplication xmlns=\"http://soap.sforce.com/2006/04/metadata\">\n<label>A</label><!-- keep --><contactEmail>a@b.c</contactEmail></ExternalClientApplication>\n",
		"Unknown.eca-meta.xml":   "<ExternalClientApplication xmlns=\"http://soap.sforce.com/2006/04/metadata\"><label>A</label><lable>B</lable></ExternalClientApplication>",
		"Broken.eca-meta.xml":    "<ExternalClientApplication xmlns=\"http://soap.sforce.com/2006/04/metadata\"><label>A</label>",
	}
	for n, data := range files {
		if err := os.WriteFile(filepath.Join(ecaDir, n), []byte(data), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	outside := filepath.Join(t.TempDir(), "Outside.eca-meta.xml")
	messy := "<ExternalClientApplication xmlns=\"http://soap.sforce.com/2006/04/metadata\"><label>A</label><contactEmail>a@b.c</contactEmail></ExternalClientApplication>"
	if err := os.WriteFile(outside, []byte(messy), 0o600); err != nil {
		t.Fatal(err)
	}
	if err := os.Symlink(outside, filepath.Join(ecaDir, "Link.eca-meta.xml")); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(eca, []byte(messy), 0o640); err != nil {
		t.Fatal(err)
	}
	if err := os.Chmod(eca, 0o640); err != nil {
		t.Fatal(err)
	}
	// A project with a link in it is refused as a whole, as validate
	// and package refuse it; the link is reported when named.
	if _, err := Format(context.Background(), FormatOptions{Targets: []string{dir}}); err == nil || !strings.Contains(err.Error(), "symbolic link") {
		t.Fatalf("project with a link: %v", err)
	}
	res, err := Format(context.Background(), FormatOptions{Targets: []string{filepath.Join(ecaDir, "*.eca-meta.xml")}})
	if err != nil {
		t.Fatal(err)
	}
	wantStatus(t, res, map[string]string{
		"Commented.eca-meta.xml":                   "left: it holds comments",
		"Unknown.eca-meta.xml":                     "left: line 1: <lable> in <ExternalClientApplication>",
		"Broken.eca-meta.xml":                      "failed: not well-formed XML, so it was not touched",
		"Link.eca-meta.xml":                        "left: it is a symbolic link",
		"Partner1_ExternalClientApp1.eca-meta.xml": "formatted: ",
	})
	for n, data := range files {
		if got, _ := os.ReadFile(filepath.Join(ecaDir, n)); string(got) != data {
			t.Errorf("%s was changed", n)
		}
	}
	if got, _ := os.ReadFile(outside); string(got) != messy {
		t.Error("the file outside the targets was changed through the link")
	}
	fi, err := os.Stat(eca)
	if err != nil || fi.Mode().Perm() != 0o640 {
		t.Errorf("formatted file lost its mode: %v %v", fi.Mode(), err)
	}
	if got, _ := os.ReadFile(eca); !strings.HasPrefix(string(got), xmldoc.Declaration+"\n<ExternalClientApplication") || !strings.Contains(string(got), "    <contactEmail>a@b.c</contactEmail>\n    <label>A</label>\n") {
		t.Errorf("formatted file:\n%s", got)
	}
	if ents, _ := os.ReadDir(ecaDir); len(ents) != 5 {
		t.Errorf("temporary files left behind: %v", ents)
	}
}

// fmt writes a connected app stub in the order developerName, label,
// version, leaves a formatted one as it is, and leaves one that mixes in a
// full app's elements with the reason, not as unknown-element noise.
func TestFormatConnectedAppStub(t *testing.T) {
	dir := t.TempDir()
	const want = "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<ConnectedApp xmlns=\"http://soap.sforce.com/2006/04/metadata\">\n    <developerName>acme__Acme_App</developerName>\n    <label>Acme &amp; Co</label>\n    <version>1.0</version>\n</ConnectedApp>\n"
	files := map[string]string{
		"Retrieved.connectedApp-meta.xml": "<ConnectedApp xmlns=\"http://soap.sforce.com/2006/04/metadata\">\n  <version>1.0</version>\n<label>Acme &amp; Co</label><developerName>acme__Acme_App</developerName></ConnectedApp>",
		"Formatted.connectedApp-meta.xml": want,
		"Mixed.connectedApp-meta.xml":     "<ConnectedApp xmlns=\"http://soap.sforce.com/2006/04/metadata\"><developerName>acme__Acme_App</developerName><label>A</label><oauthConfig><callbackUrl>https://a.example</callbackUrl></oauthConfig><version>1.0</version></ConnectedApp>",
	}
	var targets []string
	for n, data := range files {
		targets = append(targets, filepath.Join(dir, n))
		if err := os.WriteFile(filepath.Join(dir, n), []byte(data), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	res, err := Format(context.Background(), FormatOptions{Targets: targets})
	if err != nil {
		t.Fatal(err)
	}
	wantStatus(t, res, map[string]string{
		"Retrieved.connectedApp-meta.xml": "formatted: ",
		"Formatted.connectedApp-meta.xml": "unchanged: ",
		"Mixed.connectedApp-meta.xml":     "left: line 1: it is a connected app stub (developerName, version) with other elements beside them",
	})
	for n, w := range map[string]string{"Retrieved.connectedApp-meta.xml": want, "Formatted.connectedApp-meta.xml": want, "Mixed.connectedApp-meta.xml": files["Mixed.connectedApp-meta.xml"]} {
		if got, _ := os.ReadFile(filepath.Join(dir, n)); string(got) != w {
			t.Errorf("%s:\n%s\nwant:\n%s", n, got, w)
		}
	}
}

// wantStatus checks that each named file got the status and a reason that
// starts with want ("left: it holds comments"), by base name.
func wantStatus(t *testing.T, res *FormatResult, wants map[string]string) {
	t.Helper()
	status := map[string]string{}
	for _, f := range res.Files {
		status[filepath.Base(f.Path)] = string(f.Status) + ": " + f.Reason
	}
	for n, want := range wants {
		if !strings.HasPrefix(status[n], want) {
			t.Errorf("%s: %q, want %q", n, status[n], want)
		}
	}
}

// A project older than every version byocpack renders is formatted by the
// newest models, as validate judges it, although the models of its own
// version are bundled: the external client app types did not exist then.
func TestFormatOlderProjectByTheNewest(t *testing.T) {
	dir := filepath.Join(t.TempDir(), "p")
	renderFixture(t, "partner1", dir)
	editFile(t, filepath.Join(dir, "sfdx-project.json"), func(s string) string {
		return strings.Replace(s, `"sourceApiVersion": "66.0"`, `"sourceApiVersion": "56.0"`, 1)
	})
	p := filepath.Join(dir, globalFile)
	data, err := os.ReadFile(p)
	if err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(p, scramble(rand.New(rand.NewPCG(1, 2)), data), 0o644); err != nil {
		t.Fatal(err)
	}
	res, err := Format(context.Background(), FormatOptions{Targets: []string{dir}})
	if err != nil || res.Count(Formatted) != 1 {
		t.Fatalf("fmt: %v %+v", err, res)
	}
	if got, _ := os.ReadFile(p); !bytes.Equal(got, data) {
		t.Errorf("not formatted by 66.0:\n%s", got)
	}
}

// fmt leaves the types whose retrieve order is not proven as they are:
// counted and listed by type in a project, named with the reason when a
// file is passed, never rewritten.
func TestFormatListsTypesItDoesNotFormat(t *testing.T) {
	dir := filepath.Join(t.TempDir(), "p")
	renderFixture(t, "partner1", dir)
	cls := filepath.Join(dir, "force-app", "main", "default", "classes", "Hook.cls-meta.xml")
	messy := "<ApexClass xmlns=\"http://soap.sforce.com/2006/04/metadata\"><status>Active</status><apiVersion>66.0</apiVersion></ApexClass>"
	writeTree(t, filepath.Dir(cls), map[string]string{"Hook.cls-meta.xml": messy, "Hook.cls": "public class Hook {}\n"})
	res, err := Format(context.Background(), FormatOptions{Targets: []string{dir}})
	if err != nil {
		t.Fatal(err)
	}
	if res.WithoutModel != 1 || strings.Join(res.NotFormattedTypes, ",") != "ApexClass" {
		t.Errorf("not formatted: %d %v", res.WithoutModel, res.NotFormattedTypes)
	}
	res, err = Format(context.Background(), FormatOptions{Targets: []string{cls}})
	if err != nil {
		t.Fatal(err)
	}
	wantStatus(t, res, map[string]string{"Hook.cls-meta.xml": "left: fmt does not format ApexClass files"})
	if got, _ := os.ReadFile(cls); string(got) != messy {
		t.Error("an ApexClass file was rewritten")
	}
}
