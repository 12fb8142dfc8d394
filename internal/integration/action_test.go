package integration

import (
	"encoding/json"
	"net"
	"net/http"
	"os"
	"os/exec"
	"path/filepath"
	"runtime"
	"strings"
	"sync"
	"testing"

	"github.com/byocpack/byocpack/internal/testtool"
)

const releaseVersion = "v9.9.9-test"

var (
	releaseOnce sync.Once
	releaseDir  string
	releaseErr  error
)

// localRelease is `make release` of this checkout for the host's platform
// alone, built once per test binary.
func localRelease(t *testing.T) string {
	t.Helper()
	testtool.Path(t, "make", "apt-get install -y make")
	releaseOnce.Do(func() {
		dir, err := os.MkdirTemp("", "byocpack-release-")
		if err != nil {
			releaseErr = err
			return
		}
		releaseDir = filepath.Join(dir, "release")
		cmd := exec.Command("make", "-s", "-C", checkout(t), "release", "VERSION="+releaseVersion,
			"PLATFORMS="+runtime.GOOS+"/"+runtime.GOARCH, "RELEASE_DIR="+releaseDir)
		if out, err := cmd.CombinedOutput(); err != nil {
			releaseErr = &releaseFailure{err, string(out)}
		}
	})
	if releaseErr != nil {
		t.Fatal(releaseErr)
	}
	return releaseDir
}

type releaseFailure struct {
	err error
	out string
}

func (f *releaseFailure) Error() string { return "make release: " + f.err.Error() + "\n" + f.out }

// serve serves dir on 127.0.0.1 as releases are laid out:
// /<version>/<asset>; tamper, when set, replaces each binary's bytes.
func serve(t *testing.T, dir string, tamper bool) string {
	t.Helper()
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	files := http.StripPrefix("/"+releaseVersion, http.FileServer(http.Dir(dir)))
	srv := &http.Server{Handler: http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if tamper && strings.HasPrefix(filepath.Base(r.URL.Path), "byocpack-") {
			_, _ = w.Write([]byte("#!/bin/sh\necho planted\n"))
			return
		}
		files.ServeHTTP(w, r)
	})}
	go func() { _ = srv.Serve(ln) }()
	t.Cleanup(func() { srv.Close() })
	return "http://" + ln.Addr().String()
}

// runnerEnv is a fake runner: GITHUB_OUTPUT, GITHUB_PATH and
// GITHUB_STEP_SUMMARY files in a temporary directory, the host's OS and
// architecture as GitHub names them.
type runnerEnv struct {
	dir string
	env []string
}

func newRunner(t *testing.T, extra ...string) *runnerEnv {
	t.Helper()
	testtool.Path(t, "bash", "apt-get install -y bash")
	testtool.Path(t, "curl", "apt-get install -y curl")
	dir := t.TempDir()
	osName := map[string]string{"linux": "Linux", "darwin": "macOS", "windows": "Windows"}[runtime.GOOS]
	arch := map[string]string{"amd64": "X64", "arm64": "ARM64"}[runtime.GOARCH]
	env := append(os.Environ(), "RUNNER_OS="+osName, "RUNNER_ARCH="+arch, "RUNNER_TEMP="+filepath.Join(dir, "tmp"),
		"GITHUB_OUTPUT="+filepath.Join(dir, "output"), "GITHUB_PATH="+filepath.Join(dir, "path"),
		"GITHUB_STEP_SUMMARY="+filepath.Join(dir, "summary"))
	if err := os.Mkdir(filepath.Join(dir, "tmp"), 0o755); err != nil {
		t.Fatal(err)
	}
	return &runnerEnv{dir: dir, env: append(env, extra...)}
}

func (r *runnerEnv) script(t *testing.T, name string, env ...string) (string, error) {
	t.Helper()
	cmd := exec.Command("bash", filepath.Join(checkout(t), ".github", "actions", "scripts", name))
	cmd.Dir = checkout(t)
	cmd.Env = append(r.env, env...)
	out, err := cmd.CombinedOutput()
	return string(out), err
}

