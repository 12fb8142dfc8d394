// Package render turns a loaded spec into the files of a Salesforce DX
// project, in memory. It writes nothing: the caller validates the files
// and then commits them to disk in one step.
package render

import (
	"bytes"
	"encoding/xml"
	"fmt"
	"path"
	"strings"
	"text/template"

	"byocpack/generator/spec"
	"byocpack/templates"
)

// File is one rendered file.
type File struct {
	// Path is relative to the output directory, slash-separated.
	Path string
	Data []byte
	// Type is the metadata type, empty for project files.
	Type string
	// InPackage is true under the packaged package directory.
	InPackage bool
	// Merged files (sfdx-project.json, .gitignore) may hold the user's own
	// content: they are updated in place, never removed.
	Merged bool
}

// Renderer holds the parsed templates; it is safe for concurrent use.
type Renderer struct {
	tmpl *template.Template
}

// New parses the embedded templates once. missingkey=error makes a
// template that names a field the data lacks fail instead of printing
// "<no value>".
func New() (*Renderer, error) {
	t, err := template.New("").Option("missingkey=error").Funcs(template.FuncMap{
		"x":    escape,
		"join": strings.Join,
	}).ParseFS(templates.FS, "*.xml.tmpl")
	if err != nil {
		return nil, fmt.Errorf("parse templates: %w", err)
	}
	return &Renderer{tmpl: t}, nil
}

// escape XML-escapes text content. Newlines are kept as they are (a PEM
// certificate spans lines); encoding/xml would turn them into &#xA;.
func escape(s string) string {
	var b strings.Builder
	for _, line := range strings.SplitAfter(s, "\n") {
		body := strings.TrimSuffix(line, "\n")
		_ = xml.EscapeText(&b, []byte(body))
		if len(body) != len(line) {
			b.WriteByte('\n')
		}
	}
	return b.String()
}

// component is one metadata file to render.
type component struct {
	typ, dir, fullName, suffix string
	inPackage                  bool
	data                       any
}

