package cli

import (
	"fmt"
	"io"
	"strings"
	"time"

	"github.com/spf13/cobra"

	"github.com/byocpack/byocpack/generator"
	"github.com/byocpack/byocpack/generator/escape"
	"github.com/byocpack/byocpack/generator/review"
)

// ReviewOptions are the inputs of review.
type ReviewOptions struct {
	IO     IO
	Target string
	Format string
	Strict bool
	// Spec is the spec the target was built from: SARIF results in files
	// outside the working directory point at it.
	Spec string
	// Profile adds a rule set (review.Profiles), such as appexchange.
	Profile string
	// Now is the time certificates are judged at (zero: now).
	Now time.Time
}

// NewCmdReview summarises what a package grants and flags its risks.
func NewCmdReview(io IO, runF func(*ReviewOptions) error) *cobra.Command {
	opts := &ReviewOptions{IO: io}
	cmd := &cobra.Command{
		Use:   "review [PROJECT|ZIP|SPEC]",
		Short: "Summarise what a package grants and defines, and flag its security risks",
		Long: `Print a one-page review of a package version: the OAuth app (type, distribution
state, scopes and what each allows, JWT bearer, named-user JWT tokens,
permitted users, profiles, permission sets, callback URLs, refresh token and IP
policies, certificate expiry), the channel definition, the platform event, the
vendor, and what stays outside the package. The target is a project directory
(default .), a package.zip, a package-version-info.zip, or a spec (rendered in
memory). Risks a security reviewer looks for are flagged with a rule ID and a
fix; the rules are in docs/review.md. Only the app a Partner channel links to
(the prefix before the first "_" its API name shares with the channel's
developerName, as validate links them) is judged by what the Interaction
Service needs; every app is checked for generic risks. --profile appexchange
adds Salesforce's requirements for partner OAuth apps (PKCE, refresh-token
rotation, a 30-day idle limit, an IP allowlist) and the controls of Help's
"Review External Client Apps", each saying where its setting lives.

Exit status: 0, or 1 when an error-severity risk is flagged (warnings too with
--strict); 2 on an unreadable target or a usage error.`,
		Example: `  byocpack review out/partner1
  byocpack review out/dist/package-version-info.zip --format json
  byocpack review byoc.yaml --format github
  byocpack review . --format sarif > review.sarif`,
		RunE: func(cmd *cobra.Command, args []string) error {
			switch len(args) {
			case 0:
				opts.Target = "."
			case 1:
				opts.Target = args[0]
			default:
				return usageErrorf("review takes one target, not %d", len(args))
			}
			if !oneOf(opts.Format, "markdown", "json", "github", "sarif") {
				return usageErrorf("--format must be markdown, json, github or sarif, not %q", opts.Format)
			}
			if opts.Spec != "" && opts.Format != "sarif" {
				return usageErrorf("--spec places SARIF results; it goes with --format sarif")
			}
			if opts.Profile != "" && !oneOf(opts.Profile, review.Profiles()...) {
				return usageErrorf("--profile must be one of %s, not %q", strings.Join(review.Profiles(), ", "), opts.Profile)
			}
			if runF != nil {
				return runF(opts)
			}
			return runReview(cmd, opts)
		},
	}
	cmd.Flags().StringVar(&opts.Format, "format", "markdown", "output format: markdown, json, github or sarif (SARIF for GitHub code scanning)")
	cmd.Flags().StringVar(&opts.Spec, "spec", "", "with --format sarif: the spec the target was built from; findings in files outside the working directory point at it")
	cmd.Flags().BoolVar(&opts.Strict, "strict", false, "exit 1 on warning-severity risks too")
	cmd.Flags().StringVar(&opts.Profile, "profile", "", "also check a rule set: appexchange (Salesforce's 2026 requirements for partner OAuth apps and the Review External Client Apps controls)")
	return cmd
}

