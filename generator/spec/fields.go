package spec

import "github.com/byocpack/byocpack/internal/apiver"

// kind is the YAML shape a key takes.
type kind int

const (
	kindString kind = iota
	kindBool
	kindStringList
	kindObject
	// kindObjectList is a list of objects with the same fields (channels).
	kindObjectList
)

// field defines one key of byoc.yaml. The loader, the defaults, the JSON
// Schema and the commented file `byocpack init` writes are all read from
// these definitions.
type field struct {
	key  string
	doc  string
	kind kind
	// required keys have no default: the spec must say.
	required bool
	// def is the default: a string, a bool or a []string.
	def any
	// enum lists the allowed values of a string or of each list item.
	enum []string
	// check returns "" for a good value or a message that says what is
	// wrong and how to fix it. It sees each item of a list.
	check func(string) string
	// number lets an unquoted YAML number stand for the string (apiVersion:
	// 66.0 means "66.0").
	number bool
	// unique forbids repeated list items.
	unique bool
	// example is shown by init and in the JSON Schema.
	example string
	// multiline allows tabs and line breaks in the value.
	multiline bool
	// pattern is the JSON Schema pattern of a string value, for editors;
	// check is what the loader applies.
	pattern string
	fields  []*field
}

// The fields app and customerApp share.

func appTypeField(doc string) *field {
	return &field{key: "type", kind: kindString, def: ExternalClientApplication, enum: []string{ExternalClientApplication, ConnectedApp}, doc: doc}
}

func appLabelField() *field {
	return &field{key: "label", kind: kindString, def: "", check: checkOptionalLabel, doc: `Label; defaults to "{prefix} {name}".`}
}

// DefaultCallbackURL is the callback URL the external client app's
// procedure recommends "to start with".
const DefaultCallbackURL = "https://login.salesforce.com"

// DefaultCallbackURLFor is the callback URL an app of appType gets when
// the spec names none: each app type's procedure recommends its own
// ("https://salesforce.com" in the connected app's).
func DefaultCallbackURLFor(appType string) string {
	if appType == ConnectedApp {
		return "https://salesforce.com"
	}
	return DefaultCallbackURL
}

func callbackURLField() *field {
	return &field{key: "callbackUrl", kind: kindString, def: DefaultCallbackURL, check: checkURL, example: DefaultCallbackURL,
		doc: "OAuth callback URL (the JWT bearer flow does not call it, but Salesforce requires one). Default: what each app type's procedure recommends, https://login.salesforce.com for an ExternalClientApplication, https://salesforce.com for a ConnectedApp."}
}

func scopesField() *field {
	return &field{key: "scopes", kind: kindStringList, enum: scopeInputs(), unique: true, example: "[interaction_api]",
		doc: "OAuth scopes, as Setup names (interaction_api) or Metadata API names (Interaction). Default: [interaction_api] for an ExternalClientApplication, [interaction_api, refresh_token] for a ConnectedApp; Interaction is required, and a ConnectedApp needs RefreshToken too."}
}

func userPolicyFields() []*field {
	return []*field{
		{key: "permittedUsers", kind: kindString, def: "AdminApprovedPreAuthorized", enum: []string{"AdminApprovedPreAuthorized", "AllSelfAuthorized"},
			doc: "AdminApprovedPreAuthorized: only users of the listed profiles and permission sets (what the Interaction Service needs)."},
		{key: "profiles", kind: kindStringList, def: []string{"System Administrator"}, check: checkPolicyName("Profile"), unique: true,
			doc: "Pre-authorized profile names."},
		{key: "permissionSets", kind: kindStringList, def: []string{}, check: checkPolicyName("PermissionSet"), unique: true,
			doc: "Pre-authorized permission sets, as a retrieve names them: the API name (ns__Name for a packaged one) or the label."},
	}
}

// SupportedAPIVersions returns the Metadata API versions byocpack renders
// and validates, oldest first: the WSDLs the schemas are generated from
// (internal/apiver holds the one list).
func SupportedAPIVersions() []string {
	var out []string
	for _, v := range apiver.Supported() {
		out = append(out, v.String())
	}
	return out
}

// LatestAPIVersion is the newest supported version, the default.
func LatestAPIVersion() string { return apiver.Latest().String() }

