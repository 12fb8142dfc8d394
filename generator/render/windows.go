package render

// window is the range of Metadata API versions in which a field exists;
// to == 0 means it still exists in the newest version.
type window struct{ from, to int }

// fieldWindows lists the fields byocpack renders that do not exist in
// every supported API version (metadata-types.md §4, §5; checked against
// the WSDLs by TestFieldWindowsMatchWSDL). A field outside its window is
// left out of the file.
func fieldWindows() map[string]window {
	return map[string]window{
		"ConversationChannelDefinition.connectedAppType":                {62, 0},
		"ConversationChannelDefinition.supportsCustomChannelParameters": {61, 0},
		"ConversationChannelDefinition.isInboundReceiptsEnabled":        {63, 65},
		"ConversationChannelDefinition.isTypingIndicatorDisabled":       {63, 65},
		"ConversationChannelDefinition.isConferenceSupported":           {64, 0},
		"ConversationChannelDefinition.isInboundAcknwOptionExposed":     {65, 0},
		"ConversationChannelDefinition.isTypingIndicatorOptionHidden":   {65, 0},
		"ExtlClntAppGlobalOauthSettings.isNamedUserJwtEnabled":          {61, 0},
		"ExtlClntAppGlobalOauthSettings.certificate":                    {60, 0},
	}
}

// doc is embedded in every template's data: it knows the metadata type
// and API version being rendered, so templates can ask whether a field
// exists.
type doc struct {
	typ     string
	version int
}

// Has reports whether the field exists in this type at this API version.
func (d doc) Has(field string) bool {
	w, gated := fieldWindows()[d.typ+"."+field]
	if !gated {
		return true
	}
	return d.version >= w.from && (w.to == 0 || d.version <= w.to)
}
