package cli

import (
	"fmt"
	"path/filepath"
	"time"

	"github.com/byocpack/byocpack/generator"
	"github.com/spf13/cobra"
)

// CertOptions are the inputs of cert.
type CertOptions struct {
	IO      IO
	OutDir  string
	KeyPath string
	// Prefix names the default key file, <prefix>-server.key.
	Prefix     string
	CommonName string
	Days       int
	Bits       int
	Force      bool
	Passphrase generator.Passphrase
	// Now is when the certificate's validity starts (zero: now).
	Now  time.Time
	JSON bool
}

// NewCmdCert makes the JWT bearer flow's key and certificate.
func NewCmdCert(io IO, runF func(*CertOptions) error) *cobra.Command {
	opts := &CertOptions{IO: io}
	cmd := &cobra.Command{
		Use:   "cert",
		Short: "Make the RSA private key and self-signed certificate of the JWT bearer flow",
		Long: `Make what Salesforce's "Create a Private Key and Self-Signed Digital
Certificate" step makes with openssl: an RSA private key (PKCS#8 PEM, mode
0600) that signs the JWT, and a self-signed X.509 certificate (SHA-256) that
the app holds (app.certificate in the spec).

The key is encrypted (PKCS#8 PBES2: PBKDF2-HMAC-SHA256, AES-256-CBC, as
openssl pkcs8 -v2 aes-256-cbc writes it) when a passphrase is given, from a
file or an environment variable, never on the command line. An existing key
or certificate is never replaced without --force.

The key stays out of the project and out of git: by default it goes where
init --cert puts it, beside the project directory (OUT's parent):
OUT/../../<prefix>-server.key, the prefix from --prefix or from the byoc.yaml
in OUT's parent (server.key when there is neither). --key puts it elsewhere.`,
		Example: `  byocpack cert --out certs --key ../acme-server.key --cn "Acme Interaction Service"
  byocpack cert --out certs --key ../acme-server.key --passphrase-env ACME_KEY_PASS`,
		Args: noArgs,
		RunE: func(cmd *cobra.Command, args []string) error {
			if err := generator.CheckKeyPair(opts.CommonName, opts.Days, opts.Bits, opts.Passphrase); err != nil {
				return err
			}
			if opts.KeyPath == "" {
				opts.KeyPath = generator.DefaultKeyPath(opts.OutDir, opts.Prefix)
			}
			if runF != nil {
				return runF(opts)
			}
			return runCert(opts)
		},
	}
	cmd.Flags().StringVar(&opts.OutDir, "out", "certs", "directory of server.crt (and of server.key unless --key)")
	cmd.Flags().StringVar(&opts.KeyPath, "key", "", "where to write the private key (default OUT/../../<prefix>-server.key, beside the project directory)")
	cmd.Flags().StringVar(&opts.Prefix, "prefix", "", "the spec's prefix, which names the default key file (default: read from the byoc.yaml in OUT's parent)")
	cmd.Flags().StringVar(&opts.CommonName, "cn", "Interaction Service JWT", "common name of the certificate")
	cmd.Flags().IntVar(&opts.Days, "days", 365, "days the certificate is valid")
	cmd.Flags().IntVar(&opts.Bits, "bits", 2048, "RSA key size: 2048, 3072 or 4096")
	cmd.Flags().BoolVar(&opts.Force, "force", false, "replace an existing key and certificate")
	cmd.Flags().BoolVar(&opts.JSON, "json", false, "print what was written as JSON (paths and fingerprint, never the key)")
	registerPassphrase(cmd.Flags(), &opts.Passphrase, "encrypts the key")
	cmd.AddCommand(NewCmdCertRotate(io, nil))
	return cmd
}

func runCert(opts *CertOptions) error {
	c := generator.KeyPairOptions{KeyPath: opts.KeyPath, CertPath: filepath.Join(opts.OutDir, "server.crt"),
		CommonName: opts.CommonName, Days: opts.Days, Bits: opts.Bits, Passphrase: opts.Passphrase,
		ForceKey: opts.Force, ForceCert: opts.Force, Now: opts.Now}
	m, err := generator.MakeKeyPair(c)
	if err != nil {
		return err
	}
	if err := m.Write(); err != nil {
		return err
	}
	if opts.JSON {
		return emit(opts.IO.Out, "cert", statusOK, exitOK, madeResult(m, specRelative(".", c.CertPath)), nil)
	}
	printMade(opts.IO.Out, m, specRelative(".", c.CertPath))
	fmt.Fprintf(opts.IO.Out, "(relative to the spec's directory; shown for a spec in the current directory)\n")
	return nil
}
