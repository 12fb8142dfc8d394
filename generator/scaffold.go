package generator

import (
	"bytes"
	"crypto/x509"
	"encoding/json"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path"
	"path/filepath"
	"strings"
	"time"

	"github.com/goccy/go-yaml"

	"github.com/byocpack/byocpack/generator/cred"
	"github.com/byocpack/byocpack/generator/spec"
	"github.com/byocpack/byocpack/internal/diag"
	"github.com/byocpack/byocpack/internal/fsutil"
	"github.com/byocpack/byocpack/internal/tree"
)

// SchemaFileName is the spec's JSON schema, written beside the spec by
// Init and by migrate.Write; the spec's modeline points to it.
const SchemaFileName = "byoc.schema.json"

// SpecFile is a file written with a spec, in the spec's folder or below
// it: the spec itself, its schema, a certificate.
type SpecFile struct {
	Path string
	Data []byte
	// SameOK: an existing file with the same bytes is no conflict (the
	// schema or certificate another spec in the folder uses).
	SameOK bool
}

// checkSpecFiles refuses, before anything is written, a file that exists
// (with other bytes, where the same bytes are fine) unless force.
func checkSpecFiles(files []SpecFile, force bool) error {
	if force {
		return nil
	}
	for _, f := range files {
		cur, err := tree.ReadPath(f.Path)
		switch {
		case errors.Is(err, fs.ErrNotExist) || (err == nil && f.SameOK && bytes.Equal(cur, f.Data)):
		case err != nil:
			return err
		default:
			return &OptionError{Msg: fmt.Sprintf("%s already exists; nothing was written", f.Path), Option: "Force", Fix: "overwrite it, or write the spec elsewhere"}
		}
	}
	return nil
}

// WriteSpecFiles writes files inside dir (the spec's folder), each
// atomically and never through a link; unless force, nothing is written
// when any file exists with other bytes (an *OptionError naming Force).
func WriteSpecFiles(dir string, files []SpecFile, force bool) error {
	if err := checkSpecFiles(files, force); err != nil {
		return err
	}
	return writeSpecFiles(dir, files)
}

func writeSpecFiles(dir string, files []SpecFile) error {
	for _, f := range files {
		rel, err := filepath.Rel(dir, f.Path)
		if err != nil {
			return err
		}
		if err := fsutil.WriteFile(dir, filepath.ToSlash(rel), f.Data, 0o644, true); err != nil {
			return err
		}
	}
	return nil
}

// InitOptions say what spec Init writes. Every default is derived from
// Prefix.
type InitOptions struct {
	// Output is where the spec goes; a .json name writes JSON.
	Output      string
	Prefix      string
	PackageName string
	Namespace   string
	AppType     string
	// Email is the app's contact email (default PlaceholderEmail).
	Email    string
	Customer bool
	// Force overwrites the spec and the certificate, never a key.
	Force bool
	// Cert makes the key and certificate too: the certificate in certs/
	// beside the spec, the key at KeyPath (default: beside the project
	// directory, named after the prefix).
	Cert       bool
	KeyPath    string
	CommonName string
	Days, Bits int
	Passphrase Passphrase
	Now        time.Time
}

// InitResult is what Init wrote.
type InitResult struct {
	Spec, Schema string
	// CertDir and KeyPath are where the certificate and key go (made
	// only with Cert).
	CertDir, KeyPath string
	// Pair is the key and certificate written, nil without Cert.
	Pair *KeyPair
}

// PlaceholderEmail is the contact email Init writes when none is given:
// derived from the prefix, on the reserved .example domain so that it is
// plainly a placeholder (doctor says so until it is replaced).
func PlaceholderEmail(prefix string) string {
	return "dev@" + strings.ReplaceAll(strings.ToLower(prefix), "_", "-") + ".example"
}

