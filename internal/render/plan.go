package render

import (
	"fmt"
	"path"
	"strings"

	"github.com/byocpack/byocpack/generator/spec"
	"github.com/byocpack/byocpack/internal/apiver"
	"github.com/byocpack/byocpack/internal/castub"
	"github.com/byocpack/byocpack/internal/registry"
)

// Component is one metadata component the spec calls for, planned before
// anything is rendered.
type Component struct {
	// Type is the metadata type, as the Salesforce CLI's registry names it.
	Type string
	// FullName is the component's name as package.xml lists it:
	// Message_Event__e.Payload__c for a field of the event.
	FullName string
	// Path is where its source file goes, relative to the output
	// directory, slash-separated; folder and suffix come from the registry.
	Path string
	// InPackage is true for what ships in the package, false for what
	// stays in the org that owns the app (the source-org directory).
	InPackage bool
	// data is what the type's template renders, its fields keyed.
	data docData
}

// ownTemplate is data rendered by a template other than its type's: the
// stub of a released connected app is a ConnectedApp too.
type ownTemplate interface{ template() string }

// template is the name of the template the component is rendered with.
func (c Component) template() string {
	name := c.Type
	if t, ok := c.data.(ownTemplate); ok {
		name = t.template()
	}
	return name + ".xml.tmpl"
}

// docData is a template's data: it embeds doc, which the planner fills.
type docData interface{ setDoc(doc) }

func (d *doc) setDoc(v doc) { *d = v }

// globalOauthType holds the certificate and, once deployed, the consumer
// key and secret: never packaged, and kept out of git.
const globalOauthType = "ExtlClntAppGlobalOauthSettings"

// Plan lists the metadata components the spec calls for, in a fixed order,
// without rendering them.
func Plan(s *spec.Spec) ([]Component, error) { return plan(s, registry.New()) }

// planner builds the plan; every name, label and path is computed here
// once.
type planner struct {
	reg      *registry.Registry
	version  apiver.Version
	pkg, org string // the package's and the source org's main/default
	out      []Component
}

// add appends a component of typ named name (its file name; a child's
// full name is prefixed with its parent's), placed where sf looks for it,
// and returns it.
func (p *planner) add(typ, name string, inPackage bool, parent *Component, data docData) (Component, error) {
	t, parentType, err := registryType(p.reg, typ)
	if err != nil {
		return Component{}, err
	}
	root := p.org
	if inPackage {
		root = p.pkg
	}
	c := Component{Type: t.Name, FullName: name, InPackage: inPackage, data: data}
	var dir string
	switch {
	case parentType != nil:
		// A child lives in its parent's folder: objects/E__e/fields/.
		if parent == nil || parent.Type != parentType.Name {
			return Component{}, fmt.Errorf("render: a %s must be planned inside a %s", typ, parentType.Name)
		}
		dir = path.Join(path.Dir(parent.Path), t.DirectoryName)
		c.FullName = parent.FullName + "." + name
	case t.Strategies.Adapter == "decomposed":
		// A decomposed parent has a folder of its own: objects/E__e/.
		dir = path.Join(root, t.DirectoryName, name)
	default:
		dir = path.Join(root, t.DirectoryName)
	}
	c.Path = path.Join(dir, sourceFileName(t, name))
	data.setDoc(doc{typ: t.Name, version: p.version})
	p.out = append(p.out, c)
	return c, nil
}

// registryType looks typ up in the registry, with its parent type when it
// is a child type.
func registryType(reg *registry.Registry, typ string) (t, parent *registry.Type, err error) {
	t, parent, ok := reg.ByName(typ)
	if !ok {
		return nil, nil, fmt.Errorf("render: the metadata registry has no type %s", typ)
	}
	return t, parent, nil
}

// sourceFileName is the source-format file of a component: name, the
// type's suffix, -meta.xml.
func sourceFileName(t *registry.Type, name string) string { return name + "." + t.Suffix + "-meta.xml" }

