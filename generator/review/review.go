// Package review summarises what a package version grants and defines
// (the OAuth app and its scopes, policies and callback URLs, the channel,
// the platform event, the vendor, what stays outside the package) and
// flags what a security reviewer of an AppExchange package would: broad
// scopes, self-authorized users, plain-http or wildcard callbacks, refresh
// tokens valid forever, IP restrictions bypassed, an expiring certificate.
// Each flag names its rule (docs/review.md) and its fix.
package review

import (
	"context"
	"crypto/x509"
	"encoding/base64"
	"encoding/pem"
	"fmt"
	"github.com/byocpack/byocpack/generator/problem"
	"net/url"
	"slices"
	"strings"
	"time"

	"github.com/beevik/etree"

	"github.com/byocpack/byocpack/generator/spec"
	"github.com/byocpack/byocpack/internal/castub"
	"github.com/byocpack/byocpack/internal/inspect"
	"github.com/byocpack/byocpack/internal/validate"
)

// Rule IDs (docs/review.md).
const (
	RuleBroadScope    = "REVIEW-BROAD-SCOPE"
	RuleSelfAuth      = "REVIEW-SELF-AUTHORIZED"
	RuleCallbackHTTP  = "REVIEW-CALLBACK-HTTP"
	RuleCallbackWild  = "REVIEW-CALLBACK-WILDCARD"
	RuleRefreshForver = "REVIEW-REFRESH-FOREVER"
	RuleIPBypass      = "REVIEW-IP-BYPASS"
	RuleCertExpired   = "REVIEW-CERT-EXPIRED"
	RuleCertExpiring  = "REVIEW-CERT-EXPIRING"
	RuleSAMLSHA1      = "REVIEW-SAML-SHA1"
	RuleRecovered     = "REVIEW-RECOVERED"
	RuleSecret        = "REVIEW-SECRET"
)

// CertWarnDays is how long before expiry a certificate is flagged: a
// month leaves time to issue a new one and upload it to the org that owns
// the app before JWT bearer logins start to fail for every subscriber
// (Salesforce itself does not stop an expired certificate being used
// for upload, so nothing else warns).
const CertWarnDays = 30

// Options tune Review.
type Options struct {
	// Now is the time certificates are judged at (zero: time.Now).
	Now time.Time
	// Profile adds a set of rules: "" none, ProfileAppExchange the
	// requirements Salesforce sets partners' OAuth apps (profile.go).
	Profile string
}

// Package is what the target says about the package itself.
type Package struct {
	Name          string `json:"name,omitempty"`
	Namespace     string `json:"namespace,omitempty"`
	VersionName   string `json:"versionName,omitempty"`
	VersionNumber string `json:"versionNumber,omitempty"`
	APIVersion    string `json:"apiVersion,omitempty"`
}

// Scope is one OAuth scope and what it allows.
type Scope struct {
	Name   string `json:"name"`
	Allows string `json:"allows"`
}

// Certificate is the JWT bearer certificate.
type Certificate struct {
	Subject  string `json:"subject,omitempty"`
	NotAfter string `json:"notAfter,omitempty"`
	DaysLeft int    `json:"daysLeft"`
	// Problem says why it could not be read; the other fields are empty.
	Problem string `json:"problem,omitempty"`
	File    string `json:"file"`
	Line    int    `json:"line,omitempty"`
}

// App is an OAuth app of the package. A field that only the org that owns
// the app knows (for a zip: the global settings and policies) is
// Unknown.
type App struct {
	Type              string   `json:"type"`
	Name              string   `json:"name"`
	Label             string   `json:"label,omitempty"`
	File              string   `json:"file"`
	DistributionState string   `json:"distributionState,omitempty"`
	ContactEmail      string   `json:"contactEmail,omitempty"`
	Scopes            []Scope  `json:"scopes"`
	JWTBearer         string   `json:"jwtBearer"`
	NamedUserJWT      string   `json:"namedUserJwt"`
	PermittedUsers    string   `json:"permittedUsers"`
	Profiles          []string `json:"profiles"`
	PermissionSets    []string `json:"permissionSets"`
	CallbackURLs      []string `json:"callbackUrls"`
	RefreshToken      string   `json:"refreshToken"`
	IPRelaxation      string   `json:"ipRelaxation"`
	// TrustedIPRanges are the ranges outside which the app refuses a
	// login ("start-end").
	TrustedIPRanges []string `json:"trustedIpRanges"`
	// ClientCredentials says whether the client credentials flow is on
	// and the user it runs as.
	ClientCredentials string `json:"clientCredentials"`
	// SessionPolicy is the session timeout and required session level.
	SessionPolicy string `json:"sessionPolicy"`
	// SAML is the SAML service provider set-up, when the app has one.
	SAML string `json:"saml,omitempty"`
	// Canvas is the canvas app set-up, when the app has one.
	Canvas      string       `json:"canvas,omitempty"`
	Certificate *Certificate `json:"certificate,omitempty"`
	// BYOC marks the app a Partner channel links to (the prefix its API
	// name shares with the channel's developerName): only it is judged by
	// what the Interaction Service needs.
	BYOC bool `json:"byoc"`
	// Stub marks the stub of a connected app released in a
	// first-generation package: what it does not carry is that app's.
	Stub bool `json:"stub,omitempty"`
}

