package pack

import (
	"archive/zip"
	"bytes"
	"context"
	"github.com/byocpack/byocpack/internal/convert"
	"github.com/byocpack/byocpack/internal/sfdx"
	"github.com/byocpack/byocpack/internal/tree"
	"io"
	"maps"
	"os"
	"os/exec"
	"path/filepath"
	"slices"
	"strings"
	"syscall"
	"testing"
)

func basicProject(t *testing.T) string {
	t.Helper()
	abs, err := filepath.Abs("../convert/testdata/basic")
	if err != nil {
		t.Fatal(err)
	}
	return abs
}

func unzip(t *testing.T, data []byte) map[string][]byte {
	t.Helper()
	zr, err := zip.NewReader(bytes.NewReader(data), int64(len(data)))
	if err != nil {
		t.Fatal(err)
	}
	out := map[string][]byte{}
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
		out[f.Name] = b
	}
	return out
}

func TestPackageLayout(t *testing.T) {
	res, err := Package(context.Background(), basicProject(t), Options{})
	if err != nil {
		t.Fatal(err)
	}
	info := unzip(t, res.VersionInfo.Data)
	if len(info) != 2 || !bytes.Equal(info["package.zip"], res.Package.Data) {
		t.Fatalf("package-version-info.zip entries: %v", len(info))
	}
	want := `{"path":"force-app","versionName":"ver 1.0","versionNumber":"1.0.0.NEXT","versionDescription":"first","id":"0Ho5g000000TestAAA"}`
	if string(info["package2-descriptor.json"]) != want {
		t.Fatalf("descriptor = %s", info["package2-descriptor.json"])
	}
	if len(res.Notes) != 1 || !strings.Contains(res.Notes[0], "ancestorId") {
		t.Fatalf("notes = %v", res.Notes)
	}
	pkg := unzip(t, res.Package.Data)
	for _, name := range []string{"package.xml", "classes/", "classes/Alpha.cls", "classes/Alpha.cls-meta.xml", "objects/Chat_Session__c.object", "externalClientApps/Acme_App.eca"} {
		if _, ok := pkg[name]; !ok {
			t.Errorf("package.zip lacks %s", name)
		}
	}
	if !strings.Contains(string(pkg["package.xml"]), "<types>\n        <name>Profile</name>\n    </types>\n    <version>62.0</version>") {
		t.Errorf("package.xml lacks the CLI's trailing Profile entry:\n%s", pkg["package.xml"])
	}
	zr, _ := zip.NewReader(bytes.NewReader(res.Package.Data), int64(len(res.Package.Data)))
	for _, f := range zr.File {
		if got := f.Modified.UTC().Unix(); got != DefaultEpoch {
			t.Errorf("%s: time %d, want %d", f.Name, got, DefaultEpoch)
		}
		if m := f.Mode().Perm(); m != 0o644 && m != 0o755 {
			t.Errorf("%s: mode %v", f.Name, m)
		}
	}
}

func TestSourceDateEpoch(t *testing.T) {
	e := int64(1700000000)
	a, err := Package(context.Background(), basicProject(t), Options{SourceDateEpoch: &e})
	if err != nil {
		t.Fatal(err)
	}
	b, err := Package(context.Background(), basicProject(t), Options{})
	if err != nil {
		t.Fatal(err)
	}
	if a.Package.SHA256 == b.Package.SHA256 {
		t.Fatal("SOURCE_DATE_EPOCH did not reach the zip")
	}
	old := int64(0)
	if _, err := Package(context.Background(), basicProject(t), Options{SourceDateEpoch: &old}); err == nil || !strings.Contains(err.Error(), "1980") {
		t.Fatalf("pre-1980 epoch: %v", err)
	}
}

