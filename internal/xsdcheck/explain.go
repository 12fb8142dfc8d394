package xsdcheck

import (
	"bytes"
	"fmt"
	"slices"
	"strings"

	"github.com/jacoelho/xsd/xsderrors"

	"byocpack/internal/diag"
)

// explain turns engine errors into problems. A file that is not XML, or
// whose root is wrong, gets exactly one problem: whatever the engine says
// after that is noise.
func explain(m *model, metadataType, file string, data []byte, errs []*xsderrors.Error) []diag.Problem {
	for _, e := range errs {
		if e.Category == xsderrors.CategoryUnsupported || e.Code == xsderrors.CodeValidationXML {
			p := xmlProblem(file, e)
			if e.Line == 0 && e.Code == xsderrors.CodeValidationXML {
				// The engine gives no position when the file simply stops;
				// the end of the file is where it went wrong, which is also
				// where libxml2 points.
				p.Line = bytes.Count(data, []byte("\n")) + 1
				if open := scanDoc(data).unclosed; len(open) > 0 {
					p.Message = fmt.Sprintf("not well-formed XML: the file ends before <%s> is closed (truncated?)", open[len(open)-1])
				}
			}
			return []diag.Problem{p}
		}
	}
	dc := scanDoc(data)
	for _, e := range errs {
		if e.Code == xsderrors.CodeValidationRoot {
			return []diag.Problem{rootProblem(file, metadataType, dc)}
		}
	}
	// Once a sequence refuses a child, the engine refuses every later
	// sibling and, at the end tag, reports the children still missing. The
	// first refusal already says what is expected there (libxml2 also stops
	// at it), so the rest is left out. Errors arrive in document order, so
	// the refusal is always seen before its echoes.
	refused := map[*node]bool{}
	var out []diag.Problem
	for _, e := range errs {
		switch {
		case e.Code == xsderrors.CodeValidationElement:
			if p, _, _ := dc.childAt(e.Path, e.Line, ""); p != nil {
				if refused[p] {
					continue
				}
				refused[p] = true
			}
		case e.Code == xsderrors.CodeValidationContent && strings.Contains(e.Message, "missing required child"):
			if n := dc.at(e.Path, e.Line); n != nil && refused[n] {
				continue
			}
		}
		out = append(out, explainOne(m, file, dc, e))
	}
	return diag.Sort(out)
}

func xmlProblem(file string, e *xsderrors.Error) diag.Problem {
	switch e.Code {
	case xsderrors.CodeUnsupportedNonUTF8:
		return problem(file, e.Line, e.Column, ruleXML, "file declares a non-UTF-8 encoding; Metadata API files must be UTF-8")
	case xsderrors.CodeUnsupportedDTD, xsderrors.CodeUnsupportedEntity, xsderrors.CodeUnsupportedExternal:
		return problem(file, e.Line, e.Column, ruleXML, "DTDs and entity declarations are not allowed in Metadata API files")
	}
	detail := e.Message
	if e.Err != nil {
		detail = strings.TrimSpace(strings.Join([]string{detail, e.Err.Error()}, " "))
	}
	if detail == "" {
		detail = string(e.Code)
	}
	return problem(file, e.Line, e.Column, ruleXML, "not well-formed XML: "+detail)
}

func rootProblem(file, metadataType string, dc *doc) diag.Problem {
	want := fmt.Sprintf("<%s xmlns=%q>", metadataType, MetadataNamespace)
	r := dc.root()
	switch {
	case r == nil:
		return problem(file, 0, 0, ruleXML, "file has no root element; expected "+want)
	case r.name.Local != metadataType:
		return problem(file, r.line, r.col, ruleXSD, fmt.Sprintf("root element is <%s>; expected %s", r.name.Local, want))
	case r.name.Space == "":
		return problem(file, r.line, r.col, ruleXSD, fmt.Sprintf("root element <%s> has no namespace; expected %s", r.name.Local, want))
	default:
		return problem(file, r.line, r.col, ruleXSD, fmt.Sprintf("root element <%s> is in namespace %q; expected %s", r.name.Local, r.name.Space, want))
	}
}

