package generator

import (
	"archive/zip"
	"bytes"
	"context"
	"errors"
	"fmt"
	"github.com/byocpack/byocpack/internal/convert"
	"github.com/byocpack/byocpack/internal/pack"
	"github.com/byocpack/byocpack/internal/sfdx"
	"github.com/byocpack/byocpack/internal/tree"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"sync"
	"testing"
	"testing/fstest"

	"github.com/google/go-cmp/cmp"
)

const ecaPath = "force-app/main/default/externalClientApps/Partner1_ExternalClientApp1.eca-meta.xml"

func renamedApp(s string) string {
	return strings.Replace(s, "name: ExternalClientApp1", "name: ExternalClientApp2", 1)
}

func buildFS(t *testing.T, edit func(string) string, out string) (*BuildResult, error) {
	t.Helper()
	return Build(context.Background(), BuildOptions{Render: RenderOptions{SpecFS: specFS(t, edit), SpecPath: "byoc.yaml", OutDir: out, Now: testNow}})
}

func TestBuildAfterRenameZipsExactlyTheNewComponents(t *testing.T) {
	out := filepath.Join(t.TempDir(), "out")
	if _, err := buildFS(t, func(s string) string { return s }, out); err != nil {
		t.Fatal(err)
	}
	res, err := buildFS(t, renamedApp, out)
	if err != nil {
		t.Fatal(err)
	}
	names := zipNames(t, res.Package.Artifacts[0].Path)
	for _, n := range names {
		if strings.Contains(n, "ExternalClientApp1") {
			t.Errorf("package.zip still holds the renamed app's %s", n)
		}
	}
	for _, want := range []string{"externalClientApps/Partner1_ExternalClientApp2.eca", "extlClntAppOauthSettings/Partner1_ExternalClientApp2_oauth.ecaOauth"} {
		if !slices.Contains(names, want) {
			t.Errorf("package.zip lacks %s: %v", want, names)
		}
	}
}

// TestSecretsInThePackageDirectoryAreNeverZipped plants secrets under any
// name in the package directory; package and build must refuse, naming
// the file and line, and write nothing.
func TestSecretsInThePackageDirectoryAreNeverZipped(t *testing.T) {
	key := "-----BEGIN " + "PRIVATE KEY-----\nMIIB\n-----END " + "PRIVATE KEY-----\n"
	for name, file := range map[string]struct{ path, data string }{
		"pem key as .txt":   {"force-app/main/default/notes.txt", "hello\n" + key},
		"key in a class":    {"force-app/main/default/classes/K.cls", "// key\n" + key},
		"consumer secret":   {"force-app/main/default/x/Y.cls", "a\n<consumerSecret>s3cr3t</consumerSecret>\n"},
		"global oauth copy": {"force-app/main/default/copy/Partner1_X_glbloauth.ecaGlblOauth-meta.xml", "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<ExtlClntAppGlobalOauthSettings xmlns=\"http://soap.sforce.com/2006/04/metadata\"/>\n"},
	} {
		t.Run(name, func(t *testing.T) {
			out := filepath.Join(t.TempDir(), "out")
			if _, err := buildFS(t, func(s string) string { return s }, out); err != nil {
				t.Fatal(err)
			}
			addFiles(t, out, map[string]string{file.path: file.data})
			before := readTree(t, out)
			_, err := Package(context.Background(), PackageOptions{ProjectDir: out, Now: testNow})
			var list ProblemList
			if !errors.As(err, &list) || !strings.Contains(err.Error(), filepath.ToSlash(filepath.Join(out, file.path))) {
				t.Fatalf("package: want problems naming %s, got %v", file.path, err)
			}
			if _, err := buildFS(t, func(s string) string { return s }, out); err == nil || !strings.Contains(err.Error(), file.path) {
				t.Fatalf("build: want a refusal naming %s, got %v", file.path, err)
			}
			if diff := cmp.Diff(before, readTree(t, out)); diff != "" {
				t.Fatalf("a refused run changed the tree:\n%s", diff)
			}
		})
	}
}

