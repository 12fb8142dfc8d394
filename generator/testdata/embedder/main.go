// Command embedder is a release tool of a partner's own that builds its
// BYOC package with byocpack's library, then validates a tree and reports
// each problem by severity: what a Go program embedding byocpack does.
package main

import (
	"context"
	"errors"
	"fmt"
	"os"
	"path/filepath"

	"github.com/byocpack/byocpack/generator"
)

func main() {
	if len(os.Args) != 4 {
		fmt.Fprintln(os.Stderr, "usage: embedder SPEC OUT VALIDATE-TARGET")
		os.Exit(2)
	}
	specPath, out, target := os.Args[1], os.Args[2], os.Args[3]
	ctx := context.Background()

	res, err := generator.Build(ctx, generator.BuildOptions{Render: generator.RenderOptions{
		SpecFS:   os.DirFS(filepath.Dir(specPath)),
		SpecPath: filepath.Base(specPath),
		OutDir:   out,
	}})
	var refused generator.ProblemList
	switch {
	case errors.As(err, &refused):
		report("build refused", refused)
		os.Exit(1)
	case err != nil:
		fmt.Fprintln(os.Stderr, "build:", err)
		os.Exit(1)
	}
	for _, a := range res.Package.Artifacts {
		fmt.Printf("built %s %s\n", a.Name, a.SHA256)
	}

	v, err := generator.Validate(ctx, generator.ValidateOptions{Targets: []string{target}})
	if err != nil {
		fmt.Fprintln(os.Stderr, "validate:", err)
		os.Exit(1)
	}
	report("validate", v.Problems)
}

func report(what string, ps []generator.Problem) {
	var errs, warnings, infos int
	for _, p := range ps {
		switch p.Severity {
		case generator.SeverityError:
			errs++
		case generator.SeverityWarning:
			warnings++
		case generator.SeverityInfo:
			infos++
		}
		fmt.Printf("%s %s %s:%d:%d\n", p.Severity, p.Rule, filepath.Base(p.File), p.Line, p.Column)
	}
	fmt.Printf("%s: %d errors, %d warnings, %d infos\n", what, errs, warnings, infos)
}
