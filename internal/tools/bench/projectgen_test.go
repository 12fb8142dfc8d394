package main

import (
	"context"
	"io/fs"
	"path/filepath"
	"strings"
	"testing"

	"github.com/byocpack/byocpack/generator"
)

// The generated project has the number of files asked for, of every
// layout, and package accepts it: validation finds nothing to refuse.
func TestGenProjectPackages(t *testing.T) {
	dir := filepath.Join(t.TempDir(), "gen") // genProject makes it
	const n = 100                            // two full rounds and a cut one
	if err := genProject(dir, n); err != nil {
		t.Fatal(err)
	}
	count := 0
	suffixes := map[string]bool{}
	err := filepath.WalkDir(filepath.Join(dir, "force-app"), func(p string, d fs.DirEntry, err error) error {
		if err == nil && !d.IsDir() {
			count++
			for _, s := range []string{".cls", ".js", ".html", ".css", ".resource-meta.xml", ".object-meta.xml", ".field-meta.xml", ".labels-meta.xml"} {
				if strings.HasSuffix(p, s) {
					suffixes[s] = true
				}
			}
		}
		return err
	})
	if err != nil {
		t.Fatal(err)
	}
	if count != n || len(suffixes) != 8 {
		t.Fatalf("%d files of %d layouts, want %d of 8: %v", count, len(suffixes), n, suffixes)
	}
	epoch := int64(1700000000)
	res, err := generator.Package(context.Background(), generator.PackageOptions{ProjectDir: dir, DistDir: t.TempDir(), DryRun: true, SourceDateEpoch: &epoch})
	if err != nil {
		t.Fatal(err)
	}
	for _, p := range res.Problems {
		t.Errorf("%v", p)
	}
}
