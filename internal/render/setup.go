package render

import (
	"slices"
	"strings"

	"github.com/byocpack/byocpack/generator/spec"
	"github.com/byocpack/byocpack/internal/apiver"
	textesc "github.com/byocpack/byocpack/internal/escape"
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
	// App is the packaged app; nil for a Customer channel.
	App *setupApp
	// CustomerApp is what the customer's admin creates; nil for a
	// Partner channel.
	CustomerApp *setupApp
	// Packageable is false when no 2GP package version can be built;
	// NotPackageable then says why.
	Packageable    bool
	NotPackageable string
}

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
	// Stub is set when the package carries the stub of a connected app
	// released in a first-generation package: StubPath is its file,
	// DeveloperName and Version its values.
	Stub                             bool
	StubPath, DeveloperName, Version string
}

// setupOf gathers the guides' data from the spec and the planned
// components.
func setupOf(s *spec.Spec, components []Component) setupData {
	event := s.Channel.Event.APIName()
	if ns := s.Package.Namespace; ns != "" {
		event = ns + "__" + event
	}
	d := setupData{
		Package: s.Package, Channel: s.ChannelDeveloperName(), ChannelLabel: s.Channel.Label,
		Event: event, EventLabel: s.Channel.Event.Label,
		Messaging: s.Channel.Vendor.Type == "BringYourOwnChannelPartner",
	}
	d.Packageable, d.NotPackageable = s.PackageableAs2GP()
	if a := s.App; a != nil {
		app := &setupApp{
			ECA: a.Type == spec.ExternalClientApplication, Local: a.DistributionState != "Packaged",
			APIName: s.AppAPIName(), Label: a.Label, Name: a.Name, CallbackURLs: a.CallbackURLs,
			Scopes: setupScopes(a.Scopes), AdminApproved: a.Policies.PermittedUsers == "AdminApprovedPreAuthorized",
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
		d.App = app
	}
	if c := s.CustomerApp; c != nil {
		d.CustomerApp = &setupApp{
			ECA: c.Type == spec.ExternalClientApplication, Local: true,
			APIName: s.CustomerAppAPIName(), Label: c.Label, Name: s.Prefix + " " + c.Name, CallbackURLs: []string{c.CallbackURL},
			Scopes: setupScopes(c.Scopes), AdminApproved: c.Policies.PermittedUsers == "AdminApprovedPreAuthorized",
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