// initValues are the spec values Init writes: every one derived from the
// prefix, none a demo partner's.
func initValues(opts InitOptions) map[string]string {
	p := opts.Prefix
	pkgName := opts.PackageName
	if pkgName == "" {
		pkgName = p + " Messaging"
	}
	values := map[string]string{
		"prefix":               p,
		"package.name":         pkgName,
		"package.namespace":    opts.Namespace,
		"app.type":             opts.AppType,
		"app.contactEmail":     opts.Email,
		"app.description":      p + " Interaction Service integration",
		"channel.label":        pkgName,
		"channel.vendor.label": p,
	}
	// The vendor record's developerName carries no prefix of its own:
	// name it after the partner so that two partners' packages never
	// clash on Vendor1.
	if vendor := p + "_Vendor"; spec.CheckAPIName("vendor", vendor) == "" {
		values["channel.vendor.name"] = vendor
	}
	if opts.AppType == spec.ConnectedApp {
		values["app.distributionState"] = ""
		values["app.name"] = "ConnectedApp1"
		// The connected app's procedure recommends its own callback URL.
		values["app.callbackUrl"] = spec.DefaultCallbackURLFor(spec.ConnectedApp)
	}
	return values
}

// Init writes a commented spec, every key described, and its JSON schema
// beside it; with Cert also the key and certificate. Everything that can
// fail (an existing file, the passphrase, making the key) fails before
// the first file is written.
func Init(opts InitOptions) (*InitResult, error) {
	if opts.Email == "" {
		opts.Email = PlaceholderEmail(opts.Prefix)
	}
	dir := filepath.Dir(opts.Output)
	res := &InitResult{Spec: opts.Output, Schema: filepath.Join(dir, SchemaFileName), CertDir: filepath.Join(dir, "certs"), KeyPath: opts.KeyPath}
	files := []SpecFile{
		{opts.Output, spec.Skeleton(initValues(opts), opts.Customer, SchemaFileName), false},
		{res.Schema, spec.JSONSchema(), true},
	}
	if strings.EqualFold(filepath.Ext(opts.Output), ".json") {
		// JSON has no comments: the same keys and values, indented.
		js, err := yaml.YAMLToJSON(files[0].Data)
		if err != nil {
			return nil, fmt.Errorf("write %s as JSON: %w", opts.Output, err)
		}
		var out bytes.Buffer
		if err := json.Indent(&out, js, "", "  "); err != nil {
			return nil, fmt.Errorf("write %s as JSON: %w", opts.Output, err)
		}
		files[0].Data = append(out.Bytes(), '\n')
	}
	if err := checkSpecFiles(files, opts.Force); err != nil {
		return nil, err
	}
	if res.KeyPath == "" {
		res.KeyPath = filepath.Join(dir, "..", spec.KeyFileName(opts.Prefix))
	}
	if opts.Cert {
		cn := opts.CommonName
		if cn == "" {
			cn = opts.Prefix + " Interaction Service"
		}
		// Everything that can fail, before anything is written.
		pair, err := MakeKeyPair(KeyPairOptions{KeyPath: res.KeyPath, CertPath: filepath.Join(res.CertDir, "server.crt"),
			CommonName: cn, Days: opts.Days, Bits: opts.Bits, Passphrase: opts.Passphrase, ForceCert: opts.Force,
			KeyNever: &OptionError{Msg: "Init never overwrites a key; to keep this key, make no new pair and use its certificate", Option: "KeyPath", Fix: "put a new one elsewhere"},
			CertRoot: dir, // certs/ below it: no link followed
			Now:      opts.Now})
		if err != nil {
			return nil, err
		}
		res.Pair = pair
	}
	// A Customer channel's partner makes the pair too: each customer's
	// admin uploads its certificate to the app they create.
	if !opts.Customer || opts.Cert {
		if err := os.MkdirAll(res.CertDir, 0o755); err != nil {
			return nil, err
		}
	}
	if err := writeSpecFiles(dir, files); err != nil {
		return nil, err
	}
	if res.Pair != nil {
		if err := res.Pair.Write(); err != nil {
			return nil, err
		}
	}
	return res, nil
}

// RotateOptions say which spec's certificate RotateCertificate rotates.
type RotateOptions struct {
	// Spec is the spec whose app.certificate is switched.
	Spec string
	// KeyPath is the current key; the next is written beside it (default
	// beside the spec's directory, where Init puts it).
	KeyPath    string
	CommonName string // default: the current certificate's
	Days, Bits int
	Passphrase Passphrase
	Now        time.Time
}

// RotateResult is what RotateCertificate wrote.
type RotateResult struct {
	Pair *KeyPair
	// Current is the certificate the spec named before.
	Current *x509.Certificate
	// From and To are app.certificate's old and new values.
	From, To string
}

