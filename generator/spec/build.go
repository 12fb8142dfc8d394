package spec

import (
	"crypto/x509"
	"encoding/pem"
	"fmt"
	"io/fs"
	"path"
	"slices"
	"strings"
	"unicode/utf8"

	"github.com/byocpack/byocpack/internal/apiver"
	"github.com/byocpack/byocpack/internal/castub"
	"github.com/byocpack/byocpack/internal/diag"
	"github.com/byocpack/byocpack/internal/fserr"
	"github.com/byocpack/byocpack/internal/tree"
)

func (l *loader) str(key string) string { return l.vals[key].str }

func (l *loader) optBool(key string) *bool {
	v := l.vals[key]
	if v == nil || !v.present {
		return nil
	}
	b := v.b
	return &b
}

func (l *loader) build() *Spec {
	s := &Spec{
		File:   l.file,
		Prefix: l.str("prefix"),
		Package: Package{
			Name:           l.str("package.name"),
			Namespace:      l.str("package.namespace"),
			Path:           l.str("package.path"),
			SourceOrgPath:  l.str("package.sourceOrgPath"),
			VersionNumber:  l.str("package.versionNumber"),
			VersionName:    l.str("package.versionName"),
			Description:    l.str("package.versionDescription"),
			APIVersion:     l.str("package.apiVersion"),
			DefinitionFile: l.str("package.definitionFile"),
		},
	}
	// Parsed once, here. An unsupported version is already a problem of
	// package.apiVersion and stays zero, so no check judges by it.
	if v, err := apiver.Parse(s.Package.APIVersion); err == nil && v.IsSupported() {
		s.Package.api = v
	}
	if list := l.vals["channels"]; list != nil && list.present {
		for _, k := range list.list {
			s.Channels = append(s.Channels, l.channelAt(k))
		}
	} else if l.vals["channel"].present {
		s.Channels = []Channel{l.channelAt("channel")}
	}
	if len(s.Channels) > 0 {
		s.Channel = s.Channels[0]
	} else {
		// Every later check finds the defaults of a channel.
		s.Channel = l.channelAt("channel")
	}
	if l.vals["app"].present {
		a := &App{
			Type:                  l.str("app.type"),
			Name:                  l.str("app.name"),
			Label:                 l.str("app.label"),
			ContactEmail:          l.str("app.contactEmail"),
			Description:           l.str("app.description"),
			CallbackURL:           l.str("app.callbackUrl"),
			CertificatePath:       l.str("app.certificate"),
			DistributionState:     l.str("app.distributionState"),
			PKCERequired:          l.optBool("app.pkceRequired"),
			SecretForRefreshToken: l.optBool("app.secretRequiredForRefreshToken"),
			OrgScopedExternalApp:  l.str("app.orgScopedExternalApp"),
			OAuthLink:             l.str("app.oauthLink"),
			ReleasedVersion:       l.str("app.releasedVersion"),
			Policies:              l.userPolicies("app.policies"),
		}
		p := &a.Policies
		p.IPRelaxation, p.RefreshTokenPolicy = l.str("app.policies.ipRelaxation"), l.str("app.policies.refreshTokenPolicy")
		p.RefreshTokenValidity, p.RefreshTokenValidityUnit = l.str("app.policies.refreshTokenValidity"), l.str("app.policies.refreshTokenValidityUnit")
		p.SessionLevel, p.SessionLevelAction = l.str("app.policies.sessionLevel"), l.str("app.policies.sessionLevelAction")
		p.ClientCredentialsUser = l.str("app.policies.clientCredentialsUser")
		a.NamedUserJWT = a.Type == ConnectedApp
		if v := l.optBool("app.namedUserJwt"); v != nil {
			a.NamedUserJWT = *v
		}
		a.ClientCredentials = l.optBool("app.clientCredentialsFlow") != nil && *l.optBool("app.clientCredentialsFlow")
		if !l.vals["app.callbackUrl"].present {
			a.CallbackURL = DefaultCallbackURLFor(a.Type)
		}
		a.CallbackURLs = []string{a.CallbackURL}
		if urls := l.vals["app.callbackUrls"]; urls.present && len(urls.list) > 0 {
			a.CallbackURLs, a.CallbackURL = urls.list, urls.list[0]
		}
		a.Scopes = l.scopes("app.scopes", a.Type)
		if a.Label == "" {
			a.Label = s.Prefix + " " + a.Name
		}
		s.App = a
	}
	if s.Channel.ConnectedAppType == Customer {
		c := &CustomerApp{
			Type:        l.str("customerApp.type"),
			Name:        l.str("customerApp.name"),
			Label:       l.str("customerApp.label"),
			CallbackURL: l.str("customerApp.callbackUrl"),
			Policies:    l.userPolicies("customerApp.policies"),
		}
		if !l.vals["customerApp.callbackUrl"].present {
			c.CallbackURL = DefaultCallbackURLFor(c.Type)
		}
		c.Scopes = l.scopes("customerApp.scopes", c.Type)
		if c.Label == "" {
			c.Label = s.Prefix + " " + c.Name
		}
		s.CustomerApp = c
	}
	s.positions = map[string]pos{}
	for k, v := range l.vals {
		if v.present {
			s.positions[k] = v.at
		}
	}
	return s
}

