package generator

// The in-memory harness: a command's steps over a project held in an
// fs.FS (a fstest.MapFS literal), with the expected output inline. The
// project is read through the same bounded reader as on disk (internal/
// tree, Reader.FS); nothing is opened, locked or written: the steps run up
// to planChanges, and run.writes is what the command would write. A
// content file over tree.LazyOver is held by its record and read again
// from the FS when zipped, as on disk (lazy_test.go).

import (
	"archive/zip"
	"bytes"
	"context"
	"errors"
	"io/fs"
	"os"
	"path/filepath"
	"runtime"
	"slices"
	"strings"
	"testing"
	"testing/fstest"

	"github.com/google/go-cmp/cmp"

	"github.com/byocpack/byocpack/internal/diag"
	"github.com/byocpack/byocpack/internal/pack"
	"github.com/byocpack/byocpack/internal/registry"
	"github.com/byocpack/byocpack/internal/testtool"
)

// inMemory runs steps over r with its project read from fsys, stopping
// before planChanges (the first step that needs a directory on disk).
func inMemory(r *run, fsys fs.FS, steps []step) error {
	if r.ctx == nil {
		r.ctx = context.Background()
	}
	r.fsys = fsys
	if i := slices.IndexFunc(steps, func(s step) bool { return s.name == planChanges.name }); i >= 0 {
		steps = steps[:i]
	}
	return r.exec(steps)
}

// validateInMemory is validate of the project in fsys, shown as "proj":
// its problems as `byocpack validate` prints them.
func validateInMemory(t *testing.T, fsys fs.FS) []string {
	t.Helper()
	v := &validation{opts: ValidateOptions{Now: testNow}, reg: registry.New(), res: &ValidateResult{}}
	if err := inMemory(&run{dir: "proj", val: v}, fsys, validateSteps); err != nil {
		t.Fatal(err)
	}
	return problemLines(diag.Sort(v.res.problems))
}

func problemLines(ps []diag.Problem) []string {
	out := []string{}
	for _, p := range ps {
		out = append(out, p.String())
	}
	return out
}

// packageInMemory is package of the project in fsys, shown as "proj".
func packageInMemory(fsys fs.FS) (*run, error) {
	r := &run{dir: "proj", now: testNow}
	return r, inMemory(r, fsys, packageSteps)
}

const memProject = `{"packageDirectories":[{"path":"force-app","default":true,"package":"Acme","versionNumber":"1.0.0.NEXT"}],` +
	`"packageAliases":{"Acme":"0Ho000000000001AAA"},"sourceApiVersion":"62.0"}`

func memFile(s string) *fstest.MapFile { return &fstest.MapFile{Data: []byte(s), Mode: 0o644} }

func memClass(name string) fstest.MapFS {
	dir := "force-app/main/default/classes/"
	return fstest.MapFS{
		dir + name + ".cls":          memFile("public class " + name + " {}\n"),
		dir + name + ".cls-meta.xml": memFile(`<?xml version="1.0" encoding="UTF-8"?>` + "\n" + `<ApexClass xmlns="http://soap.sforce.com/2006/04/metadata"><apiVersion>62.0</apiVersion><status>Active</status></ApexClass>` + "\n"),
	}
}

func memProjectFS(files ...fstest.MapFS) fstest.MapFS {
	fsys := fstest.MapFS{"sfdx-project.json": memFile(memProject)}
	for _, f := range files {
		for k, v := range f {
			fsys[k] = v
		}
	}
	return fsys
}

// memBrokenProject holds a file of each kind of problem validate finds,
// one ignored by .forceignore and one outside any package directory.
func memBrokenProject() fstest.MapFS {
	return memProjectFS(memClass("Hello"), fstest.MapFS{
		".forceignore": memFile("**/ignored/**\n"),
		"force-app/main/default/classes/Bad.cls-meta.xml": memFile(`<?xml version="1.0" encoding="UTF-8"?>` + "\n" +
			`<ApexClass xmlns="http://soap.sforce.com/2006/04/metadata"><apiVersion>62.0</apiVersion><status>Sleeping</status></ApexClass>` + "\n"),
		"force-app/main/default/objects/Thing.weird-meta.xml":         memFile("<x/>\n"),
		"force-app/main/default/ignored/objects/Thing.weird-meta.xml": memFile("<x/>\n"),
		"force-app/main/default/classes/Broken.cls-meta.xml":          memFile("<ApexClass>\n<status>Active</status>\n"),
		"outside/classes/NotInAPackageDirectory.cls-meta.xml":         memFile("<ApexClass/>\n"),
	})
}

