package review

// scopeAllows says, in a reviewer's words, what each OAuth scope token
// (the ConnectedAppOauthAccessScope names metadata uses) lets the app do
// with a user's access token; the OAuth token name is in parentheses.
func scopeAllows(name string) string {
	switch name {
	case "Interaction":
		return "call the Interaction Service API (interaction_api): what the BYOC channel needs"
	case "RefreshToken":
		return "keep access without the user present through refresh tokens (refresh_token, offline_access)"
	case "OfflineAccess":
		return "the same as RefreshToken (offline_access)"
	case "Api":
		return "read and change the user's data through the REST and SOAP APIs (api)"
	case "Web":
		return "use the token as a web session: Visualforce and other pages (web)"
	case "Full":
		return "everything the user can reach, every other scope included (full)"
	case "Chatter":
		return "the Chatter REST API (chatter_api)"
	case "CustomApplications":
		return "custom applications (visualforce)"
	case "Basic", "OpenID", "Profile", "Email", "Address", "Phone":
		return "the user's identity information (" + map[string]string{"Basic": "id", "OpenID": "openid", "Profile": "profile", "Email": "email", "Address": "address", "Phone": "phone"}[name] + ")"
	case "CustomPermissions":
		return "read the user's custom permissions (custom_permissions)"
	case "Wave":
		return "the CRM Analytics REST API (wave_api)"
	case "Eclair":
		return "Analytics maps (eclair_api)"
	case "Pardot":
		return "the Account Engagement API (pardot_api)"
	case "Lightning":
		return "Lightning applications (lightning)"
	case "Content":
		return "content such as files (content)"
	case "Chatbot":
		return "the chatbot API (chatbot_api)"
	case "CDP", "CDPIngest", "CDPProfile", "CDPQuery", "CDPSegment", "CDPIdentityResolution", "CDPCalculatedInsight":
		return "Data Cloud APIs (cdp_*_api)"
	case "ForgotPassword", "UserRegistration", "PwdlessLogin":
		return "headless identity flows for Experience Cloud users"
	case "SFAP", "SFApiPlatform":
		return "the Salesforce API Platform (sfap_api)"
	case "EinsteinGPT":
		return "Einstein generative AI (einstein_gpt_api)"
	case "MCP":
		return "Model Context Protocol servers (mcp)"
	case "SCRT":
		return "Service Cloud real-time services"
	}
	return "a scope byocpack does not know: check what it grants"
}

// needed are the scopes the Interaction Service flow uses; anything else
// widens what a leaked token can do.
func needed(name string) bool {
	return name == "Interaction" || name == "RefreshToken" || name == "OfflineAccess"
}
