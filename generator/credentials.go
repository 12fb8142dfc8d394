package generator

import (
	"bytes"
	"crypto/rsa"
	"crypto/x509"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path"
	"path/filepath"
	"slices"
	"syscall"
	"time"

	"github.com/goccy/go-yaml"

	"github.com/byocpack/byocpack/generator/cred"
	"github.com/byocpack/byocpack/generator/spec"
	"github.com/byocpack/byocpack/internal/fserr"
	"github.com/byocpack/byocpack/internal/fsutil"
	"github.com/byocpack/byocpack/internal/tree"
)

// MaxCredentialFile bounds what is read of a key, certificate, passphrase
// or connected app file: they are a few kilobytes.
const MaxCredentialFile = 1 << 20

// OptionError is a refusal the caller's options can lift: Option names the
// field that would ("Force", "KeyPath"), so that a command line can name its
// flag instead; Fix says what setting it does. The options were valid (it
// is no UsageError): the disk is what stands in the way.
type OptionError struct {
	Msg    string
	Option string
	Fix    string
}

func (e *OptionError) Error() string { return e.Msg + ". Set the " + e.Option + " option to " + e.Fix }

// Passphrase says where a key's passphrase comes from: a file (its first
// line; it may be a pipe) or an environment variable, never a value in the
// options, which would sit in a shell's history and the process list.
type Passphrase struct {
	File string
	Env  string
}

// Given reports whether a source is set.
func (p Passphrase) Given() bool { return p.File != "" || p.Env != "" }

// Check refuses both sources at once.
func (p Passphrase) Check() error {
	if p.File != "" && p.Env != "" {
		return &UsageError{Option: "Passphrase", Msg: "names a file and an environment variable; give one"}
	}
	return nil
}

// Source is Read, nil when no source is set: what options that take a
// passphrase reader (DoctorOptions) want.
func (p Passphrase) Source() func() ([]byte, error) {
	if !p.Given() {
		return nil
	}
	return p.Read
}

// Read reads the passphrase: the variable's value, or the first line of
// the file (as openssl's file: source reads it), bounded.
func (p Passphrase) Read() ([]byte, error) {
	var pass []byte
	if p.Env != "" {
		v, ok := os.LookupEnv(p.Env)
		if !ok {
			return nil, fmt.Errorf("the environment variable %s, which should hold the passphrase, is not set", p.Env)
		}
		pass = []byte(v)
	} else {
		data, ok, err := tree.ReadStream(p.File, MaxCredentialFile)
		if err != nil {
			return nil, fmt.Errorf("the passphrase file: %w", err)
		}
		if !ok {
			return nil, fmt.Errorf("%s is over %d bytes; it is not a passphrase file", p.File, MaxCredentialFile)
		}
		pass, _, _ = bytes.Cut(data, []byte("\n"))
		pass = bytes.TrimSuffix(pass, []byte("\r"))
	}
	if len(pass) == 0 {
		return nil, errors.New("the passphrase is empty")
	}
	return pass, nil
}

// ReadCredentialFile reads a key, certificate or connected app file the
// user named, refusing one too large to be one (and, like every read, a
// FIFO or device).
func ReadCredentialFile(name string) ([]byte, error) {
	data, err := tree.ReadPath(name)
	if err != nil {
		return nil, err
	}
	if len(data) > MaxCredentialFile {
		return nil, fmt.Errorf("%s is over %d bytes; it is not a key, certificate or connected app file", name, MaxCredentialFile)
	}
	return data, nil
}

// LoadKey reads the private key at name, reading the passphrase only when
// the key is encrypted.
func LoadKey(name string, pass Passphrase) (*rsa.PrivateKey, error) {
	data, err := ReadCredentialFile(name)
	if err != nil {
		return nil, fmt.Errorf("reading the key: %w", err)
	}
	k, err := cred.ParseKey(data, pass.Source())
	if err != nil {
		return nil, fmt.Errorf("%s: %w", name, err)
	}
	return k, nil
}

// CheckKeyPair refuses a common name, key size, validity or passphrase
// source MakeKeyPair would refuse, before anything else is done; an empty
// common name is left to the caller's default.
func CheckKeyPair(cn string, days, bits int, pass Passphrase) error {
	if cn != "" {
		if err := cred.CheckCommonName(cn); err != nil {
			return &UsageError{Option: "CommonName", Msg: err.Error()}
		}
	}
	if !slices.Contains(cred.KeySizes(), bits) {
		return &UsageError{Option: "Bits", Value: fmt.Sprint(bits), Msg: "use 2048 (Salesforce's recipe), 3072 or 4096"}
	}
	if days < 1 || days > cred.MaxDays {
		return &UsageError{Option: "Days", Value: fmt.Sprint(days), Msg: fmt.Sprintf("use 1 to %d (Salesforce's recipe uses 365)", cred.MaxDays)}
	}
	return pass.Check()
}

