package generator

// Large content (static resources over tree.LazyOver) is hashed and
// scanned when the snapshot reads it, held by that record only, and
// streamed into the zip with its digest checked again (issue 19, item 4).

import (
	"archive/zip"
	"bytes"
	"context"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"runtime"
	"slices"
	"strings"
	"testing"
	"testing/fstest"

	"github.com/byocpack/byocpack/internal/secrets"
	"github.com/byocpack/byocpack/internal/tree"
)

const resourcesDir = "force-app/main/default/staticresources/"

// largeText is n bytes of JavaScript-like text with some entropy, which
// deflate compresses (and would compress differently at another level).
func largeText(n int, seed uint32) []byte {
	var b bytes.Buffer
	x := seed
	for b.Len() < n {
		x = x*1664525 + 1013904223
		fmt.Fprintf(&b, "var v%d = %q;\n", x>>20, fmt.Sprint(x%977, x>>27))
	}
	return b.Bytes()[:n]
}

func resourceMeta(contentType, description string) string {
	return `<?xml version="1.0" encoding="UTF-8"?>` + "\n" + `<StaticResource xmlns="http://soap.sforce.com/2006/04/metadata">` +
		"\n    <cacheControl>Private</cacheControl>\n    <contentType>" + contentType + "</contentType>\n    <description>" + description + "</description>\n</StaticResource>\n"
}

// largeProject is a project on disk with a class and large static
// resources: n text resources of 2 MiB, a PNG (stored, not deflated) and
// a folder resource holding a large file (zipped by the converter).
func largeProject(t *testing.T, n int) (dir string, large []string) {
	t.Helper()
	dir = filepath.Join(t.TempDir(), "proj")
	files := map[string]string{"sfdx-project.json": memProject}
	for k, v := range memClass("Hello") {
		files[k] = string(v.Data)
	}
	for i := range n {
		name := fmt.Sprintf("lib%d", i)
		files[resourcesDir+name+".resource"] = string(largeText(2<<20, uint32(i+1)))
		files[resourcesDir+name+".resource-meta.xml"] = resourceMeta("application/javascript", name)
		large = append(large, resourcesDir+name+".resource")
	}
	png := append([]byte("\x89PNG\r\n\x1a\n"), largeText(3<<19, 99)...)
	files[resourcesDir+"logo.resource"] = string(png)
	files[resourcesDir+"logo.resource-meta.xml"] = resourceMeta("image/png", "logo")
	files[resourcesDir+"bundle/js/big.js"] = string(largeText(3<<19, 7))
	files[resourcesDir+"bundle/index.html"] = "<html></html>\n"
	files[resourcesDir+"bundle.resource-meta.xml"] = resourceMeta("application/zip", "bundle")
	large = append(large, resourcesDir+"logo.resource", resourcesDir+"bundle/js/big.js")
	// A document, copied as it is too.
	const documents = "force-app/main/default/documents/"
	files[documents+"Brand.documentFolder-meta.xml"] = `<?xml version="1.0" encoding="UTF-8"?>` + "\n" +
		`<DocumentFolder xmlns="http://soap.sforce.com/2006/04/metadata"><accessType>Public</accessType><name>Brand</name><publicFolderAccess>ReadOnly</publicFolderAccess></DocumentFolder>` + "\n"
	files[documents+"Brand/guide.pdf"] = "%PDF-1.4\n" + string(largeText(3<<19, 11))
	files[documents+"Brand/guide.document-meta.xml"] = `<?xml version="1.0" encoding="UTF-8"?>` + "\n" +
		`<Document xmlns="http://soap.sforce.com/2006/04/metadata"><internalUseOnly>false</internalUseOnly><name>guide</name><public>false</public></Document>` + "\n"
	large = append(large, documents+"Brand/guide.pdf")
	writeTree(t, dir, files)
	return dir, large
}

// packageRun is Package of dir, dry, keeping the run to look into.
func packageRun(dir, dist string, dryRun bool) (*run, error) {
	r := &run{ctx: context.Background(), dir: dir, distDir: dist, dryRun: dryRun, now: testNow}
	return r, r.exec(packageSteps)
}

