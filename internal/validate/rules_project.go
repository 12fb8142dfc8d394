package validate

import (
	"fmt"
	"path"
	"slices"
	"strings"

	"github.com/byocpack/byocpack/generator/spec"
	"github.com/byocpack/byocpack/internal/diag"
)

// project indexes the parsed documents for the cross-file rules.
type project struct {
	byType map[string][]doc
	// events maps a platform event name (namespace stripped) to the set of
	// its field names (namespace stripped).
	events map[string]map[string]bool
	// packagedApps are the ECAs and connected apps under a package
	// directory; oauthSettings names the apps packaged OAuth settings
	// point to. Both are computed once, not per channel definition.
	packagedApps  []doc
	oauthSettings map[string]bool
	// allApps is apps(), built once: a copy per channel definition made
	// validate quadratic in memory traffic on large trees.
	allApps []doc
	// vendors are the ConversationVendorInfo files by API name and by
	// developerName, the first (by path) where several claim one.
	vendors map[string]doc
}

func indexProject(docs []doc) project {
	p := project{byType: map[string][]doc{}, events: map[string]map[string]bool{}, oauthSettings: map[string]bool{}, vendors: map[string]doc{}}
	for _, d := range docs {
		if d.Root == nil {
			continue
		}
		p.byType[d.Type] = append(p.byType[d.Type], d)
		switch d.Type {
		case typeCustomObject:
			if strings.HasSuffix(d.Name, "__e") {
				if p.events[d.Name] == nil {
					p.events[d.Name] = map[string]bool{}
				}
			}
		case typeCustomField:
			// objects/<Object>/fields/<Field>.field-meta.xml
			obj := path.Base(path.Dir(path.Dir(d.Path)))
			if strings.HasSuffix(obj, "__e") {
				if p.events[obj] == nil {
					p.events[obj] = map[string]bool{}
				}
				p.events[obj][d.Name] = true
			}
		}
	}
	p.allApps = append(slices.Clone(p.byType[typeECA]), p.byType[typeConnectedApp]...)
	for _, a := range p.apps() {
		if a.InPackage {
			p.packagedApps = append(p.packagedApps, a)
		}
	}
	for _, cvi := range p.byType[typeCVI] {
		for _, name := range []string{cvi.Name, cvi.Root.text("developerName")} {
			if _, ok := p.vendors[name]; !ok && name != "" {
				p.vendors[name] = cvi
			}
		}
	}
	for _, s := range p.byType[typeOauthSettings] {
		if s.InPackage {
			p.oauthSettings[s.Root.text("externalClientApplication")] = true
		}
	}
	return p
}

// apps are the OAuth apps a Partner channel can use.
func (p project) apps() []doc { return p.allApps }

func (r *run) crossFile(docs []doc) []diag.Problem {
	p := indexProject(docs)
	a := indexApps(p)
	var ps []diag.Problem
	add := func(x ...diag.Problem) { ps = append(ps, x...) }
	add(r.ecaRefs(p)...)
	add(r.byocAppRules(p, a)...)
	// Channels that share a prefix share their apps: each app's own
	// problem is reported once, at the first channel that finds it (at
	// 1,000 channels of one prefix, once per channel was a million checks).
	add(r.namespace(p)...)
	appReported := map[string]bool{}
	for _, ccd := range p.byType[typeCCD] {
		prefixed := r.namePrefix(p, a, ccd)
		add(prefixed...)
		if len(prefixed) == 0 {
			add(r.appPresence(p, a, ccd, appReported)...)
		}
		add(r.eventRefs(p, ccd)...)
		vendorType, vp := r.vendor(p, ccd)
		add(vp...)
		if vendorType != "" {
			add(r.consentRouting(ccd, vendorType)...)
			add(r.doubleOptIn(ccd, vendorType)...)
		}
	}
	return ps
}

