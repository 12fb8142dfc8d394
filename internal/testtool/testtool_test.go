package testtool

import (
	"os"
	"regexp"
	"testing"
)

// make tools installs the versions the tests expect.
func TestMakefilePinsTheSameVersions(t *testing.T) {
	mk, err := os.ReadFile("../../Makefile")
	if err != nil {
		t.Fatal(err)
	}
	for name, want := range map[string]string{"ACTIONLINT_VERSION": Actionlint, "SARIF_MULTITOOL_VERSION": SARIFMultitool} {
		m := regexp.MustCompile(`(?m)^` + name + `\s*:=\s*(\S+)$`).FindSubmatch(mk)
		if m == nil || string(m[1]) != want {
			t.Errorf("Makefile %s = %q, the tests pin %s", name, m, want)
		}
	}
}
