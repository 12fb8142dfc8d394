package cli

import (
	"fmt"
	"io"
	"strings"

	"github.com/spf13/cobra"

	"github.com/byocpack/byocpack/generator"
	"github.com/byocpack/byocpack/generator/escape"
)

// FmtOptions are the inputs of fmt.
type FmtOptions struct {
	IO         IO
	Targets    []string
	Check      bool
	APIVersion string
	Format     string
	// Stdin is the path of the file whose content comes on stdin: the
	// formatted content goes to stdout (git's clean filter).
	Stdin string
}

// NewCmdFmt rewrites metadata files into retrieve order and layout.
func NewCmdFmt(io IO, runF func(*FmtOptions) error) *cobra.Command {
	opts := &FmtOptions{IO: io}
	cmd := &cobra.Command{
		Use:   "fmt [PATH|GLOB ...]",
		Short: "Rewrite metadata files in the element order and layout a retrieve writes",
		Long: `Rewrite Salesforce DX metadata files the way sf project retrieve writes them:
elements in the order of the WSDL's sequence for the project's API version,
the XML declaration, four-space indentation, LF line ends, a final newline
and empty elements self-closed. Every value is kept byte for byte (a PEM
certificate, entity references, CDATA). A file byocpack rendered and someone
reordered comes back exactly as render wrote it: both write through one
serializer.

Targets are project directories (the package directories sfdx-project.json
lists, .forceignore honoured), other directories (every *-meta.xml below),
files or quoted doublestar globs; nothing outside them is touched (a glob
does not descend into a folder that is a symbolic link, and a linked file is
left). Each file is replaced atomically; the temporary copies a killed fmt
left (.NAME.byocpack-tmp-N) are removed. A file with comments, processing instructions or
elements the content models do not know is left as it is and listed; a file
that is not well-formed XML is never touched.

--stdin PATH reads the content of the file at PATH from stdin and writes it
formatted to stdout, or unchanged when fmt would leave the file alone; as a
git clean filter it formats every metadata file as it is staged:
  git config filter.byocpack.clean "byocpack fmt --stdin %f"
and in .gitattributes: *-meta.xml filter=byocpack

--check writes nothing, lists the files that would change and exits 1 if
there are any (for CI).

Exit status: 0 done, 1 with --check when a file would change or when a file
could not be read, parsed or written, 2 on a usage error.`,
		Example: `  byocpack fmt out/partner1
  byocpack fmt 'force-app/**/*.eca-meta.xml'
  byocpack fmt --check .`,
		RunE: func(cmd *cobra.Command, args []string) error {
			opts.Targets = args
			if err := checkFormat(opts.Format); err != nil {
				return err
			}
			if opts.Stdin != "" && (len(args) > 0 || opts.Check) {
				return usageErrorf("--stdin formats stdin only; pass no targets and no --check")
			}
			if runF != nil {
				return runF(opts)
			}
			if opts.Stdin != "" {
				return runFmtStdin(cmd, opts)
			}
			return runFmt(cmd, opts)
		},
	}
	cmd.Flags().BoolVar(&opts.Check, "check", false, "write nothing; list the files that would change and exit 1 if any would")
	cmd.Flags().StringVar(&opts.APIVersion, "api-version", "", "order elements as this API version has them instead of sourceApiVersion")
	cmd.Flags().StringVar(&opts.Format, "format", "text", "output format: text or json")
	cmd.Flags().StringVar(&opts.Stdin, "stdin", "", "format the content of the file at this path from stdin to stdout (a git clean filter)")
	return cmd
}

// runFmtStdin is the clean filter: whatever happens to the content, it
// comes out, formatted or as it was, so staging never loses a file.
func runFmtStdin(cmd *cobra.Command, opts *FmtOptions) error {
	data, err := io.ReadAll(io.LimitReader(opts.IO.In, maxStdinBytes+1))
	if err != nil {
		return err
	}
	if len(data) > maxStdinBytes {
		return fmt.Errorf("%s: more than %d bytes on stdin; a metadata file is far smaller", opts.Stdin, maxStdinBytes)
	}
	out, reason, err := generator.FormatData(cmd.Context(), opts.Stdin, data)
	if err != nil {
		return err
	}
	if reason != "" && strings.HasSuffix(opts.Stdin, "-meta.xml") {
		fmt.Fprintf(opts.IO.Err, "%s: left as it is: %s\n", escape.Line(opts.Stdin), escape.Line(reason))
	}
	_, err = opts.IO.Out.Write(out)
	return err
}

// maxStdinBytes bounds what --stdin reads, as a file is bounded.
const maxStdinBytes = generator.MaxFileSize

type fmtOutput struct {
	Check        bool                      `json:"check"`
	Formatted    int                       `json:"formatted"`
	Unchanged    int                       `json:"unchanged"`
	Left         int                       `json:"left"`
	Failed       int                       `json:"failed"`
	WithoutModel int                       `json:"withoutModel"`
	NotFormatted []string                  `json:"notFormattedTypes"`
	Files        []generator.FormattedFile `json:"files"`
}

func runFmt(cmd *cobra.Command, opts *FmtOptions) error {
	res, err := generator.Format(cmd.Context(), generator.FormatOptions{Targets: opts.Targets, Check: opts.Check, APIVersion: opts.APIVersion})
	if err != nil {
		return err
	}
	for _, r := range res.Recovered {
		fmt.Fprintf(opts.IO.Err, "note: %s\n", escape.Line(r))
	}
	changed, failed := res.Count(generator.Formatted), res.Count(generator.Failed)
	if opts.Format == "json" {
		out := fmtOutput{Check: opts.Check, Formatted: changed, Unchanged: res.Count(generator.Unchanged), Left: res.Count(generator.Left),
			Failed: failed, WithoutModel: res.WithoutModel, NotFormatted: res.NotFormattedTypes, Files: res.Files}
		if out.NotFormatted == nil {
			out.NotFormatted = []string{}
		}
		if out.Files == nil {
			out.Files = []generator.FormattedFile{}
		}
		status, code := statusOK, exitOK
		if failed > 0 || (opts.Check && changed > 0) {
			status, code = statusRefused, exitInvalid
		}
		if err := emit(opts.IO.Out, "fmt", status, code, out, nil); err != nil {
			return err
		}
	} else {
		verb := "formatted"
		if opts.Check {
			verb = "would reformat"
		}
		for _, f := range res.Files {
			switch f.Status {
			case generator.Formatted:
				fmt.Fprintf(opts.IO.Out, "%s: %s\n", escape.Line(f.Path), verb)
			case generator.Left:
				fmt.Fprintf(opts.IO.Out, "%s: left as it is: %s\n", escape.Line(f.Path), escape.Line(f.Reason))
			case generator.Failed:
				fmt.Fprintf(opts.IO.Out, "%s: error: %s\n", escape.Line(f.Path), escape.Line(f.Reason))
			}
		}
		fmt.Fprintf(opts.IO.Out, "%s: %d %s, %d already formatted, %d left as they are",
			plural(len(res.Files), "file"), changed, verb, res.Count(generator.Unchanged), res.Count(generator.Left))
		if failed > 0 {
			fmt.Fprintf(opts.IO.Out, ", %d failed", failed)
		}
		if res.WithoutModel > 0 {
			fmt.Fprintf(opts.IO.Out, " (%d of types fmt does not format not looked at: %s)", res.WithoutModel, strings.Join(res.NotFormattedTypes, ", "))
		}
		fmt.Fprintln(opts.IO.Out)
	}
	if failed > 0 || (opts.Check && changed > 0) {
		return &exitError{exitInvalid}
	}
	return nil
}
