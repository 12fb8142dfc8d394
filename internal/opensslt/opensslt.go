// Package opensslt runs openssl as a test oracle for keys, certificates
// and JWTs; a test that needs it skips where openssl is not installed.
package opensslt

import (
	"os/exec"
	"strings"
	"testing"
)

// Run runs openssl with args and returns its combined output; it fails
// the test when openssl does.
func Run(t testing.TB, args ...string) string {
	t.Helper()
	path, err := exec.LookPath("openssl")
	if err != nil {
		t.Skip("openssl not installed")
	}
	out, err := exec.Command(path, args...).CombinedOutput()
	if err != nil {
		t.Fatalf("openssl %s: %v\n%s", strings.Join(args, " "), err, out)
	}
	return string(out)
}