// Plan lists the metadata components the spec calls for, without
// rendering them.
func plan(s *spec.Spec) []component {
	v := s.Package.API()
	pkg := path.Join(s.Package.Path, "main", "default")
	org := path.Join(s.Package.SourceOrgPath, "main", "default")
	d := func(typ string) doc { return doc{typ: typ, version: v} }
	var cs []component
	add := func(c component) { cs = append(cs, c) }

	if a := s.App; a != nil {
		name := s.AppAPIName()
		switch a.Type {
		case spec.ExternalClientApplication:
			add(component{"ExternalClientApplication", path.Join(pkg, "externalClientApps"), name, "eca", true,
				ecaData{d("ExternalClientApplication"), a.ContactEmail, a.Description, a.DistributionState, a.Label}})
			add(component{"ExtlClntAppOauthSettings", path.Join(pkg, "extlClntAppOauthSettings"), name + "_oauth", "ecaOauth", true,
				ecaOauthData{d("ExtlClntAppOauthSettings"), name, a.Label + " OAuth Settings", a.Scopes}})
			// What follows stays in the org that owns the app: the global
			// settings hold the certificate (and, once deployed, the
			// consumer key and secret); the policies are the subscriber
			// admin's, generated with defaults on install.
			add(component{"ExtlClntAppGlobalOauthSettings", path.Join(org, "extlClntAppGlobalOauthSets"), name + "_glbloauth", "ecaGlblOauth", false,
				ecaGlobalData{d("ExtlClntAppGlobalOauthSettings"), name, a.Label + " Global OAuth Settings", a.CallbackURL, a.CertificatePEM}})
			add(component{"ExtlClntAppOauthConfigurablePolicies", path.Join(org, "extlClntAppOauthPolicies"), name + "_oauthPlcy", "ecaOauthPlcy", false,
				ecaOauthPolicyData{d("ExtlClntAppOauthConfigurablePolicies"), name, a.Label + " OAuth Policies", a.Policies.PermittedUsers, a.Policies.Profiles, a.Policies.PermissionSets}})
			add(component{"ExtlClntAppConfigurablePolicies", path.Join(org, "extlClntAppPolicies"), name + "_plcy", "ecaPlcy", false,
				ecaPolicyData{d("ExtlClntAppConfigurablePolicies"), name, a.Label + " Policies"}})
		case spec.ConnectedApp:
			add(component{"ConnectedApp", path.Join(pkg, "connectedApps"), name, "connectedApp", true,
				connectedAppData{d("ConnectedApp"), a.ContactEmail, a.Description, a.Label, a.CallbackURL, a.CertificatePEM,
					a.Policies.PermittedUsers == "AdminApprovedPreAuthorized", a.Scopes, a.Policies.Profiles, a.Policies.PermissionSets}})
		}
	}

	ch := s.Channel
	ev := ch.Event.APIName()
	evDir := path.Join(pkg, "objects", ev)
	add(component{"CustomObject", evDir, ev, "object", true,
		eventData{d("CustomObject"), ch.Event.Label, ch.Event.Label + "s"}})
	// Payload carries the whole outbound message as JSON, hence the
	// platform events' long text maximum.
	add(component{"CustomField", path.Join(evDir, "fields"), ch.Event.PayloadField + "__c", "field", true,
		fieldData{d("CustomField"), ch.Event.PayloadField + "__c", ch.Event.PayloadField, "LongTextArea", 131072, 3}})
	add(component{"CustomField", path.Join(evDir, "fields"), ch.Event.TypeField + "__c", "field", true,
		fieldData{d("CustomField"), ch.Event.TypeField + "__c", ch.Event.TypeField, "Text", 255, 0}})
	add(component{"ConversationVendorInfo", path.Join(pkg, "ConversationVendorInformation"), ch.Vendor.Name, "ConversationVendorInformation", true,
		vendorData{d("ConversationVendorInfo"), ch.Vendor.Name, ch.Vendor.Label, ch.Vendor.Type}})
	cd := d("ConversationChannelDefinition")
	add(component{"ConversationChannelDefinition", path.Join(pkg, "conversationChannelDefinitions"), s.ChannelDeveloperName(), "ConversationChannelDefinition", true,
		channelData{cd, ch.ConnectedAppType, ch.ConsentOwner, ch.RoutingOwner, ch.Vendor.Name, ev,
			ev + "." + ch.Event.TypeField + "__c", ev + "." + ch.Event.PayloadField + "__c",
			s.ChannelDeveloperName(), ch.Label, channelFlags(ch.Features, v)}})
	return cs
}

// Render returns every file of the project the spec describes, sorted by
// path. existingProject is the current sfdx-project.json of the output
// directory (nil when there is none) and existingGitignore its .gitignore;
// both are merged rather than replaced.
func (r *Renderer) Render(s *spec.Spec, existingProject, existingGitignore []byte) ([]File, error) {
	var files []File
	for _, c := range plan(s) {
		var buf bytes.Buffer
		if err := r.tmpl.ExecuteTemplate(&buf, c.typ+".xml.tmpl", c.data); err != nil {
			return nil, fmt.Errorf("render %s %s: %w", c.typ, c.fullName, err)
		}
		files = append(files, File{
			Path:      path.Join(c.dir, c.fullName+"."+c.suffix+"-meta.xml"),
			Data:      buf.Bytes(),
			Type:      c.typ,
			InPackage: c.inPackage,
		})
	}
	project, err := mergeProject(existingProject, s)
	if err != nil {
		return nil, err
	}
	files = append(files, File{Path: "sfdx-project.json", Data: project, Merged: true})
	if s.HasSourceOrgFiles() {
		files = append(files, File{Path: ".gitignore", Data: mergeGitignore(existingGitignore, s), Merged: true})
	}
	sortFiles(files)
	return files, nil
}