// Unknown marks what lives only in the org that owns the app.
const Unknown = "not in this zip: set in the org that owns the app"

// NamedUserJWTOffECA is what review says of an external client app
// without named-user JWT-based access tokens: its procedure does not ask
// for them, but the Interaction API may refuse a valid token without.
const NamedUserJWTOffECA = "off (the external client app's procedure does not ask for it; if the Interaction API refuses calls made with a valid token, set app.namedUserJwt: true)"

// Channel is a ConversationChannelDefinition.
type Channel struct {
	DeveloperName    string   `json:"developerName"`
	Label            string   `json:"label,omitempty"`
	ConnectedAppType string   `json:"connectedAppType"`
	RoutingOwner     string   `json:"routingOwner"`
	ConsentOwner     string   `json:"consentOwner"`
	Vendor           string   `json:"vendor,omitempty"`
	Event            string   `json:"event,omitempty"`
	PayloadField     string   `json:"payloadField,omitempty"`
	TypeField        string   `json:"typeField,omitempty"`
	Features         []string `json:"features"`
	File             string   `json:"file"`
}

// Field is one field of the platform event.
type Field struct {
	Name   string `json:"name"`
	Type   string `json:"type,omitempty"`
	Length string `json:"length,omitempty"`
}

// Event is a platform event.
type Event struct {
	Name            string  `json:"name"`
	Label           string  `json:"label,omitempty"`
	EventType       string  `json:"eventType,omitempty"`
	PublishBehavior string  `json:"publishBehavior,omitempty"`
	Fields          []Field `json:"fields"`
	File            string  `json:"file"`
}

// Vendor is a ConversationVendorInfo.
type Vendor struct {
	DeveloperName string `json:"developerName"`
	Label         string `json:"label,omitempty"`
	VendorType    string `json:"vendorType,omitempty"`
	File          string `json:"file"`
}

// Outside is what stays out of the package.
type Outside struct {
	// Known is false for a zip, which never holds it.
	Known      bool     `json:"known"`
	Dirs       []string `json:"dirs"`
	Components []string `json:"components"`
	Note       string   `json:"note"`
}

// Report is the review of one target.
type Report struct {
	Source   string            `json:"source"`
	Kind     string            `json:"kind"`
	Package  Package           `json:"package"`
	Apps     []App             `json:"apps"`
	Channels []Channel         `json:"channels"`
	Events   []Event           `json:"events"`
	Vendors  []Vendor          `json:"vendors"`
	Other    []string          `json:"otherComponents"`
	Outside  Outside           `json:"outside"`
	Flags    []problem.Problem `json:"flags"`
}

// Review reads target (a project directory, a package.zip or
// package-version-info.zip, a spec rendered in memory) within the
// inspector's bounds and reviews what it grants and defines. An error is a
// target that cannot be read or is refused (a zip bomb, a link, a path out
// of the archive).
func Review(ctx context.Context, target string, opts Options) (*Report, error) {
	set, err := inspect.Load(ctx, target, inspect.Options{})
	if err != nil {
		return nil, err
	}
	return reviewSet(set, opts), nil
}

