// Package spec defines byoc.yaml, the one file a partner writes, and loads
// it strictly: every problem is reported with the file, line, column and key
// path, and a fix. The same field definitions drive the loader, the defaults
// and the JSON Schema that editors use, so they cannot drift apart.
package spec

import (
	"strings"

	"github.com/byocpack/byocpack/generator/problem"
	"github.com/byocpack/byocpack/internal/apiver"
)

// Spec is a loaded, checked and defaulted byoc.yaml.
type Spec struct {
	// File is the spec's path as given to Load, for messages.
	File string
	// positions are where each key the spec sets is written.
	positions map[string]pos
	// Notes are warnings about the spec that do not stop a run.
	Notes []problem.Problem

	Prefix  string
	Package Package
	// App is nil when the channel's connectedAppType is Customer: the
	// customer's admin creates the app, so the package carries none.
	App *App
	// CustomerApp is the app the customer's admin creates, described in
	// ADMIN-SETUP.md; set exactly when connectedAppType is Customer.
	CustomerApp *CustomerApp
	// Channel is the first of Channels: the channel of a one-channel
	// spec.
	Channel Channel
	// Channels are every channel of the package, in the spec's order:
	// channel alone, or the items of channels.
	Channels []Channel
}

// Package describes the 2GP package and the Salesforce DX project.
type Package struct {
	Name          string
	Namespace     string
	Path          string
	SourceOrgPath string
	VersionNumber string
	VersionName   string
	Description   string
	// APIVersion is sourceApiVersion as written, such as "66.0".
	APIVersion string
	api        apiver.Version
	// DefinitionFile is the scratch org definition sf package version
	// create builds its validation org from; empty when the spec names
	// none.
	DefinitionFile string
}

// App types.
const (
	ExternalClientApplication = "ExternalClientApplication"
	ConnectedApp              = "ConnectedApp"
)

// App is the OAuth app the Interaction Service authenticates the partner
// with.
type App struct {
	Type         string
	Name         string
	Label        string
	ContactEmail string
	Description  string
	// CallbackURL is the first of CallbackURLs.
	CallbackURL  string
	CallbackURLs []string
	// Scopes are the values of the WSDL's ConnectedAppOauthAccessScope
	// (Interaction, RefreshToken, SFAP, ...), in the order the spec lists
	// them; render spells and orders them as each file takes them.
	Scopes          []string
	CertificatePath string
	// CertificatePEM is the certificate re-encoded as PEM with LF endings.
	CertificatePEM    string
	DistributionState string
	// PKCERequired is nil when the spec leaves Salesforce's default.
	PKCERequired *bool
	// SecretForRefreshToken is nil when the spec leaves Salesforce's
	// default.
	SecretForRefreshToken *bool
	// NamedUserJWT is isNamedUserJwtEnabled, defaulted per app type as
	// each type's procedure asks (on for a connected app only).
	NamedUserJWT bool
	// ClientCredentials enables the client credentials flow; its Run As
	// user is Policies.ClientCredentialsUser.
	ClientCredentials bool
	// OrgScopedExternalApp and OAuthLink are the Dev Hub identifiers a
	// retrieve carries, empty when the spec has none.
	OrgScopedExternalApp string
	OAuthLink            string
	// ReleasedVersion is set for a connected app released in a
	// first-generation package of the namespace: the package then carries
	// the stub that references it (Stub), not the app.
	ReleasedVersion string
	Policies        Policies
}

// Stub reports whether the package carries the stub of a connected app
// released in a first-generation package rather than the app itself.
func (a *App) Stub() bool { return a.Type == ConnectedApp && a.ReleasedVersion != "" }

// APIName is the app's API name, {prefix}_{name}.
func (s *Spec) AppAPIName() string { return prefixed(s.Prefix, s.App.Name) }

// AppLabels are the labels of the files an external client app is
// rendered into, all derived from App.Label here alone.
type AppLabels struct {
	App, OAuthSettings, GlobalOAuthSettings, OAuthPolicies, Policies string
}

// Labels returns the labels of the app's files.
func (a *App) Labels() AppLabels {
	return AppLabels{
		App:                 a.Label,
		OAuthSettings:       a.Label + " OAuth Settings",
		GlobalOAuthSettings: a.Label + " Global OAuth Settings",
		OAuthPolicies:       a.Label + " OAuth Policies",
		Policies:            a.Label + " Policies",
	}
}

func (l AppLabels) all() []string {
	return []string{l.App, l.OAuthSettings, l.GlobalOAuthSettings, l.OAuthPolicies, l.Policies}
}

// HasSourceOrgFiles reports whether anything is rendered into the
// non-packaged source-org directory: only an external client app has
// settings and policies that stay in the org that owns it.
func (s *Spec) HasSourceOrgFiles() bool {
	return s.App != nil && s.App.Type == ExternalClientApplication
}

