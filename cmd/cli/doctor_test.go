package cli

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
)

func TestDoctorAfterInitCertAndBuild(t *testing.T) {
	dir := t.TempDir()
	spec := filepath.Join(dir, "acme", "byoc.yaml")
	_ = os.MkdirAll(filepath.Dir(spec), 0o755)
	if code, _, stderr := run(t, "init", "-o", spec, "--prefix", "Acme", "--namespace", "acme", "--email", "ops@acme.com", "--cert"); code != 0 {
		t.Fatalf("init: %s", stderr)
	}
	out := filepath.Join(dir, "acme", "out")
	if code, _, stderr := run(t, "build", "-f", spec, "-o", out); code != 0 {
		t.Fatalf("build: %s", stderr)
	}
	code, stdout, stderr := run(t, "doctor", "-f", spec, "-o", out)
	if code != 0 {
		t.Fatalf("doctor: exit %d\n%s%s", code, stdout, stderr)
	}
	for _, want := range []string{"PASS  certificate", "PASS  key               " + filepath.Join(dir, "acme", "..", "acme-server.key") + " (found beside the project)", "PASS  project", "PASS  source-org", "PASS  login-url", "PASS  event-access      " + filepath.Join(out, "SETUP.md") + " tells the subscriber's admin to grant sfdc_scrt2", "0 failed"} {
		if !strings.Contains(stdout, want) {
			t.Errorf("doctor output lacks %q:\n%s", want, stdout)
		}
	}
	code, stdout, _ = run(t, "doctor", "-f", spec, "-o", out, "--login-url", "http://login.salesforce.com", "--json")
	var rep struct {
		Checks []struct{ ID, Status, Fix, Explain string }
		Counts map[string]int
	}
	if err := unmarshalResult(stdout, &rep); err != nil || code != 1 || rep.Counts["failed"] != 1 {
		t.Fatalf("--json with a bad login URL: exit %d, %v\n%s", code, err, stdout)
	}
	for _, c := range rep.Checks {
		if c.ID == "login-url" && (c.Status != "fail" || c.Explain != "audience-invalid" || c.Fix == "") {
			t.Errorf("login-url: %+v", c)
		}
	}
	if code, _, _ := run(t, "doctor", "--passphrase-env", "A", "--passphrase-file", "b"); code != 2 {
		t.Errorf("conflicting passphrase flags: exit %d", code)
	}
}
