package spec

import (
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"
)

// The certificate path is replaced where it stands; comments, quoting and
// every other byte stay the user's.
func TestSetCertificatePath(t *testing.T) {
	for _, tc := range []struct{ in, want string }{
		{"prefix: A\napp:\n  # the JWT certificate\n  certificate: certs/server.crt   # made by init\n  name: X\n",
			"prefix: A\napp:\n  # the JWT certificate\n  certificate: certs/server-2.crt   # made by init\n  name: X\n"},
		{"app:\n  certificate: \"certs/server.crt\"\r\n  name: X\r\n", "app:\n  certificate: \"certs/server-2.crt\"\r\n  name: X\r\n"},
		{"app:\n  certificate: 'certs/server.crt'\n", "app:\n  certificate: 'certs/server-2.crt'\n"},
		{"app: {name: X, certificate: certs/server.crt}\n", "app: {name: X, certificate: certs/server-2.crt}\n"},
		{"# é comment\napp:\n  label: \"Ünïcode\"\n  certificate: certs/server.crt\n", "# é comment\napp:\n  label: \"Ünïcode\"\n  certificate: certs/server-2.crt\n"},
	} {
		got, err := SetCertificatePath([]byte(tc.in), "certs/server-2.crt")
		if err != nil {
			t.Errorf("%q: %v", tc.in, err)
			continue
		}
		if d := cmp.Diff(tc.want, string(got)); d != "" {
			t.Errorf("%q (-want +got):\n%s", tc.in, d)
		}
	}
	for in, want := range map[string]string{
		"prefix: A\n":                         "no app",
		"app:\n  name: X\n":                   "no app.certificate",
		"app:\n  certificate: [a, b]\n":       "not a path",
		"app:\n  certificate: x\n---\nb: 1\n": "2 YAML documents",
	} {
		if _, err := SetCertificatePath([]byte(in), "c.crt"); err == nil || !strings.Contains(err.Error(), want) {
			t.Errorf("%q: %v, want %q", in, err, want)
		}
	}
	// A path that needs quotes gets them.
	got, err := SetCertificatePath([]byte("app:\n  certificate: a.crt\n"), "certs/my cert #2.crt")
	if err != nil || string(got) != "app:\n  certificate: \"certs/my cert #2.crt\"\n" {
		t.Errorf("%q, %v", got, err)
	}
}