func (r *runnerEnv) file(t *testing.T, name string) string {
	t.Helper()
	b, err := os.ReadFile(filepath.Join(r.dir, name))
	if err != nil && !os.IsNotExist(err) {
		t.Fatal(err)
	}
	return string(b)
}

// outputs parses GITHUB_OUTPUT's name=value lines.
func (r *runnerEnv) outputs(t *testing.T) map[string]string {
	out := map[string]string{}
	for _, line := range strings.Split(r.file(t, "output"), "\n") {
		if k, v, ok := strings.Cut(line, "="); ok {
			out[k] = v
		}
	}
	return out
}

// install.sh downloads the runner's binary of a release from a local
// `make release`, checks it against SHA256SUMS, installs it and puts it on
// GITHUB_PATH; run.sh then runs a command with annotations, a job summary
// and SARIF, and reports the exit status as outputs.
func TestActionInstallsAndRuns(t *testing.T) {
	base := serve(t, localRelease(t), false)
	r := newRunner(t, "BYOCPACK_VERSION="+releaseVersion, "BYOCPACK_BASE_URL="+base)
	if out, err := r.script(t, "install.sh"); err != nil {
		t.Fatalf("install.sh: %v\n%s", err, out)
	}
	outs := r.outputs(t)
	bin := outs["path"]
	if outs["version"] != releaseVersion || filepath.Dir(bin)+"\n" != r.file(t, "path") {
		t.Fatalf("outputs %v, GITHUB_PATH %q", outs, r.file(t, "path"))
	}
	if v, err := exec.Command(bin, "--version").Output(); err != nil || string(v) != "byocpack "+releaseVersion+"\n" {
		t.Fatalf("installed binary: %q, %v", v, err)
	}

	sarif := filepath.Join(r.dir, "out.sarif")
	out, err := r.script(t, "run.sh", "BYOCPACK="+bin, "BYOCPACK_COMMAND=validate fixtures/rules/BYOC-SCOPES/fail", "BYOCPACK_SARIF="+sarif)
	if err != nil {
		t.Fatalf("run.sh: %v\n%s", err, out)
	}
	if !strings.Contains(out, "::error file=fixtures/rules/BYOC-SCOPES/fail/force-app/") || !strings.Contains(out, "title=BYOC-SCOPES::") {
		t.Errorf("no annotation in the log:\n%s", out)
	}
	outs = r.outputs(t)
	if outs["exit-code"] != "1" || outs["failed"] != "true" || outs["sarif-file"] != sarif {
		t.Errorf("outputs %v", outs)
	}
	if s := r.file(t, "summary"); !strings.Contains(s, "### byocpack validate fixtures/rules/BYOC-SCOPES/fail") || !strings.Contains(s, "5 errors") ||
		!strings.Contains(s, "\nfixtures/rules/BYOC-SCOPES/fail/force-app/main/default/extlClntAppOauthSettings/Partner1_ExternalClientApp1_oauth.ecaOauth-meta.xml:3:5: error BYOC-SCOPES: ") {
		t.Errorf("summary:\n%s", s)
	}
	var log struct {
		Version string `json:"version"`
		Runs    []struct {
			Results []struct {
				RuleID string `json:"ruleId"`
				Level  string `json:"level"`
			} `json:"results"`
		} `json:"runs"`
	}
	data, _ := os.ReadFile(sarif)
	errs := 0
	if err := json.Unmarshal(data, &log); err == nil && len(log.Runs) == 1 {
		for _, r := range log.Runs[0].Results {
			if r.Level == "error" {
				errs++
			}
		}
	}
	if err := json.Unmarshal(data, &log); err != nil || log.Version != "2.1.0" || errs != 5 {
		t.Errorf("SARIF: %v\n%s", err, data)
	}

	// diff's exit status 1 says the versions differ: no failure.
	r2 := newRunner(t)
	out, err = r2.script(t, "run.sh", "BYOCPACK="+bin, "BYOCPACK_COMMAND=diff fixtures/partner1/byoc.yaml fixtures/legacy1/byoc.yaml")
	if outs := r2.outputs(t); err != nil || outs["exit-code"] != "1" || outs["failed"] != "false" {
		t.Errorf("diff: %v, outputs %v\n%s", err, outs, out)
	}
	if s := r2.file(t, "summary"); !strings.Contains(s, "### byocpack diff") || !strings.Contains(s, "| change | component |") {
		t.Errorf("diff summary:\n%s", s)
	}
}

