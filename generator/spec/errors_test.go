package spec

import (
	"fmt"
	"os"
	"slices"
	"strings"
	"testing"
	"testing/fstest"
)

type errCase struct {
	name string
	// edits are old/new pairs applied to baseSpec; raw replaces it.
	edits []string
	raw   *string
	// cert replaces the certificate's bytes; noCert removes the file.
	cert   []byte
	noCert bool
	want   []string
}

func str(s string) *string { return &s }

const w = "byoc.yaml:"

func errCases(t *testing.T) []errCase {
	key := privateKeyPEM(t)
	cert := fixtureCert(t)
	legacy, err := os.ReadFile("../../fixtures/legacy1/certs/server.crt")
	if err != nil {
		t.Fatal(err)
	}
	ccaas := []string{"type: BringYourOwnChannelPartner", "type: BringYourOwnContactCenter"}
	return []errCase{
		// Unknown keys, at every level.
		{name: "unknown top-level typo", edits: []string{"prefix: Partner1\n", "prefix: Partner1\nprefx: Partner1\n"}, want: []string{
			w + "2:1: error spec: prefx: unknown key (did you mean \"prefix\"?); valid keys at the top level are prefix, package, app, customerApp, channel, channels",
		}},
		{name: "unknown top-level no match", edits: []string{"prefix: Partner1\n", "prefix: Partner1\ncolor: blue\n"}, want: []string{
			w + "2:1: error spec: color: unknown key; valid keys at the top level are prefix, package, app, customerApp, channel, channels",
		}},
		{name: "unknown package typo", edits: []string{"  versionNumber:", "  versionNumbr:"}, want: []string{
			w + "5:3: error spec: package.versionNumbr: unknown key (did you mean \"versionNumber\"?); valid keys under package are name, namespace, path, sourceOrgPath, versionNumber, versionName, versionDescription, apiVersion, definitionFile",
		}},
		{name: "unknown app typo", edits: []string{"  contactEmail:", "  contactEmial:"}, want: []string{
			w + "8:3: error spec: app.contactEmail: missing required key; add contactEmail: dev@partner1.example (Email address Salesforce uses to contact the app's admin)",
			w + "9:3: error spec: app.contactEmial: unknown key (did you mean \"contactEmail\"?); valid keys under app are type, name, label, contactEmail, description, callbackUrl, callbackUrls, scopes, certificate, distributionState, pkceRequired, secretRequiredForRefreshToken, namedUserJwt, clientCredentialsFlow, orgScopedExternalApp, oauthLink, releasedVersion, policies",
		}},
		{name: "unknown app no match", edits: []string{"  callbackUrl: https://login.salesforce.com\n", "  callbackUrl: https://login.salesforce.com\n  secret: s3cr3t\n"}, want: []string{
			w + "11:3: error spec: app.secret: unknown key; valid keys under app are type, name, label, contactEmail, description, callbackUrl, callbackUrls, scopes, certificate, distributionState, pkceRequired, secretRequiredForRefreshToken, namedUserJwt, clientCredentialsFlow, orgScopedExternalApp, oauthLink, releasedVersion, policies",
		}},
		{name: "unknown policies typo", edits: []string{"    profiles:", "    permissionSet: [Perm1]\n    profiles:"}, want: []string{
			w + "15:5: error spec: app.policies.permissionSet: unknown key (did you mean \"permissionSets\"?); valid keys under app.policies are permittedUsers, profiles, permissionSets, ipRelaxation, refreshTokenPolicy, refreshTokenValidity, refreshTokenValidityUnit, clientCredentialsUser, sessionLevel, sessionLevelAction",
		}},
		{name: "unknown channel typo", edits: []string{"  label:", "  lable:"}, want: []string{
			w + "17:3: error spec: channel.label: missing required key; add label: Partner1 Messaging (masterLabel shown in Setup; include the channel's name)",
			w + "18:3: error spec: channel.lable: unknown key (did you mean \"label\"?); valid keys under channel are name, label, connectedAppType, vendor, event, routingOwner, consentOwner, features",
		}},
		{name: "unknown vendor typo", edits: []string{"    type: BringYourOwnChannelPartner", "    type: BringYourOwnChannelPartner\n    tpye: x"}, want: []string{
			w + "22:5: error spec: channel.vendor.tpye: unknown key (did you mean \"type\"?); valid keys under channel.vendor are name, label, type",
		}},
		{name: "unknown event typo", edits: []string{"    payloadField:", "    payloadFeild:"}, want: []string{
			w + "25:5: error spec: channel.event.payloadFeild: unknown key (did you mean \"payloadField\"?); valid keys under channel.event are name, label, typeField, payloadField",
		}},
		{name: "unknown feature typo", edits: []string{"    keywords: true", "    keyword: true"}, want: []string{
			w + "27:5: error spec: channel.features.keyword: unknown key (did you mean \"keywords\"?); valid keys under channel.features are keywords, explicitConsent, doubleOptInConsent, isoCountryCode, customChannelParameters, inboundReceipts, typingIndicatorHidden, conferenceSupported",
		}},
		{name: "unknown key case slip", edits: []string{"  callbackUrl:", "  callbackURL:"}, want: []string{
			w + "10:3: error spec: app.callbackURL: unknown key (did you mean \"callbackUrl\"?); valid keys under app are type, name, label, contactEmail, description, callbackUrl, callbackUrls, scopes, certificate, distributionState, pkceRequired, secretRequiredForRefreshToken, namedUserJwt, clientCredentialsFlow, orgScopedExternalApp, oauthLink, releasedVersion, policies",
		}},

		// Duplicate keys.
		{name: "duplicate top-level key", edits: []string{"prefix: Partner1\n", "prefix: Partner1\nprefix: Partner2\n"}, want: []string{
			w + "2:1: error spec: prefix: the key appears twice; keep one",
		}},
		{name: "duplicate nested key", edits: []string{"    name: Vendor1\n", "    name: Vendor1\n    name: Vendor2\n"}, want: []string{
			w + "21:5: error spec: channel.vendor.name: the key appears twice; keep one",
		}},

		// Wrong types.
		{name: "number for text", edits: []string{"prefix: Partner1", "prefix: 123"}, want: []string{
			w + "1:9: error spec: prefix: expected text, found the number 123; quote it if you mean the text: \"123\"",
		}},
		{name: "float for text", edits: []string{"versionNumber: 1.0.0.NEXT", "versionNumber: 1.0"}, want: []string{
			w + "5:18: error spec: package.versionNumber: expected text, found the number 1.0; quote it if you mean the text: \"1.0\"",
		}},
		{name: "list for text", edits: []string{"  name: Partner1 Messaging", "  name: [Partner1, Messaging]"}, want: []string{
			w + "3:9: error spec: package.name: expected text, found a list; give name: Partner1 Messaging (2GP package name, written to sfdx-project.json)",
		}},
		{name: "mapping for text", edits: []string{"  contactEmail: dev@partner1.example", "  contactEmail: {address: dev@partner1.example}"}, want: []string{
			w + "9:17: error spec: app.contactEmail: expected text, found a mapping; give contactEmail: dev@partner1.example (Email address Salesforce uses to contact the app's admin)",
		}},
		{name: "boolean for text", edits: []string{"  name: ChannelDefinition1", "  name: true"}, want: []string{
			w + "17:9: error spec: channel.name: expected text, found a boolean; give name: ChannelDefinition1 (Channel name; the developerName is {prefix}_{name})",
		}},
		{name: "text for list", edits: []string{"  scopes: [interaction_api, refresh_token]", "  scopes: interaction_api"}, want: []string{
			w + "11:11: error spec: app.scopes: expected a list such as [interaction_api], found a string",
		}},
		{name: "number in list", edits: []string{"    profiles: [System Administrator]", "    profiles: [System Administrator, 42]"}, want: []string{
			w + "15:38: error spec: app.policies.profiles[1]: expected text, found the number 42; quote it if you mean the text: \"42\"",
		}},
		{name: "text for boolean", edits: []string{"keywords: true", "keywords: \"yes\""}, want: []string{
			w + "27:15: error spec: channel.features.keywords: expected true or false, found a string",
		}},
		{name: "number for boolean", edits: []string{"keywords: true", "keywords: 1"}, want: []string{
			w + "27:15: error spec: channel.features.keywords: expected true or false, found a number",
		}},
		{name: "list for mapping", edits: []string{"  vendor:\n    name: Vendor1\n    type: BringYourOwnChannelPartner\n", "  vendor: [Vendor1]\n"}, want: []string{
			w + "19:11: error spec: channel.vendor: expected a mapping of keys, found a list",
		}},
		{name: "text for mapping", edits: []string{"  features:\n    keywords: true\n", "  features: keywords\n"}, want: []string{
			w + "26:13: error spec: channel.features: expected a mapping of keys, found a string",
		}},
		{name: "top level is a list", raw: str("- prefix: Partner1\n"), want: []string{
			w + "1:1: error spec: expected a mapping of keys at the top level, found a list; start from `byocpack init`",
		}},
		{name: "control character in a label", edits: []string{"  label: Partner1 Messaging", `  label: "Partner1\u0001 Messaging"`}, want: []string{
			w + "18:10: error spec: channel.label: contains the control character U+0001, which metadata XML cannot carry; remove it",
		}},
		{name: "line break in a one-line label", edits: []string{"  label: Partner1 Messaging", `  label: "Partner1\nMessaging"`}, want: []string{
			w + "18:10: error spec: channel.label: contains the control character U+000A, which metadata XML cannot carry; remove it",
		}},
		{name: "label length counts characters, not bytes", edits: []string{"  label: Partner1 Messaging", "  label: " + strings.Repeat("é", 81)}, want: []string{
			w + "18:10: error spec: channel.label: \"" + strings.Repeat("é", 81) + "\" is 81 characters long; Salesforce labels allow at most 80",
		}},
		{name: "app label leaves no room for the settings labels", edits: []string{"  name: ExternalClientApp1\n", "  name: ExternalClientApp1\n  label: " + strings.Repeat("L", 59) + "\n"}, want: []string{
			w + "9:10: error spec: app.label: the app's label \"" + strings.Repeat("L", 59) + "\" is 59 characters long; the settings files add up to 22 characters to it and Salesforce labels allow 80, so keep it to 58 (set app.label)",
		}},
		{name: "certificate outside the spec's directory", edits: []string{"certificate: certs/server.crt", "certificate: ../certs/server.crt"}, want: []string{
			w + "12:16: error spec: app.certificate: \"../certs/server.crt\" leaves the spec's directory; keep the certificate beside the spec, such as certs/server.crt",
		}},
		{name: "app is not a mapping", edits: []string{baseSpec[strings.Index(baseSpec, "app:"):strings.Index(baseSpec, "channel:")], "app: 3\n"}, want: []string{
			w + "7:6: error spec: app: expected a mapping of keys, found a number",
		}},

		// Missing required values, at every level.
		{name: "missing prefix", edits: []string{"prefix: Partner1\n", ""}, want: []string{
			w + "1:1: error spec: prefix: missing required key; add prefix: Partner1 (Shared by the app's API name ({prefix}_{app.name}) and the channel's developerName ({prefix}_{channel.name}))",
		}},
		{name: "missing package", edits: []string{"package:\n  name: Partner1 Messaging\n  namespace: partner1\n  versionNumber: 1.0.0.NEXT\n  apiVersion: \"66.0\"\n", ""}, want: []string{
			w + "1:1: error spec: package: missing required key; add package (The second-generation managed package and its Salesforce DX project)",
		}},
		{name: "missing package.name", edits: []string{"  name: Partner1 Messaging\n", ""}, want: []string{
			w + "3:3: error spec: package.name: missing required key; add name: Partner1 Messaging (2GP package name, written to sfdx-project.json)",
		}},
		{name: "missing app.name", edits: []string{"  name: ExternalClientApp1\n", ""}, want: []string{
			w + "8:3: error spec: app.name: missing required key; add name: ExternalClientApp1 (App name; the API name is {prefix}_{name})",
		}},
		{name: "missing app.contactEmail", edits: []string{"  contactEmail: dev@partner1.example\n", ""}, want: []string{
			w + "8:3: error spec: app.contactEmail: missing required key; add contactEmail: dev@partner1.example (Email address Salesforce uses to contact the app's admin)",
		}},
		{name: "missing app.certificate", edits: []string{"  certificate: certs/server.crt\n", ""}, want: []string{
			w + "8:3: error spec: app.certificate: missing required key; add certificate: certs/server.crt (PEM X.509 certificate (public part only) for the JWT bearer flow, relative to this file)",
		}},
		{name: "missing channel", edits: []string{baseSpec[strings.Index(baseSpec, "channel:"):], ""}, want: []string{
			w + "1:1: error spec: channel: missing required key; add channel (the ConversationChannelDefinition and what it references), or channels for several",
		}},
		{name: "missing channel.name", edits: []string{"  name: ChannelDefinition1\n", ""}, want: []string{
			w + "17:3: error spec: channel.name: missing required key; add name: ChannelDefinition1 (Channel name; the developerName is {prefix}_{name})",
		}},
		{name: "missing channel.label", edits: []string{"  label: Partner1 Messaging\n", ""}, want: []string{
			w + "17:3: error spec: channel.label: missing required key; add label: Partner1 Messaging (masterLabel shown in Setup; include the channel's name)",
		}},
		{name: "missing channel.vendor", edits: []string{"  vendor:\n    name: Vendor1\n    type: BringYourOwnChannelPartner\n", ""}, want: []string{
			w + "17:3: error spec: channel.vendor: missing required key; add vendor (The ConversationVendorInfo record)",
		}},
		{name: "missing vendor.name", edits: []string{"    name: Vendor1\n", ""}, want: []string{
			w + "20:5: error spec: channel.vendor.name: missing required key; add name: Vendor1 (developerName of the vendor record)",
		}},
		{name: "missing vendor.type", edits: []string{"    type: BringYourOwnChannelPartner\n", ""}, want: []string{
			w + "20:5: error spec: channel.vendor.type: missing required key; add type: BringYourOwnChannelPartner (BringYourOwnChannelPartner (Messaging) or BringYourOwnContactCenter (CCaaS))",
		}},
		{name: "missing event.name", edits: []string{"    name: Message_Event\n", ""}, want: []string{
			w + "23:5: error spec: channel.event.name: missing required key; add name: Message_Event (Event name without __e)",
		}},
		{name: "empty vendor mapping", edits: []string{"  vendor:\n    name: Vendor1\n    type: BringYourOwnChannelPartner\n", "  vendor:\n"}, want: []string{
			w + "19:3: error spec: channel.vendor.name: missing required key; add name: Vendor1 (developerName of the vendor record)",
			w + "19:3: error spec: channel.vendor.type: missing required key; add type: BringYourOwnChannelPartner (BringYourOwnChannelPartner (Messaging) or BringYourOwnContactCenter (CCaaS))",
		}},
		{name: "null prefix", edits: []string{"prefix: Partner1", "prefix:"}, want: []string{
			w + "1:1: error spec: prefix: no value; give prefix: Partner1 (Shared by the app's API name ({prefix}_{app.name}) and the channel's developerName ({prefix}_{channel.name}))",
		}},
		{name: "null contactEmail", edits: []string{"  contactEmail: dev@partner1.example", "  contactEmail: ~"}, want: []string{
			w + "9:3: error spec: app.contactEmail: no value; give contactEmail: dev@partner1.example (Email address Salesforce uses to contact the app's admin)",
		}},
		{name: "null event.name", edits: []string{"    name: Message_Event", "    name: null"}, want: []string{
			w + "23:5: error spec: channel.event.name: no value; give name: Message_Event (Event name without __e)",
		}},
		{name: "empty string required", edits: []string{"  label: Partner1 Messaging", "  label: \"\""}, want: []string{
			w + "18:10: error spec: channel.label: the value is empty; give a label",
		}},

		// API names.
		{name: "api name leading digit", edits: []string{"prefix: Partner1", "prefix: 1Partner"}, want: []string{
			w + "1:9: error spec: prefix: prefix \"1Partner\" is not a valid API name; start with a letter and use only letters, digits and single underscores",
		}},
		// The validator reads the prefix as the text before the first _.
		{name: "prefix with underscore", edits: []string{"prefix: Partner1", "prefix: Acme_Corp"}, want: []string{
			w + "1:9: error spec: prefix: prefix \"Acme_Corp\" contains \"_\"; Salesforce's procedure defines the prefix as the text before the first \"_\" of the app's API name, so Acme_Corp_{name} would have the prefix \"Acme\" (and byocpack validate reads it so); write it without \"_\", such as \"AcmeCorp\"",
		}},
		{name: "api name double underscore", edits: []string{"  name: ExternalClientApp1", "  name: External__App"}, want: []string{
			w + "8:9: error spec: app.name: app.name \"External__App\" contains a double underscore, which Salesforce reads as a namespace separator; use single underscores",
		}},
		{name: "api name trailing underscore", edits: []string{"  name: ChannelDefinition1", "  name: Channel_"}, want: []string{
			w + "17:9: error spec: channel.name: channel.name \"Channel_\" ends with an underscore; remove it",
		}},
		{name: "api name space", edits: []string{"    name: Vendor1", "    name: Vendor 1"}, want: []string{
			w + "20:11: error spec: channel.vendor.name: vendor.name \"Vendor 1\" is not a valid API name; start with a letter and use only letters, digits and single underscores",
		}},
		{name: "api name too long", edits: []string{"    name: Vendor1", "    name: " + strings.Repeat("V", 41)}, want: []string{
			w + "20:11: error spec: channel.vendor.name: vendor.name \"VVVVVVVVVVVVVVVVVVVVVVVVVVVVVVVVVVVVVVVVV\" is 41 characters long; Salesforce allows at most 40",
		}},
		{name: "api name 40 is fine for vendor", edits: []string{"    name: Vendor1", "    name: " + strings.Repeat("V", 40)}},
		{name: "combined app name too long", edits: []string{"prefix: Partner1", "prefix: " + strings.Repeat("P", 20), "  name: ExternalClientApp1", "  name: " + strings.Repeat("A", 20)}, want: []string{
			w + "8:9: error spec: app.name: the app's API name \"PPPPPPPPPPPPPPPPPPPP_AAAAAAAAAAAAAAAAAAAA\" is 41 characters long; Salesforce allows at most 40, shorten prefix or app.name",
		}},
		{name: "combined channel name too long", edits: []string{"  name: ChannelDefinition1", "  name: " + strings.Repeat("C", 32)}, want: []string{
			w + "17:9: error spec: channel.name: the developerName \"Partner1_CCCCCCCCCCCCCCCCCCCCCCCCCCCCCCCC\" is 41 characters long; Salesforce allows at most 40, shorten prefix or channel.name",
		}},
		{name: "permission set name", edits: []string{"    profiles: [System Administrator]", "    profiles: [System Administrator]\n    permissionSets: [\"Perm, Set\"]"}, want: []string{
			w + "16:22: error spec: app.policies.permissionSets[0]: \"Perm, Set\" contains a comma, which the external client app's commaSeparatedPermissionSet reads as two names; pre-authorize it in Setup, or rename it",
		}},

		// Namespace, paths, version number, email, URL.
		{name: "bad namespace", edits: []string{"namespace: partner1", "namespace: partner-1"}, want: []string{
			w + "4:14: error spec: package.namespace: namespace \"partner-1\" is not a valid namespace prefix; use up to 15 letters, digits and single underscores, starting with a letter, or leave it empty",
		}},
		{name: "namespace too long", edits: []string{"namespace: partner1", "namespace: " + strings.Repeat("n", 16)}, want: []string{
			w + "4:14: error spec: package.namespace: namespace \"nnnnnnnnnnnnnnnn\" is not a valid namespace prefix; use up to 15 letters, digits and single underscores, starting with a letter, or leave it empty",
		}},
		{name: "absolute path", edits: []string{"  namespace: partner1\n", "  namespace: partner1\n  path: /force-app\n"}, want: []string{
			w + "5:9: error spec: package.path: \"/force-app\" must be a path inside the output directory, such as force-app",
		}},
		{name: "dotdot path", edits: []string{"  namespace: partner1\n", "  namespace: partner1\n  path: ../force-app\n"}, want: []string{
			w + "5:9: error spec: package.path: \"../force-app\" must be a path inside the output directory, such as force-app",
		}},
		{name: "backslash path", edits: []string{"  namespace: partner1\n", "  namespace: partner1\n  sourceOrgPath: source\\org\n"}, want: []string{
			w + "5:18: error spec: package.sourceOrgPath: \"source\\\\org\" uses backslashes; use forward slashes",
		}},
		{name: "dot path", edits: []string{"  namespace: partner1\n", "  namespace: partner1\n  path: .\n"}, want: []string{
			w + "5:9: error spec: package.path: \".\" is the output directory itself; give a subdirectory such as force-app",
		}},
		{name: "unclean path", edits: []string{"  namespace: partner1\n", "  namespace: partner1\n  path: force-app/./main\n"}, want: []string{
			w + "5:9: error spec: package.path: \"force-app/./main\" is not a clean path; write \"force-app/main\"",
		}},
		{name: "sourceOrgPath inside path", edits: []string{"  namespace: partner1\n", "  namespace: partner1\n  sourceOrgPath: force-app/org\n"}, want: []string{
			w + "5:18: error spec: package.sourceOrgPath: \"force-app/org\" overlaps the package directory \"force-app\", so Dev Hub-only files would be packaged; choose a separate directory such as source-org",
		}},
		{name: "path inside sourceOrgPath", edits: []string{"  namespace: partner1\n", "  namespace: partner1\n  path: source-org/pkg\n"}, want: []string{
			w + "5:9: error spec: package.path: \"source-org/pkg\" overlaps sourceOrgPath \"source-org\" (the default), so Dev Hub-only files would be packaged; choose a separate directory such as force-app",
		}},
		{name: "same path twice", edits: []string{"  namespace: partner1\n", "  namespace: partner1\n  path: pkg\n  sourceOrgPath: pkg\n"}, want: []string{
			w + "6:18: error spec: package.sourceOrgPath: \"pkg\" overlaps the package directory \"pkg\", so Dev Hub-only files would be packaged; choose a separate directory such as source-org",
		}},
		{name: "bad versionNumber", edits: []string{"versionNumber: 1.0.0.NEXT", "versionNumber: 1.0.0.next"}, want: []string{
			w + "5:18: error spec: package.versionNumber: version number \"1.0.0.next\" is not major.minor.patch.build; write it like 1.0.0.NEXT or 1.2.0.4",
		}},
		{name: "versionNumber leading zero", edits: []string{"versionNumber: 1.0.0.NEXT", "versionNumber: 01.0.0.1"}, want: []string{
			w + "5:18: error spec: package.versionNumber: version number \"01.0.0.1\" is not major.minor.patch.build; write it like 1.0.0.NEXT or 1.2.0.4",
		}},
		{name: "email without domain dot", edits: []string{"contactEmail: dev@partner1.example", "contactEmail: dev@partner1"}, want: []string{
			w + "9:17: error spec: app.contactEmail: \"dev@partner1\" is not an email address; write it like dev@partner1.example",
		}},
		{name: "email with display name", edits: []string{"contactEmail: dev@partner1.example", "contactEmail: Dev <dev@partner1.example>"}, want: []string{
			w + "9:17: error spec: app.contactEmail: \"Dev <dev@partner1.example>\" is not an email address; write it like dev@partner1.example",
		}},
		{name: "http callback", edits: []string{"callbackUrl: https://login.salesforce.com", "callbackUrl: http://login.salesforce.com"}, want: []string{
			w + "10:16: error spec: app.callbackUrl: \"http://login.salesforce.com\" is not an https URL; write it like https://login.salesforce.com",
		}},
		{name: "callback without host", edits: []string{"callbackUrl: https://login.salesforce.com", "callbackUrl: login.salesforce.com"}, want: []string{
			w + "10:16: error spec: app.callbackUrl: \"login.salesforce.com\" is not an https URL; write it like https://login.salesforce.com",
		}},

		// Scopes.
		{name: "unknown scope", edits: []string{"[interaction_api, refresh_token]", "[interaction, refresh_token]"}, want: []string{
			w + "11:12: error spec: app.scopes[0]: \"interaction\" is not allowed (did you mean \"Interaction\"?); use one of api, web, full, chatter_api, refresh_token, openid, profile, email, address, phone, offline_access, custom_permissions, wave_api, eclair_api, pardot_api, lightning, content, cdp_ingest_api, cdp_profile_api, cdp_query_api, chatbot_api, cdp_segment_api, cdp_identityresolution_api, cdp_calculated_insight_api, forgot_password, user_registration_api, sfap_api, interaction_api, cdp_api, einstein_gpt_api, pwdless_login_api",
		}},
		{name: "scope case slip", edits: []string{"[interaction_api, refresh_token]", "[interaction_api, Refresh_Token]"}, want: []string{
			w + "11:29: error spec: app.scopes[1]: \"Refresh_Token\" is not allowed (did you mean \"refresh_token\"?); use one of api, web, full, chatter_api, refresh_token, openid, profile, email, address, phone, offline_access, custom_permissions, wave_api, eclair_api, pardot_api, lightning, content, cdp_ingest_api, cdp_profile_api, cdp_query_api, chatbot_api, cdp_segment_api, cdp_identityresolution_api, cdp_calculated_insight_api, forgot_password, user_registration_api, sfap_api, interaction_api, cdp_api, einstein_gpt_api, pwdless_login_api",
		}},
		{name: "scope typo", edits: []string{"[interaction_api, refresh_token]", "[interaction_api, refresh_tokn]"}, want: []string{
			w + "11:29: error spec: app.scopes[1]: \"refresh_tokn\" is not allowed (did you mean \"refresh_token\"?); use one of api, web, full, chatter_api, refresh_token, openid, profile, email, address, phone, offline_access, custom_permissions, wave_api, eclair_api, pardot_api, lightning, content, cdp_ingest_api, cdp_profile_api, cdp_query_api, chatbot_api, cdp_segment_api, cdp_identityresolution_api, cdp_calculated_insight_api, forgot_password, user_registration_api, sfap_api, interaction_api, cdp_api, einstein_gpt_api, pwdless_login_api",
		}},
		{name: "scope repeated in both spellings", edits: []string{"[interaction_api, refresh_token]", "[interaction_api, Interaction, refresh_token]"}, want: []string{
			w + "11:29: error spec: app.scopes[1]: \"Interaction\" repeats app.scopes[0]; list it once",
		}},
		{name: "scope lacks Interaction", edits: []string{"[interaction_api, refresh_token]", "[refresh_token, api]"}, want: []string{
			w + "11:11: error spec: app.scopes: lacks interaction_api; the Interaction Service needs it (without interaction_api every call fails with error 10003 \"missing the required Connected App scope\"); add it to the list",
		}},
		{name: "connected app lacks RefreshToken", edits: []string{"app:\n", "app:\n  type: ConnectedApp\n", "[interaction_api, refresh_token]", "[Interaction]"}, want: []string{
			w + "12:11: error spec: app.scopes: lacks refresh_token; Salesforce's connected-app procedure for the Interaction Service asks for it (\"Perform requests at any time\"); add it to the list",
		}},
		{name: "no scopes", edits: []string{"[interaction_api, refresh_token]", "[]"}, want: []string{
			w + "11:11: error spec: app.scopes: lacks interaction_api; the Interaction Service needs it (without interaction_api every call fails with error 10003 \"missing the required Connected App scope\"); add it to the list",
		}},
		{name: "scope newer than apiVersion", edits: []string{`apiVersion: "66.0"`, `apiVersion: "65.0"`, "[interaction_api, refresh_token]", "[interaction_api, MCP]"}, want: []string{
			w + "11:29: error spec: app.scopes[1]: MCP needs API version 66.0 or later, but package.apiVersion is 65.0; raise apiVersion or remove the scope",
		}},
		{name: "external client app spelling for a connected app", edits: []string{"app:\n", "app:\n  type: ConnectedApp\n", "[interaction_api, refresh_token]", "[interaction_api, refresh_token, SFApiPlatform]"}, want: []string{}},

		{name: "definitionFile outside", edits: []string{`  apiVersion: "66.0"`, "  apiVersion: \"66.0\"\n  definitionFile: ../scratch.json"}, want: []string{
			w + "7:19: error spec: package.definitionFile: \"../scratch.json\" must be a file inside the output directory, such as config/project-scratch-def.json",
		}},

		// Optional app settings.
		{name: "callbackUrl and callbackUrls", edits: []string{"  scopes:", "  callbackUrls: [https://a.example]\n  scopes:"}, want: []string{
			w + "11:17: error spec: app.callbackUrls: and callbackUrl are both set; keep one (callbackUrls for several URLs)",
		}},
		{name: "callbackUrls bad item", edits: []string{"  callbackUrl: https://login.salesforce.com", "  callbackUrls: [https://a.example, ftp://b.example]"}, want: []string{
			w + "10:37: error spec: app.callbackUrls[1]: \"ftp://b.example\" is not an https URL; write it like https://login.salesforce.com",
		}},
		{name: "callbackUrls empty", edits: []string{"  callbackUrl: https://login.salesforce.com", "  callbackUrls: []"}, want: []string{
			w + "10:17: error spec: app.callbackUrls: is empty; give at least one https URL, or remove it for the default https://login.salesforce.com",
		}},
		{name: "orgScopedExternalApp placeholder", edits: []string{"  scopes:", "  orgScopedExternalApp: YOUR_15_CHAR_ORG_ID:BYOC\n  scopes:"}, want: []string{
			w + "11:25: error spec: app.orgScopedExternalApp: \"YOUR_15_CHAR_ORG_ID:BYOC\" is not [Organization_ID]:[External_Client_App_Name] (00D…:Partner1_ExternalClientApp1); copy the value a retrieve of the app shows, or remove the key so Salesforce generates it",
		}},
		{name: "orgScopedExternalApp of another app", edits: []string{"  scopes:", "  orgScopedExternalApp: 00D5g000004xyzAEAQ:Other_App\n  scopes:"}, want: []string{
			w + "11:25: error spec: app.orgScopedExternalApp: names \"Other_App\" but the app's API name is Partner1_ExternalClientApp1; use 00D…:Partner1_ExternalClientApp1 or remove the key",
		}},
		{name: "oauthLink without org", edits: []string{"  scopes:", "  oauthLink: \"888000000000001\"\n  scopes:"}, want: []string{
			w + "11:14: error spec: app.oauthLink: \"888000000000001\" is not [Organization_ID]:[Oauth_Consumer_ID] (00D…:888…); copy the value a retrieve of the OAuth settings shows, or remove the key",
		}},
		{name: "external client app settings on a connected app", edits: []string{"app:\n", "app:\n  type: ConnectedApp\n", "  scopes:", "  oauthLink: 00D5g000004xyzA:888000000000001\n  scopes:", "    profiles:", "    sessionLevel: HIGH_ASSURANCE\n    profiles:"}, want: []string{
			w + "12:14: error spec: app.oauthLink: applies to ExternalClientApplication only; remove it for a ConnectedApp",
			w + "17:19: error spec: app.policies.sessionLevel: applies to ExternalClientApplication only; remove it for a ConnectedApp",
		}},
		// The stub of a connected app released in a first-generation package.
		{name: "releasedVersion on an external client app", edits: []string{"  scopes:", "  releasedVersion: \"1.0\"\n  scopes:"}, want: []string{
			w + "11:20: error spec: app.releasedVersion: applies to ConnectedApp only (it packages the stub of a connected app released in a first-generation package); remove it for an ExternalClientApplication, which a 2GP package carries itself",
		}},
		{name: "releasedVersion without namespace", edits: []string{"  namespace: partner1\n", "", "app:\n", "app:\n  type: ConnectedApp\n  releasedVersion: \"1.0\"\n"}, want: []string{
			w + "8:20: error spec: app.releasedVersion: the stub needs the namespace of the first-generation package the connected app was released in (its developerName is {namespace}__Partner1_ExternalClientApp1), but package.namespace is empty; set package.namespace to that namespace",
		}},
		{name: "releasedVersion a whole number", edits: []string{"app:\n", "app:\n  type: ConnectedApp\n  releasedVersion: 1\n"}, want: []string{
			w + "9:20: error spec: app.releasedVersion: \"1\" is not a connected app version in decimal formatting; write the version the connected app had when it was added to the first-generation package, such as \"1.0\" or \"2.3\" (not 1, v1.0 or 1.0.0)",
		}},
		{name: "releasedVersion with a v", edits: []string{"app:\n", "app:\n  type: ConnectedApp\n  releasedVersion: v1.0\n"}, want: []string{
			w + "9:20: error spec: app.releasedVersion: \"v1.0\" is not a connected app version in decimal formatting; write the version the connected app had when it was added to the first-generation package, such as \"1.0\" or \"2.3\" (not 1, v1.0 or 1.0.0)",
		}},
		{name: "releasedVersion of three parts", edits: []string{"app:\n", "app:\n  type: ConnectedApp\n  releasedVersion: 1.0.0\n"}, want: []string{
			w + "9:20: error spec: app.releasedVersion: \"1.0.0\" is not a connected app version in decimal formatting; write the version the connected app had when it was added to the first-generation package, such as \"1.0\" or \"2.3\" (not 1, v1.0 or 1.0.0)",
		}},
		{name: "releasedVersion unquoted", edits: []string{"app:\n", "app:\n  type: ConnectedApp\n  releasedVersion: 2.3\n"}, want: []string{}},
		{name: "specific lifetime without validity", edits: []string{"    profiles:", "    refreshTokenPolicy: SpecificLifetime\n    profiles:"}, want: []string{
			w + "15:25: error spec: app.policies.refreshTokenPolicy: SpecificLifetime needs refreshTokenValidity (and refreshTokenValidityUnit, Days by default); add it, such as refreshTokenValidity: 90",
		}},
		{name: "validity with Infinite", edits: []string{"    profiles:", "    refreshTokenValidity: 90\n    profiles:"}, want: []string{
			w + "15:27: error spec: app.policies.refreshTokenValidity: applies only with refreshTokenPolicy SpecificLifetime or SpecificInactivity, but the policy is Infinite; remove it or change the policy",
		}},
		{name: "validity zero", edits: []string{"    profiles:", "    refreshTokenPolicy: SpecificInactivity\n    refreshTokenValidity: 0\n    profiles:"}, want: []string{
			w + "16:27: error spec: app.policies.refreshTokenValidity: \"0\" is not a whole number of 1 or more; write it like 90",
		}},
		{name: "session action without level", edits: []string{"    profiles:", "    sessionLevelAction: Block\n    profiles:"}, want: []string{
			w + "15:25: error spec: app.policies.sessionLevelAction: needs sessionLevel, the level a session must reach; add sessionLevel: HIGH_ASSURANCE or remove it",
		}},

		// API version.
		{name: "apiVersion too old", edits: []string{`apiVersion: "66.0"`, `apiVersion: "61.0"`}, want: []string{
			w + "6:15: error spec: package.apiVersion: \"61.0\" is not allowed; use one of 62.0, 63.0, 64.0, 65.0, 66.0",
		}},
		{name: "apiVersion too new", edits: []string{`apiVersion: "66.0"`, `apiVersion: 67.0`}, want: []string{
			w + "6:15: error spec: package.apiVersion: \"67.0\" is not allowed; use one of 62.0, 63.0, 64.0, 65.0, 66.0",
		}},
		{name: "apiVersion words", edits: []string{`apiVersion: "66.0"`, `apiVersion: sixty`}, want: []string{
			w + "6:15: error spec: package.apiVersion: \"sixty\" is not allowed; use one of 62.0, 63.0, 64.0, 65.0, 66.0",
		}},
		{name: "apiVersion integer", edits: []string{`apiVersion: "66.0"`, `apiVersion: 66`}, want: []string{
			w + "6:15: error spec: package.apiVersion: \"66\" is not allowed (did you mean \"66.0\"?); use one of 62.0, 63.0, 64.0, 65.0, 66.0",
		}},

		// Rules that span keys.
		{name: "app with Customer", edits: []string{"  label: Partner1 Messaging\n", "  label: Partner1 Messaging\n  connectedAppType: Customer\n"}, want: []string{
			w + "7:1: error spec: app: must be absent when channel.connectedAppType is Customer, because the customer's admin creates the app and the package must not carry one; remove the app block, or set connectedAppType: Partner",
		}},
		{name: "no app with Partner", edits: []string{baseSpec[strings.Index(baseSpec, "app:"):strings.Index(baseSpec, "channel:")], "", "  label: Partner1 Messaging\n", "  label: Partner1 Messaging\n  connectedAppType: Partner\n"}, want: []string{
			w + "10:21: error spec: channel.connectedAppType: is Partner (the default), so the package must carry the app, but the spec has no app block; add app (byocpack init shows one), or set connectedAppType: Customer",
		}},
		{name: "no app, Partner by default", edits: []string{baseSpec[strings.Index(baseSpec, "app:"):strings.Index(baseSpec, "channel:")], ""}, want: []string{
			w + "8:3: error spec: channel.connectedAppType: is Partner (the default), so the package must carry the app, but the spec has no app block; add app (byocpack init shows one), or set connectedAppType: Customer",
		}},
		{name: "distributionState on ConnectedApp", edits: []string{"  name: ExternalClientApp1\n", "  type: ConnectedApp\n  name: ExternalClientApp1\n  distributionState: Packaged\n"}, want: []string{
			w + "10:22: error spec: app.distributionState: applies to ExternalClientApplication only; remove it for a ConnectedApp",
		}},
		{name: "Messaging with routingOwner Partner", edits: []string{"  label: Partner1 Messaging\n", "  label: Partner1 Messaging\n  routingOwner: Partner\n"}, want: []string{
			w + "19:17: error spec: channel.routingOwner: must be Salesforce for BYOC for Messaging (vendor type BringYourOwnChannelPartner); Partner ownership is for BYOC for CCaaS (BringYourOwnContactCenter)",
		}},
		{name: "Messaging with consentOwner Partner", edits: []string{"  label: Partner1 Messaging\n", "  label: Partner1 Messaging\n  consentOwner: Partner\n", "    keywords: true\n", ""}, want: []string{
			w + "19:17: error spec: channel.consentOwner: must be Salesforce for BYOC for Messaging (vendor type BringYourOwnChannelPartner); Partner ownership is for BYOC for CCaaS (BringYourOwnContactCenter)",
		}},
		{name: "doubleOptIn without explicitConsent", edits: append(slices.Clone(ccaas), "    keywords: true", "    doubleOptInConsent: true"), want: []string{
			w + "27:25: error spec: channel.features.doubleOptInConsent: needs explicitConsent: true; add it, or remove doubleOptInConsent",
		}},
		{name: "doubleOptIn with explicitConsent false", edits: append(slices.Clone(ccaas), "    keywords: true", "    doubleOptInConsent: true\n    explicitConsent: false"), want: []string{
			w + "27:25: error spec: channel.features.doubleOptInConsent: needs explicitConsent: true; add it, or remove doubleOptInConsent",
		}},
		{name: "doubleOptIn with Messaging", edits: []string{"    keywords: true", "    doubleOptInConsent: true\n    explicitConsent: true"}, want: []string{
			w + "27:25: error spec: channel.features.doubleOptInConsent: double opt-in is not supported for BYOC for Messaging, only for CCaaS (BringYourOwnContactCenter); remove it",
		}},
		{name: "keywords with consentOwner Partner", edits: append(slices.Clone(ccaas), "  label: Partner1 Messaging\n", "  label: Partner1 Messaging\n  consentOwner: Partner\n"), want: []string{
			w + "28:15: error spec: channel.features.keywords: must be false when consentOwner is Partner (the Consent API fails with error 10023 when keywords are on); remove it or set consentOwner: Salesforce",
		}},
		{name: "features need newer apiVersion", edits: []string{`apiVersion: "66.0"`, `apiVersion: "62.0"`, "    keywords: true", "    inboundReceipts: true\n    typingIndicatorHidden: false\n    conferenceSupported: true"}, want: []string{
			w + "27:22: error spec: channel.features.inboundReceipts: needs API version 63.0 or later, but package.apiVersion is 62.0; raise apiVersion or remove the key",
			w + "28:28: error spec: channel.features.typingIndicatorHidden: needs API version 63.0 or later, but package.apiVersion is 62.0; raise apiVersion or remove the key",
			w + "29:26: error spec: channel.features.conferenceSupported: needs API version 64.0 or later, but package.apiVersion is 62.0; raise apiVersion or remove the key",
		}},
		{name: "conference needs 64.0", edits: []string{`apiVersion: "66.0"`, `apiVersion: 63.0`, "    keywords: true", "    inboundReceipts: true\n    conferenceSupported: false"}, want: []string{
			w + "28:26: error spec: channel.features.conferenceSupported: needs API version 64.0 or later, but package.apiVersion is 63.0; raise apiVersion or remove the key",
		}},
		{name: "typeField equals payloadField", edits: []string{"payloadField: Payload", "payloadField: EventType"}, want: []string{
			w + "25:19: error spec: channel.event.payloadField: is the same field as typeField (EventType); give the payload its own field, such as Payload",
		}},
		{name: "event name with __e", edits: []string{"name: Message_Event", "name: Message_Event__e"}, want: []string{
			w + "23:11: error spec: channel.event.name: event.name \"Message_Event__e\" carries the __e suffix; write \"Message_Event\", byocpack adds __e",
		}},
		{name: "typeField with __c", edits: []string{"typeField: EventType", "typeField: EventType__c"}, want: []string{
			w + "24:16: error spec: channel.event.typeField: event.typeField \"EventType__c\" carries the __c suffix; write \"EventType\", byocpack adds __c",
		}},
		{name: "payloadField with __c", edits: []string{"payloadField: Payload", "payloadField: Payload__c"}, want: []string{
			w + "25:19: error spec: channel.event.payloadField: event.payloadField \"Payload__c\" carries the __c suffix; write \"Payload\", byocpack adds __c",
		}},
		{name: "pre-authorized without anyone", edits: []string{"profiles: [System Administrator]", "profiles: []"}, want: []string{
			w + "14:21: error spec: app.policies: AdminApprovedPreAuthorized needs at least one profile or permission set, or no user can use the app (\"user hasn't approved this consumer\"); add profiles: [System Administrator]",
		}},
		{name: "pre-authorized with defaults dropped", edits: []string{"    profiles: [System Administrator]\n", "    profiles: []\n    permissionSets: []\n"}, want: []string{
			w + "14:21: error spec: app.policies: AdminApprovedPreAuthorized needs at least one profile or permission set, or no user can use the app (\"user hasn't approved this consumer\"); add profiles: [System Administrator]",
		}},

		// Certificate.
		{name: "certificate missing", noCert: true, want: []string{
			w + "12:16: error spec: app.certificate: cannot read certs/server.crt: file does not exist; give the path of the PEM certificate relative to the spec (openssl x509 -req ... -out server.crt)",
		}},
		{name: "certificate path absolute", edits: []string{"certificate: certs/server.crt", "certificate: /nowhere/server.crt"}, want: []string{
			w + "12:16: error spec: app.certificate: cannot read /nowhere/server.crt: no such file or directory; give the path of the PEM certificate relative to the spec (openssl x509 -req ... -out server.crt)",
		}},
		{name: "certificate path backslash", edits: []string{"certificate: certs/server.crt", `certificate: certs\server.crt`}, want: []string{
			w + "12:16: error spec: app.certificate: \"certs\\\\server.crt\" must use forward slashes, such as certs/server.crt, resolved from the spec's directory",
		}},
		{name: "certificate path empty", edits: []string{"certificate: certs/server.crt", `certificate: ""`}, want: []string{
			w + "12:16: error spec: app.certificate: the path is empty; give the certificate file, such as certs/server.crt",
		}},
		{name: "certificate with private key", cert: append(slices.Clone(cert), key...), want: []string{
			w + "12:16: error spec: app.certificate: certs/server.crt holds a private key (PRIVATE KEY); point to the certificate alone (server.crt) and keep the key out of the project",
		}},
		{name: "private key alone", cert: key, want: []string{
			w + "12:16: error spec: app.certificate: certs/server.crt holds a private key (PRIVATE KEY); point to the certificate alone (server.crt) and keep the key out of the project",
		}},
		{name: "certificate not PEM", cert: []byte("MIIB this is DER or base64 without armour\n"), want: []string{
			w + "12:16: error spec: app.certificate: certs/server.crt holds no PEM certificate (-----BEGIN CERTIFICATE-----); convert a DER file with openssl x509 -inform der -in cert.der -out server.crt",
		}},
		{name: "two certificates", cert: append(slices.Clone(cert), legacy...), want: []string{
			w + "12:16: error spec: app.certificate: certs/server.crt holds 2 certificates; give the app's own self-signed certificate alone",
		}},
		{name: "garbage in CERTIFICATE block", cert: []byte("-----BEGIN CERTIFICATE-----\nZ2FyYmFnZQ==\n-----END CERTIFICATE-----\n"), want: []string{
			w + "12:16: error spec: app.certificate: certs/server.crt is not a valid X.509 certificate: x509: malformed certificate",
		}},

		// YAML itself.
		{name: "syntax error", edits: []string{"  label: Partner1 Messaging", "  label: [Partner1 Messaging"}, want: []string{
			w + "19:3: error spec: not valid YAML: ',' or ']' must be specified; fix the syntax (indent with spaces, quote values containing ': ')",
		}},
		{name: "bad indentation", edits: []string{"  namespace: partner1", "   namespace: partner1"}, want: []string{
			w + "3:9: error spec: not valid YAML: mapping value is not allowed in this context; fix the syntax (indent with spaces, quote values containing ': ')",
		}},
		{name: "tab indentation", edits: []string{"  namespace: partner1", "\tnamespace: partner1"}, want: []string{
			w + "4:1: error spec: not valid YAML: found character '\\t' that cannot start any token; fix the syntax (indent with spaces, quote values containing ': ')",
		}},
		{name: "empty file", raw: str(""), want: []string{
			w + "1:1: error spec: the spec is empty; run `byocpack init` to write a commented byoc.yaml",
		}},
		{name: "blank file", raw: str("  \n\n\t\n"), want: []string{
			w + "1:1: error spec: the spec is empty; run `byocpack init` to write a commented byoc.yaml",
		}},
		{name: "comments only", raw: str("# nothing yet\n"), want: []string{
			w + "1:1: error spec: the spec is empty; run `byocpack init` to write a commented byoc.yaml",
		}},
		{name: "two documents", raw: str(baseSpec + "---\nprefix: Partner2\n"), want: []string{
			w + "29:1: error spec: the file holds 2 YAML documents; keep one spec per file",
		}},
		{name: "anchor", edits: []string{"prefix: Partner1", "prefix: &p Partner1"}, want: []string{
			w + "1:9: error spec: prefix: YAML anchors and aliases are not supported; write the value out",
		}},
		{name: "alias", edits: []string{"prefix: Partner1", "prefix: &p Partner1", "    name: Vendor1", "    name: *p"}, want: []string{
			w + "1:9: error spec: prefix: YAML anchors and aliases are not supported; write the value out",
			w + "20:11: error spec: channel.vendor.name: YAML anchors and aliases are not supported; write the value out",
		}},
		{name: "anchored mapping", edits: []string{"  vendor:\n", "  vendor: &v\n"}, want: []string{
			w + "19:11: error spec: channel.vendor: YAML anchors and aliases are not supported; write the value out",
		}},
		{name: "anchor in list", edits: []string{"[System Administrator]", "[&a System Administrator]"}, want: []string{
			w + "15:16: error spec: app.policies.profiles[0]: YAML anchors and aliases are not supported; write the value out",
		}},
		{name: "merge key", edits: []string{"    name: Vendor1\n", "    <<: {name: Vendor1}\n"}, want: []string{
			w + "20:5: error spec: channel.vendor.name: missing required key; add name: Vendor1 (developerName of the vendor record)",
			w + "20:5: error spec: channel.vendor: YAML merge keys (<<) are not supported; write the keys out",
		}},
		{name: "tag", edits: []string{"prefix: Partner1", "prefix: !custom Partner1"}, want: []string{
			w + "1:9: error spec: prefix: YAML tag !custom is not supported; remove it",
		}},
		{name: "int tag", edits: []string{"keywords: true", "keywords: !!bool true"}, want: []string{
			w + "27:15: error spec: channel.features.keywords: YAML tag !!bool is not supported; remove it",
		}},

		// Several problems at once come back sorted by line and column.
		{name: "many problems", edits: []string{
			"prefix: Partner1", "prefix: 1Partner",
			"  contactEmail: dev@partner1.example", "  contactEmail: nobody",
			"    keywords: true", "    keywords: maybe\n    colour: red",
			"  versionNumber: 1.0.0.NEXT\n", "",
			"  namespace: partner1", "  namespace: partner1\n  apiVersion2: x",
		}, want: []string{
			w + "1:9: error spec: prefix: prefix \"1Partner\" is not a valid API name; start with a letter and use only letters, digits and single underscores",
			w + "5:3: error spec: package.apiVersion2: unknown key (did you mean \"apiVersion\"?); valid keys under package are name, namespace, path, sourceOrgPath, versionNumber, versionName, versionDescription, apiVersion, definitionFile",
			w + "9:17: error spec: app.contactEmail: \"nobody\" is not an email address; write it like dev@partner1.example",
			w + "27:15: error spec: channel.features.keywords: expected true or false, found a string",
			w + "28:5: error spec: channel.features.colour: unknown key; valid keys under channel.features are keywords, explicitConsent, doubleOptInConsent, isoCountryCode, customChannelParameters, inboundReceipts, typingIndicatorHidden, conferenceSupported",
		}},
	}
}

func TestLoadErrors(t *testing.T) {
	cert := fixtureCert(t)
	dump := os.Getenv("SPEC_DUMP") != ""
	for _, tc := range errCases(t) {
		t.Run(tc.name, func(t *testing.T) {
			src := baseSpec
			if tc.raw != nil {
				src = *tc.raw
			} else {
				src = edit(t, src, tc.edits...)
			}
			fsys := fstest.MapFS{"byoc.yaml": {Data: []byte(src)}}
			switch {
			case tc.noCert:
			case tc.cert != nil:
				fsys["certs/server.crt"] = &fstest.MapFile{Data: tc.cert}
			default:
				fsys["certs/server.crt"] = &fstest.MapFile{Data: cert}
			}
			s, err := loadMap(fsys)
			got := problemLines(t, err)
			if dump {
				fmt.Printf("%q: ", tc.name)
				fmt.Printf("%#v\n", got)
				return
			}
			if (err == nil) != (s != nil) {
				t.Errorf("Load returned spec %v and error %v; want exactly one", s != nil, err)
			}
			if !slices.Equal(got, tc.want) {
				t.Errorf("problems:\n%s\nwant:\n%s", strings.Join(got, "\n"), strings.Join(tc.want, "\n"))
			}
		})
	}
}
