package render

import "github.com/byocpack/byocpack/generator/spec"

// SpecKey returns the dotted key of the spec ("app", "channel.vendor")
// that a rendered file of metadata type typ (or, for a file that is not
// metadata, at path) comes from, or "" when none does: a finding in a
// rendered file is a finding in that part of the spec.
func SpecKey(path, typ string) string {
	switch typ {
	case spec.ConnectedApp, "ExternalClientApplication", "ExtlClntAppOauthSettings", globalOauthType,
		"ExtlClntAppConfigurablePolicies", "ExtlClntAppOauthConfigurablePolicies":
		return "app"
	case "CustomObject", "CustomField":
		return "channel.event"
	case "ConversationVendorInfo":
		return "channel.vendor"
	case "ConversationChannelDefinition":
		return "channel"
	}
	if path == "sfdx-project.json" {
		return "package"
	}
	return ""
}
