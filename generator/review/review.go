// Package review summarises what a package version grants and defines
// (the OAuth app and its scopes, policies and callback URLs, the channel,
// the platform event, the vendor, what stays outside the package) and
// flags what a security reviewer of an AppExchange package would: broad
// scopes, self-authorized users, plain-http or wildcard callbacks, refresh
// tokens valid forever, IP restrictions bypassed, an expiring certificate.
// Each flag names its rule (docs/review.md) and its fix.
package review

import (
	"crypto/x509"
	"encoding/base64"
	"encoding/pem"
	"fmt"
	"net/url"
	"slices"
	"strings"
	"time"

	"github.com/beevik/etree"

	"github.com/byocpack/byocpack/internal/castub"
	"github.com/byocpack/byocpack/internal/inspect"
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
	Type              string       `json:"type"`
	Name              string       `json:"name"`
	Label             string       `json:"label,omitempty"`
	File              string       `json:"file"`
	DistributionState string       `json:"distributionState,omitempty"`
	ContactEmail      string       `json:"contactEmail,omitempty"`
	Scopes            []Scope      `json:"scopes"`
	JWTBearer         string       `json:"jwtBearer"`
	NamedUserJWT      string       `json:"namedUserJwt"`
	PermittedUsers    string       `json:"permittedUsers"`
	Profiles          []string     `json:"profiles"`
	PermissionSets    []string     `json:"permissionSets"`
	CallbackURLs      []string     `json:"callbackUrls"`
	RefreshToken      string       `json:"refreshToken"`
	IPRelaxation      string       `json:"ipRelaxation"`
	Certificate       *Certificate `json:"certificate,omitempty"`
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
	Source   string         `json:"source"`
	Kind     inspect.Kind   `json:"kind"`
	Package  Package        `json:"package"`
	Apps     []App          `json:"apps"`
	Channels []Channel      `json:"channels"`
	Events   []Event        `json:"events"`
	Vendors  []Vendor       `json:"vendors"`
	Other    []string       `json:"otherComponents"`
	Outside  Outside        `json:"outside"`
	Flags    []inspect.Flag `json:"flags"`
}

