package cli

import (
	"fmt"
	"io"
	"os"
	"slices"
	"strconv"
	"strings"

	"github.com/spf13/cobra"

	"github.com/byocpack/byocpack/generator/diff"
	"github.com/byocpack/byocpack/generator/escape"
)

// DiffOptions are the inputs of diff.
type DiffOptions struct {
	IO       IO
	Old, New string
	Format   string
	// Color forces colour on or off; nil decides from the terminal and
	// NO_COLOR.
	Color *bool
}

// NewCmdDiff compares two package versions component by component.
func NewCmdDiff(io IO, runF func(*DiffOptions) error) *cobra.Command {
	opts := &DiffOptions{IO: io}
	cmd := &cobra.Command{
		Use:   "diff OLD NEW",
		Short: "Compare two package versions by metadata component and field",
		Long: `Compare two versions of a package: each of OLD and NEW is a project directory,
a package.zip, a package-version-info.zip (or the same as a tar), or a spec file
(rendered in memory). Components are compared by type and full name, and
changed ones field by field; formatting, indentation, the order of elements
and of comma-separated scopes are ignored, as Salesforce ignores them. A
decomposed object in a project and the recomposed one in a zip compare
equal. Archives are read in memory; nothing is written.

A removed component and a changed API name are flagged: in a managed package a
released version constrains removal and renaming, and upgrading does not
delete a subscriber's copy.

Exit status: 0 equal, 1 different, 2 on an error (an unreadable or refused
archive, a bad spec, a usage error).`,
		Example: `  byocpack diff old/dist/package.zip out/dist/package.zip
  byocpack diff v1/byoc.yaml byoc.yaml --format markdown > diff.md
  byocpack diff main-build/dist/package-version-info.zip out --format github
  byocpack diff v1/byoc.yaml byoc.yaml --format sarif > diff.sarif`,
		RunE: func(cmd *cobra.Command, args []string) error {
			if len(args) != 2 {
				return usageErrorf("diff takes two arguments, OLD and NEW, not %d", len(args))
			}
			opts.Old, opts.New = args[0], args[1]
			if !oneOf(opts.Format, "text", "json", "markdown", "github", "sarif") {
				return usageErrorf("--format must be text, json, markdown, github or sarif, not %q", opts.Format)
			}
			if runF != nil {
				return runF(opts)
			}
			return runDiff(cmd, opts)
		},
	}
	cmd.Flags().StringVar(&opts.Format, "format", "text", "output format: text, json, markdown, github or sarif (its flags, for GitHub code scanning)")
	return cmd
}

func oneOf(s string, choices ...string) bool {
	for _, c := range choices {
		if s == c {
			return true
		}
	}
	return false
}

// failed prints an error that stops a command whose exit status 1 means
// something else (diff: different; review: a risk) and exits 2.
func failed(_ IO, err error) error {
	return &codedError{exitUsage, err}
}

func runDiff(cmd *cobra.Command, opts *DiffOptions) error {
	res, err := diff.Compare(cmd.Context(), opts.Old, opts.New)
	if err != nil {
		return failed(opts.IO, err)
	}
	w := opts.IO.Out
	switch opts.Format {
	case "json":
		code := exitOK
		if !res.Equal {
			code = exitInvalid
		}
		if err := emitFlags(w, "diff", statusOK, code, res, res.Flags); err != nil {
			return err
		}
	case "markdown":
		diffMarkdown(w, res)
	case "sarif":
		if err := writeSARIF(w, cmd.Root().Version, flagFindings(res.Flags), sarifOptions{Roots: []string{opts.Old, opts.New}}); err != nil {
			return err
		}
	case "github":
		diffGitHub(w, res)
	default:
		color := useColor(w)
		if opts.Color != nil {
			color = *opts.Color
		}
		diffText(w, res, color)
	}
	if !res.Equal {
		return &exitError{exitInvalid}
	}
	return nil
}

// useColor is true when w is a terminal and NO_COLOR is unset or empty.
func useColor(w io.Writer) bool {
	if v, ok := os.LookupEnv("NO_COLOR"); ok && v != "" {
		return false
	}
	f, ok := w.(*os.File)
	if !ok {
		return false
	}
	fi, err := f.Stat()
	return err == nil && fi.Mode()&os.ModeCharDevice != 0
}

