package generator

import (
	"context"
	"path/filepath"
	"strings"
	"testing"
)

// TestPackageOutputInsideAPackageDirectoryIgnoresLetterCase: on macOS and
// Windows Force-App/dist is inside force-app, so the zips would be
// packaged into the next version (issue 16 row 18's case-folding, for
// package -o).
func TestPackageOutputInsideAPackageDirectoryIgnoresLetterCase(t *testing.T) {
	out := filepath.Join(t.TempDir(), "out")
	if _, err := buildFixture(t, out, nil); err != nil {
		t.Fatal(err)
	}
	_, err := Package(context.Background(), PackageOptions{ProjectDir: out, DistDir: filepath.Join(out, "Force-App", "dist"), DryRun: true, Now: testNow})
	if err == nil || !strings.Contains(err.Error(), `is inside the package directory "force-app"`) {
		t.Fatalf("got %v", err)
	}
}
