package cli

import (
	"bytes"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"syscall"
	"testing"
	"time"
)

// TestSIGINTCancelsACommand: SIGINT cancels the context a command runs
// under, so a real byocpack process waiting on a token endpoint that never
// answers ends at once, saying why, with the code of a failure rather
// than death by the signal.
func TestSIGINTCancelsACommand(t *testing.T) {
	for _, sig := range []syscall.Signal{syscall.SIGINT, syscall.SIGTERM} {
		t.Run(sig.String(), func(t *testing.T) {
			arrived, release := make(chan struct{}, 1), make(chan struct{})
			srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
				select {
				case arrived <- struct{}{}:
				default:
				}
				<-release // never answers while the test runs
			}))
			defer func() { close(release); srv.Close() }()
			key, _ := makeCert(t, t.TempDir())
			c := child("token", "--key", key, "--client-id", "x", "--user", "u", "--login-url", srv.URL, "--timeout", "2m")
			var stderr bytes.Buffer
			c.Stderr = &stderr
			if err := c.Start(); err != nil {
				t.Fatal(err)
			}
			done := make(chan struct{})
			go func() { c.Wait(); close(done) }()
			select {
			case <-arrived:
			case <-done:
				t.Fatalf("ended before its request arrived: %s", stderr.String())
			case <-time.After(time.Minute):
				_ = c.Process.Kill()
				<-done
				t.Fatalf("the request never arrived: %s", stderr.String())
			}
			if err := c.Process.Signal(sig); err != nil {
				t.Fatal(err)
			}
			select {
			case <-done:
			case <-time.After(time.Minute):
				_ = c.Process.Kill()
				<-done
				t.Fatalf("still running a minute after %s; killed", sig)
			}
			ws := c.ProcessState.Sys().(syscall.WaitStatus)
			if ws.Signaled() || ws.ExitStatus() != 1 || !strings.Contains(stderr.String(), "signal received") {
				t.Errorf("%s: %v, stderr %q; want exit 1 saying the command was cancelled", sig, c.ProcessState, stderr.String())
			}
		})
	}
}

// TestSIGINTStopsAGlobOverALinkLoop: `validate` of a `**` glob over a
// folder with links back up ends, and a SIGINT sent while it walks is
// not ignored (the walk followed the loop for ever, past 900 MB, and
// never looked at the signal).
func TestSIGINTStopsAGlobOverALinkLoop(t *testing.T) {
	if testing.Short() {
		t.Skip("runs byocpack as a child process")
	}
	root := filepath.Join(t.TempDir(), "root")
	if err := os.MkdirAll(filepath.Join(root, "a"), 0o755); err != nil {
		t.Fatal(err)
	}
	os.WriteFile(filepath.Join(root, "a", "X__c.object-meta.xml"), []byte(`<?xml version="1.0" encoding="UTF-8"?>`+"\n"+`<CustomObject xmlns="http://soap.sforce.com/2006/04/metadata"/>`+"\n"), 0o644)
	for _, name := range []string{"loop1", "loop2"} {
		if err := os.Symlink("..", filepath.Join(root, "a", name)); err != nil {
			t.Fatal(err)
		}
	}
	for _, cmd := range [][]string{{"validate"}, {"fmt", "--check"}} {
		c := child(append(cmd, filepath.Join(root, "**", "*-meta.xml"))...)
		if err := c.Start(); err != nil {
			t.Fatal(err)
		}
		done := make(chan struct{})
		go func() { c.Wait(); close(done) }()
		fdDir := filepath.Join("/proc", strconv.Itoa(c.Process.Pid), "fd")
		deadline := time.After(time.Minute)
		signalled := false
	wait:
		for {
			select {
			case <-done:
				break wait
			case <-deadline:
				_ = c.Process.Kill()
				<-done
				t.Fatalf("%s: still running a minute on (SIGINT sent: %v); killed", strings.Join(cmd, " "), signalled)
			case <-time.After(10 * time.Millisecond):
			}
			if signalled {
				continue
			}
			// Signal once the walk is under way (the child holds a
			// directory of the tree open), unless it has ended already.
			fds, _ := os.ReadDir(fdDir)
			for _, fd := range fds {
				if to, _ := os.Readlink(filepath.Join(fdDir, fd.Name())); strings.HasPrefix(to, root) {
					signalled = c.Process.Signal(syscall.SIGINT) == nil
					break
				}
			}
		}
	}
}
