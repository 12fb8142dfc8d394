package problem

import "testing"

// A problem prints as one line whatever its file name or message holds.
func TestProblemIsOneLine(t *testing.T) {
	p := Problem{File: "classes/X\n::error file=evil.cls", Line: 2, Column: 3, Severity: Error, Rule: "R", Message: "bad\tvalue\x1b[31m"}
	want := `classes/X\n::error file=evil.cls:2:3: error R: bad\tvalue\x1b[31m`
	if got := p.String(); got != want {
		t.Errorf("String() = %q, want %q", got, want)
	}
}
