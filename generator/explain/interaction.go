package explain

import (
	"bytes"
	"fmt"
	"regexp"
	"strconv"
	"strings"
)

// code is one Interaction Service error code with Salesforce's message
// ("…" stands for a value Salesforce fills in). A code about setup or
// authorization carries a cause and a fix in the partner's terms; a code
// about the request itself names the field to correct, and Salesforce's
// message is its cause.
type code struct {
	n     int
	msg   string
	cause string
	fix   string
	field string
}

// Setup and authorization: the token, its scope, the authorization
// context, the channel definition, the channel address, its activation and
// type, and permissions.
var setupCodes = []code{
	{n: 10001, msg: `The AuthorizationContext in the request isn't valid for the provided value in the "to"/"channelAddressIdentifier" field.`,
		cause: "The AuthorizationContext header names another channel definition than the one the channel address (the to or channelAddressIdentifier value) was created from.",
		fix:   "Send, in AuthorizationContext, the developerName of the channel definition the channel was created from ({prefix}_{channel.name} in the spec, without the namespace), or the channel address of a channel created from the definition you name."},
	{n: 10002, msg: `The channel type for the provided "to"/"channelAddressIdentifier" field isn't valid.`,
		cause: "The channel address belongs to a messaging channel that is not a Bring Your Own Channel (custom) channel, such as an SMS or WhatsApp channel of the org.",
		fix:   "In the subscriber org, create the channel from your package's channel definition (Setup → Messaging Settings → New Channel → your Bring Your Own Channel tile) and send its ChannelAddressIdentifier."},
	{n: 10003, msg: `The supplied Authorization access token is missing the required Connected App scope. Required value: interaction_api.`,
		cause: "The access token lacks the interaction_api scope: the app does not grant Interaction, or the token was issued before the scope was added.",
		fix:   "Give the app the Interaction scope (interaction_api in app.scopes; Interaction in the metadata), deploy or install the new version, and get a new token (`byocpack token` fails while the scope is missing)."},
	{n: 10004, msg: `The supplied Authorization access token is not valid.`,
		cause: "The access token in the Authorization header is expired, revoked, malformed (no Bearer prefix, cut short), or issued by another org than the one the request goes to.",
		fix:   "Send Authorization: Bearer TOKEN with a fresh token of the subscriber org (`byocpack token`); the JWT bearer flow gives no refresh token, so sign a new assertion when it expires."},
	{n: 10005, msg: `The AuthorizationContext for the request isn't valid based on the supplied Authorization access token.`,
		cause: "The AuthorizationContext header is not the developerName of a channel definition linked to the app that issued the token: the channel definition and the app do not share a prefix, or the token comes from another app.",
		fix:   "Send the channel definition's developerName, {prefix}_{channel.name}, where prefix is the app's ({prefix}_{app.name}); byocpack gives both the spec's prefix, and `byocpack validate` checks it (BYOC-NAME-PREFIX). Get the token with the consumer key of that app."},
	{n: 10006, msg: `The channel provider for the provided "to"/"channelAddressIdentifier" field isn't valid.`,
		cause: "The channel address was created from another provider's channel definition (another partner's package, or another of your channel definitions).",
		fix:   "Use the ChannelAddressIdentifier of a channel created from your channel definition, and the AuthorizationContext of that definition."},
	{n: 10016, msg: `Enter a valid header.`,
		cause: "A required header is missing or malformed; the common case is an OrgId header carrying the 18-character org ID.",
		fix:   "Send the 15-character org ID in OrgId, and AuthorizationContext and RequestId (a UUID) as the API reference lists them."},
	{n: 10017, msg: `The channelAddressIdentifier provided does not exist.`,
		cause: "No messaging channel of the org has this channel address: a typo, a channel of another org, or a channel deleted since.",
		fix:   "Copy the ChannelAddressIdentifier from the channel in the subscriber org (Setup → Messaging Settings → the channel), and send the request to that org's instance."},
	{n: 10022, msg: `Cannot update Consent Status where the Consent Owner of the channel is not set to Partner.`,
		cause: "The Consent API was called, but the channel definition's consentOwner is not Partner.",
		fix:   "Call the Consent API only with channel.consentOwner Partner (CCaaS); with Salesforce-owned consent, leave consent to Salesforce."},
	{n: 10023, msg: `Cannot update Consent Status where the SupportsKeywords of the channel is true.`,
		cause: "The Consent API was called on a channel whose definition has supportsKeywords true.",
		fix:   "With Partner-owned consent set channel.features.keywords false; keywords belong to Salesforce-owned consent."},
	{n: 10026, msg: `The conversation channel definition for the provided "to"/"channelAddressIdentifier" field is missing.`,
		cause: "The channel address has no channel definition: the package that holds the definition is not installed (or was uninstalled), or the channel was not created from it.",
		fix:   "Install the package in the subscriber org and create the channel from its definition in Messaging Settings; send that channel's ChannelAddressIdentifier."},
	{n: 10031, msg: `The channelAddressIdentifier provided is not active.`,
		cause: "The messaging channel exists but is not active.",
		fix:   "In the subscriber org, activate the channel (Setup → Messaging Settings → the channel → Activate), after its routing is set up."},
	{n: 10035, msg: `The messaging channel is not a type of CUSTOM.`,
		cause: "The channel address belongs to a channel that is not a Bring Your Own Channel (CUSTOM) channel.",
		fix:   "Send the ChannelAddressIdentifier of a channel created from your channel definition."},
	{n: 10057, msg: `Looks like you don't have access to the ConversationHistory API. Only Bring Your Own Channel for CCaaS partners can access them. Your Salesforce admin can help with that.`,
		cause: "The ConversationHistory API is for Bring Your Own Channel for CCaaS only; the channel is a Messaging one, or the org lacks CCaaS.",
		fix:   "Call the ConversationHistory API only for a CCaaS channel (channel.vendor.type BringYourOwnContactCenter), in an org with Contact Center as a Service enabled."},
	{n: 10069, msg: `Specify a valid channel address identifier or check your authorization configuration.`,
		cause: "The channel address and the authorization (token and AuthorizationContext) do not fit together: the address is unknown, or the token's app is not the one the channel's definition links to.",
		fix:   "Send a ChannelAddressIdentifier of a channel created from your channel definition, the definition's developerName in AuthorizationContext, and a token of the app with the definition's prefix."},
	{n: 10070, msg: `Provide a channel address identifier that's configured with the specified authorization context.`,
		cause: "The channel address was created from another channel definition than the one named in AuthorizationContext.",
		fix:   "Send the developerName of the channel's own definition in AuthorizationContext, or the address of a channel created from the definition you name."},
	{n: 10087, msg: `The AuthorizationContext in the request isn't valid for the given botId.`,
		cause: "The bot is not connected to the channel definition named in AuthorizationContext.",
		fix:   "Send the botId of a bot set up for this channel, with the channel definition's developerName in AuthorizationContext."},
	{n: 10093, msg: `Invalid authorization context type.`,
		cause: "The AuthorizationContextType header is not one the API takes.",
		fix:   "Send the AuthorizationContextType the API reference names for this call (the channel definition's developerName goes in AuthorizationContext), or leave the header out where it is optional."},
	{n: 10099, msg: `Org does not have correct permissions.`,
		cause: "The subscriber org lacks what the call needs: Messaging for Bring Your Own Channel (or CCaaS) licensing, or the Interaction Service is not set up.",
		fix:   "Have the subscriber's admin check the org's Bring Your Own Channel licences and that Messaging and the Interaction Service are enabled; then retry."},
	{n: 10104, msg: `No access to MessagingSession record.`,
		cause: "The user the token acts as cannot see the MessagingSession record.",
		fix:   "Give the integration user (the sub of the JWT) access to MessagingSession records: a permission set with the Messaging objects, and sharing that reaches the record."},
	{n: 15102, msg: `To use this API, enable Contact Center as a Service.`,
		cause: "The API is a CCaaS one and the subscriber org has not enabled Contact Center as a Service.",
		fix:   "Have the subscriber's admin enable Contact Center as a Service (Setup), or do not call CCaaS APIs for a Messaging channel."},
	{n: 15104, msg: `Messaging channel is not linked to any Contact Center`,
		cause: "The CCaaS channel is not linked to a contact center in the subscriber org.",
		fix:   "Have the subscriber's admin link the channel to the contact center (Setup → Contact Centers), then retry."},
	{n: 15105, msg: `To use this API, add Partner Messaging to the user.`,
		cause: "The user the token acts as lacks the Partner Messaging permission.",
		fix:   "Assign the integration user (the sub of the JWT) a permission set or licence that grants Partner Messaging in the subscriber org."},
}

