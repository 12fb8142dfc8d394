package apiver

import (
	"slices"
	"testing"
)

func TestScopeDialects(t *testing.T) {
	v66, v65 := Version{66}, Version{65}
	if got := ScopeToken(ECAScopes, "SFAP"); got != "SFApiPlatform" {
		t.Errorf("ECA token of SFAP = %q", got)
	}
	if got := ScopeToken(ConnectedAppScopes, "SFAP"); got != "SFAP" {
		t.Errorf("connected app token of SFAP = %q", got)
	}
	if _, ok := ScopeName(ECAScopes, "SFAP"); ok {
		t.Error("SFAP must not be an external client app token")
	}
	if n, ok := ScopeName(ECAScopes, "SFApiPlatform"); !ok || n != "SFAP" {
		t.Errorf("ScopeName(ECA, SFApiPlatform) = %q, %v", n, ok)
	}
	if _, ok := ScopeName(ConnectedAppScopes, "interaction_api"); ok {
		t.Error("a UI name is no metadata token")
	}
	if n, ok := ScopeFromUIToken("interaction_api"); !ok || n != "Interaction" {
		t.Errorf("ScopeFromUIToken(interaction_api) = %q, %v", n, ok)
	}
	if slices.Contains(KnownScopes(ConnectedAppScopes, v65), "MCP") || !slices.Contains(KnownScopes(ConnectedAppScopes, v66), "MCP") {
		t.Error("MCP arrives in 66.0")
	}
	if got := KnownScopes(ECAScopes, Version{67}); !slices.Contains(got, "SFApiPlatform") || !slices.Contains(got, "MCP") {
		t.Errorf("a newer version gets the newest tokens: %v", got)
	}
	if w := ScopeWindows(ConnectedAppScopes, "MCP"); len(w) != 1 || w[0].First != v66 {
		t.Errorf("MCP windows = %v", w)
	}
}

// A retrieve writes scopes in enum order: RefreshToken comes before
// Interaction in ConnectedAppOauthAccessScope.
func TestSortScopesIsEnumOrder(t *testing.T) {
	got := SortScopes([]string{"Interaction", "OfflineAccess", "RefreshToken", "Api", "Nope"})
	want := []string{"Api", "RefreshToken", "OfflineAccess", "Interaction", "Nope"}
	if !slices.Equal(got, want) {
		t.Errorf("SortScopes = %v, want %v", got, want)
	}
}

func TestEveryUITokenNamesAnEnumValue(t *testing.T) {
	all := AllScopeNames()
	for name := range uiTokens() {
		if !slices.Contains(all, name) {
			t.Errorf("uiTokens has %s, which no WSDL has", name)
		}
	}
	for name := range ecaSpellings() {
		if !slices.Contains(all, name) {
			t.Errorf("ecaSpellings has %s, which no WSDL has", name)
		}
	}
}
