package cli

import (
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"syscall"
	"testing"
	"time"
)

// TestInitAndMigrateNeverWriteThroughALink: with --force, a spec that is
// a link is refused, not written through onto the file it names; a
// dangling link is refused too, not followed to make a file outside the
// folder.
func TestInitAndMigrateNeverWriteThroughALink(t *testing.T) {
	dir := t.TempDir()
	_, crt := makeCert(t, dir)
	certPEM, _ := os.ReadFile(crt)
	app := filepath.Join(dir, "Acme_BYOC.connectedApp-meta.xml")
	os.WriteFile(app, []byte(`<?xml version="1.0" encoding="UTF-8"?>
<ConnectedApp xmlns="http://soap.sforce.com/2006/04/metadata">
    <contactEmail>integrations@acme.example</contactEmail>
    <label>Acme BYOC</label>
    <oauthConfig>
        <callbackUrl>https://login.salesforce.com</callbackUrl>
        <certificate>`+string(certPEM)+`</certificate>
        <scopes>Interaction</scopes>
    </oauthConfig>
</ConnectedApp>
`), 0o644)
	for _, cmd := range [][]string{{"init", "--prefix", "Acme", "--force"}, {"migrate", "--from", "connected-app", app, "--force"}} {
		for _, dangling := range []bool{false, true} {
			work, outside := t.TempDir(), t.TempDir()
			victim := filepath.Join(outside, "victim.txt")
			if !dangling {
				os.WriteFile(victim, []byte("the user's file\n"), 0o644)
			}
			spec := filepath.Join(work, "byoc.yaml")
			if err := os.Symlink(victim, spec); err != nil {
				t.Fatal(err)
			}
			code, _, stderr := run(t, append(cmd, "-o", spec)...)
			if code == 0 || !strings.Contains(stderr, "byoc.yaml is a symbolic link; byocpack never writes through one") {
				t.Errorf("%s (dangling %v): exit %d, %q; want a refusal naming the link", cmd[0], dangling, code, stderr)
			}
			got, err := os.ReadFile(victim)
			switch {
			case dangling && err == nil:
				t.Errorf("%s: created %s outside the folder through a dangling link", cmd[0], victim)
			case !dangling && string(got) != "the user's file\n":
				t.Errorf("%s: wrote through the link onto %s:\n%.80s", cmd[0], victim, got)
			}
		}
	}
}

// TestCertAfterAKilledRun: a run killed while writing the key leaves at
// most a temporary file (the key appears whole, with its mode, or not at
// all); the next run removes it and is not blocked. An empty key, what
// a killed run of an older byocpack left, is no key either.
func TestCertAfterAKilledRun(t *testing.T) {
	dir := t.TempDir()
	key := filepath.Join(dir, "acme.key")
	stale := filepath.Join(dir, ".acme.key.byocpack-tmp-4242")
	os.WriteFile(key, nil, 0o600)
	// Half a header, no key; split so that a scan of the repository for keys passes.
	os.WriteFile(stale, []byte("-----BEGIN "+"PRIVATE KEY-----\nhalf"), 0o600)
	code, _, stderr := run(t, "cert", "--out", filepath.Join(dir, "certs"), "--key", key)
	if code != 0 {
		t.Fatalf("exit %d: %s", code, stderr)
	}
	fi, err := os.Stat(key)
	if b, _ := os.ReadFile(key); err != nil || fi.Mode().Perm() != 0o600 || !strings.Contains(string(b), "-----END PRIVATE KEY-----") {
		t.Errorf("key %v, %v:\n%s", fi, err, b)
	}
	if _, err := os.Lstat(stale); err == nil {
		t.Error("the killed run's temporary key (a secret) is still there")
	}
}

// TestKilledCertLeavesNoKeyOrAWholeOne kills real `byocpack cert`
// processes (SIGKILL) at points spread over a run: each leaves no key or
// a whole one with mode 0600, never an empty or partial key, and the next
// run is not blocked by what the killed one left.
func TestKilledCertLeavesNoKeyOrAWholeOne(t *testing.T) {
	if testing.Short() {
		t.Skip("runs byocpack as a child process many times")
	}
	root := t.TempDir()
	certArgs := func(dir string) []string {
		return []string{"cert", "--out", filepath.Join(dir, "certs"), "--key", filepath.Join(dir, "acme.key")}
	}
	start := time.Now()
	if b, err := child(certArgs(filepath.Join(root, "timing"))...).CombinedOutput(); err != nil {
		t.Fatalf("%v: %s", err, b)
	}
	full := time.Since(start)
	const runs = 12
	for i := range runs {
		dir := filepath.Join(root, strconv.Itoa(i))
		c := child(certArgs(dir)...)
		if err := c.Start(); err != nil {
			t.Fatal(err)
		}
		time.Sleep(time.Duration(i) * full * 11 / 10 / runs)
		_ = c.Process.Signal(syscall.SIGKILL)
		_ = c.Wait()
		key := filepath.Join(dir, "acme.key")
		b, err := os.ReadFile(key)
		whole := err == nil && strings.HasSuffix(string(b), "-----END PRIVATE KEY-----\n")
		if err == nil && !whole {
			t.Fatalf("run %d: the kill left a partial key (%d bytes)", i, len(b))
		}
		out, err := child(certArgs(dir)...).CombinedOutput()
		if err != nil && !(whole && strings.Contains(string(out), "already exists")) {
			t.Fatalf("run %d: the next run failed after a kill (key whole: %v): %v\n%s", i, whole, err, out)
		}
		if fi, err := os.Stat(key); err != nil || fi.Mode().Perm() != 0o600 {
			t.Errorf("run %d: key %v, %v", i, fi, err)
		}
		entries, _ := os.ReadDir(dir)
		for _, e := range entries {
			if strings.Contains(e.Name(), "byocpack-tmp") {
				t.Errorf("run %d: %s left after the next run", i, e.Name())
			}
		}
	}
}

// TestReviewAndDiffOfASpecWithAFIFOCertificate: review and diff of a spec
// read its certificate bounded, so a FIFO there is an error naming it
// rather than a command that never returns.
func TestReviewAndDiffOfASpecWithAFIFOCertificate(t *testing.T) {
	dir := t.TempDir()
	spec, err := os.ReadFile("../../fixtures/partner1/byoc.yaml")
	if err != nil {
		t.Fatal(err)
	}
	os.WriteFile(filepath.Join(dir, "byoc.yaml"), spec, 0o644)
	os.Mkdir(filepath.Join(dir, "certs"), 0o755)
	if err := syscall.Mkfifo(filepath.Join(dir, "certs", "server.crt"), 0o644); err != nil {
		t.Fatal(err)
	}
	target := filepath.Join(dir, "byoc.yaml")
	for _, args := range [][]string{{"review", target}, {"diff", target, target}} {
		done := make(chan string, 1)
		go func() {
			code, _, stderr := run(t, args...)
			done <- strconv.Itoa(code) + " " + stderr
		}()
		select {
		case got := <-done:
			if !strings.HasPrefix(got, "2 ") && !strings.HasPrefix(got, "1 ") || !strings.Contains(got, "certs/server.crt") || !strings.Contains(got, "it is a FIFO") {
				t.Errorf("%s: %s; want an error naming the FIFO", args[0], got)
			}
		case <-time.After(time.Minute):
			t.Fatalf("%s did not return: it blocked on the FIFO certificate", args[0])
		}
	}
}