// reviewSet summarises a loaded target and flags its risks.
func reviewSet(set *inspect.Set, opts Options) *Report {
	now := opts.Now
	if now.IsZero() {
		now = time.Now()
	}
	r := &reviewer{set: set, now: now, rep: &Report{
		Source: set.Source, Kind: string(set.Kind),
		Package: Package{Name: set.PackageName, Namespace: set.Namespace, VersionName: set.VersionName, VersionNumber: set.VersionNumber, APIVersion: set.APIVersion},
		Apps:    []App{}, Channels: []Channel{}, Events: []Event{}, Vendors: []Vendor{}, Other: []string{}, Flags: []inspect.Flag{},
	}}
	if set.Recovered != "" {
		r.rep.Flags = append(r.rep.Flags, inspect.Flag{Rule: RuleRecovered, Severity: problem.Info, File: set.Source,
			Message: "a byocpack run was killed part-way through writing this project; before reading it, byocpack " + set.Recovered,
			Fix:     "check the files the note names, then run the command that was interrupted again"})
	}
	for _, s := range set.Secrets {
		f := inspect.Flag{Rule: RuleSecret, Severity: problem.Error, File: strings.TrimSuffix(s.Name, "!"+s.Entry),
			Message: fmt.Sprintf("%s (%s), in what the package ships", s.Detail(), s.Kind),
			Fix:     "remove it from the package directory and rebuild; byocpack package and build refuse it, so this package was made another way"}
		if s.Entry == "" {
			f.Line, f.Column = s.Line, s.Column
		}
		r.rep.Flags = append(r.rep.Flags, f)
	}
	r.byoc = r.byocApps()
	used := map[*inspect.Component]bool{}
	shown := map[string]bool{}
	// An app is one section, however many files carry its header.
	once := func(c *inspect.Component) bool {
		used[c] = true
		if shown[c.Key()] {
			return false
		}
		shown[c.Key()] = true
		return true
	}
	for _, c := range set.OfType("ExternalClientApplication") {
		if once(c) {
			r.eca(c, used)
		}
	}
	for _, c := range set.OfType("ConnectedApp") {
		if once(c) {
			r.connectedApp(c)
		}
	}
	for _, c := range set.OfType("ConversationChannelDefinition") {
		r.channel(c)
		used[c] = true
	}
	for _, c := range set.OfType("CustomObject") {
		if strings.HasSuffix(c.FullName, "__e") {
			r.event(c, used)
		}
	}
	for _, c := range set.OfType("ConversationVendorInfo") {
		v := Vendor{DeveloperName: c.FullName, File: c.File}
		v.Label, _ = c.Text("masterLabel")
		v.VendorType, _ = c.Text("vendorType")
		r.rep.Vendors = append(r.rep.Vendors, v)
		used[c] = true
	}
	for _, c := range set.Packaged {
		if !used[c] {
			r.rep.Other = append(r.rep.Other, c.Key())
		}
	}
	r.outside()
	if opts.Profile == ProfileAppExchange {
		for _, f := range r.facts {
			r.appExchange(f)
		}
	}
	return r.rep
}

type reviewer struct {
	set  *inspect.Set
	now  time.Time
	rep  *Report
	byoc map[string]bool
	// facts are what the profile rules judge, one per app in report order.
	facts []*facts
}

// byocApps returns the apps Partner channels link to, found as validate
// finds them (validate.LinkByPrefix).
func (r *reviewer) byocApps() map[string]bool {
	var names []string
	scoped := map[string]bool{}
	for _, c := range r.set.OfType("ExternalClientApplication") {
		names = append(names, c.FullName)
	}
	for _, c := range r.set.OfType("ExtlClntAppOauthSettings") {
		if slices.Contains(splitList(text(c, "commaSeparatedOauthScopes")), "Interaction") {
			scoped[text(c, "externalClientApplication")] = true
		}
	}
	for _, c := range r.set.OfType("ConnectedApp") {
		names = append(names, c.FullName)
		if slices.Contains(c.Texts("oauthConfig/scopes"), "Interaction") {
			scoped[c.FullName] = true
		}
	}
	slices.Sort(names)
	names = slices.Compact(names)
	_, linked := validate.LinkByPrefix(names, func(n string) bool { return scoped[n] })
	out := map[string]bool{}
	for _, c := range r.set.OfType("ConversationChannelDefinition") {
		if validate.ChannelKind(text(c, "connectedAppType")) != "Partner" {
			continue
		}
		name := or(text(c, "developerName"), c.FullName)
		if pre, ok := spec.PrefixOf(name); ok {
			for _, n := range linked[pre] {
				out[n] = true
			}
		}
	}
	return out
}

func (r *reviewer) flag(rule string, severity problem.Severity, c *inspect.Component, line int, fix, format string, args ...any) {
	if line == 0 {
		line = c.Line(nil)
	}
	r.rep.Flags = append(r.rep.Flags, inspect.Flag{Rule: rule, Severity: severity, File: c.File, Line: line, Message: fmt.Sprintf(format, args...), Fix: fix})
}

// fix words a fix for the target: the byoc.yaml key when the target is a
// spec, else the element to change in the file the flag names.
func (r *reviewer) fix(specFix, fileFix string, c *inspect.Component) string {
	if r.set.Kind == inspect.KindSpec && specFix != "" {
		if strings.Contains(specFix, r.set.Source) {
			return specFix
		}
		return specFix + " in " + r.set.Source
	}
	return fileFix + " in " + c.File
}

// linked returns the component of typ whose externalClientApplication is
// the app's name.
func (r *reviewer) linked(typ, app string, used map[*inspect.Component]bool) *inspect.Component {
	for _, c := range r.set.OfType(typ) {
		if v, _ := c.Text("externalClientApplication"); v == app {
			used[c] = true
			return c
		}
	}
	return nil
}

func newApp(c *inspect.Component) App {
	return App{Type: c.Type, Name: c.FullName, File: c.File, Scopes: []Scope{}, Profiles: []string{}, PermissionSets: []string{}, CallbackURLs: []string{}, TrustedIPRanges: []string{}}
}

