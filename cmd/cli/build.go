package cli

import (
	"fmt"

	"github.com/spf13/cobra"

	"github.com/byocpack/byocpack/generator"
	"github.com/byocpack/byocpack/generator/escape"
)

// BuildOptions are the inputs of build.
type BuildOptions struct {
	IO       IO
	SpecPath string
	OutDir   string
	Force    bool
	DryRun   bool
	JSON     bool
}

// NewCmdBuild renders, validates and packages in one go.
func NewCmdBuild(io IO, runF func(*BuildOptions) error) *cobra.Command {
	opts := &BuildOptions{IO: io}
	cmd := &cobra.Command{
		Use:   "build",
		Short: "Render, validate and package byoc.yaml in one go",
		Long: `Render the spec into the output directory, validate every file, and write
dist/package.zip and dist/package-version-info.zip beside the project, with
the SHA-256 of each. Hand-written metadata in the package directory is
packaged too. Nothing is written when any step fails.`,
		Example: `  byocpack build -f byoc.yaml -o out
  SOURCE_DATE_EPOCH=$(git log -1 --format=%ct) byocpack build -f byoc.yaml -o out --json`,
		Args: noArgs,
		RunE: func(cmd *cobra.Command, args []string) error {
			if runF != nil {
				return runF(opts)
			}
			return runBuild(cmd, opts)
		},
	}
	cmd.Flags().StringVarP(&opts.SpecPath, "file", "f", "byoc.yaml", "spec file (YAML or JSON); - reads it from standard input")
	cmd.Flags().StringVarP(&opts.OutDir, "output", "o", "out", "output directory")
	cmd.Flags().BoolVar(&opts.Force, "force", false, "replace or remove files byocpack did not write or that were edited since")
	cmd.Flags().BoolVar(&opts.DryRun, "dry-run", false, "render, validate and zip in memory; write nothing")
	cmd.Flags().BoolVar(&opts.JSON, "json", false, "print the result as JSON")
	return cmd
}

func runBuild(cmd *cobra.Command, opts *BuildOptions) error {
	epoch, err := sourceDateEpoch()
	if err != nil {
		return err
	}
	ro, err := specSource(opts.IO, opts.SpecPath)
	if err != nil {
		return err
	}
	ro.OutDir, ro.Force, ro.DryRun = opts.OutDir, opts.Force, opts.DryRun
	res, err := generator.Build(cmd.Context(), generator.BuildOptions{Render: ro, SourceDateEpoch: epoch})
	if err != nil {
		return err
	}
	printRecovered(opts.IO, res.Render.Recovered)
	printProblems(opts.IO.Err, res.Render.Problems)
	if opts.JSON {
		return emit(opts.IO.Out, "build", statusOK, exitOK, struct {
			Render  renderOutput  `json:"render"`
			Package packageOutput `json:"package"`
		}{renderJSON(&RenderOptions{SpecPath: opts.SpecPath, OutDir: opts.OutDir}, res.Render), packageJSON(res.Package)}, res.Render.Problems)
	}
	c := res.Render.Changes
	verb := "built"
	if res.Render.DryRun {
		verb = "dry run, nothing written: would build"
	}
	fmt.Fprintf(opts.IO.Out, "%s %s from %s: %d written, %d unchanged, %d removed; %s packaged\n",
		verb, escape.Line(opts.OutDir), escape.Line(opts.SpecPath), len(c.Written), len(c.Unchanged), len(c.Removed), plural(res.Package.Components, "component"))
	printChanges(opts.IO, c, res.Render.DryRun)
	printProjectChanges(opts.IO, res.Render.ProjectChanges)
	printArtifacts(opts.IO, res.Package)
	return nil
}
