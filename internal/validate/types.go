package validate

import (
	"path"
	"strings"

	"github.com/byocpack/byocpack/internal/registry"
)

// Metadata type names the rules look at.
const (
	typeECA           = "ExternalClientApplication"
	typeOauthSettings = "ExtlClntAppOauthSettings"
	typeGlobalOauth   = "ExtlClntAppGlobalOauthSettings"
	typeOauthPolicies = "ExtlClntAppOauthConfigurablePolicies"
	typePolicies      = "ExtlClntAppConfigurablePolicies"
	typeConnectedApp  = "ConnectedApp"
	typeCCD           = "ConversationChannelDefinition"
	typeCVI           = "ConversationVendorInfo"
	typeCustomObject  = "CustomObject"
	typeCustomField   = "CustomField"
)

// splitMetaName splits "dir/Name.suffix-meta.xml" into "Name" and "suffix";
// ok is false for files that are not source-format metadata.
func splitMetaName(p string) (name, suffix string, ok bool) {
	base := path.Base(p)
	stem, found := strings.CutSuffix(base, "-meta.xml")
	if !found {
		return "", "", false
	}
	i := strings.LastIndexByte(stem, '.')
	if i <= 0 || i == len(stem)-1 {
		return "", "", false
	}
	return stem[:i], stem[i+1:], true
}

// TypeOf infers the metadata type of a source-format path from its suffix,
// exactly as sf does: case-sensitive, by the Salesforce CLI's registry
// (internal/registry), and a child type's suffix (CustomField's field)
// wherever the file is. It returns "" when the registry knows no such
// suffix.
func TypeOf(p string) string {
	if _, _, ok := splitMetaName(p); !ok {
		return "" // spare building the registry for what is not metadata
	}
	return typeOf(registry.New(), p)
}

func typeOf(reg *registry.Registry, p string) string {
	name, suffix, ok := splitMetaName(p)
	if !ok {
		return ""
	}
	if t := bundleMetaType(reg, p, name); t != "" {
		return t
	}
	if t, ok := reg.BySuffix(suffix); ok {
		return t.Name
	}
	if t, _, ok := reg.ByChildSuffix(suffix); ok {
		return t.Name
	}
	return ""
}

// fullName is the component name sf derives from a source path.
func fullName(p string) string {
	name, _, ok := splitMetaName(p)
	if !ok {
		return strings.TrimSuffix(path.Base(p), path.Ext(p))
	}
	return name
}

// caseMismatchSuffix returns the correctly cased suffix when p's suffix
// matches a registry suffix only case-insensitively: the lookup is
// case-sensitive on purpose, sf's is, and that mismatch is what
// BYOC-SUFFIX-CASE catches.
func caseMismatchSuffix(reg *registry.Registry, p string) (got, want string, ok bool) {
	_, suffix, found := splitMetaName(p)
	if !found || typeOf(reg, p) != "" {
		return "", "", false
	}
	if want, ok := reg.SuggestSuffix(suffix); ok {
		return suffix, want, true
	}
	if want, ok := reg.SuggestChildSuffix(suffix); ok {
		return suffix, want, true
	}
	return "", "", false
}

// bundleMetaType is the type of the meta file of a bundle or mixed-content
// component, which sf infers from the folder, not the suffix:
// lwc/x/x.js-meta.xml is a LightningComponentBundle, aura/x/x.cmp-meta.xml
// an AuraDefinitionBundle, experiences/x.site-meta.xml an ExperienceBundle
// (whose suffix is SiteDotCom's). Only the file's own folders are looked
// at, so a folder above the project named "lwc" changes nothing.
func bundleMetaType(reg *registry.Registry, p, name string) string {
	dir := path.Dir(p)
	parent, grand := path.Base(dir), path.Base(path.Dir(dir))
	for _, t := range reg.StrictFolderTypesIn([]string{parent, grand}) {
		switch t.Strategies.Adapter {
		case "bundle":
			if grand == t.DirectoryName && parent == name {
				return t.Name
			}
		case "mixedContent":
			if parent == t.DirectoryName && t.Name == "ExperienceBundle" {
				return t.Name
			}
		}
	}
	return ""
}
