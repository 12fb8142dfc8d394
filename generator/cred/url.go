package cred

import (
	"fmt"
	"net"
	"net/url"
	"strings"
)

// HostKind is the form of a Salesforce login or site host.
type HostKind string

// Host kinds.
const (
	HostProduction HostKind = "production login"      // login.salesforce.com
	HostSandbox    HostKind = "sandbox login"         // test.salesforce.com
	HostMyDomain   HostKind = "My Domain"             // *.my.salesforce.com
	HostSite       HostKind = "Experience Cloud site" // *.my.site.com, *.force.com
	HostLoopback   HostKind = "loopback"              // a test server on this machine
	// HostPage is where an org's pages are served (Lightning Experience,
	// Visualforce), never its OAuth endpoints.
	HostPage    HostKind = "Lightning or Visualforce page"
	HostUnknown HostKind = "unknown"
)

// Login hosts take no path: the token endpoint and the audience are the
// bare https://host.
func (k HostKind) isLoginHost() bool {
	return k == HostProduction || k == HostSandbox || k == HostMyDomain
}

// Default login URLs.
const (
	ProductionLoginURL = "https://login.salesforce.com"
	SandboxLoginURL    = "https://test.salesforce.com"
)

// ClassifyHost names the form of host (no port).
func ClassifyHost(host string) HostKind {
	// Loopback is decided on the host exactly as written: "localhost." or
	// "127.0.0.1." is a name the resolver sends to DNS, which may answer
	// with any address, so it never earns plain http.
	if isLoopback(host) {
		return HostLoopback
	}
	h := strings.ToLower(strings.TrimSuffix(host, "."))
	switch {
	case h == "login.salesforce.com":
		return HostProduction
	case h == "test.salesforce.com":
		return HostSandbox
	case strings.HasSuffix(h, ".my.salesforce.com") && len(h) > len(".my.salesforce.com"):
		return HostMyDomain
	case isPageHost(h):
		return HostPage
	case strings.HasSuffix(h, ".my.site.com"), strings.HasSuffix(h, ".force.com"):
		return HostSite
	}
	return HostUnknown
}

// pageHostSuffixes are the domains Salesforce serves an org's pages on
// (Help, "My Domain URL Formats"): Lightning Experience
// (MyDomainName.lightning.force.com, sandboxes under .sandbox.), and
// Visualforce, enhanced (MyDomainName--PackageName.vf.force.com) or not
// (MyDomainName--c.visualforce.com, c.na1.visual.force.com). None of them
// serves /services/oauth2/token.
var pageHostSuffixes = []string{".lightning.force.com", ".vf.force.com", ".visualforce.com", ".visual.force.com"}

func isPageHost(h string) bool {
	for _, s := range pageHostSuffixes {
		if strings.HasSuffix(h, s) && len(h) > len(s) {
			return true
		}
	}
	return false
}

// myDomainOf guesses the My Domain login host of a page host: the
// Lightning forms carry the My Domain name as their first label; a
// Visualforce host carries it before its first "--".
func myDomainOf(h string) string {
	h = strings.ToLower(h)
	if name, ok := strings.CutSuffix(h, ".sandbox.lightning.force.com"); ok {
		return "https://" + name + ".sandbox.my.salesforce.com"
	}
	if name, ok := strings.CutSuffix(h, ".lightning.force.com"); ok && !strings.Contains(name, ".") {
		return "https://" + name + ".my.salesforce.com"
	}
	if name, _, ok := strings.Cut(h, "--"); ok && !strings.Contains(name, ".") {
		return "https://" + name + ".my.salesforce.com"
	}
	return "https://<mydomain>.my.salesforce.com"
}

// isLoopback is true for an IP literal in 127.0.0.0/8 or ::1 and for the
// name localhost exactly (any letter case, no trailing dot), which the
// token request dials as 127.0.0.1 without asking a resolver
// (LoopbackAddr).
func isLoopback(host string) bool {
	if strings.EqualFold(host, "localhost") {
		return true
	}
	ip := net.ParseIP(strings.TrimSuffix(strings.TrimPrefix(host, "["), "]"))
	return ip != nil && ip.IsLoopback()
}

