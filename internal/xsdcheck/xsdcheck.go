// Package xsdcheck checks a parsed metadata document against the content
// model of its type (internal/model, generated from the Metadata API WSDL)
// and gives one of two verdicts:
//
//   - Deploy, the default: what the Metadata API refuses on deploy is an
//     error (an unknown element, with the nearest valid name; a
//     non-repeatable element twice; a repeated element split by others; a
//     required element missing; a value not of its type or enumeration),
//     and elements in another order than the WSDL's sequence are one
//     warning per parent, since the Metadata API deploys them
//     (../shared/reference/deploy-semantics.md §1).
//   - XSD: the XSD's own verdict, order included, which equals xmllint's
//     on every mutant of the differential test in this package but the
//     listed deviations.
//
// Every problem of a document is reported, not only the first. Nothing is
// compiled: the models are data, and the check is one walk of the tree.
// jacoelho/xsd and xmllint are the oracles in the tests, never used here.
package xsdcheck

import (
	"encoding/base64"
	"fmt"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"sync"
	"unicode/utf8"

	"github.com/byocpack/byocpack/internal/apiver"
	"github.com/byocpack/byocpack/internal/diag"
	"github.com/byocpack/byocpack/internal/model"
	"github.com/byocpack/byocpack/internal/xmldoc"
)

// MetadataNamespace is the namespace every Metadata API document's root
// element must be in.
const MetadataNamespace = model.Namespace

const xsiNS = "http://www.w3.org/2001/XMLSchema-instance"

// Rule IDs of the content-model check. Users silence them by ID, so they
// never change.
const (
	// RuleSchema is every content-model problem but order.
	RuleSchema = "xsd"
	// RuleOrder is elements in another order than a retrieve writes them.
	RuleOrder = "xsd-order"
)

// Mode picks the verdict.
type Mode int

const (
	// Deploy reports what the Metadata API refuses as errors and order as
	// a warning.
	Deploy Mode = iota
	// XSD reports the XSD's verdict: order is an error too.
	XSD
)

// Checker checks documents against a set of content models. It is safe
// for concurrent use.
type Checker struct {
	Models *model.Set
	Mode   Mode
}

// New returns a Deploy checker over models.
func New(models *model.Set) *Checker { return &Checker{Models: models} }

// ModelFor returns the models a project at apiVersion is judged by, and
// whether apiVersion is newer than every version the set has.
func (c *Checker) ModelFor(apiVersion string) (m *model.Model, newer bool, err error) {
	use, newer, ok := c.Models.Resolve(apiVersion)
	if vs := c.Models.Versions(); !ok && len(vs) > 0 {
		// Older than every version: judged by the oldest, whose elements
		// such a project mostly uses; the caller says so once.
		v, err := apiver.Parse(apiVersion)
		oldest, _ := apiver.Parse(vs[0])
		if err == nil && v.Before(oldest) {
			use, ok = vs[0], true
		}
	}
	if !ok {
		return nil, false, fmt.Errorf("no content models for API version %q; byocpack has %s (import another with `byocpack schemas import metadata.wsdl`)", apiVersion, strings.Join(c.Models.Versions(), ", "))
	}
	m, err = c.Models.Get(use)
	return m, newer, err
}

// Has reports whether the models for apiVersion have a document root
// for metadataType: every metadata type of the version is judged; a file
// that is no metadata document (an Apex class, a bundle's JavaScript) has
// no type with a root and is not checked.
func (c *Checker) Has(apiVersion, metadataType string) bool {
	m, _, err := c.ModelFor(apiVersion)
	return err == nil && m.Root(metadataType) != nil
}

// fmtFix is how a message offers fmt's help: only for the types fmt
// rewrites, since for the others it leaves the file as it is.
func (w *walker) fmtFix(how string) string {
	if Formatted(w.typ) {
		return how
	}
	return ""
}