func TestPackageIntoTheProjectItselfLosesNothing(t *testing.T) {
	out := filepath.Join(t.TempDir(), "out")
	renderFixture(t, "partner1", out)
	before := readTree(t, out)
	res, err := Package(context.Background(), PackageOptions{ProjectDir: out, DistDir: out, Now: testNow})
	if err != nil {
		t.Fatal(err)
	}
	after := readTree(t, out)
	for p, data := range before {
		if p != ".byocpack-manifest.json" && after[p] != data {
			t.Errorf("package -o PROJECT changed or removed %s", p)
		}
	}
	for _, a := range res.Artifacts {
		if _, ok := after[filepath.Base(a.Path)]; !ok {
			t.Errorf("%s not written", a.Path)
		}
	}
	// Rendering again keeps them (the tree did not change) and a second
	// package replaces them without complaint.
	if r := renderFixture(t, "partner1", out); len(r.Changes.Removed) != 0 {
		t.Fatalf("render removed %v", r.Changes.Removed)
	}
	if _, err := Package(context.Background(), PackageOptions{ProjectDir: out, DistDir: out, Now: testNow}); err != nil {
		t.Fatal(err)
	}
	_, err = Package(context.Background(), PackageOptions{ProjectDir: out, DistDir: filepath.Join(out, "force-app", "dist"), Now: testNow})
	if err == nil || !strings.Contains(err.Error(), "inside the package directory") {
		t.Fatalf("zips inside the package directory: want a refusal, got %v", err)
	}
}

func TestRenderThatChangesTheTreeRemovesTheZipsSayingSo(t *testing.T) {
	out := filepath.Join(t.TempDir(), "out")
	if _, err := buildFS(t, func(s string) string { return s }, out); err != nil {
		t.Fatal(err)
	}
	res, err := renderFS(specFS(t, renamedApp), out)
	if err != nil {
		t.Fatal(err)
	}
	want := []string{"dist/package-version-info.zip", "dist/package.zip"}
	if diff := cmp.Diff(want, res.Changes.StaleZips); diff != "" {
		t.Fatalf("stale zips (-want +got):\n%s", diff)
	}
	if _, err := os.Stat(filepath.Join(out, "dist")); err == nil {
		t.Fatal("dist/ still there after its zips were removed")
	}
	// package after build and a re-render: the manifest owns dist/.
	if _, err := buildFS(t, func(s string) string { return s }, out); err != nil {
		t.Fatal(err)
	}
	renderFixtureLike(t, out)
	if _, err := Package(context.Background(), PackageOptions{ProjectDir: out, Now: testNow}); err != nil {
		t.Fatalf("package after build and re-render: %v", err)
	}
}

func renderFixtureLike(t *testing.T, out string) {
	t.Helper()
	if _, err := renderFS(specFS(t, func(s string) string { return s }), out); err != nil {
		t.Fatal(err)
	}
}

func TestRenderIntoAnotherProjectsDistLeavesItsZips(t *testing.T) {
	root := t.TempDir()
	proj := filepath.Join(root, "proj")
	renderFixture(t, "partner1", proj)
	target := filepath.Join(root, "out", "force-app")
	if _, err := Package(context.Background(), PackageOptions{ProjectDir: proj, DistDir: target, Now: testNow}); err != nil {
		t.Fatal(err)
	}
	if _, err := renderFS(specFS(t, func(s string) string { return s }), target); err != nil {
		t.Fatal(err)
	}
	for _, z := range []string{"package.zip", "package-version-info.zip"} {
		if _, err := os.Stat(filepath.Join(target, z)); err != nil {
			t.Errorf("render removed %s, which package wrote there for another project", z)
		}
	}
}

