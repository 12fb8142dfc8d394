package render

import (
	"slices"
	"strings"

	textesc "github.com/byocpack/byocpack/generator/escape"
	"github.com/byocpack/byocpack/generator/spec"
	"github.com/byocpack/byocpack/internal/apiver"
)

// The setup guides are written from the same plan as the metadata, so every
// name and path in them is the one the files carry.
const (
	setupFile      = "SETUP.md"
	adminSetupFile = "ADMIN-SETUP.md"
)

// setupData is what SETUP.md and ADMIN-SETUP.md are rendered from.
type setupData struct {
	Package spec.Package
	// Channel is the channel definition's developerName, the
	// AuthorizationContext of every Interaction Service call.
	Channel, ChannelLabel string
	// Event is the platform event's API name as the subscriber org sees
	// it, with the package's namespace.
	Event, EventLabel string
	Messaging         bool
	// Channels are every channel (the first is Channel), Events every
	// distinct platform event, for the steps that take each.
	Channels []setupChannel
	Events   []setupChannel
	// App is the packaged app; nil for a Customer channel.
	App *setupApp
	// CustomerApp is what the customer's admin creates; nil for a
	// Partner channel.
	CustomerApp *setupApp
	// Packageable is false when no 2GP package version can be built;
	// NotPackageable then says why.
	Packageable    bool
	NotPackageable string
	// KeyFile is where byocpack cert puts the private key, beside the
	// project, for a Customer channel's partner to make the pair.
	KeyFile string
}

// setupChannel is a channel definition, or a platform event, as the
// guides name it.
type setupChannel struct{ Name, Label string }

// setupApp is an OAuth app as the guides name it.
type setupApp struct {
	ECA, Local               bool
	APIName, Label, Name     string
	CallbackURLs             []string
	Scopes                   []string // as Setup shows them
	AdminApproved            bool
	Profiles, PermissionSets []string
	Certificate              string // the spec's certificate path
	HeaderPath, SettingsPath string // the packaged ECA files, for the Dev Hub deploy
	SourceOrg, PackagePath   string
	// DevHubDeploy are the --source-dir values of the one Dev Hub deploy
	// command (devHubDeployDirs).
	DevHubDeploy []string
	// NamedUserJWT is what the app's spec says of named-user JWT-based
	// access tokens.
	NamedUserJWT bool
	// Stub is set when the package carries the stub of a connected app
	// released in a first-generation package: StubPath is its file,
	// DeveloperName and Version its values.
	Stub                             bool
	StubPath, DeveloperName, Version string
}

// setupOf gathers the guides' data from the spec and the planned
// components.
func setupOf(s *spec.Spec, components []Component) setupData {
	eventName := func(e spec.Event) string {
		if ns := s.Package.Namespace; ns != "" {
			return ns + "__" + e.APIName()
		}
		return e.APIName()
	}
	event := eventName(s.Channel.Event)
	d := setupData{
		Package: s.Package, Channel: s.ChannelDeveloperName(), ChannelLabel: s.Channel.Label,
		Event: event, EventLabel: s.Channel.Event.Label,
		Messaging: s.Channel.Vendor.Type == spec.BringYourOwnChannelPartner,
	}
	for _, c := range s.AllChannels() {
		d.Channels = append(d.Channels, setupChannel{s.DeveloperNameOf(c), c.Label})
		if e := (setupChannel{eventName(c.Event), c.Event.Label}); !slices.Contains(d.Events, e) {
			d.Events = append(d.Events, e)
		}
	}
	d.Packageable, d.NotPackageable = s.PackageableAs2GP()
	if a := s.App; a != nil {
		app := &setupApp{
			ECA: a.Type == spec.ExternalClientApplication, Local: a.DistributionState != spec.Packaged,
			APIName: s.AppAPIName(), Label: a.Label, Name: a.Name, CallbackURLs: a.CallbackURLs,
			Scopes: setupScopes(a.Scopes), AdminApproved: a.Policies.PermittedUsers == spec.AdminApprovedPreAuthorized,
			Profiles: a.Policies.Profiles, PermissionSets: a.Policies.PermissionSets,
			Certificate: a.CertificatePath, SourceOrg: s.Package.SourceOrgPath, PackagePath: s.Package.Path,
		}
		for _, c := range components {
			switch c.Type {
			case spec.ExternalClientApplication:
				app.HeaderPath = c.Path
			case "ExtlClntAppOauthSettings":
				app.SettingsPath = c.Path
			case spec.ConnectedApp:
				if stub, ok := c.data.(*connectedAppStubData); ok {
					app.Stub, app.StubPath, app.DeveloperName, app.Version = true, c.Path, stub.DeveloperName, stub.Version
				}
			}
		}
		app.NamedUserJWT = a.NamedUserJWT
		if app.ECA && app.HeaderPath != "" {
			app.DevHubDeploy = devHubDeployDirs(s, components)
		}
		d.App = app
	}
	d.KeyFile = "../" + spec.KeyFileName(s.Prefix)
	if c := s.CustomerApp; c != nil {
		d.CustomerApp = &setupApp{
			ECA: c.Type == spec.ExternalClientApplication, Local: true,
			APIName: s.CustomerAppAPIName(), Label: c.Label, Name: s.Prefix + " " + c.Name, CallbackURLs: []string{c.CallbackURL},
			Scopes: setupScopes(c.Scopes), AdminApproved: c.Policies.PermittedUsers == spec.AdminApprovedPreAuthorized,
			Profiles: c.Policies.Profiles, PermissionSets: c.Policies.PermissionSets,
		}
	}
	return d
}

