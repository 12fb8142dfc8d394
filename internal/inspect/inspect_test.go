package inspect

import (
	"archive/zip"
	"bytes"
	"context"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"

	"github.com/byocpack/byocpack/internal/pack"
	"github.com/byocpack/byocpack/internal/sfdx"
)

func keys(cs []*Component) []string {
	out := make([]string, len(cs))
	for i, c := range cs {
		out[i] = c.Key()
	}
	return out
}

// The four forms of one package give the same components: a decomposed
// object in source format and its recomposed .object in a zip included.
func TestFormsGiveTheSameComponents(t *testing.T) {
	dir := filepath.Join(t.TempDir(), "p")
	if err := os.CopyFS(dir, os.DirFS("../../fixtures/partner1/golden")); err != nil {
		t.Fatal(err)
	}
	snap, err := sfdx.ReadProject(dir)
	if err != nil {
		t.Fatal(err)
	}
	built, err := pack.Snapshot(context.Background(), snap, pack.Options{})
	if err != nil {
		t.Fatal(err)
	}
	zipPath := filepath.Join(dir, "package.zip")
	infoPath := filepath.Join(dir, "package-version-info.zip")
	for p, b := range map[string][]byte{zipPath: built.Package.Data, infoPath: built.VersionInfo.Data} {
		if err := os.WriteFile(p, b, 0o644); err != nil {
			t.Fatal(err)
		}
	}
	want := []string{
		"ConversationChannelDefinition Partner1_ChannelDefinition1",
		"ConversationVendorInfo Vendor1",
		"CustomField Message_Event__e.EventType__c",
		"CustomField Message_Event__e.Payload__c",
		"CustomObject Message_Event__e",
		"ExternalClientApplication Partner1_ExternalClientApp1",
		"ExtlClntAppOauthSettings Partner1_ExternalClientApp1_oauth",
	}
	for target, kind := range map[string]Kind{dir: KindProject, zipPath: KindPackageZip, infoPath: KindVersionInfo, "../../fixtures/partner1/byoc.yaml": KindSpec} {
		set, err := Load(context.Background(), target, Options{})
		if err != nil {
			t.Fatalf("%s: %v", target, err)
		}
		if set.Kind != kind || set.APIVersion != "66.0" {
			t.Errorf("%s: kind %s, apiVersion %s", target, set.Kind, set.APIVersion)
		}
		if d := cmp.Diff(want, keys(set.Packaged)); d != "" {
			t.Errorf("%s: packaged components (-want +got):\n%s", target, d)
		}
		if got := len(set.Outside); set.OutsideKnown != (kind == KindProject || kind == KindSpec) || (set.OutsideKnown && got != 3) {
			t.Errorf("%s: outsideKnown %v with %d outside components", target, set.OutsideKnown, got)
		}
	}
	// A field split out of the recomposed object points at its line there.
	set, _ := Load(context.Background(), zipPath, Options{})
	for _, c := range set.Packaged {
		if c.Key() == "CustomField Message_Event__e.Payload__c" {
			if !strings.HasSuffix(c.File, "package.zip!objects/Message_Event__e.object") || c.Line(nil) < 3 || c.Root.Tag != "CustomField" {
				t.Errorf("split field: file %s line %d tag %s", c.File, c.Line(nil), c.Root.Tag)
			}
		}
	}
}

// A retrieve's zip holds its tree in one folder.
func TestZipWithOneTopFolder(t *testing.T) {
	var buf bytes.Buffer
	w := zip.NewWriter(&buf)
	for name, body := range map[string]string{
		"unpackaged/package.xml": `<Package xmlns="http://soap.sforce.com/2006/04/metadata"><types><members>V</members><name>ConversationVendorInfo</name></types><version>65.0</version></Package>`,
		"unpackaged/ConversationVendorInformation/V.ConversationVendorInformation": `<ConversationVendorInfo xmlns="http://soap.sforce.com/2006/04/metadata"><vendorType>BringYourOwnContactCenter</vendorType></ConversationVendorInfo>`,
	} {
		f, _ := w.Create(name)
		f.Write([]byte(body))
	}
	w.Close()
	p := filepath.Join(t.TempDir(), "retrieve.zip")
	if err := os.WriteFile(p, buf.Bytes(), 0o644); err != nil {
		t.Fatal(err)
	}
	set, err := Load(context.Background(), p, Options{})
	if err != nil {
		t.Fatal(err)
	}
	if d := cmp.Diff([]string{"ConversationVendorInfo V"}, keys(set.Packaged)); d != "" || set.APIVersion != "65.0" {
		t.Errorf("components %s, apiVersion %s", d, set.APIVersion)
	}
}

func TestLoadErrors(t *testing.T) {
	dir := t.TempDir()
	notSpec := filepath.Join(dir, "notes.txt")
	os.WriteFile(notSpec, []byte("just: [words"), 0o644)
	badSpec := filepath.Join(dir, "byoc.yaml")
	os.WriteFile(badSpec, []byte("prefix: X\n"), 0o644)
	empty := filepath.Join(dir, "empty.zip")
	var buf bytes.Buffer
	w := zip.NewWriter(&buf)
	f, _ := w.Create("README.md")
	f.Write([]byte("hi"))
	w.Close()
	os.WriteFile(empty, buf.Bytes(), 0o644)
	for target, want := range map[string]string{
		filepath.Join(dir, "missing"): "does not exist",
		notSpec:                       "neither a zip or tar archive nor a valid spec",
		badSpec:                       "is not a valid spec:\n" + badSpec + ":1:1: error spec:",
		empty:                         "holds neither package.xml",
		dir:                           "sfdx-project.json: not found",
	} {
		if _, err := Load(context.Background(), target, Options{}); err == nil || !strings.Contains(err.Error(), want) {
			t.Errorf("%s: got %v, want %q", target, err, want)
		}
	}
}
