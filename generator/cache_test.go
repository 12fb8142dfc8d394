package generator

import (
	"context"
	"os"
	"path/filepath"
	"testing"
)

// unreadableCaches are user cache folders byocpack cannot read: the run
// must not fail, nor report a schema problem, for them.
func unreadableCaches(t *testing.T) map[string]func(t *testing.T) {
	return map[string]func(t *testing.T){
		"XDG_CACHE_HOME is a file": func(t *testing.T) {
			f := filepath.Join(t.TempDir(), "cache")
			if err := os.WriteFile(f, []byte("x"), 0o644); err != nil {
				t.Fatal(err)
			}
			t.Setenv("XDG_CACHE_HOME", f)
		},
		"HOME cannot be read": func(t *testing.T) {
			// A link loop cannot be read even by root, for whom a mode
			// 0 folder would be readable.
			home := t.TempDir()
			if err := os.Symlink(".cache", filepath.Join(home, ".cache")); err != nil {
				t.Fatal(err)
			}
			t.Setenv("XDG_CACHE_HOME", "")
			t.Setenv("HOME", home)
		},
	}
}

func TestUnreadableCacheFailsNothing(t *testing.T) {
	dir := filepath.Join(t.TempDir(), "p")
	renderFixture(t, "partner1", dir)
	for name, setup := range unreadableCaches(t) {
		t.Run(name, func(t *testing.T) {
			setup(t)
			res, err := Validate(context.Background(), ValidateOptions{Targets: []string{dir}, Now: testNow})
			if err != nil {
				t.Fatal(err)
			}
			if len(res.Problems) > 0 {
				t.Fatalf("validate: %v", ProblemList(res.Problems))
			}
			if _, err := buildFixture(t, filepath.Join(t.TempDir(), "out"), nil); err != nil {
				t.Fatalf("build: %v", err)
			}
		})
	}
}
