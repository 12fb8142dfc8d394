package spec

import (
	"fmt"
	"net/mail"
	"net/url"
	"path"
	"regexp"
	"slices"
	"strings"
	"sync"
	"unicode/utf8"

	"github.com/byocpack/byocpack/internal/apiver"
	"github.com/byocpack/byocpack/internal/castub"
)

// apiNamePattern is Salesforce's rule for API names: a letter first, then
// letters, digits and single underscores, no trailing underscore. A double
// underscore reads as a namespace separator and fails on deploy with
// "Cannot create a new component with the namespace".
var apiNamePattern = sync.OnceValue(func() *regexp.Regexp { return regexp.MustCompile(`^[A-Za-z](?:[A-Za-z0-9]|_[A-Za-z0-9])*$`) })

// maxAPINameLen is the length limit of a DeveloperName.
const maxAPINameLen = 40

func checkAPIName(what, v string) string {
	switch {
	case v == "":
		return fmt.Sprintf("%s is empty; give an API name such as Partner1", what)
	case strings.Contains(v, "__"):
		return fmt.Sprintf("%s %q contains a double underscore, which Salesforce reads as a namespace separator; use single underscores", what, v)
	case strings.HasSuffix(v, "_"):
		return fmt.Sprintf("%s %q ends with an underscore; remove it", what, v)
	case !apiNamePattern().MatchString(v):
		return fmt.Sprintf("%s %q is not a valid API name; start with a letter and use only letters, digits and single underscores", what, v)
	case utf8.RuneCountInString(v) > maxAPINameLen:
		return fmt.Sprintf("%s %q is %d characters long; Salesforce allows at most %d", what, v, utf8.RuneCountInString(v), maxAPINameLen)
	}
	return ""
}

// namePartPattern is the part of an API name after "{prefix}_": the whole
// name starts with the prefix's letter, so the part may start with a
// digit (Office_365, which Salesforce accepts, has the part 365).
var namePartPattern = sync.OnceValue(func() *regexp.Regexp { return regexp.MustCompile(`^[A-Za-z0-9](?:[A-Za-z0-9]|_[A-Za-z0-9])*$`) })

// checkNamePart checks a name that byocpack writes after "{prefix}_":
// app.name and channel.name.
func checkNamePart(what, v string) string {
	if v != "" && v[0] >= '0' && v[0] <= '9' && namePartPattern().MatchString(v) && utf8.RuneCountInString(v) <= maxAPINameLen {
		return ""
	}
	return checkAPIName(what, v)
}

// checkPolicyName accepts a profile or permission set as a retrieve of a
// connected app names it: a permission set by its API name (sfdc__Name
// for a packaged one) or its label (API Enabled), a profile by its name.
// The external client app's policies join the names with commas, so a
// name must not hold one.
func checkPolicyName(what string) func(string) string {
	return func(v string) string {
		if strings.Contains(v, ",") {
			return fmt.Sprintf("%q contains a comma, which the external client app's commaSeparated%s reads as two names; pre-authorize it in Setup, or rename it", v, what)
		}
		return checkLabel(v)
	}
}

// PrefixOf returns the prefix of an API name as Salesforce's BYOC procedure
// defines it, the text before the first "_" (Partner1 of
// Partner1_ChannelDefinition1); ok is false when the name has none. The
// spec's prefix is checked against this definition, and the validator
// reads the prefix of an app's and a channel's names with it.
func PrefixOf(apiName string) (prefix string, ok bool) {
	pre, _, ok := strings.Cut(apiName, "_")
	return pre, ok && pre != ""
}

// prefixed is an API name that carries the spec's prefix, {prefix}_{name}.
func prefixed(prefix, name string) string { return prefix + "_" + name }

// checkPrefix refuses a prefix that PrefixOf would not give back from the
// names it is put in front of: one with an underscore.
func checkPrefix(v string) string {
	if msg := checkAPIName("prefix", v); msg != "" {
		return msg
	}
	if got, _ := PrefixOf(prefixed(v, "App")); got != v {
		return fmt.Sprintf("prefix %q contains \"_\"; Salesforce's procedure defines the prefix as the text before the first \"_\" of the app's API name, so %s would have the prefix %q (and byocpack validate reads it so); write it without \"_\", such as %q",
			v, prefixed(v, "{name}"), got, strings.ReplaceAll(v, "_", ""))
	}
	return ""
}

