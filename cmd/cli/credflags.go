package cli

import (
	"bytes"
	"crypto/rsa"
	"crypto/x509"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"os"
	"path"
	"path/filepath"
	"syscall"
	"time"

	"github.com/spf13/pflag"

	"github.com/byocpack/byocpack/generator/cred"
	"github.com/byocpack/byocpack/internal/escape"
	"github.com/byocpack/byocpack/internal/fserr"
	"github.com/byocpack/byocpack/internal/fsutil"
	"github.com/byocpack/byocpack/internal/tree"
)

// maxCredFile bounds what is read of a key, certificate or passphrase
// file: they are a few kilobytes.
const maxCredFile = 1 << 20

// passphraseFlags say where a key's passphrase comes from: a file or an
// environment variable, never a flag value (which would sit in the shell
// history and the process list).
type passphraseFlags struct {
	File string
	Env  string
}

func (p *passphraseFlags) register(f *pflag.FlagSet, what string) {
	f.StringVar(&p.File, "passphrase-file", "", "read the passphrase that "+what+" from the first line of FILE")
	f.StringVar(&p.Env, "passphrase-env", "", "read the passphrase that "+what+" from the environment variable NAME")
}

func (p passphraseFlags) check() error {
	if p.File != "" && p.Env != "" {
		return usageErrorf("--passphrase-file and --passphrase-env conflict; give one")
	}
	return nil
}

func (p passphraseFlags) given() bool { return p.File != "" || p.Env != "" }

// source returns the passphrase reader, nil when no source was given.
func (p passphraseFlags) source() func() ([]byte, error) {
	if !p.given() {
		return nil
	}
	return p.read
}

func (p passphraseFlags) read() ([]byte, error) {
	var pass []byte
	if p.Env != "" {
		v, ok := os.LookupEnv(p.Env)
		if !ok {
			return nil, fmt.Errorf("--passphrase-env: the environment variable %s is not set", p.Env)
		}
		pass = []byte(v)
	} else {
		data, err := readPassphraseFile(p.File)
		if err != nil {
			return nil, fmt.Errorf("--passphrase-file: %w", err)
		}
		// openssl's file: source reads the first line.
		pass, _, _ = bytes.Cut(data, []byte("\n"))
		pass = bytes.TrimSuffix(pass, []byte("\r"))
	}
	if len(pass) == 0 {
		return nil, errors.New("the passphrase is empty")
	}
	return pass, nil
}

// readSmall reads a credential file, refusing one too large to be one.
func readSmall(path string) ([]byte, error) {
	data, err := tree.ReadPath(path)
	if err != nil {
		return nil, err
	}
	if len(data) > maxCredFile {
		return nil, fmt.Errorf("%s is over %d bytes; it is not a key, certificate or connected app file", path, maxCredFile)
	}
	return data, nil
}

// readPassphraseFile reads a passphrase file, which may be a pipe
// (--passphrase-file <(pass show acme)): it reads what the writer gives,
// bounded, and never more than the first line is used.
func readPassphraseFile(path string) ([]byte, error) {
	data, ok, err := tree.ReadStream(path, maxCredFile)
	if err != nil {
		return nil, err
	}
	if !ok {
		return nil, fmt.Errorf("%s is over %d bytes; it is not a passphrase file", path, maxCredFile)
	}
	return data, nil
}

// loadKey reads the private key at path, asking for the passphrase only
// when the key is encrypted.
func loadKey(path string, pass passphraseFlags) (*rsa.PrivateKey, error) {
	data, err := readSmall(path)
	if err != nil {
		return nil, fmt.Errorf("reading the key: %w", err)
	}
	k, err := cred.ParseKey(data, pass.source())
	if err != nil {
		return nil, fmt.Errorf("%s: %w", path, err)
	}
	return k, nil
}

// credentials are a key and certificate about to be written.
type credentials struct {
	KeyPath, CertPath string
	CommonName        string
	Days, Bits        int
	Pass              passphraseFlags
	// ForceKey and ForceCert allow replacing an existing file.
	ForceKey, ForceCert bool
	// KeyNever says why an existing key is never replaced, when it never is.
	KeyNever string
	// CertRoot is the directory the certificate is written inside, no
	// link followed below it (init's folder); empty means the
	// certificate's own folder.
	CertRoot string
}