// withLazy runs f with the snapshot keeping large content by its record
// (on), or holding every byte as before (off).
func withLazy(on bool, f func()) {
	defer func(old bool) { lazyContent = old }(lazyContent)
	lazyContent = on
	f()
}

// A project of large resources packages to the very zips it made when
// every byte was held, with the same inputs digest; the snapshot holds
// none of those files' bytes.
func TestLargeContentZipsAsWhenHeld(t *testing.T) {
	dir, large := largeProject(t, 2)
	var held, lazy *run
	var err error
	withLazy(false, func() { held, err = packageRun(dir, "", true) })
	if err != nil {
		t.Fatal(err)
	}
	tr := traceIO(t)
	withLazy(true, func() { lazy, err = packageRun(dir, "", true) })
	if err != nil {
		t.Fatal(err)
	}
	// Each large file is read twice, by design: hashed and scanned, then
	// streamed into the zip (or, in a folder resource, read to be zipped
	// by the converter); every other file once.
	tr.check(t, "package", 2)
	for _, p := range large {
		if n := tr.reads[filepath.Join(dir, filepath.FromSlash(p))]; n != 2 {
			t.Errorf("%s read %d times, want 2", p, n)
		}
	}
	for _, p := range large {
		if b, ok := lazy.snap.Tree.Get(p); !ok || b != nil || lazy.snap.Tree.Lazy(p) == nil {
			t.Errorf("%s: the snapshot holds %d bytes of it (record %v); want its record only", p, len(b), lazy.snap.Tree.Lazy(p))
		}
		if b, _ := held.snap.Tree.Get(p); len(b) <= tree.LazyOver {
			t.Errorf("%s: %d bytes, not a large file", p, len(b))
		}
	}
	if !bytes.Equal(held.built.Package.Data, lazy.built.Package.Data) || !bytes.Equal(held.built.VersionInfo.Data, lazy.built.VersionInfo.Data) {
		t.Errorf("the zips differ: package.zip %s vs %s", held.built.Package.SHA256, lazy.built.Package.SHA256)
	}
	if held.inputs != lazy.inputs || held.inputs == "" {
		t.Errorf("inputs digest %q held, %q lazy", held.inputs, lazy.inputs)
	}
	names := zipEntries(t, lazy.built.Package.Data)
	for _, want := range []string{"staticresources/lib0.resource", "staticresources/logo.resource", "staticresources/bundle.resource", "documents/Brand/guide.pdf"} {
		if !strings.Contains(strings.Join(names, "\n"), want) {
			t.Errorf("package.zip lacks %s: %v", want, names)
		}
	}
}

// A large file changed between the read that hashed and scanned it and
// the zip fails the package, naming the file, and nothing is written.
func TestLargeContentChangedBeforeZipFailsAndWritesNothing(t *testing.T) {
	dir, large := largeProject(t, 1)
	dist := filepath.Join(t.TempDir(), "dist")
	changed := filepath.Join(dir, filepath.FromSlash(large[0]))
	beforeZip = func() {
		b, err := os.ReadFile(changed)
		if err != nil {
			t.Error(err)
			return
		}
		b[len(b)/2] ^= 1 // the same size, other bytes
		if err := os.WriteFile(changed, b, 0o644); err != nil {
			t.Error(err)
		}
	}
	defer func() { beforeZip = nil }()
	r, err := packageRun(dir, dist, false)
	if err == nil || !strings.Contains(err.Error(), filepath.ToSlash(changed)+": changed since byocpack read and validated it; run again") {
		t.Fatalf("got %v, want %s named as changed", err, changed)
	}
	if r.plan != nil || slices.Contains(r.ran, "apply") {
		t.Errorf("steps ran: %v", r.ran)
	}
	for _, name := range []string{"package.zip", "package-version-info.zip"} {
		if _, err := os.Stat(filepath.Join(dist, name)); !os.IsNotExist(err) {
			t.Errorf("%s: written (%v)", name, err)
		}
	}
}