// userPolicies reads who may use an app from the policies object at key.
func (l *loader) userPolicies(key string) Policies {
	return Policies{
		PermittedUsers: l.str(key + ".permittedUsers"),
		Profiles:       l.vals[key+".profiles"].list,
		PermissionSets: l.vals[key+".permissionSets"].list,
	}
}

// scopes returns the enum values of the list at key, or the default of
// the app type when the spec lists none.
func (l *loader) scopes(key, appType string) []string {
	v := l.vals[key]
	if !v.present {
		return DefaultScopes(appType)
	}
	out := []string{}
	for _, sc := range v.list {
		out = append(out, scopeName(sc))
	}
	return out
}

// checkScopes applies what the Interaction Service and the app type's
// procedure need, and each scope's version window.
func (l *loader) checkScopes(key, appType string, scopes []string, api apiver.Version) {
	if len(l.problemsAt(key)) > 0 {
		return
	}
	at := l.vals[key].at
	if !slices.Contains(scopes, "Interaction") {
		l.add(at, key, "lacks interaction_api; the Interaction Service needs it (without interaction_api every call fails with error 10003 \"missing the required Connected App scope\"); add it to the list")
	}
	if appType == ConnectedApp && !slices.Contains(scopes, "RefreshToken") {
		l.add(at, key, "lacks refresh_token; Salesforce's connected-app procedure for the Interaction Service asks for it (\"Perform requests at any time\"); add it to the list")
	}
	if api.IsZero() {
		return
	}
	dialect := apiver.ECAScopes
	if appType == ConnectedApp {
		dialect = apiver.ConnectedAppScopes
	}
	for i, name := range scopes {
		if slices.Contains(apiver.KnownScopes(dialect, api), apiver.ScopeToken(dialect, name)) {
			continue
		}
		ik, ip := fmt.Sprintf("%s[%d]", key, i), at
		if i < len(l.vals[key].items) {
			ip = l.vals[key].items[i]
		}
		if w := apiver.ScopeWindows(dialect, apiver.ScopeToken(dialect, name)); len(w) > 0 && api.Before(w[0].First) {
			l.add(ip, ik, "%s needs API version %s or later, but package.apiVersion is %s; raise apiVersion or remove the scope", scopeUIName(name), w[0].First, api)
		} else {
			l.add(ip, ik, "%s is not a scope of API version %s; remove it or pick another apiVersion", scopeUIName(name), api)
		}
	}
}

// ecaSetting is a spec key that becomes a top-level field of one of an
// external client app's files: its version window is the field's.
type ecaSetting struct{ key, typ, field string }

