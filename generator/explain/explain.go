// Package explain is the one table of the error texts Salesforce answers
// with on a BYOC project's path (deploy, packaging, the OAuth token
// endpoint, the Interaction Service API, the demo connector's health
// check), each with its cause and its fix. `byocpack explain` looks texts
// up in it, `byocpack token` and `byocpack doctor` take their fixes from
// it, and docs/errors.md is generated from it.
package explain

import (
	"bytes"
	"cmp"
	"fmt"
	"regexp"
	"slices"
	"strings"
)

// Area is where an error text comes from.
type Area string

// Areas, in the order the docs list them.
const (
	AreaDeploy      Area = "deploy"
	AreaPackaging   Area = "packaging"
	AreaOAuth       Area = "oauth"
	AreaInteraction Area = "interaction-api"
	// AreaRequest are the Interaction Service's codes about the request
	// itself: Salesforce's message says which field to correct.
	AreaRequest Area = "interaction-api-request"
	AreaSetup   Area = "setup"
)

func areas() []Area {
	return []Area{AreaDeploy, AreaPackaging, AreaOAuth, AreaInteraction, AreaRequest, AreaSetup}
}

func (a Area) title() string {
	switch a {
	case AreaDeploy:
		return "Deploying metadata (sf project deploy start, the Metadata API)"
	case AreaPackaging:
		return "Creating a package version (sf package version create)"
	case AreaOAuth:
		return "The JWT bearer token request (/services/oauth2/token)"
	case AreaInteraction:
		return "Interaction Service API calls: authorization and setup"
	case AreaRequest:
		return "Interaction Service API calls: the request"
	}
	return "Setting up the channel in the subscriber org"
}

// Entry is one known error: the texts Salesforce writes, why it happens
// and what to do.
type Entry struct {
	// ID names the entry for good; `byocpack explain ID` shows it.
	ID   string `json:"id"`
	Area Area   `json:"area"`
	// Texts are the error texts as Salesforce (or the tool named in
	// Source) writes them; "…" stands for a part that varies.
	Texts []string `json:"texts"`
	Cause string   `json:"cause"`
	Fix   string   `json:"fix"`
	// Source says where the text and the fix come from.
	Source string `json:"source"`
	// match are case-insensitive regular expressions a text is matched
	// with; the longest match ranks first.
	match []string
}