// Formatted reports whether fmt rewrites files of metadataType: the
// types whose retrieve order round trips on real files have proven
// (docs/rules.md, "What fmt formats"). Every other type is validated
// and left as it is by fmt, listed as not formatted.
func Formatted(metadataType string) bool { return formatted()[metadataType] }

var formatted = sync.OnceValue(func() map[string]bool {
	out := map[string]bool{}
	for _, t := range apiver.Types() {
		out[t] = true
	}
	return out
})

// Check judges doc, the parsed file at path, as a metadataType of a
// project at apiVersion.
func (c *Checker) Check(apiVersion, metadataType, path string, doc *xmldoc.Document) []diag.Problem {
	m, newer, err := c.ModelFor(apiVersion)
	if err != nil {
		return []diag.Problem{problem(path, 0, 0, diag.Error, RuleSchema, err.Error())}
	}
	root := m.Root(metadataType)
	if root == nil {
		return []diag.Problem{problem(path, 0, 0, diag.Error, RuleSchema, fmt.Sprintf("no content model for metadata type %q at API version %s", metadataType, m.Version))}
	}
	r := doc.Root
	// Formatted only when a root is wrong: once per file it was a tenth
	// of the check's time.
	want := func() string { return fmt.Sprintf("<%s xmlns=%q>", metadataType, MetadataNamespace) }
	switch {
	case r.Local != metadataType:
		return []diag.Problem{problem(path, r.Line, r.Col, diag.Error, RuleSchema, fmt.Sprintf("root element is <%s>; expected %s", r.Local, want()))}
	case r.Space == "":
		return []diag.Problem{problem(path, r.Line, r.Col, diag.Error, RuleSchema, fmt.Sprintf("root element <%s> has no namespace; expected %s", r.Local, want()))}
	case r.Space == ToolingNamespace && c.Mode == Deploy && deviates("tooling-namespace", metadataType):
		// Deployed as it is (docs/deviations.md, tooling-namespace).
	case r.Space != MetadataNamespace:
		return []diag.Problem{problem(path, r.Line, r.Col, diag.Error, RuleSchema, fmt.Sprintf("root element <%s> is in namespace %q; expected %s", r.Local, r.Space, want()))}
	}
	w := &walker{set: c.Models, m: m, mode: c.Mode, newer: newer, project: apiVersion, file: path, typ: metadataType, ns: r.Space}
	w.complex(r, root, "/"+r.Local, true, false)
	if w.total > maxProblems {
		last := &w.out[maxProblems]
		last.Message = fmt.Sprintf("%d more schema problems in this file are not shown (the first %d are); fix those and validate again", w.total-maxProblems, maxProblems)
	}
	return diag.Sort(w.out)
}

// walker checks one document.
type walker struct {
	set     *model.Set // every version, for when a name exists
	m       *model.Model
	mode    Mode
	newer   bool   // the project is newer than the models
	project string // the project's API version
	file    string
	typ     string // the document's metadata type
	ns      string // the namespace its elements are in
	out     []diag.Problem
	total   int
}

// maxProblems bounds what one document reports: past it, one more problem
// says how many were left out, so a file of a million repeated elements
// neither floods the output nor fills memory.
const maxProblems = 200

func (w *walker) add(el *xmldoc.Element, sev diag.Severity, rule, format string, args ...any) {
	w.total++
	switch {
	case len(w.out) < maxProblems:
		w.out = append(w.out, problem(w.file, el.Line, el.Col, sev, rule, fmt.Sprintf(format, args...)))
	case len(w.out) == maxProblems:
		w.out = append(w.out, problem(w.file, el.Line, el.Col, diag.Error, rule, ""))
	}
}

func problem(file string, line, col int, sev diag.Severity, rule, msg string) diag.Problem {
	return diag.Problem{File: file, Line: max(line, 0), Column: max(col, 0), Severity: sev, Rule: rule, Message: msg}
}

