package review

import (
	"fmt"
	"github.com/byocpack/byocpack/generator/problem"
	"slices"
	"strconv"
	"strings"

	"github.com/byocpack/byocpack/internal/apiver"
	"github.com/byocpack/byocpack/internal/inspect"
)

// ProfileAppExchange names the profile of what Salesforce requires of a
// partner's OAuth app: the ISVforce "Secure Your Connected Apps and
// External Client Apps" requirements (PKCE, refresh-token rotation, a
// 30-day idle limit on refresh tokens, an IP allowlist) and the controls
// Help's "Review External Client Apps" lists. docs/review.md lists each
// rule with the control it comes from.
const ProfileAppExchange = "appexchange"

// Profiles are the names Options.Profile takes.
func Profiles() []string { return []string{ProfileAppExchange} }

// facts are an app's files as the profile rules read them. For a
// connected app one file is every part.
type facts struct {
	app                        string
	eca                        bool
	header, settings, global   *inspect.Component
	policies, saml             *inspect.Component
	others                     []*inspect.Component
	scopes                     []string
	globalKnown, policiesKnown bool
}

// Where each setting lives, as the profile's messages say it.
const (
	whereGlobal   = "ExtlClntAppGlobalOauthSettings (Dev Hub only: never packaged, deploy it to the org that owns the app)"
	whereSettings = "ExtlClntAppOauthSettings (packaged)"
	wherePolicies = "ExtlClntAppOauthConfigurablePolicies (in the org that owns the app; a subscriber's admin keeps their own after install)"
	whereCA       = "the ConnectedApp file (packaged with the app)"
)

// Profile rule IDs (docs/review.md).
const (
	RuleAppxPKCE              = "APPX-PKCE"
	RuleAppxRefreshRotation   = "APPX-REFRESH-ROTATION"
	RuleAppxRefreshIdle       = "APPX-REFRESH-IDLE-30D"
	RuleAppxIPAllowlist       = "APPX-IP-ALLOWLIST"
	RuleAppxClientCredentials = "APPX-CLIENT-CREDENTIALS"
	RuleAppxCodeCredentials   = "APPX-CODE-CREDENTIALS"
	RuleAppxSecretRefresh     = "APPX-SECRET-REFRESH"
	RuleAppxMetadataSecrets   = "APPX-METADATA-SECRETS"
	RuleAppxScopes            = "APPX-SCOPE-LEAST-PRIVILEGE"
	RuleAppxSAML              = "APPX-SAML-SHA256"
	RuleAppxScreenLock        = "APPX-MOBILE-SCREEN-LOCK"
	RuleAppxPush              = "APPX-PUSH-SECRETS"
)

// Controls the rules come from.
const (
	fromISV  = "ISVforce Secure Your Connected Apps and External Client Apps (required from May-June 2026)"
	fromHelp = "Help: Review External Client Apps, control "
)

// idleTTLSince is the first API version whose metadata can set the 30-day
// idle limit on refresh tokens (isEnforceRefreshTokenTTL).
const idleTTLSince = 67

// appExchange judges one app by the profile.
func (r *reviewer) appExchange(f *facts) {
	p := appx{r: r, f: f}
	pkceFix := "set isPkceRequired to true"
	if r.set.Kind == inspect.KindSpec {
		pkceFix = "set app.pkceRequired: true in " + r.set.Source
	}
	p.setting(RuleAppxPKCE, fromISV+": PKCE", "error", "isPkceRequired", "oauthConfig/isPkceRequired",
		"PKCE is not required; Salesforce requires it of partner apps whether the client is public or confidential (the JWT bearer flow is not exempted in the text)",
		pkceFix)
	if getsRefreshTokens(f.scopes) {
		p.setting(RuleAppxRefreshRotation, fromISV+": refresh token rotation", "error", "isRefreshTokenRotationEnabled", "oauthConfig/isRefreshTokenRotationEnabled",
			"refresh-token rotation is off: a refresh token stays reusable after use",
			"set isRefreshTokenRotationEnabled to true")
		p.idleTTL()
	}
	p.ipAllowlist()
	p.flagIf(RuleAppxClientCredentials, fromHelp+"Client Credentials Flow Disabled", "warning",
		[]string{"isClientCredentialsFlowEnabled", "isClientCredentialEnabled"},
		"the client credentials flow is on: whoever holds the consumer key and secret gets a token as its run-as user, with no user present",
		"turn it off (isClientCredentialsFlowEnabled false) unless an integration needs it; then give the run-as user the least privilege")
	p.flagIf(RuleAppxCodeCredentials, fromHelp+"Authorization Code and Credentials Flow", "warning",
		[]string{"isCodeCredFlowEnabled", "isCodeCredentialEnabled"},
		"the authorization code and credentials flow is on: an app collects users' passwords itself",
		"turn it off (isCodeCredFlowEnabled false) unless a headless login needs it")
	p.flagIfFalse(RuleAppxSecretRefresh, fromHelp+"Require Secret for Web Server Flow and Refresh Token Flow", "warning",
		"isSecretRequiredForRefreshToken",
		"a refresh token is exchanged without the consumer secret: a leaked refresh token alone gets a new access token",
		"set isSecretRequiredForRefreshToken to true")
	p.metadataSecrets()
	p.scopes()
	p.saml()
	p.mobile()
}

