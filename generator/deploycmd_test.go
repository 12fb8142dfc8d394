package generator

import (
	"os"
	"strings"
	"testing"
	"testing/fstest"

	"github.com/byocpack/byocpack/generator/spec"
	"github.com/byocpack/byocpack/internal/render"
)

// The README's Dev Hub deploy is the command SETUP.md and doctor print
// for the spec init writes, run from the generated project.
func TestREADMEDeployCommandIsTheGuides(t *testing.T) {
	cert, err := os.ReadFile("../fixtures/partner1/certs/server.crt")
	if err != nil {
		t.Fatal(err)
	}
	sk := spec.Skeleton(map[string]string{"prefix": "Acme", "package.namespace": "acme", "channel.vendor.name": "Acme_Vendor"}, false, "")
	s, err := spec.Load(fstest.MapFS{"byoc.yaml": {Data: sk}, "certs/server.crt": {Data: cert}}, "byoc.yaml", "")
	if err != nil {
		t.Fatal(err)
	}
	cmd, err := render.DeployCommand(s)
	if err != nil || !strings.Contains(cmd, "--source-dir source-org") || !strings.Contains(cmd, ".eca-meta.xml") {
		t.Fatalf("%q, %v", cmd, err)
	}
	readme, err := os.ReadFile("../README.md")
	if err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(string(readme), "(cd out && "+cmd+")") {
		t.Errorf("README.md does not say, from out: %s", cmd)
	}
	if strings.Contains(string(readme), "--source-dir out/source-org") {
		t.Error("README.md still deploys the settings from outside the project, without the app")
	}
}