func explainOne(m *model, file string, dc *doc, e *xsderrors.Error) diag.Problem {
	line, col := e.Line, e.Column
	names := splitPath(e.Path)
	switch e.Code {
	case xsderrors.CodeValidationElement:
		if local, ok := strings.CutPrefix(e.Message, "unexpected child element "); ok {
			return unexpectedChild(m, file, dc, e, names, localName(local))
		}
	case xsderrors.CodeValidationContent:
		if strings.Contains(e.Message, "missing required child") {
			return missingChildren(m, file, dc, e, names)
		}
	}
	n := dc.at(e.Path, line)
	if e.Code == xsderrors.CodeValidationNil {
		// The engine reports xsi:nil trouble against the parent's path; the
		// element that carries the attribute is the one to name.
		for _, c := range dc.nodes {
			if c.line == line && slices.Contains(c.attrs, "nil") {
				n, names = c, splitPath(c.path)
				break
			}
		}
	}
	where := e.Path
	if n != nil {
		// libxml2 and editors point at the start tag; the engine points at
		// the end tag for content it checks there.
		line, col, where = n.line, n.col, dc.label(n)
	}
	el := "<" + last(names) + ">"
	switch e.Code {
	case xsderrors.CodeValidationNil:
		return problem(file, line, col, ruleXSD, fmt.Sprintf("%s at %s has xsi:nil, which only nillable elements may carry: %s", el, where, e.Message))
	case xsderrors.CodeValidationFacet, xsderrors.CodeValidationType:
		return problem(file, line, col, ruleXSD, valueMessage(m, names, n, el, where, e.Message))
	case xsderrors.CodeValidationAttribute:
		attrs := ""
		if n != nil && len(n.attrs) > 0 {
			attrs = " (" + strings.Join(n.attrs, ", ") + ")"
		}
		return problem(file, line, col, ruleXSD, fmt.Sprintf("%s at %s carries attributes%s; Metadata API elements take none: %s", el, where, attrs, e.Message))
	case xsderrors.CodeValidationText:
		return problem(file, line, col, ruleXSD, fmt.Sprintf("text is not allowed directly inside %s at %s; values belong in its child elements", el, where))
	case xsderrors.CodeValidationContent:
		if strings.Contains(e.Message, "child elements") {
			return problem(file, line, col, ruleXSD, fmt.Sprintf("%s at %s holds a value and cannot contain child elements", el, where))
		}
	}
	msg := e.Message
	if msg == "" && e.Err != nil {
		msg = e.Err.Error()
	}
	return problem(file, line, col, ruleXSD, fmt.Sprintf("%s at %s: %s", el, where, msg))
}

// valueMessage explains a rejected simple value, with the allowed values
// when the type is an enumeration (the engine only says the facet failed).
func valueMessage(m *model, names []string, n *node, el, where, engineMsg string) string {
	value := ""
	if n != nil {
		value = n.text.String()
	}
	typ, known := m.typeOf(names)
	shown := fmt.Sprintf("%q", truncate(value, 80))
	if known {
		if vals, ok := m.enums[typ.local]; ok && strings.Contains(engineMsg, "enumeration") {
			return fmt.Sprintf("value %s is not allowed for %s at %s; allowed values (%s): %s",
				shown, el, where, typ.local, strings.Join(vals, ", "))
		}
		hint := ""
		switch typ.String() {
		case "xsd:boolean":
			hint = "; use true or false"
		case "xsd:int", "xsd:long":
			hint = "; use a whole number without spaces"
		case "xsd:double":
			hint = "; use a decimal number"
		case "xsd:dateTime":
			hint = "; use YYYY-MM-DDThh:mm:ssZ"
		case "xsd:date":
			hint = "; use YYYY-MM-DD"
		}
		return fmt.Sprintf("value %s of %s at %s is not a valid %s%s (%s)", shown, el, where, typ, hint, engineMsg)
	}
	return fmt.Sprintf("value %s of %s at %s is invalid: %s", shown, el, where, engineMsg)
}

