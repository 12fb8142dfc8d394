package validate

import (
	"bytes"
	"regexp"

	"byocpack/generator/spec"
	"byocpack/internal/diag"
)

// apiNameRE is the API-name shape Salesforce accepts for app and channel
// names. A "__" inside a name is read as a namespace separator, which is
// where "Cannot create a new component with the namespace" comes from.
var apiNameRE = regexp.MustCompile(`^[A-Za-z][A-Za-z0-9]*(_[A-Za-z0-9]+)*$`)

// privateKeyRE matches any PEM private key block header (PKCS#1, PKCS#8,
// EC, encrypted, OpenSSH).
var privateKeyRE = regexp.MustCompile(`-----BEGIN [A-Z0-9 ]*PRIVATE KEY-----`)

// lineCol turns a byte offset into a 1-based line and column.
func lineCol(data []byte, off int) (int, int) {
	before := data[:off]
	line := bytes.Count(before, []byte{'\n'}) + 1
	col := off - bytes.LastIndexByte(before, '\n')
	return line, col
}

func (r *run) privateKeys(f File) []diag.Problem {
	var ps []diag.Problem
	for _, loc := range privateKeyRE.FindAllIndex(f.Data, -1) {
		p := r.problem(RuleNoPrivateKey, f, nil,
			"private key in a package directory; keep the key that signs the JWT out of the package and out of git, and upload only the certificate")
		p.Line, p.Col = lineCol(f.Data, loc[0])
		ps = append(ps, p)
	}
	return ps
}

// fileRules runs every rule that needs only this document.
func (r *run) fileRules(d doc) []diag.Problem {
	var ps []diag.Problem
	add := func(p ...diag.Problem) { ps = append(ps, p...) }
	root := d.Root
	if d.InPackage {
		add(r.noConsumerKey(d)...)
	}
	add(r.versionWindows(d)...)
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
		if d.InPackage {
			add(r.problem(RuleNoGlobalOauth, d.File, root,
				"ExtlClntAppGlobalOauthSettings \"can't be packaged and must not be added to source control\"; move the file out of the package directory and deploy it to the Dev Hub only"))
		}
		if c := root.child("certificate"); c != nil && c.Text != "" {
			add(r.certParses(d.File, c)...)
		}
	case typeConnectedApp:
		add(r.nameFormat(d, d.Name, root, "connected app API name")...)
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
	if apiNameRE.MatchString(name) {
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

func (r *run) noConsumerKey(d doc) []diag.Problem {
	var ps []diag.Problem
	d.Root.walk(func(n *node) {
		if n.Name == "consumerKey" || n.Name == "consumerSecret" {
			ps = append(ps, r.problem(RuleNoConsumerKey, d.File, n,
				"%s in a package directory (deploys fail with \"You cannot provide a Consumer Key\" or \"The consumer key is already taken.\"); delete the element, Salesforce generates it", n.Name))
		}
	})
	return ps
}
