package validate

import (
	"slices"
	"strings"

	"github.com/byocpack/byocpack/internal/diag"
	"github.com/byocpack/byocpack/internal/secrets"
)

// Rule IDs. They are part of byocpack's interface (users grep for them and
// silence them by ID), so they never change once released.
const (
	RuleEmptyFile       = "BYOC-EMPTY-FILE"
	RuleBinaryFile      = "BYOC-BINARY-FILE"
	RuleMalformedXML    = "BYOC-MALFORMED-XML"
	RuleSuffixCase      = "BYOC-SUFFIX-CASE"
	RuleNameFormat      = "BYOC-NAME-FORMAT"
	RuleNamePrefix      = "BYOC-NAME-PREFIX"
	RuleDevNameMismatch = "BYOC-DEVNAME-MISMATCH"
	RuleScopes          = "BYOC-SCOPES"
	RuleAppPresence     = "BYOC-APP-PRESENCE"
	RuleECAPackaged     = "BYOC-ECA-PACKAGED"
	RuleECARef          = "BYOC-ECA-REF"
	RuleNoGlobalOauth   = string(secrets.GlobalOauth)
	RuleNoConsumerKey   = string(secrets.ConsumerKey)
	RuleNoPrivateKey    = string(secrets.PrivateKey)
	RuleUnscannable     = string(secrets.Unscannable)
	RuleCCDOauthLink    = "BYOC-CCD-OAUTH-LINK"
	RuleCCDEventRefs    = "BYOC-CCD-EVENT-REFS"
	RuleCCDVendor       = "BYOC-CCD-VENDOR"
	RuleImplicitConsent = "BYOC-CCD-IMPLICIT-CONSENT"
	RuleConsentRouting  = "BYOC-CCD-CONSENT-ROUTING"
	RuleDoubleOptIn     = "BYOC-CCD-DOUBLE-OPT-IN"
	RuleAPIVersionField = "BYOC-API-VERSION-FIELD"
	RuleConnectedApp1GP = "BYOC-CONNECTED-APP-1GP"
	// RuleConnectedAppStub judges the stub of a connected app released in
	// a first-generation package (internal/castub).
	RuleConnectedAppStub = "BYOC-CA-STUB"
	RuleJWTNamedUser     = "BYOC-JWT-NAMED-USER"
	RuleCert             = "BYOC-CERT"
	RuleCertValidity     = "BYOC-CERT-VALIDITY"
	RuleOrgScopedID      = "BYOC-ORG-SCOPED-ID"
	RuleScopeToken       = "BYOC-SCOPE-TOKEN"
	RuleRefreshToken     = "BYOC-REFRESH-TOKEN"
	RuleNoChannel        = "BYOC-NO-CHANNEL"
	RuleNamespace        = "BYOC-NAMESPACE"
	docsFile             = "docs/rules.md"
)

// Rule describes one check for the CLI's rule listing and for the docs.
type Rule struct {
	ID       string
	Severity diag.Severity
	// Summary is one line saying what the rule catches.
	Summary string
	// Anchor is the rule's section in the docs, "docs/rules.md#byoc-…".
	Anchor string
	// CrossFile rules need the whole project (Input.Project) and are
	// skipped otherwise.
	CrossFile bool
}

