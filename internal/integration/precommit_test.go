package integration

import (
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"

	"github.com/byocpack/byocpack/internal/testtool"
)

// checkout is the repository this test runs in.
func checkout(t *testing.T) string {
	t.Helper()
	dir, err := filepath.Abs(filepath.Join("..", ".."))
	if err != nil {
		t.Fatal(err)
	}
	return dir
}

// goEnv is the value of a go env variable.
func goEnv(t *testing.T, name string) string {
	t.Helper()
	out, err := exec.Command("go", "env", name).Output()
	if err != nil {
		t.Fatalf("go env %s: %v", name, err)
	}
	return strings.TrimSpace(string(out))
}

const (
	tidyApp = `<?xml version="1.0" encoding="UTF-8"?>
<ConnectedApp xmlns="http://soap.sforce.com/2006/04/metadata">
    <contactEmail>dev@acme.example</contactEmail>
    <label>Acme App</label>
</ConnectedApp>
`
	messyApp = `<?xml version="1.0" encoding="UTF-8"?>
<ConnectedApp xmlns="http://soap.sforce.com/2006/04/metadata">
  <label>Acme App</label>
  <contactEmail>dev@acme.example</contactEmail>
</ConnectedApp>
`
	appFile = "force-app/main/default/connectedApps/Acme_App.connectedApp-meta.xml"
)

// The hooks of .pre-commit-hooks.yaml, run by Debian's pre-commit from
// this checkout's HEAD (a local repository in .pre-commit-config.yaml;
// pre-commit builds it once per commit) on the staged files of a
// throwaway repository: fmt rewrites a file out of retrieve order and
// fails the commit until the rewrite is staged; validate fails on a
// broken file and passes a good one.
func TestPreCommitHooks(t *testing.T) {
	preCommit := testtool.Path(t, "pre-commit", "apt-get install -y pre-commit")
	testtool.Path(t, "git", "apt-get install -y git")
	repo := t.TempDir()
	env := append(os.Environ(), "PRE_COMMIT_HOME="+testtool.CacheDir(t, "pre-commit"),
		"GOMODCACHE="+goEnv(t, "GOMODCACHE"), "GOCACHE="+goEnv(t, "GOCACHE"), "GOFLAGS=-mod=mod", "GOTOOLCHAIN=local",
		"GIT_CONFIG_GLOBAL=/dev/null", "GIT_CONFIG_NOSYSTEM=1",
		"GIT_AUTHOR_NAME=t", "GIT_AUTHOR_EMAIL=t@example.com", "GIT_COMMITTER_NAME=t", "GIT_COMMITTER_EMAIL=t@example.com")
	run := func(name string, args ...string) (string, error) {
		cmd := exec.Command(name, args...)
		cmd.Dir, cmd.Env = repo, env
		out, err := cmd.CombinedOutput()
		return string(out), err
	}
	must := func(name string, args ...string) {
		t.Helper()
		if out, err := run(name, args...); err != nil {
			t.Fatalf("%s %s: %v\n%s", name, strings.Join(args, " "), err, out)
		}
	}
	write := func(name, content string) {
		t.Helper()
		p := filepath.Join(repo, filepath.FromSlash(name))
		if err := os.MkdirAll(filepath.Dir(p), 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(p, []byte(content), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	hook := func(id string) (string, error) {
		return run(preCommit, "run", id, "--verbose")
	}
	head, err := exec.Command("git", "-C", checkout(t), "rev-parse", "HEAD").Output()
	if err != nil {
		t.Fatalf("git rev-parse HEAD in the checkout: %v", err)
	}
	must("git", "init", "-q", "-b", "main")
	write(".pre-commit-config.yaml", "repos:\n  - repo: "+checkout(t)+"\n    rev: "+strings.TrimSpace(string(head))+
		"\n    hooks:\n      - id: byocpack-fmt\n      - id: byocpack-validate\n")
	write("sfdx-project.json", `{"packageDirectories": [{"path": "force-app", "default": true}], "sourceApiVersion": "66.0"}`+"\n")
	write(appFile, messyApp)
	must("git", "add", "-A")

	if out, err := hook("byocpack-fmt"); err == nil || !strings.Contains(out, "files were modified by this hook") {
		t.Fatalf("fmt hook on a file out of order: %v\n%s", err, out)
	}
	if got, _ := os.ReadFile(filepath.Join(repo, appFile)); string(got) != tidyApp {
		t.Fatalf("fmt hook left:\n%s", got)
	}
	must("git", "add", "-A")
	if out, err := hook("byocpack-fmt"); err != nil {
		t.Fatalf("fmt hook on a formatted file: %v\n%s", err, out)
	}
	if out, err := hook("byocpack-validate"); err != nil {
		t.Fatalf("validate hook on a good file: %v\n%s", err, out)
	}

	write(appFile, strings.Replace(tidyApp, "<label>", "<lable>Acme</lable>\n    <label>", 1))
	must("git", "add", "-A")
	if out, err := hook("byocpack-validate"); err == nil || !strings.Contains(out, "lable") || !strings.Contains(out, appFile) {
		t.Fatalf("validate hook on a broken file: %v\n%s", err, out)
	}
}
