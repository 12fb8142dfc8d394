package cli

import (
	"fmt"
	"os"
	"strconv"

	"github.com/spf13/cobra"

	"github.com/byocpack/byocpack/generator"
	"github.com/byocpack/byocpack/generator/escape"
)

// PackageOptions are the inputs of package.
type PackageOptions struct {
	IO           IO
	ProjectDir   string
	DistDir      string
	PackageDir   string
	CodeCoverage bool
	Force        bool
	DryRun       bool
	JSON         bool
}

// NewCmdPackage zips an existing project.
func NewCmdPackage(io IO, runF func(*PackageOptions) error) *cobra.Command {
	opts := &PackageOptions{IO: io}
	cmd := &cobra.Command{
		Use:   "package",
		Short: "Zip a project's package directory as sf package version create does, reproducibly",
		Long: `Convert the project's default package directory (any metadata the converter
supports, not only what byocpack generated; .forceignore is honoured) to
Metadata API format and write dist/package.zip (package.xml plus one folder
per type) and dist/package-version-info.zip (package.zip plus
package2-descriptor.json), laid out as sf package version create builds them.

Entries are sorted and timestamped with SOURCE_DATE_EPOCH when it is set,
else 1980-01-01, so the same project gives the same SHA-256 on any machine.`,
		Example: `  byocpack package -p out/partner1
  SOURCE_DATE_EPOCH=$(git log -1 --format=%ct) byocpack package -p . -o dist --json`,
		Args: noArgs,
		RunE: func(cmd *cobra.Command, args []string) error {
			if runF != nil {
				return runF(opts)
			}
			return runPackage(cmd, opts)
		},
	}
	cmd.Flags().StringVarP(&opts.ProjectDir, "project", "p", ".", "project directory (holds sfdx-project.json)")
	cmd.Flags().StringVarP(&opts.DistDir, "output", "o", "", "where to write the zips (default PROJECT/dist)")
	cmd.Flags().StringVar(&opts.PackageDir, "package-dir", "", "package directory path or package name (default: the default one)")
	cmd.Flags().BoolVar(&opts.CodeCoverage, "code-coverage", false, "build what sf package version create --code-coverage uploads: the unpackagedMetadata zip and the apexTestAccess permission sets")
	cmd.Flags().BoolVar(&opts.Force, "force", false, "replace zips byocpack did not write")
	cmd.Flags().BoolVar(&opts.DryRun, "dry-run", false, "validate and zip in memory; write nothing")
	cmd.Flags().BoolVar(&opts.JSON, "json", false, "print the result as JSON")
	return cmd
}

// sourceDateEpoch reads the SOURCE_DATE_EPOCH convention; the library
// takes the value, not the environment.
func sourceDateEpoch() (*int64, error) {
	v, ok := os.LookupEnv("SOURCE_DATE_EPOCH")
	if !ok || v == "" {
		return nil, nil
	}
	// A zip's DOS timestamps hold 1980-01-01 to 2107-12-31 only.
	const first, last = 315532800, 4354819199
	n, err := strconv.ParseInt(v, 10, 64)
	if err != nil || n < first || n > last {
		return nil, usageErrorf("SOURCE_DATE_EPOCH=%q is not seconds since 1970 between %d (1980-01-01) and %d (2107-12-31), the range a zip can hold; unset it or give e.g. $(git log -1 --format=%%ct)", v, first, last)
	}
	return &n, nil
}

func runPackage(cmd *cobra.Command, opts *PackageOptions) error {
	epoch, err := sourceDateEpoch()
	if err != nil {
		return err
	}
	res, err := generator.Package(cmd.Context(), generator.PackageOptions{
		ProjectDir: opts.ProjectDir, DistDir: opts.DistDir, PackageDir: opts.PackageDir, CodeCoverage: opts.CodeCoverage, SourceDateEpoch: epoch, Force: opts.Force, DryRun: opts.DryRun,
	})
	if err != nil {
		return err
	}
	printRecovered(opts.IO, res.Recovered)
	printProblems(opts.IO.Err, res.Problems)
	if opts.JSON {
		return emit(opts.IO.Out, "package", statusOK, exitOK, packageJSON(res), res.Problems)
	}
	verb := "packaged"
	if res.DryRun {
		verb = "dry run, nothing written: would package"
	}
	fmt.Fprintf(opts.IO.Out, "%s %s: %s\n", verb, escape.Line(opts.ProjectDir), plural(res.Components, "component"))
	printChanges(opts.IO, res.Changes, res.DryRun)
	printArtifacts(opts.IO, res)
	return nil
}

func printArtifacts(io IO, res *generator.PackageResult) {
	for _, a := range res.Artifacts {
		fmt.Fprintf(io.Out, "  %s  sha256:%s  %d bytes\n", escape.Line(a.Path), a.SHA256, a.Size)
	}
	for _, n := range res.Notes {
		fmt.Fprintf(io.Err, "note: %s\n", escape.Line(n))
	}
}

type packageOutput struct {
	Components int                  `json:"components"`
	Artifacts  []generator.Artifact `json:"artifacts"`
	Notes      []string             `json:"notes"`
}

func packageJSON(res *generator.PackageResult) packageOutput {
	out := packageOutput{Components: res.Components, Artifacts: res.Artifacts, Notes: res.Notes}
	if out.Notes == nil {
		out.Notes = []string{}
	}
	return out
}
