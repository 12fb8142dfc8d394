package cli

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"os"
	"path/filepath"
	"strings"
	"time"

	"github.com/goccy/go-yaml"
	"github.com/spf13/cobra"

	"github.com/byocpack/byocpack/generator/spec"
	"github.com/byocpack/byocpack/internal/escape"
	"github.com/byocpack/byocpack/internal/fsutil"
	"github.com/byocpack/byocpack/internal/tree"
)

// InitOptions are the inputs of init.
type InitOptions struct {
	IO          IO
	Output      string
	Prefix      string
	PackageName string
	Namespace   string
	AppType     string
	Email       string
	Customer    bool
	Force       bool
	// Cert makes the key and certificate too; KeyPath is where the key
	// goes (default: beside the project directory, named after the
	// prefix).
	Cert       bool
	KeyPath    string
	CommonName string
	Days, Bits int
	Passphrase passphraseFlags
	Now        time.Time
	JSON       bool
}

// schemaFileName is written beside the spec; the spec's modeline points
// to it.
const schemaFileName = "byoc.schema.json"

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
			if opts.Email == "" {
				opts.Email = placeholderEmail(opts.Prefix)
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
				if err := checkCertFlags(opts.CommonName, opts.Days, opts.Bits, opts.Passphrase); err != nil {
					return err
				}
			} else if opts.KeyPath != "" || opts.Passphrase.given() {
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
	opts.Passphrase.register(cmd.Flags(), "encrypts the key (with --cert)")
	cmd.Flags().BoolVar(&opts.JSON, "json", false, "print what was written and what to run next as JSON (never the key)")
	return cmd
}

// placeholderEmail is the contact email init writes when none is given:
// derived from the prefix, on the reserved .example domain so that it is
// plainly a placeholder (doctor says so until it is replaced).
func placeholderEmail(prefix string) string {
	return "dev@" + strings.ReplaceAll(strings.ToLower(prefix), "_", "-") + ".example"
}

// initValues are the spec values init writes: every one derived from the
// prefix, none a demo partner's.
func initValues(opts *InitOptions) map[string]string {
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

func runInit(opts *InitOptions) error {
	dir := filepath.Dir(opts.Output)
	schemaPath := filepath.Join(dir, schemaFileName)
	files := []struct {
		path string
		data []byte
	}{
		{opts.Output, spec.Skeleton(initValues(opts), opts.Customer, schemaFileName)},
		{schemaPath, spec.JSONSchema()},
	}
	if strings.EqualFold(filepath.Ext(opts.Output), ".json") {
		// JSON has no comments: the same keys and values, indented.
		js, err := yaml.YAMLToJSON(files[0].data)
		if err != nil {
			return fmt.Errorf("write %s as JSON: %w", opts.Output, err)
		}
		var out bytes.Buffer
		if err := json.Indent(&out, js, "", "  "); err != nil {
			return fmt.Errorf("write %s as JSON: %w", opts.Output, err)
		}
		files[0].data = append(out.Bytes(), '\n')
	}
	if !opts.Force {
		for _, f := range files {
			cur, err := tree.ReadPath(f.path)
			switch {
			case err == nil && f.path == schemaPath && string(cur) == string(f.data):
				// The same schema another spec in this folder uses.
			case err == nil:
				return fmt.Errorf("%s already exists; nothing was written. Pass --force to overwrite it, or -o to write elsewhere", f.path)
			case !errors.Is(err, fs.ErrNotExist):
				return err
			}
		}
	}
	certDir := filepath.Join(dir, "certs")
	keyPath := opts.KeyPath
	if keyPath == "" {
		keyPath = filepath.Join(dir, "..", spec.KeyFileName(opts.Prefix))
	}
	creds := credentials{KeyPath: keyPath, CertPath: filepath.Join(certDir, "server.crt"),
		CommonName: opts.CommonName, Days: opts.Days, Bits: opts.Bits, Pass: opts.Passphrase,
		ForceCert: opts.Force,
		KeyNever:  "init never overwrites a key; pass --key to put a new one elsewhere, or run init without --cert and use this key's certificate"}
	creds.CertRoot = dir // certs/ below it: no link followed
	if creds.CommonName == "" {
		creds.CommonName = opts.Prefix + " Interaction Service"
	}
	var pair *made
	if opts.Cert {
		// Everything that can fail, before anything is written.
		m, err := creds.prepare(opts.Now)
		if err != nil {
			return err
		}
		pair = m
	}
	// A Customer channel's partner makes the pair too: each customer's
	// admin uploads its certificate to the app they create.
	if !opts.Customer || opts.Cert {
		if err := os.MkdirAll(certDir, 0o755); err != nil {
			return err
		}
	}
	for _, f := range files {
		// Checked above: absent, the same, or --force. Never through a
		// link, which WriteFile refuses.
		if err := fsutil.WriteFile(dir, filepath.Base(f.path), f.data, 0o644, true); err != nil {
			return err
		}
	}
	out := opts.IO.Out
	if opts.JSON {
		out = io.Discard // the same facts go in the result
	}
	res := initResult{Spec: opts.Output, Schema: schemaPath}
	fmt.Fprintf(out, "wrote %s and %s\n", escape.Line(opts.Output), escape.Line(schemaPath))
	if pair != nil {
		if err := pair.commit(); err != nil {
			return err
		}
		if opts.Customer {
			printMade(out, pair, "")
			fmt.Fprintf(out, "send %s (never the key) with ADMIN-SETUP.md to each customer's admin, who creates the app and sends back its consumer key\n", escape.Line(creds.CertPath))
		} else {
			printMade(out, pair, "certs/server.crt   # already in "+filepath.Base(opts.Output))
		}
		res.Cert = madeResult(pair, "certs/server.crt")
	}
	if opts.Email == placeholderEmail(opts.Prefix) {
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