// ecaSettings are the app keys whose fields exist in external client app
// files only, or whose window the WSDL knowledge gives.
func ecaSettings() []ecaSetting {
	const header, oauth, global, policies = "ExternalClientApplication", "ExtlClntAppOauthSettings", "ExtlClntAppGlobalOauthSettings", "ExtlClntAppOauthConfigurablePolicies"
	return []ecaSetting{
		{"app.distributionState", header, "distributionState"},
		{"app.orgScopedExternalApp", header, "orgScopedExternalApp"},
		{"app.oauthLink", oauth, "oauthLink"},
		{"app.pkceRequired", global, "isPkceRequired"},
		{"app.namedUserJwt", global, "isNamedUserJwtEnabled"},
		{"app.secretRequiredForRefreshToken", global, "isSecretRequiredForRefreshToken"},
		{"app.clientCredentialsFlow", global, "isClientCredentialsFlowEnabled"},
		{"app.policies.clientCredentialsUser", policies, "clientCredentialsFlowUser"},
		{"app.policies.ipRelaxation", policies, "ipRelaxationPolicyType"},
		{"app.policies.refreshTokenPolicy", policies, "refreshTokenPolicyType"},
		{"app.policies.refreshTokenValidity", policies, "refreshTokenValidityPeriod"},
		{"app.policies.refreshTokenValidityUnit", policies, "refreshTokenValidityUnit"},
		{"app.policies.sessionLevel", policies, "requiredSessionLevel"},
		{"app.policies.sessionLevelAction", policies, "policyAction"},
	}
}

// connectedAppSettings are the ecaSettings a connected app carries too,
// in its own elements.
func connectedAppSettings() []string {
	return []string{"app.pkceRequired", "app.secretRequiredForRefreshToken", "app.namedUserJwt", "app.clientCredentialsFlow", "app.policies.clientCredentialsUser", "app.policies.ipRelaxation", "app.policies.refreshTokenPolicy", "app.policies.refreshTokenValidity", "app.policies.refreshTokenValidityUnit"}
}