func TestInMemoryValidateReportsProblemsInline(t *testing.T) {
	fsys := memBrokenProject()
	want := []string{
		`proj/force-app/main/default/classes/Bad.cls-meta.xml:2:89: error xsd: value "Sleeping" is not allowed for <status> at /ApexClass/status; allowed values (ApexCodeUnitStatus): Inactive, Active, Deleted`,
		"proj/force-app/main/default/classes/Broken.cls-meta.xml:3:1: error BYOC-MALFORMED-XML: not well-formed XML: the file ends before <ApexClass> is closed (truncated?); fix the syntax so sf can read the file",
		`proj/force-app/main/default/objects/Thing.weird-meta.xml: error type-inference: could not infer a metadata type from the suffix ".weird-meta.xml", so sf cannot deploy or package this file; ` +
			"rename it to <Name>.<suffix>-meta.xml with a suffix of the Salesforce CLI's registry",
	}
	if diff := cmp.Diff(want, validateInMemory(t, fsys)); diff != "" {
		t.Errorf("validate over the in-memory project (-want +got):\n%s", diff)
	}
}

func TestInMemoryPackageZipsWhatItValidated(t *testing.T) {
	r, err := packageInMemory(memProjectFS(memClass("Hello"), memClass("World"), fstest.MapFS{
		"README.md": memFile("not in a package directory, so not read\n"),
	}))
	if err != nil {
		t.Fatal(err)
	}
	var writes []string
	for _, w := range r.writes {
		writes = append(writes, w.Path)
	}
	if diff := cmp.Diff([]string{"dist/package.zip", "dist/package-version-info.zip"}, writes); diff != "" {
		t.Errorf("what package would write (-want +got):\n%s", diff)
	}
	want := []string{"classes/", "classes/Hello.cls", "classes/Hello.cls-meta.xml", "classes/World.cls", "classes/World.cls-meta.xml", "package.xml"}
	if diff := cmp.Diff(want, zipEntries(t, r.built.Package.Data)); diff != "" {
		t.Errorf("package.zip (-want +got):\n%s", diff)
	}
	if diff := cmp.Diff(stepNames(packageSteps[:slices.IndexFunc(packageSteps, func(s step) bool { return s.name == "planChanges" })]), r.ran); diff != "" {
		t.Errorf("steps run (-want +got):\n%s", diff)
	}
}

func zipEntries(t *testing.T, data []byte) []string {
	t.Helper()
	zr, err := zip.NewReader(bytes.NewReader(data), int64(len(data)))
	if err != nil {
		t.Fatal(err)
	}
	var names []string
	for _, f := range zr.File {
		names = append(names, f.Name)
	}
	return names
}

func stepNames(steps []step) []string {
	var out []string
	for _, s := range steps {
		out = append(out, s.name)
	}
	return out
}

// The FS path keeps the reader's refusals: a link, a FIFO, a name with a
// control character in a package directory stop the run, naming the
// file, as they do on disk.
func TestInMemoryReaderRefusesWhatDiskRefuses(t *testing.T) {
	for name, f := range map[string]fstest.MapFS{
		"symbolic links are not packaged":          {"force-app/main/default/classes/Link.cls": {Data: []byte("/etc/passwd"), Mode: fs.ModeSymlink}},
		"a FIFO, not a file":                       {"force-app/main/default/classes/Pipe.cls": {Mode: fs.ModeNamedPipe}},
		"a name with a control character":          {"force-app/main/default/classes/Icon\r": memFile("")},
		"is a symbolic link; byocpack does not fo": {"force-app": {Data: []byte("elsewhere"), Mode: fs.ModeSymlink}},
	} {
		t.Run(name, func(t *testing.T) {
			_, err := packageInMemory(memProjectFS(memClass("Hello"), f))
			if err == nil || !strings.Contains(err.Error(), name) {
				t.Fatalf("got %v, want an error saying %q", err, name)
			}
		})
	}
}

// Build over an empty output directory held in memory: what it would
// write, rendered files and zips, with nothing on disk.
func TestInMemoryBuildPlansRenderedFilesAndZips(t *testing.T) {
	r := specRun(context.Background(), RenderOptions{SpecFS: specFS(t, func(s string) string { return s }), SpecPath: "byoc.yaml", OutDir: "out", Now: testNow})
	if err := inMemory(r, fstest.MapFS{}, buildSteps); err != nil {
		t.Fatal(err)
	}
	var writes []string
	for _, w := range r.writes {
		writes = append(writes, w.Path)
	}
	want := []string{
		".gitignore",
		"SETUP.md",
		"force-app/main/default/ConversationVendorInformation/Vendor1.ConversationVendorInformation-meta.xml",
		"force-app/main/default/conversationChannelDefinitions/Partner1_ChannelDefinition1.ConversationChannelDefinition-meta.xml",
		"force-app/main/default/externalClientApps/Partner1_ExternalClientApp1.eca-meta.xml",
		"force-app/main/default/extlClntAppOauthSettings/Partner1_ExternalClientApp1_oauth.ecaOauth-meta.xml",
		"force-app/main/default/objects/Message_Event__e/Message_Event__e.object-meta.xml",
		"force-app/main/default/objects/Message_Event__e/fields/EventType__c.field-meta.xml",
		"force-app/main/default/objects/Message_Event__e/fields/Payload__c.field-meta.xml",
		"sfdx-project.json",
		"source-org/main/default/extlClntAppGlobalOauthSets/Partner1_ExternalClientApp1_glbloauth.ecaGlblOauth-meta.xml",
		"source-org/main/default/extlClntAppOauthPolicies/Partner1_ExternalClientApp1_oauthPlcy.ecaOauthPlcy-meta.xml",
		"source-org/main/default/extlClntAppPolicies/Partner1_ExternalClientApp1_plcy.ecaPlcy-meta.xml",
		"dist/package.zip",
		"dist/package-version-info.zip",
	}
	if diff := cmp.Diff(want, writes); diff != "" {
		t.Errorf("what build would write (-want +got):\n%s", diff)
	}
}

