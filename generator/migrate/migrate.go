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
	m := &migration{res: &Result{}, values: map[string]string{}, lists: map[string][]string{}}
	if err := m.names(opts.FileName); err != nil {
		return nil, err
	}
	if child(root, "developerName") != nil && child(root, "oauthConfig") == nil {
		return nil, fmt.Errorf("%s is the second-generation stub of a connected app released in a first-generation package (developerName and version only); retrieve the connected app itself from the packaging org (sf project retrieve start -m ConnectedApp:%s) and migrate that", opts.FileName, m.res.ConnectedApp)
	}
	m.top(root)
	m.res.Spec = spec.SkeletonOf(spec.SkeletonOptions{
		Values: m.values, Lists: m.lists, SchemaRef: opts.SchemaRef,
		Header:    m.header(),
		Commented: []string{"channel"},
	})
	return m.res, nil
}

type migration struct {
	res    *Result
	values map[string]string
	lists  map[string][]string
	// What the connected app said about pre-authorization and JWT-based
	// access tokens; absent means false, as in Setup.
	adminApproved, namedUserJWT bool
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
	if msg := spec.CheckAPIName("app.name", name); msg != "" {
		return fmt.Errorf("%s: %s", fileName, msg)
	}
	m.res.Prefix, m.res.Name = prefix, name
	m.values["prefix"] = prefix
	m.values["package.name"] = prefix + " Messaging"
	m.values["package.namespace"] = ""
	m.values["app.type"] = spec.ExternalClientApplication
	m.values["app.name"] = name
	m.values["app.distributionState"] = "Packaged"
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
	for _, w := range secretWords {
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
	case "sessionPolicy":
		return "session policies: ExtlClntAppOauthConfigurablePolicies sessionTimeoutInMinutes, requiredSessionLevel, policyAction, set by the subscriber's admin"
	case "startUrl":
		return "ExtlClntAppOauthConfigurablePolicies startUrl, set by the subscriber's admin"
	case "plugin", "pluginExecutionUser":
		return "the Apex plugin: ExtlClntAppOauthConfigurablePolicies apexHandler and executeHandlerAs, set by the subscriber's admin"
	case "contactPhone", "infoUrl", "iconUrl", "logoUrl":
		return "ExternalClientApplication has " + tag + ", but byoc.yaml has no key for it"
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
			m.oauthConfig(e)
		case "oauthPolicy":
			m.oauthPolicy(e)
		default:
			m.unmapped(p, e, unmappedNotes(e.Tag))
		}
	}
	m.finish()
}

// finish fills what the connected app did not say and notes what the
// Interaction Service needs that it lacked.
func (m *migration) finish() {
	if !m.carried("app.contactEmail") {
		m.res.Notes = append(m.res.Notes, fmt.Sprintf("app.contactEmail is the placeholder %s: replace it", m.values["app.contactEmail"]))
	}
	if m.adminApproved {
		m.values["app.policies.permittedUsers"] = "AdminApprovedPreAuthorized"
		m.carry("oauthConfig/isAdminApproved", "app.policies.permittedUsers", "AdminApprovedPreAuthorized")
	} else {
		m.values["app.policies.permittedUsers"] = "AllSelfAuthorized"
		m.carry("oauthConfig/isAdminApproved", "app.policies.permittedUsers", "AllSelfAuthorized (the connected app does not pre-authorize)")
		m.res.Notes = append(m.res.Notes, "the connected app lets users self-authorize; the JWT bearer flow has no consent screen, so the Interaction Service needs app.policies.permittedUsers AdminApprovedPreAuthorized")
	}
	if !m.namedUserJWT {
		m.res.Notes = append(m.res.Notes, "the connected app does not issue JWT-based access tokens for named users; the external client app does (byocpack turns isNamedUserJwtEnabled on, as the Interaction Service requires)")
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
		case "isNamedUserJwtEnabled":
			m.namedUserJWT = v == "true"
			if m.namedUserJWT {
				m.carry(p, "the global OAuth settings' isNamedUserJwtEnabled", "true (byocpack always writes it)")
			}
		case "isConsumerSecretOptional":
			if v == "false" {
				m.carry(p, "the global OAuth settings' isConsumerSecretOptional", "false (byocpack writes the same)")
			} else {
				m.unmapped(p, e, "ExtlClntAppGlobalOauthSettings isConsumerSecretOptional; byocpack writes false and byoc.yaml has no key for it")
			}
		case "consumerKey", "consumerSecret":
			m.list(p, e.Tag, text(e), secretNote)
		case "isPkceRequired", "isSecretRequiredForRefreshToken", "isSecretRequiredForTokenExchange", "isIntrospectAllTokens",
			"isRefreshTokenRotationEnabled", "isTokenExchangeEnabled", "idTokenConfig", "singleLogoutUrl":
			m.unmapped(p, e, "ExtlClntAppGlobalOauthSettings "+e.Tag+"; byoc.yaml has no key for it (byocpack writes Salesforce's default); the JWT bearer flow does not use it")
		case "isClientCredentialEnabled", "oauthClientCredentialUser":
			m.unmapped(p, e, "the client credentials flow: ExtlClntAppGlobalOauthSettings isClientCredentialsFlowEnabled and the policies' clientCredentialsFlowUser; byoc.yaml has no key for them")
		case "isCodeCredentialEnabled", "isCodeCredentialPostOnly":
			m.unmapped(p, e, "ExtlClntAppGlobalOauthSettings isCodeCredFlowEnabled / isCodeCredPostOnly; byoc.yaml has no key for them")
		case "assetTokenConfig":
			m.unmapped(p, e, "asset tokens: ExtlClntAppOauthSettings assetToken* fields; byoc.yaml has no key for them")
		default:
			m.unmapped(p, e, "no counterpart in byoc.yaml")
		}
	}
}

