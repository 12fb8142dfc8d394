package validate

import (
	"bytes"
	"fmt"
	"slices"
	"strings"

	"github.com/byocpack/byocpack/generator/spec"
	"github.com/byocpack/byocpack/internal/apiver"
	"github.com/byocpack/byocpack/internal/castub"
	"github.com/byocpack/byocpack/internal/diag"
	"github.com/byocpack/byocpack/internal/registry"
)

// Two kinds of rule judge an OAuth app. What Salesforce refuses in any app
// (schema, scope tokens, a certificate that does not parse, malformed Dev
// Hub identifiers, secrets in a package directory) runs on every app, file
// by file. What the Interaction Service needs (its scopes, the packaged
// state, the JWT for named users, the shared prefix) runs only on the app a
// Partner channel links to: the one whose API name has the channel's
// prefix, the text before the first "_". A CI app or an unrelated connected
// app beside it is none of BYOC's business.

// scopeToken is one scope a file names, with the element it sits in.
type scopeToken struct {
	text string
	at   *node
}

// appScopes returns the scopes an OAuth settings file or a connected app
// names, in the file's dialect, and the element to report a missing one
// at.
func appScopes(d doc) (apiver.ScopeDialect, []scopeToken, *node) {
	switch d.Type {
	case typeOauthSettings:
		n := d.Root.child("commaSeparatedOauthScopes")
		if n == nil {
			return apiver.ECAScopes, nil, d.Root
		}
		var toks []scopeToken
		for t := range strings.SplitSeq(n.Text, ",") {
			if t = strings.TrimSpace(t); t != "" {
				toks = append(toks, scopeToken{t, n})
			}
		}
		return apiver.ECAScopes, toks, n
	case typeConnectedApp:
		oc := d.Root.child("oauthConfig")
		if oc == nil {
			return apiver.ConnectedAppScopes, nil, d.Root
		}
		var toks []scopeToken
		for _, s := range oc.children("scopes") {
			toks = append(toks, scopeToken{s.Text, s})
		}
		return apiver.ConnectedAppScopes, toks, oc
	}
	return 0, nil, nil
}

// hasScope reports whether the file names the enum value name.
func hasScope(d doc, name string) bool {
	dialect, toks, _ := appScopes(d)
	return slices.ContainsFunc(toks, func(t scopeToken) bool { return t.text == apiver.ScopeToken(dialect, name) })
}

// beyondKnownVersions reports whether the project is newer than every
// bundled WSDL, where byocpack cannot tell a new scope from a typo.
func (r *run) beyondKnownVersions() bool {
	return !r.version.IsZero() && apiver.Latest().Before(r.version)
}

// scopeTokens checks every scope of an OAuth settings file or a connected
// app against the tokens of the project's API version: the org's deploy
// check refuses any other. A Setup name (interaction_api) is always wrong
// in metadata; anything else is a warning when the project is newer than
// byocpack's WSDLs.
func (r *run) scopeTokens(d doc) []diag.Problem {
	dialect, toks, _ := appScopes(d)
	known := apiver.KnownScopes(dialect, r.version)
	where := "commaSeparatedOauthScopes"
	if dialect == apiver.ConnectedAppScopes {
		where = "<scopes>"
	}
	var ps []diag.Problem
	for _, t := range toks {
		if slices.Contains(known, t.text) {
			continue
		}
		if name, ok := apiver.ScopeFromUIToken(t.text); ok {
			ps = append(ps, r.problem(RuleScopeToken, d.File, t.at,
				"%s %q is the name Setup shows; metadata writes %s, write that instead", where, t.text, apiver.ScopeToken(dialect, name)))
			continue
		}
		p := r.problem(RuleScopeToken, d.File, t.at, "%s", r.unknownScope(dialect, where, t.text, known))
		if r.beyondKnownVersions() {
			p.Severity = diag.Warning
			p.Message += fmt.Sprintf(" (byocpack knows the scopes up to API %s and sourceApiVersion is %s, so a newer scope cannot be told from a typo)", apiver.Latest(), r.version)
		}
		ps = append(ps, p)
	}
	return ps
}

