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

// TestBundleMetaFilesAreTyped: the meta file of a bundle or an experience
// is typed by its folder as sf types it, so its content model judges it;
// the same names elsewhere keep their suffix's type.
func TestBundleMetaFilesAreTyped(t *testing.T) {
	for p, want := range map[string]string{
		"force-app/main/default/lwc/orderList/orderList.js-meta.xml": "LightningComponentBundle",
		"force-app/main/default/aura/orderApp/orderApp.cmp-meta.xml": "AuraDefinitionBundle",
		"force-app/main/default/experiences/Shop1.site-meta.xml":     "ExperienceBundle",
		"force-app/main/default/sites/Shop1.site-meta.xml":           "SiteDotCom",
		"force-app/main/default/lwc/orderList/other.js-meta.xml":     "",
		"lwc/x/force-app/main/default/classes/A.cls-meta.xml":        "ApexClass",
	} {
		if got := TypeOf(p); got != want {
			t.Errorf("TypeOf(%s) = %q, want %q", p, got, want)
		}
	}
}
