package validate

import (
	"context"
	"slices"
	"testing"

	"github.com/byocpack/byocpack/internal/diag"
)

// FuzzRun feeds arbitrary bytes under arbitrary paths through the whole
// pipeline, alone and next to the clean project, and checks the invariants
// callers rely on: no panic, sorted output, every problem names a file that
// was passed and a rule the catalogue (or the schema checker) owns.
func FuzzRun(f *testing.F) {
	f.Add(ccdPath, []byte(partnerCCD), true)
	f.Add("force-app/main/default/externalClientApps/A_B.eca-meta.xml", []byte("<ExternalClientApplication><distributionState>Local"), false)
	f.Add("force-app/main/default/server.key", []byte("-----BEGIN "+"PRIVATE KEY-----\n"), true)
	known := map[string]bool{"xsd": true}
	for _, r := range Rules() {
		known[r.ID] = true
	}
	base := loadTree(f, cleanDir)
	f.Fuzz(func(t *testing.T, path string, data []byte, inPackage bool) {
		in := Input{APIVersion: "66.0", Now: fixtureNow, Project: inPackage}
		in.Files = append(slices.Clone(base.Files), File{Path: path, Type: TypeOf(path), Data: data, InPackage: inPackage})
		ps, err := Run(context.Background(), in, Options{Schema: &fakeSchema{}})
		if err != nil {
			t.Fatal(err)
		}
		if !slices.IsSortedFunc(ps, diag.Compare) {
			t.Fatal("problems not sorted")
		}
		paths := map[string]bool{}
		for _, f := range in.Files {
			paths[f.Path] = true
		}
		for _, p := range ps {
			if !paths[p.File] || !known[p.Rule] || p.Line < 0 || p.Column < 0 || p.Message == "" {
				t.Fatalf("bad problem %+v", p)
			}
		}
	})
}