func (r *reviewer) eca(c *inspect.Component, used map[*inspect.Component]bool) {
	a := newApp(c)
	a.BYOC = r.byoc[c.FullName]
	f := &facts{app: c.FullName, header: c, eca: true}
	a.Label, _ = c.Text("label")
	a.DistributionState, _ = c.Text("distributionState")
	a.ContactEmail, _ = c.Text("contactEmail")
	if s := r.linked("ExtlClntAppOauthSettings", c.FullName, used); s != nil {
		f.settings = s
		v, _ := s.Text("commaSeparatedOauthScopes")
		f.scopes = splitList(v)
		r.scopes(&a, s, s.Elem("commaSeparatedOauthScopes"), f.scopes)
		for _, e := range s.Root.SelectElements("trustedIpRanges") {
			a.TrustedIPRanges = append(a.TrustedIPRanges, ipRange(e, "startIpAddress", "endIpAddress"))
		}
	}
	known := r.set.OutsideKnown || r.linked("ExtlClntAppGlobalOauthSettings", c.FullName, map[*inspect.Component]bool{}) != nil
	f.globalKnown, f.policiesKnown = known, known
	orUnknown := func(s string) string {
		if known {
			return s
		}
		return Unknown
	}
	a.JWTBearer, a.NamedUserJWT = orUnknown("off: no certificate in the global OAuth settings"), orUnknown(NamedUserJWTOffECA)
	a.PermittedUsers, a.RefreshToken, a.IPRelaxation = orUnknown("not set"), orUnknown("not set"), orUnknown("not set")
	a.ClientCredentials, a.SessionPolicy = orUnknown("off"), orUnknown("not set")
	if g := r.linked("ExtlClntAppGlobalOauthSettings", c.FullName, used); g != nil {
		f.global = g
		if v, ok := g.Text("callbackUrl"); ok {
			r.callbacks(&a, g, g.Elem("callbackUrl"), v)
		}
		if e := g.Elem("certificate"); e != nil {
			a.JWTBearer = "on: the global OAuth settings hold a certificate"
			a.Certificate = r.certificate(g, e)
		}
		if v, _ := g.Text("isNamedUserJwtEnabled"); v == "true" {
			a.NamedUserJWT = "on"
		}
	} else if known {
		a.JWTBearer, a.NamedUserJWT = "off: no global OAuth settings", NamedUserJWTOffECA
	}
	if p := r.linked("ExtlClntAppOauthConfigurablePolicies", c.FullName, used); p != nil {
		f.policies = p
		if v, ok := p.Text("permittedUsersPolicyType"); ok {
			a.PermittedUsers = v
			if v == spec.AllSelfAuthorized && a.BYOC {
				r.selfAuthorized(p, p.Elem("permittedUsersPolicyType"), "set app.policies.permittedUsers: AdminApprovedPreAuthorized with the integration user's profile or permission set", "set permittedUsersPolicyType to AdminApprovedPreAuthorized and list the integration user's profile or permission set (commaSeparatedProfile, commaSeparatedPermissionSet)")
			}
		}
		a.Profiles = splitList(text(p, "commaSeparatedProfile"))
		a.PermissionSets = splitList(text(p, "commaSeparatedPermissionSet"))
		if v, ok := p.Text("refreshTokenPolicyType"); ok {
			a.RefreshToken = v
			if period, ok := p.Text("refreshTokenValidityPeriod"); ok && v != spec.RefreshInfinite && v != "Zero" {
				a.RefreshToken += " (" + strings.TrimSpace(period+" "+text(p, "refreshTokenValidityUnit")) + ")"
			}
			if v == spec.RefreshInfinite {
				r.refreshForever(&a, f.scopes, p, p.Elem("refreshTokenPolicyType"), "refreshTokenPolicyType Infinite",
					"set app.policies.refreshTokenPolicy: SpecificLifetime with refreshTokenValidity and refreshTokenValidityUnit (for example 90 Days)",
					"set refreshTokenPolicyType to SpecificLifetime with refreshTokenValidityPeriod and refreshTokenValidityUnit (for example 90 Days)")
			}
		}
		if v, ok := p.Text("ipRelaxationPolicyType"); ok {
			a.IPRelaxation = v
			if v == "Bypass" {
				r.ipBypass(p, p.Elem("ipRelaxationPolicyType"), "ipRelaxationPolicyType Bypass",
					r.fix("set app.policies.ipRelaxation: Enforce", "set ipRelaxationPolicyType to Enforce", p))
			}
		}
		a.ClientCredentials = clientCredentials(text(p, "isClientCredentialsFlowEnabled") == "true" || f.global != nil && text(f.global, "isClientCredentialsFlowEnabled") == "true", text(p, "clientCredentialsFlowUser"))
		a.SessionPolicy = sessionPolicy(text(p, "sessionTimeoutInMinutes"), text(p, "requiredSessionLevel"), text(p, "policyAction"))
	}
	if sp := r.linked("ExtlClntAppSamlConfigurablePolicies", c.FullName, used); sp != nil {
		f.saml = sp
		a.SAML = r.saml(sp, "entityUrl", "acsUrl", "signingAlgorithmType",
			"set signingAlgorithmType to SHA256")
	}
	if cv := r.linked("ExtlClntAppCanvasSettings", c.FullName, used); cv != nil {
		a.Canvas = canvas(text(cv, "canvasUrl"), text(cv, "accessMethod"))
	}
	for _, typ := range []string{"ExtlClntAppConfigurablePolicies", "ExtlClntAppMobileSettings", "ExtlClntAppMobileConfigurablePolicies", "ExtlClntAppPushSettings", "ExtlClntAppPushConfigurablePolicies", "ExtlClntAppNotificationSettings", "ExtlClntAppAttestSettings", "ExtlClntAppAttestConfigurablePolicies", "ExtlClntAppCanvasStngs"} {
		if x := r.linked(typ, c.FullName, used); x != nil {
			f.others = append(f.others, x)
		}
	}
	r.rep.Apps = append(r.rep.Apps, a)
	r.facts = append(r.facts, f)
}

