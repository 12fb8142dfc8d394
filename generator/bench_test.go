package generator

import (
	"context"
	"fmt"
	"io/fs"
	"os"
	"path"
	"testing"

	"github.com/byocpack/byocpack/generator/spec"
	"github.com/byocpack/byocpack/internal/render"
	"github.com/byocpack/byocpack/internal/validate"
	"github.com/byocpack/byocpack/internal/xsdcheck"
	"github.com/byocpack/byocpack/schemas"
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

// BenchmarkBuildPartner1 is byocpack build of fixtures/partner1 in
// process, into a fresh directory each time: spec, render, validate,
// convert, zip and the journalled write. make bench runs the same as a
// whole process beside sf and the write floor (internal/tools/bench).
func BenchmarkBuildPartner1(b *testing.B) {
	epoch := int64(1700000000)
	dir := b.TempDir()
	for i := 0; b.Loop(); i++ {
		out := path.Join(dir, fmt.Sprint(i))
		if _, err := Build(context.Background(), BuildOptions{Render: RenderOptions{SpecFS: os.DirFS("../fixtures/partner1"), SpecPath: "byoc.yaml", OutDir: out, Now: testNow}, SourceDateEpoch: &epoch}); err != nil {
			b.Fatal(err)
		}
	}
}

// BenchmarkWriteFloor is the floor BenchmarkBuildPartner1 is held
// against: read the spec and its certificate, write the files build
// writes (taken from one build), no fsync.
func BenchmarkWriteFloor(b *testing.B) {
	epoch := int64(1700000000)
	ref := path.Join(b.TempDir(), "ref")
	if _, err := Build(context.Background(), BuildOptions{Render: RenderOptions{SpecFS: os.DirFS("../fixtures/partner1"), SpecPath: "byoc.yaml", OutDir: ref, Now: testNow}, SourceDateEpoch: &epoch}); err != nil {
		b.Fatal(err)
	}
	files := map[string][]byte{}
	if err := fs.WalkDir(os.DirFS(ref), ".", func(p string, d fs.DirEntry, err error) error {
		if err == nil && !d.IsDir() {
			files[p], err = os.ReadFile(path.Join(ref, p))
		}
		return err
	}); err != nil {
		b.Fatal(err)
	}
	dir := b.TempDir()
	for i := 0; b.Loop(); i++ {
		for _, p := range []string{"../fixtures/partner1/byoc.yaml", "../fixtures/partner1/certs/server.crt"} {
			if _, err := os.ReadFile(p); err != nil {
				b.Fatal(err)
			}
		}
		out := path.Join(dir, fmt.Sprint(i))
		for p, data := range files {
			full := path.Join(out, p)
			if err := os.MkdirAll(path.Dir(full), 0o755); err != nil {
				b.Fatal(err)
			}
			if err := os.WriteFile(full, data, 0o644); err != nil {
				b.Fatal(err)
			}
		}
	}
}

// BenchmarkPackageProject packages the project in $BYOCPACK_BENCH_PROJECT
// (a copy of trailheadapps/lwc-recipes, or internal/tools/bench's
// generated one, say) in dry-run mode: validate, the secrets gates,
// convert and both zips, nothing written. Skipped when unset. Profile
// with go test -run '^$' -bench PackageProject -cpuprofile cpu.out ./generator/
func BenchmarkPackageProject(b *testing.B) {
	dir := os.Getenv("BYOCPACK_BENCH_PROJECT")
	if dir == "" {
		b.Skip("BYOCPACK_BENCH_PROJECT is not set")
	}
	epoch := int64(1700000000)
	for b.Loop() {
		if _, err := Package(context.Background(), PackageOptions{ProjectDir: dir, DistDir: b.TempDir(), DryRun: true, SourceDateEpoch: &epoch, Now: testNow}); err != nil {
			b.Fatal(err)
		}
	}
}
