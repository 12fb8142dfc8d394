package generator

import (
	"context"
	"fmt"
	"os"
	"path"
	"testing"

	"byocpack/generator/render"
	"byocpack/generator/spec"
	"byocpack/generator/validate"
	"byocpack/internal/xsdcheck"
	"byocpack/schemas"
)

// tenThousandFiles renders the partner1 fixture and copies its metadata
// files under numbered directories until there are n of them: a tree the
// size of a large org's retrieve.
func tenThousandFiles(b *testing.B, n int) validate.Input {
	b.Helper()
	s, err := spec.Load(os.DirFS("../fixtures/partner1"), "byoc.yaml", "")
	if err != nil {
		b.Fatal(err)
	}
	r, err := render.New()
	if err != nil {
		b.Fatal(err)
	}
	files, err := r.Render(s, nil, nil)
	if err != nil {
		b.Fatal(err)
	}
	in := validate.Input{APIVersion: s.Package.APIVersion, Now: testNow, Project: true}
	for i := 0; len(in.Files) < n; i++ {
		for _, f := range files {
			if f.Type == "" || len(in.Files) == n {
				continue
			}
			in.Files = append(in.Files, validate.File{
				Path: path.Join(fmt.Sprintf("copy%05d", i), f.Path), Type: f.Type, Data: f.Data, InPackage: f.InPackage,
			})
		}
	}
	return in
}

// BenchmarkValidate10000 validates 10,000 rendered files against the
// content models and every BYOC rule, as `byocpack validate` does. Goal:
// under 2 s per op on 2 cores. Run with
// go test -run '^$' -bench Validate10000 -benchtime 3x ./generator/
func BenchmarkValidate10000(b *testing.B) {
	in := tenThousandFiles(b, 10000)
	b.ResetTimer()
	for b.Loop() {
		checker := xsdcheck.New(schemas.Bundled())
		problems, err := validate.Run(context.Background(), in, validate.Options{Schema: checker})
		if err != nil {
			b.Fatal(err)
		}
		if len(problems) != 0 {
			// Copies share names, so cross-file rules may see duplicates;
			// schema and per-file problems would mean a broken renderer.
			for _, p := range problems {
				if p.Rule == xsdcheck.RuleSchema || p.Rule == xsdcheck.RuleOrder {
					b.Fatalf("unexpected schema problem: %v", p)
				}
			}
		}
	}
}