// Released is what a connected app stub says of what only the released
// app knows.
const Released = "in the connected app released in the first-generation package, not in this one"

func (r *reviewer) connectedApp(c *inspect.Component) {
	a := newApp(c)
	a.BYOC = r.byoc[c.FullName]
	a.Label, _ = c.Text("label")
	if isStub(c) {
		// It grants nothing itself: the app it references does.
		dn, _ := c.Text("developerName")
		v, _ := c.Text("version")
		a.DistributionState = fmt.Sprintf("stub: references the connected app %s, version %s, released in a first-generation package of that namespace; the stub grants nothing itself", dn, v)
		a.Stub = true
		a.ContactEmail, a.JWTBearer, a.NamedUserJWT, a.PermittedUsers, a.RefreshToken, a.IPRelaxation = Released, Released, Released, Released, Released, Released
		a.ClientCredentials, a.SessionPolicy = Released, Released
		r.rep.Apps = append(r.rep.Apps, a)
		return
	}
	f := &facts{app: c.FullName, header: c, settings: c, global: c, policies: c, globalKnown: true, policiesKnown: true}
	a.ContactEmail, _ = c.Text("contactEmail")
	a.DistributionState = "connected app: first-generation packaging only"
	f.scopes = c.Texts("oauthConfig/scopes")
	r.scopes(&a, c, c.Elem("oauthConfig/scopes"), f.scopes)
	if v, ok := c.Text("oauthConfig/callbackUrl"); ok {
		r.callbacks(&a, c, c.Elem("oauthConfig/callbackUrl"), v)
	}
	a.JWTBearer, a.NamedUserJWT = "off: no certificate", "off"
	if e := c.Elem("oauthConfig/certificate"); e != nil {
		a.JWTBearer = "on: oauthConfig holds a certificate"
		a.Certificate = r.certificate(c, e)
	}
	if v, _ := c.Text("oauthConfig/isNamedUserJwtEnabled"); v == "true" {
		a.NamedUserJWT = "on"
	}
	// Without oauthConfig the app has no OAuth at all (a SAML or canvas
	// app): nobody authorizes it through OAuth.
	switch v, _ := c.Text("oauthConfig/isAdminApproved"); {
	case c.Elem("oauthConfig") == nil:
		a.PermittedUsers = "no OAuth settings"
	case v == "true":
		a.PermittedUsers = spec.AdminApprovedPreAuthorized
	default:
		a.PermittedUsers = spec.AllSelfAuthorized
		if a.BYOC {
			r.selfAuthorized(c, c.Elem("oauthConfig"), "set app.policies.permittedUsers: AdminApprovedPreAuthorized with the integration user's profile or permission set",
				"set oauthConfig/isAdminApproved to true and list the integration user's profile (profileName) or permission set (permissionSetName)")
		}
	}
	a.Profiles, a.PermissionSets = orEmpty(c.Texts("profileName")), orEmpty(c.Texts("permissionSetName"))
	a.RefreshToken, a.IPRelaxation = "not set", "not set"
	if v, ok := c.Text("oauthPolicy/refreshTokenPolicy"); ok {
		a.RefreshToken = v
		if strings.EqualFold(v, "infinite") {
			r.refreshForever(&a, f.scopes, c, c.Elem("oauthPolicy/refreshTokenPolicy"), "oauthPolicy refreshTokenPolicy infinite",
				"set app.policies.refreshTokenPolicy: SpecificLifetime with refreshTokenValidity and refreshTokenValidityUnit (for example 90 Days)",
				"set oauthPolicy/refreshTokenPolicy to a lifetime, for example specific_lifetime:90:DAYS")
		}
	}
	if v, ok := c.Text("oauthPolicy/ipRelaxation"); ok {
		a.IPRelaxation = v
		if strings.EqualFold(v, "BYPASS") {
			r.ipBypass(c, c.Elem("oauthPolicy/ipRelaxation"), "oauthPolicy ipRelaxation BYPASS",
				r.fix("set app.policies.ipRelaxation: Enforce", "set oauthPolicy/ipRelaxation to ENFORCE", c))
		}
	}
	for _, e := range c.Root.SelectElements("ipRanges") {
		a.TrustedIPRanges = append(a.TrustedIPRanges, ipRange(e, "start", "end"))
	}
	a.ClientCredentials = "off"
	if c.Elem("oauthConfig") != nil {
		a.ClientCredentials = clientCredentials(text(c, "oauthConfig/isClientCredentialEnabled") == "true", text(c, "oauthConfig/oauthClientCredentialUser"))
	}
	a.SessionPolicy = sessionPolicy(text(c, "sessionPolicy/sessionTimeout"), text(c, "sessionPolicy/sessionLevel"), text(c, "sessionPolicy/policyAction"))
	if c.Elem("samlConfig") != nil {
		f.saml = c
		a.SAML = r.saml(c, "samlConfig/entityUrl", "samlConfig/acsUrl", "samlConfig/samlSigningAlgoType", "set samlConfig/samlSigningAlgoType to SHA256")
	}
	if c.Elem("canvasConfig") != nil {
		a.Canvas = canvas(text(c, "canvasConfig/canvasUrl"), text(c, "canvasConfig/accessMethod"))
	}
	r.rep.Apps = append(r.rep.Apps, a)
	r.facts = append(r.facts, f)
}