// Request codes: Salesforce's message and the request field to correct.
var requestCodes = []code{
	{n: 10007, msg: "The file ID field is empty.", field: "the attachment's file ID"},
	{n: 10008, msg: "The file size exceeds the maximum limit of 25 MB.", field: "the attachment (at most 25 MB)"},
	{n: 10009, msg: "The file is empty or doesn’t exist.", field: "the attachment file part"},
	{n: 10010, msg: "The interaction contentLength field is empty.", field: "contentLength"},
	{n: 10011, msg: "The number of interactions of type AttachmentInteraction does not match the number of attachment files.", field: "the AttachmentInteraction entries against the file parts"},
	{n: 10012, msg: "Enter a valid workItemId for the MessagingSession ID.", field: "workItemId"},
	{n: 10013, msg: "Enter either a capacityPercentage or a capacityWeight, but not both.", field: "capacityPercentage or capacityWeight"},
	{n: 10014, msg: "Enter a capacity weight greater than or equal to 0.", field: "capacityWeight"},
	{n: 10015, msg: "Enter a capacity percentage between 0 and 100, inclusive.", field: "capacityPercentage"},
	{n: 10018, msg: "The conversation identifier is not valid.", field: "conversationIdentifier"},
	{n: 10019, msg: "The service is in read-only mode because an org migration is in progress. Try again later.", field: "nothing: retry later"},
	{n: 10020, msg: "The endUserClientId provided is not valid.", field: "endUserClientId"},
	{n: 10021, msg: "Enter a valid Consent Status Enum value.", field: "consentStatus"},
	{n: 10024, msg: "For Flow based Routing, flow ID and Fallback Queue ID are required fields.", field: "flowId and fallbackQueueId"},
	{n: 10025, msg: "The conversation id isn't found based on channelAddressIdentifier and CUSTOM channel type.", field: "conversationIdentifier with channelAddressIdentifier"},
	{n: 10027, msg: `The provided "to" field isn't valid.`, field: "to"},
	{n: 10028, msg: `The provided "from" field isn't valid.`, field: "from"},
	{n: 10029, msg: "The provided interaction list isn't valid.", field: "interactions"},
	{n: 10030, msg: "Specify either a flow or a queue to Route API.", field: "flow or queue"},
	{n: 10032, msg: "Specified Queue ID is invalid.", field: "queueId"},
	{n: 10033, msg: "Should not pass in error message when routing result success.", field: "errorMessage"},
	{n: 10034, msg: "Error message missing when routing result false.", field: "errorMessage"},
	{n: 10036, msg: "The participant does not exist.", field: "the participant"},
	{n: 10037, msg: "The AppType provided is not supported.", field: "appType"},
	{n: 10038, msg: "The Participant Role provided is not supported.", field: "role"},
	{n: 10039, msg: "Add participants to your conversation.", field: "participants"},
	{n: 10042, msg: "Include one end user participant in the conversation.", field: "participants"},
	{n: 10043, msg: "Invalid participant role. Specify a Chatbot or EndUser role for all participants.", field: "participants[].role"},
	{n: 10044, msg: "Include only one end user participant in the conversation.", field: "participants"},
	{n: 10045, msg: "Provide a valid message entry format.", field: "the message entry"},
	{n: 10046, msg: "Invalid clientTimestamp. Send messages within the allowed response time frame.", field: "clientTimestamp"},
	{n: 10047, msg: "Specified Message Type is invalid.", field: "messageType"},
	{n: 10048, msg: "Specified Format Type is invalid.", field: "formatType"},
	{n: 10049, msg: "Specified Message Type and Format Type combination is invalid.", field: "messageType with formatType"},
	{n: 10050, msg: "Specified custom integration is invalid.", field: "the custom integration"},
	{n: 10051, msg: "The file size (in bytes) of uploaded attachment is incorrect.", field: "contentLength of the attachment"},
	{n: 10052, msg: `The "channelAddressIdentifier" field set in post conversation request isn't valid.`, field: "channelAddressIdentifier"},
	{n: 10053, msg: `The "participants" field set in post conversation request is either invalid or empty.`, field: "participants"},
	{n: 10054, msg: "Invalid subject of participant in conversation request.", field: "participants[].subject"},
	{n: 10055, msg: "Conversation precondition failed. Please retry.", field: "nothing: retry"},
	{n: 10056, msg: "Conversation processing aborted. Please retry.", field: "nothing: retry"},
	{n: 10058, msg: "Customer Error occurred.", field: "the request"},
	{n: 10059, msg: "Interaction ID or Message ID is empty.", field: "interactionId or messageId"},
	{n: 10060, msg: "Interaction ID and Message ID are mismatched.", field: "interactionId and messageId"},
	{n: 10061, msg: "The StartTime provided for messaging session is invalid.", field: "startTime"},
	{n: 10062, msg: "Invalid message type. Only StaticContentMessage, ChoicesResponseMessage, and FormResponseMessage types are supported for messages sent from an end user.", field: "messageType"},
	{n: 10063, msg: "Your environment isn't ready to use the ConversationHistory API with a messaging session. Remove the messagingSession parameter from the payload.", field: "messagingSession (remove it)"},
	{n: 10064, msg: "The EndTime provided for messaging session is invalid.", field: "endTime"},
	{n: 10065, msg: "Invalid end-user participant details. Conversations with end-users remain open and don't have a leftTime.", field: "leftTime of the end user (remove it)"},
	{n: 10066, msg: "Invalid chatbot participant details. leftTime is required for conversations with chatbots when the conversation is ended.", field: "leftTime of the chatbot"},
	{n: 10067, msg: "Invalid joinedTime. Specify a joinedTime that is earlier than the leftTime.", field: "joinedTime"},
	{n: 10068, msg: "Invalid participant. The message isn't from an approved participant.", field: "the message's sender"},
	{n: 10071, msg: "Session is not found.", field: "sessionId"},
	{n: 10072, msg: "Specify a valid session ID.", field: "sessionId"},
	{n: 10073, msg: "Invalid message ID. Provide a unique ID for each message entry.", field: "messageId"},
	{n: 10074, msg: "Invalid message timestamp. The message Timestamp must occur while the sender is in the conversation.", field: "timestamp"},
	{n: 10075, msg: "Your Salesforce org isn't ready to use the Routing API with conferencing. Upgrade to the latest version or set the routingType to Initial or Transfer.", field: "routingType"},
	{n: 10076, msg: "Your Salesforce org isn't ready to use the Delete Route API with cancel reason. Upgrade to the latest version or remove cancelReason from the payload.", field: "cancelReason (remove it)"},
	{n: 10077, msg: "Your Salesforce org isn't ready to use the Agent Work API with agent action as conference. Upgrade to the latest version or set the agentAction to Transfer.", field: "agentAction"},
	{n: 10078, msg: "An error occurred due to an invalid payload parameter. Check the parameters and try again. For help, see Send Historical Conversation Entries.", field: "the payload's parameters"},
	{n: 10082, msg: "Invalid workId: Please provide a valid workId.", field: "workId"},
	{n: 10083, msg: "Invalid context type: The context type provided is not supported or is invalid.", field: "contextType"},
	{n: 10084, msg: "Invalid botId: Please provide a valid botId.", field: "botId"},
	{n: 10085, msg: "Invalid status: Please provide a valid status.", field: "status"},
	{n: 10086, msg: "The ExternalBotId is invalid.", field: "externalBotId"},
	{n: 10088, msg: "The bot is inactive and can't be used for conversations.", field: "botId (activate the bot in the org)"},
	{n: 10089, msg: "Invalid parameters passed to API.", field: "the parameters"},
	{n: 10090, msg: "The StartTime provided to fetch Conversation Entries is invalid.", field: "startTime"},
	{n: 10091, msg: "Invalid EndTime. Provide an EndTime that is after the StartTime.", field: "endTime"},
	{n: 10092, msg: "Invalid Limit. Provide a value within the allowed range and try again.", field: "limit"},
	{n: 10094, msg: "The request failed due to a timeout from a downstream service. Please try again later.", field: "nothing: retry later"},
	{n: 10095, msg: "The MIME type of the uploaded file cannot be determined. Please check the file and try again.", field: "the file's content type"},
	{n: 10096, msg: "The channel variable value length in routing attribute payload is larger than the maximum length configured in Messaging Channel setup page.", field: "the routing attribute's channel variable (or its maximum length in the channel's setup)"},
	{n: 10097, msg: "Invalid operation. Please provide a valid operation for Participant API.", field: "operation"},
	{n: 10098, msg: "The progressIndicatorCapability parameter can't be empty. Please provide a valid value or remove the parameter from the payload and try again.", field: "progressIndicatorCapability"},
	{n: 10100, msg: "A request body is required and can't be empty. Provide a valid payload and ensure data is included and correctly formatted.", field: "the request body"},
	{n: 10101, msg: "We found duplicate participants. Make sure each participant is unique and try again.", field: "participants"},
	{n: 10102, msg: "Invalid operation type value for POST messaging session request.", field: "operationType"},
	{n: 10103, msg: "Invalid operationBy value for POST messaging session.", field: "operationBy"},
	{n: 10105, msg: "End User not found.", field: "the end user's identifier"},
	{n: 10106, msg: "Messaging Session ID is missing for Inactivate Messaging Session API.", field: "messagingSessionId"},
	{n: 15103, msg: "The Messaging End User is not Fully Opted In", field: "nothing in the request: the end user's consent"},
	{n: 15106, msg: "Invalid User Id parameter", field: "userId"},
	{n: 15107, msg: "Enter a conversationId that matches a conversation linked to workItemId …. conversationId … doesn't match.", field: "conversationId with workItemId"},
	{n: 15108, msg: "No service channel was found for this messaging session.", field: "workItemId"},
	{n: 15109, msg: "An active AgentWork record already exists with the same UserId and WorkItemId.", field: "userId with workItemId"},
	{n: 15110, msg: "Enter a valid workItemId … for the MessagingSession ID.", field: "workItemId"},
	{n: 15111, msg: "WorkItemId … for the MessagingSession ID not found.", field: "workItemId"},
	{n: 15112, msg: "The agent's status is not associated with the channel for this work.", field: "the agent's presence status"},
	{n: 20002, msg: "An error occured when retrieve conversation list based on endUserAddress.", field: "endUserAddress"},
	{n: 20003, msg: "Empty interaction list in request.", field: "interactions"},
	{n: 20004, msg: "Pod not found error occurred when fetch Org perms.", field: "nothing: retry, then contact Salesforce Support"},
	{n: 25005, msg: "We couldn't find the Messaging End User for workItemId …. Verify that the Messaging Session exists, then try again.", field: "workItemId"},
	{n: 25006, msg: "We couldn't find the conversation for workItemId …. Verify that the conversation exists, then try again.", field: "workItemId"},
	{n: 25007, msg: "We couldn't find conversationId for workItemId …. Verify that the conversation exists, then try again.", field: "workItemId"},
}

