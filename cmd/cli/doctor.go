package cli

import (
	"fmt"
	"path/filepath"
	"strings"

	"github.com/spf13/cobra"

	"github.com/byocpack/byocpack/generator"
	"github.com/byocpack/byocpack/generator/doctor"
	"github.com/byocpack/byocpack/generator/escape"
)

// DoctorOptions are the inputs of doctor.
type DoctorOptions struct {
	IO         IO
	SpecPath   string
	OutDir     string
	KeyPath    string
	LoginURL   string
	Passphrase generator.Passphrase
	JSON       bool
}

// NewCmdDoctor runs the preflight checks.
func NewCmdDoctor(io IO, runF func(*DoctorOptions) error) *cobra.Command {
	opts := &DoctorOptions{IO: io}
	cmd := &cobra.Command{
		Use:   "doctor",
		Short: "Preflight checks no single file answers: certificate and key, project, git, login URL, event access",
		Long: `Check what validate cannot see in one file, each check a pass or fail line
with the fix:

  spec               the spec loads
  certificate        the app's certificate is RSA 2048+, valid, not expiring within 30 days
  key                the private key belongs to the certificate, is mode 0600 and outside the project
                     (--key; by default ../<prefix>-server.key, where init --cert puts it)
  contact-email      app.contactEmail is not a placeholder
  pre-authorization  the app's policies pre-authorize users, as the JWT bearer flow needs
  project            the project in OUT still matches the spec's package, prefix and names
  source-org         OUT's source-org holds the global OAuth settings, and git ignores them
                     (doctor reads the git index, .gitignore files and .git/info/exclude
                     itself and never runs git there; global excludes are not consulted)
  login-url          the login URL (--login-url, else sfdx-project.json's) is a Salesforce host form
  event-access       the sfdc_scrt2 permission set gets Read and Create on the platform event,
                     or the setup guide says how

Exit status: 0 when nothing failed (warnings and skipped checks included), 1
otherwise.`,
		Example: `  byocpack doctor -f byoc.yaml -o out
  byocpack doctor -f byoc.yaml -o out --key ../acme-server.key --login-url https://test.salesforce.com --json`,
		Args: noArgs,
		RunE: func(cmd *cobra.Command, args []string) error {
			if err := opts.Passphrase.Check(); err != nil {
				return err
			}
			if runF != nil {
				return runF(opts)
			}
			return runDoctor(cmd, opts)
		},
	}
	cmd.Flags().StringVarP(&opts.SpecPath, "file", "f", "byoc.yaml", "spec file")
	cmd.Flags().StringVarP(&opts.OutDir, "output", "o", "out", "the rendered project")
	cmd.Flags().StringVar(&opts.KeyPath, "key", "", "the private key that signs the JWT (default ../<prefix>-server.key beside the spec's directory, when it exists)")
	cmd.Flags().StringVar(&opts.LoginURL, "login-url", "", "the login URL the JWT goes to (default: sfdx-project.json's sfdcLoginUrl)")
	cmd.Flags().BoolVar(&opts.JSON, "json", false, "print the report as JSON")
	registerPassphrase(cmd.Flags(), &opts.Passphrase, "decrypts the key")
	return cmd
}

func runDoctor(cmd *cobra.Command, opts *DoctorOptions) error {
	ro, err := specSource(opts.IO, opts.SpecPath)
	if err != nil {
		return err
	}
	abs, _ := filepath.Abs(opts.SpecPath)
	rep, err := doctor.Run(cmd.Context(), doctor.Options{
		SpecFS: ro.SpecFS, SpecPath: ro.SpecPath, SpecDisplay: ro.SpecDisplay, SpecDir: filepath.Dir(abs),
		OutDir: opts.OutDir, KeyPath: opts.KeyPath, Passphrase: opts.Passphrase.Source(), LoginURL: opts.LoginURL,
	})
	if err != nil {
		return err
	}
	counts := map[string]int{
		"passed": rep.Count(doctor.Pass), "failed": rep.Count(doctor.Fail),
		"warnings": rep.Count(doctor.Warn), "skipped": rep.Count(doctor.Skip),
	}
	if opts.JSON {
		status, code := statusOK, exitOK
		if counts["failed"] > 0 {
			status, code = statusRefused, exitInvalid
		}
		if err := emit(opts.IO.Out, "doctor", status, code, struct {
			*doctor.Report
			Counts map[string]int `json:"counts"`
		}{rep, counts}, nil); err != nil {
			return err
		}
	} else {
		w := opts.IO.Out
		for _, c := range rep.Checks {
			// A message quotes the project (names, paths): one line,
			// escaped; the spec check's lines are problems, each
			// escaped already.
			msg := escape.Line(c.Message)
			if c.ID == "spec" {
				msg = strings.ReplaceAll(c.Message, "\n", "\n"+strings.Repeat(" ", 24))
			}
			fmt.Fprintf(w, "%-4s  %-17s %s\n", strings.ToUpper(string(c.Status)), c.ID, msg)
			if c.Fix != "" && c.Status != doctor.Pass {
				fmt.Fprintf(w, "%24sfix: %s\n", "", escape.Line(c.Fix))
			}
			if c.Explain != "" && c.Status != doctor.Pass {
				fmt.Fprintf(w, "%24s(byocpack explain %s)\n", "", c.Explain)
			}
		}
		fmt.Fprintf(w, "%d passed, %d failed, %s, %d skipped\n", counts["passed"], counts["failed"], plural(counts["warnings"], "warning"), counts["skipped"])
	}
	if counts["failed"] > 0 {
		return &exitError{exitInvalid}
	}
	return nil
}