func ipRange(e *etree.Element, start, end string) string {
	from, to := "", ""
	if x := e.SelectElement(start); x != nil {
		from = strings.TrimSpace(x.Text())
	}
	if x := e.SelectElement(end); x != nil {
		to = strings.TrimSpace(x.Text())
	}
	return from + "-" + to
}

func clientCredentials(on bool, user string) string {
	switch {
	case !on:
		return "off"
	case user == "":
		return "on: runs as no user yet (set one in the org that owns the app)"
	}
	return "on: runs as " + user
}

func sessionPolicy(timeout, level, action string) string {
	var parts []string
	if timeout != "" {
		parts = append(parts, "timeout "+timeout+" minutes")
	}
	if level != "" {
		parts = append(parts, "session level "+level)
	}
	if action != "" {
		parts = append(parts, "below it: "+action)
	}
	if len(parts) == 0 {
		return "not set: the org's own session settings apply"
	}
	return strings.Join(parts, ", ")
}

func canvas(u, method string) string {
	return strings.TrimSpace(or(u, "no canvas URL") + ", access " + or(method, "not set"))
}

// saml summarises a SAML set-up and flags SHA-1 signing: SHA-1 is broken
// for signatures, so an assertion could be forged.
func (r *reviewer) saml(c *inspect.Component, entity, acs, algo, fileFix string) string {
	alg := text(c, algo)
	if alg == "SHA1" {
		r.flag(RuleSAMLSHA1, "warning", c, c.Line(c.Elem(algo)), r.fix("", fileFix, c),
			"%s signs SAML assertions with SHA-1, which is no longer collision resistant: a forged assertion could log a user in", c.FullName)
	}
	return fmt.Sprintf("entity %s, ACS %s, signing %s", or(text(c, entity), "not set"), or(text(c, acs), "not set"), or(alg, "not set"))
}

// isStub reports whether a connected app is the stub that references one
// released in a first-generation package (internal/castub).
func isStub(c *inspect.Component) bool {
	if c.Root == nil {
		return false
	}
	var names []string
	for _, e := range c.Root.ChildElements() {
		names = append(names, e.Tag)
	}
	return castub.Is(names)
}

func orEmpty(xs []string) []string {
	if xs == nil {
		return []string{}
	}
	return xs
}

func text(c *inspect.Component, p string) string {
	v, _ := c.Text(p)
	return v
}

func splitList(s string) []string {
	out := []string{}
	for _, it := range strings.Split(s, ",") {
		if it = strings.TrimSpace(it); it != "" {
			out = append(out, it)
		}
	}
	return out
}

