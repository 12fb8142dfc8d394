// Package diag is the implementation's name for the one problem type,
// problem.Problem: aliases, not copies, so that what a check returns is
// what the library hands its caller, with no conversion between layers.
package diag

import "github.com/byocpack/byocpack/generator/problem"

// Problem, Severity and List are the public problem package's types.
type (
	Problem  = problem.Problem
	Severity = problem.Severity
	List     = problem.List
)

// The severities.
const (
	Error   = problem.Error
	Warning = problem.Warning
	Info    = problem.Info
)

// Compare orders problems by file, line, column, rule and message.
func Compare(a, b Problem) int { return problem.Compare(a, b) }

// Sort sorts problems in place and drops exact duplicates.
func Sort(ps []Problem) []Problem { return problem.Sort(ps) }
