package convert

import (
	"slices"
	"strings"
)

// PackageXMLOptions shape package.xml.
type PackageXMLOptions struct {
	// APIVersion is the <version>: the project's sourceApiVersion.
	APIVersion string
	// FullName, when set, is written as <fullName> after <version>, as
	// `sf project convert source --package-name` does.
	FullName string
	// ProfileEntry appends the <types><name>Profile</name>...</types> entry
	// that `sf package version create` adds to the package.xml inside
	// package.zip, with the given members (none for a project without
	// profiles), after every other type.
	ProfileEntry bool
	Profiles     []string
}

// PackageXML writes package.xml as the CLI does: types sorted by name with
// their members sorted (both by UTF-16 code unit order, which is byte order
// for the ASCII names metadata uses), members before name, 4-space indent,
// LF line ends and a final newline.
func PackageXML(components []Component, opts PackageXMLOptions) []byte {
	byType := map[string][]string{}
	for _, c := range components {
		if opts.ProfileEntry && c.Type == "Profile" {
			continue
		}
		byType[c.Type] = append(byType[c.Type], c.FullName)
	}
	types := make([]string, 0, len(byType))
	for t := range byType {
		types = append(types, t)
	}
	slices.Sort(types)
	var b strings.Builder
	b.WriteString(xmlDecl)
	b.WriteString(`<Package xmlns="` + metadataNS + `">` + "\n")
	for _, t := range types {
		members := slices.Clone(byType[t])
		slices.Sort(members)
		members = slices.Compact(members)
		b.WriteString("    <types>\n")
		for _, m := range members {
			b.WriteString("        <members>" + escapeText(m) + "</members>\n")
		}
		b.WriteString("        <name>" + escapeText(t) + "</name>\n    </types>\n")
	}
	if opts.ProfileEntry {
		b.WriteString("    <types>\n        <name>Profile</name>\n")
		for _, m := range opts.Profiles {
			b.WriteString("        <members>" + escapeText(m) + "</members>\n")
		}
		b.WriteString("    </types>\n")
	}
	b.WriteString("    <version>" + escapeText(opts.APIVersion) + "</version>\n")
	if opts.FullName != "" {
		b.WriteString("    <fullName>" + escapeText(opts.FullName) + "</fullName>\n")
	}
	b.WriteString("</Package>\n")
	return []byte(b.String())
}
