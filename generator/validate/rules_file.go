package validate

import (
	"bytes"
	"regexp"
	"strings"

	"byocpack/internal/diag"
)

// apiNameRE is the API-name shape Salesforce accepts for app and channel
// names. A "__" inside a name is read as a namespace separator, which is
// where "Cannot create a new component with the namespace" comes from.
var apiNameRE = regexp.MustCompile(`^[A-Za-z][A-Za-z0-9]*(_[A-Za-z0-9]+)*$`)

// privateKeyRE matches any PEM private key block header (PKCS#1, PKCS#8,
// EC, encrypted, OpenSSH).
var privateKeyRE = regexp.MustCompile(`-----BEGIN [A-Z0-9 ]*PRIVATE KEY-----`)

// orgScopedRE is "[Organization_ID]:[Name]": a 15- or 18-character org ID
// (key prefix 00D) and a non-empty name.
var orgScopedRE = regexp.MustCompile(`^00D[0-9A-Za-z]{12}(?:[0-9A-Za-z]{3})?:[A-Za-z0-9_]+$`)

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
		if d.InPackage {
			if ds := root.child("distributionState"); ds == nil || ds.Text != "Packaged" {
				at, got := root, "absent"
				if ds != nil {
					at, got = ds, ds.Text
				}
				add(r.problem(RuleECAPackaged, d.File, at,
					"distributionState is %s; a packaged external client app needs <distributionState>Packaged</distributionState>, or subscribers get \"External client app is not installed in this org\"", got))
			}
		}
		if n := root.child("orgScopedExternalApp"); n != nil {
			if !orgScopedRE.MatchString(n.Text) {
				add(r.problem(RuleOrgScopedID, d.File, n,
					"orgScopedExternalApp %q is not [Organization_ID]:[External_Client_App_Name] (00D…:%s); use the Dev Hub org ID or omit the element so Salesforce generates it", n.Text, d.Name))
			} else if _, name, _ := strings.Cut(n.Text, ":"); name != d.Name {
				add(r.problem(RuleOrgScopedID, d.File, n,
					"orgScopedExternalApp names %q but the app is %s; use 00D…:%s or omit the element", name, d.Name, d.Name))
			}
		}
	case typeOauthSettings:
		add(r.ecaScopes(d)...)
		if n := root.child("oauthLink"); n != nil && !orgScopedRE.MatchString(n.Text) {
			add(r.problem(RuleOrgScopedID, d.File, n,
				"oauthLink %q is not [Organization_ID]:[Oauth_Consumer_ID] (00D…:888…); carry the value retrieved from the Dev Hub or omit the element", n.Text))
		}
	case typeGlobalOauth:
		if d.InPackage {
			add(r.problem(RuleNoGlobalOauth, d.File, root,
				"ExtlClntAppGlobalOauthSettings \"can't be packaged and must not be added to source control\"; move the file out of the package directory and deploy it to the Dev Hub only"))
		}
		add(r.jwtNamedUser(d, root, "ExtlClntAppGlobalOauthSettings")...)
		if c := root.child("certificate"); c != nil && c.Text != "" {
			add(r.checkCert(d.File, c)...)
		}
	case typeConnectedApp:
		add(r.nameFormat(d, d.Name, root, "connected app API name")...)
		add(r.problem(RuleConnectedApp1GP, d.File, root,
			"connected apps package only in a first-generation managed package and, since Spring '26, new connected apps can't be created without Salesforce Support; prefer an external client app in a 2GP package"))
		oc := root.child("oauthConfig")
		add(r.connectedAppScopes(d, oc)...)
		if oc != nil {
			add(r.jwtNamedUser(d, oc, "ConnectedApp oauthConfig")...)
			if c := oc.child("certificate"); c != nil && c.Text != "" {
				add(r.checkCert(d.File, c)...)
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

// requiredScopes are the ConnectedAppOauthAccessScope names BYOC needs:
// Interaction is interaction_api (Interaction Service error 10003 without
// it) and RefreshToken keeps pre-authorised users from re-approving.
func requiredScopes() []string { return []string{"Interaction", "RefreshToken"} }

func missingScopes(have map[string]bool) []string {
	var miss []string
	for _, s := range requiredScopes() {
		if !have[s] {
			miss = append(miss, s)
		}
	}
	return miss
}

const scopeHint = "Interaction is interaction_api, without it calls fail with 10003 \"missing the required Connected App scope. Required value: interaction_api\"; RefreshToken is refresh_token, offline_access"

func (r *run) ecaScopes(d doc) []diag.Problem {
	n := d.Root.child("commaSeparatedOauthScopes")
	have := map[string]bool{}
	at := d.Root
	if n != nil {
		at = n
		for s := range strings.SplitSeq(n.Text, ",") {
			have[strings.TrimSpace(s)] = true
		}
	}
	// The JWT bearer flow issues no refresh token: an external client app
	// needs Interaction alone.
	have["RefreshToken"] = true
	miss := missingScopes(have)
	if len(miss) == 0 {
		return nil
	}
	return []diag.Problem{r.problem(RuleScopes, d.File, at,
		"commaSeparatedOauthScopes lacks %s (%s); set it to include Interaction,RefreshToken", strings.Join(miss, " and "), scopeHint)}
}

func (r *run) connectedAppScopes(d doc, oc *node) []diag.Problem {
	have := map[string]bool{}
	at := d.Root
	if oc != nil {
		at = oc
		for _, s := range oc.children("scopes") {
			have[s.Text] = true
		}
	}
	miss := missingScopes(have)
	if len(miss) == 0 {
		return nil
	}
	return []diag.Problem{r.problem(RuleScopes, d.File, at,
		"oauthConfig lacks scopes %s (%s); add <scopes>Interaction</scopes> and <scopes>RefreshToken</scopes>", strings.Join(miss, " and "), scopeHint)}
}

func (r *run) jwtNamedUser(d doc, parent *node, where string) []diag.Problem {
	var ps []diag.Problem
	if n := parent.child("isNamedUserJwtEnabled"); n == nil || n.Text != "true" {
		at := parent
		if n != nil {
			at = n
		}
		ps = append(ps, r.problem(RuleJWTNamedUser, d.File, at,
			"%s does not set isNamedUserJwtEnabled to true (\"Issue JSON Web Token (JWT)-based access tokens for named users\"); BYOC needs it, set <isNamedUserJwtEnabled>true</isNamedUserJwtEnabled>", where))
	}
	if c := parent.child("certificate"); c == nil || c.Text == "" {
		ps = append(ps, r.problem(RuleJWTNamedUser, d.File, parent,
			"%s has no certificate, so the JWT bearer flow is off; set <certificate> to the PEM contents of the certificate whose key signs the JWT", where))
	}
	return ps
}
