package convert

import (
	"os"
	"path/filepath"
	"testing"

	"github.com/byocpack/byocpack/internal/sfdx"
)

// TestCorpusConvertSource compares every package directory of every
// project under BYOCPACK_CORPUS (public Salesforce DX projects fetched by
// hand, never committed; docs/realworld.md lists them) with what the real
// CLI writes for it. Skipped unless both BYOCPACK_CORPUS and BYOCPACK_SF
// are set.
func TestCorpusConvertSource(t *testing.T) {
	root := os.Getenv("BYOCPACK_CORPUS")
	if root == "" {
		t.Skip("BYOCPACK_CORPUS is unset: point it at a folder of Salesforce DX projects (see docs/realworld.md)")
	}
	sf := oracleSF(t)
	projects, err := filepath.Glob(filepath.Join(root, "*", sfdx.ProjectFile))
	if err != nil || len(projects) == 0 {
		t.Fatalf("no projects under %s (%v)", root, err)
	}
	for _, pf := range projects {
		dir := filepath.Dir(pf)
		proj, err := sfdx.Load(dir)
		if err != nil {
			t.Errorf("%s: %v", dir, err)
			continue
		}
		for i := range proj.PackageDirectories {
			pd := &proj.PackageDirectories[i]
			t.Run(filepath.Base(dir)+"/"+pd.Path, func(t *testing.T) {
				theirs := convertBoth(t, sf, proj, pd, false)
				t.Logf("%d files matched", len(theirs))
			})
		}
	}
}
