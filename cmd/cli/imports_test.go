package cli

import (
	"go/parser"
	"go/token"
	"io/fs"
	"path/filepath"
	"strconv"
	"strings"
	"testing"
)

// cliMayImport are the internal packages the command line may import, each
// with why: everything else the CLI needs is the public library's
// (generator and its packages), so that the CLI only parses flags and
// prints, and what it does an embedding program can do too.
var cliMayImport = map[string]string{}

// TestCLIImportsOnlyThePublicLibrary fails when a non-test file under cmd/
// imports an internal package cliMayImport does not list. Tests may use
// internal test helpers.
func TestCLIImportsOnlyThePublicLibrary(t *testing.T) {
	const internal = "github.com/byocpack/byocpack/internal/"
	fset := token.NewFileSet()
	seen := 0
	err := filepath.WalkDir("..", func(p string, d fs.DirEntry, err error) error {
		if err != nil || d.IsDir() || !strings.HasSuffix(p, ".go") || strings.HasSuffix(p, "_test.go") {
			return err
		}
		f, err := parser.ParseFile(fset, p, nil, parser.ImportsOnly)
		if err != nil {
			return err
		}
		seen++
		for _, im := range f.Imports {
			ip, _ := strconv.Unquote(im.Path.Value)
			rest, ok := strings.CutPrefix(ip, internal)
			if !ok {
				continue
			}
			if _, allowed := cliMayImport["internal/"+rest]; !allowed {
				t.Errorf("%s imports %s: give the library (generator) what the command needs and call that", fset.Position(im.Pos()), ip)
			}
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	if seen < 10 {
		t.Fatalf("read %d Go files under cmd/; the walk missed the CLI", seen)
	}
}
