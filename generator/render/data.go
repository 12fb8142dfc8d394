package render

import (
	"strconv"

	"byocpack/generator/spec"
)

type ecaData struct {
	doc
	ContactEmail, Description, DistributionState, Label string
}

type ecaOauthData struct {
	doc
	App, Label string
	Scopes     []string
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
	FullName, Label, Type string
	Length, VisibleLines  int
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
func (c channelData) Flag(field string) string {
	v, ok := c.flags[field]
	if !ok {
		return ""
	}
	return strconv.FormatBool(v)
}

// channelFlags maps the spec's features to CCD fields. Where Salesforce
// renamed a field, the candidates are listed newest first and the first
// one the API version has is written.
func channelFlags(f spec.Features, d doc) map[string]bool {
	features := []struct {
		value  *bool
		fields []string
	}{
		{f.Keywords, []string{"supportsKeywords"}},
		{f.ExplicitConsent, []string{"supportsExplicitConsent"}},
		{f.DoubleOptInConsent, []string{"supportsDoubleOptInConsent"}},
		{f.IsoCountryCode, []string{"supportsIsoCountryCode"}},
		{f.CustomChannelParameters, []string{"supportsCustomChannelParameters"}},
		{f.InboundReceipts, []string{"isInboundAcknwOptionExposed", "isInboundReceiptsEnabled"}},
		{f.TypingIndicatorHidden, []string{"isTypingIndicatorOptionHidden", "isTypingIndicatorDisabled"}},
		{f.ConferenceSupported, []string{"isConferenceSupported"}},
	}
	flags := map[string]bool{}
	for _, feat := range features {
		if feat.value == nil {
			continue
		}
		for _, field := range feat.fields {
			if d.Has(field) {
				flags[field] = *feat.value
				break
			}
		}
	}
	return flags
}