// Public Salesforce documentation the entries cite (Salesforce-owned
// GitHub repositories where Salesforce documents a behaviour there).
const (
	srcJWTFlow                = "Salesforce Help, OAuth 2.0 JWT Bearer Flow for Server-to-Server Integration, https://help.salesforce.com/s/articleView?id=xcloud.remoteaccess_oauth_jwt_flow.htm&type=5"
	srcOAuthErrors            = "Salesforce Help, OAuth 2.0 Authorization Errors, https://help.salesforce.com/s/articleView?id=xcloud.remoteaccess_oauth_flow_errors.htm&type=5"
	srcClientCredentials      = "Salesforce Help, OAuth 2.0 Client Credentials Flow for Server-to-Server Integration, https://help.salesforce.com/s/articleView?id=xcloud.remoteaccess_oauth_client_credentials_flow.htm&type=5"
	srcRESTErrors             = "REST API Developer Guide, Status Codes and Error Responses, https://developer.salesforce.com/docs/atlas.en-us.api_rest.meta/api_rest/errorcodes.htm"
	srcBYOCApp                = "Bring Your Own Channel developer guide, Create the Interaction Service OAuth App, https://developer.salesforce.com/docs/service/messaging-partner/guide/create-connected-app.html"
	srcBYOCToken              = "Bring Your Own Channel developer guide, Generate the Access Token, https://developer.salesforce.com/docs/service/messaging-partner/guide/generate-token.html"
	srcBYOCChannel            = "Bring Your Own Channel developer guide, Create the Conversation Channel Definition Record, https://developer.salesforce.com/docs/service/messaging-partner/guide/create-conversationchanneldefinition-record.html"
	srcBYOCEvent              = "Bring Your Own Channel developer guide, Create a Custom Platform Event, https://developer.salesforce.com/docs/service/messaging-partner/guide/create-custom-platform-event.html"
	srcErrorCodes             = "Interaction API error codes, https://github.com/salesforce-misc/interaction-service-apis/blob/main/ERRORCODES.md"
	srcMetaDeploy             = "Metadata API Developer Guide, deploy(), https://developer.salesforce.com/docs/atlas.en-us.api_meta.meta/api_meta/meta_deploy.htm"
	srcMetaConnectedApp       = "Metadata API Developer Guide, ConnectedApp, https://developer.salesforce.com/docs/atlas.en-us.api_meta.meta/api_meta/meta_connectedapp.htm"
	srcMetaECA                = "Metadata API Developer Guide, ExternalClientApplication, https://developer.salesforce.com/docs/atlas.en-us.api_meta.meta/api_meta/meta_externalclientapplication.htm"
	srcMetaECAGlobal          = "Metadata API Developer Guide, ExtlClntAppGlobalOauthSettings, https://developer.salesforce.com/docs/atlas.en-us.api_meta.meta/api_meta/meta_extlclntappglobaloauthsettings.htm"
	srcMetadataNames          = "Metadata API Developer Guide, Metadata Components and Types (API names), https://developer.salesforce.com/docs/atlas.en-us.api_meta.meta/api_meta/meta_types_list.htm"
	srcPkgConnectedApp        = "Second-Generation Managed Packaging Developer Guide, Connected Apps in Second-Generation Managed Packages, https://developer.salesforce.com/docs/atlas.en-us.pkg2_dev.meta/pkg2_dev/sfdx_dev2gp_connected_apps.htm"
	srcKAConnectedAppCreation = "Salesforce Knowledge Article 005228017, https://help.salesforce.com/s/articleView?id=005228017&type=1"
	srcCLIProjectStructure    = "Salesforce DX Developer Guide, Salesforce DX Project Structure and Source Format, https://developer.salesforce.com/docs/atlas.en-us.sfdx_dev.meta/sfdx_dev/sfdx_dev_source_file_format.htm"
	srcCLI3325                = "forcedotcom/cli issue 3325, https://github.com/forcedotcom/cli/issues/3325"
	srcCLI3482                = "forcedotcom/cli issue 3482, https://github.com/forcedotcom/cli/issues/3482"
	srcCLI3515                = "forcedotcom/cli issue 3515, https://github.com/forcedotcom/cli/issues/3515"
	srcCLI3638                = "forcedotcom/cli issue 3638, https://github.com/forcedotcom/cli/issues/3638"
)

// Entries returns the table, in the docs' order. A fresh slice each call:
// no caller can change the table.
func Entries() []Entry {
	return append(entries(), interactionEntries()...)
}