// RotateCertificate makes the next key and certificate beside the current
// ones (server-2.crt beside server.crt) and points the spec's
// app.certificate at it, the line edited in place. Nothing is
// overwritten; a spec that cannot be written takes the new files back.
func RotateCertificate(opts RotateOptions) (*RotateResult, error) {
	specPath := opts.Spec
	fi, err := os.Lstat(specPath)
	switch {
	case err != nil:
		return nil, &OptionError{Msg: err.Error(), Option: "Spec", Fix: "name the spec"}
	case !fi.Mode().IsRegular():
		return nil, fmt.Errorf("%s is not a regular file (a symlink, say); byocpack edits only the spec itself", specPath)
	}
	data, err := ReadCredentialFile(specPath)
	if err != nil {
		return nil, err
	}
	specDir := filepath.Dir(specPath)
	s, err := spec.Load(tree.DirFS(specDir, tree.MaxInputFile), filepath.Base(specPath), specPath)
	var list diag.List
	if errors.As(err, &list) {
		return nil, fmt.Errorf("%s has problems; fix them first:\n%s", specPath, list.Error())
	} else if err != nil {
		return nil, err
	}
	if s.App == nil || s.App.CertificatePath == "" {
		return nil, fmt.Errorf("%s has no app.certificate to rotate (a Customer channel's app is the customer's)", specPath)
	}
	if filepath.IsAbs(s.App.CertificatePath) || path.IsAbs(s.App.CertificatePath) {
		// Rotation writes beside the spec and nowhere else.
		return nil, fmt.Errorf("%s: app.certificate %s is an absolute path, and cert rotate writes only inside the spec's directory; make the next pair with byocpack cert --out DIR --key FILE where it belongs and point app.certificate at it", specPath, s.App.CertificatePath)
	}
	certPath := filepath.Join(specDir, filepath.FromSlash(s.App.CertificatePath))
	current, err := cred.ParseCertificate([]byte(s.App.CertificatePEM))
	if err != nil {
		return nil, fmt.Errorf("%s: %w", certPath, err)
	}
	keyPath := opts.KeyPath
	if keyPath == "" {
		keyPath = filepath.Join(specDir, "..", spec.KeyFileFor(s.Prefix, s.App.CertificatePath))
	}
	nextCert, nextKey, err := nextPair(certPath, keyPath)
	if err != nil {
		return nil, err
	}
	cn := opts.CommonName
	if cn == "" {
		cn = current.Subject.CommonName
	}
	// CertRoot: the new certificate goes inside the spec's directory, no
	// link followed below it (a certs folder that links elsewhere).
	pair, err := MakeKeyPair(KeyPairOptions{KeyPath: nextKey, CertPath: nextCert, CertRoot: specDir, CommonName: cn, Days: opts.Days, Bits: opts.Bits, Passphrase: opts.Passphrase, Now: opts.Now})
	if err != nil {
		return nil, err
	}
	value := SpecRelative(specDir, nextCert)
	edited, err := spec.SetCertificatePath(data, value)
	if err != nil {
		return nil, fmt.Errorf("%s: %w", specPath, err)
	}
	// Everything is ready: write the key, the certificate, then the spec,
	// and take the new files back if the spec cannot be written.
	if err := pair.Write(); err != nil {
		return nil, err
	}
	if err := fsutil.WriteFile(specDir, filepath.Base(specPath), edited, fi.Mode().Perm(), true); err != nil {
		_ = os.Remove(nextKey)
		_ = os.Remove(nextCert)
		return nil, fmt.Errorf("writing %s: %w; the new key and certificate were removed again", specPath, err)
	}
	return &RotateResult{Pair: pair, Current: current, From: s.App.CertificatePath, To: value}, nil
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

// SpecRelative is how a spec in specDir names file: relative to specDir,
// with forward slashes.
func SpecRelative(specDir, file string) string {
	absDir, err1 := filepath.Abs(specDir)
	absPath, err2 := filepath.Abs(file)
	if err1 == nil && err2 == nil {
		if rel, err := filepath.Rel(absDir, absPath); err == nil {
			return filepath.ToSlash(rel)
		}
	}
	return filepath.ToSlash(file)
}
