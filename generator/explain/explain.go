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
	AreaSetup       Area = "setup"
)

func areas() []Area { return []Area{AreaDeploy, AreaPackaging, AreaOAuth, AreaInteraction, AreaSetup} }

func (a Area) title() string {
	switch a {
	case AreaDeploy:
		return "Deploying metadata (sf project deploy start, the Metadata API)"
	case AreaPackaging:
		return "Creating a package version (sf package version create)"
	case AreaOAuth:
		return "The JWT bearer token request (/services/oauth2/token)"
	case AreaInteraction:
		return "Interaction Service API calls"
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

// Entries returns the table, in the docs' order. A fresh slice each call:
// no caller can change the table.
func Entries() []Entry {
	return []Entry{
		{ID: "suffix-case", Area: AreaDeploy,
			Texts:  []string{"Could not infer a metadata type"},
			Cause:  "A metadata file's suffix matches only when case is ignored, such as X.conversationChannelDefinition-meta.xml; the Salesforce CLI looks suffixes up case-sensitively.",
			Fix:    "Rename the file to the exact suffix: .ConversationChannelDefinition-meta.xml, .ConversationVendorInformation-meta.xml. `byocpack validate` reports it as BYOC-SUFFIX-CASE; byocpack render always writes the right one.",
			Source: "byoc-anchors.md §4 P1",
			match:  []string{`could not infer a metadata type`}},
		{ID: "double-underscore", Area: AreaDeploy,
			Texts:  []string{"Cannot create a new component with the namespace: …. Only components in the same namespace as the organization can be created through the API"},
			Cause:  "An API name holds a double underscore (for example a prefix ending in _ joined to a name), which Salesforce reads as a namespace separator.",
			Fix:    "Use single underscores: a prefix and names of letters, digits and single underscores. byocpack's spec refuses `__`, and `byocpack validate` reports BYOC-NAME-FORMAT.",
			Source: "byoc-anchors.md §4 P11",
			match:  []string{`cannot create a new component with the namespace`, `only components in the same namespace as the organization`}},
		{ID: "consumer-key-taken", Area: AreaDeploy,
			Texts:  []string{"… of Type ConnectedApp failed to deploy due to The consumer key is already taken."},
			Cause:  "The app's metadata carries a consumerKey copied from another org.",
			Fix:    "Remove consumerKey (and consumerSecret) from the metadata: Salesforce generates them on the first deploy. byocpack never writes them; `byocpack validate` reports BYOC-NO-CONSUMER-KEY.",
			Source: "byoc-anchors.md §4 P4; deploy-semantics.md §6",
			match:  []string{`consumer key is already taken`}},
		{ID: "consumer-key-provided", Area: AreaDeploy,
			Texts:  []string{"You cannot provide a Consumer Key"},
			Cause:  "The app's metadata carries a consumerKey; it cannot be set through metadata.",
			Fix:    "Remove consumerKey from the file; Salesforce generates it. With shouldRotateConsumerKey=true the key is replaced on every deploy: leave it out too.",
			Source: "byoc-anchors.md §4 P5; deploy-semantics.md §6",
			match:  []string{`cannot provide a consumer key`}},
		{ID: "element-invalid", Area: AreaDeploy,
			Texts:  []string{"Error parsing file: Element {http://soap.sforce.com/2006/04/metadata}… invalid at this location in type …"},
			Cause:  "The file has an element its type does not have at the API version of the deploy: a field newer or older than sourceApiVersion, or a misspelt one.",
			Fix:    "Check sourceApiVersion in sfdx-project.json against the field, or remove the element. `byocpack validate` checks every file against the schema of its API version (rules xsd and BYOC-API-VERSION-FIELD).",
			Source: "deploy-semantics.md §1",
			match:  []string{`element \S+ invalid at this location in type`, `invalid at this location in type`}},
		{ID: "element-duplicated", Area: AreaDeploy,
			Texts:  []string{"Error parsing file: Element … is duplicated at this location in type …"},
			Cause:  "A repeated element is split by other elements, or an element that may appear once appears twice.",
			Fix:    "Keep repeated elements together and give single ones once; `byocpack validate` reports where (rule xsd).",
			Source: "deploy-semantics.md §1",
			match:  []string{`is duplicated at this location in type`}},
		{ID: "connected-app-creation-blocked", Area: AreaDeploy,
			Texts:  []string{"Connected App creation via APIs (including the Metadata API) is blocked in the same way as the UI"},
			Cause:  "Since Spring '26 an org cannot create a new connected app, through Setup or the Metadata API, unless Salesforce Support turned it back on (Knowledge Article 005228017). Installing a package is exempt.",
			Fix:    "Move to an external client app: `byocpack migrate --from connected-app FILE.connectedApp-meta.xml` writes the spec. Otherwise ask Salesforce Support to enable connected-app creation for the org.",
			Source: "deploy-semantics.md §6; byoc-anchors.md §4 P20",
			match:  []string{`connected app creation via apis`, `connected app creation .* is blocked`}},
		{ID: "oauth-plugin-load", Area: AreaDeploy,
			Texts:  []string{"We couldn't load OAuth plugin: Cannot invoke String.split(String) because …"},
			Cause:  "A packaged external client app lost its OAuth configuration after a sandbox refresh (a Salesforce known issue).",
			Fix:    "Deploy the app's OAuth settings and global OAuth settings (the source-org directory byocpack renders) to the refreshed sandbox again.",
			Source: "byoc-anchors.md §4 P19",
			match:  []string{`couldn't load oauth plugin`, `could not load oauth plugin`}},
		{ID: "scratch-signup-failed", Area: AreaDeploy,
			Texts:  []string{"RemoteOrgSignupFailed", "C-1016"},
			Cause:  "`sf org create scratch` fails when the Dev Hub was logged in to through an external client app with the JWT flow.",
			Fix:    "Use Salesforce CLI 2.147.7 or later and set SF_SCRATCH_SIGNUP_CONNECTED_APP, or insert the ScratchOrgInfo record with ConnectedAppConsumerKey=PlatformCLI and ConnectedAppCallbackUrl=http://localhost:1717/OauthRedirect.",
			Source: "byoc-anchors.md §4 P18; deploy-semantics.md §6",
			match:  []string{`remoteorgsignupfailed`, `\bc-1016\b`}},

		{ID: "connected-app-in-2gp", Area: AreaPackaging,
			Texts:  []string{"ConnectedApp(…) Connected App '…' contains fields that are not allowed during package creation. Only version, label, and developerName are allowed. Disallowed fields found: …"},
			Cause:  "A full connected app is in a second-generation package; connected apps package only in first-generation packages, and a 2GP may hold only a stub of a connected app already released in a 1GP package.",
			Fix:    "Use an external client app in the 2GP package (`byocpack migrate` turns the connected app into a spec), or package the connected app in a first-generation package; once it is released there, the 2GP package of the same namespace may carry its stub instead (`app.releasedVersion` in the spec; rule BYOC-CA-STUB).",
			Source: "byoc-anchors.md §4 P2, P3",
			match:  []string{`not allowed during package creation`, `only version, label, and developername are allowed`}},

		{ID: "user-not-approved", Area: AreaOAuth,
			Texts:  []string{`{"error":"invalid_grant","error_description":"user hasn't approved this consumer"}`, "user is not admin approved to access this app"},
			Cause:  "The user in sub is not pre-authorized for the app in the org the token is asked of: the JWT bearer flow has no consent screen, so the app's policies must pre-approve the user.",
			Fix:    "In that org: Setup → External Client App Manager (or Manage Connected Apps) → the app → Policies: Permitted Users \"Admin approved users are pre-authorized\", then add the user's profile or a permission set the user has. In the spec: app.policies.permittedUsers AdminApprovedPreAuthorized with the profiles and permission sets.",
			Source: "byoc-anchors.md §4 P16; deploy-semantics.md §6",
			match:  []string{`user hasn't approved this consumer`, `user has not approved this consumer`, `not admin approved to access this app`}},
		{ID: "audience-invalid", Area: AreaOAuth,
			Texts:  []string{"audience is invalid  [audience=… login=…]"},
			Cause:  "The JWT's aud is not the login URL Salesforce expects: a trailing slash, plain http, a path, or the production host for a sandbox (or the reverse).",
			Fix:    "Set aud to exactly https://login.salesforce.com (production), https://test.salesforce.com (sandbox) or the org's https://DOMAIN.my.salesforce.com, no slash at the end; only an Experience Cloud site URL keeps its path. `byocpack jwt` refuses the wrong forms.",
			Source: "byoc-anchors.md §4 P15; deploy-semantics.md §6",
			match:  []string{`audience is invalid`}},
		{ID: "app-not-installed", Area: AreaOAuth,
			Texts:  []string{`{"error":"app_not_found","error_description":"External client app is not installed in this org"}`, "OAUTH_EC_APP_NOT_FOUND"},
			Cause:  "The external client app is not in the org the token is asked of: the package is not installed there, or the app is Local (distributionState Local) and so lives only in the org that made it.",
			Fix:    "Ship the app with distributionState Packaged in the managed package and install the package in the subscriber org; check that the login URL is that org's (production or sandbox).",
			Source: "byoc-anchors.md §4 P14; deploy-semantics.md §6",
			match:  []string{`external client app is not installed in this org`, `oauth_ec_app_not_found`, `\bapp_not_found\b`}},
		{ID: "cross-org-blocked", Area: AreaOAuth,
			Texts:  []string{"OAUTH_AUTHORIZATION_BLOCKED: Cross-org OAuth flows are not supported for this external client app"},
			Cause:  "A Local external client app is used against another org than the one that owns it.",
			Fix:    "Set distributionState Packaged, package the app and install the package in the org you log in to.",
			Source: "byoc-anchors.md §4 P14; deploy-semantics.md §6",
			match:  []string{`cross-org oauth flows are not supported`, `oauth_authorization_blocked`}},
		{ID: "expired-authorization-code", Area: AreaOAuth,
			Texts:  []string{`{"error":"invalid_grant","error_description":"expired authorization code"}`},
			Cause:  "On the JWT bearer flow: the assertion's exp is in milliseconds (as the BYOC guide wrongly says), more than 3 minutes ahead, already past, or the clock is off.",
			Fix:    "Put exp in seconds since the epoch, at most 3 minutes ahead, and sign a new assertion for every token request (`byocpack jwt` does); check the machine's clock.",
			Source: "deploy-semantics.md §6; byoc-anchors.md §5, §8.1",
			match:  []string{`expired authorization code`}},
		{ID: "invalid-client-id", Area: AreaOAuth,
			Texts:  []string{`{"error":"invalid_client_id","error_description":"…"}`},
			Cause:  "The JWT's iss is not the consumer key of an app the org knows: a typo, the key of another app, or the key of an app that is not installed there.",
			Fix:    "Copy the consumer key from the app's OAuth settings in the org that owns it (for a Partner app, the Dev Hub's global OAuth settings: one key for every subscriber) and pass it as --client-id.",
			Source: "byoc-anchors.md §5 (iss is the consumer key)",
			match:  []string{`\binvalid_client_id\b`, `client identifier invalid`}},

		{ID: "10001", Area: AreaInteraction,
			Texts:  []string{`"code":10001`},
			Cause:  "The AuthorizationContext header is not valid for the `to` address: the channel address belongs to another channel definition.",
			Fix:    "Send the developerName of the channel definition ({prefix}_{channel.name}) that the channel address was created from.",
			Source: "byoc-anchors.md §4 P22 (interaction-service-apis ERRORCODES.md)",
			match:  []string{`\b10001\b`}},
		{ID: "10003", Area: AreaInteraction,
			Texts:  []string{"The supplied Authorization access token is missing the required Connected App scope. Required value: interaction_api."},
			Cause:  "The access token lacks the interaction_api scope: the app does not grant Interaction.",
			Fix:    "Give the app the Interaction scope (interaction_api in app.scopes; Interaction in the metadata), deploy or install the new version, and get a new token.",
			Source: "byoc-anchors.md §1.3, §4 P22; deploy-semantics.md §6",
			match:  []string{`\b10003\b`, `missing the required connected app scope`}},
		{ID: "10004", Area: AreaInteraction,
			Texts:  []string{`"code":10004`},
			Cause:  "The access token is not valid: expired, revoked, or not a token of that org.",
			Fix:    "Get a new token with the JWT bearer flow (`byocpack token`); the flow gives no refresh token, so mint a new assertion each time.",
			Source: "byoc-anchors.md §4 P22",
			match:  []string{`\b10004\b`}},
		{ID: "10005", Area: AreaInteraction,
			Texts:  []string{`"code":10005`},
			Cause:  "The AuthorizationContext header is not valid for the token: it is not the developerName of a channel definition tied to the app that issued the token.",
			Fix:    "Send the channel definition's developerName, {prefix}_{channel.name}, whose prefix is the app's; byocpack gives both the same prefix.",
			Source: "byoc-anchors.md §1.3, §4 P22",
			match:  []string{`\b10005\b`}},
		{ID: "10016", Area: AreaInteraction,
			Texts:  []string{`{"message":"Enter a valid header.","code":10016}`},
			Cause:  "A header is malformed; the common case is an OrgId header carrying the 18-character org ID.",
			Fix:    "Send the 15-character org ID in OrgId.",
			Source: "byoc-anchors.md §4 P21",
			match:  []string{`\b10016\b`, `enter a valid header`}},
		{ID: "10022", Area: AreaInteraction,
			Texts:  []string{`"code":10022`},
			Cause:  "The Consent API was called, but the channel definition's consentOwner is not Partner.",
			Fix:    "Call the Consent API only with consentOwner Partner (CCaaS); with Salesforce-owned consent, leave consent to Salesforce.",
			Source: "byoc-anchors.md §4 P23",
			match:  []string{`\b10022\b`}},
		{ID: "10023", Area: AreaInteraction,
			Texts:  []string{`"code":10023`},
			Cause:  "The Consent API was called on a channel whose definition has supportsKeywords true.",
			Fix:    "With Partner-owned consent set channel.features.keywords false; keywords belong to Salesforce-owned consent.",
			Source: "byoc-anchors.md §4 P23",
			match:  []string{`\b10023\b`}},
		{ID: "10026", Area: AreaInteraction,
			Texts:  []string{`"code":10026`},
			Cause:  "No channel definition is found for the channel address.",
			Fix:    "Check that the package is installed and the channel was created from its definition in Messaging Settings; use that channel's ChannelAddressIdentifier.",
			Source: "byoc-anchors.md §4 P22",
			match:  []string{`\b10026\b`}},
		{ID: "no-channel-definition", Area: AreaInteraction,
			Texts:  []string{"No records found in the ConversationChannelDefinition"},
			Cause:  "The AuthorizationContext sent is not the developerName of an installed channel definition.",
			Fix:    "Send the developerName exactly, {prefix}_{channel.name} (without the namespace).",
			Source: "byoc-anchors.md §4 P22",
			match:  []string{`no records found in the conversationchanneldefinition`}},

		{ID: "event-field-not-found", Area: AreaSetup,
			Texts:  []string{"Custom Event Payload Field '…' not found in Platform Event"},
			Cause:  "The channel definition's customEventPayloadField (or customEventTypeField) does not name a field of its platform event.",
			Fix:    "Point the fields at the event's own fields; byocpack writes them from channel.event and `byocpack validate` checks them (BYOC-CCD-EVENT-REFS).",
			Source: "byoc-anchors.md §7 (byo-demo-connector health check)",
			match:  []string{`custom event payload field .* not found`, `not found in platform event`}},
		{ID: "vendor-type-invalid", Area: AreaSetup,
			Texts:  []string{"VendorType is invalid for OTT. Expected: BringYourOwnChannelPartner"},
			Cause:  "The ConversationVendorInfo's vendorType does not fit the channel: a Messaging channel needs BringYourOwnChannelPartner.",
			Fix:    "Set channel.vendor.type BringYourOwnChannelPartner for Messaging (BringYourOwnContactCenter is for CCaaS).",
			Source: "byoc-anchors.md §7 (byo-demo-connector health check)",
			match:  []string{`vendortype is invalid`}},
		{ID: "event-permission", Area: AreaSetup,
			Texts:  []string{"(no error text: outbound messages never reach the partner)"},
			Cause:  "The sfdc_scrt2 permission set, which the Interaction Service runs as, lacks Read and Create on the platform event, so Salesforce cannot publish outbound messages on it.",
			Fix:    "In the subscriber org: Setup → Permission Sets → sfdc_scrt2 → Object Settings → the platform event ({namespace}__{event}__e) → Read and Create → Save.",
			Source: "byoc-anchors.md §1.2 step 4, §4 P25",
			match:  []string{`sfdc_scrt2`}},
		{ID: "channel-tile-missing", Area: AreaSetup,
			Texts:  []string{"(no error text: the BYOC tile is missing under Messaging Settings → New Channel)"},
			Cause:  "The OAuth app's setup is incomplete in the subscriber org: scopes, certificate or pre-authorization.",
			Fix:    "Check the app in the subscriber org: the Interaction scope, the certificate, \"Issue JWT-based access tokens for named users\", and Permitted Users \"Admin approved users are pre-authorized\" with the profiles; then reload Messaging Settings.",
			Source: "byoc-anchors.md §4 P24",
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

// DocsFile is where Markdown is kept, relative to the repository root.
const DocsFile = "docs/errors.md"

// Markdown renders the table as docs/errors.md.
func Markdown() []byte {
	var b bytes.Buffer
	b.WriteString("# Salesforce errors on a BYOC project's path\n\n")
	b.WriteString("<!-- Generated from generator/explain/explain.go by `go test ./generator/explain -update`; do not edit. -->\n\n")
	b.WriteString("Each entry is an error text Salesforce answers with, why it happens and what to do. Look one up with\n")
	b.WriteString("`byocpack explain \"ERROR TEXT\"` (or pipe a log into `byocpack explain -`); `byocpack token` and\n")
	b.WriteString("`byocpack doctor` print the same fixes. Sources are in `shared/reference/`.\n")
	for _, a := range areas() {
		fmt.Fprintf(&b, "\n## %s\n", a.title())
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
