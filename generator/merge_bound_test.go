package generator

import (
	"context"
	"strings"
	"testing"
)

// A file past the keyed merge's bound is left to git's text merge, which
// grows with the file, instead of hanging git merge on a hostile branch.
func TestMergeOfAHugeFileFallsBackToText(t *testing.T) {
	var b strings.Builder
	b.WriteString("<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<PermissionSet xmlns=\"http://soap.sforce.com/2006/04/metadata\">\n")
	for i := 0; i <= maxMergeElements/4; i++ {
		b.WriteString("    <fieldPermissions>\n        <editable>true</editable>\n        <field>A.F")
		b.WriteString(strings.Repeat("x", i%7))
		b.WriteString("__c</field>\n        <readable>true</readable>\n    </fieldPermissions>\n")
	}
	b.WriteString("    <label>P</label>\n</PermissionSet>\n")
	doc := []byte(b.String())
	res, err := Merge(context.Background(), MergeOptions{Path: "force-app/main/default/permissionsets/P.permissionset-meta.xml", Base: doc, Ours: doc, Theirs: doc})
	if err != nil {
		t.Fatal(err)
	}
	if res.Handled || !strings.Contains(res.Reason, "more than") {
		t.Fatalf("handled %v, reason %q: want the text merge", res.Handled, res.Reason)
	}
}