// maxShown bounds a value printed on one line (a certificate is ~1,200
// characters); JSON output keeps every value whole.
const maxShown = 100

func shown(v *string) string {
	if v == nil {
		return "(absent)"
	}
	q := strconv.Quote(*v)
	if len(q) > maxShown {
		return q[:maxShown-10] + `…" (` + strconv.Itoa(len(*v)) + " chars)"
	}
	return q
}

func fieldLine(f diff.FieldChange) string {
	return fmt.Sprintf("%s: %s -> %s", f.Path, shown(f.Old), shown(f.New))
}

// outsideTitle heads what stays out of the package in text output.
const outsideTitle = "outside the package (not packaged; stays in the org that owns the app):"

func hasOutside(res *diff.Result) bool {
	for _, r := range append(slices.Clone(res.Added), res.Removed...) {
		if r.Outside {
			return true
		}
	}
	for _, c := range res.Changed {
		if c.Outside {
			return true
		}
	}
	for _, rn := range res.Renamed {
		if rn.New.Outside {
			return true
		}
	}
	return false
}

func summary(res *diff.Result) string {
	if res.Equal {
		return "no differences"
	}
	var parts []string
	for _, p := range []struct {
		n    int
		word string
	}{{len(res.Package), "package field"}, {len(res.Added), "added"}, {len(res.Removed), "removed"}, {len(res.Renamed), "renamed"}, {len(res.Changed), "changed"}} {
		if p.n == 0 {
			continue
		}
		if p.word == "package field" {
			parts = append(parts, plural(p.n, "package field")+" changed")
		} else {
			parts = append(parts, fmt.Sprintf("%d %s", p.n, p.word))
		}
	}
	return strings.Join(parts, ", ")
}

func diffText(w io.Writer, res *diff.Result, color bool) {
	// Every line but the headers goes through paint, which escapes what
	// the packages compared hold (names, values) before colouring it.
	paint := func(code, s string) string {
		s = escape.Line(s)
		if !color {
			return s
		}
		return "\x1b[" + code + "m" + s + "\x1b[0m"
	}
	fmt.Fprintf(w, "--- %s (%s)\n+++ %s (%s)\n", escape.Line(res.Old.Source), res.Old.Kind, escape.Line(res.New.Source), res.New.Kind)
	for _, f := range res.Package {
		fmt.Fprintln(w, paint("33", "~ package: "+fieldLine(f)))
	}
	for _, outside := range []bool{false, true} {
		if outside && !hasOutside(res) {
			continue
		}
		if outside {
			fmt.Fprintln(w, outsideTitle)
		}
		for _, r := range res.Removed {
			if r.Outside == outside {
				fmt.Fprintln(w, paint("31", "- "+r.String()))
			}
		}
		for _, r := range res.Added {
			if r.Outside == outside {
				fmt.Fprintln(w, paint("32", "+ "+r.String()))
			}
		}
		for _, rn := range res.Renamed {
			if rn.New.Outside == outside {
				fmt.Fprintln(w, paint("35", fmt.Sprintf("> %s %s -> %s", rn.Old.Type, rn.Old.FullName, rn.New.FullName)))
				for _, f := range rn.Fields {
					fmt.Fprintln(w, paint("33", "    "+fieldLine(f)))
				}
			}
		}
		for _, c := range res.Changed {
			if c.Outside == outside {
				for _, f := range c.Fields {
					fmt.Fprintln(w, paint("33", "~ "+c.String()+": "+fieldLine(f)))
				}
			}
		}
	}
	for _, f := range res.Flags {
		code := "33"
		if f.Severity == "error" {
			code = "31"
		}
		fmt.Fprintf(w, "%s\n  fix: %s\n", paint(code, string(f.Severity)+" "+f.Rule+": "+f.Message), escape.Line(f.Fix))
	}
	for _, n := range res.Notes {
		fmt.Fprintf(w, "note: %s\n", escape.Line(n))
	}
	fmt.Fprintln(w, summary(res))
}

