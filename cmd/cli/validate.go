package cli

import (
	"fmt"

	"github.com/spf13/cobra"

	"github.com/byocpack/byocpack/generator"
	"github.com/byocpack/byocpack/generator/escape"
)

// ValidateOptions are the inputs of validate.
type ValidateOptions struct {
	IO         IO
	Targets    []string
	Format     string
	APIVersion string
	Strict     bool
	XSD        bool
	Disable    []string
	// Spec is the spec the files were built from: SARIF results in files
	// outside the working directory point at it.
	Spec string
}

// NewCmdValidate validates projects, files and globs.
func NewCmdValidate(io IO, runF func(*ValidateOptions) error) *cobra.Command {
	opts := &ValidateOptions{IO: io}
	cmd := &cobra.Command{
		Use:   "validate [PATH|GLOB ...]",
		Short: "Check metadata the way the Metadata API deploys it, and the BYOC rules",
		Long: `Validate Salesforce DX metadata: a project directory (its sfdx-project.json
gives the package directories and sourceApiVersion, its .forceignore is
honoured), single files, or doublestar globs. Each file's type comes from its
suffix. Problems print sorted as path:line:col: severity rule: message, then a
summary. Rules are documented in docs/rules.md.

Files are checked against the content models of the Metadata API WSDL for the
project's API version, the way a deploy judges them: an unknown element, a
non-repeatable element twice, a repeated element split by others, a missing
required element or a value not of its type are errors; elements in another
order than a retrieve writes are a warning (xsd-order; byocpack fmt fixes
it). --xsd gives the XSD's verdict alone instead, order included, as xmllint
would, without the BYOC rules. A project newer than every API version
byocpack has is judged by the newest, and what that one does not know is a
warning (byocpack schemas import adds a newer WSDL).

Rules are silenced by ID with --disable (repeatable) or, for a project, in
its sfdx-project.json: "plugins": {"byocpack": {"disable": ["RULE-ID"]}}.
The summary says how many problems were silenced.

--format sarif writes SARIF 2.1.0 for GitHub code scanning; with --spec, a
finding in a file outside the working directory (a build into $RUNNER_TEMP)
points at the line of the spec that produced the file.

Exit status: 0 clean, 1 when an error is found (warnings too with --strict),
2 on a usage error.`,
		Example: `  byocpack validate out/partner1
  byocpack validate 'force-app/**/*-meta.xml' --api-version 65.0
  byocpack validate out/partner1 --format json --strict
  byocpack validate out --format github   # annotations on the pull request
  byocpack validate "$RUNNER_TEMP/out" --format sarif --spec byoc.yaml > byocpack.sarif
  byocpack validate . --xsd
  byocpack validate . --disable xsd-order --disable BYOC-CONNECTED-APP-1GP`,
		RunE: func(cmd *cobra.Command, args []string) error {
			opts.Targets = args
			if opts.Format != "sarif" {
				if err := checkFormat(opts.Format); err != nil {
					return usageErrorf("--format must be text, json, github or sarif, not %q", opts.Format)
				}
			}
			if opts.Spec != "" && opts.Format != "sarif" {
				return usageErrorf("--spec places SARIF results; it goes with --format sarif")
			}
			if runF != nil {
				return runF(opts)
			}
			return runValidate(cmd, opts)
		},
	}
	cmd.Flags().StringVar(&opts.Format, "format", "text", "output format: text, json, github or sarif (GitHub Actions annotations; SARIF for code scanning)")
	cmd.Flags().StringVar(&opts.Spec, "spec", "", "with --format sarif: the spec the files were built from; findings in files outside the working directory point at it")
	cmd.Flags().StringVar(&opts.APIVersion, "api-version", "", "validate against this API version instead of sourceApiVersion")
	cmd.Flags().BoolVar(&opts.Strict, "strict", false, "exit 1 on warnings too (element order included)")
	cmd.Flags().BoolVar(&opts.XSD, "xsd", false, "the XSD's verdict alone: element order is an error, no BYOC rule runs")
	cmd.Flags().StringArrayVar(&opts.Disable, "disable", nil, "silence a rule by ID (repeatable)")
	return cmd
}

// checkFormat refuses a --format validate does not write.
func checkFormat(f string) error {
	if f != "text" && f != "json" && f != "github" {
		return usageErrorf("--format must be text, json or github, not %q", f)
	}
	return nil
}

// validateOutput is validate's result in the JSON envelope; the problems
// and their counts are the envelope's own.
type validateOutput struct {
	Files         int      `json:"files"`
	WithoutSchema int      `json:"withoutSchema"`
	Silenced      int      `json:"silenced"`
	Recovered     []string `json:"recovered"`
}

func runValidate(cmd *cobra.Command, opts *ValidateOptions) error {
	res, err := generator.Validate(cmd.Context(), generator.ValidateOptions{Targets: opts.Targets, APIVersion: opts.APIVersion, XSD: opts.XSD, Disable: opts.Disable})
	if err != nil {
		return err
	}
	for _, r := range res.Recovered {
		fmt.Fprintf(opts.IO.Err, "note: %s\n", escape.Line(r))
	}
	errs, warns := generator.Count(res.Problems)
	if opts.Format == "sarif" {
		var fs []finding
		for _, p := range res.Problems {
			fs = append(fs, finding{Rule: p.Rule, Severity: string(p.Severity), Message: p.Message, File: p.File, Line: p.Line, Col: p.Column})
		}
		if err := writeSARIF(opts.IO.Out, cmd.Root().Version, fs, sarifOptions{Spec: opts.Spec, Roots: opts.Targets}); err != nil {
			return err
		}
	} else if opts.Format == "json" {
		out := validateOutput{Files: res.Files, WithoutSchema: res.WithoutSchema, Silenced: res.Silenced, Recovered: append([]string{}, res.Recovered...)}
		status, code := statusOK, exitOK
		if generator.HasErrors(res.Problems, opts.Strict) {
			status, code = statusRefused, exitInvalid
		}
		if err := emit(opts.IO.Out, "validate", status, code, out, res.Problems); err != nil {
			return err
		}
	} else {
		if opts.Format == "github" {
			printAnnotations(opts.IO.Out, res.Problems)
		} else if isQuiet(opts.IO.Out) {
			printProblems(opts.IO.Err, res.Problems)
		} else {
			printProblems(opts.IO.Out, res.Problems)
		}
		fmt.Fprintf(opts.IO.Out, "%s checked: %s, %s", plural(res.Files, "file"), plural(errs, "error"), plural(warns, "warning"))
		if res.WithoutSchema > 0 {
			fmt.Fprintf(opts.IO.Out, " (%d of a type without a content model: BYOC rules only)", res.WithoutSchema)
		}
		if res.Silenced > 0 {
			fmt.Fprintf(opts.IO.Out, "; %s silenced by disabled rules", plural(res.Silenced, "problem"))
		}
		fmt.Fprintln(opts.IO.Out)
	}
	if generator.HasErrors(res.Problems, opts.Strict) {
		return &exitError{exitInvalid}
	}
	return nil
}
