package spec

import "github.com/byocpack/byocpack/internal/apiver"

// FeatureSetting is one channel feature the spec sets, with the
// ConversationChannelDefinition fields that carry it.
type FeatureSetting struct {
	// Key is the feature's key under channel.features.
	Key   string
	Value bool
	// Fields are the candidate fields, newest name first: Salesforce
	// renamed some, and a file carries the first one its API version has.
	Fields []string
}

// Settings returns the features the spec sets, in the order of the spec's
// keys. The mapping from keys to fields lives here alone: the loader
// checks with it that the API version has a field for each feature, and
// the renderer writes with it.
func (f Features) Settings() []FeatureSetting {
	all := []struct {
		key    string
		value  *bool
		fields []string
	}{
		{"keywords", f.Keywords, []string{"supportsKeywords"}},
		{"explicitConsent", f.ExplicitConsent, []string{"supportsExplicitConsent"}},
		{"doubleOptInConsent", f.DoubleOptInConsent, []string{"supportsDoubleOptInConsent"}},
		{"isoCountryCode", f.IsoCountryCode, []string{"supportsIsoCountryCode"}},
		{"customChannelParameters", f.CustomChannelParameters, []string{"supportsCustomChannelParameters"}},
		{"inboundReceipts", f.InboundReceipts, []string{"isInboundAcknwOptionExposed", "isInboundReceiptsEnabled"}},
		{"typingIndicatorHidden", f.TypingIndicatorHidden, []string{"isTypingIndicatorOptionHidden", "isTypingIndicatorDisabled"}},
		{"conferenceSupported", f.ConferenceSupported, []string{"isConferenceSupported"}},
	}
	var out []FeatureSetting
	for _, a := range all {
		if a.value != nil {
			out = append(out, FeatureSetting{Key: a.key, Value: *a.value, Fields: a.fields})
		}
	}
	return out
}

// channelType is the metadata type the features are fields of.
const channelType = "ConversationChannelDefinition"

// ChannelType is the metadata type the features are fields of.
const ChannelType = channelType

// fieldAt returns the field that carries the feature at API version v, ""
// when v has none of its fields.
func (fs FeatureSetting) fieldAt(v apiver.Version) string {
	return apiver.FirstField(channelType, fs.Fields, v)
}

// since returns the first supported API version with one of the feature's
// fields (zero when none has).
func (fs FeatureSetting) since() apiver.Version {
	for _, v := range apiver.Supported() {
		if fs.fieldAt(v) != "" {
			return v
		}
	}
	return apiver.Version{}
}
