package generator

import (
	"context"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/byocpack/byocpack/internal/apiver"
	"github.com/byocpack/byocpack/internal/model"
	"github.com/byocpack/byocpack/schemas"
)

// TestImportRefusesAnAbsurdVersion is the regression test of issue 16
// row 18: schemas import took a WSDL naming API version 1000.0. A version
// is accepted from the oldest bundled (47.0) to six past the newest.
func TestImportRefusesAnAbsurdVersion(t *testing.T) {
	t.Setenv("XDG_CACHE_HOME", t.TempDir())
	m66, err := schemas.Bundled().Get("66.0")
	if err != nil {
		t.Fatal(err)
	}
	dir := filepath.Join(t.TempDir(), "p")
	renderFixture(t, "partner1", dir)
	ahead := apiver.Latest()
	for range importAhead {
		ahead = ahead.Next()
	}
	for version, want := range map[string]string{
		"1000.0":              "more than 6 versions past",
		ahead.Next().String(): "more than 6 versions past",
		"46.0":                "older than 47.0",
		ahead.String():        "",
	} {
		wsdl := filepath.Join(t.TempDir(), "metadata.wsdl")
		if err := os.WriteFile(wsdl, wsdlOf(m66, version, nil), 0o644); err != nil {
			t.Fatal(err)
		}
		_, err := ImportSchemas(context.Background(), ImportOptions{WSDL: wsdl, ProjectDir: dir})
		if want == "" {
			if err != nil {
				t.Errorf("%s: %v", version, err)
			}
			continue
		}
		if err == nil || !strings.Contains(err.Error(), want) {
			t.Errorf("%s: got %v, want %q", version, err, want)
		}
		if _, err := os.Stat(filepath.Join(dir, model.ProjectDir, model.FileName(version))); err == nil {
			t.Errorf("%s: the refused import wrote its file", version)
		}
	}
}