// apiNameNoSuffix checks an object or field name given without its
// Salesforce suffix, and says so when the suffix was written anyway.
func apiNameNoSuffix(what, suffix string) func(string) string {
	return func(v string) string {
		if trimmed, ok := strings.CutSuffix(v, suffix); ok {
			return fmt.Sprintf("%s %q carries the %s suffix; write %q, byocpack adds %s", what, v, suffix, trimmed, suffix)
		}
		return checkAPIName(what, v)
	}
}

func checkLabel(v string) string {
	switch {
	case strings.TrimSpace(v) == "":
		return "the value is empty; give a label"
	case strings.TrimSpace(v) != v:
		return fmt.Sprintf("%q has leading or trailing spaces; remove them", v)
	case utf8.RuneCountInString(v) > maxLabelLen:
		return fmt.Sprintf("%q is %d characters long; Salesforce labels allow at most %d", v, utf8.RuneCountInString(v), maxLabelLen)
	}
	return ""
}

// maxLabelLen is Salesforce's limit for labels.
const maxLabelLen = 80

// controlChar returns the first control character in v, which XML 1.0
// cannot carry (byocpack would have to replace it) or which has no place
// in a one-line value. Tabs and newlines are allowed where multiline is.
func controlChar(v string, multiline bool) (rune, bool) {
	for _, r := range v {
		if (r < 0x20 && !(multiline && (r == '\t' || r == '\n' || r == '\r'))) || r == 0x7f || r == 0xfffe || r == 0xffff || (r >= 0x80 && r <= 0x9f) {
			return r, true
		}
	}
	return 0, false
}

func checkOptionalLabel(v string) string {
	if v == "" {
		return ""
	}
	return checkLabel(v)
}

// namespacePattern: a registered namespace prefix is up to 15 letters,
// digits and single underscores, starting with a letter.
var namespacePattern = sync.OnceValue(func() *regexp.Regexp { return regexp.MustCompile(`^[A-Za-z](?:[A-Za-z0-9]|_[A-Za-z0-9]){0,14}$`) })

func checkNamespace(v string) string {
	if v == "" || namespacePattern().MatchString(v) {
		return ""
	}
	return fmt.Sprintf("namespace %q is not a valid namespace prefix; use up to 15 letters, digits and single underscores, starting with a letter, or leave it empty", v)
}