// checkAppSettings checks the optional app settings against each other,
// the app type and the version window of the field each becomes.
func (l *loader) checkAppSettings(s *Spec) {
	a := s.App
	if cb, cbs := l.vals["app.callbackUrl"], l.vals["app.callbackUrls"]; cb.present && cbs.present {
		l.add(cbs.at, "app.callbackUrls", "and callbackUrl are both set; keep one (callbackUrls for several URLs)")
	} else if cbs.present && len(cbs.list) == 0 && len(l.problemsAt("app.callbackUrls")) == 0 {
		l.add(cbs.at, "app.callbackUrls", "is empty; give at least one https URL, or remove it for the default %s", a.CallbackURL)
	}
	for _, set := range ecaSettings() {
		v := l.vals[set.key]
		if v == nil || !v.present || len(l.problemsAt(set.key)) > 0 {
			continue
		}
		if a.Type == ConnectedApp {
			if !slices.Contains(connectedAppSettings(), set.key) {
				l.add(v.at, set.key, "applies to ExternalClientApplication only; remove it for a ConnectedApp")
			}
			continue
		}
		api := s.Package.api
		if api.IsZero() || apiver.HasField(set.typ, set.field, api) {
			continue
		}
		if w := apiver.FieldWindows(set.typ, set.field); len(w) > 0 && api.Before(w[0].First) {
			l.add(v.at, set.key, "needs API version %s or later (%s.%s), but package.apiVersion is %s; raise apiVersion or remove the key", w[0].First, set.typ, set.field, api)
		} else {
			l.add(v.at, set.key, "has no field (%s.%s) in API version %s; remove the key or pick another apiVersion", set.typ, set.field, api)
		}
	}
	l.checkReleasedVersion(s)
	p := a.Policies
	specific := strings.HasPrefix(p.RefreshTokenPolicy, "Specific")
	switch v := l.vals["app.policies.refreshTokenValidity"]; {
	case specific && p.RefreshTokenValidity == "" && len(l.problemsAt("app.policies.refreshTokenPolicy")) == 0:
		l.add(l.vals["app.policies.refreshTokenPolicy"].at, "app.policies.refreshTokenPolicy", "%s needs refreshTokenValidity (and refreshTokenValidityUnit, Days by default); add it, such as refreshTokenValidity: 90", p.RefreshTokenPolicy)
	case !specific && v.present:
		l.add(v.at, "app.policies.refreshTokenValidity", "applies only with refreshTokenPolicy SpecificLifetime or SpecificInactivity, but the policy is %s; remove it or change the policy", p.RefreshTokenPolicy)
	}
	switch u := l.vals["app.policies.clientCredentialsUser"]; {
	case u.present && !a.ClientCredentials:
		l.add(u.at, "app.policies.clientCredentialsUser", "is the Run As user of the client credentials flow, which is off; set app.clientCredentialsFlow: true or remove it")
	case a.ClientCredentials && !u.present:
		at := l.vals["app.clientCredentialsFlow"].at
		l.notes = append(l.notes, diag.Problem{File: l.file, Line: at.line, Column: at.col, Severity: diag.Warning, Rule: RuleSpec,
			Message: "app.clientCredentialsFlow: the flow issues no token until the app's policies name a Run As user; set app.policies.clientCredentialsUser, or set the user in Setup"})
	}
	if act := l.vals["app.policies.sessionLevelAction"]; act.present && p.SessionLevel == "" && a.Type != ConnectedApp {
		l.add(act.at, "app.policies.sessionLevelAction", "needs sessionLevel, the level a session must reach; add sessionLevel: HIGH_ASSURANCE or remove it")
	}
	if v := l.vals["app.orgScopedExternalApp"]; v.present && a.Type != ConnectedApp && len(l.problemsAt("app.orgScopedExternalApp")) == 0 {
		if name, ok := SplitDevHubID(a.OrgScopedExternalApp); !ok {
			l.add(v.at, "app.orgScopedExternalApp", "%q is not [Organization_ID]:[External_Client_App_Name] (00D…:%s); copy the value a retrieve of the app shows, or remove the key so Salesforce generates it", a.OrgScopedExternalApp, s.AppAPIName())
		} else if name != s.AppAPIName() && len(l.problemsAt("app.name"))+len(l.problemsAt("prefix")) == 0 {
			l.add(v.at, "app.orgScopedExternalApp", "names %q but the app's API name is %s; use 00D…:%s or remove the key", name, s.AppAPIName(), s.AppAPIName())
		}
	}
	if v := l.vals["app.oauthLink"]; v.present && a.Type != ConnectedApp && len(l.problemsAt("app.oauthLink")) == 0 {
		if _, ok := SplitDevHubID(a.OAuthLink); !ok {
			l.add(v.at, "app.oauthLink", "%q is not [Organization_ID]:[Oauth_Consumer_ID] (00D…:888…); copy the value a retrieve of the OAuth settings shows, or remove the key", a.OAuthLink)
		}
	}
}

// checkReleasedVersion checks app.releasedVersion against the app type and
// the namespace the stub's developerName needs, and notes what the stub
// means for the rendered package.
func (l *loader) checkReleasedVersion(s *Spec) {
	const key = "app.releasedVersion"
	v := l.vals[key]
	if v == nil || !v.present || len(l.problemsAt(key)) > 0 {
		return
	}
	switch name := s.AppAPIName(); {
	case s.App.Type != ConnectedApp:
		l.add(v.at, key, "applies to ConnectedApp only (it packages the stub of a connected app released in a first-generation package); remove it for an ExternalClientApplication, which a 2GP package carries itself")
	case s.Package.Namespace == "":
		l.add(v.at, key, "the stub needs the namespace of the first-generation package the connected app was released in (its developerName is {namespace}__%s), but package.namespace is empty; set package.namespace to that namespace", name)
	default:
		l.notes = append(l.notes, diag.Problem{File: l.file, Line: v.at.line, Column: v.at.col, Severity: diag.Info, Rule: RuleSpec,
			Message: fmt.Sprintf("%s: the package carries only the stub of the connected app %s (version %s): the app itself, with its certificate, scopes and policies, lives in the first-generation package of namespace %s and is not rendered; SETUP.md says what that takes",
				key, castub.DeveloperName(s.Package.Namespace, name), s.App.ReleasedVersion, s.Package.Namespace)})
	}
}

