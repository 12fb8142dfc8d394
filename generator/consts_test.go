package generator

import (
	"testing"

	"github.com/byocpack/byocpack/internal/sfdx"
	"github.com/byocpack/byocpack/internal/tree"
)

// The public constants repeat internal ones as literals, so that go doc
// names no internal package; they must not drift apart.
func TestPublicConstantsMatchTheInternalOnes(t *testing.T) {
	if MaxFileSize != tree.MaxFileSize || ProjectFile != sfdx.ProjectFile {
		t.Errorf("MaxFileSize %d, ProjectFile %q; internal: %d, %q", MaxFileSize, ProjectFile, tree.MaxFileSize, sfdx.ProjectFile)
	}
}