// A binary that does not match SHA256SUMS is never installed; neither is
// one from a plain-http server elsewhere or a version that is no tag.
func TestActionInstallRefuses(t *testing.T) {
	dir := localRelease(t)
	for name, tc := range map[string]struct {
		env  []string
		want string
	}{
		"tampered":  {[]string{"BYOCPACK_VERSION=" + releaseVersion, "BYOCPACK_BASE_URL=" + serve(t, dir, true)}, "refusing to install it"},
		"plainhttp": {[]string{"BYOCPACK_VERSION=" + releaseVersion, "BYOCPACK_BASE_URL=http://example.com/releases"}, "must be https://"},
		// curl takes the host after the @: a plain-text download from it.
		"loopback as user info": {[]string{"BYOCPACK_VERSION=" + releaseVersion, "BYOCPACK_BASE_URL=http://127.0.0.1:1@example.com/releases"}, "without user information"},
		"not a tag":             {[]string{"BYOCPACK_VERSION=../../etc", "BYOCPACK_BASE_URL=" + serve(t, dir, false)}, "is not a release tag"},
		"unlisted":              {[]string{"BYOCPACK_VERSION=" + releaseVersion, "BYOCPACK_BASE_URL=" + serve(t, dir, false), "RUNNER_ARCH=ARM64", "RUNNER_OS=Windows"}, "cannot download"},
	} {
		t.Run(name, func(t *testing.T) {
			r := newRunner(t, tc.env...)
			out, err := r.script(t, "install.sh")
			if err == nil {
				t.Fatalf("installed:\n%s", out)
			}
			if !strings.Contains(out, "::error title=byocpack install::") || !strings.Contains(out, tc.want) {
				t.Errorf("want an error annotation saying %q:\n%s", tc.want, out)
			}
			if _, err := os.Stat(filepath.Join(r.dir, "tmp", "byocpack-bin", "byocpack")); err == nil || r.file(t, "path") != "" {
				t.Errorf("something was installed")
			}
		})
	}
}

// from-source builds the checkout with the Go on PATH.
func TestActionFromSource(t *testing.T) {
	r := newRunner(t, "BYOCPACK_FROM_SOURCE=true", "BYOCPACK_SOURCE="+checkout(t))
	if out, err := r.script(t, "install.sh"); err != nil {
		t.Fatalf("install.sh: %v\n%s", err, out)
	}
	if out, err := exec.Command(r.outputs(t)["path"], "version").CombinedOutput(); err != nil {
		t.Fatalf("built binary: %v\n%s", err, out)
	}
}

// The workflows pass actionlint (pinned: make tools).
func TestWorkflowsLint(t *testing.T) {
	actionlint := testtool.Path(t, "actionlint", "make tools, or go install github.com/rhysd/actionlint/cmd/actionlint@"+testtool.Actionlint)
	cmd := exec.Command(actionlint)
	cmd.Dir = checkout(t)
	if out, err := cmd.CombinedOutput(); err != nil {
		t.Fatalf("actionlint: %v\n%s", err, out)
	}
}

func TestMain(m *testing.M) {
	code := m.Run()
	if releaseDir != "" {
		os.RemoveAll(filepath.Dir(releaseDir))
	}
	os.Exit(code)
}