func (r *run) ecaRefs(p project) []diag.Problem {
	ecas := map[string]bool{}
	for _, e := range p.byType[typeECA] {
		ecas[e.Name] = true
	}
	var ps []diag.Problem
	for _, t := range []string{typeOauthSettings, typeGlobalOauth, typeOauthPolicies, typePolicies} {
		for _, d := range p.byType[t] {
			n := d.Root.child("externalClientApplication")
			if n != nil && !ecas[n.Text] {
				ps = append(ps, r.problem(RuleECARef, d.File, n,
					"externalClientApplication %q names no external client app in the project; use the API name of an .eca-meta.xml file", n.Text))
			}
		}
	}
	return ps
}

// namePrefix checks that a Partner channel finds its app: the channel's
// developerName and an app's API name share the prefix, the text before
// the first "_" ("the prefix of the connected app"). It speaks only when
// the package holds apps and none has the prefix; with no app at all,
// appPresence says what is missing. A Customer channel's app is the
// customer's, not in the project.
func (r *run) namePrefix(p project, a apps, ccd doc) []diag.Problem {
	dn := ccd.Root.child("developerName")
	if dn == nil || channelKind(ccd) != "Partner" || len(p.packagedApps) == 0 {
		return nil
	}
	prefix, ok := spec.PrefixOf(dn.Text)
	if !ok {
		return []diag.Problem{r.problem(RuleNamePrefix, ccd.File, dn,
			"developerName %q has no {prefix}_; name it {prefix}_{name} with the prefix of the app API name (e.g. Partner1_ChannelDefinition1 with Partner1_ExternalClientApp1)", dn.Text)}
	}
	if len(a.withPrefix(prefix)) > 0 {
		return nil
	}
	var have []string
	for _, app := range p.packagedApps {
		pre, ok := spec.PrefixOf(app.Name)
		if !ok {
			pre = "none"
		}
		have = append(have, fmt.Sprintf("%s (prefix %s)", app.Name, pre))
	}
	return []diag.Problem{r.problem(RuleNamePrefix, ccd.File, dn,
		"developerName %q has prefix %s but no app in the package does: %s; the channel must use \"the prefix of the connected app\", rename the channel or the app so both start with %s_", dn.Text, prefix, strings.Join(have, ", "), prefix)}
}

// appPresence checks the app a channel links to by its prefix: a Partner
// channel's must be in the package, an external client app with its OAuth
// settings; a Customer channel's must not ("don't include an ECA or
// connected app in your managed package"). Apps with another prefix are
// not the channel's and are left alone.
func (r *run) appPresence(p project, a apps, ccd doc, reported map[string]bool) []diag.Problem {
	linked := a.linkedTo(ccd)
	kind := channelKind(ccd)
	prefix, _ := spec.PrefixOf(ccd.Root.text("developerName"))
	// An app has one prefix, so the first channel of a kind and prefix
	// reports for all of its apps.
	first := !reported[kind+"/"+prefix]
	reported[kind+"/"+prefix] = true
	var ps []diag.Problem
	switch kind {
	case "Customer":
		for _, name := range linked {
			if !first {
				break
			}
			for _, d := range a.files[name] {
				if d.InPackage && (d.Type == typeECA || d.Type == typeConnectedApp) {
					ps = append(ps, r.problem(RuleAppPresence, d.File, d.Root,
						"channel %s has connectedAppType Customer, so \"don't include an ECA or connected app in your managed package\"; remove this app (it shares the channel's prefix) or set connectedAppType to Partner", ccd.Name))
				}
			}
		}
	case "Partner":
		at := ccd.Root.child("connectedAppType")
		if at == nil {
			at = ccd.Root
		}
		packaged := a.linkedPackaged[prefix]
		if len(packaged) == 0 {
			where := "the package holds no external client app or connected app"
			if len(linked) > 0 {
				where = fmt.Sprintf("its app %s is in no package directory", strings.Join(linked, ", "))
			}
			ps = append(ps, r.problem(RuleAppPresence, ccd.File, at,
				"connectedAppType is Partner but %s (subscribers get \"External client app is not installed in this org\"); add a Packaged external client app or set connectedAppType to Customer", where))
			break
		}
		for _, name := range packaged {
			if !first {
				break
			}
			for _, d := range a.files[name] {
				if d.Type == typeECA && d.InPackage && !p.oauthSettings[name] {
					ps = append(ps, r.problem(RuleAppPresence, d.File, d.Root,
						"external client app %s has no ExtlClntAppOauthSettings in the package, so it has no OAuth and no Interaction scope; add an .ecaOauth-meta.xml whose externalClientApplication is %s", name, name))
				}
			}
		}
	}
	return ps
}