// A private key inside a large file is found by the scan made when the
// file was read (the tree holds no bytes of it later): validation and the
// secrets gate both refuse it.
func TestLargeContentHoldingAKeyIsRefused(t *testing.T) {
	body := append(largeText(2<<20, 5), "\n-----BEGIN "+"PRIVATE KEY-----\nMIIBVQIBADANBgkqhkiG9w0BAQEFAASCAT8wggE7AgEAAkEA\n-----END "+"PRIVATE KEY-----\n"...)
	fsys := memProjectFS(memClass("Hello"), fstest.MapFS{
		resourcesDir + "lib.resource":          &fstest.MapFile{Data: body, Mode: 0o644},
		resourcesDir + "lib.resource-meta.xml": memFile(resourceMeta("application/javascript", "lib")),
	})
	r, err := packageInMemory(fsys)
	if err == nil || !strings.Contains(err.Error(), "proj/"+resourcesDir+"lib.resource:98393:1: error "+string(secrets.PrivateKey)+": PEM private key") {
		t.Fatalf("got %v, want the key in lib.resource refused", err)
	}
	if b, _ := r.snap.Tree.Get(resourcesDir + "lib.resource"); b != nil || r.snap.Tree.Lazy(resourcesDir+"lib.resource") == nil {
		t.Fatalf("the snapshot holds %d bytes of lib.resource; want its record only", len(b))
	}
	err = secretsGate(r.snap, "proj", "", r.memo)
	if err == nil || !strings.Contains(err.Error(), RuleSecretGate) || !strings.Contains(err.Error(), "lib.resource") {
		t.Fatalf("the gate: got %v, want the key refused", err)
	}
}

// While package runs on a project of several large resources, the heap
// does not hold them: sampled when the zips start, it is smaller than
// with every byte held by more than half their total.
func TestLargeContentIsNotHeldWhilePackaging(t *testing.T) {
	const n = 6
	dir, _ := largeProject(t, n)
	heapAtZip := func(on bool) uint64 {
		var m runtime.MemStats
		beforeZip = func() {
			runtime.GC()
			runtime.ReadMemStats(&m)
		}
		defer func() { beforeZip = nil }()
		var err error
		withLazy(on, func() { _, err = packageRun(dir, "", true) })
		if err != nil {
			t.Fatal(err)
		}
		return m.HeapAlloc
	}
	heapAtZip(true) // what every run loads once (schemas, registry)
	lazy, held := heapAtZip(true), heapAtZip(false)
	if total := uint64(n * 2 << 20); lazy+total/2 > held {
		t.Errorf("heap when the zips start: %d MiB with large content held by its record, %d MiB with every byte held; want at least %d MiB less", lazy>>20, held>>20, total>>21)
	}
}

// Build's snapshot of its output directory holds large content by its
// record too: the zip carries the file's bytes.
func TestBuildZipsLargeContent(t *testing.T) {
	out := filepath.Join(t.TempDir(), "out")
	if _, err := buildFixture(t, out, nil); err != nil {
		t.Fatal(err)
	}
	body := largeText(2<<20, 13)
	writeTree(t, filepath.Join(out, filepath.FromSlash(resourcesDir)), map[string]string{
		"lib.resource":          string(body),
		"lib.resource-meta.xml": resourceMeta("application/javascript", "lib"),
	})
	tr := traceIO(t)
	if _, err := buildFixture(t, out, nil); err != nil {
		t.Fatal(err)
	}
	// Read once more than its metadata file, which is held: streamed
	// into the zip.
	dir := filepath.Join(out, filepath.FromSlash(resourcesDir))
	if n, meta := tr.reads[filepath.Join(dir, "lib.resource")], tr.reads[filepath.Join(dir, "lib.resource-meta.xml")]; n != meta+1 {
		t.Errorf("lib.resource read %d times, its metadata file %d; want one more (the zip's)", n, meta)
	}
	zr, err := zip.OpenReader(filepath.Join(out, "dist", "package.zip"))
	if err != nil {
		t.Fatal(err)
	}
	defer zr.Close()
	rc, err := zr.Open("staticresources/lib.resource")
	if err != nil {
		t.Fatal(err)
	}
	got, err := io.ReadAll(rc)
	rc.Close()
	if err != nil || !bytes.Equal(got, body) {
		t.Fatalf("package.zip holds %d bytes of lib.resource (%v), want the %d written", len(got), err, len(body))
	}
}
