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
	"regexp"
	"strings"
	"syscall"

	"github.com/spf13/cobra"
	"github.com/spf13/pflag"

	"github.com/byocpack/byocpack/generator"
	"github.com/byocpack/byocpack/generator/escape"
	"github.com/byocpack/byocpack/generator/spec"
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
	// SIGINT and SIGTERM cancel the context every command runs under; a
	// second one, once the first has, ends the process at once (the
	// default action is back), as a user pressing Ctrl-C again expects.
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	defer stop()
	go func() {
		<-ctx.Done()
		stop()
	}()
	// --quiet silences what a command prints on stdout in text form; its
	// JSON, its errors and its exit code stay.
	quiet := &quietWriter{w: io.Out}
	io.Out = quiet
	root := NewRootCmd(io, version)
	root.PersistentFlags().BoolVarP(&quiet.on, "quiet", "q", false, "print nothing on stdout but --json output; problems and errors still go to stderr")
	root.SetArgs(args)
	cmd, err := root.ExecuteContextC(ctx)
	if err == nil {
		return exitOK
	}
	return report(io, cmd, err, args)
}

func report(io IO, cmd *cobra.Command, err error, args []string) int {
	w := io.Err
	var rec *generator.RecoveredError
	if errors.As(err, &rec) {
		for _, n := range rec.Recovered {
			fmt.Fprintf(w, "note: %s\n", n)
		}
	}
	var ee *exitError
	var ce *codedError
	var list generator.ProblemList
	var ue *UsageError
	var gue *generator.UsageError
	code := exitInvalid
	switch {
	case errors.As(err, &ee):
		// The command has printed what it had to say.
		return ee.code
	case errors.As(err, &ce):
		code = ce.code
		fmt.Fprintf(w, "error: %s\n", printable(err))
	case errors.As(err, &list):
		printProblems(w, list)
		errs, warns := generator.Count(list)
		fmt.Fprintf(w, "%s, %s; nothing was written\n", plural(errs, "error"), plural(warns, "warning"))
	case errors.As(err, &ue), errors.As(err, &gue), strings.HasPrefix(err.Error(), "unknown command"):
		code = exitUsage
		fmt.Fprintf(w, "error: %s\n", printable(err))
		if cmd != nil {
			fmt.Fprintf(w, "Run '%s --help' for usage.\n", cmd.CommandPath())
		}
	default:
		fmt.Fprintf(w, "error: %s\n", printable(err))
	}
	// A flag that did not parse stops cobra before --json is read, so a
	// usage error looks at the words themselves.
	if jsonRequested(cmd) || (code == exitUsage && argsAskJSON(cmd, args)) {
		emitFailure(io.Out, cmd, code, err)
	}
	return code
}

// printable is err's message as it may reach a terminal or CI log: one
// line, escaped (package escape), since a message quotes file names and
// servers' answers. A conflict lists one file a line and escapes each
// itself.
func printable(err error) string {
	var conflict *generator.ConflictError
	var kept *generator.KeptError
	var usage *generator.UsageError
	var option *generator.OptionError
	switch {
	case errors.As(err, &conflict):
		return strings.Replace(err.Error(), "run with the Force option", "pass --force", 1)
	case errors.As(err, &kept):
		return err.Error()
	case errors.As(err, &usage) && usage.Option != "":
		// The library names the option; the command line knows it as a flag.
		if usage.Value == "" {
			return escape.Line(flagOf(usage.Option) + ": " + usage.Msg)
		}
		return escape.Line(flagOf(usage.Option) + " " + usage.Value + ": " + usage.Msg)
	case errors.As(err, &option):
		return escape.Line(option.Msg + ". Pass " + flagOf(option.Option) + " to " + option.Fix)
	}
	return escape.Line(err.Error())
}

// optionFlags maps the library's option names to the flags that set them.
var optionFlags = map[string]string{
	"APIVersion": "--api-version",
	"Disable":    "--disable",
	"DistDir":    "--output",
	"ProjectDir": "--project",
	"WSDL":       "the WSDL",
	"Force":      "--force",
	"CertDir":    "--out",
	"KeyPath":    "--key",
	"Spec":       "-f",
	"CommonName": "--cn",
	"Days":       "--days",
	"Bits":       "--bits",
	"Passphrase": "--passphrase-file and --passphrase-env",
}

func flagOf(option string) string {
	if f, ok := optionFlags[option]; ok {
		return f
	}
	return option
}

