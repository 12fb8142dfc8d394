package cli

import (
	"fmt"
	"io"
	"os"

	"github.com/spf13/pflag"

	"github.com/byocpack/byocpack/generator"
	"github.com/byocpack/byocpack/generator/cred"
	"github.com/byocpack/byocpack/generator/escape"
)

// registerPassphrase adds the flags that say where a key's passphrase
// comes from: a file or an environment variable, never a flag value
// (which would sit in the shell history and the process list).
func registerPassphrase(f *pflag.FlagSet, p *generator.Passphrase, what string) {
	f.StringVar(&p.File, "passphrase-file", "", "read the passphrase that "+what+" from the first line of FILE")
	f.StringVar(&p.Env, "passphrase-env", "", "read the passphrase that "+what+" from the environment variable NAME")
}

// printMade says what was written and what to do with it.
func printMade(w io.Writer, m *generator.KeyPair, specLine string) {
	c, cert := m.Options, m.Cert
	enc := "not encrypted"
	if m.Encrypted {
		enc = "encrypted (PBES2, AES-256-CBC)"
	}
	mode := "mode unknown"
	if fi, err := os.Stat(c.KeyPath); err == nil {
		// Said as the disk has it, not as it was asked for.
		mode = fmt.Sprintf("mode %04o", fi.Mode().Perm())
	}
	fmt.Fprintf(w, "wrote %s: RSA %d private key, PKCS#8, %s, %s. It signs the JWT: keep it out of the project and out of git, never upload it\n", escape.Line(c.KeyPath), c.Bits, enc, mode)
	fmt.Fprintf(w, "wrote %s: self-signed X.509 certificate, CN=%s, SHA-256 with RSA\n", escape.Line(c.CertPath), escape.Line(cert.Subject.CommonName))
	fmt.Fprintf(w, "  SHA-256 fingerprint: %s\n", cred.Fingerprint(cert))
	fmt.Fprintf(w, "  expires: %s (%d days); byocpack doctor warns 30 days before\n", cert.NotAfter.UTC().Format("2006-01-02 15:04 MST"), c.Days)
	if specLine != "" {
		fmt.Fprintf(w, "the spec line that uses it (under app:):\n  certificate: %s\n", escape.Line(specLine))
	}
}

// specRelative is how the spec names path: relative to specDir, with
// forward slashes.
func specRelative(specDir, path string) string { return generator.SpecRelative(specDir, path) }
