package pack

import (
	"bytes"
	"fmt"
	"strings"
	"unicode"

	"github.com/byocpack/byocpack/internal/sfdx"
)

// definition is a scratch org definition file (definitionFile) as the
// packaging library reads it.
type definition struct {
	path string // as sfdx-project.json names it
	data []byte
	json *jsValue
}

// descriptor builds package2-descriptor.json the way PackageVersionCreate
// does, step by step on the same object (packaging 5.0.21,
// createPackageVersionCreateRequestFromOptions), so that keys land where
// its deletes, assignments and spreads put them. Values only the Dev Hub
// knows (the 0Ho id without an alias, ancestors to look up, dependencies
// by version) are left out, each with a note.
func descriptor(proj *sfdx.Project, pd *sfdx.PackageDir, file string, def *definition, codeCoverage bool) (data []byte, notes []string, err error) {
	where := fmt.Sprintf("%s:%d", file, pd.Line)
	if pd.Package == "" {
		return nil, nil, fmt.Errorf("%s: the package directory %q has no \"package\": add the package name to build a package version", where, pd.Path)
	}
	if pd.VersionNumber == "" {
		return nil, nil, fmt.Errorf("%s: \"versionNumber\" is required, e.g. \"1.0.0.NEXT\"", where)
	}
	// structuredClone(packageObject): the entry as written. (The keys core
	// adds, name and fullPath, are removed again below.)
	d := &jsValue{kind: jsObject}
	for _, m := range pd.Members {
		v, err := parseJS(m.Value)
		if err != nil {
			return nil, nil, fmt.Errorf("%s: %q: %v", where, m.Key, err)
		}
		d.set(m.Key, v)
	}
	if d.get("package").truthy() {
		d.del("package")
		if id := packageID(proj, pd.Package); id != "" {
			d.set("id", jsStr(id))
		} else {
			notes = append(notes, fmt.Sprintf("package2-descriptor.json has no \"id\": %q has no 0Ho id in packageAliases; the Dev Hub supplies it at upload", pd.Package))
		}
	}
	if d.get("language").truthy() {
		d.del("language") // sent as the request's Language instead
	}
	if def != nil {
		for _, k := range []string{"features", "orgPreferences", "definitionFile", "snapshot"} {
			d.del(k)
		}
		if def.json.kind != jsObject {
			return nil, nil, fmt.Errorf("%s: a scratch org definition must be a JSON object", def.path)
		}
		if hasSettings(def.json) && def.json.get("orgPreferences") != nil {
			return nil, nil, fmt.Errorf("%s: \"settings\" and \"orgPreferences\" cannot both be set (the CLI's signupDuplicateSettingsSpecified); move the preferences into settings", def.path)
		}
		// copyDescriptorProperties: Object.assign of these, each matched
		// case-insensitively in the definition, undefined when absent.
		for _, prop := range []string{"country", "edition", "language", "features", "orgPreferences", "snapshot", "release", "sourceOrg"} {
			val := &jsValue{kind: jsUndefined}
			for _, m := range def.json.obj {
				if strings.EqualFold(m.key, prop) {
					val = m.val
					break
				}
			}
			d.set(prop, val)
		}
	}
	if err := resolveBuildUserPermissions(d, codeCoverage); err != nil {
		return nil, nil, fmt.Errorf("%s: %v", where, err)
	}
	if deps := d.get("dependencies"); deps != nil && deps.kind == jsArray && len(deps.arr) > 0 {
		resolved, depNotes := dependencies(proj, deps)
		notes = append(notes, depNotes...)
		if len(resolved) > 0 {
			d.set("dependencies", &jsValue{kind: jsArray, arr: resolved})
		} else {
			d.del("dependencies")
		}
	}
	// cleanPackageDescriptorJson: what only the client uses.
	for _, k := range []string{"default", "includeProfileUserLicenses", "unpackagedMetadata", "seedMetadata", "branch", "fullPath", "name", "scopeProfiles"} {
		d.del(k)
	}
	if !d.get("versionName").truthy() {
		name := pd.VersionNumber
		if parts := strings.Split(name, "."); len(parts) > 3 && parts[3] == "NEXT" {
			name = name[:strings.Index(name, ".NEXT")]
		}
		d.set("versionName", jsStr(name))
	}
	ancestorKey, ancestor := "", ""
	for _, k := range []string{"ancestorVersion", "ancestorId"} {
		if s, ok := d.get(k).stringValue(); ok && s != "" {
			ancestorKey, ancestor = k, s
		}
	}
	d.del("ancestorVersion")
	switch a := resolveAncestor(proj, ancestor); {
	case a.ok:
		d.set("ancestorId", jsStr(a.id))
	default:
		d.del("ancestorId")
		what := "no ancestor is set, so the CLI asks the Dev Hub for the highest released version"
		if ancestorKey != "" {
			what = fmt.Sprintf("%s %q is not a 05i id or an alias of one in packageAliases", ancestorKey, ancestor)
		}
		notes = append(notes, "package2-descriptor.json has no \"ancestorId\": "+what+"; the Dev Hub resolves it at upload")
	}
	var b bytes.Buffer
	if err := d.stringify(&b); err != nil {
		return nil, nil, fmt.Errorf("%s: %v", where, err)
	}
	return b.Bytes(), notes, nil
}