// TestReproducibleAcrossTZAndUmask builds in two child processes with
// different TZ and umask and requires identical SHA-256 sums.
func TestReproducibleAcrossTZAndUmask(t *testing.T) {
	if os.Getenv("BYOCPACK_PACK_CHILD") == "1" {
		syscall.Umask(0o077)
		if os.Getenv("BYOCPACK_UMASK") == "0" {
			syscall.Umask(0)
		}
		// Copy the project so file modes and times differ too.
		src := basicProject(t)
		dst := t.TempDir()
		if err := os.CopyFS(dst, os.DirFS(src)); err != nil {
			t.Fatal(err)
		}
		res, err := Package(context.Background(), dst, Options{})
		if err != nil {
			t.Fatal(err)
		}
		os.Stdout.WriteString("SUM " + res.Package.SHA256 + " " + res.VersionInfo.SHA256 + "\n")
		return
	}
	var sums []string
	for _, env := range [][]string{{"TZ=UTC", "BYOCPACK_UMASK=0"}, {"TZ=Pacific/Kiritimati", "BYOCPACK_UMASK=077"}} {
		cmd := exec.Command(os.Args[0], "-test.run=^TestReproducibleAcrossTZAndUmask$", "-test.v")
		cmd.Env = append(append(os.Environ(), "BYOCPACK_PACK_CHILD=1"), env...)
		out, err := cmd.CombinedOutput()
		if err != nil {
			t.Fatalf("%v: %v\n%s", env, err, out)
		}
		i := strings.Index(string(out), "SUM ")
		if i < 0 {
			t.Fatalf("no sum in output:\n%s", out)
		}
		sums = append(sums, strings.SplitN(string(out[i:]), "\n", 2)[0])
	}
	if sums[0] != sums[1] {
		t.Fatalf("builds differ: %s vs %s", sums[0], sums[1])
	}
}