// crossCheck applies the rules that span keys. Each message is placed at
// the key the user is most likely to change.
func (l *loader) crossCheck(s *Spec) {
	l.checkNamespace(s)
	l.checkChannelList(s)
	app := l.vals["app"]
	catKey := s.Channel.key + ".connectedAppType"
	cat := l.vals[catKey]
	switch {
	case s.Channel.ConnectedAppType == Customer && app.present:
		l.add(app.at, "app", "must be absent when %s is Customer, because the customer's admin creates the app and the package must not carry one; remove the app block, or set connectedAppType: Partner", catKey)
	case s.Channel.ConnectedAppType == Partner && !app.present && len(l.problemsAt("app")) == 0:
		l.add(cat.at, catKey, "is Partner (the default), so the package must carry the app, but the spec has no app block; add app (byocpack init shows one), or set connectedAppType: Customer")
	}
	if s.App != nil {
		l.checkAppSettings(s)
		if full := s.AppAPIName(); len(l.problemsAt("app.name")) == 0 && len(l.problemsAt("prefix")) == 0 && len(full) > maxAPINameLen {
			l.add(l.vals["app.name"].at, "app.name", "the app's API name %q is %d characters long; Salesforce allows at most %d, shorten prefix or app.name", full, len(full), maxAPINameLen)
		}
		// The settings and policies files add to the app's label; their
		// labels must fit Salesforce's limit too.
		n, longestLabelSuffix := utf8.RuneCountInString(s.App.Label), 0
		for _, label := range s.App.Labels().all() {
			longestLabelSuffix = max(longestLabelSuffix, utf8.RuneCountInString(label)-n)
		}
		if len(l.problemsAt("app.label")) == 0 && n+longestLabelSuffix > maxLabelLen {
			at, key := l.vals["app.label"].at, "app.label"
			if !l.vals["app.label"].present {
				at, key = l.vals["app.name"].at, "app.name"
			}
			l.add(at, key, "the app's label %q is %d characters long; the settings files add up to %d characters to it and Salesforce labels allow %d, so keep it to %d (set app.label)", s.App.Label, n, longestLabelSuffix, maxLabelLen, maxLabelLen-longestLabelSuffix)
		}
		l.checkScopes("app.scopes", s.App.Type, s.App.Scopes, s.Package.api)
		if s.App.Policies.PermittedUsers == "AdminApprovedPreAuthorized" && len(l.problemsAt("app.policies.profiles"))+len(l.problemsAt("app.policies.permissionSets")) == 0 && len(s.App.Policies.Profiles)+len(s.App.Policies.PermissionSets) == 0 {
			l.add(l.vals["app.policies.permittedUsers"].at, "app.policies", "AdminApprovedPreAuthorized needs at least one profile or permission set, or no user can use the app (\"user hasn't approved this consumer\"); add profiles: [System Administrator]")
		}
	}
	if c := l.vals["customerApp"]; c.present && s.Channel.ConnectedAppType != Customer {
		l.add(c.at, "customerApp", "describes the app a Customer channel's admin creates, but %s is %s; remove customerApp, or set connectedAppType: Customer", catKey, s.Channel.ConnectedAppType)
	}
	if c := s.CustomerApp; c != nil {
		l.checkScopes("customerApp.scopes", c.Type, c.Scopes, s.Package.api)
		if full := s.CustomerAppAPIName(); len(l.problemsAt("customerApp.name"))+len(l.problemsAt("prefix")) == 0 && len(full) > maxAPINameLen {
			l.add(l.vals["customerApp.name"].at, "customerApp.name", "the app's API name %q is %d characters long; Salesforce allows at most %d, shorten prefix or customerApp.name", full, len(full), maxAPINameLen)
		}
	}
	// Compared without letter case: macOS and Windows disks fold it, so
	// Force-App/x lies inside force-app there.
	if p, so := s.Package.Path, s.Package.SourceOrgPath; p != "" && so != "" && pathsOverlap(strings.ToLower(p), strings.ToLower(so)) {
		why := ""
		if !pathsOverlap(p, so) {
			why = " on a disk that ignores letter case (macOS, Windows)"
		}
		if l.vals["package.sourceOrgPath"].present || !l.vals["package.path"].present {
			l.add(l.vals["package.sourceOrgPath"].at, "package.sourceOrgPath", "%q overlaps the package directory %q%s, so Dev Hub-only files would be packaged; choose a separate directory such as source-org", so, p, why)
		} else {
			// Only path was written: point there, not at a default.
			l.add(l.vals["package.path"].at, "package.path", "%q overlaps sourceOrgPath %q (the default)%s, so Dev Hub-only files would be packaged; choose a separate directory such as force-app", p, so, why)
		}
	}
	for _, c := range s.Channels {
		l.checkChannel(s, c)
	}
}

