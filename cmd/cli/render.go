package cli

import (
	"encoding/json"
	"fmt"
	"slices"

	"github.com/spf13/cobra"

	"github.com/byocpack/byocpack/generator"
	"github.com/byocpack/byocpack/generator/escape"
)

// RenderOptions are the inputs of render.
type RenderOptions struct {
	IO       IO
	SpecPath string
	OutDir   string
	Force    bool
	DryRun   bool
	JSON     bool
}

// NewCmdRender renders a spec into a Salesforce DX project.
func NewCmdRender(io IO, runF func(*RenderOptions) error) *cobra.Command {
	opts := &RenderOptions{IO: io}
	cmd := &cobra.Command{
		Use:   "render",
		Short: "Render byoc.yaml into a Salesforce DX project",
		Long: `Render the spec into a Salesforce DX project in the output directory: the
package directory with the app, the platform event, the vendor info and the
channel definition, the non-packaged source-org directory with what stays in
the org that owns the app, and sfdx-project.json (merged into an existing one).

Every file is validated before anything is written; on any error nothing is
written. byocpack records what it wrote in .byocpack-manifest.json, so a later
render removes its own stale files and never touches a file you wrote.`,
		Example: `  byocpack render -f byoc.yaml -o out
  byocpack render -f fixtures/partner1/byoc.yaml -o out/partner1 --dry-run`,
		Args: noArgs,
		RunE: func(cmd *cobra.Command, args []string) error {
			if runF != nil {
				return runF(opts)
			}
			return runRender(cmd, opts)
		},
	}
	cmd.Flags().StringVarP(&opts.SpecPath, "file", "f", "byoc.yaml", "spec file (YAML or JSON); - reads it from standard input")
	cmd.Flags().StringVarP(&opts.OutDir, "output", "o", "out", "output directory")
	cmd.Flags().BoolVar(&opts.Force, "force", false, "replace or remove files byocpack did not write or that were edited since")
	cmd.Flags().BoolVar(&opts.DryRun, "dry-run", false, "render and validate, write nothing")
	cmd.Flags().BoolVar(&opts.JSON, "json", false, "print the result as JSON")
	return cmd
}

// specSource is the spec -f names ("-": standard input).
func specSource(io IO, specPath string) (generator.RenderOptions, error) {
	return generator.SpecInput(specPath, io.In)
}

func runRender(cmd *cobra.Command, opts *RenderOptions) error {
	ro, err := specSource(opts.IO, opts.SpecPath)
	if err != nil {
		return err
	}
	ro.OutDir, ro.Force, ro.DryRun = opts.OutDir, opts.Force, opts.DryRun
	res, err := generator.Render(cmd.Context(), ro)
	if err != nil {
		return err
	}
	printRecovered(opts.IO, res.Recovered)
	printProblems(opts.IO.Err, res.Problems)
	if opts.JSON {
		return emit(opts.IO.Out, "render", statusOK, exitOK, renderJSON(opts, res), res.Problems)
	}
	c := res.Changes
	verb := "rendered"
	if res.DryRun {
		verb = "dry run, nothing written: would render"
	}
	fmt.Fprintf(opts.IO.Out, "%s %s into %s: %d written, %d unchanged, %d removed\n", verb, escape.Line(opts.SpecPath), escape.Line(opts.OutDir), len(c.Written), len(c.Unchanged), len(c.Removed))
	printChanges(opts.IO, c, res.DryRun)
	printProjectChanges(opts.IO, res.ProjectChanges)
	return nil
}

// printProjectChanges lists what render changed in the user's
// sfdx-project.json, key by key, so that no change is silent.
func printProjectChanges(io IO, changes []string) {
	for _, c := range changes {
		fmt.Fprintf(io.Out, "  sfdx-project.json: %s\n", escape.Line(c))
	}
}

// printRecovered says that an interrupted run was finished or undone.
func printRecovered(io IO, msg string) {
	if msg != "" {
		fmt.Fprintf(io.Err, "note: %s\n", msg)
	}
}

// printChanges lists each file a run wrote or removed, and the files it
// left as the user's.
func printChanges(io IO, c generator.Changes, dryRun bool) {
	wrote, removed := "wrote  ", "removed"
	if dryRun {
		wrote, removed = "would write ", "would remove"
	}
	for _, p := range c.Written {
		fmt.Fprintf(io.Out, "  %s %s\n", wrote, escape.Line(p))
	}
	for _, p := range c.Removed {
		why := ""
		if slices.Contains(c.StaleZips, p) {
			why = " (built from an earlier tree; run byocpack build or package again)"
		}
		fmt.Fprintf(io.Out, "  %s %s%s\n", removed, escape.Line(p), why)
	}
	for _, p := range c.Yours {
		fmt.Fprintf(io.Out, "  kept    %s (yours: it already holds what byocpack would write, so byocpack leaves it to you)\n", escape.Line(p))
	}
}

type renderOutput struct {
	Spec   string   `json:"spec"`
	OutDir string   `json:"outDir"`
	DryRun bool     `json:"dryRun"`
	Files  []string `json:"files"`
	generator.Changes
	ProjectChanges []string `json:"projectChanges"`
}

func renderJSON(opts *RenderOptions, res *generator.RenderResult) renderOutput {
	out := renderOutput{Spec: opts.SpecPath, OutDir: opts.OutDir, DryRun: res.DryRun,
		Files: []string{}, Changes: res.Changes, ProjectChanges: append([]string{}, res.ProjectChanges...)}
	for _, f := range res.Files {
		out.Files = append(out.Files, f.Path)
	}
	return out
}

func writeJSON(w interface{ Write([]byte) (int, error) }, v any) error {
	b, err := json.MarshalIndent(v, "", "  ")
	if err != nil {
		return err
	}
	_, err = w.Write(append(b, '\n'))
	return err
}