// Rules returns the rule catalogue, sorted by ID. A fresh slice each call,
// so callers may modify it.
func Rules() []Rule {
	e, w, i := diag.Error, diag.Warning, diag.Info
	rules := []Rule{
		{RulePlaceholder, w, "a template placeholder (###REPLACE_ME###, REPLACE_…, YOUR_…, \"email\") as the whole value of an email, URL, user name, endpoint or run-as field", "", false},
		{RuleAPIVersionField, e, "a field outside the API-version window of the project's sourceApiVersion", "", false},
		{RuleAppPresence, e, "a Partner channel's app missing from the package, or a Customer channel's app in it", "", true},
		{RuleBinaryFile, e, "a metadata file with NUL bytes or invalid UTF-8", "", false},
		{RuleCCDEventRefs, e, "channel definition event/field references that are malformed or do not resolve to the platform event", "", false},
		{RuleCCDOauthLink, e, "connectedAppOauthLink or customerConnectedAppOauthLink set in a channel definition", "", false},
		{RuleCCDVendor, e, "conversationVendorInfo that does not resolve to a BYOC ConversationVendorInfo", "", true},
		{RuleConnectedAppStub, e, "a connected app stub (developerName, version) with other elements, a developerName not {namespace}__{name}, or a version not like 1.0", "", false},
		{RuleCert, e, "a certificate that does not parse; for a Partner channel's app, one that is not RSA 2048 or more", "", false},
		{RuleCertValidity, w, "a Partner channel's app whose JWT certificate is expired or not yet valid", "", true},
		{RuleConnectedApp1GP, w, "connected app in a package directory: first-generation packaging only, creation restricted since Spring '26", "", false},
		{RuleConsentRouting, e, "consentOwner/routingOwner/supportsKeywords combination Salesforce does not allow", "", false},
		{RuleDevNameMismatch, e, "developerName that differs from the file's component name", "", false},
		{RuleDoubleOptIn, e, "double opt-in without explicit consent, or on a Messaging channel", "", false},
		{RuleECAPackaged, w, "a Partner channel's external client app that is not Packaged, so it can't go into a managed package", "", true},
		{RuleECARef, e, "externalClientApplication reference that names no external client app in the project", "", true},
		{RuleEmptyFile, e, "an empty metadata file", "", false},
		{RuleImplicitConsent, e, "supportsImplicitConsent not true in a channel definition", "", false},
		{RuleJWTNamedUser, w, "a Partner channel's app without JWT-based access tokens for named users or without a certificate", "", true},
		{RuleMalformedXML, e, "a metadata file that is not well-formed XML", "", false},
		{RuleNameFormat, e, "API name that is not letters, digits and single underscores starting with a letter", "", false},
		{RuleNamePrefix, e, "a Partner channel whose developerName shares its {prefix}_ with no app in the package", "", true},
		{RuleNamespace, w, "a project whose package directory carries a channel definition, but whose sfdx-project.json has no namespace, which a managed package needs", "", true},
		{RuleNoChannel, i, "a project with OAuth apps and no channel definition, so no BYOC app rule ran", "", true},
		{RuleNoConsumerKey, e, "consumerKey or consumerSecret in any file of a package directory, also inside archives", "", false},
		{RuleNoGlobalOauth, e, "ExtlClntAppGlobalOauthSettings in a package directory, whatever the file's name, also inside archives", "", false},
		{RuleNoPrivateKey, e, "a private key (PEM, DER, base64, keystore) in any file of a package directory, also inside archives", "", false},
		{RuleOrgScopedID, e, "orgScopedExternalApp or oauthLink not of the form 00D…:Name", "", false},
		{RuleRefreshToken, w, "a Partner channel's external client app without RefreshToken whose users self-authorize", "", true},
		{RuleScopeToken, e, "an OAuth scope token Salesforce does not know at the project's API version (a warning above the newest bundled WSDL)", "", false},
		{RuleScopes, e, "a Partner channel's app without the Interaction scope (a connected app: and RefreshToken)", "", true},
		{RuleSuffixCase, e, "file suffix that matches a metadata suffix only case-insensitively", "", false},
		{RuleUnscannable, e, "an archive in a package directory too large, too deep, broken or encrypted to be checked for secrets", "", false},
	}
	slices.SortFunc(rules, func(a, b Rule) int { return strings.Compare(a.ID, b.ID) })
	for i := range rules {
		rules[i].Anchor = docsFile + "#" + strings.ToLower(rules[i].ID)
	}
	return rules
}

// severities indexes the catalogue so rule code only names the ID and the
// catalogue stays the single place a severity is decided.
func severities() map[string]diag.Severity {
	m := make(map[string]diag.Severity)
	for _, r := range Rules() {
		m[r.ID] = r.Severity
	}
	return m
}