// packageAPI is the spec's sourceApiVersion, which spec.Load has checked;
// zero when the spec sets none.
func packageAPI(s *spec.Spec) apiver.Version {
	v, _ := apiver.Parse(s.Package.APIVersion)
	return v
}

func plan(s *spec.Spec, reg *registry.Registry) ([]Component, error) {
	p := &planner{
		reg:     reg,
		version: packageAPI(s),
		pkg:     path.Join(s.Package.Path, "main", "default"),
		org:     path.Join(s.Package.SourceOrgPath, "main", "default"),
	}
	if err := p.app(s); err != nil {
		return nil, err
	}
	if err := p.channel(s); err != nil {
		return nil, err
	}
	return p.out, nil
}

func (p *planner) app(s *spec.Spec) error {
	a := s.App
	if a == nil {
		return nil
	}
	name, labels := s.AppAPIName(), a.Labels()
	// Setup takes several callback URLs one per line, and so does the one
	// element that holds them.
	callbackURLs := strings.Join(a.CallbackURLs, "\n")
	if a.Stub() {
		// The app itself is in the first-generation package it was
		// released in; the package references it by namespace and name.
		_, err := p.add(spec.ConnectedApp, name, true, nil, &connectedAppStubData{
			DeveloperName: castub.DeveloperName(s.Package.Namespace, name), Label: labels.App, Version: a.ReleasedVersion,
		})
		return err
	}
	if a.Type == spec.ConnectedApp {
		_, err := p.add(spec.ConnectedApp, name, true, nil, &connectedAppData{
			ContactEmail: a.ContactEmail, Description: a.Description, Label: labels.App,
			CallbackURL: callbackURLs, Certificate: a.CertificatePEM,
			AdminApproved: a.Policies.PermittedUsers == "AdminApprovedPreAuthorized",
			Scopes:        scopeTokens(apiver.ConnectedAppScopes, a.Scopes), Profiles: a.Policies.Profiles, PermissionSets: a.Policies.PermissionSets,
			PKCE: optBool(a.PKCERequired), SecretForRefreshToken: optBool(a.SecretForRefreshToken),
			IPRelaxation: connectedAppIPRelaxation(a.Policies.IPRelaxation), RefreshTokenPolicy: connectedAppRefreshTokenPolicy(a.Policies),
			NamedUserJWT: a.NamedUserJWT, ClientCredentials: a.ClientCredentials, ClientCredentialsUser: a.Policies.ClientCredentialsUser,
		})
		return err
	}
	// The settings and policies after the header and its OAuth settings
	// stay in the org that owns the app: the global settings hold the
	// certificate (and, once deployed, the consumer key and secret); the
	// policies are the subscriber admin's, generated with defaults on
	// install.
	for _, c := range []struct {
		typ, suffix string
		inPackage   bool
		data        docData
	}{
		{"ExternalClientApplication", "", true, &ecaData{ContactEmail: a.ContactEmail, Description: a.Description,
			DistributionState: a.DistributionState, Label: labels.App, OrgScopedExternalApp: a.OrgScopedExternalApp}},
		{"ExtlClntAppOauthSettings", "_oauth", true, &ecaOauthData{App: name, Label: labels.OAuthSettings,
			Scopes: strings.Join(scopeTokens(apiver.ECAScopes, a.Scopes), ", "), OAuthLink: a.OAuthLink}},
		{globalOauthType, "_glbloauth", false, &ecaGlobalData{App: name, Label: labels.GlobalOAuthSettings,
			CallbackURL: callbackURLs, Certificate: a.CertificatePEM, PKCE: optBool(a.PKCERequired), SecretForRefreshToken: optBool(a.SecretForRefreshToken),
			NamedUserJWT: a.NamedUserJWT, ClientCredentials: a.ClientCredentials}},
		{"ExtlClntAppOauthConfigurablePolicies", "_oauthPlcy", false, &ecaOauthPolicyData{App: name, Label: labels.OAuthPolicies,
			PermittedUsers: a.Policies.PermittedUsers, Profiles: a.Policies.Profiles, PermissionSets: a.Policies.PermissionSets, ClientCredentials: a.ClientCredentials, Policies: a.Policies}},
		{"ExtlClntAppConfigurablePolicies", "_plcy", false, &ecaPolicyData{App: name, Label: labels.Policies}},
	} {
		if _, err := p.add(c.typ, name+c.suffix, c.inPackage, nil, c.data); err != nil {
			return err
		}
	}
	return nil
}