func TestPreExistingIdenticalFileSurvivesRenames(t *testing.T) {
	out := filepath.Join(t.TempDir(), "out")
	golden := readTree(t, "../fixtures/partner1/golden")
	addFiles(t, out, map[string]string{ecaPath: golden[ecaPath]})
	res, err := renderFS(specFS(t, func(s string) string { return s }), out)
	if err != nil {
		t.Fatal(err)
	}
	if !slices.Contains(res.Changes.Yours, ecaPath) {
		t.Fatalf("the identical file was not reported as the user's: %+v", res.Changes)
	}
	if _, err := renderFS(specFS(t, renamedApp), out); err != nil {
		t.Fatal(err)
	}
	if got := readTree(t, out)[ecaPath]; got != golden[ecaPath] {
		t.Fatal("a file the user had before the first render was removed after a rename")
	}
}

func TestHostileManifestIsRefusedAndNothingOutsideChanges(t *testing.T) {
	root := t.TempDir()
	addFiles(t, root, map[string]string{"victim.txt": "victim"})
	out := filepath.Join(root, "out")
	renderFixture(t, "partner1", out)
	m := readTree(t, out)[".byocpack-manifest.json"]
	m = strings.Replace(m, `"files": [`, `"files": [{"path": "../victim.txt", "sha256": "`+strings.Repeat("0", 64)+`"},`, 1)
	addFiles(t, out, map[string]string{".byocpack-manifest.json": m})
	for _, force := range []bool{false, true} {
		_, err := Render(context.Background(), RenderOptions{SpecFS: specFS(t, renamedApp), SpecPath: "byoc.yaml", OutDir: out, Now: testNow, Force: force})
		if err == nil || !strings.Contains(err.Error(), "corrupt byocpack manifest") {
			t.Fatalf("force=%v: want a corrupt-manifest error, got %v", force, err)
		}
	}
	if got := readTree(t, root)["victim.txt"]; got != "victim" {
		t.Fatal("a file outside the output directory changed")
	}
}

// TestConcurrentRendersLeaveOneWholeTree runs renders of two different
// specs into one directory at once: each must succeed after the other, and
// the tree must be exactly one of the two.
func TestConcurrentRendersLeaveOneWholeTree(t *testing.T) {
	specs := []func(string) string{func(s string) string { return s }, renamedApp}
	want := make([]map[string]string, 2)
	for i, edit := range specs {
		dir := filepath.Join(t.TempDir(), "ref")
		if _, err := renderFS(specFS(t, edit), dir); err != nil {
			t.Fatal(err)
		}
		want[i] = readTree(t, dir)
	}
	for round := range 5 {
		out := filepath.Join(t.TempDir(), "out")
		var wg sync.WaitGroup
		errs := make([]error, 8)
		for i := range errs {
			wg.Go(func() {
				_, errs[i] = renderFS(specFS(t, specs[i%2]), out)
			})
		}
		wg.Wait()
		for i, err := range errs {
			// The later renders meet the earlier one's files: a rename
			// removes them as stale, which is allowed.
			if err != nil {
				t.Fatalf("round %d render %d: %v", round, i, err)
			}
		}
		got := readTree(t, out)
		if cmp.Diff(want[0], got) != "" && cmp.Diff(want[1], got) != "" {
			t.Fatalf("round %d: mixed tree:\n%s", round, fmt.Sprint(slices.Sorted(func(yield func(string) bool) {
				for k := range got {
					if !yield(k) {
						return
					}
				}
			})))
		}
	}
}

