package cli

import (
	"fmt"
	"path/filepath"

	"github.com/spf13/cobra"

	"github.com/byocpack/byocpack/generator/escape"
	"github.com/byocpack/byocpack/generator/migrate"
)

// MigrateOptions are the inputs of migrate.
type MigrateOptions struct {
	IO     IO
	From   string
	File   string
	Output string
	Force  bool
	JSON   bool
}

// NewCmdMigrate turns a connected app into an external client app spec.
func NewCmdMigrate(io IO, runF func(*MigrateOptions) error) *cobra.Command {
	opts := &MigrateOptions{IO: io}
	cmd := &cobra.Command{
		Use:   "migrate --from connected-app FILE.connectedApp-meta.xml [-o byoc.yaml]",
		Short: "Turn a legacy connected app into the spec of the equivalent external client app",
		Long: `Read a ConnectedApp metadata file (retrieve it with
sf project retrieve start -m ConnectedApp:NAME) and write the byoc.yaml of the
equivalent external client app, with every setting the spec can hold: the
prefix and name from the API name, the contact email and description, every
https callback URL, the scopes as written, the certificate (written to NAME.crt
beside the spec), PKCE, named-user JWT, the client credentials flow and its Run
As user, and the policies (who may use it, IP relaxation, the refresh token
policy with its lifetime, the session level). The written spec reads back to
the same values.

Every setting is accounted for: carried into the spec, the same as what
byocpack writes anyway, or listed, on stdout and at the top of the spec, as
having no counterpart, with why and where it lives on an external client app
(canvas, SAML, mobile and push, custom attributes, IP ranges, session
timeout...). An app without OAuth settings gets nothing invented: the notes say
which values are the procedure's. A consumer key or secret is never copied or
shown.

The spec's channel block is commented out: fill it in from the existing
ConversationChannelDefinition, then run byocpack build. An existing spec is
never overwritten without --force.`,
		Example: `  byocpack migrate --from connected-app force-app/main/default/connectedApps/Acme_BYOC.connectedApp-meta.xml -o acme/byoc.yaml`,
		RunE: func(cmd *cobra.Command, args []string) error {
			if len(args) != 1 {
				return usageErrorf("give the connected app's file: migrate --from connected-app FILE.connectedApp-meta.xml")
			}
			if opts.From != "connected-app" {
				return usageErrorf("--from %q: only connected-app is supported", opts.From)
			}
			opts.File = args[0]
			if runF != nil {
				return runF(opts)
			}
			return runMigrate(opts)
		},
	}
	cmd.Flags().StringVar(&opts.From, "from", "", "what to migrate from: connected-app")
	cmd.Flags().StringVarP(&opts.Output, "output", "o", "byoc.yaml", "where to write the spec")
	cmd.Flags().BoolVar(&opts.Force, "force", false, "overwrite an existing spec and certificate")
	cmd.Flags().BoolVar(&opts.JSON, "json", false, "print what was carried and what was not as JSON")
	return cmd
}

func runMigrate(opts *MigrateOptions) error {
	done, err := migrate.Write(migrate.WriteOptions{File: opts.File, Output: opts.Output, Force: opts.Force})
	if err != nil {
		return err
	}
	res, dir, certPath := done.Result, filepath.Dir(opts.Output), done.Certificate
	if opts.JSON {
		return emit(opts.IO.Out, "migrate", statusOK, exitOK, struct {
			Spec string `json:"spec"`
			*migrate.Result
		}{opts.Output, res}, nil)
	}
	w := opts.IO.Out
	fmt.Fprintf(w, "wrote %s: external client app %s_%s from the connected app %s\n", opts.Output, res.Prefix, res.Name, res.ConnectedApp)
	if res.Certificate != nil {
		fmt.Fprintf(w, "wrote %s: the connected app's certificate (the same key signs the JWT)\n", certPath)
	}
	fmt.Fprintln(w, "carried:")
	for _, c := range res.Carried {
		fmt.Fprintf(w, "  %s → %s: %s\n", escape.Line(c.From), escape.Line(c.To), escape.Line(c.Value))
	}
	if len(res.Unmapped) > 0 {
		fmt.Fprintf(w, "not carried (%d; also listed at the top of %s):\n", len(res.Unmapped), opts.Output)
		for _, u := range res.Unmapped {
			fmt.Fprintf(w, "  %s = %s\n      %s\n", escape.Line(u.Path), escape.Line(u.Value), escape.Line(u.Note))
		}
	}
	for _, n := range res.Notes {
		fmt.Fprintf(w, "note: %s\n", escape.Line(n))
	}
	fmt.Fprintf(w, "next: fill in the channel block of %s (commented out), then run byocpack build -f %s -o %s\n", opts.Output, opts.Output, filepath.Join(dir, "out"))
	return nil
}