// attrs checks an element's attributes; it returns whether the element
// is xsi:nil, when its content must be empty and is not checked further.
func (w *walker) attrs(el *xmldoc.Element, where string, nillable bool) (isNil bool) {
	for _, a := range el.Attrs {
		switch {
		case a.IsNamespaceDecl():
		case a.Space == xsiNS && (a.Local == "schemaLocation" || a.Local == "noNamespaceSchemaLocation"):
			// Hints for validators; they change nothing.
		case a.Space == "" && a.Local == "fqn" && w.mode == Deploy && where == "/"+w.typ && deviates("fqn-attribute", w.typ):
			// Deployed as it is (docs/deviations.md, fqn-attribute).
		case a.Space == xsiNS && a.Local == "nil":
			v := collapse(a.Value)
			if v != "true" && v != "false" && v != "1" && v != "0" {
				w.add(el, diag.Error, RuleSchema, "xsi:nil=%q on <%s> at %s is not a boolean; use true or false", a.Value, el.Local, where)
				continue
			}
			if !nillable && !(w.mode == Deploy && nilInDeploy(w.typ, el.Local)) {
				w.add(el, diag.Error, RuleSchema, "<%s> at %s has xsi:nil, which only nillable elements may carry; remove the attribute", el.Local, where)
				continue
			}
			isNil = v == "true" || v == "1"
			if isNil && (len(el.Children) > 0 || el.Text != "") {
				w.add(el, diag.Error, RuleSchema, "<%s> at %s has xsi:nil=\"true\" and content; remove one or the other", el.Local, where)
			}
		default:
			name := a.Local
			if a.Prefix != "" {
				name = a.Prefix + ":" + a.Local
			}
			// Not confirmed what a deploy does with an attribute: the XSD
			// refuses it, the deploy verdict warns.
			sev := diag.Warning
			if w.mode == XSD {
				sev = diag.Error
			}
			w.add(el, sev, RuleSchema, "<%s> at %s carries the attribute %s; Metadata API elements take none: remove it", el.Local, where, name)
		}
	}
	return isNil
}

// complex checks an element of a complex type and everything inside it.
func (w *walker) complex(el *xmldoc.Element, ct *model.Complex, where string, isRoot, nillable bool) {
	if w.attrs(el, where, nillable) {
		return
	}
	if el.HasText() {
		if w.mode == XSD {
			w.add(el, diag.Error, RuleSchema, "text is not allowed directly inside <%s> at %s; values belong in its child elements", el.Local, where)
		} else {
			// A deploy ignores it (docs/deviations.md, stray-text).
			w.add(el, diag.Warning, RuleSchema, "stray text %s directly inside <%s> at %s, between its child elements; the Metadata API deploys it, the XSD refuses it: remove it", strconv.Quote(truncate(strings.TrimSpace(el.Text), 40)), el.Local, where)
		}
	}
	seq := ct.Sequence()
	counts := make([]int, len(seq))
	idx := make([]int, len(el.Children))
	count := func(i int) int { return counts[i] }
	cur := -1 // where the last known child was placed
	for k, ch := range el.Children {
		idx[k] = -1
		if ch.Space == w.ns {
			if i := ct.Place(ch.Local, cur, count); i >= 0 {
				idx[k] = i
				counts[i]++
				cur = i
			}
		}
	}
	closed := make([]bool, len(seq)) // a run of the element ended
	reported := make([]bool, len(seq))
	seen := make([]int, len(seq))
	prev, high := -1, -1
	orderDone := false
	for k, ch := range el.Children {
		i := idx[k]
		if i < 0 {
			w.unknown(el, ch, ct, where)
			continue
		}
		e := seq[i]
		seen[i]++
		label := loc{where, ch.Local, 0}
		if counts[i] > 1 {
			label.index = seen[i]
		}
		if i != prev {
			if prev >= 0 {
				closed[prev] = true
			}
			if closed[i] && e.Repeatable() && !reported[i] {
				reported[i] = true
				w.add(ch, diag.Error, RuleSchema, "<%s> in <%s>%s is separated from the <%s> before it by other elements; Salesforce refuses it: \"Element %s is duplicated at this location in type %s\"; keep all <%s> together%s",
					ch.Local, el.Local, at(where, isRoot), ch.Local, ch.Local, ct.Name, ch.Local, w.fmtFix(" (`byocpack fmt` does)"))
			}
		}
		if !reported[i] && e.Max >= 0 && seen[i] > e.Max {
			reported[i] = true
			what := "allows it once"
			if e.Max > 1 {
				what = fmt.Sprintf("allows it at most %d times", e.Max)
			}
			w.add(ch, diag.Error, RuleSchema, "<%s> appears %d times in <%s>%s, which %s; Salesforce refuses it: \"Element %s is duplicated at this location in type %s\"; remove the extra ones",
				ch.Local, counts[i], el.Local, at(where, isRoot), what, ch.Local, ct.Name)
		}
		if i < high && !orderDone {
			orderDone = true
			w.order(el, ch, seq[high], where, isRoot)
		}
		high = max(high, i)
		prev = i
		w.element(ch, e, label)
	}
	var missing []string
	for i, e := range seq {
		if counts[i] < e.Min && !(w.mode == Deploy && optionalInDeploy(w.typ, ct.Name, e.Name)) {
			missing = append(missing, "<"+e.Name+">")
		}
	}
	if len(missing) > 0 {
		what := "required element " + missing[0]
		if len(missing) > 1 {
			what = "required elements " + strings.Join(missing, ", ")
		}
		w.add(el, diag.Error, RuleSchema, "<%s> at %s is missing %s", el.Local, where, what)
	}
}