// specFields is a function rather than a variable so that no package-level
// state can be changed by a caller.
func specFields() []*field {
	namePart := func(what string) func(string) string {
		return func(v string) string { return checkNamePart(what, v) }
	}
	return []*field{
		{key: "prefix", kind: kindString, required: true, check: checkPrefix, example: "Partner1",
			doc: "Shared by the app's API name ({prefix}_{app.name}) and the channel's developerName ({prefix}_{channel.name})."},
		{key: "package", kind: kindObject, required: true, doc: "The second-generation managed package and its Salesforce DX project.", fields: []*field{
			{key: "name", kind: kindString, required: true, check: checkLabel, example: "Partner1 Messaging",
				doc: "2GP package name, written to sfdx-project.json."},
			{key: "namespace", kind: kindString, def: "", check: checkNamespace, example: "partner1",
				doc: "Registered namespace prefix of the Dev Hub; empty for a package without a namespace."},
			{key: "path", kind: kindString, def: "force-app", check: checkRelDir, example: "force-app",
				doc: "Package directory, relative to the output directory."},
			{key: "sourceOrgPath", kind: kindString, def: "source-org", check: checkRelDir, example: "source-org",
				doc: "Non-packaged directory for what stays in the org that owns the app (the Dev Hub): global OAuth settings and policies."},
			{key: "versionNumber", kind: kindString, def: "1.0.0.NEXT", check: checkVersionNumber, example: "1.0.0.NEXT",
				doc: "Package version number major.minor.patch.build; build may be NEXT."},
			{key: "versionName", kind: kindString, def: "", example: "ver 1.0", doc: "Optional package version name."},
			{key: "versionDescription", kind: kindString, def: "", multiline: true, doc: "Optional package version description."},
			{key: "apiVersion", kind: kindString, def: LatestAPIVersion(), enum: SupportedAPIVersions(), number: true, example: `"66.0"`,
				doc: "sourceApiVersion: picks the schema and which fields exist."},
			{key: "definitionFile", kind: kindString, check: checkRelFile,
				doc: "Scratch org definition sf package version create builds its validation org from (definitionFile in sfdx-project.json), relative to the output directory; the file is yours."},
		}},
		{key: "app", kind: kindObject, doc: "The Interaction Service OAuth app. Required when channel.connectedAppType is Partner; must be absent when it is Customer.", fields: []*field{
			appTypeField("ExternalClientApplication (recommended, 2GP) or ConnectedApp (the legacy path)."),
			{key: "name", kind: kindString, required: true, check: namePart("app.name"), example: "ExternalClientApp1",
				doc: "App name; the API name is {prefix}_{name}."},
			appLabelField(),
			{key: "contactEmail", kind: kindString, required: true, check: checkEmail, example: "dev@partner1.example",
				doc: "Email address Salesforce uses to contact the app's admin."},
			{key: "description", kind: kindString, def: "", example: "Interaction Service integration", multiline: true, doc: "Optional description."},
			callbackURLField(),
			{key: "callbackUrls", kind: kindStringList, check: checkURL, unique: true, example: "[https://login.salesforce.com, https://test.salesforce.com]",
				doc: "Several OAuth callback URLs instead of callbackUrl, written one per line as Setup does."},
			scopesField(),
			{key: "certificate", kind: kindString, required: true, check: checkCertPath, example: "certs/server.crt",
				doc: "PEM X.509 certificate (public part only) for the JWT bearer flow, relative to this file."},
			{key: "distributionState", kind: kindString, def: "Packaged", enum: []string{"Local", "Packaged"},
				doc: "ExternalClientApplication only: Packaged to ship it in a 2GP package, Local for an app that stays in the org it is deployed to (no package version can be built)."},
			{key: "pkceRequired", kind: kindBool,
				doc: "isPkceRequired: require PKCE (Proof Key for Code Exchange) in the authorization code flow; unset keeps Salesforce's default, false."},
			{key: "secretRequiredForRefreshToken", kind: kindBool,
				doc: "isSecretRequiredForRefreshToken: require the consumer secret in the refresh token flow (Setup: \"Require secret for Refresh Token Flow\"); unset keeps Salesforce's default. The JWT bearer flow issues no refresh token, so only a refresh_token app uses it."},
			{key: "namedUserJwt", kind: kindBool,
				doc: "isNamedUserJwtEnabled: issue JSON Web Token (JWT)-based access tokens for named users. Default: true for a ConnectedApp (its procedure's step 7), false for an ExternalClientApplication (its procedure does not ask for it); turn it on if the Interaction API refuses calls made with a valid token."},
			{key: "clientCredentialsFlow", kind: kindBool,
				doc: "Enable the client credentials flow (isClientCredentialsFlowEnabled; a ConnectedApp's isClientCredentialEnabled) beside the JWT bearer flow; the Interaction Service does not use it. Unset: off. Needs policies.clientCredentialsUser."},
			{key: "orgScopedExternalApp", kind: kindString,
				doc: "ExternalClientApplication only: the Dev Hub identifier 00D…:{prefix}_{name} a retrieve of the app carries; unset lets Salesforce generate it."},
			{key: "oauthLink", kind: kindString,
				doc: "ExternalClientApplication only: the 00D…:{consumer ID} a retrieve of the OAuth settings carries (it ties subscribers to the Dev Hub's global settings); never invent it, unset until the first deploy."},
			{key: "releasedVersion", kind: kindString, number: true, check: checkReleasedVersion, pattern: `^(0|[1-9][0-9]{0,8})\.[0-9]{1,9}$`,
				doc: "ConnectedApp only: the version, in decimal formatting such as \"1.0\", of the connected app as released in a first-generation managed package with package.namespace. The package then carries the stub that references that app (developerName {namespace}__{prefix}_{name}, label, version) instead of the app, and a 2GP package version can be built; the other app keys still describe the released app for SETUP.md and are not rendered."},
			{key: "policies", kind: kindObject, doc: "Who may use the app.", fields: append(userPolicyFields(),
				&field{key: "ipRelaxation", kind: kindString, def: "Enforce", enum: []string{"Enforce", "Enforce_RelaxRefresh", "Bypass_2factor", "Bypass"},
					doc: "IP relaxation, Salesforce's default Enforce (enforce IP restrictions); Enforce_RelaxRefresh relaxes them for refresh tokens, Bypass_2factor for activated devices, Bypass relaxes them."},
				&field{key: "refreshTokenPolicy", kind: kindString, def: "Infinite", enum: []string{"Infinite", "Zero", "SpecificLifetime", "SpecificInactivity"},
					doc: "Refresh token policy, Salesforce's default Infinite (valid until revoked); Zero expires it immediately; SpecificLifetime and SpecificInactivity need refreshTokenValidity."},
				&field{key: "refreshTokenValidity", kind: kindString, number: true, check: checkPositiveInt,
					doc: "With SpecificLifetime or SpecificInactivity: how many refreshTokenValidityUnit the refresh token lives."},
				&field{key: "refreshTokenValidityUnit", kind: kindString, def: "Days", enum: []string{"Hours", "Days", "Months"},
					doc: "The unit of refreshTokenValidity."},
				&field{key: "clientCredentialsUser", kind: kindString, check: checkUsername,
					doc: "With clientCredentialsFlow: the username (in the form of an email address) of the Run As user the client credentials flow issues tokens for (clientCredentialsFlowUser; a ConnectedApp's oauthClientCredentialUser). For an ExternalClientApplication the policies stay in the org that owns the app; a subscriber's admin sets their own."},
				&field{key: "sessionLevel", kind: kindString, enum: sessionLevels(),
					doc: "ExternalClientApplication only: requiredSessionLevel, the session security level the app requires, such as HIGH_ASSURANCE; unset requires none."},
				&field{key: "sessionLevelAction", kind: kindString, enum: []string{"RaiseSessionLevel", "Block"},
					doc: "ExternalClientApplication only, with sessionLevel: policyAction, what happens to a session below it (RaiseSessionLevel asks the user to raise it, Block refuses)."},
			)},
		}},
		{key: "customerApp", kind: kindObject, doc: "With channel.connectedAppType Customer only: the OAuth app the customer's admin creates, as ADMIN-SETUP.md describes it. Never rendered as metadata; every key has a default.", fields: []*field{
			appTypeField("ExternalClientApplication (recommended) or ConnectedApp, the kind of app the admin creates."),
			{key: "name", kind: kindString, def: "BYOC", check: namePart("customerApp.name"),
				doc: "App name the admin enters as \"{prefix} {name}\"; Salesforce makes the API name {prefix}_{name}, whose prefix links it to the channel."},
			appLabelField(),
			callbackURLField(),
			scopesField(),
			{key: "policies", kind: kindObject, doc: "Who may use the app.", fields: userPolicyFields()},
		}},
		{key: "channel", kind: kindObject, fields: channelFields(namePart),
			doc: "The ConversationChannelDefinition and what it references. Required, unless channels lists several."},
		{key: "channels", kind: kindObjectList, fields: channelFields(namePart),
			doc: "Several channels in one package instead of channel, each with the keys of channel: they share the prefix (and the app), and may share or have their own event and vendor (the same name is one record)."},
	}
}

