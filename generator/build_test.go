package generator

import (
	"archive/zip"
	"bytes"
	"context"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"
)

func buildFixture(t *testing.T, out string, epoch *int64) (*BuildResult, error) {
	t.Helper()
	return Build(context.Background(), BuildOptions{
		Render: RenderOptions{
			SpecFS: os.DirFS("../fixtures/partner1"), SpecPath: "byoc.yaml", OutDir: out, Now: testNow,
		},
		SourceDateEpoch: epoch,
	})
}

func zipNames(t *testing.T, path string) []string {
	t.Helper()
	r, err := zip.OpenReader(path)
	if err != nil {
		t.Fatal(err)
	}
	defer r.Close()
	var names []string
	for _, f := range r.File {
		names = append(names, f.Name)
	}
	return names
}

func TestBuildIsReproducible(t *testing.T) {
	a, err := buildFixture(t, filepath.Join(t.TempDir(), "a"), nil)
	if err != nil {
		t.Fatal(err)
	}
	b, err := buildFixture(t, filepath.Join(t.TempDir(), "b"), nil)
	if err != nil {
		t.Fatal(err)
	}
	for i := range a.Package.Artifacts {
		if a.Package.Artifacts[i].SHA256 != b.Package.Artifacts[i].SHA256 {
			t.Errorf("%s: two builds differ", a.Package.Artifacts[i].Name)
		}
		onDisk, err := os.ReadFile(a.Package.Artifacts[i].Path)
		if err != nil {
			t.Fatal(err)
		}
		if len(onDisk) != a.Package.Artifacts[i].Size {
			t.Errorf("%s on disk is %d bytes, reported %d", a.Package.Artifacts[i].Path, len(onDisk), a.Package.Artifacts[i].Size)
		}
	}
	later := int64(1767225600) // 2026-01-01
	c, err := buildFixture(t, filepath.Join(t.TempDir(), "c"), &later)
	if err != nil {
		t.Fatal(err)
	}
	if c.Package.Artifacts[0].SHA256 == a.Package.Artifacts[0].SHA256 {
		t.Error("SOURCE_DATE_EPOCH did not change the zip")
	}
	want := []string{
		"ConversationVendorInformation/", "ConversationVendorInformation/Vendor1.ConversationVendorInformation",
		"conversationChannelDefinitions/", "conversationChannelDefinitions/Partner1_ChannelDefinition1.ConversationChannelDefinition",
		"externalClientApps/", "externalClientApps/Partner1_ExternalClientApp1.eca",
		"extlClntAppOauthSettings/", "extlClntAppOauthSettings/Partner1_ExternalClientApp1_oauth.ecaOauth",
		"objects/", "objects/Message_Event__e.object", "package.xml",
	}
	if diff := cmp.Diff(want, zipNames(t, a.Package.Artifacts[0].Path)); diff != "" {
		t.Errorf("package.zip entries (-want +got):\n%s", diff)
	}
}

func TestBuildPackagesHandWrittenMetadata(t *testing.T) {
	out := filepath.Join(t.TempDir(), "out")
	writeTree(t, filepath.Join(out, "force-app", "main", "default", "classes"), map[string]string{
		"Hook.cls":          "public class Hook {}\n",
		"Hook.cls-meta.xml": "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<ApexClass xmlns=\"http://soap.sforce.com/2006/04/metadata\">\n    <apiVersion>66.0</apiVersion>\n    <status>Active</status>\n</ApexClass>\n",
	})
	res, err := buildFixture(t, out, nil)
	if err != nil {
		t.Fatal(err)
	}
	names := zipNames(t, res.Package.Artifacts[0].Path)
	for _, want := range []string{"classes/Hook.cls", "classes/Hook.cls-meta.xml"} {
		if !slices.Contains(names, want) {
			t.Errorf("package.zip lacks the hand-written %s: %v", want, names)
		}
	}
}

func TestBuildRefusesUnsupportedTypeAndWritesNothing(t *testing.T) {
	out := filepath.Join(t.TempDir(), "out")
	res, err := buildFixture(t, out, nil)
	if err != nil {
		t.Fatal(err)
	}
	writeTree(t, filepath.Join(out, "force-app", "main", "default", "staticresources"), map[string]string{
		"logo.resource-meta.xml": "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<StaticResource xmlns=\"http://soap.sforce.com/2006/04/metadata\">\n    <cacheControl>Public</cacheControl>\n    <contentType>image/svg+xml</contentType>\n</StaticResource>\n",
		"logo/logo.svg":          "<svg/>\n",
	})
	before := readTree(t, out)
	_, err = Build(context.Background(), BuildOptions{Render: RenderOptions{
		SpecFS: specFS(t, func(s string) string { return strings.Replace(s, "ver 1.0", "ver 1.1", 1) }), SpecPath: "byoc.yaml", OutDir: out, Now: testNow,
	}})
	if err == nil || !strings.Contains(err.Error(), "StaticResource") || !strings.Contains(err.Error(), "logo") {
		t.Fatalf("want an error naming the static resource and its type, got %v", err)
	}
	if diff := cmp.Diff(before, readTree(t, out)); diff != "" {
		t.Fatalf("a failed build changed the output directory:\n%s", diff)
	}
	if !bytes.Contains([]byte(before["dist/package.zip"]), []byte("package.xml")) || res == nil {
		t.Fatal("first build wrote no package.zip")
	}
}