func checkRelDir(v string) string {
	clean := path.Clean(v)
	switch {
	case v == "":
		return "the directory is empty; give a relative path such as force-app"
	case strings.Contains(v, `\`):
		return fmt.Sprintf("%q uses backslashes; use forward slashes", v)
	case path.IsAbs(v) || clean == ".." || strings.HasPrefix(clean, "../"):
		return fmt.Sprintf("%q must be a path inside the output directory, such as force-app", v)
	case clean == ".":
		return fmt.Sprintf("%q is the output directory itself; give a subdirectory such as force-app", v)
	case clean != v:
		return fmt.Sprintf("%q is not a clean path; write %q", v, clean)
	case reservedDir(clean) != "":
		return fmt.Sprintf("%q is %s; give a directory of its own, such as force-app", v, reservedDir(clean))
	}
	return ""
}

// checkRelFile checks a file path inside the output directory.
func checkRelFile(v string) string {
	clean := path.Clean(v)
	switch {
	case strings.Contains(v, `\`):
		return fmt.Sprintf("%q uses backslashes; use forward slashes", v)
	case v == "" || path.IsAbs(v) || clean == "." || clean == ".." || strings.HasPrefix(clean, "../"):
		return fmt.Sprintf("%q must be a file inside the output directory, such as config/project-scratch-def.json", v)
	case clean != v:
		return fmt.Sprintf("%q is not a clean path; write %q", v, clean)
	}
	return ""
}

var versionNumberPattern = sync.OnceValue(func() *regexp.Regexp {
	return regexp.MustCompile(`^(0|[1-9][0-9]{0,8})\.(0|[1-9][0-9]{0,8})\.(0|[1-9][0-9]{0,8})\.(0|[1-9][0-9]{0,8}|NEXT)$`)
})

func checkVersionNumber(v string) string {
	if versionNumberPattern().MatchString(v) {
		return ""
	}
	return fmt.Sprintf("version number %q is not major.minor.patch.build; write it like 1.0.0.NEXT or 1.2.0.4", v)
}

func checkReleasedVersion(v string) string {
	if castub.ValidVersion(v) {
		return ""
	}
	return fmt.Sprintf("%q is not a connected app version in decimal formatting; write the version the connected app had when it was added to the first-generation package, such as \"1.0\" or \"2.3\" (not 1, v1.0 or 1.0.0)", v)
}

func checkEmail(v string) string {
	addr, err := mail.ParseAddress(v)
	if err != nil || addr.Address != v || !strings.Contains(v[strings.LastIndex(v, "@")+1:], ".") {
		return fmt.Sprintf("%q is not an email address; write it like dev@partner1.example", v)
	}
	return ""
}

// checkUsername: a Salesforce username has the form of an email address
// (the domain need not receive mail).
func checkUsername(v string) string {
	if checkEmail(v) == "" {
		return ""
	}
	return fmt.Sprintf("%q is not a Salesforce username; write it in the form of an email address, like integration@partner1.example", v)
}

func checkURL(v string) string {
	u, err := url.Parse(v)
	if err != nil || u.Host == "" || (u.Scheme != "https" && !(u.Scheme == "http" && u.Hostname() == "localhost")) {
		return fmt.Sprintf("%q is not an https URL; write it like https://login.salesforce.com", v)
	}
	return ""
}

func checkCertPath(v string) string {
	switch {
	case v == "":
		return "the path is empty; give the certificate file, such as certs/server.crt"
	case strings.Contains(v, `\`):
		return fmt.Sprintf("%q must use forward slashes, such as certs/server.crt, resolved from the spec's directory", v)
	case path.IsAbs(v):
		return "" // a CI secrets mount, say; Load notes that the spec then depends on the machine
	case path.Clean(v) == ".." || strings.HasPrefix(path.Clean(v), "../"):
		return fmt.Sprintf("%q leaves the spec's directory; keep the certificate beside the spec, such as certs/server.crt", v)
	}
	return ""
}

// scopeInputs lists every spelling app.scopes accepts: the Setup names
// (interaction_api), then the metadata names of every supported version,
// then the external client app spellings that differ (SFApiPlatform).
func scopeInputs() []string {
	var ui, names, eca []string
	for _, n := range apiver.AllScopeNames() {
		if t := apiver.ScopeUIToken(n); t != "" {
			ui = append(ui, t)
		}
		names = append(names, n)
		if t := apiver.ScopeToken(apiver.ECAScopes, n); t != n {
			eca = append(eca, t)
		}
	}
	return slices.Concat(ui, names, eca)
}

// scopeUITokens are the Setup names, the spelling messages suggest.
func scopeUITokens() []string {
	var ui []string
	for _, n := range apiver.AllScopeNames() {
		if t := apiver.ScopeUIToken(n); t != "" {
			ui = append(ui, t)
		}
	}
	return ui
}

// scopeName maps any accepted spelling to the enum value, "" for none.
// The Setup name offline_access is RefreshToken: Setup shows one checkbox
// "refresh_token, offline_access", which a retrieve writes as
// RefreshToken alone (deploy-semantics §2). The metadata token
// OfflineAccess, written as such, stays OfflineAccess.
func scopeName(v string) string {
	if v == offlineAccessSetupName {
		return "RefreshToken"
	}
	if n, ok := apiver.ScopeFromUIToken(v); ok {
		return n
	}
	for _, d := range []apiver.ScopeDialect{apiver.ConnectedAppScopes, apiver.ECAScopes} {
		if n, ok := apiver.ScopeName(d, v); ok {
			return n
		}
	}
	return ""
}

// DefaultScopes are the scopes an app of type appType gets when the spec
// lists none, as Salesforce's procedures for it ask: an external client
// app the Interaction scope alone (the JWT bearer flow issues no refresh
// token), a connected app Interaction and RefreshToken. Enum values.
func DefaultScopes(appType string) []string {
	if appType == ConnectedApp {
		return []string{"Interaction", "RefreshToken"}
	}
	return []string{"Interaction"}
}

// offlineAccessSetupName is the second Setup name of the checkbox
// "refresh_token, offline_access".
const offlineAccessSetupName = "offline_access"

// scopeUIName is how messages name a scope: its Setup name when it has
// one. OfflineAccess keeps its metadata name, since its Setup name reads
// as RefreshToken.
func scopeUIName(name string) string {
	if name == "OfflineAccess" {
		return name
	}
	if t := apiver.ScopeUIToken(name); t != "" {
		return t
	}
	return name
}

// positiveIntPattern is an xsd:int Salesforce takes as a count: 1 to
// 999999999.
var positiveIntPattern = sync.OnceValue(func() *regexp.Regexp { return regexp.MustCompile(`^[1-9][0-9]{0,8}$`) })

func checkPositiveInt(v string) string {
	if positiveIntPattern().MatchString(v) {
		return ""
	}
	return fmt.Sprintf("%q is not a whole number of 1 or more; write it like 90", v)
}

// sessionLevels are the WSDL's SessionSecurityLevel values.
func sessionLevels() []string { return []string{"LOW", "STANDARD", "HIGH_ASSURANCE"} }

// devHubIDPattern is the shape of the identifiers an org gives an external
// client app, "[Organization_ID]:[Name]": a 15- or 18-character org ID (key
// prefix 00D) and a name, such as orgScopedExternalApp
// 00D5g000004xyzAEAQ:Partner1_ExternalClientApp1 or oauthLink
// 00D5g000004xyzA:888xx0000000001.
var devHubIDPattern = sync.OnceValue(func() *regexp.Regexp {
	return regexp.MustCompile(`^00D[0-9A-Za-z]{12}(?:[0-9A-Za-z]{3})?:[A-Za-z0-9_]+$`)
})

// SplitDevHubID returns the name part of a Dev Hub identifier
// (orgScopedExternalApp, oauthLink); ok is false when v is not of the form
// 00D…:Name. The spec and the validator check these values with it alone.
func SplitDevHubID(v string) (name string, ok bool) {
	if !devHubIDPattern().MatchString(v) {
		return "", false
	}
	_, name, _ = strings.Cut(v, ":")
	return name, true
}

// Nearest returns the candidate in looks like a typo of: the same letters
// in another case, or the closest by edit distance when that distance is
// small for the word's length; "" when none is, or two are equally near.
func Nearest(in string, candidates []string) string {
	best, bestDist := "", 1<<30
	for _, c := range candidates {
		if strings.EqualFold(c, in) {
			return c
		}
		switch d := editDistance(strings.ToLower(in), strings.ToLower(c)); {
		case d < bestDist:
			best, bestDist = c, d
		case d == bestDist:
			// A tie (67.0 is as near 62.0 as 66.0) names no one.
			best = ""
		}
	}
	if best != "" && bestDist <= max(2, len(in)/3) {
		return best
	}
	return ""
}

// CheckAPIName returns "" when v is a valid Salesforce API name, or a
// message naming what (a flag or key) and the fix.
func CheckAPIName(what, v string) string { return checkAPIName(what, v) }

// CheckValue checks one value for the key at a dotted path (such as
// "package.namespace") the way the loader would, so a CLI flag that fills
// a key is refused up front. It returns "" for a good value or an unknown
// key.
func CheckValue(key, v string) string {
	defs := specFields()
	var def *field
	for _, part := range strings.Split(key, ".") {
		if def = findField(defs, part); def == nil {
			return ""
		}
		defs = def.fields
	}
	if len(def.enum) > 0 && !slices.Contains(def.enum, v) {
		return fmt.Sprintf("%q is not allowed; use one of %s", v, strings.Join(enumShown(def), ", "))
	}
	if r, bad := controlChar(v, def.multiline); bad {
		return fmt.Sprintf("contains the control character U+%04X; remove it", r)
	}
	if def.check != nil && (v != "" || def.required) {
		return def.check(v)
	}
	return ""
}

// reservedDir says why a package directory path is taken by something
// else: a hidden folder (.git, .sfdx, byocpack's .byocpack), node_modules
// (the CLI skips it), dist (where build writes the zips, which would then
// be packaged), or a project file.
func reservedDir(p string) string {
	first, _, _ := strings.Cut(p, "/")
	switch {
	case strings.HasPrefix(first, "."):
		return "a hidden folder (" + first + "), which sf and git keep for themselves"
	case first == "node_modules":
		return "node_modules, which sf never reads"
	case first == "dist":
		return "where build writes the zips, which would then be packaged into the next version"
	case first == "sfdx-project.json" || first == "byocpack-schemas":
		return "a file or folder of the project itself"
	}
	return ""
}

// ScopeKnown reports whether an app of appType has the scope (any spelling
// app.scopes takes) at the API version.
func ScopeKnown(appType, scope, version string) bool {
	v, err := apiver.Parse(version)
	name := scopeName(scope)
	if err != nil || name == "" {
		return false
	}
	d := apiver.ECAScopes
	if appType == ConnectedApp {
		d = apiver.ConnectedAppScopes
	}
	return slices.Contains(apiver.KnownScopes(d, v), apiver.ScopeToken(d, name))
}

// EnumOf returns the values the key at a dotted path takes, nil for a key
// without an enum.
func EnumOf(key string) []string {
	defs := specFields()
	var def *field
	for _, part := range strings.Split(key, ".") {
		if def = findField(defs, part); def == nil {
			return nil
		}
		defs = def.fields
	}
	return slices.Clone(def.enum)
}