// callbacks keeps the first https callback URL; byoc.yaml takes one (the
// JWT bearer flow never calls it) and the rest are listed.
func (m *migration) callbacks(p string, e *etree.Element) {
	for _, u := range strings.Fields(e.Text()) {
		if secretLooking(e.Tag, u) {
			// A client secret in a query string, say.
			m.list(p, e.Tag, u, "")
			continue
		}
		if _, done := m.values["app.callbackUrl"]; !done && spec.CheckValue("app.callbackUrl", u) == "" {
			m.values["app.callbackUrl"] = u
			m.carry(p, "app.callbackUrl", u)
			continue
		}
		why := "byoc.yaml takes one callback URL (the JWT bearer flow never calls it)"
		if msg := spec.CheckValue("app.callbackUrl", u); msg != "" {
			why = "not carried: " + msg
		}
		m.list(p, e.Tag, u, why)
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

// scope maps a connected-app scope to the token the external client app
// writes in commaSeparatedOauthScopes; the two lists differ (SFAP is
// SFApiPlatform on an external client app).
func (m *migration) scope(p string, e *etree.Element) {
	v := text(e)
	token := v
	if v == "SFAP" {
		token = "SFApiPlatform"
	}
	if errMsg := spec.CheckValue("app.scopes", token); errMsg != "" {
		m.unmapped(p, e, fmt.Sprintf("the external client app's token is %s, which byoc.yaml does not know yet: add it to the app's OAuth settings in Setup", token))
		return
	}
	m.lists["app.scopes"] = append(m.lists["app.scopes"], token)
	m.carry(p, "app.scopes", token)
}

func (m *migration) oauthPolicy(op *etree.Element) {
	for _, e := range op.ChildElements() {
		p := "oauthPolicy/" + e.Tag
		v := text(e)
		switch e.Tag {
		case "ipRelaxation":
			eca := map[string]string{"ENFORCE": "Enforce", "BYPASS": "Bypass", "BYPASS_2FACTOR": "Bypass_2factor", "ENFORCE_RELAXREFRESH": "Enforce_RelaxRefresh"}[strings.ToUpper(v)]
			if eca == "Enforce" {
				m.carry(p, "the OAuth policies' ipRelaxationPolicyType", "Enforce (byocpack writes the same)")
			} else {
				m.unmapped(p, e, fmt.Sprintf("ExtlClntAppOauthConfigurablePolicies ipRelaxationPolicyType %s; byocpack writes Enforce and byoc.yaml has no key for it: the subscriber's admin sets it", orUnknown(eca)))
			}
		case "refreshTokenPolicy":
			if strings.EqualFold(v, "infinite") {
				m.carry(p, "the OAuth policies' refreshTokenPolicyType", "Infinite (byocpack writes the same)")
			} else {
				m.unmapped(p, e, "ExtlClntAppOauthConfigurablePolicies refreshTokenPolicyType with refreshTokenValidityPeriod and refreshTokenValidityUnit; byocpack writes Infinite and byoc.yaml has no key for it (the JWT bearer flow issues no refresh token)")
			}
		case "singleLogoutUrl", "isTokenExchangeFlowEnabled":
			m.unmapped(p, e, "ExtlClntAppOauthConfigurablePolicies "+e.Tag+"; byoc.yaml has no key for it")
		default:
			m.unmapped(p, e, "no counterpart in byoc.yaml")
		}
	}
}

func orUnknown(s string) string {
	if s == "" {
		return "(no equivalent value)"
	}
	return s
}

// header are the comment lines at the top of the spec: where it came
// from, what to complete, and every setting left behind.
func (m *migration) header() []string {
	h := []string{
		"",
		fmt.Sprintf("Migrated by `byocpack migrate` from the connected app %s to an external client app.", m.res.ConnectedApp),
		"Complete the channel block at the end (commented out) from your ConversationChannelDefinition:",
		fmt.Sprintf("its developerName is %s_{channel.name}. Then run byocpack build.", m.res.Prefix),
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