func entries() []Entry {
	return []Entry{
		{ID: "suffix-case", Area: AreaDeploy,
			Texts:  []string{"Could not infer a metadata type"},
			Cause:  "A metadata file's suffix matches only when case is ignored, such as X.conversationChannelDefinition-meta.xml; the Salesforce CLI looks suffixes up case-sensitively.",
			Fix:    "Rename the file to the exact suffix: .ConversationChannelDefinition-meta.xml, .ConversationVendorInformation-meta.xml. `byocpack validate` reports it as BYOC-SUFFIX-CASE; byocpack render always writes the right one.",
			Source: srcCLIProjectStructure,
			match:  []string{`could not infer a metadata type`}},
		{ID: "double-underscore", Area: AreaDeploy,
			Texts:  []string{"Cannot create a new component with the namespace: …. Only components in the same namespace as the organization can be created through the API"},
			Cause:  "An API name holds a double underscore (for example a prefix ending in _ joined to a name), which Salesforce reads as a namespace separator.",
			Fix:    "Use single underscores: a prefix and names of letters, digits and single underscores. byocpack's spec refuses `__`, and `byocpack validate` reports BYOC-NAME-FORMAT.",
			Source: srcMetadataNames,
			match:  []string{`cannot create a new component with the namespace`, `only components in the same namespace as the organization`}},
		{ID: "consumer-key-taken", Area: AreaDeploy,
			Texts:  []string{"… of Type ConnectedApp failed to deploy due to The consumer key is already taken."},
			Cause:  "The app's metadata carries a consumerKey copied from another org.",
			Fix:    "Remove consumerKey (and consumerSecret) from the metadata: Salesforce generates them on the first deploy. byocpack never writes them; `byocpack validate` reports BYOC-NO-CONSUMER-KEY.",
			Source: srcMetaConnectedApp,
			match:  []string{`consumer key is already taken`}},
		{ID: "consumer-key-provided", Area: AreaDeploy,
			Texts:  []string{"You cannot provide a Consumer Key"},
			Cause:  "The app's metadata carries a consumerKey; it cannot be set through metadata.",
			Fix:    "Remove consumerKey from the file; Salesforce generates it. With shouldRotateConsumerKey=true the key is replaced on every deploy: leave it out too.",
			Source: srcMetaConnectedApp,
			match:  []string{`cannot provide a consumer key`}},
		{ID: "element-invalid", Area: AreaDeploy,
			Texts:  []string{"Error parsing file: Element {http://soap.sforce.com/2006/04/metadata}… invalid at this location in type …"},
			Cause:  "The file has an element its type does not have at the API version of the deploy: a field newer or older than sourceApiVersion, or a misspelt one.",
			Fix:    "Check sourceApiVersion in sfdx-project.json against the field, or remove the element. `byocpack validate` checks every file against the schema of its API version (rules xsd and BYOC-API-VERSION-FIELD).",
			Source: srcMetaDeploy,
			match:  []string{`element \S+ invalid at this location in type`, `invalid at this location in type`}},
		{ID: "element-duplicated", Area: AreaDeploy,
			Texts:  []string{"Error parsing file: Element … is duplicated at this location in type …"},
			Cause:  "A repeated element is split by other elements, or an element that may appear once appears twice.",
			Fix:    "Keep repeated elements together and give single ones once; `byocpack validate` reports where (rule xsd).",
			Source: srcMetaDeploy,
			match:  []string{`is duplicated at this location in type`}},
		{ID: "connected-app-creation-blocked", Area: AreaDeploy,
			Texts:  []string{"Connected App creation via APIs (including the Metadata API) is blocked in the same way as the UI"},
			Cause:  "Since Spring '26 an org cannot create a new connected app, through Setup or the Metadata API, unless Salesforce Support turned it back on (Knowledge Article 005228017). Installing a package is exempt.",
			Fix:    "Move to an external client app: `byocpack migrate --from connected-app FILE.connectedApp-meta.xml` writes the spec. Otherwise ask Salesforce Support to enable connected-app creation for the org.",
			Source: srcKAConnectedAppCreation,
			match:  []string{`connected app creation via apis`, `connected app creation .* is blocked`}},
		{ID: "oauth-plugin-load", Area: AreaDeploy,
			Texts:  []string{"We couldn't load OAuth plugin: Cannot invoke String.split(String) because …"},
			Cause:  "A packaged external client app lost its OAuth configuration after a sandbox refresh (a Salesforce known issue).",
			Fix:    "Deploy the app's OAuth settings and global OAuth settings (the source-org directory byocpack renders) to the refreshed sandbox again.",
			Source: srcMetaECAGlobal,
			match:  []string{`couldn't load oauth plugin`, `could not load oauth plugin`}},
		{ID: "scratch-signup-failed", Area: AreaDeploy,
			Texts:  []string{"RemoteOrgSignupFailed", "C-1016"},
			Cause:  "`sf org create scratch` fails when the Dev Hub was logged in to through an external client app with the JWT flow.",
			Fix:    "Use Salesforce CLI 2.147.7 or later and set SF_SCRATCH_SIGNUP_CONNECTED_APP, or insert the ScratchOrgInfo record with ConnectedAppConsumerKey=PlatformCLI and ConnectedAppCallbackUrl=http://localhost:1717/OauthRedirect.",
			Source: srcCLI3515,
			match:  []string{`remoteorgsignupfailed`, `\bc-1016\b`}},

		{ID: "connected-app-in-2gp", Area: AreaPackaging,
			Texts:  []string{"ConnectedApp(…) Connected App '…' contains fields that are not allowed during package creation. Only version, label, and developerName are allowed. Disallowed fields found: …"},
			Cause:  "A full connected app is in a second-generation package; connected apps package only in first-generation packages, and a 2GP may hold only a stub of a connected app already released in a 1GP package.",
			Fix:    "Use an external client app in the 2GP package (`byocpack migrate` turns the connected app into a spec), or package the connected app in a first-generation package; once it is released there, the 2GP package of the same namespace may carry its stub instead (`app.releasedVersion` in the spec; rule BYOC-CA-STUB).",
			Source: srcPkgConnectedApp,
			match:  []string{`not allowed during package creation`, `only version, label, and developername are allowed`}},

		{ID: "user-not-approved", Area: AreaOAuth,
			Texts:  []string{`{"error":"invalid_grant","error_description":"user hasn't approved this consumer"}`, "user is not admin approved to access this app"},
			Cause:  "The user in sub is not pre-authorized for the app in the org the token is asked of: the JWT bearer flow has no consent screen, so the app's policies must pre-approve the user.",
			Fix:    "In that org: Setup → External Client App Manager (or Manage Connected Apps) → the app → Policies: Permitted Users \"Admin approved users are pre-authorized\", then add the user's profile or a permission set the user has. In the spec: app.policies.permittedUsers AdminApprovedPreAuthorized with the profiles and permission sets.",
			Source: srcJWTFlow + "; " + srcBYOCApp,
			match:  []string{`user hasn't approved this consumer`, `user has not approved this consumer`, `not admin approved to access this app`}},
		{ID: "audience-invalid", Area: AreaOAuth,
			Texts:  []string{"audience is invalid  [audience=… login=…]"},
			Cause:  "The JWT's aud is not the login URL Salesforce expects: a trailing slash, plain http, a path, or the production host for a sandbox (or the reverse).",
			Fix:    "Set aud to exactly https://login.salesforce.com (production), https://test.salesforce.com (sandbox) or the org's https://DOMAIN.my.salesforce.com, no slash at the end; only an Experience Cloud site URL keeps its path. `byocpack jwt` refuses the wrong forms.",
			Source: srcJWTFlow + "; " + srcCLI3325,
			match:  []string{`audience is invalid`}},
		{ID: "app-not-installed", Area: AreaOAuth,
			Texts:  []string{`{"error":"app_not_found","error_description":"External client app is not installed in this org"}`, "OAUTH_EC_APP_NOT_FOUND"},
			Cause:  "The external client app is not in the org the token is asked of: the package is not installed there, or the app is Local (distributionState Local) and so lives only in the org that made it.",
			Fix:    "Ship the app with distributionState Packaged in the managed package and install the package in the subscriber org; check that the login URL is that org's (production or sandbox).",
			Source: srcMetaECA + "; " + srcCLI3482,
			match:  []string{`external client app is not installed in this org`, `oauth_ec_app_not_found`, `\bapp_not_found\b`}},
		{ID: "cross-org-blocked", Area: AreaOAuth,
			Texts:  []string{"OAUTH_AUTHORIZATION_BLOCKED: Cross-org OAuth flows are not supported for this external client app"},
			Cause:  "A Local external client app is used against another org than the one that owns it.",
			Fix:    "Set distributionState Packaged, package the app and install the package in the org you log in to.",
			Source: srcMetaECA + "; " + srcCLI3638,
			match:  []string{`cross-org oauth flows are not supported`, `oauth_authorization_blocked`}},
		{ID: "expired-authorization-code", Area: AreaOAuth,
			Texts:  []string{`{"error":"invalid_grant","error_description":"expired authorization code"}`},
			Cause:  "On the JWT bearer flow: the assertion's exp is in milliseconds (as the BYOC guide wrongly says), more than 3 minutes ahead, already past, or the clock is off.",
			Fix:    "Put exp in seconds since the epoch, at most 3 minutes ahead, and sign a new assertion for every token request (`byocpack jwt` does); check the machine's clock.",
			Source: srcJWTFlow,
			match:  []string{`expired authorization code`}},
		{ID: "invalid-client-id", Area: AreaOAuth,
			Texts:  []string{`{"error":"invalid_client_id","error_description":"…"}`},
			Cause:  "The JWT's iss is not the consumer key of an app the org knows: a typo, the key of another app, or the key of an app that is not installed there.",
			Fix:    "Copy the consumer key from the app's OAuth settings in the org that owns it (for a Partner app, the Dev Hub's global OAuth settings: one key for every subscriber) and pass it as --client-id.",
			Source: srcJWTFlow + "; " + srcBYOCToken,
			match:  []string{`\binvalid_client_id\b`, `client identifier invalid`}},
		{ID: "invalid-assertion", Area: AreaOAuth,
			Texts:  []string{`{"error":"invalid_grant","error_description":"invalid assertion"}`},
			Cause:  "Salesforce could not verify the JWT: it is not signed with the private key of the certificate the app holds (an old key after a rotation, the wrong key file, or a certificate not yet deployed to the org that owns the app), it is not RS256, or it is malformed (the key or certificate pasted instead of a signed token).",
			Fix:    "Sign with the key that matches the app's certificate: `byocpack jwt --key KEY --cert certs/server.crt ...` checks the pair and verifies the signature before you send it; `byocpack doctor -f byoc.yaml --key KEY` checks the key against the spec's certificate. If you rotated the certificate, deploy the new one (global OAuth settings, or app.certificate of a connected app) before signing with the new key.",
			Source: srcJWTFlow + "; " + srcOAuthErrors,
			match:  []string{`invalid assertion`, `invalid_assertion`}},
		{ID: "authentication-failure", Area: AreaOAuth,
			Texts:  []string{`{"error":"invalid_grant","error_description":"authentication failure"}`},
			Cause:  "The user named in sub cannot log in through this request: the username is not one of that org's (a sandbox username at the production login URL, or the reverse), the user is frozen or lacks API access, or, outside the JWT flow, the password or security token is wrong.",
			Fix:    "Check --user against the org the login URL reaches (sandbox usernames end in .SANDBOXNAME and log in at https://test.salesforce.com or the sandbox's My Domain); make sure the user is active, not frozen, and has a profile or permission set with API Enabled; then ask again.",
			Source: srcOAuthErrors,
			match:  []string{`authentication failure`}},
		{ID: "inactive-user", Area: AreaOAuth,
			Texts:  []string{`{"error":"invalid_grant","error_description":"inactive user"}`},
			Cause:  "The user named in sub is deactivated in that org.",
			Fix:    "Activate the user, or put the integration user's active username in sub (--user).",
			Source: srcOAuthErrors,
			match:  []string{`inactive user`}},
		{ID: "ip-restricted", Area: AreaOAuth,
			Texts:  []string{`{"error":"invalid_grant","error_description":"ip restricted"}`},
			Cause:  "The request comes from an address outside the app's trusted IP ranges, or outside the login IP ranges of the user's profile while the app's IP relaxation is Enforce.",
			Fix:    "Send the request from an allowed address, or add your servers' egress range to the app's trusted IP ranges (trustedIpRanges in the OAuth settings) or the profile's login IP ranges; relaxing IP restrictions (app.policies.ipRelaxation) widens who can use a token, so prefer the range.",
			Source: srcOAuthErrors,
			match:  []string{`ip restricted`}},
		{ID: "invalid-client-credentials", Area: AreaOAuth,
			Texts:  []string{`{"error":"invalid_client","error_description":"invalid client credentials"}`},
			Cause:  "The consumer key and secret sent do not match an app of that org: a secret from another app or an old one after rotation, or the client credentials flow asked of an org where the app is not installed.",
			Fix:    "Copy the consumer key and secret again from the org that owns the app (Manage Consumer Details) and send them from a secret store; for the Interaction Service, use the JWT bearer flow (`byocpack token`), which needs no secret.",
			Source: srcClientCredentials + "; " + srcOAuthErrors,
			match:  []string{`invalid client credentials`}},
		{ID: "no-client-credentials-user", Area: AreaOAuth,
			Texts:  []string{`{"error":"invalid_grant","error_description":"no client credentials user enabled"}`},
			Cause:  "The client credentials flow is asked for, but the app has no run-as user for it (or the flow is off).",
			Fix:    "In the org that owns the app, enable the client credentials flow in the app's policies and choose a run-as user with the least privilege, or use the JWT bearer flow the Interaction Service expects.",
			Source: srcClientCredentials,
			match:  []string{`no client credentials user enabled`}},
		{ID: "app-blocked", Area: AreaOAuth,
			Texts:  []string{`{"error":"OAUTH_APP_BLOCKED","error_description":"this app is blocked by admin"}`},
			Cause:  "An admin of the org blocked the app (Connected Apps OAuth Usage → Block, or the app's access policies), so Salesforce refuses every token request and revokes its sessions.",
			Fix:    "Ask the org's admin to unblock the app (Setup → Connected Apps OAuth Usage → Unblock) and check its policies pre-authorize the integration user; a blocked app cannot be worked around from the request.",
			Source: srcOAuthErrors,
			match:  []string{`oauth_app_blocked`, `app is blocked`, `blocked by (?:an )?admin`}},
		{ID: "unsupported-grant-type", Area: AreaOAuth,
			Texts:  []string{`{"error":"unsupported_grant_type","error_description":"grant type not supported"}`},
			Cause:  "The token request's grant_type is missing or misspelt, or the body is not sent form-encoded, so Salesforce sees no grant_type.",
			Fix:    "POST application/x-www-form-urlencoded with grant_type=urn:ietf:params:oauth:grant-type:jwt-bearer and assertion=THE_JWT, as `byocpack token` does.",
			Source: srcJWTFlow,
			match:  []string{`unsupported_grant_type`, `grant type not supported`}},
		{ID: "invalid-session-id", Area: AreaOAuth,
			Texts:  []string{`[{"message":"Session expired or invalid","errorCode":"INVALID_SESSION_ID"}]`},
			Cause:  "An API call carries an access token that is expired, revoked (the app's session timeout, an admin, a blocked app), issued by another org, or sent to another instance than the instance_url the token came with.",
			Fix:    "Get a new token (`byocpack token`; the JWT bearer flow issues no refresh token, so sign a new assertion) and call the instance_url the token answer names; if tokens expire too soon, raise the app's session timeout in its policies.",
			Source: srcRESTErrors,
			match:  []string{`invalid_session_id`, `session expired or invalid`}},

		{ID: "no-channel-definition", Area: AreaInteraction,
			Texts:  []string{"No records found in the ConversationChannelDefinition"},
			Cause:  "The AuthorizationContext sent is not the developerName of an installed channel definition.",
			Fix:    "Send the developerName exactly, {prefix}_{channel.name} (without the namespace).",
			Source: srcBYOCChannel,
			match:  []string{`no records found in the conversationchanneldefinition`}},

		{ID: "event-field-not-found", Area: AreaSetup,
			Texts:  []string{"Custom Event Payload Field '…' not found in Platform Event"},
			Cause:  "The channel definition's customEventPayloadField (or customEventTypeField) does not name a field of its platform event.",
			Fix:    "Point the fields at the event's own fields; byocpack writes them from channel.event and `byocpack validate` checks them (BYOC-CCD-EVENT-REFS).",
			Source: srcBYOCChannel,
			match:  []string{`custom event payload field .* not found`, `not found in platform event`}},
		{ID: "vendor-type-invalid", Area: AreaSetup,
			Texts:  []string{"VendorType is invalid for OTT. Expected: BringYourOwnChannelPartner"},
			Cause:  "The ConversationVendorInfo's vendorType does not fit the channel: a Messaging channel needs BringYourOwnChannelPartner.",
			Fix:    "Set channel.vendor.type BringYourOwnChannelPartner for Messaging (BringYourOwnContactCenter is for CCaaS).",
			Source: srcBYOCChannel,
			match:  []string{`vendortype is invalid`}},
		{ID: "event-permission", Area: AreaSetup,
			Texts:  []string{"(no error text: outbound messages never reach the partner)"},
			Cause:  "The sfdc_scrt2 permission set, which the Interaction Service runs as, lacks Read and Create on the platform event, so Salesforce cannot publish outbound messages on it.",
			Fix:    "In the subscriber org: Setup → Permission Sets → sfdc_scrt2 → Object Settings → the platform event ({namespace}__{event}__e) → Read and Create → Save.",
			Source: srcBYOCEvent,
			match:  []string{`sfdc_scrt2`}},
		{ID: "channel-tile-missing", Area: AreaSetup,
			Texts:  []string{"(no error text: the BYOC tile is missing under Messaging Settings → New Channel)"},
			Cause:  "The OAuth app's setup is incomplete in the subscriber org: scopes, certificate or pre-authorization.",
			Fix:    "Check the app in the subscriber org: the Interaction scope, the certificate, \"Issue JWT-based access tokens for named users\", and Permitted Users \"Admin approved users are pre-authorized\" with the profiles; then reload Messaging Settings.",
			Source: srcBYOCApp,
			match:  []string{`\btile\b`}},
	}
}

