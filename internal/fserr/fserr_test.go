package fserr

import (
	"os"
	"path/filepath"
	"testing"
)

func TestCauseKeepsOnlyTheReason(t *testing.T) {
	dir := t.TempDir()
	_, err := os.ReadFile(filepath.Join(dir, "missing"))
	if got := Cause(err).Error(); got != "no such file or directory" {
		t.Errorf("path error: %q", got)
	}
	err = os.Rename(filepath.Join(dir, "a"), filepath.Join(dir, "b"))
	if got := Cause(err).Error(); got != "no such file or directory" {
		t.Errorf("link error: %q", got)
	}
}