// loadCertificate reads the app's certificate and keeps only its public
// PEM block. A file that also holds a private key is refused outright: the
// key must never travel with the spec into generated files.
func (l *loader) loadCertificate(fsys fs.FS, name string, a *App) {
	v := l.vals["app.certificate"]
	// Messages name the certificate as the user can open it: relative to
	// the working directory, like the spec's own path.
	shown := path.Join(path.Dir(l.file), a.CertificatePath)
	if path.IsAbs(a.CertificatePath) {
		shown = a.CertificatePath
		fsys, name = tree.DirFS(path.Dir(a.CertificatePath), tree.MaxInputFile), path.Base(a.CertificatePath)
		l.notes = append(l.notes, diag.Problem{File: l.file, Line: v.at.line, Column: v.at.col, Severity: diag.Warning, Rule: RuleSpec,
			Message: fmt.Sprintf("app.certificate: %s is an absolute path, so the spec builds only on a machine that has the file there (a CI secrets mount, say); keep a copy beside the spec to build anywhere", a.CertificatePath)})
	}
	// Every command reads the certificate here, from whatever fs.FS it
	// was given: bounded, and never a FIFO or a device.
	data, err := tree.ReadFS(fsys, name, tree.MaxInputFile)
	if err != nil {
		l.add(v.at, "app.certificate", "cannot read %s: %v; give the path of the PEM certificate relative to the spec (openssl x509 -req ... -out server.crt)", shown, fserr.Cause(err))
		return
	}
	var certs []*pem.Block
	rest := data
	for {
		var b *pem.Block
		b, rest = pem.Decode(rest)
		if b == nil {
			break
		}
		if strings.Contains(b.Type, "PRIVATE KEY") {
			l.add(v.at, "app.certificate", "%s holds a private key (%s); point to the certificate alone (server.crt) and keep the key out of the project", shown, b.Type)
			return
		}
		if b.Type == "CERTIFICATE" {
			certs = append(certs, b)
		}
	}
	switch len(certs) {
	case 0:
		l.add(v.at, "app.certificate", "%s holds no PEM certificate (-----BEGIN CERTIFICATE-----); convert a DER file with openssl x509 -inform der -in cert.der -out server.crt", shown)
		return
	case 1:
	default:
		l.add(v.at, "app.certificate", "%s holds %d certificates; give the app's own self-signed certificate alone", shown, len(certs))
		return
	}
	if _, err := x509.ParseCertificate(certs[0].Bytes); err != nil {
		l.add(v.at, "app.certificate", "%s is not a valid X.509 certificate: %v", shown, err)
		return
	}
	block := &pem.Block{Type: "CERTIFICATE", Bytes: certs[0].Bytes}
	a.CertificatePEM = strings.TrimRight(string(pem.EncodeToMemory(block)), "\n")
}