// resolveBuildUserPermissions turns apexTestAccess (with code coverage
// only) and packageMetadataAccess into the name lists the server reads,
// then removes both, as the library's function of that name does.
func resolveBuildUserPermissions(d *jsValue, codeCoverage bool) error {
	type conv struct{ from, field, to string }
	var convs []conv
	if codeCoverage {
		convs = append(convs, conv{"apexTestAccess", "permissionSets", "permissionSetNames"},
			conv{"apexTestAccess", "permissionSetLicenses", "permissionSetLicenseDeveloperNames"})
	}
	convs = append(convs, conv{"packageMetadataAccess", "permissionSets", "packageMetadataPermissionSetNames"},
		conv{"packageMetadataAccess", "permissionSetLicenses", "packageMetadataPermissionSetLicenseNames"})
	for _, c := range convs {
		v := d.get(c.from).get(c.field)
		if !v.truthy() {
			continue
		}
		var items []*jsValue
		switch v.kind {
		case jsArray:
			items = v.arr
		case jsString:
			for _, s := range strings.Split(v.str, ",") {
				items = append(items, jsStr(s))
			}
		default:
			return fmt.Errorf("%s.%s must be a string or an array of strings", c.from, c.field)
		}
		out := &jsValue{kind: jsArray, arr: []*jsValue{}}
		for _, it := range items {
			s, ok := it.stringValue()
			if !ok {
				return fmt.Errorf("%s.%s must be a string or an array of strings", c.from, c.field)
			}
			out.arr = append(out.arr, jsStr(trimJS(s)))
		}
		d.set(c.to, out)
	}
	d.del("apexTestAccess")
	d.del("packageMetadataAccess")
	return nil
}

// trimJS is String.prototype.trim: JavaScript's white space and line
// terminators, which include the BOM and the Unicode space separators.
func trimJS(s string) string {
	return strings.TrimFunc(s, func(r rune) bool {
		return r == '\uFEFF' || r == '\u2028' || r == '\u2029' || unicode.IsSpace(r) || unicode.Is(unicode.Zs, r)
	})
}

// hasSettings is ScratchOrgSettingsGenerator.hasSettings: a non-empty
// settings or objectSettings.
func hasSettings(def *jsValue) bool {
	for _, k := range []string{"settings", "objectSettings"} {
		if v := def.get(k); v != nil && !jsEmpty(v) {
			return true
		}
	}
	return false
}

// jsEmpty is kit's isEmpty: an empty object, array or string, or nothing.
func jsEmpty(v *jsValue) bool {
	switch v.kind {
	case jsObject:
		return len(v.obj) == 0
	case jsArray:
		return len(v.arr) == 0
	case jsString:
		return v.str == ""
	case jsNull, jsUndefined:
		return true
	}
	return false
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

// dependencies resolves what is known offline: a 04t id, or an alias of
// one in packageAliases, becomes {"subscriberPackageVersionId": id}, as the
// library writes it; a package and version to look up needs the Dev Hub,
// so it is left out with a note.
func dependencies(proj *sfdx.Project, deps *jsValue) (resolved []*jsValue, notes []string) {
	for _, dep := range deps.arr {
		name, _ := dep.get("package").stringValue()
		id := name
		if !strings.HasPrefix(id, "04t") {
			id = proj.PackageAliases[name]
		}
		if !strings.HasPrefix(id, "04t") {
			what := name
			if v, ok := dep.get("versionNumber").stringValue(); ok {
				what += "@" + v
			}
			notes = append(notes, fmt.Sprintf("package2-descriptor.json leaves out the dependency %q: it is not a 04t package version id or an alias of one in packageAliases, so the Dev Hub resolves it at upload (add its 04t id to packageAliases to have it here)", what))
			continue
		}
		resolved = append(resolved, &jsValue{kind: jsObject, obj: []jsMember{{"subscriberPackageVersionId", jsStr(id)}}})
	}
	return resolved, notes
}
