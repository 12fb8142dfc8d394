package validate

import (
	"fmt"
	"regexp"
	"strings"

	"github.com/byocpack/byocpack/internal/diag"
)

// RulePlaceholder is a template's placeholder left as the whole value of
// a field that reaches a person or a server: an email address, a URL, a
// user name, an endpoint, a run-as user.
const RulePlaceholder = "BYOC-PLACEHOLDER"

// placeholderField reports whether an element's name says it holds an
// address, a URL, a user name, an endpoint or a run-as user: the fields a
// sample project leaves for its user to fill in.
func placeholderField(name string) bool {
	n := strings.ToLower(name)
	for _, k := range []string{"email", "url", "username", "endpoint", "runas", "runninguser", "callback", "contactemail"} {
		if strings.Contains(n, k) {
			return true
		}
	}
	return false
}

// placeholderValue matches a whole value that is a template's marker, not
// a value: ###REPLACE_ME###, REPLACE_WITH_…, YOUR_EMAIL, <your-user>,
// {{ORG_URL}}, CHANGE_ME, TODO.
var placeholderValue = regexp.MustCompile(`^(#{2,}[A-Za-z0-9_ -]+#{2,}|(?i:replace|your|change|insert|enter|fill|todo)(_[A-Za-z0-9_]*|-[A-Za-z0-9-]*|me)?|<[^<>]+>|\{\{[^{}]+\}\}|\$\{[^{}]+\}|__[A-Z0-9_]+__)$`)

// placeholders reports, anywhere in the document, a placeholder that is
// the whole value of such a field, and the bare word "email" in an email
// field. A warning: Salesforce refuses some (an email that is no address)
// on deploy, but not every field is checked by it, and a sample project
// may mean it to be filled in after deploying.
func (r *run) placeholders(d doc) []diag.Problem {
	var ps []diag.Problem
	// check reports n when its whole value is a placeholder for field.
	check := func(n *node, field string) {
		v := n.Text
		isEmailWord := strings.Contains(strings.ToLower(field), "email") && strings.EqualFold(v, "email")
		if v == "" || (!isEmailWord && !placeholderValue.MatchString(v)) {
			return
		}
		what := "<" + n.Name + ">"
		if field != n.Name {
			what = fmt.Sprintf("the value of %s (<%s>)", field, n.Name)
		}
		ps = append(ps, r.problem(RulePlaceholder, d.File, n,
			"%s is %q, a placeholder, not a value; Salesforce sends to, calls or runs as what this field says: fill in the real one before you deploy or package", what, v))
	}
	var walk func(n *node)
	walk = func(n *node) {
		// A flow's action input or a setting's entry names its field in a
		// <name> sibling: <name>emailAddresses</name> <value><stringValue>.
		if nm := n.child("name"); nm != nil && placeholderField(nm.Text) {
			if v := n.child("value"); v != nil {
				if sv := v.child("stringValue"); sv != nil {
					check(sv, nm.Text)
				}
			}
		}
		for _, c := range n.Children {
			if len(c.Children) > 0 {
				walk(c)
				continue
			}
			if placeholderField(c.Name) {
				check(c, c.Name)
			}
		}
	}
	if d.Root != nil {
		walk(d.Root)
	}
	return ps
}
