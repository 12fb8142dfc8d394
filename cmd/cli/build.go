package cli

import (
	"fmt"

	"github.com/spf13/cobra"

	"byocpack/generator"
)

// BuildOptions are the inputs of build.
type BuildOptions struct {
	IO       IO
	SpecPath string
	OutDir   string
	Force    bool
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
	cmd.Flags().StringVarP(&opts.SpecPath, "file", "f", "byoc.yaml", "spec file (YAML or JSON)")
	cmd.Flags().StringVarP(&opts.OutDir, "output", "o", "out", "output directory")
	cmd.Flags().BoolVar(&opts.Force, "force", false, "replace or remove files byocpack did not write or that were edited since")
	cmd.Flags().BoolVar(&opts.JSON, "json", false, "print the result as JSON")
	return cmd
}

func runBuild(cmd *cobra.Command, opts *BuildOptions) error {
	epoch, err := sourceDateEpoch()
	if err != nil {
		return err
	}
	ro, err := specSource(opts.SpecPath)
	if err != nil {
		return err
	}
	ro.OutDir, ro.Force = opts.OutDir, opts.Force
	res, err := generator.Build(cmd.Context(), generator.BuildOptions{Render: ro, SourceDateEpoch: epoch})
	if err != nil {
		return jsonProblems(opts.IO, opts.JSON, err)
	}
	printProblems(opts.IO.Err, res.Render.Warnings)
	if opts.JSON {
		return writeJSON(opts.IO.Out, struct {
			Render  renderOutput  `json:"render"`
			Package packageOutput `json:"package"`
		}{renderJSON(&RenderOptions{SpecPath: opts.SpecPath, OutDir: opts.OutDir}, res.Render), packageJSON(res.Package)})
	}
	c := res.Render.Commit
	fmt.Fprintf(opts.IO.Out, "built %s from %s: %d written, %d unchanged, %d removed; %s packaged\n",
		opts.OutDir, opts.SpecPath, len(c.Written), len(c.Unchanged), len(c.Removed), plural(res.Package.Components, "component"))
	printArtifacts(opts.IO, res.Package)
	return nil
}