func runReview(cmd *cobra.Command, opts *ReviewOptions) error {
	rep, err := review.Review(cmd.Context(), opts.Target, review.Options{Now: opts.Now, Profile: opts.Profile})
	if err != nil {
		return failed(opts.IO, err)
	}
	w := opts.IO.Out
	switch opts.Format {
	case "json":
		status, code := statusOK, exitOK
		for _, f := range rep.Flags {
			if f.Severity == "error" || opts.Strict && f.Severity == "warning" {
				status, code = statusRefused, exitInvalid
			}
		}
		if err := emitFlags(w, "review", status, code, rep, rep.Flags); err != nil {
			return err
		}
	case "sarif":
		if err := writeSARIF(w, cmd.Root().Version, flagFindings(rep.Flags), sarifOptions{Spec: opts.Spec, Roots: []string{opts.Target}}); err != nil {
			return err
		}
	case "github":
		for _, f := range rep.Flags {
			writeAnnotation(w, annotation{severity: string(f.Severity), file: f.File, line: f.Line, title: f.Rule, message: f.Message + "\nFix: " + f.Fix})
		}
		fmt.Fprintf(w, "review of %s: %s\n", escape.Line(rep.Source), flagSummary(rep.Flags))
	default:
		reviewMarkdown(w, rep)
	}
	for _, f := range rep.Flags {
		if f.Severity == "error" || opts.Strict && f.Severity == "warning" {
			return &exitError{exitInvalid}
		}
	}
	return nil
}

// flagFindings are review's and diff's flags as SARIF findings.
func flagFindings(fs []generator.Problem) []finding {
	var out []finding
	for _, f := range fs {
		out = append(out, finding{Rule: f.Rule, Severity: string(f.Severity), Message: f.Message, Fix: f.Fix, File: f.File, Line: f.Line})
	}
	return out
}

// emitFlags prints the envelope of a command that flags (review, diff):
// the flags are its problems, so its counts agree with its status.
func emitFlags(w io.Writer, command, status string, code int, result any, flags []generator.Problem) error {
	env := envelope{SchemaVersion: envelopeVersion, Command: command, Status: status, ExitCode: code, Result: result, Problems: make([]problemJSON, 0, len(flags))}
	for _, f := range flags {
		env.Problems = append(env.Problems, problemJSON{File: f.File, Line: f.Line, Severity: string(f.Severity), Rule: f.Rule, Message: f.Message, Fix: f.Fix})
		switch f.Severity {
		case "error":
			env.Errors++
		case "warning":
			env.Warnings++
		}
	}
	return writeJSON(w, env)
}

func flagSummary(fs []generator.Problem) string {
	errs, warns := 0, 0
	for _, f := range fs {
		switch f.Severity {
		case "error":
			errs++
		case "warning":
			warns++
		}
	}
	if errs+warns == 0 {
		return "no risks flagged"
	}
	return fmt.Sprintf("%s, %s flagged", plural(errs, "error"), plural(warns, "warning"))
}

func none(xs []string) string {
	if len(xs) == 0 {
		return "none"
	}
	return strings.Join(xs, ", ")
}

func row(w io.Writer, k, v string) {
	fmt.Fprintf(w, "| %s | %s |\n", k, escape.Text(v))
}

