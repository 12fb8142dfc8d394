// Package apiver is the Salesforce Metadata API version, parsed in one
// place, and what byocpack knows about the versions: which ones it supports
// (one per bundled WSDL) and which top-level fields each metadata type it
// ships a schema for has in each of them.
//
// That knowledge is generated from the WSDLs by `make schemas` into
// wsdl_gen.go (internal/tools/schemagen); nothing in it is kept by hand, and
// a test in internal/schemagen fails when it drifts from the WSDLs.
package apiver

import (
	"fmt"
	"strconv"
	"strings"
)

// Version is a Metadata API version such as 66.0. Salesforce numbers every
// release N.0, so the major number is the whole of it. The zero Version is
// no version.
type Version struct{ major int }

// Parse reads an API version written as Salesforce writes it in
// sourceApiVersion, package.xml and the WSDL file names: "66.0", never "66",
// "v66.0" or "66.00".
func Parse(s string) (Version, error) {
	digits, ok := strings.CutSuffix(s, ".0")
	n, err := strconv.Atoi(digits)
	if !ok || err != nil || n <= 0 || n > 999 || digits != strconv.Itoa(n) {
		return Version{}, fmt.Errorf("%q is not an API version; write it as Salesforce does, such as %q", s, Latest().String())
	}
	return Version{major: n}, nil
}

// String writes the version as Salesforce does, "66.0"; the zero Version is "".
func (v Version) String() string {
	if v.IsZero() {
		return ""
	}
	return strconv.Itoa(v.major) + ".0"
}

// Major is the release number, 66 for 66.0.
func (v Version) Major() int { return v.major }

// IsZero reports whether v is no version.
func (v Version) IsZero() bool { return v.major == 0 }

// Compare returns -1, 0 or +1 as v is older than, equal to or newer than w.
func (v Version) Compare(w Version) int {
	switch {
	case v.major < w.major:
		return -1
	case v.major > w.major:
		return 1
	}
	return 0
}

// Before reports whether v is older than w.
func (v Version) Before(w Version) bool { return v.major < w.major }

// Next is the release after v: a field last seen in v was removed in
// v.Next().
func (v Version) Next() Version { return Version{major: v.major + 1} }

// Supported returns the versions byocpack renders and validates, oldest
// first: one per Metadata API WSDL the schemas are generated from. The
// slice is fresh, so callers may modify it.
func Supported() []Version { return wsdlVersions() }

// Oldest is the oldest supported version.
func Oldest() Version { return wsdlVersions()[0] }

// Latest is the newest supported version, the default.
func Latest() Version { v := wsdlVersions(); return v[len(v)-1] }

// IsSupported reports whether byocpack has the WSDL of v.
func (v Version) IsSupported() bool {
	for _, s := range wsdlVersions() {
		if s == v {
			return true
		}
	}
	return false
}