// scopeTokens writes scopes as a retrieve does: in enum order, each in the
// file's own spelling. Nothing is added: OfflineAccess appears only when the
// spec lists it, as a retrieve of the "refresh_token, offline_access"
// checkbox shows RefreshToken alone.
func scopeTokens(d apiver.ScopeDialect, names []string) []string {
	var out []string
	for _, n := range apiver.SortScopes(names) {
		out = append(out, apiver.ScopeToken(d, n))
	}
	return out
}

// eventRefs are the full names a channel definition refers to its
// platform event and fields by.
type eventRefs struct{ event, typeField, payload string }

// channel plans every channel of the spec. Channels that name the same
// event or vendor share one record, planned once (the spec checked that
// they describe it the same).
func (p *planner) channel(s *spec.Spec) error {
	events, vendors := map[string]eventRefs{}, map[string]string{}
	for _, ch := range s.AllChannels() {
		ev, ok := events[ch.Event.Name]
		if !ok {
			var err error
			if ev, err = p.event(ch.Event); err != nil {
				return err
			}
			events[ch.Event.Name] = ev
		}
		vendor, ok := vendors[ch.Vendor.Name]
		if !ok {
			c, err := p.add("ConversationVendorInfo", ch.Vendor.Name, true, nil,
				&vendorData{DeveloperName: ch.Vendor.Name, MasterLabel: ch.Vendor.Label, VendorType: ch.Vendor.Type})
			if err != nil {
				return err
			}
			vendor, vendors[ch.Vendor.Name] = c.FullName, c.FullName
		}
		// The channel refers to the event, its fields and the vendor by
		// the full names planned above.
		name := s.DeveloperNameOf(ch)
		if _, err := p.add("ConversationChannelDefinition", name, true, nil, &channelData{
			ConnectedAppType: ch.ConnectedAppType, ConsentOwner: ch.ConsentOwner, RoutingOwner: ch.RoutingOwner,
			VendorInfo: vendor, PlatformEvent: ev.event, TypeField: ev.typeField, PayloadField: ev.payload,
			DeveloperName: name, MasterLabel: ch.Label, flags: channelFlags(ch.Features, p.version),
		}); err != nil {
			return err
		}
	}
	return nil
}

// event plans a platform event and its two fields.
func (p *planner) event(ev spec.Event) (eventRefs, error) {
	event, err := p.add("CustomObject", ev.APIName(), true, nil, &eventData{Label: ev.Label, PluralLabel: ev.Label + "s"})
	if err != nil {
		return eventRefs{}, err
	}
	// Payload carries the whole outbound message as JSON, hence the
	// platform events' long text maximum.
	payloadName, typeName := ev.PayloadField+"__c", ev.TypeField+"__c"
	payload, err := p.add("CustomField", payloadName, true, &event,
		&fieldData{APIName: payloadName, Label: ev.PayloadField, Type: "LongTextArea", Length: 131072, VisibleLines: 3})
	if err != nil {
		return eventRefs{}, err
	}
	typeField, err := p.add("CustomField", typeName, true, &event,
		&fieldData{APIName: typeName, Label: ev.TypeField, Type: "Text", Length: 255})
	if err != nil {
		return eventRefs{}, err
	}
	return eventRefs{event.FullName, typeField.FullName, payload.FullName}, nil
}