func (r *reviewer) scopes(a *App, c *inspect.Component, at *etree.Element, names []string) {
	for _, n := range names {
		a.Scopes = append(a.Scopes, Scope{Name: n, Allows: scopeAllows(n)})
	}
	for _, n := range names {
		switch {
		case a.BYOC && !needed(n):
			severity := problem.Warning
			if n == "Full" {
				severity = problem.Error
			}
			r.flag(RuleBroadScope, severity, c, c.Line(at),
				r.fix(fmt.Sprintf("remove %s from app.scopes: the Interaction Service needs Interaction, and RefreshToken only where users are not pre-authorized", n),
					fmt.Sprintf("remove %s from the app's scopes", n), c),
				"%s grants the scope %s (%s), broader than the Interaction Service needs: a leaked token carries it too", a.Name, n, scopeAllows(n))
		case !a.BYOC && n == "Full":
			r.flag(RuleBroadScope, "warning", c, c.Line(at), r.fix("", "name only the scopes the app uses instead of Full", c),
				"%s grants the scope Full (%s): a leaked token can do whatever its user can", a.Name, scopeAllows(n))
		}
	}
}

func (r *reviewer) selfAuthorized(c *inspect.Component, at *etree.Element, specFix, fileFix string) {
	r.flag(RuleSelfAuth, "error", c, c.Line(at), r.fix(specFix, fileFix, c),
		"%s lets any user of a subscriber org authorize the app themselves; the Interaction Service expects admin-approved, pre-authorized users", c.FullName)
}

// getsRefreshTokens reports whether an app with these scopes can be
// issued a refresh token at all: without one the refresh-token policy
// governs nothing.
func getsRefreshTokens(scopes []string) bool {
	return slices.ContainsFunc(scopes, func(s string) bool { return s == "RefreshToken" || s == "OfflineAccess" || s == "Full" })
}

func (r *reviewer) refreshForever(a *App, scopes []string, c *inspect.Component, at *etree.Element, what, specFix, fileFix string) {
	if !getsRefreshTokens(scopes) {
		return
	}
	fix := r.fix(specFix, fileFix, c)
	if a.BYOC {
		fix += "; the JWT bearer flow the channel uses issues no refresh token, so nothing depends on one living forever"
	}
	r.flag(RuleRefreshForver, "warning", c, c.Line(at), fix,
		"%s: refresh tokens are valid until revoked (%s), so a leaked one grants access for good", c.FullName, what)
}

func (r *reviewer) ipBypass(c *inspect.Component, at *etree.Element, what, fix string) {
	r.flag(RuleIPBypass, "warning", c, c.Line(at), fix+"; if the partner's servers need it, add their egress ranges as trusted IP ranges instead",
		"%s: the subscriber org's IP restrictions are bypassed (%s), so a token works from any network", c.FullName, what)
}

// callbacks records the callback URLs (a connected app lists several one
// per line or comma-separated) and flags plain http and wildcard hosts.
func (r *reviewer) callbacks(a *App, c *inspect.Component, at *etree.Element, v string) {
	for _, u := range strings.FieldsFunc(v, func(r rune) bool { return r == '\n' || r == ',' || r == ' ' || r == '\r' }) {
		a.CallbackURLs = append(a.CallbackURLs, u)
		p, err := url.Parse(u)
		host := ""
		if err == nil {
			host = p.Hostname()
		}
		if strings.Contains(u, "*") {
			r.flag(RuleCallbackWild, "error", c, c.Line(at), r.fix("list every exact https callback URL in app.callbackUrls; never a wildcard", "list every exact https callback URL; never a wildcard", c),
				"the callback URL %s has a wildcard: an authorization code or token can be sent to any host that matches", u)
		}
		if err == nil && strings.EqualFold(p.Scheme, "http") {
			severity := problem.Error
			if host == "localhost" || strings.HasPrefix(host, "127.") || host == "::1" {
				severity = problem.Warning
			}
			r.flag(RuleCallbackHTTP, severity, c, c.Line(at), r.fix("use an https URL in app.callbackUrl", "use an https URL", c),
				"the callback URL %s is plain http: authorization codes and tokens would cross the network unencrypted", u)
		}
	}
}

// certificate reads the JWT bearer certificate (PEM contents or the bare
// base64 body that retrieves write) and flags its expiry.
func (r *reviewer) certificate(c *inspect.Component, e *etree.Element) *Certificate {
	cert := &Certificate{File: c.File, Line: c.Line(e)}
	x, why := parseCert(e.Text())
	if x == nil {
		cert.Problem = why
		return cert
	}
	cert.Subject = x.Subject.String()
	cert.NotAfter = x.NotAfter.UTC().Format(time.RFC3339)
	cert.DaysLeft = int(x.NotAfter.Sub(r.now).Hours() / 24)
	switch {
	case r.now.After(x.NotAfter):
		r.flag(RuleCertExpired, "error", c, cert.Line, r.fix("run byocpack cert rotate -f "+r.set.Source+" and follow SETUP.md's cut-over: deploy the new certificate to the org that owns the app, then sign with the new key",
			"issue the next certificate (RSA 2048, SHA-256), put it in the certificate element, deploy it to the org that owns the app, then sign with its key", c),
			"the JWT bearer certificate of %s expired on %s: every JWT bearer login fails", c.FullName, x.NotAfter.UTC().Format("2006-01-02"))
	case x.NotAfter.Sub(r.now) < CertWarnDays*24*time.Hour:
		r.flag(RuleCertExpiring, "warning", c, cert.Line, r.fix("run byocpack cert rotate -f "+r.set.Source+" now and follow SETUP.md's cut-over before the old certificate expires",
			"issue the next certificate (RSA 2048, SHA-256) now, put it in the certificate element and deploy it to the org that owns the app before the old one expires", c),
			"the JWT bearer certificate of %s expires on %s, in %d days: JWT bearer logins stop working then", c.FullName, x.NotAfter.UTC().Format("2006-01-02"), cert.DaysLeft)
	}
	return cert
}