func mdValue(v *string) string {
	if v == nil {
		return "*absent*"
	}
	s := *v
	if len(s) > maxShown {
		s = s[:maxShown-10] + "… (" + strconv.Itoa(len(*v)) + " chars)"
	}
	return escape.Cell(s)
}

func diffMarkdown(w io.Writer, res *diff.Result) {
	fmt.Fprintf(w, "### byocpack diff\n\n%s (%s) → %s (%s): **%s**\n", escape.Code(res.Old.Source), res.Old.Kind, escape.Code(res.New.Source), res.New.Kind, summary(res))
	if !res.Equal {
		fmt.Fprintln(w, "\n| change | component | field | old | new |\n|---|---|---|---|---|")
		where := func(outside bool) string {
			if outside {
				return " (outside the package)"
			}
			return ""
		}
		for _, f := range res.Package {
			fmt.Fprintf(w, "| changed | package | %s | %s | %s |\n", escape.Cell(f.Path), mdValue(f.Old), mdValue(f.New))
		}
		for _, r := range res.Removed {
			fmt.Fprintf(w, "| removed%s | %s | | | |\n", where(r.Outside), escape.Cell(r.String()))
		}
		for _, r := range res.Added {
			fmt.Fprintf(w, "| added%s | %s | | | |\n", where(r.Outside), escape.Cell(r.String()))
		}
		for _, rn := range res.Renamed {
			fmt.Fprintf(w, "| renamed%s | %s | API name | %s | %s |\n", where(rn.New.Outside), escape.Cell(rn.Old.Type), escape.Cell(rn.Old.FullName), escape.Cell(rn.New.FullName))
			for _, f := range rn.Fields {
				fmt.Fprintf(w, "| renamed%s | %s | %s | %s | %s |\n", where(rn.New.Outside), escape.Cell(rn.New.String()), escape.Cell(f.Path), mdValue(f.Old), mdValue(f.New))
			}
		}
		for _, c := range res.Changed {
			for _, f := range c.Fields {
				fmt.Fprintf(w, "| changed%s | %s | %s | %s | %s |\n", where(c.Outside), escape.Cell(c.String()), escape.Cell(f.Path), mdValue(f.Old), mdValue(f.New))
			}
		}
	}
	for _, f := range res.Flags {
		kind := "WARNING"
		if f.Severity == "error" {
			kind = "CAUTION"
		}
		fmt.Fprintf(w, "\n> [!%s]\n> **%s** %s\n> **Fix:** %s\n", kind, escape.Text(f.Rule), escape.Text(f.Message), escape.Text(f.Fix))
	}
	for _, n := range res.Notes {
		fmt.Fprintf(w, "\n*Note: %s*\n", escape.Text(n))
	}
}

func diffGitHub(w io.Writer, res *diff.Result) {
	for _, f := range res.Package {
		writeAnnotation(w, annotation{severity: "notice", file: f.File, title: "package changed", message: fieldLine(f)})
	}
	for _, r := range res.Added {
		writeAnnotation(w, annotation{severity: "notice", file: r.File, line: r.Line, title: "added", message: r.String()})
	}
	for _, r := range res.Removed {
		if r.Outside { // a packaged one is flagged below
			writeAnnotation(w, annotation{severity: "notice", file: r.File, title: "removed", message: r.String()})
		}
	}
	for _, rn := range res.Renamed {
		for _, f := range rn.Fields {
			writeAnnotation(w, annotation{severity: "notice", file: f.File, line: f.Line, title: "renamed " + rn.New.String(), message: fieldLine(f)})
		}
	}
	for _, c := range res.Changed {
		for _, f := range c.Fields {
			writeAnnotation(w, annotation{severity: "notice", file: f.File, line: f.Line, title: "changed " + c.String(), message: fieldLine(f)})
		}
	}
	for _, f := range res.Flags {
		writeAnnotation(w, annotation{severity: string(f.Severity), file: f.File, line: f.Line, title: f.Rule, message: f.Message + "\nFix: " + f.Fix})
	}
	for _, n := range res.Notes {
		writeAnnotation(w, annotation{severity: "notice", title: "byocpack diff", message: n})
	}
	fmt.Fprintln(w, summary(res))
}
