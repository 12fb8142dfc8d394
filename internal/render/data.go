package render

import (
	"strconv"
	"strings"

	"github.com/byocpack/byocpack/generator/spec"
	"github.com/byocpack/byocpack/internal/apiver"
)

type ecaData struct {
	doc
	ContactEmail, Description, DistributionState, Label string
	// OrgScopedExternalApp is empty unless the spec carries one.
	OrgScopedExternalApp string
}

type ecaOauthData struct {
	doc
	// Scopes is the comma-and-space list a retrieve writes.
	App, Label, Scopes string
	// OAuthLink is empty unless the spec carries one.
	OAuthLink string
}

type ecaGlobalData struct {
	doc
	// CallbackURL holds every callback URL, one per line.
	App, Label, CallbackURL, Certificate string
	// PKCE and SecretForRefreshToken are "true" or "false", or "" to keep
	// Salesforce's default.
	PKCE, SecretForRefreshToken string
	// NamedUserJWT and ClientCredentials are written only when on:
	// absent is off.
	NamedUserJWT, ClientCredentials bool
}

type ecaOauthPolicyData struct {
	doc
	App, Label, PermittedUsers string
	Profiles, PermissionSets   []string
	ClientCredentials          bool
	spec.Policies
}

type ecaPolicyData struct {
	doc
	App, Label string
}

type connectedAppData struct {
	doc
	ContactEmail, Description, Label, CallbackURL, Certificate string
	AdminApproved                                              bool
	Scopes, Profiles, PermissionSets                           []string
	// PKCE and SecretForRefreshToken are "true" or "false", or "" to keep
	// Salesforce's default.
	PKCE, SecretForRefreshToken string
	// IPRelaxation and RefreshTokenPolicy are the connected app's
	// spellings: ENFORCE, specific_lifetime:90:DAYS.
	IPRelaxation, RefreshTokenPolicy string
	NamedUserJWT, ClientCredentials  bool
	ClientCredentialsUser            string
}

// connectedAppStubData is the stub that references a connected app
// released in a first-generation package: developerName is
// {namespace}__{API name}.
type connectedAppStubData struct {
	doc
	DeveloperName, Label, Version string
}

func (connectedAppStubData) template() string { return "ConnectedAppStub" }

type eventData struct {
	doc
	Label, PluralLabel string
}

type fieldData struct {
	doc
	APIName, Label, Type string
	Length, VisibleLines int
}

type vendorData struct {
	doc
	DeveloperName, MasterLabel, VendorType string
}

type channelData struct {
	doc
	ConnectedAppType, ConsentOwner, RoutingOwner       string
	VendorInfo, PlatformEvent, TypeField, PayloadField string
	DeveloperName, MasterLabel                         string
	flags                                              map[string]bool
}

// optBool is "true" or "false" for a value the spec set, "" otherwise.
func optBool(b *bool) string {
	if b == nil {
		return ""
	}
	return strconv.FormatBool(*b)
}

// connectedAppIPRelaxation spells an external client app's IP relaxation
// (Enforce_RelaxRefresh) as a connected app's oauthPolicy does
// (ENFORCE_RELAXREFRESH).
func connectedAppIPRelaxation(v string) string { return strings.ToUpper(v) }

// connectedAppRefreshTokenPolicy packs an external client app's refresh
// token policy, validity and unit into a connected app's one string:
// infinite, zero, specific_lifetime:90:DAYS, specific_inactivity:7:DAYS.
func connectedAppRefreshTokenPolicy(p spec.Policies) string {
	switch p.RefreshTokenPolicy {
	case "SpecificLifetime":
		return "specific_lifetime:" + p.RefreshTokenValidity + ":" + strings.ToUpper(p.RefreshTokenValidityUnit)
	case "SpecificInactivity":
		return "specific_inactivity:" + p.RefreshTokenValidity + ":" + strings.ToUpper(p.RefreshTokenValidityUnit)
	}
	return strings.ToLower(p.RefreshTokenPolicy)
}

// Flag returns "true" or "false" for a feature the spec set and this API
// version has, and "" otherwise, so the template leaves the element out.
func (c channelData) Flag(field string) (string, error) {
	if _, err := c.Has(field); err != nil {
		return "", err
	}
	v, ok := c.flags[field]
	if !ok {
		return "", nil
	}
	return strconv.FormatBool(v), nil
}

// channelFlags maps the spec's features to the CCD fields of the API
// version: where Salesforce renamed a field, the name the version has.
func channelFlags(f spec.Features, version apiver.Version) map[string]bool {
	flags := map[string]bool{}
	for _, set := range f.Settings() {
		if field := apiver.FirstField(spec.ChannelType, set.Fields, version); field != "" {
			flags[field] = set.Value
		}
	}
	return flags
}
