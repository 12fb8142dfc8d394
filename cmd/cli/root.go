// Package cli is byocpack's command line: cobra commands that parse flags,
// call the generator library and print. Each command is an Options struct,
// a NewCmdX constructor and a runX function that tests call directly.
package cli

import (
	"context"
	"errors"
	"fmt"
	"io"
	"os"
	"os/signal"
	"strings"
	"syscall"

	"github.com/spf13/cobra"

	"byocpack/generator"
)

// Exit codes.
const (
	exitOK      = 0
	exitInvalid = 1 // bad input: a spec, a metadata file, a conflict on disk
	exitUsage   = 2 // bad invocation: flags, arguments
)

// IO is where a command reads and writes.
type IO struct {
	In       io.Reader
	Out, Err io.Writer
}

// UsageError is a bad invocation; the usage hint is printed with it.
type UsageError struct{ err error }

func (e *UsageError) Error() string { return e.err.Error() }
func (e *UsageError) Unwrap() error { return e.err }

func usageErrorf(format string, args ...any) error {
	return &UsageError{fmt.Errorf(format, args...)}
}

// exitError ends the command with a code after it has printed what it
// had to say (validate's problems, for example).
type exitError struct{ code int }

func (e *exitError) Error() string { return fmt.Sprintf("exit %d", e.code) }

// Main runs byocpack with args and returns the process exit code.
func Main(args []string, io IO, version string) int {
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	defer stop()
	root := NewRootCmd(io, version)
	root.SetArgs(args)
	cmd, err := root.ExecuteContextC(ctx)
	if err == nil {
		return exitOK
	}
	return report(io.Err, cmd, err)
}

func report(w io.Writer, cmd *cobra.Command, err error) int {
	var ee *exitError
	var list generator.ProblemList
	var ue *UsageError
	var gue *generator.UsageError
	switch {
	case errors.As(err, &ee):
		return ee.code
	case errors.As(err, &list):
		printProblems(w, list)
		errs, warns := generator.Count(list)
		fmt.Fprintf(w, "%s, %s; nothing was written\n", plural(errs, "error"), plural(warns, "warning"))
		return exitInvalid
	case errors.As(err, &ue), errors.As(err, &gue), strings.HasPrefix(err.Error(), "unknown command"):
		fmt.Fprintf(w, "error: %v\n", err)
		if cmd != nil {
			fmt.Fprintf(w, "Run '%s --help' for usage.\n", cmd.CommandPath())
		}
		return exitUsage
	}
	fmt.Fprintf(w, "error: %v\n", err)
	return exitInvalid
}

func printProblems(w io.Writer, ps []generator.Problem) {
	for _, p := range ps {
		fmt.Fprintln(w, p.String())
	}
}

func plural(n int, word string) string {
	if n == 1 {
		return "1 " + word
	}
	return fmt.Sprintf("%d %ss", n, word)
}

// NewRootCmd assembles the command tree.
func NewRootCmd(io IO, version string) *cobra.Command {
	root := &cobra.Command{
		Use:   "byocpack",
		Short: "Generate, validate and package a Salesforce BYOC managed package from one spec",
		Long: `byocpack turns one declarative spec (byoc.yaml) into the Salesforce DX project
of a "Bring Your Own Channel" (BYOC) managed package: the Interaction Service
external client app (or legacy connected app), its policies, the platform
event, the ConversationVendorInfo and the ConversationChannelDefinition.
It validates every file against the Metadata API schemas and the BYOC rules,
and zips the package reproducibly.`,
		SilenceErrors: true,
		SilenceUsage:  true,
	}
	root.SetOut(io.Out)
	root.SetErr(io.Err)
	root.SetFlagErrorFunc(func(_ *cobra.Command, err error) error { return &UsageError{err} })
	root.AddCommand(
		NewCmdInit(io, nil),
		NewCmdRender(io, nil),
		NewCmdValidate(io, nil),
		NewCmdFmt(io, nil),
		NewCmdPackage(io, nil),
		NewCmdBuild(io, nil),
		NewCmdSchema(io, nil),
		NewCmdSchemas(io, nil),
		NewCmdVersion(io, version, nil),
	)
	return root
}

// noArgs and maxArgs wrap cobra's checks so a wrong argument count is a
// usage error (exit 2).
func noArgs(cmd *cobra.Command, args []string) error {
	if err := cobra.NoArgs(cmd, args); err != nil {
		return &UsageError{err}
	}
	return nil
}
