package doctor

import (
	"bytes"
	"encoding/binary"
	"errors"
	"os"
	"os/exec"
	"path/filepath"
	"testing"
)

// TestNothingFromTheInspectedDirectoryIsRun: a project's .git/config can
// name a program for git to run (core.fsmonitor); doctor must not start
// it, nor anything else.
func TestNothingFromTheInspectedDirectoryIsRun(t *testing.T) {
	f := newFixture(t, true)
	marker := filepath.Join(t.TempDir(), "ran")
	script := filepath.Join(t.TempDir(), "fsmonitor.sh")
	f.write(t, script, "#!/bin/sh\ntouch '"+marker+"'\n")
	if err := os.Chmod(script, 0o755); err != nil {
		t.Fatal(err)
	}
	if _, err := exec.LookPath("git"); err == nil {
		// A real repository with an index, as an extracted project has.
		for _, args := range [][]string{{"init", "-q"}, {"add", "sfdx-project.json"}} {
			if out, err := exec.Command("git", append([]string{"-C", f.out}, args...)...).CombinedOutput(); err != nil {
				t.Fatalf("git %v: %v\n%s", args, err, out)
			}
		}
	} else {
		f.write(t, filepath.Join(f.out, ".git", "HEAD"), "ref: refs/heads/main\n")
	}
	f.write(t, filepath.Join(f.out, ".git", "config"), "[core]\n\trepositoryformatversion = 0\n\tfsmonitor = "+script+"\n")
	checks := doctor(t, f.options())
	if _, err := os.Stat(marker); err == nil {
		t.Fatal("doctor ran the program the inspected project's .git/config names")
	}
	expect(t, checks, "source-org", Pass, "global excludes are not read")
}

func TestTrackedFileIsFoundInTheIndex(t *testing.T) {
	if _, err := exec.LookPath("git"); err != nil {
		t.Skip("git not installed: it only makes the index here")
	}
	root := t.TempDir()
	git := func(args ...string) {
		t.Helper()
		if out, err := exec.Command("git", append([]string{"-C", root}, args...)...).CombinedOutput(); err != nil {
			t.Fatalf("git %v: %v\n%s", args, err, out)
		}
	}
	git("init", "-q")
	for _, p := range []string{"a.txt", "dir/b.txt", "dir/sub/c-with-a-longer-name.txt"} {
		if err := os.MkdirAll(filepath.Dir(filepath.Join(root, p)), 0o755); err != nil {
			t.Fatal(err)
		}
		os.WriteFile(filepath.Join(root, p), []byte(p), 0o644)
	}
	for _, version := range []string{"2", "3", "4"} {
		git("-c", "index.version="+version, "add", "a.txt", "dir/sub/c-with-a-longer-name.txt")
		git("update-index", "--index-version", version)
		repo := findRepo(filepath.Join(root, "dir"))
		for p, want := range map[string]bool{"a.txt": true, "dir/sub/c-with-a-longer-name.txt": true, "dir/b.txt": false} {
			if got, ok := repo.tracked(p); !ok || got != want {
				t.Errorf("index v%s: %s tracked %v (read %v), want %v", version, p, got, ok, want)
			}
		}
	}
}

// TestIgnoreRulesAgreeWithGit compares doctor's reading of .gitignore
// files with git check-ignore on the same tree.
func TestIgnoreRulesAgreeWithGit(t *testing.T) {
	if _, err := exec.LookPath("git"); err != nil {
		t.Skip("git not installed")
	}
	paths := []string{
		"source-org/main/default/extlClntAppGlobalOauthSets/A.ecaGlblOauth-meta.xml",
		"force-app/main/default/classes/A.cls",
		"force-app/main/default/classes/A.cls-meta.xml",
		"docs/build/x.txt", "build/y.txt", "a{b}.txt", "#hash", "!bang", "trail ", "force-app/main/default/classes/B.cls",
	}
	for _, tc := range []struct{ root, sub, exclude string }{
		{root: "*.xml\n!*.ecaGlblOauth-meta.xml\n"},
		{root: "source-org/\n!source-org/main/default/extlClntAppGlobalOauthSets/*\n"},
		{root: "source-org/**\n!source-org/**/\n!*.ecaGlblOauth-meta.xml\n"},
		{root: "/build/\n", sub: "*.cls\n!A.cls\n"},
		{root: "build/\n**/classes/*.xml\n"},
		{root: "docs/**/x.txt\nforce-app/**/A.*\n!force-app/main/**/*.cls\n"},
		{root: "a{b}.txt\n\\#hash\n\\!bang\n", exclude: "trail\\ \n*.cls-meta.xml\n"},
		{root: "*.cls-meta.xml\n", sub: "!A.cls-meta.xml\n"},
		{root: "force-app/main\n", exclude: "!force-app/\n"},
		{root: "f*/**/classes\n"},
		{root: "force-app/**/[!A]*.cls\n[a-c]{b}.txt\ndocs/**\n!docs/build/\n"},
		{root: "source-org/**/*[Oo]auth*\n/*.txt\n", exclude: "force-app/main/default/classes/A.?ls\n"},
	} {
		dir := t.TempDir()
		if out, err := exec.Command("git", "-C", dir, "init", "-q").CombinedOutput(); err != nil {
			t.Fatalf("git init: %v\n%s", err, out)
		}
		write := func(p, data string) {
			os.MkdirAll(filepath.Dir(filepath.Join(dir, p)), 0o755)
			if err := os.WriteFile(filepath.Join(dir, p), []byte(data), 0o644); err != nil {
				t.Fatal(err)
			}
		}
		for _, p := range paths {
			write(p, "x")
		}
		write(".gitignore", tc.root)
		write("force-app/main/default/classes/.gitignore", tc.sub)
		write(".git/info/exclude", tc.exclude)
		repo := findRepo(dir)
		for _, p := range paths {
			cmd := exec.Command("git", "-C", dir, "-c", "core.excludesFile=/dev/null", "check-ignore", "-q", "--no-index", "--", p)
			err := cmd.Run()
			want := err == nil
			if got := ignored(repo.rules(p), p); got != want {
				t.Errorf("root %q sub %q exclude %q: %s ignored %v, git says %v", tc.root, tc.sub, tc.exclude, p, got, want)
			}
		}
	}
}

// A version-4 index whose every entry adds to the name before it would
// grow names quadratically; past git's own path limit it is refused, at
// once.
func TestHostileIndexIsRefusedNotGrown(t *testing.T) {
	var b bytes.Buffer
	b.WriteString("DIRC")
	binary.Write(&b, binary.BigEndian, uint32(4))
	binary.Write(&b, binary.BigEndian, uint32(20000))
	part := bytes.Repeat([]byte("a"), 1000)
	for i := 0; i < 20000; i++ {
		b.Write(make([]byte, 40+20+2)) // stat fields, SHA-1, flags
		b.WriteByte(0)                 // strip nothing of the previous name
		b.Write(part)
		b.WriteByte(0)
	}
	n := 0
	err := indexPaths(b.Bytes(), 20, func(string) bool { n++; return true })
	if !errors.Is(err, errIndex) || n > 5 {
		t.Fatalf("err %v after %d names: want the index refused within git's path limit", err, n)
	}
}
