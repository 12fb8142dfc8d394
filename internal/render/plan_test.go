package render

import (
	"os"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"

	"github.com/byocpack/byocpack/generator/spec"
	"github.com/byocpack/byocpack/internal/apiver"
	"github.com/byocpack/byocpack/internal/registry"
)

func loadFixture(t *testing.T, name string) *spec.Spec {
	t.Helper()
	s, err := spec.Load(os.DirFS("../../fixtures/"+name), "byoc.yaml", name+"/byoc.yaml")
	if err != nil {
		t.Fatal(err)
	}
	return s
}

// The plan lists the components without rendering: types, full names as
// package.xml has them, paths from the registry, packaged or not.
func TestPlan(t *testing.T) {
	cs, err := Plan(loadFixture(t, "partner1"))
	if err != nil {
		t.Fatal(err)
	}
	var got []string
	for _, c := range cs {
		got = append(got, strings.Join([]string{c.Type, c.FullName, c.Path, map[bool]string{true: "packaged", false: "source org"}[c.InPackage]}, " | "))
	}
	const pkg, org = "force-app/main/default/", "source-org/main/default/"
	want := []string{
		"ExternalClientApplication | Partner1_ExternalClientApp1 | " + pkg + "externalClientApps/Partner1_ExternalClientApp1.eca-meta.xml | packaged",
		"ExtlClntAppOauthSettings | Partner1_ExternalClientApp1_oauth | " + pkg + "extlClntAppOauthSettings/Partner1_ExternalClientApp1_oauth.ecaOauth-meta.xml | packaged",
		"ExtlClntAppGlobalOauthSettings | Partner1_ExternalClientApp1_glbloauth | " + org + "extlClntAppGlobalOauthSets/Partner1_ExternalClientApp1_glbloauth.ecaGlblOauth-meta.xml | source org",
		"ExtlClntAppOauthConfigurablePolicies | Partner1_ExternalClientApp1_oauthPlcy | " + org + "extlClntAppOauthPolicies/Partner1_ExternalClientApp1_oauthPlcy.ecaOauthPlcy-meta.xml | source org",
		"ExtlClntAppConfigurablePolicies | Partner1_ExternalClientApp1_plcy | " + org + "extlClntAppPolicies/Partner1_ExternalClientApp1_plcy.ecaPlcy-meta.xml | source org",
		"CustomObject | Message_Event__e | " + pkg + "objects/Message_Event__e/Message_Event__e.object-meta.xml | packaged",
		"CustomField | Message_Event__e.Payload__c | " + pkg + "objects/Message_Event__e/fields/Payload__c.field-meta.xml | packaged",
		"CustomField | Message_Event__e.EventType__c | " + pkg + "objects/Message_Event__e/fields/EventType__c.field-meta.xml | packaged",
		"ConversationVendorInfo | Vendor1 | " + pkg + "ConversationVendorInformation/Vendor1.ConversationVendorInformation-meta.xml | packaged",
		"ConversationChannelDefinition | Partner1_ChannelDefinition1 | " + pkg + "conversationChannelDefinitions/Partner1_ChannelDefinition1.ConversationChannelDefinition-meta.xml | packaged",
	}
	if d := cmp.Diff(want, got); d != "" {
		t.Errorf("plan (-want +got):\n%s", d)
	}
}

// Render writes exactly the planned components, plus the project files.
func TestRenderFollowsThePlan(t *testing.T) {
	r, err := New()
	if err != nil {
		t.Fatal(err)
	}
	for _, name := range []string{"partner1", "customer1", "legacy1"} {
		s := loadFixture(t, name)
		cs, err := Plan(s)
		if err != nil {
			t.Fatal(err)
		}
		files, err := r.Render(s, nil, nil)
		if err != nil {
			t.Fatal(err)
		}
		planned := map[string]Component{}
		for _, c := range cs {
			planned[c.Path] = c
		}
		for _, f := range files {
			c, ok := planned[f.Path]
			switch {
			case f.Merged || f.Path == setupFile || f.Path == adminSetupFile:
				if ok || f.Type != "" || f.InPackage {
					t.Errorf("%s: project file %s is a component", name, f.Path)
				}
			case !ok || c.Type != f.Type || c.FullName != f.FullName || c.InPackage != f.InPackage:
				t.Errorf("%s: rendered %+v, planned %+v", name, f, c)
			}
			delete(planned, f.Path)
		}
		if len(planned) > 0 {
			t.Errorf("%s: planned but not rendered: %v", name, planned)
		}
	}
}

// A child type outside its parent is a planning bug, not a wrong path.
func TestPlanRefusesAnOrphanChild(t *testing.T) {
	p := &planner{reg: registry.New(), pkg: "force-app/main/default"}
	if _, err := p.add("CustomField", "X__c", true, nil, &fieldData{}); err == nil || !strings.Contains(err.Error(), "inside a CustomObject") {
		t.Errorf("err = %v", err)
	}
	if _, err := p.add("NoSuchType", "X", true, nil, &fieldData{}); err == nil {
		t.Error("an unknown type must fail")
	}
}

// Scopes are written as a retrieve writes them: enum order, each file's own
// spelling, nothing added.
func TestScopeTokens(t *testing.T) {
	in := []string{"Interaction", "SFAP", "Api", "RefreshToken"}
	if got := strings.Join(scopeTokens(apiver.ECAScopes, in), ", "); got != "Api, RefreshToken, SFApiPlatform, Interaction" {
		t.Errorf("ECA scopes = %q", got)
	}
	if got := strings.Join(scopeTokens(apiver.ConnectedAppScopes, in), " "); got != "Api RefreshToken SFAP Interaction" {
		t.Errorf("connected app scopes = %q", got)
	}
}