// interactionEntries are the codes as entries: each matched by its number
// and by Salesforce's message (as written, or escaped inside JSON).
func interactionEntries() []Entry {
	var out []Entry
	for _, c := range setupCodes {
		out = append(out, c.entry(AreaInteraction, c.cause, c.fix))
	}
	for _, c := range requestCodes {
		fix := "Correct " + c.field + " in the request and send it again (the Interaction Service API reference gives each field's form)."
		if rest, ok := strings.CutPrefix(c.field, "nothing"); ok {
			fix = "Nothing to correct in the request" + rest + "."
		}
		out = append(out, c.entry(AreaRequest, "Salesforce: \""+c.msg+"\"", fix))
	}
	return out
}

func (c code) entry(a Area, cause, fix string) Entry {
	n := strconv.Itoa(c.n)
	text := `{"message":"` + strings.ReplaceAll(c.msg, `"`, `\"`) + `","code":` + n + `}`
	match := []string{`\b` + n + `\b`}
	// The message, a value Salesforce fills in matching anything, as
	// written and as JSON escapes it.
	pattern := func(msg string) string {
		parts := strings.Split(msg, "…")
		for i, p := range parts {
			parts[i] = regexp.QuoteMeta(p)
		}
		return strings.Join(parts, `.{0,200}?`)
	}
	if len(c.msg) >= 12 {
		match = append(match, pattern(c.msg), pattern(strings.ReplaceAll(c.msg, `"`, `\"`)))
	}
	return Entry{ID: n, Area: a, Texts: []string{text}, Cause: cause, Fix: fix, Source: srcErrorCodes, match: match}
}

// requestTable renders the request codes as one table in docs/errors.md.
func requestTable(b *bytes.Buffer) {
	b.WriteString("\nSalesforce's message names what is wrong with the request; correct that field and send the request\n")
	b.WriteString("again. `byocpack explain CODE` prints the row. *Source: " + srcErrorCodes + ".*\n\n")
	b.WriteString("| code | Salesforce's message | correct |\n|---|---|---|\n")
	cell := strings.NewReplacer("|", `\|`, "\n", " ")
	for _, c := range requestCodes {
		fmt.Fprintf(b, "| %d | %s | %s |\n", c.n, cell.Replace(c.msg), cell.Replace(c.field))
	}
}
