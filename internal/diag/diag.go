// Package diag holds the one shape every finding of byocpack takes: a
// problem tied to a file and, where known, a line, a column and a rule.
// Spec errors, schema violations and BYOC rule violations all print the same
// way, sorted, so a CI log or an editor can jump to each of them.
package diag

import (
	"cmp"
	"fmt"
	"slices"
	"strings"

	"github.com/byocpack/byocpack/internal/escape"
)

// Severity says whether a problem blocks the build.
type Severity string

const (
	Error   Severity = "error"
	Warning Severity = "warning"
	// Info says what was not checked and why; it fails no run, not even a
	// strict one.
	Info Severity = "info"
)

// Problem is one finding. Line and Col are 1-based; 0 means unknown.
type Problem struct {
	File     string   `json:"file"`
	Line     int      `json:"line,omitempty"`
	Col      int      `json:"column,omitempty"`
	Severity Severity `json:"severity"`
	Rule     string   `json:"rule"`
	Message  string   `json:"message"`
}

// String formats the problem as "path:line:col: severity rule: message",
// leaving out the position parts that are unknown.
func (p Problem) String() string {
	var b strings.Builder
	b.WriteString(escape.Line(p.File))
	if p.Line > 0 {
		fmt.Fprintf(&b, ":%d", p.Line)
		if p.Col > 0 {
			fmt.Fprintf(&b, ":%d", p.Col)
		}
	}
	// One line whatever the file's name or the message quotes: a line
	// break there must not print a line of its own, which a CI log would
	// read as a command.
	fmt.Fprintf(&b, ": %s %s: %s", p.Severity, p.Rule, escape.Line(p.Message))
	return b.String()
}

// Compare orders problems by file, line, column, rule and message, so that
// output never depends on the order in which concurrent checks finished.
func Compare(a, b Problem) int {
	return cmp.Or(
		cmp.Compare(a.File, b.File),
		cmp.Compare(a.Line, b.Line),
		cmp.Compare(a.Col, b.Col),
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

// Count returns the number of errors and warnings.
func Count(ps []Problem) (errors, warnings int) {
	for _, p := range ps {
		switch p.Severity {
		case Error:
			errors++
		case Warning:
			warnings++
		}
	}
	return errors, warnings
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