// check refuses, before anything is made, a file that would be replaced
// without leave.
func (c credentials) check() error {
	for _, f := range []struct {
		path  string
		force bool
		why   string
	}{
		{c.KeyPath, c.ForceKey, c.KeyNever},
		{c.CertPath, c.ForceCert, ""},
	} {
		fi, err := os.Lstat(f.path)
		switch {
		case errors.Is(err, fs.ErrNotExist) || f.force:
		case err == nil && f.path == c.KeyPath && emptyFile(fi):
			// What a byocpack before 12a left when killed while writing
			// the key: no key at all.
		case errors.Is(err, syscall.ENOTDIR):
			return fmt.Errorf("cannot write %s: %s is not a directory; pass a directory to --out (it is created when missing)", f.path, filepath.Dir(f.path))
		case err != nil:
			return fmt.Errorf("cannot write %s (%v); nothing was written", f.path, fserr.Cause(err))
		case f.why != "":
			return fmt.Errorf("%s already exists; nothing was written. %s", f.path, f.why)
		case f.path == c.KeyPath:
			return fmt.Errorf("%s already exists; nothing was written. A new key needs a new certificate uploaded to the app, so byocpack replaces a key only with --force", f.path)
		default:
			return fmt.Errorf("%s already exists; nothing was written. Pass --force to replace it", f.path)
		}
	}
	return nil
}

// made is a key and certificate made in memory, written by commit.
type made struct {
	creds           credentials
	keyPEM, certPEM []byte
	Cert            *x509.Certificate
	Encrypted       bool
}

// prepare refuses what would be replaced without leave, reads the
// passphrase and makes the key and certificate in memory: everything that
// can fail before the first file is written.
func (c credentials) prepare(now time.Time) (*made, error) {
	if err := c.check(); err != nil {
		return nil, err
	}
	var pass []byte
	if src := c.Pass.source(); src != nil {
		p, err := src()
		if err != nil {
			return nil, err
		}
		pass = p
	}
	key, err := cred.GenerateKey(c.Bits)
	if err != nil {
		return nil, err
	}
	keyPEM, err := cred.EncodeKey(key, pass, 0)
	if err != nil {
		return nil, err
	}
	certPEM, cert, err := cred.SelfSign(key, cred.CertOptions{CommonName: c.CommonName, Days: c.Days, Now: now})
	if err != nil {
		return nil, err
	}
	return &made{creds: c, keyPEM: keyPEM, certPEM: certPEM, Cert: cert, Encrypted: pass != nil}, nil
}

// commit writes the key first, mode 0600, then the certificate, removing
// the key again if the certificate cannot be written. Each file appears
// whole, with its mode, or not at all (fsutil.WriteFile): a run killed
// half way leaves no empty key that blocks the next. A temporary key such
// a run left holds a secret, so it is removed first.
func (m *made) commit() error {
	c := m.creds
	keyDir, keyName := filepath.Dir(c.KeyPath), filepath.Base(c.KeyPath)
	certRoot, certRel := filepath.Dir(c.CertPath), filepath.Base(c.CertPath)
	if c.CertRoot != "" {
		rel, err := filepath.Rel(c.CertRoot, c.CertPath)
		if err != nil {
			return err
		}
		certRoot, certRel = c.CertRoot, filepath.ToSlash(rel)
	}
	fsutil.RemoveStaleTemps(keyDir, func(base string) bool { return base == keyName })
	fsutil.RemoveStaleTemps(filepath.Join(certRoot, filepath.Dir(filepath.FromSlash(certRel))), func(base string) bool { return base == path.Base(certRel) })
	replaceKey := c.ForceKey
	if fi, err := os.Lstat(c.KeyPath); err == nil && emptyFile(fi) {
		replaceKey = true
	}
	// Both are written out first; then each takes its place, back to
	// back, so a kill almost never leaves a key without its certificate.
	key, err := fsutil.Stage(keyDir, keyName, m.keyPEM, 0o600, replaceKey)
	if err != nil {
		return err
	}
	cert, err := fsutil.Stage(certRoot, certRel, m.certPEM, 0o644, c.ForceCert)
	if err != nil {
		key.Abort()
		return err
	}
	if err := key.Commit(); err != nil {
		cert.Abort()
		return err
	}
	if err := cert.Commit(); err != nil {
		_ = os.Remove(c.KeyPath)
		return err
	}
	return nil
}

// emptyFile reports whether fi is a regular file of no bytes.
func emptyFile(fi fs.FileInfo) bool { return fi.Mode().IsRegular() && fi.Size() == 0 }

// printMade says what was written and what to do with it.
func printMade(w io.Writer, m *made, specLine string) {
	c, cert := m.creds, m.Cert
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
func specRelative(specDir, path string) string {
	absDir, err1 := filepath.Abs(specDir)
	absPath, err2 := filepath.Abs(path)
	if err1 == nil && err2 == nil {
		if rel, err := filepath.Rel(absDir, absPath); err == nil {
			return filepath.ToSlash(rel)
		}
	}
	return filepath.ToSlash(path)
}