func parseCert(s string) (*x509.Certificate, string) {
	s = strings.TrimSpace(s)
	der := []byte(nil)
	if strings.Contains(s, "-----BEGIN") {
		block, _ := pem.Decode([]byte(s))
		if block == nil || block.Type != "CERTIFICATE" {
			return nil, "not a PEM certificate"
		}
		der = block.Bytes
	} else {
		b, err := base64.StdEncoding.DecodeString(strings.Join(strings.Fields(s), ""))
		if err != nil {
			return nil, "neither PEM nor base64"
		}
		der = b
	}
	x, err := x509.ParseCertificate(der)
	if err != nil {
		return nil, err.Error()
	}
	return x, ""
}

func (r *reviewer) channel(c *inspect.Component) {
	ch := Channel{DeveloperName: c.FullName, File: c.File, Features: []string{}}
	if v, ok := c.Text("developerName"); ok {
		ch.DeveloperName = v
	}
	ch.Label = text(c, "masterLabel")
	ch.ConnectedAppType = or(text(c, "connectedAppType"), "Partner (the default)")
	ch.RoutingOwner = or(text(c, "routingOwner"), "Salesforce (the default)")
	ch.ConsentOwner = or(text(c, "consentOwner"), "Salesforce (the default)")
	ch.Vendor = text(c, "conversationVendorInfo")
	ch.Event = text(c, "customPlatformEvent")
	ch.PayloadField = text(c, "customEventPayloadField")
	ch.TypeField = text(c, "customEventTypeField")
	for _, e := range c.Root.ChildElements() {
		if strings.HasPrefix(e.Tag, "supports") || strings.HasPrefix(e.Tag, "is") || e.Tag == "maxParticipantsForCnfrOverride" || e.Tag == "customIcon" {
			ch.Features = append(ch.Features, e.Tag+": "+strings.TrimSpace(e.Text()))
		}
	}
	slices.Sort(ch.Features)
	r.rep.Channels = append(r.rep.Channels, ch)
}

func or(s, def string) string {
	if s == "" {
		return def
	}
	return s
}

func (r *reviewer) event(c *inspect.Component, used map[*inspect.Component]bool) {
	used[c] = true
	ev := Event{Name: c.FullName, File: c.File, Fields: []Field{}}
	ev.Label = text(c, "label")
	ev.EventType = text(c, "eventType")
	ev.PublishBehavior = text(c, "publishBehavior")
	for _, f := range r.set.OfType("CustomField") {
		if name, ok := strings.CutPrefix(f.FullName, c.FullName+"."); ok {
			used[f] = true
			ev.Fields = append(ev.Fields, Field{Name: name, Type: text(f, "type"), Length: text(f, "length")})
		}
	}
	r.rep.Events = append(r.rep.Events, ev)
}

func (r *reviewer) outside() {
	o := Outside{Known: r.set.OutsideKnown, Dirs: orEmpty(r.set.OutsideDirs), Components: []string{}}
	for _, c := range r.set.Outside {
		o.Components = append(o.Components, c.Key())
	}
	switch {
	case !o.Known:
		o.Note = "This " + string(r.set.Kind) + " holds only what is packaged: the global OAuth settings (certificate, callback URL, named-user JWT) and the OAuth policies (permitted users, profiles, refresh tokens, IP relaxation) are not part of it; they live in the org that owns the app (its Dev Hub), so review them there or review the project."
	case len(o.Components) > 0:
		// Not a command of its own: the first deploy needs the app with its
		// settings, and one function (SETUP.md, doctor) knows which files.
		o.Note = "Not packaged: deploy these, together with the app they name, to the org that owns the app (its Dev Hub), with the command the project's SETUP.md gives (byocpack doctor prints it too); " + strings.Join(o.Dirs, ", ") + " alone fails on a first deploy, and subscribers never receive them."
	default:
		o.Note = "Nothing outside the package."
	}
	r.rep.Outside = o
}