// Review summarises a loaded target and flags its risks.
func Review(set *inspect.Set, opts Options) *Report {
	now := opts.Now
	if now.IsZero() {
		now = time.Now()
	}
	r := &reviewer{set: set, now: now, rep: &Report{
		Source: set.Source, Kind: set.Kind,
		Package: Package{Name: set.PackageName, Namespace: set.Namespace, VersionName: set.VersionName, VersionNumber: set.VersionNumber, APIVersion: set.APIVersion},
		Apps:    []App{}, Channels: []Channel{}, Events: []Event{}, Vendors: []Vendor{}, Other: []string{}, Flags: []inspect.Flag{},
	}}
	used := map[*inspect.Component]bool{}
	for _, c := range set.OfType("ExternalClientApplication") {
		r.eca(c, used)
	}
	for _, c := range set.OfType("ConnectedApp") {
		r.connectedApp(c)
		used[c] = true
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
	return r.rep
}

type reviewer struct {
	set *inspect.Set
	now time.Time
	rep *Report
}

func (r *reviewer) flag(rule, severity string, c *inspect.Component, line int, fix, format string, args ...any) {
	if line == 0 {
		line = c.Line(nil)
	}
	r.rep.Flags = append(r.rep.Flags, inspect.Flag{Rule: rule, Severity: severity, File: c.File, Line: line, Message: fmt.Sprintf(format, args...), Fix: fix})
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

func (r *reviewer) eca(c *inspect.Component, used map[*inspect.Component]bool) {
	used[c] = true
	a := App{Type: c.Type, Name: c.FullName, File: c.File, Scopes: []Scope{}, Profiles: []string{}, PermissionSets: []string{}, CallbackURLs: []string{}}
	a.Label, _ = c.Text("label")
	a.DistributionState, _ = c.Text("distributionState")
	a.ContactEmail, _ = c.Text("contactEmail")
	if s := r.linked("ExtlClntAppOauthSettings", c.FullName, used); s != nil {
		v, _ := s.Text("commaSeparatedOauthScopes")
		r.scopes(&a, s, s.Elem("commaSeparatedOauthScopes"), splitList(v))
	}
	known := r.set.OutsideKnown || r.linked("ExtlClntAppGlobalOauthSettings", c.FullName, map[*inspect.Component]bool{}) != nil
	orUnknown := func(s string) string {
		if known {
			return s
		}
		return Unknown
	}
	a.JWTBearer, a.NamedUserJWT = orUnknown("off: no certificate in the global OAuth settings"), orUnknown(NamedUserJWTOffECA)
	a.PermittedUsers, a.RefreshToken, a.IPRelaxation = orUnknown("not set"), orUnknown("not set"), orUnknown("not set")
	if g := r.linked("ExtlClntAppGlobalOauthSettings", c.FullName, used); g != nil {
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
		if v, ok := p.Text("permittedUsersPolicyType"); ok {
			a.PermittedUsers = v
			if v == "AllSelfAuthorized" {
				r.selfAuthorized(p, p.Elem("permittedUsersPolicyType"))
			}
		}
		a.Profiles = splitList(text(p, "commaSeparatedProfile"))
		a.PermissionSets = splitList(text(p, "commaSeparatedPermissionSet"))
		if v, ok := p.Text("refreshTokenPolicyType"); ok {
			a.RefreshToken = v
			if period, ok := p.Text("refreshTokenValidityPeriod"); ok && v != "Infinite" && v != "Zero" {
				a.RefreshToken += " (" + strings.TrimSpace(period+" "+text(p, "refreshTokenValidityUnit")) + ")"
			}
			if v == "Infinite" {
				r.refreshForever(p, p.Elem("refreshTokenPolicyType"), "refreshTokenPolicyType Infinite",
					"set app.policies.refreshTokenPolicy: SpecificLifetime with refreshTokenValidity and refreshTokenValidityUnit (for example 90 Days) in byoc.yaml (refreshTokenPolicyType with refreshTokenValidityPeriod and refreshTokenValidityUnit in the OAuth policies)")
			}
		}
		if v, ok := p.Text("ipRelaxationPolicyType"); ok {
			a.IPRelaxation = v
			if v == "Bypass" {
				r.ipBypass(p, p.Elem("ipRelaxationPolicyType"), "ipRelaxationPolicyType Bypass", "set ipRelaxationPolicyType Enforce in the OAuth policies")
			}
		}
	}
	r.rep.Apps = append(r.rep.Apps, a)
}

// Released is what a connected app stub says of what only the released
// app knows.
const Released = "in the connected app released in the first-generation package, not in this one"

func (r *reviewer) connectedApp(c *inspect.Component) {
	a := App{Type: c.Type, Name: c.FullName, File: c.File, Scopes: []Scope{}, CallbackURLs: []string{}}
	a.Label, _ = c.Text("label")
	if isStub(c) {
		// It grants nothing itself: the app it references does.
		dn, _ := c.Text("developerName")
		v, _ := c.Text("version")
		a.DistributionState = fmt.Sprintf("stub: references the connected app %s, version %s, released in a first-generation package of that namespace; the stub grants nothing itself", dn, v)
		a.Stub = true
		a.ContactEmail, a.JWTBearer, a.NamedUserJWT, a.PermittedUsers, a.RefreshToken, a.IPRelaxation = Released, Released, Released, Released, Released, Released
		a.Profiles, a.PermissionSets = []string{}, []string{}
		r.rep.Apps = append(r.rep.Apps, a)
		return
	}
	a.ContactEmail, _ = c.Text("contactEmail")
	a.DistributionState = "connected app: first-generation packaging only"
	var first = c.Elem("oauthConfig/scopes")
	r.scopes(&a, c, first, c.Texts("oauthConfig/scopes"))
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
	a.PermittedUsers = "AllSelfAuthorized"
	if v, _ := c.Text("oauthConfig/isAdminApproved"); v == "true" {
		a.PermittedUsers = "AdminApprovedPreAuthorized"
	} else if c.Elem("oauthConfig") != nil {
		r.selfAuthorized(c, c.Elem("oauthConfig"))
	}
	a.Profiles, a.PermissionSets = orEmpty(c.Texts("profileName")), orEmpty(c.Texts("permissionSetName"))
	a.RefreshToken, a.IPRelaxation = "not set", "not set"
	if v, ok := c.Text("oauthPolicy/refreshTokenPolicy"); ok {
		a.RefreshToken = v
		if strings.EqualFold(v, "infinite") {
			r.refreshForever(c, c.Elem("oauthPolicy/refreshTokenPolicy"), "oauthPolicy refreshTokenPolicy infinite",
				"set oauthPolicy/refreshTokenPolicy to a lifetime, for example specific_lifetime:90:DAYS")
		}
	}
	if v, ok := c.Text("oauthPolicy/ipRelaxation"); ok {
		a.IPRelaxation = v
		if strings.EqualFold(v, "BYPASS") {
			r.ipBypass(c, c.Elem("oauthPolicy/ipRelaxation"), "oauthPolicy ipRelaxation BYPASS", "set oauthPolicy/ipRelaxation to ENFORCE")
		}
	}
	r.rep.Apps = append(r.rep.Apps, a)
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
		if needed(n) {
			continue
		}
		severity := "warning"
		if n == "Full" {
			severity = "error"
		}
		r.flag(RuleBroadScope, severity, c, c.Line(at),
			fmt.Sprintf("remove %s: the Interaction Service needs Interaction, and RefreshToken only where users are not pre-authorized (app.scopes in byoc.yaml)", n),
			"%s grants the scope %s (%s), broader than the Interaction Service needs: a leaked token carries it too", a.Name, n, scopeAllows(n))
	}
}

func (r *reviewer) selfAuthorized(c *inspect.Component, at *etree.Element) {
	r.flag(RuleSelfAuth, "error", c, c.Line(at),
		"permit admin-approved users only: AdminApprovedPreAuthorized (isAdminApproved true on a connected app), with the integration user's profile or permission set pre-authorized (app.policies in byoc.yaml)",
		"%s lets any user of a subscriber org authorize the app themselves; the Interaction Service expects admin-approved, pre-authorized users", c.FullName)
}

func (r *reviewer) refreshForever(c *inspect.Component, at *etree.Element, what, fix string) {
	r.flag(RuleRefreshForver, "warning", c, c.Line(at), fix+"; the JWT bearer flow the channel uses issues no refresh token, so nothing depends on one living forever",
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
			r.flag(RuleCallbackWild, "error", c, c.Line(at), "list every exact https callback URL; never a wildcard",
				"the callback URL %s has a wildcard: an authorization code or token can be sent to any host that matches", u)
		}
		if err == nil && strings.EqualFold(p.Scheme, "http") {
			severity := "error"
			if host == "localhost" || strings.HasPrefix(host, "127.") || host == "::1" {
				severity = "warning"
			}
			r.flag(RuleCallbackHTTP, severity, c, c.Line(at), "use an https URL (app.callbackUrl in byoc.yaml)",
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
		r.flag(RuleCertExpired, "error", c, cert.Line, "issue a new certificate (RSA 2048, SHA-256), upload it to the org that owns the app and update app.certificate",
			"the JWT bearer certificate of %s expired on %s: every JWT bearer login fails", c.FullName, x.NotAfter.UTC().Format("2006-01-02"))
	case x.NotAfter.Sub(r.now) < CertWarnDays*24*time.Hour:
		r.flag(RuleCertExpiring, "warning", c, cert.Line, "issue a new certificate now and upload it before the old one expires",
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
		o.Note = "Not packaged: deploy these to the org that owns the app (sf project deploy start --source-dir " + strings.Join(o.Dirs, " --source-dir ") + "); subscribers never receive them."
	default:
		o.Note = "Nothing outside the package."
	}
	r.rep.Outside = o
}