// pathsOverlap reports whether one of two clean slash paths is the other
// or lies inside it.
func pathsOverlap(a, b string) bool {
	return a == b || strings.HasPrefix(b+"/", a+"/") || strings.HasPrefix(a+"/", b+"/")
}

// checkNamespace warns when the spec makes a managed package without a
// namespace: sf package create --package-type Managed needs the prefix
// registered in the Dev Hub. A Local external client app is never
// packaged, so it needs none.
func (l *loader) checkNamespace(s *Spec) {
	v := l.vals["package.namespace"]
	if s.Package.Namespace != "" || len(l.problemsAt("package.namespace")) > 0 || (s.App != nil && s.App.Type == ExternalClientApplication && s.App.DistributionState == "Local") {
		return
	}
	at := v.at
	if !v.present {
		at = l.vals["package"].at
	}
	l.notes = append(l.notes, diag.Problem{File: l.file, Line: at.line, Column: at.col, Severity: diag.Warning, Rule: RuleSpec,
		Message: "package.namespace is empty, but a managed package needs one: set it to the namespace prefix registered in (and linked to) the Dev Hub before sf package create --package-type Managed; deploying the project unpackaged to your own org works without"})
}

// channelAt reads the channel written at key (channel, channels[1]).
func (l *loader) channelAt(key string) Channel {
	c := Channel{
		key:              key,
		Name:             l.str(key + ".name"),
		Label:            l.str(key + ".label"),
		ConnectedAppType: l.str(key + ".connectedAppType"),
		Vendor: Vendor{
			Name:  l.str(key + ".vendor.name"),
			Label: l.str(key + ".vendor.label"),
			Type:  l.str(key + ".vendor.type"),
		},
		Event: Event{
			Name:         l.str(key + ".event.name"),
			Label:        l.str(key + ".event.label"),
			TypeField:    l.str(key + ".event.typeField"),
			PayloadField: l.str(key + ".event.payloadField"),
		},
		RoutingOwner: l.str(key + ".routingOwner"),
		ConsentOwner: l.str(key + ".consentOwner"),
		Features: Features{
			Keywords:                l.optBool(key + ".features.keywords"),
			ExplicitConsent:         l.optBool(key + ".features.explicitConsent"),
			DoubleOptInConsent:      l.optBool(key + ".features.doubleOptInConsent"),
			IsoCountryCode:          l.optBool(key + ".features.isoCountryCode"),
			CustomChannelParameters: l.optBool(key + ".features.customChannelParameters"),
			InboundReceipts:         l.optBool(key + ".features.inboundReceipts"),
			TypingIndicatorHidden:   l.optBool(key + ".features.typingIndicatorHidden"),
			ConferenceSupported:     l.optBool(key + ".features.conferenceSupported"),
		},
	}
	if c.Vendor.Label == "" {
		c.Vendor.Label = c.Vendor.Name
	}
	if c.Event.Label == "" {
		c.Event.Label = strings.ReplaceAll(c.Event.Name, "_", " ")
	}
	return c
}

