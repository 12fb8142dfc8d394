package cli

import (
	"fmt"
	"io"
	"path/filepath"

	"github.com/spf13/cobra"

	"github.com/byocpack/byocpack/generator"
	"github.com/byocpack/byocpack/generator/escape"
	"github.com/byocpack/byocpack/generator/spec"
)

// InitOptions are the inputs of init: the library's, plus where to print.
type InitOptions struct {
	IO IO
	generator.InitOptions
	JSON bool
}

// NewCmdInit writes a commented byoc.yaml.
func NewCmdInit(io IO, runF func(*InitOptions) error) *cobra.Command {
	opts := &InitOptions{IO: io}
	cmd := &cobra.Command{
		Use:   "init",
		Short: "Write a commented byoc.yaml to start from",
		Long: `Write a commented byoc.yaml, every key described, and byoc.schema.json beside
it so editors complete and check the spec. Every default is derived from the
prefix. Existing files are never overwritten unless --force is given.

With --cert it also makes the app's certificate (certs/server.crt) and its
private key, which goes outside the project: beside the project directory,
named after the prefix (../acme-server.key), or where --key says. An existing
key is never overwritten, even with --force.`,
		Example: `  byocpack init --prefix Acme --package-name "Acme Messaging" --namespace acme --cert
  byocpack init --prefix Acme --customer -o acme/byoc.yaml`,
		Args: noArgs,
		RunE: func(cmd *cobra.Command, args []string) error {
			if msg := spec.CheckValue("prefix", opts.Prefix); msg != "" {
				msg = "--prefix: " + msg
				return usageErrorf("%s", msg)
			}
			if !cmd.Flags().Changed("prefix") {
				// The example's prefix names every API name: say so, once.
				fmt.Fprintf(opts.IO.Err, "note: no --prefix given, so the spec uses the example's %s; pass --prefix with your own (the text before the first _ of every API name)\n", opts.Prefix)
			}
			if opts.Email == "" {
				opts.Email = generator.PlaceholderEmail(opts.Prefix)
			}
			for _, f := range []struct{ flag, key, value string }{
				{"--app-type", "app.type", opts.AppType},
				{"--namespace", "package.namespace", opts.Namespace},
				{"--email", "app.contactEmail", opts.Email},
				{"--package-name", "package.name", opts.PackageName},
			} {
				if f.value == "" && f.flag == "--package-name" {
					continue
				}
				if msg := spec.CheckValue(f.key, f.value); msg != "" {
					return usageErrorf("%s: %s", f.flag, msg)
				}
			}
			if opts.Customer && cmd.Flags().Changed("app-type") {
				return usageErrorf("--customer and --app-type conflict: with connectedAppType Customer the package carries no app")
			}
			if opts.Cert {
				if err := generator.CheckKeyPair(opts.CommonName, opts.Days, opts.Bits, opts.Passphrase); err != nil {
					return err
				}
			} else if opts.KeyPath != "" || opts.Passphrase.Given() {
				return usageErrorf("--key and the passphrase flags go with --cert")
			}
			if runF != nil {
				return runF(opts)
			}
			return runInit(opts)
		},
	}
	cmd.Flags().StringVarP(&opts.Output, "output", "o", "byoc.yaml", "where to write the spec")
	cmd.Flags().StringVar(&opts.Prefix, "prefix", "Partner1", "API-name prefix shared by the app and the channel definition")
	cmd.Flags().StringVar(&opts.PackageName, "package-name", "", `2GP package name (default "<prefix> Messaging")`)
	cmd.Flags().StringVar(&opts.Namespace, "namespace", "", "registered namespace prefix (empty for none)")
	cmd.Flags().StringVar(&opts.AppType, "app-type", spec.ExternalClientApplication, "ExternalClientApplication or ConnectedApp")
	cmd.Flags().StringVar(&opts.Email, "email", "", `contact email of the app (default "dev@<prefix>.example", a placeholder to replace)`)
	cmd.Flags().BoolVar(&opts.Customer, "customer", false, "connectedAppType Customer: the customer's admin creates the app, the package carries none")
	cmd.Flags().BoolVar(&opts.Force, "force", false, "overwrite existing files (never a key)")
	cmd.Flags().BoolVar(&opts.Cert, "cert", false, "also make the certificate and its private key (as byocpack cert does)")
	cmd.Flags().StringVar(&opts.KeyPath, "key", "", "with --cert: where the private key goes (default ../<prefix>-server.key beside the project directory)")
	cmd.Flags().StringVar(&opts.CommonName, "cn", "", `with --cert: the certificate's common name (default "<prefix> Interaction Service")`)
	cmd.Flags().IntVar(&opts.Days, "days", 365, "with --cert: days the certificate is valid")
	cmd.Flags().IntVar(&opts.Bits, "bits", 2048, "with --cert: RSA key size, 2048, 3072 or 4096")
	registerPassphrase(cmd.Flags(), &opts.Passphrase, "encrypts the key (with --cert)")
	cmd.Flags().BoolVar(&opts.JSON, "json", false, "print what was written and what to run next as JSON (never the key)")
	return cmd
}

func runInit(opts *InitOptions) error {
	done, err := generator.Init(opts.InitOptions)
	if err != nil {
		return err
	}
	dir, schemaPath, certDir, keyPath, pair := filepath.Dir(opts.Output), done.Schema, done.CertDir, done.KeyPath, done.Pair
	out := opts.IO.Out
	if opts.JSON {
		out = io.Discard // the same facts go in the result
	}
	res := initResult{Spec: opts.Output, Schema: schemaPath}
	fmt.Fprintf(out, "wrote %s and %s\n", escape.Line(opts.Output), escape.Line(schemaPath))
	if pair != nil {
		if opts.Customer {
			printMade(out, pair, "")
			fmt.Fprintf(out, "send %s (never the key) with ADMIN-SETUP.md to each customer's admin, who creates the app and sends back its consumer key\n", escape.Line(pair.Options.CertPath))
		} else {
			printMade(out, pair, "certs/server.crt   # already in "+filepath.Base(opts.Output))
		}
		res.Cert = madeResult(pair, "certs/server.crt")
	}
	if opts.Email == generator.PlaceholderEmail(opts.Prefix) {
		fmt.Fprintf(out, "replace app.contactEmail (%s) with the address Salesforce should write to\n", opts.Email)
	}
	switch {
	case opts.Customer || opts.Cert:
		fmt.Fprintln(out, "next: run")
	default:
		fmt.Fprintf(out, "next: make the app's certificate; its key stays outside the project and out of git:\n")
		res.Next = append(res.Next, fmt.Sprintf("byocpack cert --out %s --key %s", certDir, keyPath))
		fmt.Fprintf(out, "  %s\n", escape.Line(res.Next[0]))
		fmt.Fprintln(out, "then run")
	}
	res.Next = append(res.Next, fmt.Sprintf("byocpack build -f %s -o %s", opts.Output, filepath.Join(dir, "out")))
	fmt.Fprintf(out, "  %s\n", escape.Line(res.Next[len(res.Next)-1]))
	if opts.JSON {
		return emit(opts.IO.Out, "init", statusOK, exitOK, res, nil)
	}
	return nil
}