// A user's file in the output directory with an error stops build (which
// zips it) but not render (which reports it): the two lists differ in
// their validate step, over the same project in memory.
func TestInMemoryRenderReportsWhatBuildRefuses(t *testing.T) {
	user := fstest.MapFS{"force-app/main/default/classes/Mine.cls-meta.xml": memFile("<ApexClass>\n")}
	for _, c := range []struct {
		steps  []step
		refuse bool
	}{{renderSteps, false}, {buildSteps, true}} {
		r := specRun(context.Background(), RenderOptions{SpecFS: specFS(t, func(s string) string { return s }), SpecPath: "byoc.yaml", OutDir: "out", Now: testNow})
		err := inMemory(r, user, c.steps)
		var list diag.List
		if refused := errors.As(err, &list); refused != c.refuse || (!c.refuse && err != nil) {
			t.Fatalf("%v: got %v", stepNames(c.steps), err)
		}
		if c.refuse {
			if got := problemLines(list); len(got) != 1 || !strings.HasPrefix(got[0], "out/force-app/main/default/classes/Mine.cls-meta.xml:2:1: error BYOC-MALFORMED-XML") {
				t.Errorf("build refused with %q", got)
			}
			continue
		}
		if got := problemLines(r.reported); !slices.ContainsFunc(got, func(l string) bool {
			return strings.HasPrefix(l, "out/force-app/main/default/classes/Mine.cls-meta.xml:2:1: error BYOC-MALFORMED-XML")
		}) {
			t.Errorf("render reported %q", got)
		}
	}
}

// The harness is the command, not a copy of it: the same project on disk
// gives the same problems and the same zip, byte for byte.
func TestInMemoryAgreesWithDisk(t *testing.T) {
	ctx := context.Background()
	dir := filepath.Join(t.TempDir(), "proj")
	if err := os.CopyFS(dir, memBrokenProject()); err != nil {
		t.Fatal(err)
	}
	res, err := Validate(ctx, ValidateOptions{Targets: []string{dir}, Now: testNow})
	if err != nil {
		t.Fatal(err)
	}
	var onDisk []string
	for _, p := range res.Problems {
		onDisk = append(onDisk, strings.Replace(p.String(), filepath.ToSlash(dir), "proj", 1))
	}
	if diff := cmp.Diff(onDisk, validateInMemory(t, memBrokenProject())); diff != "" {
		t.Errorf("validate on disk and in memory differ (-disk +memory):\n%s", diff)
	}

	project := memProjectFS(memClass("Hello"), memClass("World"))
	dir = filepath.Join(t.TempDir(), "proj")
	if err := os.CopyFS(dir, project); err != nil {
		t.Fatal(err)
	}
	epoch := int64(1700000000)
	pres, err := Package(ctx, PackageOptions{ProjectDir: dir, DryRun: true, Now: testNow, SourceDateEpoch: &epoch})
	if err != nil {
		t.Fatal(err)
	}
	r := &run{dir: "proj", now: testNow, pack: pack.Options{SourceDateEpoch: &epoch}}
	if err := inMemory(r, project, packageSteps); err != nil {
		t.Fatal(err)
	}
	for i, a := range artifacts(r.built) {
		if got := pres.Artifacts[i]; got.Name != a.Name || got.SHA256 != a.SHA256 {
			t.Errorf("%s: on disk %s, in memory %s", a.Name, got.SHA256, a.SHA256)
		}
	}
}

// validate reads each listed file after the walk: one swapped for a link,
// or under a folder swapped for one, by then is refused, never followed
// into what it points to (on Linux, where openat2 can say so).
func TestValidateLoadRefusesALinkMadeAfterTheWalk(t *testing.T) {
	if runtime.GOOS != "linux" {
		t.Skip("openat2 is Linux's")
	}
	root := testtool.LinkedFolder(t)
	w := &workspace{path: root}
	if b, err := w.load("d/f.js", filepath.Join(root, "d", "f.js"))(); err == nil || !strings.Contains(err.Error(), "symbolic link") {
		t.Fatalf("%q, %v; want the link refused", b, err)
	}
}
