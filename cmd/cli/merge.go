package cli

import (
	"errors"
	"fmt"
	"github.com/byocpack/byocpack/generator/escape"
	"os/exec"
	"strconv"

	"github.com/spf13/cobra"

	"github.com/byocpack/byocpack/generator"
)

// MergeDriverOptions are the inputs of merge-driver: git's %O %A %B %P %L.
type MergeDriverOptions struct {
	IO                 IO
	Base, Ours, Theirs string
	Path               string
	MarkerSize         int
}

// NewCmdMergeDriver is git's merge driver for metadata files.
func NewCmdMergeDriver(io IO, runF func(*MergeDriverOptions) error) *cobra.Command {
	opts := &MergeDriverOptions{IO: io}
	cmd := &cobra.Command{
		Use:   "merge-driver BASE OURS THEIRS PATH",
		Short: "Merge a metadata file element by element (a git merge driver)",
		Long: `Merge three versions of a metadata file as git's merge driver: BASE is the
common ancestor (%O), OURS this branch's version (%A, which receives the
result), THEIRS the other branch's (%B), PATH the file's path (%P), whose
folder and suffix give its type.

For the types fmt knows, repeated groups are matched by their natural key:
two branches that each add an entry to one group (two fieldPermissions in a
PermissionSet, two scopes of a connected app) merge cleanly, and a branch
that only reordered or reformatted changes nothing. One element the branches
changed differently is a conflict, marked with git's markers around the
whole entry. The result is laid out as a retrieve writes it. Any other file,
or one that is not well-formed XML, is merged by git merge-file as git
would merge text.

Set it up once per clone:
  git config merge.byocpack.name "byocpack metadata merge"
  git config merge.byocpack.driver "byocpack merge-driver %O %A %B %P --marker-size %L"
and in .gitattributes:
  *-meta.xml merge=byocpack

Exit status: 0 merged cleanly, 1 with conflicts (OURS holds the markers),
2 on a usage error.`,
		Example: `  byocpack merge-driver base.xml ours.xml theirs.xml force-app/main/default/permissionsets/Support.permissionset-meta.xml`,
		RunE: func(cmd *cobra.Command, args []string) error {
			if len(args) != 4 {
				return usageErrorf("merge-driver takes BASE OURS THEIRS PATH (git's %%O %%A %%B %%P), not %d arguments", len(args))
			}
			opts.Base, opts.Ours, opts.Theirs, opts.Path = args[0], args[1], args[2], args[3]
			if runF != nil {
				return runF(opts)
			}
			return runMergeDriver(cmd, opts)
		},
	}
	cmd.Flags().IntVar(&opts.MarkerSize, "marker-size", 7, "length of the conflict markers (git's %L)")
	return cmd
}

func runMergeDriver(cmd *cobra.Command, opts *MergeDriverOptions) error {
	res, err := generator.MergeFiles(cmd.Context(), generator.MergeFilesOptions{Path: opts.Path, Base: opts.Base, Ours: opts.Ours, Theirs: opts.Theirs, MarkerSize: opts.MarkerSize})
	if err != nil {
		return err
	}
	if !res.Handled {
		return textMerge(cmd, opts)
	}
	if res.Conflicts > 0 {
		fmt.Fprintf(opts.IO.Err, "%s: %s marked\n", escape.Line(opts.Path), plural(res.Conflicts, "conflict"))
		return &exitError{exitInvalid}
	}
	return nil
}

// textMerge merges a file byocpack does not know as git merges text, in
// place into OURS.
func textMerge(cmd *cobra.Command, opts *MergeDriverOptions) error {
	git := exec.CommandContext(cmd.Context(), "git", "merge-file", "--marker-size", strconv.Itoa(opts.MarkerSize),
		"-L", "ours", "-L", "base", "-L", "theirs", opts.Ours, opts.Base, opts.Theirs)
	git.Stdout, git.Stderr = opts.IO.Err, opts.IO.Err
	err := git.Run()
	var exit *exec.ExitError
	if errors.As(err, &exit) && exit.ExitCode() > 0 {
		fmt.Fprintf(opts.IO.Err, "%s: merged as text by git merge-file, %s marked\n", escape.Line(opts.Path), plural(exit.ExitCode(), "conflict"))
		return &exitError{exitInvalid}
	}
	if err != nil {
		return fmt.Errorf("git merge-file for %s: %w", escape.Line(opts.Path), err)
	}
	return nil
}
