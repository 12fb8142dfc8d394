package xmlkey

import (
	"testing"

	"github.com/byocpack/byocpack/internal/xmldoc"
)

// An element is named by its keys down the tree, whatever line it is on.
func TestPathAt(t *testing.T) {
	doc, err := xmldoc.Parse([]byte(`<?xml version="1.0" encoding="UTF-8"?>
<PermissionSet xmlns="http://soap.sforce.com/2006/04/metadata">
    <fieldPermissions>
        <editable>false</editable>
        <field>Account.Fax</field>
    </fieldPermissions>
    <fieldPermissions>
        <editable>true</editable>
        <field>Account.Phone</field>
    </fieldPermissions>
    <scopes>Api</scopes>
    <scopes>Web</scopes>
    <label>Support</label>
</PermissionSet>
`))
	if err != nil {
		t.Fatal(err)
	}
	for line, want := range map[int]string{
		2:  "/PermissionSet",
		8:  "/PermissionSet/fieldPermissions[field=Account.Phone]/editable",
		7:  "/PermissionSet/fieldPermissions[field=Account.Phone]",
		12: "/PermissionSet/scopes[Web]",
		13: "/PermissionSet/label",
		99: "",
	} {
		if got := PathAt(doc.Root, line); got != want {
			t.Errorf("line %d: %q, want %q", line, got, want)
		}
	}
}