type appx struct {
	r *reviewer
	f *facts
}

func (p appx) add(rule, control string, severity problem.Severity, c *inspect.Component, elem, where, message, fix string) {
	line := 0
	if elem != "" {
		line = c.Line(c.Elem(elem))
	}
	p.r.flag(rule, severity, c, line, fix+" (where: "+where+")", "%s: %s [%s]", p.f.app, message, control)
}

// global is the component, element and place of a global OAuth setting.
func (p appx) global(ecaField, caField string) (*inspect.Component, string, string) {
	if p.f.eca {
		return p.f.global, ecaField, whereGlobal
	}
	return p.f.header, caField, whereCA
}

// setting requires a boolean setting true. What the target does not hold
// (a zip: the global settings stay in the Dev Hub) is a warning to check
// it there.
func (p appx) setting(rule, control string, severity problem.Severity, ecaField, caField, message, fix string) {
	c, field, where := p.global(ecaField, caField)
	switch {
	case c == nil && !p.f.globalKnown:
		p.add(rule, control, "warning", p.f.header, "", where, "this target does not hold "+ecaField+"; check it in the org that owns the app", fix)
	case c == nil:
		p.add(rule, control, severity, p.f.header, "", where, message+" (no global OAuth settings)", fix)
	case text(c, field) != "true":
		p.add(rule, control, severity, c, field, where, message, fix)
	}
}

// idleTTL: refresh tokens must expire after 30 days without use. Before
// 67.0 no metadata field says so; a policy of SpecificInactivity of at most
// 30 days does the same.
func (p appx) idleTTL() {
	control := fromISV + ": refresh tokens expire after 30 days of inactivity"
	pol := p.f.policies
	if pol != nil {
		typ, period, unit := text(pol, "refreshTokenPolicyType"), text(pol, "refreshTokenValidityPeriod"), text(pol, "refreshTokenValidityUnit")
		if !p.f.eca {
			typ = text(pol, "oauthPolicy/refreshTokenPolicy")
		}
		if typ == "Zero" || strings.EqualFold(typ, "zero") {
			return
		}
		if n, err := strconv.Atoi(period); typ == "SpecificInactivity" && err == nil && (unit == "Days" && n <= 30 || unit == "Hours" && n <= 720) {
			return
		}
		for _, c := range []*inspect.Component{p.f.global, pol} {
			if c != nil && text(c, "isEnforceRefreshTokenTTL") == "true" {
				return
			}
		}
	}
	v, _ := apiver.Parse(p.r.set.APIVersion)
	fix := "in the org that owns the app, Setup → External Client App Manager → the app → Policies: limit the idle refresh token TTL to 30 days; " +
		"metadata can say so (isEnforceRefreshTokenTTL) from API 67.0 only"
	if v.Major() >= idleTTLSince {
		fix = "set isEnforceRefreshTokenTTL to true (API 67.0 and later), or refreshTokenPolicyType SpecificInactivity of at most 30 Days"
	}
	where := wherePolicies
	if !p.f.eca {
		where = whereCA
	}
	c := pol
	if c == nil {
		c = p.f.header
	}
	p.add(RuleAppxRefreshIdle, control, "warning", c, "", where,
		"refresh tokens are not known to expire after 30 days without use (byocpack cannot confirm the 67.0 setting offline, so this is a warning)", fix)
}

