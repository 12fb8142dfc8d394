package generator_test

import (
	"context"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"strings"

	"github.com/byocpack/byocpack/generator"
)

// fixture is the bundled partner1 spec with its certificate.
func fixture() generator.RenderOptions {
	return generator.RenderOptions{
		SpecFS:      os.DirFS("../fixtures/partner1"),
		SpecPath:    "byoc.yaml",
		SpecDisplay: "fixtures/partner1/byoc.yaml",
	}
}

// Build renders the spec, validates the whole tree and writes the project
// and its zips in one step.
func ExampleBuild() {
	out, _ := os.MkdirTemp("", "example")
	defer os.RemoveAll(out)

	opts := fixture()
	opts.OutDir = filepath.Join(out, "partner1")
	res, err := generator.Build(context.Background(), generator.BuildOptions{Render: opts})
	if err != nil {
		fmt.Println(err)
		return
	}
	fmt.Println(len(res.Render.Changes.Written), "files written,", res.Package.Components, "components packaged")
	for _, a := range res.Package.Artifacts {
		fmt.Println(a.Name, a.SHA256[:12])
	}
	// Output:
	// 15 files written, 7 components packaged
	// package.zip 8a8fa9e561e2
	// package-version-info.zip eb2a6039f1ec
}

// A render that would overwrite a file byocpack did not write returns a
// ConflictError and writes nothing.
func ExampleRender_conflict() {
	out, _ := os.MkdirTemp("", "example")
	defer os.RemoveAll(out)
	eca := filepath.Join(out, "force-app/main/default/externalClientApps/Partner1_ExternalClientApp1.eca-meta.xml")
	_ = os.MkdirAll(filepath.Dir(eca), 0o755)
	_ = os.WriteFile(eca, []byte("<mine/>\n"), 0o644)

	opts := fixture()
	opts.OutDir = out
	_, err := generator.Render(context.Background(), opts)
	var conflict *generator.ConflictError
	if errors.As(err, &conflict) {
		for _, c := range conflict.Conflicts {
			fmt.Println(strings.TrimPrefix(c, "force-app/main/default/"))
		}
	}
	// Output:
	// externalClientApps/Partner1_ExternalClientApp1.eca-meta.xml (exists and was not written by byocpack)
}

// A spec with a mistake comes back as a ProblemList: each problem names the
// file, line, column and key, and says how to fix it.
func ExampleRender_problems() {
	spec := "prefix: Acme\npackage:\n  nmae: Acme Messaging\n"
	dir, _ := os.MkdirTemp("", "example")
	defer os.RemoveAll(dir)
	_ = os.WriteFile(filepath.Join(dir, "byoc.yaml"), []byte(spec), 0o644)

	_, err := generator.Render(context.Background(), generator.RenderOptions{
		SpecFS: os.DirFS(dir), SpecPath: "byoc.yaml", SpecDisplay: "byoc.yaml", OutDir: filepath.Join(dir, "out"),
	})
	var problems generator.ProblemList
	if errors.As(err, &problems) {
		for _, p := range problems {
			if p.Line == 3 {
				fmt.Printf("%s:%d:%d %s %s: %s\n", p.File, p.Line, p.Column, p.Severity, p.Rule, p.Message)
			}
		}
	}
	_, statErr := os.Stat(filepath.Join(dir, "out"))
	fmt.Println("output directory created:", statErr == nil)
	// Output:
	// byoc.yaml:3:3 error spec: package.name: missing required key; add name: Partner1 Messaging (2GP package name, written to sfdx-project.json)
	// byoc.yaml:3:3 error spec: package.nmae: unknown key (did you mean "name"?); valid keys under package are name, namespace, path, sourceOrgPath, versionNumber, versionName, versionDescription, apiVersion, definitionFile
	// output directory created: false
}

// Validate checks a project on disk the way render checks what it writes.
func ExampleValidate() {
	res, err := generator.Validate(context.Background(), generator.ValidateOptions{Targets: []string{"../fixtures/partner1/golden"}})
	if err != nil {
		fmt.Println(err)
		return
	}
	errs, warnings := generator.Count(res.Problems)
	fmt.Println(res.Files, "files,", errs, "errors,", warnings, "warnings")
	// Output:
	// 10 files, 0 errors, 0 warnings
}
