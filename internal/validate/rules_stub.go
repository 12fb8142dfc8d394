package validate

import (
	"slices"
	"strings"

	"github.com/byocpack/byocpack/internal/castub"
	"github.com/byocpack/byocpack/internal/diag"
	"github.com/byocpack/byocpack/internal/xsdcheck"
)

// childNames are the local names of n's child elements, in order.
func childNames(n *node) []string {
	out := make([]string, len(n.Children))
	for i, c := range n.Children {
		out[i] = c.Name
	}
	return out
}

// isStub reports whether a connected app document was written as the
// stub of a connected app released in a first-generation package (it
// carries developerName or version, which a full app never has): such a
// file gets BYOC-CA-STUB instead of the rules and the content model of a
// full connected app.
func isStub(d doc) bool {
	return d.Type == typeConnectedApp && d.Root != nil && castub.Meant(childNames(d.Root))
}

// stubRules checks a connected app stub: exactly developerName, label and
// version, each once; developerName {namespace}__{the file's API name},
// with the project's namespace when it has one; version in decimal
// formatting.
func (r *run) stubRules(d doc) []diag.Problem {
	var ps []diag.Problem
	add := func(at *node, format string, args ...any) {
		ps = append(ps, r.problem(RuleConnectedAppStub, d.File, at, format, args...))
	}
	root := d.Root
	seen := map[string]bool{}
	for _, c := range root.Children {
		switch {
		case !slices.Contains(castub.Elements(), c.Name):
			add(c, "<%s> beside the stub's developerName and version: the stub of a connected app released in a first-generation package carries only developerName, label and version (\"Only version, label, and developerName are allowed\"); remove <%s>, or remove developerName and version to package the full connected app in a first-generation package", c.Name, c.Name)
		case seen[c.Name]:
			add(c, "<%s> appears twice; a stub carries each of developerName, label and version once", c.Name)
		case len(c.Children) > 0:
			add(c, "<%s> holds elements; in a stub it is a value", c.Name)
		}
		seen[c.Name] = true
	}
	for _, want := range castub.Elements() {
		if !seen[want] {
			add(root, "the stub lacks <%s>; the stub of a connected app released in a first-generation package carries developerName ({namespace}__%s), label and version", want, d.Name)
		}
	}
	if dn := root.child("developerName"); dn != nil {
		ns, name, found := strings.Cut(dn.Text, "__")
		want := castub.DeveloperName(orPlaceholder(r.in.Namespace, "{namespace}"), d.Name)
		switch {
		case !found || ns == "":
			add(dn, "developerName %q lacks the namespace: it is the namespace of the first-generation package and the connected app's API name, %s", dn.Text, want)
		case name != d.Name:
			add(dn, "developerName %q names the connected app %q, but the file is %s; write %s", dn.Text, name, d.Name, want)
		case r.in.Namespace != "" && ns != r.in.Namespace:
			add(dn, "developerName %q has the namespace %s, but sfdx-project.json's namespace is %s: a stub references a connected app released in a first-generation package of the same namespace; write %s", dn.Text, ns, r.in.Namespace, want)
		}
	}
	if v := root.child("version"); v != nil && (!castub.ValidVersion(v.Text) || v.Padded) {
		add(v, "version %q is not in decimal formatting (digits, a point, digits, nothing around them); write the connected app's version before it was added to the first-generation package, such as 1.0 or 2.3", v.Text)
	}
	if names := childNames(root); castub.Is(names) && !slices.Equal(names, castub.Elements()) {
		p := r.problem(xsdcheck.RuleOrder, d.File, root.Children[0],
			"the stub's elements are not in the order developerName, label, version that render writes; `byocpack fmt` fixes it (the order does not matter to Salesforce)")
		p.Severity = diag.Warning
		ps = append(ps, p)
	}
	if r.in.Project && r.in.Namespace == "" && d.InPackage {
		p := r.problem(RuleConnectedAppStub, d.File, root,
			"sfdx-project.json has no namespace, but a stub references a connected app released in a first-generation package of the same namespace, and developerName's namespace cannot be checked; set \"namespace\" to that package's namespace")
		p.Severity = diag.Warning
		ps = append(ps, p)
	}
	if l := root.child("label"); l != nil && l.Text == "" {
		add(l, "label is empty; write the connected app's label")
	}
	return ps
}

func orPlaceholder(v, placeholder string) string {
	if v == "" {
		return placeholder
	}
	return v
}

// stubNotJudged is the line --xsd gives a well-formed stub instead of the
// XSD's verdict, which refuses it: developerName and version are in no
// ConnectedApp WSDL.
func (r *run) stubNotJudged(f File) diag.Problem {
	p := r.problem(RuleConnectedAppStub, f, nil, "the stub of a connected app released in a first-generation package (developerName, label, version) is a packaging-only shape that no ConnectedApp XSD has, so it was not judged by the XSD; byocpack validate without --xsd checks it")
	p.Severity = diag.Info
	return p
}