// LoopbackAddr maps a dial address whose host is the name localhost to
// 127.0.0.1, so that a loopback login URL never reaches a resolver; other
// addresses are returned as they are.
func LoopbackAddr(addr string) string {
	host, port, err := net.SplitHostPort(addr)
	if err == nil && strings.EqualFold(host, "localhost") {
		return net.JoinHostPort("127.0.0.1", port)
	}
	return addr
}

// URLForm is a checked login URL or audience.
type URLForm struct {
	URL  *url.URL
	Kind HostKind
}

// parseForm parses s and refuses what no Salesforce endpoint takes:
// another scheme, user info, a query or a fragment, and plain http except
// on loopback (a test server).
func parseForm(what, s string) (URLForm, error) {
	u, err := url.Parse(s)
	if err != nil || u.Host == "" || u.Opaque != "" {
		return URLForm{}, fmt.Errorf("%s %q is not an absolute URL; write it like %s", what, s, ProductionLoginURL)
	}
	kind := ClassifyHost(u.Hostname())
	switch {
	case u.Scheme == "http" && kind != HostLoopback:
		return URLForm{}, fmt.Errorf("%s %q uses plain http; Salesforce takes only https: write %q", what, s, "https://"+u.Host+strings.TrimSuffix(u.Path, "/"))
	case u.Scheme != "https" && u.Scheme != "http":
		return URLForm{}, fmt.Errorf("%s %q is not an https URL; write it like %s", what, s, ProductionLoginURL)
	case u.User != nil:
		return URLForm{}, fmt.Errorf("%s %q carries user info; give the bare https URL", what, s)
	case u.RawQuery != "" || u.Fragment != "" || strings.HasSuffix(s, "?") || strings.HasSuffix(s, "#"):
		return URLForm{}, fmt.Errorf("%s %q carries a query or a fragment; give the bare https URL", what, s)
	}
	return URLForm{URL: u, Kind: kind}, nil
}

// CheckAudience checks the JWT's aud claim the way Salesforce compares it:
// for login.salesforce.com, test.salesforce.com and My Domain hosts it is
// exactly https://host, without a trailing slash, a path or a port
// ("audience is invalid" otherwise); an Experience Cloud site URL keeps
// its path.
func CheckAudience(aud string) (URLForm, error) {
	f, err := parseForm("audience", aud)
	if err != nil {
		return f, err
	}
	if f.Kind.isLoginHost() {
		bare := "https://" + f.URL.Hostname()
		switch {
		case f.URL.Path == "/":
			return f, fmt.Errorf("audience %q ends with a slash; Salesforce compares it exactly and answers \"audience is invalid\": write %q", aud, bare)
		case f.URL.Path != "":
			return f, fmt.Errorf("audience %q carries the path %q; for a %s host the audience is the bare %q (only an Experience Cloud site URL keeps its path)", aud, f.URL.Path, f.Kind, bare)
		case f.URL.Port() != "":
			return f, fmt.Errorf("audience %q carries a port; write %q", aud, bare)
		}
	}
	return f, nil
}

// CheckLoginURL checks the base URL the token request goes to
// (<login-url>/services/oauth2/token). A trailing slash is dropped; a
// login host takes no path, so the token endpoint itself given as the
// login URL is refused with the fix.
func CheckLoginURL(s string) (URLForm, error) {
	f, err := parseForm("login URL", s)
	if err != nil {
		return f, err
	}
	if f.Kind == HostPage {
		return f, fmt.Errorf("login URL %q is a %s host, where the org's pages are served, not its OAuth token endpoint; use the org's My Domain login URL, %s (Setup → My Domain shows it), or https://login.salesforce.com (https://test.salesforce.com for a sandbox)", s, f.Kind, myDomainOf(f.URL.Hostname()))
	}
	f.URL.Path = strings.TrimSuffix(f.URL.Path, "/")
	f.URL.RawPath = ""
	if f.Kind.isLoginHost() && f.URL.Path != "" {
		return f, fmt.Errorf("login URL %q carries the path %q; give the host alone, %q (byocpack adds /services/oauth2/token)", s, f.URL.Path, "https://"+f.URL.Host)
	}
	return f, nil
}

// String is the URL as used: scheme, host and path, no trailing slash.
func (f URLForm) String() string {
	if f.URL == nil {
		return ""
	}
	return f.URL.Scheme + "://" + f.URL.Host + strings.TrimSuffix(f.URL.EscapedPath(), "/")
}
