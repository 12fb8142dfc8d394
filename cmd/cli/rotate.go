package cli

import (
	"fmt"

	"github.com/byocpack/byocpack/generator"
	"github.com/spf13/cobra"
)

// RotateOptions are the inputs of cert rotate: the library's, plus where
// to print.
type RotateOptions struct {
	IO IO
	generator.RotateOptions
}

// NewCmdCertRotate makes the next key and certificate and points the spec
// at the new certificate.
func NewCmdCertRotate(io IO, runF func(*RotateOptions) error) *cobra.Command {
	opts := &RotateOptions{IO: io}
	cmd := &cobra.Command{
		Use:   "rotate",
		Short: "Make the next key and certificate beside the current ones and point the spec at it",
		Long: `Make the next JWT bearer key and certificate before the current certificate
expires (doctor and review warn 30 days before): server-2.crt beside
server.crt, and the key beside the current key (server-3 after server-2, and
so on). Nothing is overwritten: the current key and certificate stay, since
the app keeps verifying with the current certificate until the new one is
deployed. The spec's app.certificate is switched to the new certificate, the
line edited in place (comments and layout kept).

Then follow SETUP.md's cut-over: render, deploy the new certificate to the org
that owns the app, and sign with the new key from then on. An app holds one
certificate: a JWT signed with the old key is refused once the new
certificate is deployed, while access tokens already issued stay valid until
they expire.`,
		Example: `  byocpack cert rotate -f byoc.yaml
  byocpack cert rotate -f byoc.yaml --key ../acme-server.key --passphrase-env ACME_KEY_PASS`,
		Args: noArgs,
		RunE: func(cmd *cobra.Command, args []string) error {
			if err := generator.CheckKeyPair(opts.CommonName, opts.Days, opts.Bits, opts.Passphrase); err != nil {
				return err
			}
			if runF != nil {
				return runF(opts)
			}
			return runRotate(opts)
		},
	}
	cmd.Flags().StringVarP(&opts.Spec, "file", "f", "byoc.yaml", "the spec whose app.certificate is rotated")
	cmd.Flags().StringVar(&opts.KeyPath, "key", "", "the current private key: the next one is written beside it (default ../PREFIX-server.key beside the spec's directory, where init --cert puts it)")
	cmd.Flags().StringVar(&opts.CommonName, "cn", "", "common name of the new certificate (default: the current certificate's)")
	cmd.Flags().IntVar(&opts.Days, "days", 365, "days the new certificate is valid")
	cmd.Flags().IntVar(&opts.Bits, "bits", 2048, "RSA key size: 2048, 3072 or 4096")
	registerPassphrase(cmd.Flags(), &opts.Passphrase, "encrypts the new key")
	return cmd
}

func runRotate(opts *RotateOptions) error {
	res, err := generator.RotateCertificate(opts.RotateOptions)
	if err != nil {
		return err
	}
	w := opts.IO.Out
	printMade(w, res.Pair, res.To)
	fmt.Fprintf(w, "updated %s: app.certificate %s -> %s (the current key and certificate are kept)\n", opts.Spec, res.From, res.To)
	fmt.Fprintf(w, "the current certificate expires %s\n", res.Current.NotAfter.UTC().Format("2006-01-02"))
	fmt.Fprintf(w, "cut-over (SETUP.md, \"Rotate the certificate\"):\n")
	fmt.Fprintf(w, "  1. render the project, and deploy the new certificate to the org that owns the app\n")
	fmt.Fprintf(w, "  2. from then on sign with %s; a JWT signed with the old key gets \"invalid assertion\"\n", res.Pair.Options.KeyPath)
	fmt.Fprintf(w, "  3. access tokens already issued stay valid until they expire; delete the old key once no server uses it\n")
	return nil
}