// PackageableAs2GP reports whether the project can become a
// second-generation managed package version, and when not, why, naming the
// spec key to change. A Partner channel's app must be an external client
// app whose distributionState is Packaged: a Local one stays in the org it
// was made in ("External client app is not installed in this org"
// elsewhere), and a connected app packages only in a first-generation
// package, unless the package carries the stub of one released there
// (app.releasedVersion). The pipeline still writes the Metadata API zip, for deploying to
// one's own org or to a 1GP packaging org, but no package-version-info.zip.
func (s *Spec) PackageableAs2GP() (ok bool, reason string) {
	switch a := s.App; {
	case a == nil, a.Stub():
		return true, ""
	case a.Type == ConnectedApp:
		return false, "app.type is ConnectedApp: a connected app packages only in a first-generation managed package, so no 2GP package version can be built; deploy the Metadata API zip to the 1GP packaging org, set app.releasedVersion once the app is released there to package its stub, or switch app.type to ExternalClientApplication"
	case a.DistributionState != "Packaged":
		return false, "app.distributionState is " + a.DistributionState + ": a Local external client app works only in the org it is deployed to and can't go into a managed package; set app.distributionState: Packaged to build a package version"
	}
	return true, ""
}

// CustomerApp is the OAuth app a Customer channel's admin creates in the
// subscriber org: nothing of it is rendered as metadata.
type CustomerApp struct {
	Type, Name, Label, CallbackURL string
	// Scopes are enum values, as App.Scopes.
	Scopes []string
	// Policies sets only who may use the app.
	Policies Policies
}

// CustomerAppAPIName is the API name Salesforce gives the customer's app,
// {prefix}_{name}: its prefix links it to the channel.
func (s *Spec) CustomerAppAPIName() string { return prefixed(s.Prefix, s.CustomerApp.Name) }

// Policies are the admin-side OAuth policies of the app.
type Policies struct {
	PermittedUsers string
	Profiles       []string
	PermissionSets []string
	// IPRelaxation and RefreshTokenPolicy take the external client app's
	// spellings (Enforce, SpecificLifetime); the validity is set with a
	// Specific policy only.
	IPRelaxation             string
	RefreshTokenPolicy       string
	RefreshTokenValidity     string
	RefreshTokenValidityUnit string
	// ClientCredentialsUser is the client credentials flow's Run As user.
	ClientCredentialsUser string
	// SessionLevel and SessionLevelAction are empty unless the spec sets
	// them (external client apps only).
	SessionLevel       string
	SessionLevelAction string
}

// Connected app owners of a channel.
const (
	Partner  = "Partner"
	Customer = "Customer"
)

// Channel is the ConversationChannelDefinition and what it references.
type Channel struct {
	// key is where the spec writes it: channel, or channels[1].
	key              string
	Name             string
	Label            string
	ConnectedAppType string
	Vendor           Vendor
	Event            Event
	RoutingOwner     string
	ConsentOwner     string
	Features         Features
}

// DeveloperName is the channel definition's developerName,
// {prefix}_{name}.
func (s *Spec) ChannelDeveloperName() string { return prefixed(s.Prefix, s.Channel.Name) }

// AllChannels are the package's channels: Channels, or Channel alone
// for a Spec built without the loader.
func (s *Spec) AllChannels() []Channel {
	if len(s.Channels) > 0 {
		return s.Channels
	}
	return []Channel{s.Channel}
}

// DeveloperName is the channel definition's developerName,
// {prefix}_{name}: every channel of a package shares the spec's prefix.
func (s *Spec) DeveloperNameOf(c Channel) string { return prefixed(s.Prefix, c.Name) }

// Vendor is the ConversationVendorInfo the channel points to.
type Vendor struct {
	Name  string
	Label string
	Type  string
}

// Event is the custom platform event the Interaction Service publishes
// outbound messages on.
type Event struct {
	Name         string
	Label        string
	TypeField    string
	PayloadField string
}

// APIName is the event's object API name, such as Message_Event__e.
func (e Event) APIName() string { return e.Name + "__e" }

// Features are the optional channel capabilities. A nil pointer means the
// spec did not say, and the element is left out so Salesforce's default
// applies.
type Features struct {
	Keywords                *bool
	ExplicitConsent         *bool
	DoubleOptInConsent      *bool
	IsoCountryCode          *bool
	CustomChannelParameters *bool
	InboundReceipts         *bool
	TypingIndicatorHidden   *bool
	ConferenceSupported     *bool
}

// Position returns the 1-based line and column where key (a dotted path
// such as "app.certificate") is written in the spec, or the nearest
// enclosing key that is; 0, 0 when none is.
func (s *Spec) Position(key string) (line, col int) {
	for k := key; k != ""; {
		if p, ok := s.positions[k]; ok {
			return p.line, p.col
		}
		i := strings.LastIndexByte(k, '.')
		if i < 0 {
			break
		}
		k = k[:i]
	}
	return 0, 0
}
