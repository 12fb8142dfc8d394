package cli

import (
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"

	"github.com/spf13/cobra"

	"byocpack/generator/spec"
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
it so editors complete and check the spec. Existing files are never
overwritten unless --force is given.`,
		Example: `  byocpack init --prefix Acme --package-name "Acme Messaging" --namespace acme
  byocpack init --prefix Acme --customer -o acme/byoc.yaml`,
		Args: noArgs,
		RunE: func(cmd *cobra.Command, args []string) error {
			if msg := spec.CheckValue("prefix", opts.Prefix); msg != "" {
				msg = "--prefix: " + msg
				return usageErrorf("%s", msg)
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
	cmd.Flags().StringVar(&opts.Email, "email", "dev@partner1.example", "contact email of the app")
	cmd.Flags().BoolVar(&opts.Customer, "customer", false, "connectedAppType Customer: the customer's admin creates the app, the package carries none")
	cmd.Flags().BoolVar(&opts.Force, "force", false, "overwrite existing files")
	return cmd
}

func runInit(opts *InitOptions) error {
	pkgName := opts.PackageName
	if pkgName == "" {
		pkgName = opts.Prefix + " Messaging"
	}
	values := map[string]string{
		"prefix":            opts.Prefix,
		"package.name":      pkgName,
		"package.namespace": opts.Namespace,
		"app.type":          opts.AppType,
		"app.contactEmail":  opts.Email,
		"channel.label":     pkgName,
	}
	if opts.AppType == spec.ConnectedApp {
		values["app.distributionState"] = ""
		values["app.name"] = "ConnectedApp1"
	}
	dir := filepath.Dir(opts.Output)
	schemaPath := filepath.Join(dir, schemaFileName)
	files := []struct {
		path string
		data []byte
	}{
		{opts.Output, spec.Skeleton(values, opts.Customer, schemaFileName)},
		{schemaPath, spec.JSONSchema()},
	}
	if !opts.Force {
		for _, f := range files {
			cur, err := os.ReadFile(f.path)
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
	if !opts.Customer {
		if err := os.MkdirAll(certDir, 0o755); err != nil {
			return err
		}
	}
	for _, f := range files {
		if err := os.WriteFile(f.path, f.data, 0o644); err != nil {
			return err
		}
	}
	fmt.Fprintf(opts.IO.Out, "wrote %s and %s\n", opts.Output, schemaPath)
	if !opts.Customer {
		fmt.Fprintf(opts.IO.Out, "next: make the app's certificate (keep server.key out of the project and out of git):\n")
		fmt.Fprintf(opts.IO.Out, "  openssl req -x509 -sha256 -nodes -days 365 -newkey rsa:2048 -keyout %s -out %s\n", filepath.Join(dir, "..", "server.key"), filepath.Join(certDir, "server.crt"))
		fmt.Fprintln(opts.IO.Out, "then run")
	} else {
		fmt.Fprintln(opts.IO.Out, "next: run")
	}
	fmt.Fprintf(opts.IO.Out, "  byocpack build -f %s -o %s\n", opts.Output, filepath.Join(dir, "out"))
	return nil
}