// unknownScope says why a token is not one of known, with the fix.
func (r *run) unknownScope(dialect apiver.ScopeDialect, where, token string, known []string) string {
	other, kind, otherKind := apiver.ECAScopes, "a connected app", "an external client app"
	if dialect == apiver.ECAScopes {
		other, kind, otherKind = apiver.ConnectedAppScopes, "an external client app", "a connected app"
	}
	if name, ok := apiver.ScopeName(other, token); ok {
		if mine := apiver.ScopeToken(dialect, name); mine != token {
			return fmt.Sprintf("%s %q is how %s spells it; %s writes %s", where, token, otherKind, kind, mine)
		}
	}
	if w := apiver.ScopeWindows(dialect, token); len(w) > 0 && !r.version.IsZero() {
		if r.version.Before(w[0].First) {
			return fmt.Sprintf("%s %q exists from API %s but sourceApiVersion is %s; raise sourceApiVersion or remove it", where, token, w[0].First, r.version)
		}
		return fmt.Sprintf("%s %q was removed in API %s and sourceApiVersion is %s; remove it", where, token, w[len(w)-1].Last.Next(), r.version)
	}
	fix := "use one of " + strings.Join(known, ", ")
	if s := spec.Nearest(token, known); s != "" {
		fix = "did you mean " + s + "?"
	} else if ui := spec.Nearest(token, uiNames(known, dialect)); ui != "" {
		name, _ := apiver.ScopeFromUIToken(ui)
		fix = fmt.Sprintf("did you mean %s (Setup's %s)?", apiver.ScopeToken(dialect, name), ui)
	}
	return fmt.Sprintf("%s %q is not an OAuth scope of API %s, and the deploy refuses a scope it does not know; %s", where, token, orLatest(r.version), fix)
}

// uiNames are the Setup names of the tokens known in dialect.
func uiNames(known []string, dialect apiver.ScopeDialect) []string {
	var out []string
	for _, t := range known {
		if name, ok := apiver.ScopeName(dialect, t); ok && apiver.ScopeUIToken(name) != "" {
			out = append(out, apiver.ScopeUIToken(name))
		}
	}
	return out
}

func orLatest(v apiver.Version) apiver.Version {
	if v.IsZero() {
		return apiver.Latest()
	}
	return v
}

// apps indexes every OAuth app the project names: external client apps by
// their .eca files and by the settings and policies that point to them,
// connected apps by their files.
type apps struct {
	names []string
	files map[string][]doc
	// byPrefix and linked are indexed once: a channel finds its apps by
	// prefix in constant time, where scanning every app for every channel
	// took a second at 1,000 channels sharing a prefix.
	byPrefix map[string][]string
	linked   map[string][]string
	// linkedPackaged are the linked apps whose own file is in a package
	// directory.
	linkedPackaged map[string][]string
}

func indexApps(p project) apps {
	a := apps{files: map[string][]doc{}, byPrefix: map[string][]string{}, linked: map[string][]string{}, linkedPackaged: map[string][]string{}}
	add := func(name string, d doc) {
		if name == "" {
			return
		}
		if _, ok := a.files[name]; !ok {
			a.names = append(a.names, name)
		}
		a.files[name] = append(a.files[name], d)
	}
	for _, d := range p.apps() {
		add(d.Name, d)
	}
	for _, t := range []string{typeOauthSettings, typeGlobalOauth, typeOauthPolicies, typePolicies} {
		for _, d := range p.byType[t] {
			add(d.Root.text("externalClientApplication"), d)
		}
	}
	slices.Sort(a.names)
	a.byPrefix, a.linked = LinkByPrefix(a.names, a.interaction)
	for pre := range a.byPrefix {
		a.linkedPackaged[pre] = slices.DeleteFunc(slices.Clone(a.linked[pre]), func(n string) bool { return !a.packaged(n) })
	}
	return a
}

