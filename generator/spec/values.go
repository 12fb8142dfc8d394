package spec

// Salesforce's enumeration values that byocpack writes, compares and
// explains, named once: the Metadata API spells them this way in every
// file, and a typo in a bare string would compare false silently.
const (
	// PermittedUsers (ExtlClntAppOauthConfigurablePolicies
	// permittedUsersPolicyType; a connected app's isAdminApproved).
	AdminApprovedPreAuthorized = "AdminApprovedPreAuthorized"
	AllSelfAuthorized          = "AllSelfAuthorized"

	// DistributionState of an external client app.
	Packaged = "Packaged"
	Local    = "Local"

	// ConversationVendorInfo vendorType: BYOC for Messaging, and BYOC for
	// contact centers (CCaaS).
	BringYourOwnChannelPartner = "BringYourOwnChannelPartner"
	BringYourOwnContactCenter  = "BringYourOwnContactCenter"

	// RefreshTokenPolicy (refreshTokenPolicyType).
	RefreshInfinite         = "Infinite"
	RefreshSpecificLifetime = "SpecificLifetime"
)

// PreAuthorization is the one judgement of who may use the app under the
// JWT bearer flow, which has no consent screen: the spec loader refuses
// what it returns as NoOne, and doctor reports each outcome.
type PreAuthorization int

// The outcomes of JudgePreAuthorization.
const (
	// PreAuthorized: admin-approved users, with at least one profile or
	// permission set.
	PreAuthorized PreAuthorization = iota
	// SelfAuthorized: users must approve the app themselves, which the
	// JWT bearer flow cannot ask them to ("user hasn't approved this
	// consumer").
	SelfAuthorized
	// NoOne: admin-approved, but no profile or permission set is
	// pre-authorized, so no user can get a token.
	NoOne
)

// JudgePreAuthorization judges an app's policies.
func JudgePreAuthorization(p Policies) PreAuthorization {
	switch {
	case p.PermittedUsers != AdminApprovedPreAuthorized:
		return SelfAuthorized
	case len(p.Profiles)+len(p.PermissionSets) == 0:
		return NoOne
	}
	return PreAuthorized
}
