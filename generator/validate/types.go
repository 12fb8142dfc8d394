package validate

import (
	"path"
	"strings"
)

// Metadata type names the rules look at.
const (
	typeECA           = "ExternalClientApplication"
	typeOauthSettings = "ExtlClntAppOauthSettings"
	typeGlobalOauth   = "ExtlClntAppGlobalOauthSettings"
	typeOauthPolicies = "ExtlClntAppOauthConfigurablePolicies"
	typePolicies      = "ExtlClntAppConfigurablePolicies"
	typeConnectedApp  = "ConnectedApp"
	typeCCD           = "ConversationChannelDefinition"
	typeCVI           = "ConversationVendorInfo"
	typeCustomObject  = "CustomObject"
	typeCustomField   = "CustomField"
)

// suffixTypes maps the exact source-format suffix to its metadata type, as
// in source-deploy-retrieve's registry. The lookup is case-sensitive on
// purpose: sf is, and that mismatch is what BYOC-SUFFIX-CASE catches.
func suffixTypes() map[string]string {
	return map[string]string{
		"eca":                           typeECA,
		"ecaOauth":                      typeOauthSettings,
		"ecaGlblOauth":                  typeGlobalOauth,
		"ecaOauthPlcy":                  typeOauthPolicies,
		"ecaPlcy":                       typePolicies,
		"ecaOauthSecurity":              "ExtlClntAppOauthSecuritySettings",
		"ecaMobile":                     "ExtlClntAppMobileSettings",
		"ecaMobilePlcy":                 "ExtlClntAppMobileConfigurablePolicies",
		"ecaNotifications":              "ExtlClntAppNotificationSettings",
		"ecaPush":                       "ExtlClntAppPushSettings",
		"ecaPushPlcy":                   "ExtlClntAppPushConfigurablePolicies",
		"ecaSamlPlcy":                   "ExtlClntAppSamlConfigurablePolicies",
		"ecaCanvas":                     "ExtlClntAppCanvasSettings",
		"connectedApp":                  typeConnectedApp,
		"ConversationChannelDefinition": typeCCD,
		"ConversationVendorInformation": typeCVI,
		"object":                        typeCustomObject,
		"field":                         typeCustomField,
		"permissionset":                 "PermissionSet",
		"settings":                      "Settings",
	}
}

// splitMetaName splits "dir/Name.suffix-meta.xml" into "Name" and "suffix";
// ok is false for files that are not source-format metadata.
func splitMetaName(p string) (name, suffix string, ok bool) {
	base := path.Base(p)
	stem, found := strings.CutSuffix(base, "-meta.xml")
	if !found {
		return "", "", false
	}
	i := strings.LastIndexByte(stem, '.')
	if i <= 0 || i == len(stem)-1 {
		return "", "", false
	}
	return stem[:i], stem[i+1:], true
}

// TypeOf infers the metadata type of a source-format path from its suffix,
// exactly as sf does (case-sensitive). It returns "" when the suffix is not
// one byocpack knows.
func TypeOf(p string) string {
	_, suffix, ok := splitMetaName(p)
	if !ok {
		return ""
	}
	return suffixTypes()[suffix]
}

// fullName is the component name sf derives from a source path.
func fullName(p string) string {
	name, _, ok := splitMetaName(p)
	if !ok {
		return strings.TrimSuffix(path.Base(p), path.Ext(p))
	}
	return name
}

// caseMismatchSuffix returns the correctly cased suffix when p's suffix
// matches a known one only case-insensitively.
func caseMismatchSuffix(p string) (got, want string, ok bool) {
	_, suffix, found := splitMetaName(p)
	if !found {
		return "", "", false
	}
	known := suffixTypes()
	if _, exact := known[suffix]; exact {
		return "", "", false
	}
	for k := range known {
		if strings.EqualFold(k, suffix) {
			return suffix, k, true
		}
	}
	return "", "", false
}
