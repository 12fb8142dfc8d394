package registry

import (
	"slices"
	"testing"
)

func TestBySuffixIsCaseSensitive(t *testing.T) {
	r := New()
	cases := map[string]struct{ name, dir string }{
		"ConversationChannelDefinition": {"ConversationChannelDefinition", "conversationChannelDefinitions"},
		"ConversationVendorInformation": {"ConversationVendorInfo", "ConversationVendorInformation"},
		"eca":                           {"ExternalClientApplication", "externalClientApps"},
		"ecaOauth":                      {"ExtlClntAppOauthSettings", "extlClntAppOauthSettings"},
		"cls":                           {"ApexClass", "classes"},
		"object":                        {"CustomObject", "objects"},
	}
	for suffix, want := range cases {
		got, ok := r.BySuffix(suffix)
		if !ok || got.Name != want.name || got.DirectoryName != want.dir {
			t.Errorf("BySuffix(%q) = %v, %v; want %s in %s/", suffix, got, ok, want.name, want.dir)
		}
	}
	if got, ok := r.BySuffix("conversationChannelDefinition"); ok {
		t.Errorf("lower-case suffix must not resolve, got %s", got.Name)
	}
	if s, ok := r.SuggestSuffix("conversationchanneldefinition"); !ok || s != "ConversationChannelDefinition" {
		t.Errorf("SuggestSuffix = %q, %v", s, ok)
	}
}

func TestCustomObjectChildren(t *testing.T) {
	r := New()
	obj, ok := r.ByID("customobject")
	if !ok {
		t.Fatal("customobject missing")
	}
	if obj.Strategies.Adapter != "decomposed" || obj.Strategies.Decomposition != "folderPerType" || !obj.StrictDirectoryName {
		t.Fatalf("unexpected CustomObject strategies %+v", obj.Strategies)
	}
	id := obj.Children.Suffixes["field"]
	f, ok := obj.Child(id)
	if !ok || f.Name != "CustomField" || f.DirectoryName != "fields" {
		t.Fatalf("field child = %+v", f)
	}
	c, p, ok := r.ByName("customfield")
	if !ok || c.Name != "CustomField" || p.Name != "CustomObject" {
		t.Fatalf("ByName(customfield) = %v %v %v", c, p, ok)
	}
	if _, ok := r.BySuffix("field"); ok {
		t.Fatal("the registry has no top-level 'field' suffix; CustomField is found through objects/ only")
	}
	if c, p, ok := r.ByChildSuffix("field"); !ok || c.Name != "CustomField" || p.Name != "CustomObject" {
		t.Fatalf("ByChildSuffix(field) = %v %v %v", c, p, ok)
	}
	if _, _, ok := r.ByChildSuffix("Field"); ok {
		t.Fatal("ByChildSuffix must be case-sensitive")
	}
	if _, _, ok := r.ByChildSuffix("eca"); ok {
		t.Fatal("a top-level suffix is BySuffix's")
	}
	if s, ok := r.SuggestChildSuffix("FIELD"); !ok || s != "field" {
		t.Fatalf("SuggestChildSuffix(FIELD) = %q, %v", s, ok)
	}
}

func TestApexClassIsMatchingContentFile(t *testing.T) {
	a, _, ok := New().ByName("ApexClass")
	if !ok || a.Strategies.Adapter != "matchingContentFile" {
		t.Fatalf("ApexClass = %+v", a)
	}
}

func TestTypesSortedAndAliasResolved(t *testing.T) {
	r := New()
	ts := r.Types()
	for i := 1; i < len(ts); i++ {
		if ts[i-1].ID >= ts[i].ID {
			t.Fatalf("types not sorted at %d: %s >= %s", i, ts[i-1].ID, ts[i].ID)
		}
	}
	if len(ts) < 500 {
		t.Fatalf("only %d types", len(ts))
	}
	et, _, ok := r.ByName("EmailTemplateFolder")
	if !ok || et.ID != "emailfolder" {
		t.Fatalf("alias not resolved: %+v", et)
	}
}

// StrictFolderTypesIn is StrictFolderTypes filtered to the folders given,
// in the same order.
func TestStrictFolderTypesIn(t *testing.T) {
	r := New()
	for _, dirs := range [][]string{
		{"force-app", "main", "default", "objects", "Message_Event__e", "fields"},
		{"lwc", "aura", "staticresources", "objects", "lwc"},
		{"nothing", "here"},
		nil,
	} {
		var want []*Type
		for _, t := range r.StrictFolderTypes() {
			if slices.Contains(dirs, t.DirectoryName) {
				want = append(want, t)
			}
		}
		if got := r.StrictFolderTypesIn(dirs); !slices.Equal(got, want) {
			t.Errorf("%v: got %d types, want %d", dirs, len(got), len(want))
		}
	}
}
