package pack

import (
	"bytes"
	"encoding/json"
	"fmt"
	"strings"

	"github.com/byocpack/byocpack/internal/sfdx"
)

type member = sfdx.Member

// omit lists the packageDirectories keys the packaging library never sends
// (cleanPackageDescriptorJson plus the ones it deletes on the way).
func omittedKeys() map[string]bool {
	return map[string]bool{
		"default": true, "includeProfileUserLicenses": true, "unpackagedMetadata": true, "seedMetadata": true,
		"branch": true, "fullPath": true, "name": true, "scopeProfiles": true,
		"language": true, "ancestorVersion": true, "ancestorId": true,
		"apexTestAccess": true, "packageMetadataAccess": true,
	}
}

func str(raw json.RawMessage) (string, bool) {
	var s string
	if json.Unmarshal(raw, &s) != nil {
		return "", false
	}
	return s, true
}

func rawString(s string) json.RawMessage {
	var b bytes.Buffer
	writeJSString(&b, s)
	return b.Bytes()
}

// descriptor builds package2-descriptor.json the way
// PackageVersionCreate does for the fields known offline. notes collects
// what needs the Dev Hub and was therefore left out.
func descriptor(proj *sfdx.Project, pd *sfdx.PackageDir, file string) (data []byte, notes []string, err error) {
	where := fmt.Sprintf("%s:%d", file, pd.Line)
	if pd.Package == "" {
		return nil, nil, fmt.Errorf("%s: the package directory %q has no \"package\": add the package name to build a package version", where, pd.Path)
	}
	if pd.VersionNumber == "" {
		return nil, nil, fmt.Errorf("%s: \"versionNumber\" is required, e.g. \"1.0.0.NEXT\"", where)
	}
	omit := omittedKeys()
	var out []member
	var ancestor, ancestorKey string
	var pkgMetaAccess json.RawMessage
	for _, m := range pd.Members {
		switch m.Key {
		case "definitionFile":
			// The CLI turns the scratch org definition into a settings zip
			// of its own at version create; it is not part of the
			// descriptor byocpack can build offline.
			notes = append(notes, fmt.Sprintf("package2-descriptor.json leaves out \"definitionFile\" (%s): sf package version create reads it and builds the validation org's settings itself", strings.Trim(string(m.Value), `"`)))
			continue
		case "seedMetadata":
			return nil, nil, fmt.Errorf("%s: \"seedMetadata\" is not supported by byocpack's packager; remove it", where)
		case "ancestorVersion", "ancestorId":
			ancestor, _ = str(m.Value)
			ancestorKey = m.Key
		case "packageMetadataAccess":
			pkgMetaAccess = m.Value
		case "dependencies":
			deps, err := dependencies(proj, m.Value, where)
			if err != nil {
				return nil, nil, err
			}
			out = append(out, member{Key: m.Key, Value: deps})
			continue
		}
		if m.Key == "package" || omit[m.Key] {
			continue
		}
		out = append(out, m)
	}
	// The library deletes "package" and appends the 0Ho id at the end.
	if id := packageID(proj, pd.Package); id != "" {
		out = append(out, member{Key: "id", Value: rawString(id)})
	} else {
		notes = append(notes, fmt.Sprintf("package2-descriptor.json has no \"id\": %q has no 0Ho id in packageAliases; the Dev Hub supplies it at upload", pd.Package))
	}
	if pkgMetaAccess != nil {
		var acc struct {
			PermissionSets        any `json:"permissionSets"`
			PermissionSetLicenses any `json:"permissionSetLicenses"`
		}
		if err := json.Unmarshal(pkgMetaAccess, &acc); err != nil {
			return nil, nil, fmt.Errorf("%s: \"packageMetadataAccess\": %v", where, err)
		}
		for _, kv := range []struct {
			key string
			v   any
		}{{"packageMetadataPermissionSetNames", acc.PermissionSets}, {"packageMetadataPermissionSetLicenseNames", acc.PermissionSetLicenses}} {
			if list := splitNames(kv.v); list != nil {
				raw, _ := json.Marshal(list)
				out = append(out, member{Key: kv.key, Value: raw})
			}
		}
	}
	if !has(out, "versionName") {
		name := pd.VersionNumber
		if parts := strings.Split(name, "."); len(parts) > 3 && parts[3] == "NEXT" {
			name = name[:strings.Index(name, ".NEXT")]
		}
		out = append(out, member{Key: "versionName", Value: rawString(name)})
	}
	switch a := resolveAncestor(proj, ancestor); {
	case a.ok:
		out = append(out, member{Key: "ancestorId", Value: rawString(a.id)})
	default:
		what := "no ancestor is set, so the CLI asks the Dev Hub for the highest released version"
		if ancestorKey != "" {
			what = fmt.Sprintf("%s %q is not a 05i id or an alias of one in packageAliases", ancestorKey, ancestor)
		}
		notes = append(notes, "package2-descriptor.json has no \"ancestorId\": "+what+"; the Dev Hub resolves it at upload")
	}
	var b bytes.Buffer
	b.WriteByte('{')
	for i, m := range out {
		if i > 0 {
			b.WriteByte(',')
		}
		writeJSString(&b, m.Key)
		b.WriteByte(':')
		if err := writeJSValue(&b, m.Value); err != nil {
			return nil, nil, fmt.Errorf("%s: %q: %v", where, m.Key, err)
		}
	}
	b.WriteByte('}')
	return b.Bytes(), notes, nil
}