// Lookup returns the entry with id.
func Lookup(id string) (Entry, bool) {
	for _, e := range Entries() {
		if strings.EqualFold(e.ID, id) {
			return e, true
		}
	}
	return Entry{}, false
}

// Match returns the entries whose texts occur in text, the most specific
// (longest match) first; an entry's ID alone matches it too.
func Match(text string) []Entry {
	type hit struct {
		e   Entry
		len int
		at  int
	}
	var hits []hit
	for i, e := range Entries() {
		if strings.EqualFold(strings.TrimSpace(text), e.ID) {
			return []Entry{e}
		}
		best := 0
		for _, m := range e.match {
			loc := regexp.MustCompile(`(?i)` + m).FindStringIndex(text)
			if loc != nil && loc[1]-loc[0] > best {
				best = loc[1] - loc[0]
			}
		}
		if best > 0 {
			hits = append(hits, hit{e, best, i})
		}
	}
	slices.SortStableFunc(hits, func(a, b hit) int { return cmp.Or(cmp.Compare(b.len, a.len), cmp.Compare(a.at, b.at)) })
	out := make([]Entry, len(hits))
	for i, h := range hits {
		out[i] = h.e
	}
	return out
}

// Candidates returns, for a bare error code that matches no entry on its
// own (invalid_grant, say, which Salesforce answers with several
// descriptions), the entries whose texts carry it; none for any other
// text. The caller shows them as the possibilities, asking for the whole
// answer to tell them apart.
func Candidates(text string) []Entry {
	code := strings.TrimSpace(text)
	if code == "" || strings.ContainsAny(code, " \t\n\"'{}:") || len(code) > 64 {
		return nil
	}
	word := regexp.MustCompile(`(?i)(^|[^A-Za-z0-9_])` + regexp.QuoteMeta(code) + `($|[^A-Za-z0-9_])`)
	var out []Entry
	for _, e := range Entries() {
		if slices.ContainsFunc(e.Texts, word.MatchString) {
			out = append(out, e)
		}
	}
	return out
}

