package cli

import (
	"context"
	"fmt"

	"github.com/spf13/cobra"

	"github.com/byocpack/byocpack/generator"
	"github.com/byocpack/byocpack/generator/escape"
)

// SchemasImportOptions are the inputs of schemas import.
type SchemasImportOptions struct {
	IO         IO
	WSDL       string
	ProjectDir string
	Cache      bool
	JSON       bool
}

// NewCmdSchemas groups the commands on the Metadata API versions byocpack
// judges files by.
func NewCmdSchemas(io IO, runF func(*SchemasImportOptions) error) *cobra.Command {
	cmd := &cobra.Command{
		Use:   "schemas",
		Short: "Manage the Metadata API versions byocpack checks and formats files by",
		Long: `byocpack checks and formats files by content models generated from the
Metadata API WSDL of each version: those it bundles (byocpack version lists
them) and those imported into a project or the user cache.`,
		Args: noArgs,
	}
	cmd.AddCommand(newCmdSchemasImport(io, runF))
	return cmd
}

func newCmdSchemasImport(io IO, runF func(*SchemasImportOptions) error) *cobra.Command {
	opts := &SchemasImportOptions{IO: io}
	cmd := &cobra.Command{
		Use:   "import metadata.wsdl",
		Short: "Generate the content models of a newer API version from its Metadata WSDL",
		Long: `Generate, from a Metadata API WSDL of any version (Setup → API → Generate
Metadata WSDL, or the Salesforce CLI's), the same content models byocpack
bundles, and write them into the project as byocpack-schemas/v<api>.models:
a small file to commit, so every machine and CI judges the project alike.
validate, render and fmt then use that version; for this project it takes
precedence over a bundled one of the same version. The file records the
WSDL's SHA-256 and depends only on its bytes: the same WSDL gives the same
file on every machine.

With --cache the models go into the user cache directory instead
($XDG_CACHE_HOME/byocpack/schemas or the platform's equivalent) and serve
every project on this machine that neither bundles nor imports the version.

Fails, writing nothing, on a WSDL construct the content models do not
support.`,
		Example: `  byocpack schemas import ~/Downloads/metadata.wsdl
  byocpack schemas import metadata.wsdl -p out/partner1
  byocpack schemas import metadata.wsdl --cache`,
		Args: func(cmd *cobra.Command, args []string) error {
			if err := cobra.ExactArgs(1)(cmd, args); err != nil {
				return &UsageError{err}
			}
			return nil
		},
		RunE: func(cmd *cobra.Command, args []string) error {
			opts.WSDL = args[0]
			if opts.Cache && cmd.Flags().Changed("project") {
				return usageErrorf("--cache and --project exclude each other")
			}
			if runF != nil {
				return runF(opts)
			}
			return runSchemasImport(cmd.Context(), opts)
		},
	}
	cmd.Flags().StringVarP(&opts.ProjectDir, "project", "p", ".", "the project to import into")
	cmd.Flags().BoolVar(&opts.Cache, "cache", false, "import into the user cache directory, for every project on this machine")
	cmd.Flags().BoolVar(&opts.JSON, "json", false, "print the result as JSON")
	return cmd
}

func runSchemasImport(ctx context.Context, opts *SchemasImportOptions) error {
	res, err := generator.ImportSchemas(ctx, generator.ImportOptions{WSDL: opts.WSDL, ProjectDir: opts.ProjectDir, Cache: opts.Cache})
	if err != nil {
		return err
	}
	if opts.JSON {
		return emit(opts.IO.Out, "schemas import", statusOK, exitOK, res, nil)
	}
	what := "wrote"
	if res.Unchanged {
		what = "unchanged:"
	}
	fmt.Fprintf(opts.IO.Out, "%s %s: content models of Metadata API %s for %s, %s as changes against the bundled %s (WSDL sha256 %s)\n", what, escape.Line(res.Path), res.Version, plural(len(res.Roots), "type"), plural(res.Size, "byte"), res.Base, res.SHA256)
	if res.Bundled {
		fmt.Fprintf(opts.IO.Out, "note: byocpack bundles %s too; the imported models take precedence where they are read\n", res.Version)
	}
	if !opts.Cache && !res.Unchanged {
		fmt.Fprintf(opts.IO.Out, "commit %s so every machine and CI judge the project alike\n", escape.Line(res.Path))
	}
	return nil
}