// addFiles writes files into dir, keeping what is there.
func addFiles(t *testing.T, dir string, files map[string]string) {
	t.Helper()
	for p, data := range files {
		full := filepath.Join(dir, filepath.FromSlash(p))
		if err := os.MkdirAll(filepath.Dir(full), 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(full, []byte(data), 0o644); err != nil {
			t.Fatal(err)
		}
	}
}

// TestSecretsGateLooksInsideArchives runs the gate alone, on a snapshot
// whose static resource zip holds a private key: the gate must name the
// file and the entry even if validation were switched off.
func TestSecretsGateLooksInsideArchives(t *testing.T) {
	var buf bytes.Buffer
	zw := zip.NewWriter(&buf)
	w, _ := zw.Create("certs/server.key")
	w.Write([]byte("-----BEGIN " + "PRIVATE KEY-----\nMIIB\n-----END " + "PRIVATE KEY-----\n"))
	zw.Close()
	tr := tree.New()
	tr.Set("sfdx-project.json", []byte(`{"packageDirectories":[{"path":"force-app","package":"P","versionNumber":"1.0.0.NEXT"}],"sourceApiVersion":"66.0"}`))
	tr.Set("force-app/main/default/staticresources/bundle.resource", buf.Bytes())
	snap, err := sfdx.ParseSnapshot(tr, "proj")
	if err != nil {
		t.Fatal(err)
	}
	err = secretsGate(snap, "proj", "", nil)
	if err == nil || !strings.Contains(err.Error(), "proj/force-app/main/default/staticresources/bundle.resource") || !strings.Contains(err.Error(), "certs/server.key") {
		t.Fatalf("want the gate to name the resource and the entry, got %v", err)
	}
}

// TestBuiltFilesAreScannedAsZipped: a static resource folder is zipped by
// the converter; the key inside must be found in the zip it writes, with
// the entry named.
func TestBuiltFilesAreScannedAsZipped(t *testing.T) {
	tr := tree.New()
	tr.Set("sfdx-project.json", []byte(`{"packageDirectories":[{"path":"force-app","package":"P","versionNumber":"1.0.0.NEXT"}],"sourceApiVersion":"66.0"}`))
	tr.Set("force-app/staticresources/bundle.resource-meta.xml", []byte(`<?xml version="1.0" encoding="UTF-8"?><StaticResource xmlns="http://soap.sforce.com/2006/04/metadata"><contentType>application/zip</contentType></StaticResource>`))
	tr.Set("force-app/staticresources/bundle/certs/server.key", []byte("-----BEGIN "+"PRIVATE KEY-----\nMIIB\n-----END "+"PRIVATE KEY-----\n"))
	snap, err := sfdx.ParseSnapshot(tr, "proj")
	if err != nil {
		t.Fatal(err)
	}
	conv, err := convert.Tree(context.Background(), snap, snap.Project.DefaultPackageDir(), convert.Options{})
	if err != nil {
		t.Fatal(err)
	}
	err = builtSecretsGate(&pack.Result{Files: conv.Files}, nil)
	if err == nil || !strings.Contains(err.Error(), "package.zip/staticresources/bundle.resource") || !strings.Contains(err.Error(), "certs/server.key") {
		t.Fatalf("want the zipped resource and its entry named, got %v", err)
	}
}

func TestCancelledBuildWritesNothing(t *testing.T) {
	out := filepath.Join(t.TempDir(), "out")
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	_, err := Build(ctx, BuildOptions{Render: RenderOptions{SpecFS: specFS(t, func(s string) string { return s }), SpecPath: "byoc.yaml", OutDir: out, Now: testNow}})
	if !errors.Is(err, context.Canceled) {
		t.Fatalf("want context.Canceled, got %v", err)
	}
	if _, err := os.Stat(out); err == nil {
		t.Fatal("a cancelled build created the output directory")
	}
}

// TestSpecCausedProblemsAreReportedAtTheSpec: a weak certificate is the
// spec's value, so its problem is at app.certificate's line in the spec,
// not at a generated file that was never written.
func TestSpecCausedProblemsAreReportedAtTheSpec(t *testing.T) {
	fsys := specFS(t, func(s string) string { return s }).(fstest.MapFS)
	fsys["certs/server.crt"] = &fstest.MapFile{Data: selfSigned(t, 1024)}
	out := filepath.Join(t.TempDir(), "out")
	_, err := Render(context.Background(), RenderOptions{SpecFS: fsys, SpecPath: "byoc.yaml", SpecDisplay: "sub/byoc.yaml", OutDir: out, Now: testNow})
	var list ProblemList
	if !errors.As(err, &list) {
		t.Fatalf("want problems, got %v", err)
	}
	spec := string(fsys["byoc.yaml"].Data)
	line := strings.Count(spec[:strings.Index(spec, "certificate:")], "\n") + 1
	found := false
	for _, p := range list {
		if p.Rule == "BYOC-CERT" {
			found = true
			if p.File != "sub/byoc.yaml" || p.Line != line || !strings.HasPrefix(p.Message, "app.certificate: ") || !strings.Contains(p.Message, "in the generated source-org/") {
				t.Errorf("BYOC-CERT not at the spec's app.certificate (line %d): %s", line, p)
			}
		}
	}
	if !found {
		t.Fatalf("no BYOC-CERT problem: %v", list)
	}
}

func TestAbsoluteCertificatePathIsAcceptedWithANote(t *testing.T) {
	crt, err := filepath.Abs("../fixtures/partner1/certs/server.crt")
	if err != nil {
		t.Fatal(err)
	}
	fsys := specFS(t, func(s string) string {
		return strings.Replace(s, "certificate: certs/server.crt", "certificate: "+crt, 1)
	}).(fstest.MapFS)
	delete(fsys, "certs/server.crt")
	res, err := Render(context.Background(), RenderOptions{SpecFS: fsys, SpecPath: "byoc.yaml", OutDir: filepath.Join(t.TempDir(), "out"), Now: testNow, DryRun: true})
	if err != nil {
		t.Fatal(err)
	}
	if !slices.ContainsFunc(res.Problems, func(p Problem) bool {
		return p.Severity == SeverityWarning && strings.Contains(p.Message, "absolute path, so the spec builds only on a machine")
	}) {
		t.Fatalf("no note about the absolute path: %v", res.Problems)
	}
}

func TestPackageOutputThroughALinkIntoThePackageIsRefused(t *testing.T) {
	root := t.TempDir()
	out := filepath.Join(root, "out")
	renderFixture(t, "partner1", out)
	inside := filepath.Join(out, "force-app", "main", "default", "zz")
	if err := os.MkdirAll(inside, 0o755); err != nil {
		t.Fatal(err)
	}
	link := filepath.Join(root, "sneaky")
	if err := os.Symlink(inside, link); err != nil {
		t.Fatal(err)
	}
	_, err := Package(context.Background(), PackageOptions{ProjectDir: out, DistDir: link, Now: testNow})
	if err == nil || !strings.Contains(err.Error(), "inside the package directory") {
		t.Fatalf("want a refusal, got %v", err)
	}
	if entries, _ := os.ReadDir(inside); len(entries) != 0 {
		t.Fatalf("wrote into the package directory through the link: %v", entries)
	}
}

// A run that fails after recovering an interrupted one still says what
// the recovery did.
func TestFailedRunKeepsTheRecoveryNote(t *testing.T) {
	out := filepath.Join(t.TempDir(), "out")
	if _, err := Build(context.Background(), BuildOptions{Render: RenderOptions{SpecFS: os.DirFS("../fixtures/partner1"), SpecPath: "byoc.yaml", OutDir: out, Now: testNow}}); err != nil {
		t.Fatal(err)
	}
	// What a run killed right after writing its journal leaves.
	if err := os.MkdirAll(filepath.Join(out, ".byocpack", "txn"), 0o755); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(filepath.Join(out, ".byocpack", "journal.json"), []byte(`{"state":"prepared","writes":[],"digests":{},"removes":[],"dirs":[],"layout":1}`), 0o644); err != nil {
		t.Fatal(err)
	}
	_, err := Package(context.Background(), PackageOptions{ProjectDir: out, PackageDir: "nonexistent"})
	var rec *RecoveredError
	if !errors.As(err, &rec) || len(rec.Recovered) != 1 || !strings.Contains(rec.Recovered[0], "undid") {
		t.Fatalf("want the error with the recovery's note, got %#v", err)
	}
}

// A consumer key written as a component's name ships in package.zip's
// entry names and package.xml: the gate refuses it, naming the file (the
// attacker trial packaged a static resource so named).
func TestAConsumerKeyAsAFileNameIsRefused(t *testing.T) {
	key := "a3MVG9A2kN3Bn17hsWsLDatwIVMEUBoPKv7ksp0tzmzMgpA8zAjv0ac8c5IJh0gv"
	files := []convert.File{
		{Path: "staticresources/ok.resource", Data: []byte("x")},
		{Path: "staticresources/" + key + ".resource", Data: []byte("x")},
	}
	err := builtSecretsGate(&pack.Result{Files: files}, nil)
	if err == nil || !strings.Contains(err.Error(), "package.zip/staticresources/"+key+".resource") || !strings.Contains(err.Error(), "file's name") {
		t.Fatalf("want the name refused, naming the file; got %v", err)
	}
	if err := builtSecretsGate(&pack.Result{Files: files[:1]}, nil); err != nil {
		t.Fatalf("an ordinary name: %v", err)
	}
}

// The names of the seed metadata's files go into package-version-info.zip
// and its seed package.xml too (the second attacker trial named a seed
// static resource after a consumer key): the gate scans the names of
// every file it zips.
func TestAConsumerKeyAsASeedFileNameIsRefused(t *testing.T) {
	name := "X3MVG9A2kN3Bn17hsWsLDatw_IVMEUBoPKv7ksp0tzmzMgpA8zAjv0ac8c5IJh0gv"
	tr := tree.New()
	tr.Set("sfdx-project.json", []byte(`{"packageDirectories":[{"path":"force-app","package":"P","versionNumber":"1.0.0.NEXT","seedMetadata":{"path":"seed"}}],"sourceApiVersion":"66.0"}`))
	tr.Set("force-app/main/default/classes/A.cls", []byte("public class A {}"))
	tr.Set("seed/main/default/staticresources/"+name+".resource", []byte("x"))
	snap, err := sfdx.ParseSnapshot(tr, "proj")
	if err != nil {
		t.Fatal(err)
	}
	err = secretsGate(snap, "proj", "", nil)
	if err == nil || !strings.Contains(err.Error(), "proj/seed/main/default/staticresources/"+name+".resource") || !strings.Contains(err.Error(), "file's name") {
		t.Fatalf("want the seed file's name refused, naming it; got %v", err)
	}
}

// package.xml is scanned as zipped: two component names each too short
// to be a key make one as Parent.Child (the second attacker trial).
func TestAConsumerKeyInPackageXMLIsRefused(t *testing.T) {
	xml := []byte("<Package><types><members>3MVG9AAAAAAAAAAAAAAAAAAAAA__e.BBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBB__c</members><name>CustomField</name></types></Package>\n")
	err := builtSecretsGate(&pack.Result{PackageXML: xml}, nil)
	if err == nil || !strings.Contains(err.Error(), "package.zip/package.xml") {
		t.Fatalf("want package.xml refused; got %v", err)
	}
}

// What package-version-info.zip holds besides package.zip is scanned as
// built: the third attacker pass wrote a consumer key and secret into a
// definition file's settings with JSON escapes (\u004B for K), which the
// scan of the definition file's text missed and settings.zip then held
// as plain XML.
func TestTheVersionZipsSettingsAreScanned(t *testing.T) {
	zipOf := func(name string, data []byte) []byte {
		var b bytes.Buffer
		zw := zip.NewWriter(&b)
		w, _ := zw.Create(name)
		w.Write(data)
		zw.Close()
		return b.Bytes()
	}
	settings := zipOf("settings/Foo.settings", []byte("<FooSettings><consumerSecret>ABCDEFGHIJKLMNOPQRSTUVWXYZ012345</consumerSecret></FooSettings>\n"))
	err := builtSecretsGate(&pack.Result{VersionInfo: pack.Artifact{Data: zipOf("settings.zip", settings)}}, nil)
	if err == nil || !strings.Contains(err.Error(), "package-version-info.zip/settings.zip") {
		t.Fatalf("want settings.zip's secret refused; got %v", err)
	}
}
