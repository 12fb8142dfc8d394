package apiver

import "sync"

import "slices"

// OAuth scopes are written three ways, and each file takes its own:
//
//   - a connected app's <scopes> takes the values of the WSDL's
//     ConnectedAppOauthAccessScope enumeration (generated into
//     scopes_gen.go, per version, in enum order);
//   - an external client app's commaSeparatedOauthScopes takes the same
//     tokens, except where the external client app has a spelling of its
//     own (ecaSpellings);
//   - Setup and the token endpoint show a third name (interaction_api),
//     which no metadata file takes (uiTokens).

// ScopeDialect says which file a scope token is written in.
type ScopeDialect int

const (
	// ConnectedAppScopes are the tokens of a connected app's <scopes>:
	// the WSDL enumeration.
	ConnectedAppScopes ScopeDialect = iota
	// ECAScopes are the tokens of an external client app's
	// commaSeparatedOauthScopes.
	ECAScopes
)

// ecaSpellings are the external client app tokens that differ from the
// enumeration's, enum value to ECA token. Source: an org's deploy check of
// ExtlClntAppOauthSettings lists SFApiPlatform and no SFAP
// (deploy-semantics §3, byoc-anchors §8.5); the WSDL has SFAP only.
var ecaSpellings = sync.OnceValue(func() map[string]string {
	return map[string]string{"SFAP": "SFApiPlatform"}
})

// uiTokens are the names Setup shows and the token endpoint returns, by
// enum value (metadata-types §7; pairs whose token no source gives are left
// out: Basic, CustomApplications, MCP, SCRT).
var uiTokens = sync.OnceValue(func() map[string]string {
	return map[string]string{
		"Api":                   "api",
		"Web":                   "web",
		"Full":                  "full",
		"Chatter":               "chatter_api",
		"RefreshToken":          "refresh_token",
		"OpenID":                "openid",
		"Profile":               "profile",
		"Email":                 "email",
		"Address":               "address",
		"Phone":                 "phone",
		"OfflineAccess":         "offline_access",
		"CustomPermissions":     "custom_permissions",
		"Wave":                  "wave_api",
		"Eclair":                "eclair_api",
		"Pardot":                "pardot_api",
		"Lightning":             "lightning",
		"Content":               "content",
		"CDPIngest":             "cdp_ingest_api",
		"CDPProfile":            "cdp_profile_api",
		"CDPQuery":              "cdp_query_api",
		"Chatbot":               "chatbot_api",
		"CDPSegment":            "cdp_segment_api",
		"CDPIdentityResolution": "cdp_identityresolution_api",
		"CDPCalculatedInsight":  "cdp_calculated_insight_api",
		"ForgotPassword":        "forgot_password",
		"UserRegistration":      "user_registration_api",
		"SFAP":                  "sfap_api",
		"Interaction":           "interaction_api",
		"CDP":                   "cdp_api",
		"EinsteinGPT":           "einstein_gpt_api",
		"PwdlessLogin":          "pwdless_login_api",
	}
})

// ScopeToken is the token of the enum value name in dialect d.
func ScopeToken(d ScopeDialect, name string) string {
	if t, ok := ecaSpellings()[name]; ok && d == ECAScopes {
		return t
	}
	return name
}

// ScopeName maps a token of dialect d to its enum value; ok is false when
// no bundled WSDL has it in that dialect (a UI name, a typo, or the other
// dialect's spelling).
func ScopeName(d ScopeDialect, token string) (string, bool) {
	for _, s := range wsdlScopes() {
		if ScopeToken(d, s.name) == token {
			return s.name, true
		}
	}
	return "", false
}

// ScopeWindows returns the runs of bundled versions in which token exists
// in dialect d, oldest first; nil when none has it.
func ScopeWindows(d ScopeDialect, token string) []Window {
	var out []Window
	for _, s := range wsdlScopes() {
		if ScopeToken(d, s.name) == token {
			out = append(out, Window{Version{s.first}, Version{s.last}})
		}
	}
	return out
}

// KnownScopes returns the tokens of dialect d at v, in enum order. A
// version newer than every bundled WSDL gets the newest one's tokens, an
// older one the oldest's: the caller says how sure that verdict is.
func KnownScopes(d ScopeDialect, v Version) []string {
	v = clamp(v)
	var out []string
	for _, s := range wsdlScopes() {
		if t := ScopeToken(d, s.name); (Window{Version{s.first}, Version{s.last}}).Contains(v) && !slices.Contains(out, t) {
			out = append(out, t)
		}
	}
	return out
}

func clamp(v Version) Version {
	switch {
	case v.IsZero() || Latest().Before(v):
		return Latest()
	case v.Before(Oldest()):
		return Oldest()
	}
	return v
}

// ScopeUIToken is the name Setup shows for the enum value name, "" when no
// source gives one.
func ScopeUIToken(name string) string { return uiTokens()[name] }

// ScopeFromUIToken maps a Setup name (interaction_api) to its enum value.
func ScopeFromUIToken(ui string) (string, bool) {
	for name, t := range uiTokens() {
		if t == ui {
			return name, true
		}
	}
	return "", false
}

// AllScopeNames lists every enum value of every bundled WSDL, in enum
// order.
func AllScopeNames() []string {
	var out []string
	for _, s := range wsdlScopes() {
		if !slices.Contains(out, s.name) {
			out = append(out, s.name)
		}
	}
	return out
}

// SortScopes puts enum values in enum order, the order a retrieve writes
// them in; a value no WSDL has goes last, in the order given.
func SortScopes(names []string) []string {
	order := AllScopeNames()
	rank := func(n string) int {
		if i := slices.Index(order, n); i >= 0 {
			return i
		}
		return len(order)
	}
	out := slices.Clone(names)
	slices.SortStableFunc(out, func(a, b string) int { return rank(a) - rank(b) })
	return out
}