func (r *run) eventRefs(p project, ccd doc) []diag.Problem {
	ev := ccd.Root.child("customPlatformEvent")
	if ev == nil || !strings.HasSuffix(ev.Text, "__e") {
		return nil // shape problems are reported by the per-file pass
	}
	event := stripNamespace(ev.Text)
	fields, ok := p.events[event]
	if !ok {
		return []diag.Problem{r.problem(RuleCCDEventRefs, ccd.File, ev,
			"customPlatformEvent %q resolves to no platform event in the project; add objects/%s/%s.object-meta.xml or fix the name", ev.Text, event, event)}
	}
	var ps []diag.Problem
	for _, ref := range []struct{ name, label string }{
		{"customEventPayloadField", "Custom Event Payload Field"},
		{"customEventTypeField", "Custom Event Type Field"},
	} {
		n := ccd.Root.child(ref.name)
		if n == nil {
			continue
		}
		_, f := eventFieldRef(n.Text)
		if !strings.HasSuffix(f, "__c") {
			continue
		}
		if !fields[stripNamespace(f)] {
			ps = append(ps, r.problem(RuleCCDEventRefs, ccd.File, n,
				"%s '%s' not found in Platform Event %s; add objects/%s/fields/%s.field-meta.xml or fix the %s reference", ref.label, f, event, event, stripNamespace(f), ref.name))
		}
	}
	return ps
}

// vendor resolves the channel's ConversationVendorInfo and returns its
// vendorType when it is a BYOC one.
func (r *run) vendor(p project, ccd doc) (string, []diag.Problem) {
	ref := ccd.Root.child("conversationVendorInfo")
	if ref == nil {
		return "", nil
	}
	if cvi, ok := p.vendors[stripNamespace(ref.Text)]; ok {
		vt := cvi.Root.child("vendorType")
		switch {
		case vt == nil:
			return "", []diag.Problem{r.problem(RuleCCDVendor, cvi.File, cvi.Root,
				"ConversationVendorInfo %s has no vendorType; set BringYourOwnChannelPartner (Messaging) or BringYourOwnContactCenter (CCaaS)", cvi.Name)}
		case vt.Text == vendorMessaging || vt.Text == "BringYourOwnContactCenter":
			return vt.Text, nil
		default:
			return "", []diag.Problem{r.problem(RuleCCDVendor, cvi.File, vt,
				"VendorType is invalid for BYOC: %s (channel %s); set BringYourOwnChannelPartner (Messaging) or BringYourOwnContactCenter (CCaaS)", vt.Text, ccd.Name)}
		}
	}
	return "", []diag.Problem{r.problem(RuleCCDVendor, ccd.File, ref,
		"conversationVendorInfo %q resolves to no ConversationVendorInfo in the project; add ConversationVendorInformation/%s.ConversationVendorInformation-meta.xml or fix the name", ref.Text, ref.Text)}
}

// namespace warns once when a package directory carries a channel
// definition and the project has no namespace: a managed package, which a
// BYOC channel ships in, needs the Dev Hub's registered namespace (sf
// package create --package-type Managed refuses a project without one). A
// warning, as the same files also deploy unpackaged to one's own org.
func (r *run) namespace(p project) []diag.Problem {
	if r.in.Namespace != "" {
		return nil
	}
	for _, ccd := range p.byType[typeCCD] {
		if ccd.InPackage {
			at := ccd.File
			if r.in.ProjectFile != "" {
				// The setting to change is the project's, not the channel's.
				at = File{Path: r.in.ProjectFile}
			}
			return []diag.Problem{r.problem(RuleNamespace, at, nil,
				"sfdx-project.json has no namespace, but a managed package needs one: set \"namespace\" (the spec's package.namespace) to the namespace prefix registered in the Dev Hub before sf package create --package-type Managed")}
		}
	}
	return nil
}
