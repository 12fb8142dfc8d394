// Command schemagen regenerates schemas/ (the content models byocpack
// checks and formats files with, every metadata type of every WSDL of
// -wsdl and -older in one file, schemas/models/bundled.models) and the
// API-version knowledge base
// (internal/apiver/wsdl_gen.go: the versions byocpack renders and which
// field exists in which version; scopes_gen.go beside it: the OAuth scope
// tokens of each version) from the Salesforce Metadata API WSDLs; `make
// schemas` runs it from the repository root, and fails on any WSDL
// construct the content models do not support:
//
//	go run ./internal/tools/schemagen -wsdl ../shared/salesforce/metadata-wsdl -older ../shared/salesforce/metadata-wsdl-older -out schemas -kb internal/apiver/wsdl_gen.go
//
// The knowledge base comes from -wsdl alone (the versions byocpack renders
// a package for); -older adds content models only.
//
// It is a build-time tool: the generated files are committed and compiled
// in, so nothing reads a WSDL at run time.
package main

import (
	"flag"
	"fmt"
	"io"
	"io/fs"
	"os"
	"path/filepath"

	"github.com/byocpack/byocpack/internal/schemagen"
)

func main() {
	os.Exit(run(os.Args[1:], os.Stdout, os.Stderr))
}

func run(args []string, stdout, stderr io.Writer) int {
	fl := flag.NewFlagSet("schemagen", flag.ContinueOnError)
	fl.SetOutput(stderr)
	wsdlDir := fl.String("wsdl", "", "directory holding metadata-v<api>.wsdl files and LICENSE.txt")
	olderDir := fl.String("older", "", "directory holding older metadata-v<api>.wsdl files and LICENSE.txt, for content models only")
	outDir := fl.String("out", "schemas", "directory to write v<api>/<Type>.xsd into")
	kbFile := fl.String("kb", "internal/apiver/wsdl_gen.go", "Go file to write the supported API versions and field windows to")
	if err := fl.Parse(args); err != nil {
		return 2
	}
	if *wsdlDir == "" || fl.NArg() > 0 {
		fmt.Fprintln(stderr, "usage: schemagen -wsdl DIR [-older DIR] [-out DIR] [-kb FILE]")
		return 2
	}
	res, err := schemagen.Generate(os.DirFS(*wsdlDir), schemagen.DefaultRoots())
	if err != nil {
		fmt.Fprintln(stderr, err)
		return 1
	}
	folders := []fs.FS{os.DirFS(*wsdlDir)}
	if *olderDir != "" {
		folders = append(folders, os.DirFS(*olderDir))
	}
	models, err := schemagen.Models(folders...)
	if err != nil {
		fmt.Fprintln(stderr, err)
		return 1
	}
	res.Models = []schemagen.File{models}
	// The per-type XSDs are not written: the tests that hand them to
	// xmllint and jacoelho/xsd cut them from the WSDLs themselves, and
	// Write removes those an earlier run left.
	if err := schemagen.Write(*outDir, schemagen.Result{Models: res.Models}); err != nil {
		fmt.Fprintln(stderr, "schemagen:", err)
		return 1
	}
	if err := schemagen.WriteKnowledge(*kbFile, res); err != nil {
		fmt.Fprintln(stderr, "schemagen:", err)
		return 1
	}
	// The scope enumeration goes beside the field windows, into the same
	// package.
	if err := schemagen.WriteScopes(filepath.Join(filepath.Dir(*kbFile), "scopes_gen.go"), res); err != nil {
		fmt.Fprintln(stderr, "schemagen:", err)
		return 1
	}
	// Skips are not failures: an older WSDL may predate a type. Saying so
	// keeps a missing schema from looking like a bug later.
	for _, s := range res.Skipped {
		fmt.Fprintln(stderr, s)
	}
	fmt.Fprintf(stdout, "schemagen: wrote the content models (%d bytes) to %s and the knowledge of %d API versions to %s\n", len(models.Data), *outDir, len(res.Versions), *kbFile)
	return 0
}