// ipAllowlist: an IP allowlist needs the partner's own egress addresses,
// which byocpack cannot know.
func (p appx) ipAllowlist() {
	control := fromISV + ": IP allowlist"
	c, where, field := p.f.settings, whereSettings, "trustedIpRanges"
	if !p.f.eca {
		c, where, field = p.f.header, whereCA, "ipRanges"
	}
	if c == nil {
		c = p.f.header
	}
	if c.Elem(field) != nil {
		return
	}
	p.add(RuleAppxIPAllowlist, control, "error", c, "", where,
		"no trusted IP ranges: a token is accepted from any network",
		"add your servers' egress addresses as "+field+" (start and end address each); byocpack cannot choose them, they are yours to supply")
}

// flagIf flags a boolean setting set true in the global settings or the
// policies.
func (p appx) flagIf(rule, control string, severity problem.Severity, fields []string, message, fix string) {
	for _, c := range []*inspect.Component{p.f.global, p.f.policies} {
		if c == nil {
			continue
		}
		for _, field := range fields {
			for _, path := range []string{field, "oauthConfig/" + field} {
				if text(c, path) == "true" {
					p.add(rule, control, severity, c, path, where(p.f, c), message, fix)
					return
				}
			}
		}
	}
}

// flagIfFalse flags a boolean setting written false (absent keeps
// Salesforce's default, which byocpack cannot confirm offline).
func (p appx) flagIfFalse(rule, control string, severity problem.Severity, field, message, fix string) {
	c, path, w := p.global(field, "oauthConfig/"+field)
	if c != nil && text(c, path) == "false" {
		p.add(rule, control, severity, c, path, w, message, fix)
	}
}

func where(f *facts, c *inspect.Component) string {
	switch {
	case !f.eca:
		return whereCA
	case c == f.global:
		return whereGlobal
	case c == f.policies:
		return wherePolicies
	}
	return whereSettings
}

// metadataSecrets: a consumer secret or a push credential in source is
// readable by whoever reads the repository.
func (p appx) metadataSecrets() {
	c, path, w := p.global("consumerSecret", "oauthConfig/consumerSecret")
	if c != nil && strings.TrimSpace(text(c, path)) != "" {
		p.add(RuleAppxMetadataSecrets, fromHelp+"Metadata Secrets Protection", "error", c, path, w,
			"the consumer secret is in the metadata", "remove consumerSecret from source; Salesforce keeps it, rotate it if it was ever committed")
	}
}

func (p appx) scopes() {
	broad := slices.DeleteFunc(slices.Clone(p.f.scopes), func(s string) bool { return s != "Full" && s != "Api" && s != "Web" })
	if len(broad) == 0 {
		return
	}
	c, field, w := p.f.settings, "commaSeparatedOauthScopes", whereSettings
	if !p.f.eca {
		c, field, w = p.f.header, "oauthConfig/scopes", whereCA
	}
	p.add(RuleAppxScopes, fromHelp+"OAuth Scope Least Privilege", "warning", c, field, w,
		fmt.Sprintf("the scopes %s reach far beyond one integration", strings.Join(broad, ", ")),
		"keep only the scopes the integration calls")
}

func (p appx) saml() {
	if p.f.saml == nil {
		return
	}
	field, w := "signingAlgorithmType", "ExtlClntAppSamlConfigurablePolicies"
	if !p.f.eca {
		field, w = "samlConfig/samlSigningAlgoType", whereCA
	}
	if text(p.f.saml, field) != "SHA256" {
		p.add(RuleAppxSAML, fromHelp+"SAML", "warning", p.f.saml, field, w,
			"SAML assertions are not signed with SHA-256", "set "+field+" to SHA256")
	}
}

// mobile: the mobile and push controls apply to apps with those settings.
func (p appx) mobile() {
	for _, c := range p.f.others {
		switch c.Type {
		case "ExtlClntAppMobileSettings":
			if text(c, "isScreenLockEnabled") != "true" {
				p.add(RuleAppxScreenLock, fromHelp+"Mobile Screen Lock", "warning", c, "isScreenLockEnabled", "ExtlClntAppMobileSettings (packaged)",
					"the mobile app does not require a screen lock", "set isScreenLockEnabled to true")
			}
		case "ExtlClntAppPushSettings":
			for _, field := range []string{"applePushConfig/certificate", "applePushConfig/password", "applePushConfig/signingKey", "androidPushConfig/serviceAccount"} {
				if strings.TrimSpace(text(c, field)) != "" {
					p.add(RuleAppxPush, fromHelp+"Push Security", "error", c, field, "ExtlClntAppPushSettings",
						"a push credential ("+field+") is in the metadata", "remove it from source and set it in the org that owns the app")
					break
				}
			}
		}
	}
}
