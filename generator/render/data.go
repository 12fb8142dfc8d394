package render

import (
	"strconv"

	"byocpack/generator/spec"
	"byocpack/internal/apiver"
)

type ecaData struct {
	doc
	ContactEmail, Description, DistributionState, Label string
}

type ecaOauthData struct {
	doc
	// Scopes is the comma-and-space list a retrieve writes.
	App, Label, Scopes string
}

type ecaGlobalData struct {
	doc
	App, Label, CallbackURL, Certificate string
}

type ecaOauthPolicyData struct {
	doc
	App, Label, PermittedUsers string
	Profiles, PermissionSets   []string
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
}

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
		if field := set.FieldAt(version); field != "" {
			flags[field] = set.Value
		}
	}
	return flags
}
