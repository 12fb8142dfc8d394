// Package migrate turns a legacy connected app (ConnectedApp metadata)
// into the byoc.yaml of the equivalent external client app, which
// Salesforce recommends for the Interaction Service and which a
// second-generation package can carry. Every setting of the connected app
// is accounted for: carried into the spec, the same as what byocpack
// writes anyway, or listed as having no counterpart, with where it lives
// on an external client app. Nothing is dropped silently, and a consumer
// key or secret is never copied or shown.
package migrate

import (
	"encoding/base64"
	"encoding/pem"
	"fmt"
	"path"
	"slices"
	"strings"

	"github.com/beevik/etree"

	"github.com/byocpack/byocpack/generator/cred"
	"github.com/byocpack/byocpack/generator/spec"
	"github.com/byocpack/byocpack/internal/inspect"
	"github.com/byocpack/byocpack/internal/secrets"
)

// metadataNS is the Metadata API namespace.
const metadataNS = "http://soap.sforce.com/2006/04/metadata"

// Options are the inputs of FromConnectedApp.
type Options struct {
	// FileName is the connected app's file name, such as
	// Acme_BYOC.connectedApp-meta.xml: it gives the API name.
	FileName string
	// SchemaRef is the spec's yaml-language-server modeline (empty: none).
	SchemaRef string
}

// Carried is a setting that reached the spec, or that byocpack writes the
// same anyway.
type Carried struct {
	From  string `json:"from"`
	To    string `json:"to"`
	Value string `json:"value"`
}

// Unmapped is a setting without a counterpart in byoc.yaml.
type Unmapped struct {
	// Path is the element's path in the connected app, such as
	// oauthConfig/isPkceRequired.
	Path string `json:"path"`
	// Value is its text (shortened), or its child elements for a block;
	// never a secret's value.
	Value string `json:"value"`
	// Note says where the setting lives on an external client app, or
	// what to do instead.
	Note string `json:"note"`
}

// Result is the migrated spec.
type Result struct {
	// ConnectedApp is the connected app's API name.
	ConnectedApp string `json:"connectedApp"`
	Prefix       string `json:"prefix"`
	Name         string `json:"name"`
	// Spec is the byoc.yaml; its channel block is commented out for the
	// user to fill in.
	Spec []byte `json:"-"`
	// Certificate is the app's certificate as PEM, to write at
	// CertificatePath (relative to the spec); nil when the app has none.
	Certificate     []byte     `json:"-"`
	CertificatePath string     `json:"certificatePath"`
	Carried         []Carried  `json:"carried"`
	Unmapped        []Unmapped `json:"unmapped"`
	// Notes say what changes in meaning (a new consumer key, say).
	Notes []string `json:"notes"`
}

// FromConnectedApp reads a ConnectedApp file and writes the spec of the
// equivalent external client app.
func FromConnectedApp(data []byte, opts Options) (*Result, error) {
	// The reader review and diff use: bounded nesting, elements and values.
	root, err := inspect.ParseXML(opts.FileName, data)
	if err != nil {
		return nil, err
	}
	if root.Tag != "ConnectedApp" || root.NamespaceURI() != metadataNS {
		return nil, fmt.Errorf("%s is not ConnectedApp metadata (<ConnectedApp xmlns=%q>)", opts.FileName, metadataNS)
	}
	m := &migration{res: &Result{}, values: map[string]string{}, lists: map[string][]string{}, bools: map[string]bool{}}
	if err := m.names(opts.FileName); err != nil {
		return nil, err
	}
	if child(root, "developerName") != nil && child(root, "oauthConfig") == nil {
		return nil, fmt.Errorf("%s is the second-generation stub of a connected app released in a first-generation package (developerName and version only); retrieve the connected app itself from the packaging org (sf project retrieve start -m ConnectedApp:%s) and migrate that", opts.FileName, m.res.ConnectedApp)
	}
	m.top(root)
	m.res.Spec = spec.SkeletonOf(spec.SkeletonOptions{
		Values: m.values, Lists: m.lists, Bools: m.bools, SchemaRef: opts.SchemaRef,
		Header:    m.header(),
		Commented: []string{"channel"},
	})
	return m.res, nil
}

type migration struct {
	res    *Result
	values map[string]string
	lists  map[string][]string
	bools  map[string]bool
	// What the connected app said about pre-authorization; absent means
	// false, as in Setup. hasOAuth is false for an app without OAuth
	// settings (SAML or a start URL only).
	adminApproved, hasOAuth bool
}