func has(ms []member, key string) bool {
	for _, m := range ms {
		if m.Key == key {
			return true
		}
	}
	return false
}

// splitNames mirrors the library: a string is split on commas, and every
// item is trimmed.
func splitNames(v any) []string {
	var out []string
	switch t := v.(type) {
	case string:
		for _, s := range strings.Split(t, ",") {
			out = append(out, strings.TrimSpace(s))
		}
	case []any:
		out = []string{}
		for _, s := range t {
			if str, ok := s.(string); ok {
				out = append(out, strings.TrimSpace(str))
			}
		}
	}
	return out
}

func packageID(proj *sfdx.Project, pkg string) string {
	if strings.HasPrefix(pkg, "0Ho") {
		return pkg
	}
	if id := proj.PackageAliases[pkg]; strings.HasPrefix(id, "0Ho") {
		return id
	}
	return ""
}

type ancestorResult struct {
	id string
	ok bool
}

func resolveAncestor(proj *sfdx.Project, v string) ancestorResult {
	switch {
	case v == "NONE":
		return ancestorResult{"", true}
	case strings.HasPrefix(v, "05i"):
		return ancestorResult{v, true}
	case proj.PackageAliases[v] != "" && strings.HasPrefix(proj.PackageAliases[v], "05i"):
		return ancestorResult{proj.PackageAliases[v], true}
	}
	return ancestorResult{}
}

// dependencies keeps only dependencies known offline: a 04t id or an
// alias of one; anything else needs Dev Hub queries.
func dependencies(proj *sfdx.Project, raw json.RawMessage, where string) (json.RawMessage, error) {
	var deps []struct {
		Package string `json:"package"`
	}
	if err := json.Unmarshal(raw, &deps); err != nil {
		return nil, fmt.Errorf("%s: \"dependencies\" must be an array of {\"package\": ...}: %v", where, err)
	}
	var b bytes.Buffer
	b.WriteByte('[')
	for i, d := range deps {
		id := d.Package
		if !strings.HasPrefix(id, "04t") {
			id = proj.PackageAliases[d.Package]
		}
		if !strings.HasPrefix(id, "04t") {
			return nil, fmt.Errorf("%s: dependency %q is not a 04t package version id or an alias of one in packageAliases; resolving it needs the Dev Hub, so add its 04t id to packageAliases", where, d.Package)
		}
		if i > 0 {
			b.WriteByte(',')
		}
		b.WriteString(`{"subscriberPackageVersionId":`)
		writeJSString(&b, id)
		b.WriteByte('}')
	}
	b.WriteByte(']')
	return b.Bytes(), nil
}
