package sfdx

import (
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// TestForceIgnoreBounded: a .forceignore of 100,000 rules, or with a line
// longer than any path, is refused at the line, naming the file, instead
// of being matched against every path of the project for minutes.
func TestForceIgnoreBounded(t *testing.T) {
	var many strings.Builder
	many.WriteString("# generated\n")
	for i := range 100_000 {
		fmt.Fprintf(&many, "force-app/main/default/classes/C%d.cls\n", i)
	}
	for _, tc := range []struct{ name, content, want string }{
		{"rules", many.String(), ".forceignore:1002: more than 1000 rules"},
		{"line", "**/*.dup\n" + strings.Repeat("a", 5000) + "\n", ".forceignore:2: a line of 5000 bytes is longer than any path"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			dir := t.TempDir()
			if err := os.WriteFile(filepath.Join(dir, ForceIgnoreFile), []byte(tc.content), 0o644); err != nil {
				t.Fatal(err)
			}
			_, err := LoadForceIgnore(dir)
			if err == nil || !strings.Contains(err.Error(), tc.want) {
				t.Fatalf("got %v, want %q", err, tc.want)
			}
		})
	}
	// At the bound, it is read.
	var ok strings.Builder
	for i := range 1000 {
		fmt.Fprintf(&ok, "C%d.cls\n", i)
	}
	if _, err := ParseForceIgnore(".forceignore", ok.String()); err != nil {
		t.Errorf("1000 rules: %v", err)
	}
}
