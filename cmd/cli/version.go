package cli

import (
	"fmt"
	"runtime"
	"strconv"
	"strings"

	"github.com/spf13/cobra"

	"github.com/byocpack/byocpack/generator"
	"github.com/byocpack/byocpack/generator/escape"
	"github.com/byocpack/byocpack/generator/spec"
)

// VersionOptions are the inputs of version.
type VersionOptions struct {
	IO      IO
	Version string
	JSON    bool
}

// NewCmdVersion prints the version and the API versions supported.
func NewCmdVersion(io IO, version string, runF func(*VersionOptions) error) *cobra.Command {
	opts := &VersionOptions{IO: io, Version: version}
	cmd := &cobra.Command{
		Use:   "version",
		Short: "Print byocpack's version and the Metadata API versions it supports",
		Long: `Print byocpack's version and the Metadata API versions it can check and
format files by: the bundled ones, and those imported (byocpack schemas
import) into the project in the current directory or into the user cache.`,
		Example: "  byocpack version",
		Args:    noArgs,
		RunE: func(cmd *cobra.Command, args []string) error {
			if runF != nil {
				return runF(opts)
			}
			return runVersion(opts)
		},
	}
	cmd.Flags().BoolVar(&opts.JSON, "json", false, "print the versions as JSON")
	return cmd
}

func runVersion(opts *VersionOptions) error {
	v := spec.SupportedAPIVersions()
	if !opts.JSON {
		fmt.Fprintf(opts.IO.Out, "byocpack %s (%s), renders Metadata API %s to %s\n", opts.Version, runtime.Version(), v[0], v[len(v)-1])
	}
	versions, err := generator.ModelVersions(".")
	if err != nil {
		return err
	}
	if opts.JSON {
		return emit(opts.IO.Out, "version", statusOK, exitOK, map[string]any{
			"version": opts.Version, "go": runtime.Version(), "renders": v, "contentModels": versions,
		}, nil)
	}
	fmt.Fprintln(opts.IO.Out, "content models:")
	// A run of bundled versions is one line (47.0-66.0), the rest one each.
	for i := 0; i < len(versions); i++ {
		m := versions[i]
		where := m.Origin
		if m.Path != "" {
			where += " " + m.Path
		}
		span := m.Version
		j := i
		for m.Path == "" && j+1 < len(versions) && versions[j+1].Origin == m.Origin && versions[j+1].Path == "" && follows(versions[j+1].Version, versions[j].Version) {
			j++
		}
		if j > i {
			span += "-" + versions[j].Version
		}
		i = j
		fmt.Fprintf(opts.IO.Out, "  %s  %s\n", span, escape.Line(where))
	}
	return nil
}

// follows reports whether API version b is the release after a ("48.0"
// after "47.0").
func follows(b, a string) bool {
	x, errA := strconv.Atoi(strings.TrimSuffix(a, ".0"))
	y, errB := strconv.Atoi(strings.TrimSuffix(b, ".0"))
	return errA == nil && errB == nil && y == x+1
}