// LinkByPrefix is how a channel finds its app: names (sorted) grouped by
// their prefix, the text before the first "_" of the API name, and per
// prefix the apps a channel of that prefix links to. When several apps
// share a prefix, those with the Interaction scope are the Interaction
// Service's; when none has it, every one is linked, so the missing scope
// is reported. review judges the same apps as validate through it.
func LinkByPrefix(names []string, interaction func(string) bool) (byPrefix, linked map[string][]string) {
	byPrefix, linked = map[string][]string{}, map[string][]string{}
	for _, n := range names {
		if pre, ok := spec.PrefixOf(n); ok {
			byPrefix[pre] = append(byPrefix[pre], n)
		}
	}
	for pre, cands := range byPrefix {
		linked[pre] = cands
		if len(cands) > 1 {
			if withScope := slices.DeleteFunc(slices.Clone(cands), func(n string) bool { return !interaction(n) }); len(withScope) > 0 {
				linked[pre] = withScope
			}
		}
	}
	return byPrefix, linked
}

// withPrefix returns the apps whose API name has prefix.
func (a apps) withPrefix(prefix string) []string { return a.byPrefix[prefix] }

// packaged reports whether the app's own file (.eca or connected app) is
// under a package directory.
func (a apps) packaged(name string) bool {
	return slices.ContainsFunc(a.files[name], func(d doc) bool {
		return d.InPackage && (d.Type == typeECA || d.Type == typeConnectedApp)
	})
}

// interaction reports whether the app asks for the Interaction scope.
func (a apps) interaction(name string) bool {
	return slices.ContainsFunc(a.files[name], func(d doc) bool {
		return (d.Type == typeOauthSettings || d.Type == typeConnectedApp) && hasScope(d, "Interaction")
	})
}

// linkedTo returns the apps a channel links to by its prefix (shared, not
// to be modified).
func (a apps) linkedTo(ccd doc) []string {
	prefix, ok := spec.PrefixOf(ccd.Root.text("developerName"))
	if !ok {
		return nil
	}
	return a.linked[prefix]
}

// channelKind is a channel definition's connectedAppType; Partner when
// absent, its documented default.
func channelKind(ccd doc) string { return ChannelKind(ccd.Root.text("connectedAppType")) }

// ChannelKind is a channel definition's connectedAppType as written, or
// Partner, its documented default, when it is absent.
func ChannelKind(connectedAppType string) string {
	if connectedAppType != "" {
		return connectedAppType
	}
	return "Partner"
}

// byocApps returns the apps Partner channels link to, each with the first
// channel (by path) that links it.
func byocApps(p project, a apps) map[string]doc {
	// The first Partner channel of each prefix: every channel of a prefix
	// links the same apps.
	first := map[string]doc{}
	for _, ccd := range p.byType[typeCCD] {
		if channelKind(ccd) != "Partner" {
			continue
		}
		prefix, ok := spec.PrefixOf(ccd.Root.text("developerName"))
		if !ok {
			continue
		}
		if prev, ok := first[prefix]; !ok || ccd.Path < prev.Path {
			first[prefix] = ccd
		}
	}
	linked := map[string]doc{}
	for prefix, ccd := range first {
		for _, n := range a.linked[prefix] {
			linked[n] = ccd
		}
	}
	return linked
}