// writeFiles writes files (slash paths relative to dir) with their folders.
func writeFiles(t *testing.T, dir string, files map[string]string) {
	t.Helper()
	for rel, c := range files {
		p := filepath.Join(dir, filepath.FromSlash(rel))
		if err := os.MkdirAll(filepath.Dir(p), 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(p, []byte(c), 0o644); err != nil {
			t.Fatal(err)
		}
	}
}

func TestUnsupportedTypeFails(t *testing.T) {
	dir := t.TempDir()
	files := map[string]string{
		"sfdx-project.json": `{"packageDirectories":[{"path":"force-app","package":"P","versionNumber":"1.0.0.NEXT"}],"sourceApiVersion":"62.0"}`,
		"force-app/main/default/flows/My_Flow.flow-meta.xml":         "<Flow/>",
		"force-app/main/default/uiBundles/app/app.uibundle-meta.xml": "<UIBundle/>",
		"force-app/main/default/uiBundles/app/ui-bundle.json":        "{}",
	}
	writeFiles(t, dir, files)
	_, err := Package(context.Background(), dir, Options{})
	if err == nil || !strings.Contains(err.Error(), "force-app/main/default/uiBundles/app/ui-bundle.json") || !strings.Contains(err.Error(), "UIBundle") {
		t.Fatalf("got %v", err)
	}
}

func TestDescriptorKeysAndDependencies(t *testing.T) {
	dir := t.TempDir()
	os.MkdirAll(filepath.Join(dir, "force-app/classes"), 0o755)
	os.WriteFile(filepath.Join(dir, "force-app/classes/A.cls"), []byte("class A {}"), 0o644)
	os.WriteFile(filepath.Join(dir, "force-app/classes/A.cls-meta.xml"), []byte("<ApexClass/>"), 0o644)
	os.WriteFile(filepath.Join(dir, "sfdx-project.json"), []byte(`{
  "packageDirectories": [{
    "path": "force-app", "default": true, "package": "P", "versionNumber": "2.1.0.NEXT",
    "dependencies": [{"package": "Dep@1.0.0-1"}, {"package": "04t000000000002AAA"}],
    "ancestorVersion": "Anc", "scopeProfiles": true, "postInstallScript": "Post\u00e9",
    "packageMetadataAccess": {"permissionSets": "PS_A, PS_B", "permissionSetLicenses": []}
  }],
  "sourceApiVersion": "62.0",
  "packageAliases": {"P": "0Ho000000000001AAA", "Dep@1.0.0-1": "04t000000000001AAA", "Anc": "05i000000000001AAA"}
}`), 0o644)
	res, err := Package(context.Background(), dir, Options{})
	if err != nil {
		t.Fatal(err)
	}
	want := `{"path":"force-app","versionNumber":"2.1.0.NEXT","dependencies":[{"subscriberPackageVersionId":"04t000000000001AAA"},{"subscriberPackageVersionId":"04t000000000002AAA"}],"postInstallScript":"Posté","id":"0Ho000000000001AAA","packageMetadataPermissionSetNames":["PS_A","PS_B"],"packageMetadataPermissionSetLicenseNames":[],"versionName":"2.1.0","ancestorId":"05i000000000001AAA"}`
	if string(res.Descriptor) != want || len(res.Notes) != 0 {
		t.Fatalf("descriptor\n got %s\nwant %s\nnotes %v", res.Descriptor, want, res.Notes)
	}
}

// memProject is a project held in memory, as the pipeline hands it over.
func memProject(t *testing.T, files map[string]string) *sfdx.Snapshot {
	t.Helper()
	tr := tree.New()
	for p, d := range files {
		tr.Set(p, []byte(d))
	}
	snap, err := sfdx.ParseSnapshot(tr, "proj")
	if err != nil {
		t.Fatal(err)
	}
	return snap
}

const memProjectJSON = `{"packageDirectories":[{"path":"force-app","package":"Acme Messaging","versionNumber":"1.0.0.NEXT","default":true}],"sourceApiVersion":"66.0"}`

func TestConnectedAppBuildsAFirstGenerationZip(t *testing.T) {
	res, err := Snapshot(context.Background(), memProject(t, map[string]string{
		"sfdx-project.json": memProjectJSON,
		"force-app/main/default/connectedApps/Acme_App.connectedApp-meta.xml": "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<ConnectedApp xmlns=\"http://soap.sforce.com/2006/04/metadata\">\n    <contactEmail>a@example.com</contactEmail>\n    <label>Acme App</label>\n</ConnectedApp>\n",
	}), Options{})
	if err != nil {
		t.Fatal(err)
	}
	if res.Generation != FirstGeneration || res.VersionInfo.Data != nil || len(res.Notes) != 1 || !strings.Contains(res.Notes[0], "Spring '26") {
		t.Fatalf("want a first-generation zip and its note, got generation %d, version info %d bytes, notes %q", res.Generation, len(res.VersionInfo.Data), res.Notes)
	}
	xml := string(unzip(t, res.Package.Data)["package.xml"])
	if !strings.HasSuffix(xml, "    <version>66.0</version>\n    <fullName>Acme Messaging</fullName>\n</Package>\n") || strings.Contains(xml, "<name>Profile</name>") {
		t.Fatalf("package.xml is not the first-generation shape:\n%s", xml)
	}
}

// The stub of a connected app released in a first-generation package is
// what a 2GP package carries, recognised by content in any element order:
// both zips, no first-generation note. A connected app with anything more
// is the app itself: first generation.
func TestConnectedAppStubBuildsASecondGenerationPackage(t *testing.T) {
	const stubPath = "force-app/main/default/connectedApps/Acme_App.connectedApp-meta.xml"
	for _, tc := range []struct {
		name, doc string
		gen       Generation
	}{
		{"stub", "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<ConnectedApp xmlns=\"http://soap.sforce.com/2006/04/metadata\">\n    <developerName>acme__Acme_App</developerName>\n    <label>Acme App</label>\n    <version>1.0</version>\n</ConnectedApp>\n", SecondGeneration},
		{"stub in another order", "<ConnectedApp xmlns=\"http://soap.sforce.com/2006/04/metadata\"><version>2.3</version><label>Acme App</label><developerName>acme__Acme_App</developerName></ConnectedApp>", SecondGeneration},
		{"stub with a full app's element", "<ConnectedApp xmlns=\"http://soap.sforce.com/2006/04/metadata\"><developerName>acme__Acme_App</developerName><label>Acme App</label><version>1.0</version><contactEmail>a@example.com</contactEmail></ConnectedApp>", FirstGeneration},
		{"full app", "<ConnectedApp xmlns=\"http://soap.sforce.com/2006/04/metadata\"><contactEmail>a@example.com</contactEmail><label>Acme App</label></ConnectedApp>", FirstGeneration},
	} {
		t.Run(tc.name, func(t *testing.T) {
			res, err := Snapshot(context.Background(), memProject(t, map[string]string{"sfdx-project.json": memProjectJSON, stubPath: tc.doc}), Options{})
			if err != nil {
				t.Fatal(err)
			}
			notes := strings.Join(res.Notes, "\n")
			if res.Generation != tc.gen {
				t.Fatalf("generation %d, want %d; notes %q", res.Generation, tc.gen, notes)
			}
			if tc.gen == FirstGeneration {
				if res.VersionInfo.Data != nil || !strings.Contains(notes, "Spring '26") {
					t.Errorf("a full connected app: version info %d bytes, notes %q", len(res.VersionInfo.Data), notes)
				}
				return
			}
			if strings.Contains(notes, "Spring '26") || strings.Contains(notes, "first-generation packaging org") || !strings.Contains(notes, "stub of the connected app Acme_App") {
				t.Errorf("notes %q: want the stub's, not the first-generation warning", notes)
			}
			info := unzip(t, res.VersionInfo.Data)
			if info["package2-descriptor.json"] == nil || info["package.zip"] == nil {
				t.Fatalf("package-version-info.zip holds %v", slices.Collect(maps.Keys(info)))
			}
			pkg := unzip(t, res.Package.Data)
			if got := string(pkg["connectedApps/Acme_App.connectedApp"]); got != tc.doc {
				t.Errorf("the stub is zipped as\n%s\nwant it as written:\n%s", got, tc.doc)
			}
			if xml := string(pkg["package.xml"]); strings.Contains(xml, "<fullName>") || !strings.Contains(xml, "<members>Acme_App</members>\n        <name>ConnectedApp</name>") {
				t.Errorf("package.xml is not the second-generation one naming the stub:\n%s", xml)
			}
		})
	}
}

func TestLocalExternalClientAppGetsNoVersionInfo(t *testing.T) {
	res, err := Snapshot(context.Background(), memProject(t, map[string]string{
		"sfdx-project.json": memProjectJSON,
		"force-app/main/default/externalClientApps/Acme_App.eca-meta.xml": "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<ExternalClientApplication xmlns=\"http://soap.sforce.com/2006/04/metadata\">\n    <contactEmail>a@example.com</contactEmail>\n    <distributionState>Local</distributionState>\n    <isProtected>false</isProtected>\n    <label>Acme App</label>\n</ExternalClientApplication>\n",
	}), Options{})
	if err != nil {
		t.Fatal(err)
	}
	if res.VersionInfo.Data != nil || len(res.Package.Data) == 0 || !strings.Contains(strings.Join(res.Notes, "\n"), "app.distributionState") {
		t.Fatalf("want package.zip only and a note naming app.distributionState, got %d/%d bytes, notes %q", len(res.Package.Data), len(res.VersionInfo.Data), res.Notes)
	}
}

// What sf package version create zips beside package.zip, and how the
// definition file and apexTestAccess reach the descriptor, step by step as
// the packaging library does it (testdata/seeded is the same project for
// the oracle).
func TestVersionInfoCarriesWhatThePackagingLibraryReads(t *testing.T) {
	const cls = "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<ApexClass xmlns=\"http://soap.sforce.com/2006/04/metadata\">\n    <apiVersion>66.0</apiVersion>\n    <status>Active</status>\n</ApexClass>\n"
	files := map[string]string{
		"sfdx-project.json": `{"packageDirectories":[{"path":"force-app","package":"P","versionNumber":"1.0.0.NEXT","definitionFile":"config/scratch.json",` +
			`"seedMetadata":{"path":"seed"},"unpackagedMetadata":{"path":"unpackaged"},"apexTestAccess":{"permissionSets":"T1, T2","permissionSetLicenses":[]},"default":true}],` +
			`"sourceApiVersion":"66.0","packageAliases":{"P":"0Ho000000000001AAA"}}`,
		"config/scratch.json":                           `{"orgName":"Acme","edition":"Developer","Language":"en_US","features":["A","B"],"settings":{"lightningExperienceSettings":{"enableS1DesktopEnabled":true},"securitySettings":{"passwordPolicies":{"minimumPasswordLength":10,"complexity":"<any & all>"},"sessionSettings":{}}}}`,
		"force-app/main/default/classes/A.cls":          "public class A {}\n",
		"force-app/main/default/classes/A.cls-meta.xml": cls,
		"seed/classes/S.cls":                            "public class S {}\n",
		"seed/classes/S.cls-meta.xml":                   cls,
		"unpackaged/classes/U.cls":                      "public class U {}\n",
		"unpackaged/classes/U.cls-meta.xml":             cls,
	}
	for _, coverage := range []bool{false, true} {
		res, err := Snapshot(context.Background(), memProject(t, files), Options{CodeCoverage: coverage})
		if err != nil {
			t.Fatal(err)
		}
		info := unzip(t, res.VersionInfo.Data)
		want := []string{"package.zip", "package2-descriptor.json", "scratch-org-definition.json", "seed-metadata-package.zip", "settings.zip"}
		desc := `{"path":"force-app","versionNumber":"1.0.0.NEXT","id":"0Ho000000000001AAA","edition":"Developer","language":"en_US","features":["A","B"],"versionName":"1.0.0"}`
		if coverage {
			want = append(want, "unpackaged-metadata-package.zip")
			desc = `{"path":"force-app","versionNumber":"1.0.0.NEXT","id":"0Ho000000000001AAA","edition":"Developer","language":"en_US","features":["A","B"],"permissionSetNames":["T1","T2"],"permissionSetLicenseDeveloperNames":[],"versionName":"1.0.0"}`
		}
		slices.Sort(want)
		if got := slices.Sorted(maps.Keys(info)); !slices.Equal(got, want) {
			t.Fatalf("coverage %v: package-version-info.zip holds %v, want %v", coverage, got, want)
		}
		if got := string(info["package2-descriptor.json"]); got != desc {
			t.Errorf("coverage %v: descriptor\n%s\nwant\n%s", coverage, got, desc)
		}
		if got := string(info["scratch-org-definition.json"]); got != files["config/scratch.json"] {
			t.Errorf("the definition file is not copied byte for byte: %s", got)
		}
		seed := unzip(t, info["seed-metadata-package.zip"])
		if seed["classes/S.cls"] == nil || strings.Contains(string(seed["package.xml"]), "Profile") {
			t.Errorf("seed zip: %v\n%s", slices.Sorted(maps.Keys(seed)), seed["package.xml"])
		}
		settings := unzip(t, info["settings.zip"])
		if got, want := string(settings["settings/Security.settings"]), "<?xml version='1.0'?>\n<SecuritySettings>\n    <passwordPolicies>\n        <minimumPasswordLength>10</minimumPasswordLength>\n        <complexity>&lt;any &amp; all></complexity>\n    </passwordPolicies>\n    <sessionSettings/>\n</SecuritySettings>"; got != want {
			t.Errorf("Security.settings\n%s\nwant\n%s", got, want)
		}
		if got, want := string(settings["package.xml"]), "<?xml version='1.0'?>\n<Package xmlns='http://soap.sforce.com/2006/04/metadata'>\n    <types>\n        <members>LightningExperience</members>\n        <members>Security</members>\n        <name>Settings</name>\n    </types>\n    <version>66.0</version>\n</Package>"; got != want {
			t.Errorf("settings package.xml\n%s\nwant\n%s", got, want)
		}
	}
}

// A dependency only the Dev Hub can resolve is left out with a note, as
// an unknown ancestor is; profiles anywhere in the package directories
// are refused with the fix.
func TestDevHubDependencyNotedAndProfilesRefused(t *testing.T) {
	const cls = "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<ApexClass xmlns=\"http://soap.sforce.com/2006/04/metadata\">\n    <apiVersion>66.0</apiVersion>\n    <status>Active</status>\n</ApexClass>\n"
	files := map[string]string{
		"sfdx-project.json": `{"packageDirectories":[{"path":"base","package":"Base","versionNumber":"1.0.0.NEXT"},` +
			`{"path":"force-app","package":"P","versionNumber":"1.0.0.NEXT","dependencies":[{"package":"Base","versionNumber":"1.0.0.LATEST"},{"package":"04t000000000002AAA"}],"default":true}],` +
			`"sourceApiVersion":"66.0","packageAliases":{"P":"0Ho000000000001AAA"}}`,
		"base/classes/B.cls":                            "public class B {}\n",
		"base/classes/B.cls-meta.xml":                   cls,
		"force-app/main/default/classes/A.cls":          "public class A {}\n",
		"force-app/main/default/classes/A.cls-meta.xml": cls,
	}
	res, err := Snapshot(context.Background(), memProject(t, files), Options{})
	if err != nil {
		t.Fatal(err)
	}
	if want := `"dependencies":[{"subscriberPackageVersionId":"04t000000000002AAA"}]`; !strings.Contains(string(res.Descriptor), want) || !strings.Contains(strings.Join(res.Notes, "\n"), `"Base@1.0.0.LATEST"`) {
		t.Errorf("descriptor %s, notes %q", res.Descriptor, res.Notes)
	}
	files["base/profiles/Admin.profile-meta.xml"] = "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<Profile xmlns=\"http://soap.sforce.com/2006/04/metadata\"/>\n"
	if _, err := Snapshot(context.Background(), memProject(t, files), Options{}); err == nil || !strings.Contains(err.Error(), "Admin.profile-meta.xml") || !strings.Contains(err.Error(), "scopeProfiles") {
		t.Errorf("a profile in another package directory: %v", err)
	}
}

func TestDeployLimits(t *testing.T) {
	pd := &sfdx.PackageDir{Path: "force-app"}
	many := &convert.Result{Files: make([]convert.File, MaxFiles)}
	if err := checkLimits(pd, many); err == nil || !strings.Contains(err.Error(), "10001 files") {
		t.Errorf("files: %v", err)
	}
	if err := checkLimits(pd, &convert.Result{Files: many.Files[:MaxFiles-1]}); err != nil {
		t.Errorf("at the limit: %v", err)
	}
	big := &convert.Result{Files: []convert.File{{Path: "a", Data: make([]byte, MaxUnzippedSize/2+1)}, {Path: "b", Data: make([]byte, MaxUnzippedSize/2)}}}
	if err := checkLimits(pd, big); err == nil || !strings.Contains(err.Error(), "MiB") {
		t.Errorf("size: %v", err)
	}
	if err := checkZipSize(pd, make([]byte, MaxZipSize+1)); err == nil || !strings.Contains(err.Error(), "39 MB") {
		t.Errorf("zip: %v", err)
	}
}

// TestSymlinksInBundlesAreRefused: the CLI follows a link inside a bundle
// or a static resource folder and zips whatever it points at; byocpack
// refuses it (a deliberate difference: the link could reach outside the
// project).
func TestSymlinksInBundlesAreRefused(t *testing.T) {
	for _, link := range []string{"force-app/staticresources/site/secret.txt", "force-app/lwc/cmp/linked.js"} {
		dir := t.TempDir()
		files := map[string]string{
			"sfdx-project.json": `{"packageDirectories":[{"path":"force-app","package":"P","versionNumber":"1.0.0.NEXT"}],"sourceApiVersion":"62.0"}`,
			"force-app/staticresources/site.resource-meta.xml": `<?xml version="1.0" encoding="UTF-8"?><StaticResource xmlns="http://soap.sforce.com/2006/04/metadata"><contentType>application/zip</contentType></StaticResource>`,
			"force-app/staticresources/site/index.html":        "<p>",
			"force-app/lwc/cmp/cmp.js":                         "export default class {}",
			"force-app/lwc/cmp/cmp.js-meta.xml":                "<LightningComponentBundle/>",
		}
		writeFiles(t, dir, files)
		outside := filepath.Join(t.TempDir(), "outside.txt")
		os.WriteFile(outside, []byte("not yours"), 0o644)
		if err := os.Symlink(outside, filepath.Join(dir, filepath.FromSlash(link))); err != nil {
			t.Skip(err)
		}
		_, err := Package(context.Background(), dir, Options{})
		if err == nil || !strings.Contains(err.Error(), link) || !strings.Contains(err.Error(), "symbolic link") {
			t.Errorf("%s: got %v", link, err)
		}
	}
}

// TestDotFilesLeftOutOfPackageZip: sf project convert source writes a
// bundle's dot-files when no .forceignore exists, but the packaging library
// zips the converted tree with a glob that skips them, so package.zip never
// holds them.
func TestDotFilesLeftOutOfPackageZip(t *testing.T) {
	dir := t.TempDir()
	writeFiles(t, dir, map[string]string{
		"sfdx-project.json":                 `{"packageDirectories":[{"path":"force-app","package":"P","versionNumber":"1.0.0.NEXT"}],"sourceApiVersion":"62.0","packageAliases":{"P":"0Ho5g000000TestAAA"}}`,
		"force-app/lwc/cmp/cmp.js":          "export default class {}",
		"force-app/lwc/cmp/cmp.js-meta.xml": "<LightningComponentBundle/>",
		"force-app/lwc/cmp/.eslintrc.json":  "{}",
	})
	res, err := Package(context.Background(), dir, Options{})
	if err != nil {
		t.Fatal(err)
	}
	names := slices.Collect(maps.Keys(unzip(t, res.Package.Data)))
	if slices.Contains(names, "lwc/cmp/.eslintrc.json") || !slices.Contains(names, "lwc/cmp/cmp.js") {
		t.Fatalf("package.zip holds %v", names)
	}
}
