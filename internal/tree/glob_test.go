package tree

import (
	"context"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

func TestGlob(t *testing.T) {
	root := t.TempDir()
	deep := root
	for range GlobMaxDepth + 1 {
		deep = filepath.Join(deep, "d")
	}
	if err := os.MkdirAll(deep, 0o755); err != nil {
		t.Fatal(err)
	}
	for _, f := range []string{filepath.Join(root, "a.xml"), filepath.Join(root, "d", "b.xml"), filepath.Join(deep, "c.xml")} {
		os.WriteFile(f, nil, 0o644)
	}
	os.Symlink(filepath.Join(root, "d"), filepath.Join(root, "link"))
	os.Symlink(filepath.Join(root, "a.xml"), filepath.Join(root, "file-link.xml"))
	ctx := context.Background()
	// A fixed depth walks no deeper; links to files are listed, to
	// folders not followed.
	got, err := Glob(ctx, filepath.Join(root, "*", "*.xml"))
	if err != nil || len(got) != 1 || got[0] != filepath.Join(root, "d", "b.xml") {
		t.Errorf("*/*.xml: %v, %v", got, err)
	}
	got, err = Glob(ctx, filepath.Join(root, "*.xml"))
	if err != nil || strings.Join(got, " ") != filepath.Join(root, "a.xml")+" "+filepath.Join(root, "file-link.xml") {
		t.Errorf("*.xml: %v, %v", got, err)
	}
	// ** past the depth bound is an error naming the pattern.
	if _, err := Glob(ctx, filepath.Join(root, "**", "*.xml")); err == nil || !strings.Contains(err.Error(), "nests more than 64 levels") {
		t.Errorf("**: %v", err)
	}
	// A fixed part that is a file or missing matches nothing.
	for _, p := range []string{filepath.Join(root, "a.xml", "*"), filepath.Join(root, "none", "*")} {
		if got, err := Glob(ctx, p); err != nil || len(got) != 0 {
			t.Errorf("%s: %v, %v", p, got, err)
		}
	}
}
