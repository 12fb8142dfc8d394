// Command byocpack turns one byoc.yaml into a validated, reproducibly
// zipped Salesforce managed package for a BYOC integration.
package main

import (
	"os"
	"runtime/debug"

	"github.com/byocpack/byocpack/cmd/cli"
)

// version is set at build time with -ldflags "-X main.version=...".
var version = "dev"

func main() {
	tuneGC()
	os.Exit(cli.Main(os.Args[1:], cli.IO{In: os.Stdin, Out: os.Stdout, Err: os.Stderr}, version))
}

// tuneGC lets the heap grow to five times what is live before collecting,
// but never past 256 MiB while collecting can keep it under: a run is
// short and allocates per file what it drops after the file, so the
// default (twice the live heap) collected a quarter of validate's time
// away on a large project. GOGC and GOMEMLIMIT, when set, win.
func tuneGC() {
	if _, ok := os.LookupEnv("GOGC"); !ok {
		debug.SetGCPercent(400)
	}
	if _, ok := os.LookupEnv("GOMEMLIMIT"); !ok {
		debug.SetMemoryLimit(256 << 20)
	}
}