// checkChannelList applies what spans the channels of a package: one form
// (channel or channels), one owner of the app, one developerName each,
// and one definition of each shared vendor and event.
func (l *loader) checkChannelList(s *Spec) {
	one, list := l.vals["channel"], l.vals["channels"]
	switch {
	case one.present && list.present:
		l.add(list.at, "channels", "and channel are both set; keep channel for one channel, or move it into channels")
		return
	case !one.present && !list.present:
		l.add(pos{1, 1}, "channel", "missing required key; add channel (the ConversationChannelDefinition and what it references), or channels for several")
		return
	case list.present && len(s.Channels) == 0 && len(l.problemsAt("channels")) == 0:
		l.add(list.at, "channels", "is empty; list at least one channel, or write channel")
		return
	}
	names := map[string]string{}
	vendors, events := map[string]Channel{}, map[string]Channel{}
	for _, c := range s.Channels {
		if c.ConnectedAppType != s.Channel.ConnectedAppType {
			k := c.key + ".connectedAppType"
			l.add(l.vals[k].at, k, "is %s, but %s.connectedAppType is %s: the package carries the app for all its channels or for none; give every channel the same connectedAppType", c.ConnectedAppType, s.Channel.key, s.Channel.ConnectedAppType)
		}
		if first, dup := names[c.Name]; dup && c.Name != "" {
			l.add(l.vals[c.key+".name"].at, c.key+".name", "%q is also %s.name: each channel needs a developerName of its own", c.Name, first)
		}
		names[c.Name] = c.key
		if v, seen := vendors[c.Vendor.Name]; seen && v.Vendor != c.Vendor {
			l.add(l.vals[c.key+".vendor"].at, c.key+".vendor", "names the vendor %s of %s.vendor but describes it differently; a shared vendor is one record: write the same label and type, or give it a name of its own", c.Vendor.Name, v.key)
		} else if !seen {
			vendors[c.Vendor.Name] = c
		}
		if e, seen := events[c.Event.Name]; seen && e.Event != c.Event {
			l.add(l.vals[c.key+".event"].at, c.key+".event", "names the event %s of %s.event but describes it differently; a shared event is one platform event: write the same label and fields, or give it a name of its own", c.Event.Name, e.key)
		} else if !seen {
			events[c.Event.Name] = c
		}
	}
}

// checkChannel applies the rules of one channel, at its own keys.
func (l *loader) checkChannel(s *Spec, c Channel) {
	k := func(sub string) string { return c.key + "." + sub }
	if full := s.DeveloperNameOf(c); len(l.problemsAt(k("name"))) == 0 && len(l.problemsAt("prefix")) == 0 && len(full) > maxAPINameLen {
		l.add(l.vals[k("name")].at, k("name"), "the developerName %q is %d characters long; Salesforce allows at most %d, shorten prefix or %s", full, len(full), maxAPINameLen, k("name"))
	}
	ev := c.Event
	if ev.TypeField != "" && ev.TypeField == ev.PayloadField {
		l.add(l.vals[k("event.payloadField")].at, k("event.payloadField"), "is the same field as typeField (%s); give the payload its own field, such as Payload", ev.TypeField)
	}
	messaging := c.Vendor.Type == "BringYourOwnChannelPartner"
	if messaging {
		for _, o := range []string{"routingOwner", "consentOwner"} {
			if v := l.vals[k(o)]; v.str == "Partner" {
				l.add(v.at, k(o), "must be Salesforce for BYOC for Messaging (vendor type BringYourOwnChannelPartner); Partner ownership is for BYOC for CCaaS (BringYourOwnContactCenter)")
			}
		}
	}
	f := c.Features
	if f.DoubleOptInConsent != nil && *f.DoubleOptInConsent {
		at := l.vals[k("features.doubleOptInConsent")].at
		if messaging {
			l.add(at, k("features.doubleOptInConsent"), "double opt-in is not supported for BYOC for Messaging, only for CCaaS (BringYourOwnContactCenter); remove it")
		} else if f.ExplicitConsent == nil || !*f.ExplicitConsent {
			l.add(at, k("features.doubleOptInConsent"), "needs explicitConsent: true; add it, or remove doubleOptInConsent")
		}
	}
	if c.ConsentOwner == "Partner" && f.Keywords != nil && *f.Keywords {
		l.add(l.vals[k("features.keywords")].at, k("features.keywords"), "must be false when consentOwner is Partner (the Consent API fails with error 10023 when keywords are on); remove it or set consentOwner: Salesforce")
	}
	if api := s.Package.api; !api.IsZero() {
		for _, set := range f.Settings() {
			if set.fieldAt(api) != "" {
				continue
			}
			key := k("features." + set.Key)
			if since := set.since(); api.Before(since) {
				l.add(l.vals[key].at, key, "needs API version %s or later, but package.apiVersion is %s; raise apiVersion or remove the key", since, api)
			} else {
				l.add(l.vals[key].at, key, "has no field (%s) in API version %s; remove the key or pick another apiVersion", strings.Join(set.Fields, " or "), api)
			}
		}
	}
}
