package model_test

import (
	"fmt"
	"testing"

	"github.com/byocpack/byocpack/internal/model"
	"github.com/byocpack/byocpack/schemas"
)

// The bundled file has every version from 47.0 to 66.0, every metadata
// type of each (374 in 47.0, 898 in 66.0), and every type of every version
// loads, Flow and MutingPermissionSet, whose sequences repeat a name,
// among them.
func TestBundledModelsCoverEveryVersionAndType(t *testing.T) {
	set := model.NewBundledSet("bundled models", schemas.Models)
	var want []string
	for v := 47; v <= 66; v++ {
		want = append(want, fmt.Sprintf("%d.0", v))
	}
	if got := set.Versions(); fmt.Sprint(got) != fmt.Sprint(want) {
		t.Fatalf("versions %v", got)
	}
	for _, v := range want {
		m, err := set.Get(v)
		if err != nil {
			t.Fatal(err)
		}
		if err := m.LoadAll(); err != nil {
			t.Fatalf("%s: %v", v, err)
		}
		if m.Root("Flow") == nil || m.Root("MutingPermissionSet") == nil || m.Root("CustomObject") == nil {
			t.Errorf("%s lacks Flow, MutingPermissionSet or CustomObject", v)
		}
	}
	for v, n := range map[string]int{"47.0": 374, "66.0": 898} {
		if m, _ := set.Get(v); len(m.Roots()) != n {
			t.Errorf("%s: %d root types, want %d", v, len(m.Roots()), n)
		}
	}
	// FlowCustomError repeats description (FlowElement's and its own) from
	// the version it appeared in.
	since := model.Since(set.TypeVersions("FlowCustomError"))
	m, _ := set.Get(since)
	n := 0
	for _, e := range m.Complex("FlowCustomError").Sequence() {
		if e.Name == "description" {
			n++
		}
	}
	if since == "" || n != 2 {
		t.Errorf("FlowCustomError from %q has description %d times", since, n)
	}
}
