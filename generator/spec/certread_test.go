package spec

import (
	"os"
	"path/filepath"
	"strings"
	"syscall"
	"testing"
	"time"
)

// TestCertificateReadBounded: the certificate is read in one place, here,
// for every command (build, review and diff of a spec, doctor), and from
// any fs.FS, os.DirFS too: a FIFO is refused without hanging, a link to
// /dev/zero without filling memory, a huge file from its size.
func TestCertificateReadBounded(t *testing.T) {
	spec, err := os.ReadFile("../../fixtures/partner1/byoc.yaml")
	if err != nil {
		t.Fatal(err)
	}
	for _, tc := range []struct {
		name string
		make func(p string) error
		want string
	}{
		{"oversize", func(p string) error { return os.WriteFile(p, make([]byte, 5<<20), 0o644) }, "5242880 bytes is more than the 4 MiB"},
		{"FIFO", func(p string) error { return syscall.Mkfifo(p, 0o644) }, "it is a FIFO; give a regular file"},
		{"link to /dev/zero", func(p string) error { return os.Symlink("/dev/zero", p) }, "it is a character device; give a regular file"},
	} {
		if tc.name == "link to /dev/zero" && t.Failed() {
			// Reads are unbounded: /dev/zero would fill memory.
			t.Skip("skipped: the reads above were not bounded")
		}
		t.Run(tc.name, func(t *testing.T) {
			dir := t.TempDir()
			if err := os.WriteFile(filepath.Join(dir, "byoc.yaml"), spec, 0o644); err != nil {
				t.Fatal(err)
			}
			os.Mkdir(filepath.Join(dir, "certs"), 0o755)
			if err := tc.make(filepath.Join(dir, "certs", "server.crt")); err != nil {
				t.Fatal(err)
			}
			done := make(chan error, 1)
			go func() {
				_, err := Load(os.DirFS(dir), "byoc.yaml", "byoc.yaml")
				done <- err
			}()
			select {
			case err := <-done:
				if err == nil || !strings.Contains(err.Error(), "app.certificate: cannot read certs/server.crt") || !strings.Contains(err.Error(), tc.want) {
					t.Fatalf("got %v, want an error naming the certificate and %q", err, tc.want)
				}
			case <-time.After(time.Minute):
				t.Fatal("Load did not return: it blocked on the certificate")
			}
		})
	}
}
