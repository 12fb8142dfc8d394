package model_test

import (
	"testing"

	"github.com/byocpack/byocpack/internal/apiver"
	"github.com/byocpack/byocpack/internal/model"
	"github.com/byocpack/byocpack/schemas"
)

// BenchmarkFirstUse is what a build pays for the models: a fresh set, the
// newest version, and the document roots byocpack judges, each with every
// type it uses.
func BenchmarkFirstUse(b *testing.B) {
	for b.Loop() {
		set := model.NewBundledSet("bundled", schemas.Models)
		m, err := set.Get("66.0")
		if err != nil {
			b.Fatal(err)
		}
		for _, t := range apiver.Types() {
			if m.Root(t) == nil {
				b.Fatal(t)
			}
		}
	}
}