// names derives the prefix and the app name from the file's API name,
// {prefix}_{name}: the channel definition already shares that prefix.
func (m *migration) names(fileName string) error {
	base := path.Base(strings.ReplaceAll(fileName, `\`, "/"))
	api, ok := strings.CutSuffix(base, ".connectedApp-meta.xml")
	if !ok {
		api, ok = strings.CutSuffix(base, ".connectedApp")
	}
	if !ok || api == "" {
		return fmt.Errorf("%s is not named like a connected app (NAME.connectedApp-meta.xml); its name gives the app's API name and the prefix", fileName)
	}
	m.res.ConnectedApp = api
	if ns, rest, found := strings.Cut(api, "__"); found {
		m.res.Notes = append(m.res.Notes, fmt.Sprintf("the namespace %s was dropped from the API name: set package.namespace to it if the new package uses the same namespace", ns))
		api = rest
	}
	prefix, name, found := strings.Cut(api, "_")
	if !found {
		prefix, name = api, "ExternalClientApp1"
		m.res.Notes = append(m.res.Notes, fmt.Sprintf("%s has no {prefix}_{name} form: the prefix is %s and the app is %s_%s; the channel definition's developerName must start with %s_", api, prefix, prefix, name, prefix))
	}
	if msg := spec.CheckAPIName("prefix", prefix); msg != "" {
		return fmt.Errorf("%s: %s", fileName, msg)
	}
	// The name part may start with a digit (Office_365): the API name
	// starts with the prefix.
	if msg := spec.CheckValue("app.name", name); msg != "" {
		return fmt.Errorf("%s: %s", fileName, msg)
	}
	m.res.Prefix, m.res.Name = prefix, name
	m.values["prefix"] = prefix
	m.values["package.name"] = prefix + " Messaging"
	m.values["package.namespace"] = ""
	m.values["app.type"] = spec.ExternalClientApplication
	m.values["app.name"] = name
	m.values["app.distributionState"] = "Packaged"
	// An optional key the connected app leaves out stays out: the
	// skeleton would otherwise write its example as if it were carried.
	m.values["app.description"] = ""
	m.values["app.contactEmail"] = "dev@" + strings.ReplaceAll(strings.ToLower(prefix), "_", "-") + ".example"
	m.values["channel.label"] = prefix + " Messaging"
	m.values["channel.vendor.name"] = prefix + "_Vendor"
	m.values["channel.vendor.label"] = prefix
	m.res.Notes = append(m.res.Notes,
		"the external client app gets a consumer key of its own: sign the JWT with the new one as iss (byocpack jwt --client-id)",
		"an external client app packages only in a second-generation managed package; the connected app's first-generation package keeps working until subscribers move")
	return nil
}

func child(e *etree.Element, tag string) *etree.Element {
	for _, c := range e.ChildElements() {
		if c.Tag == tag {
			return c
		}
	}
	return nil
}

func (m *migration) carry(from, to, value string) {
	m.res.Carried = append(m.res.Carried, Carried{From: from, To: to, Value: value})
}

func (m *migration) unmapped(p string, e *etree.Element, note string) {
	m.list(p, e.Tag, shown(e), note)
}

// list records a setting that reached no spec key. Every listed value
// passes here, and one that may be a secret is replaced: the list reaches
// the spec's comments, stdout and --json.
func (m *migration) list(p, tag, value, note string) {
	if secretLooking(tag, value) {
		value, note = notShown, secretNote
	}
	m.res.Unmapped = append(m.res.Unmapped, Unmapped{Path: p, Value: value, Note: note})
}

// notShown stands for a value never copied anywhere.
const notShown = "(not shown)"

const secretNote = "never carried: it may be a secret (Salesforce generates the external client app's own keys); keep the old one out of source control"

// secretWords are parts of element names that hold secrets: consumerKey
// and consumerSecret (oauthConfig in the WSDL, but a hand-edited file may
// have them anywhere), passwords, private and API keys.
var secretWords = []string{"secret", "password", "passwd", "passphrase", "privatekey", "consumerkey", "apikey", "clientkey", "credential"}

// secretLooking reports a value that may not be shown: one under an
// element named like a secret (unless it is a plain true or false flag,
// such as isConsumerSecretOptional), or one the secret scanner finds a key
// in, whatever its element.
func secretLooking(tag, value string) bool {
	lower := strings.ToLower(tag)
	// oauthClientCredentialUser names the Run As user of the client
	// credentials flow: a username, not a credential.
	identity := strings.HasSuffix(lower, "user") || strings.HasSuffix(lower, "username")
	for _, w := range secretWords {
		if identity {
			break
		}
		if strings.Contains(lower, w) && value != "true" && value != "false" {
			return true
		}
	}
	return len(secrets.Scan(tag, []byte(value))) > 0
}

// shown is an element's value as listed: its text, shortened, or the
// names of its children.
func shown(e *etree.Element) string {
	if kids := e.ChildElements(); len(kids) > 0 {
		var names []string
		for _, k := range kids {
			names = append(names, k.Tag)
		}
		return "{" + strings.Join(names, ", ") + "}"
	}
	v := strings.Join(strings.Fields(e.Text()), " ")
	if len([]rune(v)) > 60 {
		v = string([]rune(v)[:60]) + "…"
	}
	return v
}

func text(e *etree.Element) string { return strings.TrimSpace(e.Text()) }

// set carries a string value when the spec accepts it.
func (m *migration) set(p string, e *etree.Element, key string) {
	v := text(e)
	if secretLooking(e.Tag, v) {
		m.unmapped(p, e, "")
		return
	}
	if msg := spec.CheckValue(key, v); msg != "" {
		m.unmapped(p, e, fmt.Sprintf("not carried: %s refuses it (%s)", key, msg))
		return
	}
	m.values[key] = v
	m.carry(p, key, v)
}

// unmappedNotes say where each top-level setting without a spec key
// lives on an external client app.
func unmappedNotes(tag string) string {
	switch tag {
	case "canvas", "canvasConfig":
		return "canvas app settings: an external client app has a canvas plugin (ExtlClntAppConfigurablePolicies isCanvasPluginEnabled, API 65.0+), configured in Setup; byoc.yaml has no key for it"
	case "samlConfig":
		return "SAML: an external client app has a SAML plugin (isSamlPluginEnabled), configured in Setup; byoc.yaml has no key for it"
	case "mobileAppConfig", "mobileStartUrl", "pushNotification", "notificationConfig":
		return "mobile and push notification settings: the external client app's mobile and push plugins, configured in Setup; the Interaction Service does not use them"
	case "attributes":
		return "custom attributes: ExtlClntAppOauthSettings / ExtlClntAppOauthConfigurablePolicies customAttributes; byoc.yaml has no key for them"
	case "ipRanges":
		return "trusted IP ranges: ExtlClntAppOauthSettings trustedIpRanges; byoc.yaml has no key for them"
	case "startUrl":
		return "ExtlClntAppOauthConfigurablePolicies startUrl, set by the subscriber's admin"
	case "plugin", "pluginExecutionUser":
		return "the Apex plugin: ExtlClntAppOauthConfigurablePolicies apexHandler and executeHandlerAs, set by the subscriber's admin"
	case "contactPhone", "infoUrl", "iconUrl", "logoUrl":
		return "ExternalClientApplication has " + tag + ", but byoc.yaml has no key for it: nothing of the Interaction Service shows it; set it in Setup"
	case "fullName":
		return "the API name, taken from the file name instead"
	}
	return "no counterpart in byoc.yaml"
}

func (m *migration) top(root *etree.Element) {
	for _, e := range root.ChildElements() {
		p := e.Tag
		switch e.Tag {
		case "label":
			if v := text(e); v != m.res.Prefix+" "+m.res.Name {
				m.set(p, e, "app.label")
			} else {
				m.carry(p, "app.label", v+" (the default)")
			}
		case "contactEmail":
			m.set(p, e, "app.contactEmail")
		case "description":
			m.set(p, e, "app.description")
		case "profileName":
			m.listItem(p, e, "app.policies.profiles")
		case "permissionSetName":
			m.listItem(p, e, "app.policies.permissionSets")
		case "oauthConfig":
			m.hasOAuth = true
			m.oauthConfig(e)
		case "oauthPolicy":
			m.oauthPolicy(e)
		case "sessionPolicy":
			m.sessionPolicy(e)
		default:
			m.unmapped(p, e, unmappedNotes(e.Tag))
		}
	}
	m.finish()
}

// finish fills what the connected app did not say, saying so, and notes
// what the Interaction Service needs that it lacked.
func (m *migration) finish() {
	if !m.carried("app.contactEmail") {
		m.res.Notes = append(m.res.Notes, fmt.Sprintf("app.contactEmail is the placeholder %s: replace it", m.values["app.contactEmail"]))
	}
	switch {
	case !m.hasOAuth:
		// Nothing to carry: the procedure's values are written, and said
		// to be so, rather than reported as the connected app's.
		m.values["app.policies.permittedUsers"] = "AdminApprovedPreAuthorized"
		m.values["app.callbackUrl"] = spec.DefaultCallbackURL
		m.res.Notes = append(m.res.Notes,
			fmt.Sprintf("the connected app has no OAuth settings (oauthConfig), so it has no callback URL, scopes, certificate or pre-authorization to carry: app.callbackUrl is the external client app procedure's recommendation %s, app.policies.permittedUsers AdminApprovedPreAuthorized is what the JWT bearer flow needs, and app.scopes is empty until you add interaction_api", spec.DefaultCallbackURL))
	case m.adminApproved:
		m.values["app.policies.permittedUsers"] = "AdminApprovedPreAuthorized"
		m.carry("oauthConfig/isAdminApproved", "app.policies.permittedUsers", "AdminApprovedPreAuthorized")
	default:
		m.values["app.policies.permittedUsers"] = "AllSelfAuthorized"
		m.carry("oauthConfig/isAdminApproved", "app.policies.permittedUsers", "AllSelfAuthorized (the connected app does not pre-authorize)")
		m.res.Notes = append(m.res.Notes, "the connected app lets users self-authorize; the JWT bearer flow has no consent screen, so the Interaction Service needs app.policies.permittedUsers AdminApprovedPreAuthorized")
	}
	if m.hasOAuth && !m.carried("app.callbackUrl") && !m.carried("app.callbackUrls") {
		m.values["app.callbackUrl"] = spec.DefaultCallbackURL
		m.res.Notes = append(m.res.Notes, fmt.Sprintf("the connected app has no callback URL an external client app takes: app.callbackUrl is the procedure's recommendation %s", spec.DefaultCallbackURL))
	}
	if m.hasOAuth && !m.bools["app.namedUserJwt"] {
		m.res.Notes = append(m.res.Notes, "the connected app does not issue JWT-based access tokens for named users, and the external client app's procedure does not ask for them (app.namedUserJwt stays off); turn it on if the Interaction API refuses calls made with a valid token")
	}
	if m.bools["app.clientCredentialsFlow"] && m.values["app.policies.clientCredentialsUser"] == "" {
		m.res.Notes = append(m.res.Notes, "the connected app enables the client credentials flow without a Run As user: set app.policies.clientCredentialsUser, or the flow issues no token")
	}
	if !m.carried("app.certificate") {
		m.values["app.certificate"] = "certs/server.crt"
		m.res.CertificatePath = "certs/server.crt"
		m.res.Notes = append(m.res.Notes, fmt.Sprintf("the connected app has no usable certificate: make one with byocpack cert --out certs --key ../%s", spec.KeyFileName(m.res.Prefix)))
	}
	for _, key := range []string{"app.scopes", "app.policies.profiles", "app.policies.permissionSets"} {
		if m.lists[key] == nil {
			m.lists[key] = []string{}
		}
	}
	if !slices.Contains(m.lists["app.scopes"], "Interaction") {
		m.res.Notes = append(m.res.Notes, "the connected app lacks the Interaction scope: add interaction_api to app.scopes, or every Interaction Service call fails with 10003")
	}
	if len(m.lists["app.policies.profiles"])+len(m.lists["app.policies.permissionSets"]) == 0 {
		m.res.Notes = append(m.res.Notes, "the connected app pre-authorizes no profile or permission set: add the Interaction Service user's to app.policies, or every token request answers \"user hasn't approved this consumer\"")
	}
}

// carried reports whether a setting reached the spec key.
func (m *migration) carried(key string) bool {
	for _, c := range m.res.Carried {
		if c.To == key {
			return true
		}
	}
	return false
}

func (m *migration) listItem(p string, e *etree.Element, key string) {
	v := text(e)
	if secretLooking(e.Tag, v) {
		m.unmapped(p, e, "")
		return
	}
	if msg := spec.CheckValue(key, v); msg != "" {
		m.unmapped(p, e, fmt.Sprintf("not carried: %s refuses it (%s)", key, msg))
		return
	}
	m.lists[key] = append(m.lists[key], v)
	m.carry(p, key, v)
}

// flag carries a boolean element; anything but true or false is listed.
func (m *migration) flag(p string, e *etree.Element, key string) {
	switch v := text(e); v {
	case "true", "false":
		m.bools[key] = v == "true"
		m.carry(p, key, v)
	default:
		m.unmapped(p, e, fmt.Sprintf("not carried: %q is not true or false", v))
	}
}

func (m *migration) oauthConfig(oc *etree.Element) {
	for _, e := range oc.ChildElements() {
		p := "oauthConfig/" + e.Tag
		v := text(e)
		switch e.Tag {
		case "callbackUrl":
			m.callbacks(p, e)
		case "certificate":
			m.certificate(p, e)
		case "scopes":
			m.scope(p, e)
		case "isAdminApproved":
			m.adminApproved = v == "true"
		case "isPkceRequired":
			m.flag(p, e, "app.pkceRequired")
		case "isNamedUserJwtEnabled":
			if v == "true" {
				m.flag(p, e, "app.namedUserJwt")
			} else {
				m.carry(p, "app.namedUserJwt", v+" (unset: off, the external client app's default)")
			}
		case "isClientCredentialEnabled":
			if v == "true" {
				m.flag(p, e, "app.clientCredentialsFlow")
			} else {
				m.carry(p, "app.clientCredentialsFlow", v+" (unset: off)")
			}
		case "oauthClientCredentialUser":
			m.set(p, e, "app.policies.clientCredentialsUser")
		case "isConsumerSecretOptional":
			if v == "false" {
				m.carry(p, "the global OAuth settings' isConsumerSecretOptional", "false (byocpack writes the same)")
			} else {
				m.unmapped(p, e, "ExtlClntAppGlobalOauthSettings isConsumerSecretOptional; byocpack writes false and byoc.yaml has no key for it: the JWT bearer flow signs with the key, never the secret")
			}
		case "consumerKey", "consumerSecret":
			m.list(p, e.Tag, text(e), secretNote)
		case "isSecretRequiredForRefreshToken":
			m.flag(p, e, "app.secretRequiredForRefreshToken")
		case "isSecretRequiredForTokenExchange", "isIntrospectAllTokens",
			"isRefreshTokenRotationEnabled", "isTokenExchangeEnabled", "idTokenConfig", "singleLogoutUrl":
			m.unmapped(p, e, "ExtlClntAppGlobalOauthSettings "+e.Tag+"; byoc.yaml has no key for it, because the JWT bearer flow the Interaction Service uses does not read it (byocpack leaves Salesforce's default): set it in Setup if another flow needs it")
		case "isConsumerKeyOptional":
			m.unmapped(p, e, "no field of ConnectedAppOauthConfig or of an external client app's settings in the newest Metadata API byocpack has; an external client app always has a consumer key, which the JWT's iss names")
		case "isCodeCredentialEnabled", "isCodeCredentialPostOnly":
			m.unmapped(p, e, "ExtlClntAppGlobalOauthSettings isCodeCredFlowEnabled / isCodeCredPostOnly (the headless code credential flow); byoc.yaml has no key for them, because the Interaction Service does not use that flow: set it in Setup")
		case "assetTokenConfig":
			m.unmapped(p, e, "asset tokens: ExtlClntAppOauthSettings assetToken* fields; byoc.yaml has no key for them, because the Interaction Service does not use asset tokens: set them in Setup")
		default:
			m.unmapped(p, e, "no counterpart in byoc.yaml")
		}
	}
}

// callbacks carries every callback URL the spec takes, in order: one as
// callbackUrl, several as callbackUrls. A URL the spec refuses (a custom
// scheme of a mobile app, plain http) is listed with why.
func (m *migration) callbacks(p string, e *etree.Element) {
	var urls []string
	for _, u := range strings.Fields(e.Text()) {
		if secretLooking(e.Tag, u) {
			// A client secret in a query string, say.
			m.list(p, e.Tag, u, "")
			continue
		}
		if msg := spec.CheckValue("app.callbackUrl", u); msg != "" {
			m.list(p, e.Tag, u, "not carried: "+msg+"; byoc.yaml takes https callback URLs (and http://localhost), as the JWT bearer flow never calls one: add it in Setup if another flow needs it")
			continue
		}
		if !slices.Contains(urls, u) {
			urls = append(urls, u)
		}
	}
	switch len(urls) {
	case 0:
	case 1:
		m.values["app.callbackUrl"] = urls[0]
		m.carry(p, "app.callbackUrl", urls[0])
	default:
		// callbackUrl and callbackUrls exclude each other; the skeleton
		// writes callbackUrl's default unless told to leave it out.
		m.values["app.callbackUrl"] = ""
		m.lists["app.callbackUrls"] = urls
		m.carry(p, "app.callbackUrls", strings.Join(urls, ", "))
	}
}

// certificate writes the app's certificate to its own file; connected
// apps hold the PEM contents, or the bare base64 body some tools write.
func (m *migration) certificate(p string, e *etree.Element) {
	raw := strings.TrimSpace(e.Text())
	data := []byte(raw)
	if !strings.Contains(raw, "-----BEGIN") {
		der, err := base64.StdEncoding.DecodeString(strings.Join(strings.Fields(raw), ""))
		if err != nil {
			m.unmapped(p, e, "not carried: the certificate is neither PEM nor base64; make a new one with byocpack cert")
			return
		}
		data = pem.EncodeToMemory(&pem.Block{Type: "CERTIFICATE", Bytes: der})
	}
	c, err := cred.ParseCertificate(data)
	if err != nil {
		m.unmapped(p, e, "not carried: "+err.Error()+"; make a new one with byocpack cert")
		return
	}
	name := m.res.ConnectedApp + ".crt"
	m.res.Certificate = pem.EncodeToMemory(&pem.Block{Type: "CERTIFICATE", Bytes: c.Raw})
	m.res.CertificatePath = name
	m.values["app.certificate"] = name
	m.carry(p, "app.certificate", name+" (SHA-256 "+cred.Fingerprint(c)+")")
}

// scope carries a connected-app scope as written: byoc.yaml takes the
// metadata names, and render spells each as the external client app's
// commaSeparatedOauthScopes does (SFAP as SFApiPlatform). A scope the
// newest API version no longer has is listed.
func (m *migration) scope(p string, e *etree.Element) {
	v := text(e)
	if msg := spec.CheckValue("app.scopes", v); msg != "" || !spec.ScopeKnown(spec.ExternalClientApplication, v, spec.LatestAPIVersion()) {
		m.unmapped(p, e, fmt.Sprintf("not carried: the newest Metadata API byocpack has (%s) lists no OAuth scope %s, so byoc.yaml cannot name it; add it to the external client app in Setup, or import a newer WSDL (byocpack schemas import) and migrate again", spec.LatestAPIVersion(), v))
		return
	}
	if slices.Contains(m.lists["app.scopes"], v) {
		m.carry(p, "app.scopes", v+" (listed twice in the connected app)")
		return
	}
	m.lists["app.scopes"] = append(m.lists["app.scopes"], v)
	m.carry(p, "app.scopes", v)
}

// connectedAppIPRelaxation maps oauthPolicy/ipRelaxation to the external
// client app's ipRelaxationPolicyType, as render writes it back.
var connectedAppIPRelaxation = map[string]string{"ENFORCE": "Enforce", "ENFORCE_RELAXREFRESH": "Enforce_RelaxRefresh", "BYPASS_2FACTOR": "Bypass_2factor", "BYPASS": "Bypass"}

func (m *migration) oauthPolicy(op *etree.Element) {
	for _, e := range op.ChildElements() {
		p := "oauthPolicy/" + e.Tag
		v := text(e)
		switch e.Tag {
		case "ipRelaxation":
			if eca, ok := connectedAppIPRelaxation[strings.ToUpper(v)]; ok {
				m.values["app.policies.ipRelaxation"] = eca
				m.carry(p, "app.policies.ipRelaxation", eca)
			} else {
				m.unmapped(p, e, fmt.Sprintf("not carried: %q is none of the IP relaxation values (ENFORCE, ENFORCE_RELAXREFRESH, BYPASS_2FACTOR, BYPASS); set app.policies.ipRelaxation", v))
			}
		case "refreshTokenPolicy":
			m.refreshTokenPolicy(p, e)
		case "singleLogoutUrl", "isTokenExchangeFlowEnabled":
			m.unmapped(p, e, "ExtlClntAppOauthConfigurablePolicies "+e.Tag+"; byoc.yaml has no key for it, because the JWT bearer flow does not use it: set it in Setup")
		default:
			m.unmapped(p, e, "no counterpart in byoc.yaml")
		}
	}
}

// refreshTokenPolicy unpacks a connected app's one string (infinite, zero,
// specific_lifetime:90:DAYS, specific_inactivity:7:HOURS) into the policy,
// validity and unit keys.
func (m *migration) refreshTokenPolicy(p string, e *etree.Element) {
	v := text(e)
	parts := strings.Split(strings.ToLower(v), ":")
	policy := map[string]string{"infinite": "Infinite", "zero": "Zero", "specific_lifetime": "SpecificLifetime", "specific_inactivity": "SpecificInactivity"}[parts[0]]
	switch {
	case policy == "":
	case len(parts) == 1 && !strings.HasPrefix(policy, "Specific"):
		m.values["app.policies.refreshTokenPolicy"] = policy
		m.carry(p, "app.policies.refreshTokenPolicy", policy)
		return
	case len(parts) == 3 && strings.HasPrefix(policy, "Specific"):
		unit := map[string]string{"hours": "Hours", "days": "Days", "months": "Months"}[parts[2]]
		if unit == "" || spec.CheckValue("app.policies.refreshTokenValidity", parts[1]) != "" {
			break
		}
		m.values["app.policies.refreshTokenPolicy"] = policy
		m.values["app.policies.refreshTokenValidity"] = parts[1]
		m.values["app.policies.refreshTokenValidityUnit"] = unit
		m.carry(p, "app.policies.refreshTokenPolicy", fmt.Sprintf("%s, refreshTokenValidity %s, refreshTokenValidityUnit %s", policy, parts[1], unit))
		return
	}
	m.unmapped(p, e, fmt.Sprintf("not carried: %q is not infinite, zero, specific_lifetime:N:UNIT or specific_inactivity:N:UNIT (UNIT HOURS, DAYS or MONTHS); set app.policies.refreshTokenPolicy", v))
}

// sessionPolicy carries the session level a connected app requires; its
// session timeout has no key (the subscriber's admin sets it).
func (m *migration) sessionPolicy(sp *etree.Element) {
	for _, e := range sp.ChildElements() {
		p := "sessionPolicy/" + e.Tag
		switch e.Tag {
		case "sessionLevel":
			m.enumValue(p, e, "app.policies.sessionLevel")
		case "policyAction":
			m.enumValue(p, e, "app.policies.sessionLevelAction")
		case "sessionTimeout":
			m.unmapped(p, e, "ExtlClntAppOauthConfigurablePolicies sessionTimeoutInMinutes; byoc.yaml has no key for it, because the policies are the subscriber admin's, generated with defaults on install: set it in Setup")
		default:
			m.unmapped(p, e, "no counterpart in byoc.yaml")
		}
	}
}

// enumValue carries a value whose case the connected app may write
// differently from the spec's enum (Block, BLOCK).
func (m *migration) enumValue(p string, e *etree.Element, key string) {
	v := text(e)
	for _, want := range spec.EnumOf(key) {
		if strings.EqualFold(v, want) {
			m.values[key] = want
			m.carry(p, key, want)
			return
		}
	}
	m.unmapped(p, e, fmt.Sprintf("not carried: %s takes %s", key, strings.Join(spec.EnumOf(key), ", ")))
}

// header are the comment lines at the top of the spec: where it came
// from, what to complete, and every setting left behind.
func (m *migration) header() []string {
	h := []string{
		"",
		fmt.Sprintf("Migrated by `byocpack migrate` from the connected app %s to an external client app.", m.res.ConnectedApp),
		"Complete the channel block at the end (commented out) from your ConversationChannelDefinition:",
		fmt.Sprintf("its developerName is %s_{channel.name}; for several channels of the prefix, list them under channels. Then run byocpack build.", m.res.Prefix),
	}
	for _, n := range m.res.Notes {
		h = append(h, "Note: "+n+".")
	}
	if len(m.res.Unmapped) > 0 {
		h = append(h, "", "Not carried over (no key in byoc.yaml; set them where each says, or leave them knowingly):")
		for _, u := range m.res.Unmapped {
			h = append(h, fmt.Sprintf("  %s = %s: %s", u.Path, u.Value, u.Note))
		}
	}
	return h
}
