package validate

import (
	"testing"

	"github.com/byocpack/byocpack/internal/registry"
)

// Beyond the BYOC types (run_test.go's TestTypeOf): any suffix of the
// CLI's registry, and a child type's suffix.
func TestTypeOfIsTheRegistrys(t *testing.T) {
	for p, want := range map[string]string{
		"a/objects/E__e/fields/P__c.field-meta.xml": typeCustomField,
		"a/classes/A.cls-meta.xml":                  "ApexClass",
		"a/classes/A.Cls-meta.xml":                  "",
	} {
		if got := TypeOf(p); got != want {
			t.Errorf("TypeOf(%s) = %q, want %q", p, got, want)
		}
	}
}

func TestCaseMismatchNamesTheRightSpelling(t *testing.T) {
	reg := registry.New()
	cases := map[string]string{
		"C.conversationChannelDefinition-meta.xml": "ConversationChannelDefinition",
		"V.conversationVendorInformation-meta.xml": "ConversationVendorInformation",
		"P__c.Field-meta.xml":                      "field",
		"A.ECA-meta.xml":                           "eca",
		"A.eca-meta.xml":                           "",
		"A.nosuch-meta.xml":                        "",
	}
	for p, want := range cases {
		_, got, ok := caseMismatchSuffix(reg, p)
		if got != want || ok != (want != "") {
			t.Errorf("caseMismatchSuffix(%s) = %q, %v; want %q", p, got, ok, want)
		}
	}
}