func reviewMarkdown(w io.Writer, r *review.Report) {
	title := r.Package.Name
	if title == "" {
		title = r.Source
	}
	fmt.Fprintf(w, "# Review: %s %s\n\n", escape.Text(title), escape.Text(r.Package.VersionNumber))
	fmt.Fprintf(w, "%s (%s)", escape.Code(r.Source), r.Kind)
	if r.Package.Namespace != "" {
		fmt.Fprintf(w, " · namespace %s", escape.Code(r.Package.Namespace))
	}
	if r.Package.APIVersion != "" {
		fmt.Fprintf(w, " · API %s", escape.Text(r.Package.APIVersion))
	}
	fmt.Fprintf(w, " · %s\n", flagSummary(r.Flags))

	if len(r.Flags) > 0 {
		fmt.Fprintln(w, "\n## Risks")
		for _, f := range r.Flags {
			fmt.Fprintf(w, "\n- **%s** `%s` %s  \n  **Fix:** %s  \n  %s\n", escape.Text(string(f.Severity)), escape.Text(f.Rule), escape.Text(f.Message), escape.Text(f.Fix), escape.Code(location(f)))
		}
	}
	for _, a := range r.Apps {
		role := "not linked to a Partner channel: judged for generic risks only"
		if a.BYOC {
			role = "the BYOC app: a Partner channel links to it by prefix"
		}
		fmt.Fprintf(w, "\n## App %s (%s)\n\n%s\n\n| | |\n|---|---|\n", escape.Code(a.Name), escape.Text(a.Type), role)
		row(w, "label", a.Label)
		row(w, "distribution state", a.DistributionState)
		row(w, "contact", a.ContactEmail)
		row(w, "JWT bearer", a.JWTBearer)
		row(w, "named-user JWT access tokens", a.NamedUserJWT)
		row(w, "permitted users", a.PermittedUsers)
		list := func(xs []string) string {
			if a.Stub && len(xs) == 0 {
				return review.Released
			}
			return none(xs)
		}
		row(w, "profiles", list(a.Profiles))
		row(w, "permission sets", list(a.PermissionSets))
		if len(a.CallbackURLs) > 0 || r.Outside.Known || a.Type == "ConnectedApp" {
			row(w, "callback URLs", list(a.CallbackURLs))
		} else {
			row(w, "callback URLs", review.Unknown)
		}
		row(w, "refresh tokens", a.RefreshToken)
		row(w, "IP relaxation", a.IPRelaxation)
		row(w, "trusted IP ranges", list(a.TrustedIPRanges))
		row(w, "client credentials flow", a.ClientCredentials)
		row(w, "session policy", a.SessionPolicy)
		if a.SAML != "" {
			row(w, "SAML", a.SAML)
		}
		if a.Canvas != "" {
			row(w, "canvas", a.Canvas)
		}
		if c := a.Certificate; c != nil {
			if c.Problem != "" {
				row(w, "certificate", "unreadable: "+c.Problem)
			} else {
				row(w, "certificate", fmt.Sprintf("%s, valid until %s (%d days left)", c.Subject, c.NotAfter[:10], c.DaysLeft))
			}
		}
		fmt.Fprintln(w, "\n| scope | allows |\n|---|---|")
		for _, s := range a.Scopes {
			fmt.Fprintf(w, "| %s | %s |\n", escape.Cell(s.Name), escape.Text(s.Allows))
		}
		if len(a.Scopes) == 0 {
			fmt.Fprintln(w, "| "+list(nil)+" | |")
		}
	}
	for _, c := range r.Channels {
		fmt.Fprintf(w, "\n## Channel %s\n\n| | |\n|---|---|\n", escape.Code(c.DeveloperName))
		row(w, "label", c.Label)
		row(w, "connected app type", c.ConnectedAppType)
		row(w, "routing owner", c.RoutingOwner)
		row(w, "consent owner", c.ConsentOwner)
		row(w, "vendor", c.Vendor)
		row(w, "platform event", c.Event)
		row(w, "payload field", c.PayloadField)
		row(w, "event type field", c.TypeField)
		row(w, "features", none(c.Features))
	}
	for _, e := range r.Events {
		fmt.Fprintf(w, "\n## Platform event %s\n\n%s, %s, %s\n\n| field | type | length |\n|---|---|---|\n", escape.Code(e.Name), escape.Text(e.Label), escape.Text(e.EventType), escape.Text(e.PublishBehavior))
		for _, f := range e.Fields {
			fmt.Fprintf(w, "| %s | %s | %s |\n", escape.Cell(f.Name), escape.Text(f.Type), escape.Text(f.Length))
		}
	}
	for _, v := range r.Vendors {
		fmt.Fprintf(w, "\n## Vendor %s\n\n%s, %s\n", escape.Code(v.DeveloperName), escape.Text(v.Label), escape.Text(v.VendorType))
	}
	if len(r.Other) > 0 {
		fmt.Fprintf(w, "\n## Other components\n\n")
		for _, o := range r.Other {
			fmt.Fprintf(w, "- %s\n", escape.Code(o))
		}
	}
	fmt.Fprintf(w, "\n## Outside the package\n\n%s\n", escape.Text(r.Outside.Note))
	for _, c := range r.Outside.Components {
		fmt.Fprintf(w, "- %s\n", escape.Code(c))
	}
}

func location(f generator.Problem) string {
	if f.Line > 0 {
		return fmt.Sprintf("%s:%d", f.File, f.Line)
	}
	return f.File
}
