package cli

import (
	"errors"
	"io"
	"regexp"
	"strings"

	"github.com/spf13/cobra"

	"github.com/byocpack/byocpack/generator"
)

// The JSON output contract (docs/output.schema.json): every command that
// reports prints one envelope on stdout with --json (or --format json),
// whether it succeeds or is refused, so a pipeline parses one shape.
const envelopeVersion = 1

// Statuses of an envelope.
const (
	statusOK      = "ok"      // the command did its job
	statusRefused = "refused" // the input was invalid: see problems
	statusError   = "error"   // it could not run: see error
)

type envelope struct {
	SchemaVersion int           `json:"schemaVersion"`
	Command       string        `json:"command"`
	Status        string        `json:"status"`
	ExitCode      int           `json:"exitCode"`
	Result        any           `json:"result"`
	Problems      []problemJSON `json:"problems"`
	Errors        int           `json:"errors"`
	Warnings      int           `json:"warnings"`
	Error         string        `json:"error,omitempty"`
}

type problemJSON struct {
	File     string `json:"file"`
	Line     int    `json:"line,omitempty"`
	Column   int    `json:"column,omitempty"`
	Key      string `json:"key,omitempty"`
	Severity string `json:"severity"`
	Rule     string `json:"rule"`
	Message  string `json:"message"`
	Fix      string `json:"fix,omitempty"`
}

// specKey is the key path a spec problem's message starts with.
func specKeyPattern() *regexp.Regexp {
	return regexp.MustCompile(`^([A-Za-z][A-Za-z0-9]*(?:\[[0-9]+\])?(?:\.[A-Za-z][A-Za-z0-9]*(?:\[[0-9]+\])?)*): `)
}

func toJSONProblems(ps []generator.Problem) []problemJSON {
	out := make([]problemJSON, 0, len(ps))
	keyRE := specKeyPattern()
	for _, p := range ps {
		j := problemJSON{File: p.File, Line: p.Line, Column: p.Column, Severity: string(p.Severity), Rule: p.Rule, Message: p.Message}
		if p.Rule == "spec" {
			if m := keyRE.FindStringSubmatch(p.Message); m != nil {
				j.Key = m[1]
			}
		}
		j.Fix = p.Fix
		if j.Fix == "" {
			j.Fix = fixOf(p.Message)
		}
		out = append(out, j)
	}
	return out
}

// fixOf is what a message says to do: messages say the cause, then after
// "; " the fix. A "; " inside parentheses is part of an aside ("(it
// belongs before <x>; the Metadata API deploys either order)"), not the
// start of a fix; a message without one has no fix.
func fixOf(msg string) string {
	depth, at := 0, -1
	for i := 0; i < len(msg); i++ {
		switch msg[i] {
		case '(':
			depth++
		case ')':
			depth = max(0, depth-1)
		case ';':
			if depth == 0 && i+1 < len(msg) && msg[i+1] == ' ' {
				at = i
			}
		}
	}
	if at < 0 {
		return ""
	}
	return msg[at+2:]
}

// jsonRequested reports whether cmd was asked for JSON.
func jsonRequested(cmd *cobra.Command) bool {
	if cmd == nil {
		return false
	}
	if f := cmd.Flags().Lookup("json"); f != nil && f.Value.String() == "true" {
		return true
	}
	if f := cmd.Flags().Lookup("format"); f != nil && f.Value.String() == "json" {
		return true
	}
	return false
}

func commandName(cmd *cobra.Command) string {
	if cmd == nil {
		return ""
	}
	return strings.TrimPrefix(cmd.CommandPath(), cmd.Root().Name()+" ")
}

// emit prints a command's result in the envelope. status is statusOK
// unless the command refused its input itself (validate with errors).
func emit(w io.Writer, command, status string, code int, result any, problems []generator.Problem) error {
	errs, warns := generator.Count(problems)
	return writeJSON(w, envelope{SchemaVersion: envelopeVersion, Command: command, Status: status, ExitCode: code,
		Result: result, Problems: toJSONProblems(problems), Errors: errs, Warnings: warns})
}

// emitFailure prints the envelope of a run that failed with err.
func emitFailure(w io.Writer, cmd *cobra.Command, code int, err error) {
	env := envelope{SchemaVersion: envelopeVersion, Command: commandName(cmd), Status: statusError, ExitCode: code, Problems: []problemJSON{}}
	var list generator.ProblemList
	var conflict *generator.ConflictError
	switch {
	case errors.As(err, &list):
		env.Status = statusRefused
		env.Problems = toJSONProblems(list)
		env.Errors, env.Warnings = generator.Count(list)
	case errors.As(err, &conflict):
		env.Status = statusRefused
		env.Result = map[string]any{"conflicts": conflict.Conflicts}
		env.Error = err.Error()
	default:
		env.Error = err.Error()
	}
	_ = writeJSON(w, env)
}

// codedError ends a command with a code and a message (diff's and
// review's unreadable input is 2, like diff(1)).
type codedError struct {
	code int
	err  error
}

func (e *codedError) Error() string { return e.err.Error() }
func (e *codedError) Unwrap() error { return e.err }