// argsAskJSON reports whether the command line asks a command that has
// JSON output for it, reading the words as the flags would: the value of
// a flag that takes one (--disable --json) is not a request, and "--"
// ends the flags.
func argsAskJSON(cmd *cobra.Command, args []string) bool {
	if cmd == nil || (cmd.Flags().Lookup("json") == nil && cmd.Flags().Lookup("format") == nil) {
		return false
	}
	takesValue := func(a string) bool {
		var f *pflag.Flag
		switch {
		case strings.HasPrefix(a, "--"):
			f = cmd.Flags().Lookup(strings.TrimPrefix(a, "--"))
		case len(a) == 2 && a[0] == '-':
			f = cmd.Flags().ShorthandLookup(a[1:])
		}
		return f != nil && f.NoOptDefVal == ""
	}
	for i := 0; i < len(args); i++ {
		switch a := args[i]; {
		case a == "--":
			return false
		case a == "--json", a == "--json=true", a == "--format=json":
			return true
		case a == "--format":
			if i+1 < len(args) && args[i+1] == "json" {
				return true
			}
			i++
		case !strings.Contains(a, "=") && takesValue(a):
			i++ // its value
		}
	}
	return false
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
		NewCmdDiff(io, nil),
		NewCmdReview(io, nil),
		NewCmdCert(io, nil),
		NewCmdJWT(io, nil),
		NewCmdToken(io, nil),
		NewCmdExplain(io, nil),
		NewCmdMigrate(io, nil),
		NewCmdDoctor(io, nil),
		NewCmdMergeDriver(io, nil),
	)
	root.Version = version
	root.SetVersionTemplate("byocpack {{.Version}}\n")
	for _, c := range root.Commands() {
		addCompletions(c)
		if c.Flags().Lookup("format") != nil && c.Flags().Lookup("json") == nil {
			c.Flags().Bool("json", false, "print the result as JSON (the same as --format json)")
		}
	}
	// --json and --format json are one switch.
	root.PersistentPreRunE = func(cmd *cobra.Command, _ []string) error {
		format, js := cmd.Flags().Lookup("format"), cmd.Flags().Lookup("json")
		if jsonRequested(cmd) {
			quietOff(cmd)
		}
		if format == nil || js == nil || js.Value.String() != "true" {
			return nil
		}
		if format.Changed && format.Value.String() != "json" {
			return usageErrorf("--json and --format %s ask for two outputs; pass one", format.Value)
		}
		return format.Value.Set("json")
	}
	return root
}

// addCompletions offers the values of every enumerated flag to shell
// completion, and spec files for -f. The values of --format come from the
// flag's own usage text ("output format: a, b or c"), so help and
// completion cannot disagree.
func addCompletions(cmd *cobra.Command) {
	fixed := func(values ...string) func(*cobra.Command, []string, string) ([]string, cobra.ShellCompDirective) {
		return func(*cobra.Command, []string, string) ([]string, cobra.ShellCompDirective) {
			return values, cobra.ShellCompDirectiveNoFileComp
		}
	}
	cmd.Flags().VisitAll(func(f *pflag.Flag) {
		switch f.Name {
		// The values are worked out when a shell asks, not at every start.
		case "format":
			usage := f.Usage
			_ = cmd.RegisterFlagCompletionFunc(f.Name, func(*cobra.Command, []string, string) ([]string, cobra.ShellCompDirective) {
				return formatValues(usage), cobra.ShellCompDirectiveNoFileComp
			})
		case "api-version":
			_ = cmd.RegisterFlagCompletionFunc(f.Name, func(*cobra.Command, []string, string) ([]string, cobra.ShellCompDirective) {
				return spec.SupportedAPIVersions(), cobra.ShellCompDirectiveNoFileComp
			})
		case "app-type":
			_ = cmd.RegisterFlagCompletionFunc(f.Name, fixed(spec.ExternalClientApplication, spec.ConnectedApp))
		case "file":
			_ = cmd.MarkFlagFilename(f.Name, "yaml", "yml", "json")
		}
	})
}

func formatValues(usage string) []string {
	m := regexp.MustCompile(`^output format: ([a-z, ]+?)(?: or ([a-z]+))?(?: \(|$)`).FindStringSubmatch(usage)
	if m == nil {
		return nil
	}
	values := strings.Split(m[1], ", ")
	if m[2] != "" {
		values = append(values, m[2])
	}
	return values
}

// noArgs and maxArgs wrap cobra's checks so a wrong argument count is a
// usage error (exit 2).
func noArgs(cmd *cobra.Command, args []string) error {
	if len(args) == 1 && cmd.Flags().Lookup("file") != nil {
		return usageErrorf("%s takes no arguments; to use the spec %s, pass -f %s", cmd.CommandPath(), args[0], args[0])
	}
	if err := cobra.NoArgs(cmd, args); err != nil {
		return &UsageError{err}
	}
	return nil
}

// quietWriter drops what is written while --quiet is on.
type quietWriter struct {
	w  io.Writer
	on bool
}

func (q *quietWriter) Write(p []byte) (int, error) {
	if q.on {
		return len(p), nil
	}
	return q.w.Write(p)
}

// quietOff keeps JSON output on stdout under --quiet: a pipeline asked
// for it.
func quietOff(cmd *cobra.Command) {
	if f := cmd.Flags().Lookup("quiet"); f != nil {
		_ = f.Value.Set("false")
	}
}

// isQuiet reports whether w is stdout under --quiet.
func isQuiet(w io.Writer) bool {
	q, ok := w.(*quietWriter)
	return ok && q.on
}