// channelFields are the keys of one channel, under channel or each item
// of channels.
func channelFields(namePart func(string) func(string) string) []*field {
	apiName := func(what string) func(string) string {
		return func(v string) string { return checkAPIName(what, v) }
	}
	return []*field{
		{key: "name", kind: kindString, required: true, check: namePart("channel.name"), example: "ChannelDefinition1",
			doc: "Channel name; the developerName is {prefix}_{name}."},
		{key: "label", kind: kindString, required: true, check: checkLabel, example: "Partner1 Messaging",
			doc: "masterLabel shown in Setup; include the channel's name."},
		{key: "connectedAppType", kind: kindString, def: Partner, enum: []string{Partner, Customer},
			doc: "Partner: the app ships in this package. Customer: no app in the package; the customer's admin creates it."},
		{key: "vendor", kind: kindObject, required: true, doc: "The ConversationVendorInfo record.", fields: []*field{
			{key: "name", kind: kindString, required: true, check: apiName("vendor.name"), example: "Vendor1", doc: "developerName of the vendor record."},
			{key: "label", kind: kindString, def: "", check: checkOptionalLabel, doc: "masterLabel; defaults to the name."},
			{key: "type", kind: kindString, required: true, enum: []string{"BringYourOwnChannelPartner", "BringYourOwnContactCenter"}, example: "BringYourOwnChannelPartner",
				doc: "BringYourOwnChannelPartner (Messaging) or BringYourOwnContactCenter (CCaaS)."},
		}},
		{key: "event", kind: kindObject, required: true, doc: "The custom platform event Salesforce publishes outbound messages on.", fields: []*field{
			{key: "name", kind: kindString, required: true, check: apiNameNoSuffix("event.name", "__e"), example: "Message_Event", doc: "Event name without __e."},
			{key: "label", kind: kindString, def: "", check: checkOptionalLabel, doc: "Label; defaults to the name with spaces for underscores."},
			{key: "typeField", kind: kindString, def: "EventType", check: apiNameNoSuffix("event.typeField", "__c"), doc: "Text field holding the event type, without __c."},
			{key: "payloadField", kind: kindString, def: "Payload", check: apiNameNoSuffix("event.payloadField", "__c"), doc: "Long text field holding the payload, without __c."},
		}},
		{key: "routingOwner", kind: kindString, def: "Salesforce", enum: []string{"Salesforce", "Partner"}, doc: "Who routes conversations; Salesforce for BYOC Messaging."},
		{key: "consentOwner", kind: kindString, def: "Salesforce", enum: []string{"Salesforce", "Partner"}, doc: "Who owns consent; Salesforce for BYOC Messaging."},
		{key: "features", kind: kindObject, doc: "Optional capabilities; a key left out keeps Salesforce's default.", fields: []*field{
			{key: "keywords", kind: kindBool, doc: "supportsKeywords: opt-in and opt-out keywords (Salesforce-owned consent)."},
			{key: "explicitConsent", kind: kindBool, doc: "supportsExplicitConsent."},
			{key: "doubleOptInConsent", kind: kindBool, doc: "supportsDoubleOptInConsent: needs explicitConsent; CCaaS only."},
			{key: "isoCountryCode", kind: kindBool, doc: "supportsIsoCountryCode."},
			{key: "customChannelParameters", kind: kindBool, doc: "supportsCustomChannelParameters."},
			{key: "inboundReceipts", kind: kindBool, doc: "Read and delivery receipts for inbound messages (isInboundReceiptsEnabled in API 63.0-64.0, isInboundAcknwOptionExposed from 65.0)."},
			{key: "typingIndicatorHidden", kind: kindBool, doc: "Hide the outbound typing indicator option (isTypingIndicatorDisabled in API 63.0-64.0, isTypingIndicatorOptionHidden from 65.0)."},
			{key: "conferenceSupported", kind: kindBool, doc: "isConferenceSupported (API 64.0 and later)."},
		}},
	}
}