// byocAppRules runs the Interaction Service's rules on the apps Partner
// channels link to; a project without a channel definition gets a note
// that they did not run.
func (r *run) byocAppRules(p project, a apps) []diag.Problem {
	if len(p.byType[typeCCD]) == 0 {
		return r.noChannelNote(a)
	}
	var ps []diag.Problem
	for name, ccd := range byocApps(p, a) {
		selfAuthorized := slices.ContainsFunc(a.files[name], func(d doc) bool {
			return d.Type == typeOauthPolicies && d.Root.text("permittedUsersPolicyType") == "AllSelfAuthorized"
		})
		for _, d := range a.files[name] {
			switch d.Type {
			case typeECA:
				if d.InPackage {
					ps = append(ps, r.ecaPackaged(d, ccd)...)
				}
			case typeOauthSettings:
				ps = append(ps, r.byocScopes(d, ccd)...)
				if selfAuthorized && !hasScope(d, "RefreshToken") {
					_, _, at := appScopes(d)
					ps = append(ps, r.problem(RuleRefreshToken, d.File, at,
						"the OAuth policies of %s let users self-authorize (AllSelfAuthorized) but commaSeparatedOauthScopes lacks RefreshToken, so a user who has not approved the app gets \"user hasn't approved this consumer\"; add RefreshToken, or pre-authorize users with AdminApprovedPreAuthorized", name))
				}
			case typeGlobalOauth:
				// The external client app's procedure asks for the JWT
				// bearer flow (the certificate) but not for named-user
				// JWT-based access tokens; the connected app's does.
				ps = append(ps, r.jwtCertificate(d, d.Root, "ExtlClntAppGlobalOauthSettings")...)
				ps = append(ps, r.byocCert(d, d.Root)...)
			case typeConnectedApp:
				if isStub(d) {
					continue // the released app carries the scopes and the certificate
				}
				ps = append(ps, r.byocScopes(d, ccd)...)
				if oc := d.Root.child("oauthConfig"); oc != nil {
					ps = append(ps, r.jwtNamedUser(d, oc, "ConnectedApp oauthConfig")...)
					ps = append(ps, r.byocCert(d, oc)...)
				}
			}
		}
	}
	return ps
}

// noChannelNote says once that no app got the BYOC rules, because no
// channel names one.
func (r *run) noChannelNote(a apps) []diag.Problem {
	if len(a.names) == 0 {
		return nil
	}
	first := a.files[a.names[0]][0]
	for _, n := range a.names {
		for _, d := range a.files[n] {
			if d.Path < first.Path {
				first = d
			}
		}
	}
	return []diag.Problem{r.problem(RuleNoChannel, first.File, nil,
		"no ConversationChannelDefinition in the project, so the BYOC app rules (Interaction scope, packaged state, JWT for named users, shared prefix) did not run on %s; a channel links to its app by the prefix before the first \"_\" of both API names",
		strings.Join(a.names, ", "))}
}

func (r *run) ecaPackaged(d doc, ccd doc) []diag.Problem {
	ds := d.Root.child("distributionState")
	if ds != nil && ds.Text == "Packaged" {
		return nil
	}
	at, got := d.Root, "absent"
	if ds != nil {
		at, got = ds, ds.Text
	}
	return []diag.Problem{r.problem(RuleECAPackaged, d.File, at,
		"distributionState is %s: channel %s's app works only in the org it is deployed to and can't go into a managed package (subscribers would get \"External client app is not installed in this org\"); set <distributionState>Packaged</distributionState> to package it", got, ccd.Name)}
}

// byocScopes checks that the app asks for what the Interaction Service
// needs: Interaction always (error 10003 without it), and RefreshToken too
// in a connected app, as its procedure says. An external client app's JWT
// bearer flow issues no refresh token.
func (r *run) byocScopes(d doc, ccd doc) []diag.Problem {
	need := []string{"Interaction"}
	if d.Type == typeConnectedApp {
		need = append(need, "RefreshToken")
	}
	var miss []string
	for _, n := range need {
		if !hasScope(d, n) {
			miss = append(miss, n)
		}
	}
	if len(miss) == 0 {
		return nil
	}
	_, _, at := appScopes(d)
	why := "without Interaction (interaction_api) every Interaction Service call fails with 10003 \"missing the required Connected App scope. Required value: interaction_api\""
	if !slices.Contains(miss, "Interaction") {
		why = "Salesforce's connected-app procedure asks for refresh_token (\"Perform requests at any time\")"
	}
	if d.Type == typeConnectedApp {
		return []diag.Problem{r.problem(RuleScopes, d.File, at,
			"oauthConfig of channel %s's app lacks scopes %s (%s); add <scopes>%s</scopes>", ccd.Name, strings.Join(miss, " and "), why, strings.Join(miss, "</scopes> and <scopes>"))}
	}
	return []diag.Problem{r.problem(RuleScopes, d.File, at,
		"commaSeparatedOauthScopes of channel %s's app lacks Interaction (%s); add it, such as RefreshToken, Interaction", ccd.Name, why)}
}

