// Package problem holds the one shape every finding of byocpack takes, from
// the spec loader to the JSON a pipeline reads: a problem tied to a file
// and, where known, a line, a column and a rule. Spec errors, schema
// violations and BYOC rule violations all print the same way, sorted, so a
// CI log or an editor can jump to each of them.
//
// It is a leaf (it imports only the escaper), so that every layer, the
// implementation under internal/ included, speaks this one type, and a
// program embedding byocpack switches on the same Severity values the CLI
// prints.
package problem

import (
	"cmp"
	"fmt"
	"slices"
	"strings"

	"github.com/byocpack/byocpack/generator/escape"
)

// Severity says whether a problem blocks the run.
type Severity string

// The severities, most severe first.
const (
	// Error fails the run.
	Error Severity = "error"
	// Warning fails only a strict run (--strict, or Options.Strict).
	Warning Severity = "warning"
	// Info says what was not checked and why; it fails no run, not even a
	// strict one.
	Info Severity = "info"
)

// Problem is one finding. Line and Column are 1-based; 0 means unknown.
type Problem struct {
	File     string   `json:"file"`
	Line     int      `json:"line,omitempty"`
	Column   int      `json:"column,omitempty"`
	Severity Severity `json:"severity"`
	Rule     string   `json:"rule"`
	Message  string   `json:"message"`
	// Fix says what to change, where the check knows more than its
	// message says (review and diff flags); empty otherwise.
	Fix string `json:"fix,omitempty"`
}

// String formats the problem as "path:line:col: severity rule: message",
// leaving out the position parts that are unknown.
func (p Problem) String() string {
	var b strings.Builder
	b.WriteString(escape.Line(p.File))
	if p.Line > 0 {
		fmt.Fprintf(&b, ":%d", p.Line)
		if p.Column > 0 {
			fmt.Fprintf(&b, ":%d", p.Column)
		}
	}
	fmt.Fprintf(&b, ": %s %s: %s", p.Severity, p.Rule, escape.Line(p.Message))
	return b.String()
}

// Compare orders problems by file, line, column, rule and message, so that
// output never depends on the order in which concurrent checks finished.
func Compare(a, b Problem) int {
	return cmp.Or(
		cmp.Compare(a.File, b.File),
		cmp.Compare(a.Line, b.Line),
		cmp.Compare(a.Column, b.Column),
		cmp.Compare(a.Rule, b.Rule),
		cmp.Compare(a.Message, b.Message),
	)
}

// Sort sorts problems in place and drops exact duplicates.
func Sort(ps []Problem) []Problem {
	slices.SortFunc(ps, Compare)
	return slices.Compact(ps)
}

// HasErrors reports whether any problem is an error (strict also counts
// warnings).
func HasErrors(ps []Problem, strict bool) bool {
	for _, p := range ps {
		if p.Severity == Error || (strict && p.Severity == Warning) {
			return true
		}
	}
	return false
}

// Count returns the number of problems of each severity.
func Count(ps []Problem) (errors, warnings, infos int) {
	for _, p := range ps {
		switch p.Severity {
		case Error:
			errors++
		case Warning:
			warnings++
		case Info:
			infos++
		}
	}
	return errors, warnings, infos
}

// List is a set of problems that is also an error, so that a library call
// can return every problem it found at once.
type List []Problem

func (l List) Error() string {
	lines := make([]string, len(l))
	for i, p := range l {
		lines[i] = p.String()
	}
	return strings.Join(lines, "\n")
}