// KeyPairOptions say what key and certificate to make and where they go.
type KeyPairOptions struct {
	KeyPath, CertPath string
	CommonName        string
	Days, Bits        int
	Passphrase        Passphrase
	// ForceKey and ForceCert allow replacing an existing file.
	ForceKey, ForceCert bool
	// KeyNever, when set, is why an existing key is never replaced.
	KeyNever *OptionError
	// CertRoot is the directory the certificate is written inside, no
	// link followed below it; empty means the certificate's own folder.
	CertRoot string
	// Now is when the certificate's validity starts (zero: now).
	Now time.Time
}

// KeyPair is a key and certificate made in memory; Write puts them on disk.
type KeyPair struct {
	Options         KeyPairOptions
	Cert            *x509.Certificate
	Encrypted       bool
	keyPEM, certPEM []byte
}

// check refuses, before anything is made, a file that would be replaced
// without leave.
func (o KeyPairOptions) check() error {
	for _, f := range []struct {
		path  string
		force bool
	}{{o.KeyPath, o.ForceKey}, {o.CertPath, o.ForceCert}} {
		fi, err := os.Lstat(f.path)
		switch {
		case errors.Is(err, fs.ErrNotExist) || f.force:
		case err == nil && f.path == o.KeyPath && emptyFile(fi):
			// What a byocpack before 12a left when killed while writing
			// the key: no key at all.
		case errors.Is(err, syscall.ENOTDIR):
			return &OptionError{Msg: fmt.Sprintf("cannot write %s: %s is not a directory", f.path, filepath.Dir(f.path)), Option: "CertDir", Fix: "name a directory (it is created when missing)"}
		case err != nil:
			return fmt.Errorf("cannot write %s (%v); nothing was written", f.path, fserr.Cause(err))
		case f.path == o.KeyPath && o.KeyNever != nil:
			e := *o.KeyNever
			e.Msg = fmt.Sprintf("%s already exists; nothing was written. %s", f.path, e.Msg)
			return &e
		case f.path == o.KeyPath:
			return &OptionError{Msg: fmt.Sprintf("%s already exists; nothing was written. A new key needs a new certificate uploaded to the app", f.path), Option: "Force", Fix: "replace it"}
		default:
			return &OptionError{Msg: fmt.Sprintf("%s already exists; nothing was written", f.path), Option: "Force", Fix: "replace it"}
		}
	}
	return nil
}

// MakeKeyPair refuses what would be replaced without leave, reads the
// passphrase and makes the key and certificate in memory: everything that
// can fail before the first file is written.
func MakeKeyPair(o KeyPairOptions) (*KeyPair, error) {
	if err := o.check(); err != nil {
		return nil, err
	}
	var pass []byte
	if src := o.Passphrase.Source(); src != nil {
		p, err := src()
		if err != nil {
			return nil, err
		}
		pass = p
	}
	key, err := cred.GenerateKey(o.Bits)
	if err != nil {
		return nil, err
	}
	keyPEM, err := cred.EncodeKey(key, pass, 0)
	if err != nil {
		return nil, err
	}
	certPEM, cert, err := cred.SelfSign(key, cred.CertOptions{CommonName: o.CommonName, Days: o.Days, Now: o.Now})
	if err != nil {
		return nil, err
	}
	return &KeyPair{Options: o, keyPEM: keyPEM, certPEM: certPEM, Cert: cert, Encrypted: pass != nil}, nil
}

// Write writes the key first, mode 0600, then the certificate, removing
// the key again if the certificate cannot be written. Each file appears
// whole, with its mode, or not at all: a run killed half way leaves no
// empty key that blocks the next. A temporary key such a run left holds a
// secret, so it is removed first.
func (m *KeyPair) Write() error {
	c := m.Options
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

// DefaultKeyPath is where init's key goes for a certificate directory:
// beside the project directory (the certificate directory's parent), named
// after the prefix so two projects side by side never share one key. An
// empty prefix is read from the project's byoc.yaml.
func DefaultKeyPath(certDir, prefix string) string {
	project := filepath.Dir(filepath.Clean(certDir))
	if prefix == "" {
		prefix = specPrefix(filepath.Join(project, "byoc.yaml"))
	}
	name := "server.key"
	if prefix != "" {
		name = spec.KeyFileName(prefix)
	}
	return filepath.Join(project, "..", name)
}

// specPrefix reads the prefix of the spec at name, "" when there is no
// readable spec or its prefix is not a valid one.
func specPrefix(name string) string {
	data, err := tree.ReadPath(name)
	if err != nil || len(data) > MaxCredentialFile {
		return ""
	}
	var top struct {
		Prefix string `yaml:"prefix"`
	}
	if yaml.Unmarshal(data, &top) != nil || spec.CheckValue("prefix", top.Prefix) != "" || top.Prefix == "" {
		return ""
	}
	return top.Prefix
}