// setupScopes names scopes as Setup lists them: the checkbox labels the
// Interaction Service procedures quote, else the Setup name. RefreshToken
// and OfflineAccess are one checkbox.
func setupScopes(names []string) []string {
	labels := map[string]string{
		"Interaction":   "Access Interaction API resources (interaction_api)",
		"RefreshToken":  "Perform requests at any time (refresh_token, offline_access)",
		"OfflineAccess": "Perform requests at any time (refresh_token, offline_access)",
		"Api":           "Manage user data via APIs (api)",
	}
	var out []string
	for _, n := range apiver.SortScopes(names) {
		l, ok := labels[n]
		if !ok {
			l = n
			if t := apiver.ScopeUIToken(n); t != "" {
				l = "(" + t + ")"
			}
		}
		if !slices.Contains(out, l) {
			out = append(out, l)
		}
	}
	return out
}

// codes writes each item as code, joined by ", ".
func codes(items []string) string {
	out := make([]string, len(items))
	for i, it := range items {
		out[i] = textesc.Code(it)
	}
	return strings.Join(out, ", ")
}

// devHubDeployDirs are the --source-dir values of the one command that
// deploys an external client app to the Dev Hub that owns it: the app's
// header and OAuth settings from the package directory, with the global
// settings and policies of the source-org directory, which name the app
// and fail to deploy without it. The paths are relative to the project
// byocpack wrote, where sf finds sfdx-project.json.
func devHubDeployDirs(s *spec.Spec, components []Component) []string {
	var dirs []string
	for _, c := range components {
		if c.Type == spec.ExternalClientApplication || c.Type == "ExtlClntAppOauthSettings" {
			dirs = append(dirs, c.Path)
		}
	}
	return append(dirs, s.Package.SourceOrgPath)
}

// DeployCommand is the one command, run from the project directory
// byocpack wrote, that deploys the spec's external client app with its
// settings and policies: to the Dev Hub that owns a Packaged app (org
// alias DEVHUB), or, for a Local app, the whole project to the org it
// works in (alias ORG). "" when the spec has no external client app.
// SETUP.md, doctor and the README say these commands alone.
func DeployCommand(s *spec.Spec) (string, error) {
	a := s.App
	if a == nil || a.Type != spec.ExternalClientApplication {
		return "", nil
	}
	if a.DistributionState == spec.Local {
		return "sf project deploy start --target-org ORG --source-dir " + s.Package.Path + " --source-dir " + s.Package.SourceOrgPath, nil
	}
	components, err := Plan(s)
	if err != nil {
		return "", err
	}
	cmd := "sf project deploy start --target-org DEVHUB"
	for _, d := range devHubDeployDirs(s, components) {
		cmd += " --source-dir " + d
	}
	return cmd, nil
}

// Several reports whether the package has more than one channel.
func (d setupData) Several() bool { return len(d.Channels) > 1 }

// ChannelsShown names every channel definition as the guides do:
// `Name` ("Label"), joined.
func (d setupData) ChannelsShown() string {
	var out []string
	for _, c := range d.Channels {
		out = append(out, textesc.Code(c.Name)+` ("`+textesc.Text(c.Label)+`")`)
	}
	return strings.Join(out, ", ")
}

// ChannelNames are the channel definitions' developerNames as code.
func (d setupData) ChannelNames() string {
	var out []string
	for _, c := range d.Channels {
		out = append(out, textesc.Code(c.Name))
	}
	return strings.Join(out, ", ")
}

// ChannelLabels are the channels' labels, quoted, as Messaging Settings
// lists them.
func (d setupData) ChannelLabels() string {
	var out []string
	for _, c := range d.Channels {
		out = append(out, `"`+textesc.Text(c.Label)+`"`)
	}
	return strings.Join(out, ", ")
}

// EventsShown names every platform event: Label (`Name`), joined.
func (d setupData) EventsShown() string {
	var out []string
	for _, e := range d.Events {
		out = append(out, textesc.Text(e.Label)+" ("+textesc.Code(e.Name)+")")
	}
	return strings.Join(out, ", ")
}