// jwtNamedUser applies the connected app's procedure (step 7: "Issue
// JSON Web Token (JWT)-based access tokens for named users") and the
// certificate check.
func (r *run) jwtNamedUser(d doc, parent *node, where string) []diag.Problem {
	var ps []diag.Problem
	if n := parent.child("isNamedUserJwtEnabled"); n == nil || n.Text != "true" {
		at := parent
		if n != nil {
			at = n
		}
		ps = append(ps, r.problem(RuleJWTNamedUser, d.File, at,
			"%s does not set isNamedUserJwtEnabled to true (\"Issue JSON Web Token (JWT)-based access tokens for named users\"), which Salesforce's connected-app procedure for the Interaction Service asks for; set <isNamedUserJwtEnabled>true</isNamedUserJwtEnabled>", where))
	}
	return append(ps, r.jwtCertificate(d, parent, where)...)
}

// jwtCertificate: without a certificate the JWT bearer flow is off.
func (r *run) jwtCertificate(d doc, parent *node, where string) []diag.Problem {
	var ps []diag.Problem
	if c := parent.child("certificate"); c == nil || c.Text == "" {
		ps = append(ps, r.problem(RuleJWTNamedUser, d.File, parent,
			"%s has no certificate, so the JWT bearer flow is off; set <certificate> to the PEM contents of the certificate whose key signs the JWT", where))
	}
	return ps
}

// PackageableAs2GP reports whether the package directories of in can
// become a second-generation package version, and when not, why, naming
// the file: a connected app in a package directory packages only in a
// first-generation package (its stub, which references one released
// there, is what a 2GP package carries), and the external client app a
// Partner channel links to must be Packaged (a Local one stays in the org
// it is deployed to). It reads the files itself, so silencing a rule does not
// change its answer; for a project rendered from a spec,
// (*spec.Spec).PackageableAs2GP says the same in the spec's terms.
func PackageableAs2GP(in Input) (ok bool, reason string) {
	reg := registry.New()
	var docs []doc
	for _, f := range in.Files {
		if f.Type == "" {
			f.Type = typeOf(reg, f.Path)
		}
		switch f.Type {
		case typeECA, typeConnectedApp, typeCCD, typeOauthSettings:
		default:
			continue
		}
		root, err := parseXML(bytes.TrimPrefix(f.Data, []byte("\xef\xbb\xbf")))
		if err != nil {
			continue // a file that does not parse is an error of its own
		}
		docs = append(docs, doc{File: f, Name: fullName(f.Path), Root: root})
	}
	slices.SortFunc(docs, func(x, y doc) int { return strings.Compare(x.Path, y.Path) })
	p := indexProject(docs)
	for _, d := range p.byType[typeConnectedApp] {
		if d.InPackage && !castub.Is(childNames(d.Root)) {
			return false, fmt.Sprintf("%s is a connected app in a package directory: connected apps package only in a first-generation managed package, so no 2GP package version can be built (a 2GP package may carry only the stub of one released there: developerName, label and version)", d.Path)
		}
	}
	a := indexApps(p)
	linked := byocApps(p, a)
	for _, name := range a.names {
		ccd, ok := linked[name]
		if !ok {
			continue
		}
		for _, d := range a.files[name] {
			if d.Type != typeECA || !d.InPackage {
				continue
			}
			if ds := d.Root.text("distributionState"); ds != "Packaged" {
				if ds == "" {
					ds = "absent"
				}
				return false, fmt.Sprintf("%s: distributionState is %s, so channel %s's external client app can't go into a managed package; set it to Packaged to build a package version", d.Path, ds, ccd.Name)
			}
		}
	}
	return true, ""
}
