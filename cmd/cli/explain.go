package cli

import (
	"fmt"
	"github.com/byocpack/byocpack/generator/escape"
	"io"
	"strings"

	"github.com/spf13/cobra"

	"github.com/byocpack/byocpack/generator/explain"
)

// ExplainOptions are the inputs of explain.
type ExplainOptions struct {
	IO IO
	// Text is the error text; "-" reads it from stdin.
	Text string
	List bool
	JSON bool
}

// maxExplainInput bounds what explain reads from stdin: a deploy log.
const maxExplainInput = 4 << 20

// NewCmdExplain looks a Salesforce error text up in the explain table.
func NewCmdExplain(io IO, runF func(*ExplainOptions) error) *cobra.Command {
	opts := &ExplainOptions{IO: io}
	cmd := &cobra.Command{
		Use:   `explain "ERROR TEXT" | explain - | explain --list`,
		Short: "Say what a Salesforce error means for a BYOC project and how to fix it",
		Long: `Match an error text Salesforce answered with (a deploy or packaging error, an
OAuth token answer, an Interaction Service API error such as 10003) against
byocpack's table of known BYOC errors and print each match's cause and fix,
most specific first. "-" reads the text from stdin, so a whole log can be
piped in. The same table is docs/errors.md, and token and doctor print its
fixes.

Exit status: 0 when something matched, 1 when nothing did.`,
		Example: `  byocpack explain "invalid_grant: user hasn't approved this consumer"
  byocpack explain 10003
  sf project deploy start -d out/force-app 2>&1 | byocpack explain -`,
		RunE: func(cmd *cobra.Command, args []string) error {
			switch {
			case opts.List && len(args) > 0:
				return usageErrorf("--list takes no error text")
			case !opts.List && len(args) == 0:
				return usageErrorf("give the error text (quoted), - to read it from stdin, or --list")
			}
			opts.Text = strings.Join(args, " ")
			if runF != nil {
				return runF(opts)
			}
			return runExplain(opts)
		},
	}
	cmd.Flags().BoolVar(&opts.List, "list", false, "list every known error")
	cmd.Flags().BoolVar(&opts.JSON, "json", false, "print the matches as JSON")
	return cmd
}

func runExplain(opts *ExplainOptions) error {
	var found []explain.Entry
	if opts.List {
		found = explain.Entries()
	} else {
		text := opts.Text
		if text == "-" {
			data, err := io.ReadAll(io.LimitReader(opts.IO.In, maxExplainInput))
			if err != nil {
				return err
			}
			text = string(data)
		}
		found = explain.Match(text)
		if len(found) == 0 {
			if found = explain.Candidates(text); len(found) > 0 {
				fmt.Fprintf(opts.IO.Err, "%s alone fits %d known errors; paste the whole answer (its error_description) to tell which:\n", escape.Line(strings.TrimSpace(text)), len(found))
			}
		}
	}
	if opts.JSON {
		if found == nil {
			found = []explain.Entry{}
		}
		status, code := statusOK, exitOK
		if len(found) == 0 {
			// No match is exit 1, as in text form: say so in the envelope.
			status, code = statusRefused, exitInvalid
		}
		if err := emit(opts.IO.Out, "explain", status, code, struct {
			Matches []explain.Entry `json:"matches"`
		}{found}, nil); err != nil {
			return err
		}
	} else {
		for i, e := range found {
			if i > 0 {
				fmt.Fprintln(opts.IO.Out)
			}
			if opts.List {
				fmt.Fprintf(opts.IO.Out, "%s (%s): %s\n", e.ID, e.Area, e.Texts[0])
				continue
			}
			fmt.Fprintf(opts.IO.Out, "%s (%s): %s\n", e.ID, e.Area, strings.Join(e.Texts, " | "))
			fmt.Fprintf(opts.IO.Out, "  cause:  %s\n  fix:    %s\n  source: %s\n", e.Cause, e.Fix, e.Source)
		}
	}
	if len(found) == 0 {
		fmt.Fprintln(opts.IO.Err, "no known BYOC error matches that text; byocpack explain --list shows the known ones (docs/errors.md)")
		return &exitError{exitInvalid}
	}
	return nil
}