// TestBuildZipsEveryLayout: a partner adds a Lightning web component, a
// zipped static resource and custom labels beside the generated metadata;
// build packages them all.
func TestBuildZipsEveryLayout(t *testing.T) {
	out := filepath.Join(t.TempDir(), "out")
	if _, err := buildFixture(t, out, nil); err != nil {
		t.Fatal(err)
	}
	writeTree(t, filepath.Join(out, "force-app", "main", "default"), map[string]string{
		"lwc/chatPanel/chatPanel.js":               "export default class ChatPanel {}\n",
		"lwc/chatPanel/chatPanel.js-meta.xml":      "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<LightningComponentBundle xmlns=\"http://soap.sforce.com/2006/04/metadata\">\n    <apiVersion>66.0</apiVersion>\n    <isExposed>false</isExposed>\n</LightningComponentBundle>\n",
		"staticresources/widget.resource-meta.xml": "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<StaticResource xmlns=\"http://soap.sforce.com/2006/04/metadata\">\n    <cacheControl>Private</cacheControl>\n    <contentType>application/zip</contentType>\n</StaticResource>\n",
		"staticresources/widget/js/app.js":         "console.log(1)\n",
		"labels/CustomLabels.labels-meta.xml":      "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<CustomLabels xmlns=\"http://soap.sforce.com/2006/04/metadata\">\n    <labels>\n        <fullName>Chat_Title</fullName>\n        <language>en_US</language>\n        <protected>true</protected>\n        <shortDescription>Chat title</shortDescription>\n        <value>Chat</value>\n    </labels>\n</CustomLabels>\n",
	})
	res, err := Build(context.Background(), BuildOptions{Render: RenderOptions{
		SpecFS: specFS(t, func(s string) string { return strings.Replace(s, "ver 1.0", "ver 1.1", 1) }), SpecPath: "byoc.yaml", OutDir: out, Now: testNow,
	}})
	if err != nil {
		t.Fatal(err)
	}
	names := zipNames(t, res.Package.Artifacts[0].Path)
	for _, want := range []string{"lwc/chatPanel/chatPanel.js", "lwc/chatPanel/chatPanel.js-meta.xml", "staticresources/widget.resource", "staticresources/widget.resource-meta.xml", "labels/CustomLabels.labels"} {
		if !slices.Contains(names, want) {
			t.Errorf("package.zip lacks %s: %v", want, names)
		}
	}
}

func TestRenderAfterBuildKeepsTheZips(t *testing.T) {
	out := filepath.Join(t.TempDir(), "out")
	if _, err := buildFixture(t, out, nil); err != nil {
		t.Fatal(err)
	}
	res := renderFixture(t, "partner1", out)
	if len(res.Changes.Removed) != 0 {
		t.Fatalf("render removed %v", res.Changes.Removed)
	}
	for _, z := range []string{"package.zip", "package-version-info.zip"} {
		if _, err := os.Stat(filepath.Join(out, "dist", z)); err != nil {
			t.Errorf("render after build lost dist/%s: %v", z, err)
		}
	}
	// A second build still owns and rewrites them.
	if _, err := buildFixture(t, out, nil); err != nil {
		t.Fatalf("build after render: %v", err)
	}
}

func TestDryRunShowsConflictsAndRemovals(t *testing.T) {
	out := filepath.Join(t.TempDir(), "out")
	if _, err := renderFS(specFS(t, func(s string) string { return s }), out); err != nil {
		t.Fatal(err)
	}
	renamed := specFS(t, func(s string) string {
		return strings.Replace(s, "name: ExternalClientApp1", "name: ExternalClientApp2", 1)
	})
	res, err := Render(context.Background(), RenderOptions{SpecFS: renamed, SpecPath: "byoc.yaml", OutDir: out, Now: testNow, DryRun: true})
	if err != nil {
		t.Fatal(err)
	}
	// The app's five files, and SETUP.md, which names the app.
	if !res.DryRun || len(res.Changes.Removed) != 5 || len(res.Changes.Written) != 6 {
		t.Fatalf("dry run plan: written %v, removed %v", res.Changes.Written, res.Changes.Removed)
	}
	if _, err := os.Stat(filepath.Join(out, "force-app/main/default/externalClientApps/Partner1_ExternalClientApp1.eca-meta.xml")); err != nil {
		t.Fatal("the dry run removed a file")
	}
	eca := filepath.Join(out, "force-app/main/default/externalClientApps/Partner1_ExternalClientApp1.eca-meta.xml")
	if err := os.WriteFile(eca, []byte("edited by hand"), 0o644); err != nil {
		t.Fatal(err)
	}
	_, err = Render(context.Background(), RenderOptions{SpecFS: renamed, SpecPath: "byoc.yaml", OutDir: out, Now: testNow, DryRun: true})
	if err == nil || !strings.Contains(err.Error(), "edited since") {
		t.Fatalf("dry run did not report the hand-edited file: %v", err)
	}
}