func (w *walker) order(parent, ch *xmldoc.Element, after *model.Element, where string, isRoot bool) {
	if w.mode == XSD {
		w.add(ch, diag.Error, RuleOrder, "element <%s> is out of order in <%s>%s: it must come before <%s> (the XSD fixes the element order%s)",
			ch.Local, parent.Local, at(where, isRoot), after.Name, w.fmtFix("; `byocpack fmt` fixes it"))
		return
	}
	w.add(ch, diag.Warning, RuleOrder, "<%s> in <%s>%s is not in the order Salesforce retrieves it%s (it belongs before <%s>; the Metadata API deploys either order)",
		ch.Local, parent.Local, at(where, isRoot), w.fmtFix("; `byocpack fmt` fixes it"), after.Name)
}

// unknown reports a child the parent's type does not have.
func (w *walker) unknown(parent, ch *xmldoc.Element, ct *model.Complex, where string) {
	if ch.Space != w.ns {
		ns := "no namespace"
		if ch.Space != "" {
			ns = fmt.Sprintf("namespace %q", ch.Space)
		}
		w.add(ch, diag.Error, RuleSchema, "element <%s> in %s is not allowed in <%s> at %s; child elements must be in %s", ch.Local, ns, parent.Local, where, w.ns)
		return
	}
	names := make([]string, 0, len(ct.Sequence()))
	for _, e := range ct.Sequence() {
		names = append(names, e.Name)
	}
	hint := ""
	if s := nearest(ch.Local, names); s != "" {
		hint = fmt.Sprintf("; did you mean <%s>?", s)
	}
	if w.newer {
		w.add(ch, diag.Warning, RuleSchema, "unknown element <%s> in <%s> at %s: %s has no such field in API %s, the newest version byocpack has, and the project is at %s%s; if Salesforce added it in %s, import that version's WSDL (Setup → API → Generate Metadata WSDL) with `byocpack schemas import metadata.wsdl`",
			ch.Local, parent.Local, where, ct.Name, w.m.Version, w.project, hint, w.project)
		return
	}
	if when := w.versionsOf(func(s *model.Set) []string { return s.ElementVersions(ct.Name, ch.Local) }); when != "" {
		w.add(ch, diag.Error, RuleSchema, "<%s> in <%s> at %s %s; this project is at %s (%s in API %s has no such field), so Salesforce refuses it: \"Element %s invalid at this location in type %s\"; change sourceApiVersion to a version that has it, or remove it",
			ch.Local, parent.Local, where, when, w.project, ct.Name, w.m.Version, ch.Local, ct.Name)
		return
	}
	w.add(ch, diag.Error, RuleSchema, "unknown element <%s> in <%s> at %s (not a field of %s in API %s)%s; Salesforce refuses it: \"Element %s invalid at this location in type %s\"",
		ch.Local, parent.Local, where, ct.Name, w.m.Version, hint, ch.Local, ct.Name)
}