// DocsFile is where Markdown is kept, relative to the repository root.
const DocsFile = "docs/errors.md"

// Markdown renders the table as docs/errors.md.
func Markdown() []byte {
	var b bytes.Buffer
	b.WriteString("# Salesforce errors on a BYOC project's path\n\n")
	b.WriteString("<!-- Generated from generator/explain/explain.go by `go test ./generator/explain -update`; do not edit. -->\n\n")
	b.WriteString("Each entry is an error text Salesforce answers with, why it happens and what to do. Look one up with\n")
	b.WriteString("`byocpack explain \"ERROR TEXT\"` (or pipe a log into `byocpack explain -`); `byocpack token` and\n")
	b.WriteString("`byocpack doctor` print the same fixes. Each entry cites the public Salesforce documentation it rests on.\n")
	for _, a := range areas() {
		fmt.Fprintf(&b, "\n## %s\n", a.title())
		if a == AreaRequest {
			requestTable(&b)
			continue
		}
		for _, e := range Entries() {
			if e.Area != a {
				continue
			}
			fmt.Fprintf(&b, "\n### %s\n\n", e.ID)
			for _, t := range e.Texts {
				fmt.Fprintf(&b, "> %s\n", t)
			}
			fmt.Fprintf(&b, "\n**Cause.** %s\n\n**Fix.** %s\n\n*Source: %s.*\n", e.Cause, e.Fix, e.Source)
		}
	}
	return b.Bytes()
}
