package integration

import (
	"os"
	"os/exec"
	"path/filepath"
	"runtime"
	"strings"
	"testing"

	"github.com/byocpack/byocpack/internal/testtool"
)

// npm/fill.sh fills the packages from a local `make release`; the main
// package and the host's platform package, packed with npm pack and
// installed from their tarballs with the registry out of reach, run as
// `npx byocpack --version`: the binary comes from the platform package,
// nothing is downloaded at install.
func TestNpmPackages(t *testing.T) {
	npm := testtool.Path(t, "npm", "install Node.js")
	npx := testtool.Path(t, "npx", "install Node.js")
	release := localRelease(t)
	work := t.TempDir()
	filled := filepath.Join(work, "filled")
	fill := exec.Command("bash", filepath.Join(checkout(t), "npm", "fill.sh"), release, releaseVersion, filled)
	if out, err := fill.CombinedOutput(); err != nil {
		t.Fatalf("fill.sh: %v\n%s", err, out)
	}
	// npm with its cache here and every registry request refused.
	env := append(os.Environ(), "npm_config_cache="+filepath.Join(work, "cache"), "npm_config_registry=http://127.0.0.1:9/",
		"npm_config_audit=false", "npm_config_fund=false", "npm_config_update_notifier=false")
	run := func(dir, name string, args ...string) string {
		t.Helper()
		cmd := exec.Command(name, args...)
		cmd.Dir, cmd.Env = dir, env
		out, err := cmd.CombinedOutput()
		if err != nil {
			t.Fatalf("%s %s: %v\n%s", name, strings.Join(args, " "), err, out)
		}
		return string(out)
	}
	tarballs := filepath.Join(work, "tarballs")
	if err := os.Mkdir(tarballs, 0o755); err != nil {
		t.Fatal(err)
	}
	cpu := map[string]string{"amd64": "x64", "arm64": "arm64"}[runtime.GOARCH]
	platform := map[string]string{"windows": "win32"}[runtime.GOOS]
	if platform == "" {
		platform = runtime.GOOS
	}
	var packed []string
	for _, dir := range []string{filepath.Join(filled, "byocpack"), filepath.Join(filled, "@byocpack", platform+"-"+cpu)} {
		name := strings.TrimSpace(run(dir, npm, "pack", "--silent", "--pack-destination", tarballs))
		packed = append(packed, filepath.Join(tarballs, name))
	}
	project := filepath.Join(work, "project")
	if err := os.Mkdir(project, 0o755); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(filepath.Join(project, "package.json"), []byte(`{"name": "uses-byocpack", "version": "1.0.0", "private": true}`+"\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	run(project, npm, append([]string{"install", "--offline", "--no-save"}, packed...)...)
	if got := run(project, npx, "--offline", "byocpack", "--version"); got != "byocpack "+releaseVersion+"\n" {
		t.Errorf("npx byocpack --version: %q", got)
	}
	// The launcher passes the exit status through.
	cmd := exec.Command(npx, "--offline", "byocpack", "validate", filepath.Join(checkout(t), "fixtures", "rules", "BYOC-SCOPES", "fail"))
	cmd.Dir, cmd.Env = project, env
	if err := cmd.Run(); err == nil || cmd.ProcessState.ExitCode() != 1 {
		t.Errorf("npx byocpack validate of a failing project: %v", err)
	}
}