// unexpectedChild explains why the sequence refused a child: unknown,
// out of order, repeated, or ahead of a missing required element.
func unexpectedChild(m *model, file string, dc *doc, e *xsderrors.Error, parentNames []string, local string) diag.Problem {
	parent, child, before := dc.childAt(e.Path, e.Line, local)
	parentEl := "<" + last(parentNames) + ">"
	where := at(e.Path, parentNames)
	if parent != nil {
		where = at(dc.label(parent), parentNames)
	}
	typ, known := m.typeOf(parentNames)
	if !known || child == nil {
		return problem(file, e.Line, e.Column, ruleXSD, fmt.Sprintf("element <%s> is not allowed in %s%s", local, parentEl, where))
	}
	cur := &cursor{ps: m.particles(typ.local)}
	for _, b := range before {
		cur.advance(b.name.Local)
	}
	next, canEnd := cur.expected()
	expect := "no further elements are allowed here"
	if len(next) > 0 {
		expect = "expected " + oneOf(next)
		if canEnd {
			expect += " or the end of " + parentEl
		}
	}
	var why string
	switch j := cur.index(local); {
	case child.name.Space != MetadataNamespace:
		ns := "no namespace"
		if child.name.Space != "" {
			ns = fmt.Sprintf("namespace %q", child.name.Space)
		}
		why = fmt.Sprintf("element <%s> in %s is not allowed in %s%s; child elements must be in %s", local, ns, parentEl, where, MetadataNamespace)
	case j < 0:
		why = fmt.Sprintf("unknown element <%s> in %s%s (not a field of %s in this API version)", local, parentEl, where, typ.local)
	case j < cur.i || (j == cur.i && cur.count > 0):
		if j == cur.i {
			why = fmt.Sprintf("element <%s> appears too often in %s%s", local, parentEl, where)
		} else {
			why = fmt.Sprintf("element <%s> is out of order in %s%s: it must come before <%s> (the schema fixes the element order)", local, parentEl, where, cur.ps[cur.i].name)
		}
	default:
		why = fmt.Sprintf("element <%s> in %s%s comes too early", local, parentEl, where)
		if !canEnd && len(next) > 0 {
			why = fmt.Sprintf("element <%s> in %s%s comes too early: required element <%s> must come before it", local, parentEl, where, next[len(next)-1])
		}
	}
	return problem(file, e.Line, e.Column, ruleXSD, why+"; "+expect)
}

// missingChildren names every required child an element lacks. It points at
// the element's start tag, where libxml2 reports it too.
func missingChildren(m *model, file string, dc *doc, e *xsderrors.Error, names []string) diag.Problem {
	n := dc.at(e.Path, e.Line)
	el := "<" + last(names) + ">"
	typ, known := m.typeOf(names)
	if n == nil || !known {
		return problem(file, e.Line, e.Column, ruleXSD, fmt.Sprintf("%s at %s is missing a required child element", el, e.Path))
	}
	have := map[string]int{}
	for _, ci := range n.children {
		have[dc.nodes[ci].name.Local]++
	}
	var missing []string
	for _, p := range m.particles(typ.local) {
		if have[p.name] < p.min {
			missing = append(missing, "<"+p.name+">")
		}
	}
	what := "a required child element"
	if len(missing) == 1 {
		what = "required element " + missing[0]
	} else if len(missing) > 1 {
		what = "required elements " + strings.Join(missing, ", ")
	}
	return problem(file, n.line, n.col, ruleXSD, fmt.Sprintf("%s at %s is missing %s", el, dc.label(n), what))
}

// at renders the " at /path" part of a message, left out for the root
// element, whose path would only repeat its name.
func at(path string, names []string) string {
	if len(names) <= 1 {
		return ""
	}
	return " at " + path
}

func oneOf(names []string) string {
	tags := make([]string, len(names))
	for i, n := range names {
		tags[i] = "<" + n + ">"
	}
	if len(tags) == 1 {
		return tags[0]
	}
	const limit = 12
	if len(tags) > limit {
		return "one of " + strings.Join(tags[:limit], ", ") + fmt.Sprintf(" (and %d more)", len(tags)-limit)
	}
	return "one of " + strings.Join(tags, ", ")
}

// localName strips the "{namespace}" the engine puts before some names.
func localName(s string) string {
	if i := strings.LastIndexByte(s, '}'); i >= 0 {
		return s[i+1:]
	}
	return s
}

func splitPath(p string) []string {
	var out []string
	for part := range strings.SplitSeq(p, "/") {
		if part != "" {
			out = append(out, localName(part))
		}
	}
	return out
}

func last(names []string) string {
	if len(names) == 0 {
		return ""
	}
	return names[len(names)-1]
}

func truncate(s string, n int) string {
	r := []rune(s)
	if len(r) <= n {
		return s
	}
	return string(r[:n]) + "…"
}