// versionsOf says in which other versions of the set a name the
// project's version lacks exists ("exists from API 57.0", "exists in API
// 47.0 to 58.0"), from the versions versions lists; "" when none has it.
// Only a name already refused costs the look-up.
func (w *walker) versionsOf(versions func(*model.Set) []string) string {
	if w.set == nil {
		return ""
	}
	vs := versions(w.set)
	if len(vs) == 0 {
		return ""
	}
	first, last := vs[0], vs[len(vs)-1]
	all := w.set.Versions()
	switch {
	case model.Since(vs) != "" && last == all[len(all)-1] && isRun(all, vs):
		return "exists from API " + first
	case first == last:
		return "exists only in API " + first
	case isRun(all, vs):
		return "exists in API " + first + " to " + last
	}
	return "exists in API " + strings.Join(vs, ", ")
}

// isRun reports whether vs, a subsequence of all, is one unbroken run.
func isRun(all, vs []string) bool {
	i := slices.Index(all, vs[0])
	return i >= 0 && i+len(vs) <= len(all) && slices.Equal(all[i:i+len(vs)], vs)
}

// loc names a child element for messages, as an XPath: its parent's
// path, its name and, among several of that name, its position. It is
// written out only for a message or a child's own children.
type loc struct {
	parent, name string
	index        int
}

func (l loc) String() string {
	s := l.parent + "/" + l.name
	if l.index > 0 {
		s += "[" + strconv.Itoa(l.index) + "]"
	}
	return s
}

// element checks a child by its declaration.
func (w *walker) element(el *xmldoc.Element, e *model.Element, at loc) {
	switch {
	case e.Complex() != nil:
		w.complex(el, e.Complex(), at.String(), false, e.Nillable)
	case e.Builtin() == model.AnyType:
		// Anything goes.
	default:
		if len(el.Attrs) > 0 && w.attrs(el, at.String(), e.Nillable) {
			return
		}
		if len(el.Children) > 0 && e.Builtin() == model.Base64Binary && w.mode == Deploy && treeInDeploy(w.typ, el.Local) {
			// Deployed as it is (docs/deviations.md, lwc-target-configs).
			return
		}
		if len(el.Children) > 0 {
			w.add(el, diag.Error, RuleSchema, "<%s> at %s holds a value and cannot contain child elements", el.Local, at)
			return
		}
		w.value(el, e, at)
	}
}

