package spec

import (
	"errors"
	"fmt"
	"strings"
	"testing"
	"testing/fstest"

	"github.com/byocpack/byocpack/internal/diag"
)

func loadProblems(t *testing.T, src string) diag.List {
	t.Helper()
	_, err := Load(fstest.MapFS{"byoc.yaml": {Data: []byte(src)}}, "byoc.yaml", "")
	var list diag.List
	if !errors.As(err, &list) {
		t.Fatalf("want problems, got %v", err)
	}
	return list
}

// A spec reports at most maxProblems problems and then says how many more.
func TestProblemsAreBounded(t *testing.T) {
	var b strings.Builder
	b.WriteString("prefix: Acme\n")
	for i := range 300 {
		fmt.Fprintf(&b, "unknown%d: x\n", i)
	}
	list := loadProblems(t, b.String())
	if len(list) != maxProblems+1 || !strings.Contains(list[len(list)-1].Message, "more problems are not shown") {
		t.Fatalf("got %d problems, the last %q", len(list), list[len(list)-1].Message)
	}
}

// A spec with more entries than any byoc.yaml holds is refused before the
// parser spends memory on it.
func TestHugeSpecIsRefusedBeforeParsing(t *testing.T) {
	src := "prefix: Acme\napp:\n  policies:\n    profiles: [" + strings.Repeat("p,", maxEntries) + "p]\n"
	list := loadProblems(t, src)
	if len(list) != 1 || !strings.Contains(list[0].Message, "refused before parsing") {
		t.Fatalf("got %v", list)
	}
}
