package validate

import (
	"slices"
	"strings"

	"byocpack/internal/diag"
	"byocpack/internal/secrets"
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
	RuleJWTNamedUser    = "BYOC-JWT-NAMED-USER"
	RuleCert            = "BYOC-CERT"
	RuleCertValidity    = "BYOC-CERT-VALIDITY"
	RuleOrgScopedID     = "BYOC-ORG-SCOPED-ID"
	docsFile            = "docs/rules.md"
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
	e, w := diag.Error, diag.Warning
	rules := []Rule{
		{RuleAPIVersionField, e, "a field outside the API-version window of the project's sourceApiVersion", "", false},
		{RuleAppPresence, e, "Partner channels need an app in the package; Customer channels must not ship one", "", true},
		{RuleBinaryFile, e, "a metadata file with NUL bytes or invalid UTF-8", "", false},
		{RuleCCDEventRefs, e, "channel definition event/field references that are malformed or do not resolve to the platform event", "", false},
		{RuleCCDOauthLink, e, "connectedAppOauthLink or customerConnectedAppOauthLink set in a channel definition", "", false},
		{RuleCCDVendor, e, "conversationVendorInfo that does not resolve to a BYOC ConversationVendorInfo", "", true},
		{RuleCert, e, "JWT certificate that does not parse, is not RSA or is under 2048 bits", "", false},
		{RuleCertValidity, w, "JWT certificate that is expired or not yet valid", "", false},
		{RuleConnectedApp1GP, w, "legacy connected app: first-generation packaging only, creation restricted since Spring '26", "", false},
		{RuleConsentRouting, e, "consentOwner/routingOwner/supportsKeywords combination Salesforce does not allow", "", false},
		{RuleDevNameMismatch, e, "developerName that differs from the file's component name", "", false},
		{RuleDoubleOptIn, e, "double opt-in without explicit consent, or on a Messaging channel", "", false},
		{RuleECAPackaged, e, "external client app in a package directory whose distributionState is not Packaged", "", false},
		{RuleECARef, e, "externalClientApplication reference that names no external client app in the project", "", true},
		{RuleEmptyFile, e, "an empty metadata file", "", false},
		{RuleImplicitConsent, e, "supportsImplicitConsent not true in a channel definition", "", false},
		{RuleJWTNamedUser, w, "OAuth app without JWT-based access tokens for named users or without a certificate", "", false},
		{RuleMalformedXML, e, "a metadata file that is not well-formed XML", "", false},
		{RuleNameFormat, e, "API name that is not letters, digits and single underscores starting with a letter", "", false},
		{RuleNamePrefix, e, "channel developerName and app API name that do not share the {prefix}_", "", true},
		{RuleNoConsumerKey, e, "consumerKey or consumerSecret in any file of a package directory, also inside archives", "", false},
		{RuleNoGlobalOauth, e, "ExtlClntAppGlobalOauthSettings in a package directory, whatever the file's name, also inside archives", "", false},
		{RuleNoPrivateKey, e, "a private key (PEM, DER, base64, keystore) in any file of a package directory, also inside archives", "", false},
		{RuleOrgScopedID, e, "orgScopedExternalApp or oauthLink not of the form 00D…:Name", "", false},
		{RuleScopes, e, "OAuth app without the Interaction and RefreshToken scopes", "", false},
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