// value checks a simple value against its type.
func (w *walker) value(el *xmldoc.Element, e *model.Element, where loc) {
	v := el.Text
	base, st := e.Builtin(), e.Simple()
	if st != nil {
		base = st.Base
	}
	if base != model.String {
		v = collapse(v)
	}
	shown := func() string { return strconv.Quote(truncate(v, 80)) }
	if base != model.String {
		if ok, hint := lexical(base, v); !ok {
			w.add(el, diag.Error, RuleSchema, "value %s of <%s> at %s is not a valid %s%s", shown(), el.Local, where, base, hint)
			return
		}
	}
	if st == nil {
		return
	}
	if !st.Allows(v) {
		hint := ""
		if s := nearest(v, st.Enum); s != "" {
			hint = fmt.Sprintf("; did you mean %s?", s)
		}
		if w.newer {
			w.add(el, diag.Warning, RuleSchema, "value %s is not allowed for <%s> at %s in API %s, the newest version byocpack has, and the project is at %s%s; allowed values (%s): %s; if Salesforce added it in %s, import that version's WSDL with `byocpack schemas import metadata.wsdl`",
				shown(), el.Local, where, w.m.Version, w.project, hint, st.Name, strings.Join(st.Enum, ", "), w.project)
			return
		}
		if when := w.versionsOf(func(s *model.Set) []string { return s.EnumVersions(st.Name, v) }); when != "" {
			w.add(el, diag.Error, RuleSchema, "value %s of <%s> at %s %s; this project is at %s, whose %s allows: %s; change sourceApiVersion to a version that has it, or use one of those",
				shown(), el.Local, where, when, w.project, st.Name, strings.Join(st.Enum, ", "))
			return
		}
		w.add(el, diag.Error, RuleSchema, "value %s is not allowed for <%s> at %s%s; allowed values (%s): %s", shown(), el.Local, where, hint, st.Name, strings.Join(st.Enum, ", "))
		return
	}
	if !st.Matches(v) {
		w.add(el, diag.Error, RuleSchema, "value %s of <%s> at %s does not match the pattern of %s (%s)", shown(), el.Local, where, st.Name, strings.Join(st.Patterns, ", "))
		return
	}
	if st.Length < 0 && st.MinLength < 0 && st.MaxLength < 0 {
		return
	}
	n := utf8.RuneCountInString(v)
	switch {
	case st.Length >= 0 && n != st.Length:
		w.add(el, diag.Error, RuleSchema, "value %s of <%s> at %s has %d characters; %s takes exactly %d", shown(), el.Local, where, n, st.Name, st.Length)
	case st.MinLength >= 0 && n < st.MinLength:
		w.add(el, diag.Error, RuleSchema, "value %s of <%s> at %s has %d characters; %s takes at least %d", shown(), el.Local, where, n, st.Name, st.MinLength)
	case st.MaxLength >= 0 && n > st.MaxLength:
		w.add(el, diag.Error, RuleSchema, "value %s of <%s> at %s has %d characters; %s takes at most %d", shown(), el.Local, where, n, st.Name, st.MaxLength)
	}
}

// collapse applies XML Schema's whiteSpace="collapse": runs of white space
// become one space, leading and trailing ones go.
func collapse(s string) string {
	if !strings.ContainsAny(s, " \t\r\n") {
		return s
	}
	return strings.Join(strings.Fields(s), " ")
}

// The lexical spaces of the built-ins that need a regular expression,
// compiled on first use (most runs meet none of them).
var lexicalREs = sync.OnceValue(func() map[model.Builtin]*regexp.Regexp {
	return map[model.Builtin]*regexp.Regexp{
		model.Double:   regexp.MustCompile(`^([+-]?([0-9]+(\.[0-9]*)?|\.[0-9]+)([eE][+-]?[0-9]+)?|-?INF|NaN)$`),
		model.Date:     regexp.MustCompile(`^-?([0-9]{4,})-([0-9]{2})-([0-9]{2})(Z|[+-][0-9]{2}:[0-9]{2})?$`),
		model.Time:     regexp.MustCompile(`^([0-9]{2}):([0-9]{2}):([0-9]{2})(\.[0-9]+)?(Z|[+-][0-9]{2}:[0-9]{2})?$`),
		model.DateTime: regexp.MustCompile(`^-?([0-9]{4,})-([0-9]{2})-([0-9]{2})T([0-9]{2}):([0-9]{2}):([0-9]{2})(\.[0-9]+)?(Z|[+-][0-9]{2}:[0-9]{2})?$`),
	}
})

