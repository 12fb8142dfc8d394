package generator

import (
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strings"
	"testing"

	"github.com/byocpack/byocpack/internal/validate"
)

// The public rule IDs are written out (an importer's go doc must not name
// an internal package) and must stay the validator's.
func TestPublicRuleIDsAreTheValidators(t *testing.T) {
	if RuleIO != validate.RuleIO {
		t.Fatalf("RuleIO = %q, validate.RuleIO = %q", RuleIO, validate.RuleIO)
	}
}

// publicPackages are the packages a Go program embedding byocpack imports.
var publicPackages = []string{
	"generator", "generator/problem", "generator/spec", "generator/cred", "generator/oauth",
	"generator/explain", "generator/doctor", "generator/migrate", "generator/review", "generator/diff", "generator/escape",
}

// go doc of every public package names no type, function or value of a
// package under internal/: an importer could not name it.
func TestPublicAPINamesNoInternalPackage(t *testing.T) {
	if testing.Short() {
		t.Skip("runs go doc")
	}
	internalPkgs, err := filepath.Glob("../internal/*")
	if err != nil {
		t.Fatal(err)
	}
	var names []string
	for _, p := range internalPkgs {
		if fi, err := os.Stat(p); err == nil && fi.IsDir() {
			names = append(names, regexp.QuoteMeta(filepath.Base(p)))
		}
	}
	ref := regexp.MustCompile(`\b(` + strings.Join(names, "|") + `)\.[A-Z]\w*`)
	for _, pkg := range publicPackages {
		cmd := exec.Command("go", "doc", "-all", "./"+pkg)
		cmd.Dir = ".."
		out, err := cmd.CombinedOutput()
		if err != nil {
			t.Fatalf("go doc %s: %v\n%s", pkg, err, out)
		}
		for i, line := range strings.Split(string(out), "\n") {
			if m := ref.FindString(line); m != "" {
				t.Errorf("go doc %s, line %d names the internal %s: %s", pkg, i+1, m, strings.TrimSpace(line))
			}
		}
	}
}
