package spec

import (
	"strings"
	"testing"
)

// A header line quoting a hostile value (a migrated app's scope with line
// breaks) stays one comment line: no live YAML gets into the spec.
func TestSkeletonHeaderCannotWriteYAML(t *testing.T) {
	out := SkeletonOf(SkeletonOptions{Header: []string{"not carried: s\nchannel:\n  name: Evil\n#"}})
	for _, line := range strings.Split(string(out), "\n") {
		if strings.Contains(line, "name: Evil") && !strings.HasPrefix(line, "# ") {
			t.Fatalf("the header wrote live YAML: %q\n%s", line, out)
		}
	}
}