// lexical checks a collapsed value against the lexical space of a
// built-in type and returns a hint for the message when it fails.
func lexical(b model.Builtin, v string) (bool, string) {
	switch b {
	case model.Boolean:
		return v == "true" || v == "false" || v == "1" || v == "0", "; use true or false"
	case model.Int:
		_, err := strconv.ParseInt(v, 10, 32)
		return err == nil, "; use a whole number without spaces"
	case model.Long:
		_, err := strconv.ParseInt(v, 10, 64)
		return err == nil, "; use a whole number without spaces"
	case model.Double:
		return lexicalREs()[model.Double].MatchString(v), "; use a decimal number"
	case model.Date:
		m := lexicalREs()[model.Date].FindStringSubmatch(v)
		return m != nil && validDate(m[1], m[2], m[3]) && validZone(m[4]), "; use YYYY-MM-DD"
	case model.Time:
		m := lexicalREs()[model.Time].FindStringSubmatch(v)
		return m != nil && validClock(m[1], m[2], m[3]) && validZone(m[5]), "; use hh:mm:ss"
	case model.DateTime:
		m := lexicalREs()[model.DateTime].FindStringSubmatch(v)
		return m != nil && validDate(m[1], m[2], m[3]) && validClock(m[4], m[5], m[6]) && validZone(m[8]), "; use YYYY-MM-DDThh:mm:ssZ"
	case model.Base64Binary:
		s := strings.Join(strings.Fields(v), "")
		_, err := base64.StdEncoding.Strict().DecodeString(s)
		return err == nil, "; use base64"
	}
	return true, ""
}

func atoi(s string) int { n, _ := strconv.Atoi(s); return n }

func validDate(y, m, d string) bool {
	year, month, day := atoi(y), atoi(m), atoi(d)
	if year == 0 || month < 1 || month > 12 || day < 1 {
		return false
	}
	days := [13]int{0, 31, 29, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31}[month]
	if month == 2 && !(year%4 == 0 && (year%100 != 0 || year%400 == 0)) {
		days = 28
	}
	return day <= days
}

func validClock(h, m, s string) bool {
	hh, mm, ss := atoi(h), atoi(m), atoi(s)
	return (hh < 24 && mm < 60 && ss < 60) || (hh == 24 && mm == 0 && ss == 0)
}

func validZone(z string) bool {
	if len(z) != 6 {
		return true
	}
	hh, mm := atoi(z[1:3]), atoi(z[4:6])
	return mm < 60 && (hh < 14 || (hh == 14 && mm == 0))
}

// at renders the " at /path" part of a message, left out for the root,
// whose path would only repeat its name.
func at(where string, isRoot bool) string {
	if isRoot {
		return ""
	}
	return " at " + where
}

func truncate(s string, n int) string {
	r := []rune(s)
	if len(r) <= n {
		return s
	}
	return string(r[:n]) + "…"
}

// nearest returns the candidate closest to s (case ignored first, then by
// edit distance), or "" when none is close enough to be a likely typo.
func nearest(s string, candidates []string) string {
	best, bestD := "", -1
	ls := strings.ToLower(s)
	for _, c := range candidates {
		if strings.ToLower(c) == ls {
			return c
		}
		d := distance(ls, strings.ToLower(c))
		if bestD < 0 || d < bestD || (d == bestD && c < best) {
			best, bestD = c, d
		}
	}
	limit := max(1, min(3, len([]rune(s))/3))
	if bestD < 0 || bestD > limit {
		return ""
	}
	return best
}

// distance is the Damerau (optimal string alignment) edit distance, so
// a swap of two letters (lenght, length) counts as one edit.
func distance(a, b string) int {
	ra, rb := []rune(a), []rune(b)
	if len(ra) == 0 || len(rb) == 0 {
		return max(len(ra), len(rb))
	}
	d := make([][]int, len(ra)+1)
	for i := range d {
		d[i] = make([]int, len(rb)+1)
		d[i][0] = i
	}
	for j := range d[0] {
		d[0][j] = j
	}
	for i := 1; i <= len(ra); i++ {
		for j := 1; j <= len(rb); j++ {
			cost := 1
			if ra[i-1] == rb[j-1] {
				cost = 0
			}
			d[i][j] = min(d[i-1][j]+1, d[i][j-1]+1, d[i-1][j-1]+cost)
			if i > 1 && j > 1 && ra[i-1] == rb[j-2] && ra[i-2] == rb[j-1] {
				d[i][j] = min(d[i][j], d[i-2][j-2]+1)
			}
		}
	}
	return d[len(ra)][len(rb)]
}
