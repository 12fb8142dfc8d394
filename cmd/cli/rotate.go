package cli

import (
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path"
	"path/filepath"
	"time"

	"github.com/spf13/cobra"

	"github.com/byocpack/byocpack/generator/cred"
	"github.com/byocpack/byocpack/generator/spec"
	"github.com/byocpack/byocpack/internal/diag"
	"github.com/byocpack/byocpack/internal/fsutil"
	"github.com/byocpack/byocpack/internal/tree"
)

// RotateOptions are the inputs of cert rotate.
type RotateOptions struct {
	IO         IO
	SpecPath   string
	KeyPath    string
	CommonName string
	Days       int
	Bits       int
	Passphrase passphraseFlags
	// Now is when the new certificate's validity starts (zero: now).
	Now time.Time
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
			if err := checkCertFlags(opts.CommonName, opts.Days, opts.Bits, opts.Passphrase); err != nil {
				return err
			}
			if runF != nil {
				return runF(opts)
			}
			return runRotate(opts)
		},
	}
	cmd.Flags().StringVarP(&opts.SpecPath, "file", "f", "byoc.yaml", "the spec whose app.certificate is rotated")
	cmd.Flags().StringVar(&opts.KeyPath, "key", "", "the current private key: the next one is written beside it (default ../PREFIX-server.key beside the spec's directory, where init --cert puts it)")
	cmd.Flags().StringVar(&opts.CommonName, "cn", "", "common name of the new certificate (default: the current certificate's)")
	cmd.Flags().IntVar(&opts.Days, "days", 365, "days the new certificate is valid")
	cmd.Flags().IntVar(&opts.Bits, "bits", 2048, "RSA key size: 2048, 3072 or 4096")
	opts.Passphrase.register(cmd.Flags(), "encrypts the new key")
	return cmd
}

func runRotate(opts *RotateOptions) error {
	specPath := opts.SpecPath
	fi, err := os.Lstat(specPath)
	switch {
	case err != nil:
		return fmt.Errorf("%s: %v; pass the spec with -f", specPath, err)
	case !fi.Mode().IsRegular():
		return fmt.Errorf("%s is not a regular file (a symlink, say); byocpack edits only the spec itself", specPath)
	}
	data, err := readSmall(specPath)
	if err != nil {
		return err
	}
	specDir := filepath.Dir(specPath)
	s, err := spec.Load(tree.DirFS(specDir, tree.MaxInputFile), filepath.Base(specPath), specPath)
	var list diag.List
	if errors.As(err, &list) {
		return fmt.Errorf("%s has problems; fix them first (byocpack render --dry-run -f %s shows them):\n%s", specPath, specPath, list.Error())
	} else if err != nil {
		return err
	}
	if s.App == nil || s.App.CertificatePath == "" {
		return fmt.Errorf("%s has no app.certificate to rotate (a Customer channel's app is the customer's)", specPath)
	}
	if filepath.IsAbs(s.App.CertificatePath) || path.IsAbs(s.App.CertificatePath) {
		// Rotation writes beside the spec and nowhere else.
		return fmt.Errorf("%s: app.certificate %s is an absolute path, and cert rotate writes only inside the spec's directory; make the next pair with byocpack cert --out DIR --key FILE where it belongs and point app.certificate at it", specPath, s.App.CertificatePath)
	}
	certPath := filepath.Join(specDir, filepath.FromSlash(s.App.CertificatePath))
	current, err := cred.ParseCertificate([]byte(s.App.CertificatePEM))
	if err != nil {
		return fmt.Errorf("%s: %w", certPath, err)
	}
	keyPath := opts.KeyPath
	if keyPath == "" {
		keyPath = filepath.Join(specDir, "..", spec.KeyFileFor(s.Prefix, s.App.CertificatePath))
	}
	nextCert, nextKey, err := nextPair(certPath, keyPath)
	if err != nil {
		return err
	}
	cn := opts.CommonName
	if cn == "" {
		cn = current.Subject.CommonName
	}
	// CertRoot: the new certificate goes inside the spec's directory, no
	// link followed below it (a certs folder that links elsewhere).
	c := credentials{KeyPath: nextKey, CertPath: nextCert, CertRoot: specDir, CommonName: cn, Days: opts.Days, Bits: opts.Bits, Pass: opts.Passphrase}
	m, err := c.prepare(opts.Now)
	if err != nil {
		return err
	}
	value := specRelative(specDir, nextCert)
	edited, err := spec.SetCertificatePath(data, value)
	if err != nil {
		return fmt.Errorf("%s: %w", specPath, err)
	}
	// Everything is ready: write the key, the certificate, then the spec,
	// and take the new files back if the spec cannot be written.
	if err := m.commit(); err != nil {
		return err
	}
	if err := fsutil.WriteFile(filepath.Dir(specPath), filepath.Base(specPath), edited, fi.Mode().Perm(), true); err != nil {
		_ = os.Remove(nextKey)
		_ = os.Remove(nextCert)
		return fmt.Errorf("writing %s: %w; the new key and certificate were removed again", specPath, err)
	}
	w := opts.IO.Out
	printMade(w, m, value)
	fmt.Fprintf(w, "updated %s: app.certificate %s -> %s (the current key and certificate are kept)\n", specPath, s.App.CertificatePath, value)
	fmt.Fprintf(w, "the current certificate expires %s\n", current.NotAfter.UTC().Format("2006-01-02"))
	fmt.Fprintf(w, "cut-over (SETUP.md, \"Rotate the certificate\"):\n")
	fmt.Fprintf(w, "  1. render the project, and deploy the new certificate to the org that owns the app\n")
	fmt.Fprintf(w, "  2. from then on sign with %s; a JWT signed with the old key gets \"invalid assertion\"\n", nextKey)
	fmt.Fprintf(w, "  3. access tokens already issued stay valid until they expire; delete the old key once no server uses it\n")
	return nil
}

// nextPair names the next certificate and key beside the current ones:
// server.crt becomes server-2.crt, server-2.crt server-3.crt; both get the
// first number neither file has yet.
func nextPair(certPath, keyPath string) (string, string, error) {
	cs, ce, cn := spec.RotationNumber(filepath.ToSlash(certPath))
	ks, ke, kn := spec.RotationNumber(filepath.ToSlash(keyPath))
	for n := max(cn, kn) + 1; n < 1000; n++ {
		cert, key := filepath.FromSlash(fmt.Sprintf("%s-%d%s", cs, n, ce)), filepath.FromSlash(fmt.Sprintf("%s-%d%s", ks, n, ke))
		_, errC := os.Lstat(cert)
		_, errK := os.Lstat(key)
		if errors.Is(errC, fs.ErrNotExist) && errors.Is(errK, fs.ErrNotExist) {
			return cert, key, nil
		}
	}
	return "", "", fmt.Errorf("no free name for the next certificate beside %s", certPath)
}
