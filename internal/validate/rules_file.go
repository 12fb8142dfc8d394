package validate

import (
	"regexp"
	"sync"

	"github.com/byocpack/byocpack/generator/spec"
	"github.com/byocpack/byocpack/internal/diag"
	"github.com/byocpack/byocpack/internal/secrets"
)

// apiNameRE is the API-name shape Salesforce accepts for app and channel
// names. A "__" inside a name is read as a namespace separator, which is
// where "Cannot create a new component with the namespace" comes from.
var apiNameRE = sync.OnceValue(func() *regexp.Regexp { return regexp.MustCompile(`^[A-Za-z][A-Za-z0-9]*(_[A-Za-z0-9]+)*$`) })

// secretScan runs internal/secrets on a file under a packaged package
// directory, whatever its suffix and whether or not it parses: private
// keys, consumer keys and secrets, global OAuth settings, also inside
// archives such as static resources, and archives too large or broken to
// be checked. The packaging step is to run the same scanner on what it
// zips, so that validate and package agree. A finding inside an archive is reported on
// the file itself (that is what ships), with the entry in the message.
func (r *run) secretScan(f File) []diag.Problem {
	var ps []diag.Problem
	for _, s := range r.scan(f) {
		p := diag.Problem{File: f.Path, Severity: r.sev[string(s.Kind)], Rule: string(s.Kind), Message: s.Detail()}
		if s.Entry == "" {
			p.Line, p.Column = s.Line, s.Column
		}
		ps = append(ps, p)
	}
	return ps
}

// keyOutsidePackage warns of a private key in a package directory that is
// not packaged (source-org): it never reaches a package, but it sits in
// the project, where the next commit takes it into the repository. The
// other findings are what such a directory is for (the global OAuth
// settings live there).
func (r *run) keyOutsidePackage(f File) []diag.Problem {
	var ps []diag.Problem
	for _, s := range r.scan(f) {
		if s.Kind != secrets.PrivateKey {
			continue
		}
		p := diag.Problem{File: f.Path, Severity: diag.Warning, Rule: string(s.Kind),
			Message: s.Detail() + " (this directory is not packaged, but it is in the project, which git commits: move the key outside the project; byocpack init --cert keeps it beside the project directory)"}
		if s.Entry == "" {
			p.Line, p.Column = s.Line, s.Column
		}
		ps = append(ps, p)
	}
	return ps
}

// scan is what the secrets scan finds in f: in a file held by its record,
// what it found when the file was read.
func (r *run) scan(f File) []secrets.Finding {
	if f.Lazy != nil {
		return f.Lazy.Findings
	}
	return r.secrets.Scan(f.Path, f.Data)
}

// fileRules runs every rule that needs only this document.
func (r *run) fileRules(d doc) []diag.Problem {
	var ps []diag.Problem
	add := func(p ...diag.Problem) { ps = append(ps, p...) }
	root := d.Root
	add(r.versionWindows(d)...)
	add(r.placeholders(d)...)
	switch d.Type {
	case typeECA:
		add(r.nameFormat(d, d.Name, root, "external client app API name")...)
		if n := root.child("orgScopedExternalApp"); n != nil {
			if name, ok := spec.SplitDevHubID(n.Text); !ok {
				add(r.problem(RuleOrgScopedID, d.File, n,
					"orgScopedExternalApp %q is not [Organization_ID]:[External_Client_App_Name] (00D…:%s); use the Dev Hub org ID or omit the element so Salesforce generates it", n.Text, d.Name))
			} else if name != d.Name {
				add(r.problem(RuleOrgScopedID, d.File, n,
					"orgScopedExternalApp names %q but the app is %s; use 00D…:%s or omit the element", name, d.Name, d.Name))
			}
		}
	case typeOauthSettings:
		add(r.scopeTokens(d)...)
		if n := root.child("oauthLink"); n != nil {
			if _, ok := spec.SplitDevHubID(n.Text); !ok {
				add(r.problem(RuleOrgScopedID, d.File, n,
					"oauthLink %q is not [Organization_ID]:[Oauth_Consumer_ID] (00D…:888…); carry the value retrieved from the Dev Hub or omit the element", n.Text))
			}
		}
	case typeGlobalOauth:
		if c := root.child("certificate"); c != nil && c.Text != "" {
			add(r.certParses(d.File, c)...)
		}
	case typeConnectedApp:
		add(r.nameFormat(d, d.Name, root, "connected app API name")...)
		if isStub(d) {
			// Not an app: it references one released in a
			// first-generation package, which is where 2GP wants it.
			add(r.stubRules(d)...)
			break
		}
		if d.InPackage {
			add(r.problem(RuleConnectedApp1GP, d.File, root,
				"connected apps package only in a first-generation managed package and, since Spring '26, new connected apps can't be created without Salesforce Support; prefer an external client app in a 2GP package"))
		}
		add(r.scopeTokens(d)...)
		if oc := root.child("oauthConfig"); oc != nil {
			if c := oc.child("certificate"); c != nil && c.Text != "" {
				add(r.certParses(d.File, c)...)
			}
		}
	case typeCCD:
		add(r.ccdRules(d)...)
	case typeCVI:
		if dn := root.child("developerName"); dn != nil {
			add(r.nameFormat(d, dn.Text, dn, "ConversationVendorInfo developerName")...)
			add(r.devNameMatches(d, dn)...)
		}
	}
	return ps
}

func (r *run) nameFormat(d doc, name string, at *node, what string) []diag.Problem {
	if apiNameRE().MatchString(name) {
		return nil
	}
	return []diag.Problem{r.problem(RuleNameFormat, d.File, at,
		"%s %q must be letters, digits and single underscores, start with a letter and not end in _ (a \"__\" triggers \"Cannot create a new component with the namespace\"); rename it",
		what, name)}
}

func (r *run) devNameMatches(d doc, dn *node) []diag.Problem {
	if dn.Text == d.Name {
		return nil
	}
	return []diag.Problem{r.problem(RuleDevNameMismatch, d.File, dn,
		"developerName %q differs from the component name %q taken from the file name; make them equal", dn.Text, d.Name)}
}
