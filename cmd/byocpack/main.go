// Command byocpack turns one byoc.yaml into a validated, reproducibly
// zipped Salesforce managed package for a BYOC integration.
package main

import (
	"os"

	"byocpack/cmd/cli"
)

// version is set at build time with -ldflags "-X main.version=...".
var version = "dev"

func main() {
	os.Exit(cli.Main(os.Args[1:], cli.IO{In: os.Stdin, Out: os.Stdout, Err: os.Stderr}, version))
}
