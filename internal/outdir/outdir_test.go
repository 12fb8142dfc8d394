package outdir

import (
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"syscall"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"
)

func writeTree(t *testing.T, dir string, files map[string]string) {
	t.Helper()
	for p, data := range files {
		full := filepath.Join(dir, filepath.FromSlash(p))
		if err := os.MkdirAll(filepath.Dir(full), 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(full, []byte(data), 0o644); err != nil {
			t.Fatal(err)
		}
	}
}

// readTree returns every file and every directory (as "dir/") under dir,
// so leftovers and empty directories show up in comparisons.
func readTree(t *testing.T, dir string) map[string]string {
	t.Helper()
	out := map[string]string{}
	err := filepath.WalkDir(dir, func(p string, d fs.DirEntry, err error) error {
		if err != nil {
			return err
		}
		rel, _ := filepath.Rel(dir, p)
		rel = filepath.ToSlash(rel)
		if rel == "." {
			return nil
		}
		if d.IsDir() {
			out[rel+"/"] = ""
			return nil
		}
		b, err := os.ReadFile(p)
		out[rel] = string(b)
		return err
	})
	if err != nil && !errors.Is(err, fs.ErrNotExist) {
		t.Fatal(err)
	}
	return out
}

func commit(t *testing.T, dir string, files []File, opts PlanOptions) (*Result, error) {
	t.Helper()
	d, err := Open(dir, OpenOptions{Create: true})
	if err != nil {
		return nil, err
	}
	defer d.Close()
	p, err := d.Plan(files, opts)
	if err != nil {
		return nil, err
	}
	return &p.Result, d.Apply(p)
}

func replacesRendered(e Entry) bool { return e.Role == RoleRendered }

func TestCommitThenRenameRemovesOnlyOwnStaleFiles(t *testing.T) {
	dir := filepath.Join(t.TempDir(), "out")
	if _, err := commit(t, dir, []File{{Path: "a/One-meta.xml", Data: []byte("1")}, {Path: "SETUP.md", Data: []byte("b")}}, PlanOptions{Replaces: replacesRendered}); err != nil {
		t.Fatal(err)
	}
	writeTree(t, dir, map[string]string{"a/mine-meta.xml": "user"})
	res, err := commit(t, dir, []File{{Path: "c/Two-meta.xml", Data: []byte("2")}, {Path: "SETUP.md", Data: []byte("b")}}, PlanOptions{Replaces: replacesRendered})
	if err != nil {
		t.Fatal(err)
	}
	if diff := cmp.Diff([]string{"a/One-meta.xml"}, res.Removed); diff != "" {
		t.Errorf("removed (-want +got):\n%s", diff)
	}
	got := readTree(t, dir)
	delete(got, ManifestName)
	want := map[string]string{"a/": "", "a/mine-meta.xml": "user", "SETUP.md": "b", "c/": "", "c/Two-meta.xml": "2"}
	if diff := cmp.Diff(want, got); diff != "" {
		t.Errorf("tree (-want +got):\n%s", diff)
	}
}

func TestIdenticalFileThatWasThereFirstStaysTheUsers(t *testing.T) {
	dir := t.TempDir()
	writeTree(t, dir, map[string]string{"x/Same-meta.xml": "same"})
	res, err := commit(t, dir, []File{{Path: "x/Same-meta.xml", Data: []byte("same")}}, PlanOptions{Replaces: replacesRendered})
	if err != nil {
		t.Fatal(err)
	}
	if diff := cmp.Diff([]string{"x/Same-meta.xml"}, res.Yours); diff != "" {
		t.Fatalf("yours (-want +got):\n%s", diff)
	}
	// A later run that no longer produces the file must leave it.
	if _, err := commit(t, dir, []File{{Path: "y-meta.xml", Data: []byte("y")}}, PlanOptions{Replaces: replacesRendered}); err != nil {
		t.Fatal(err)
	}
	if got := readTree(t, dir)["x/Same-meta.xml"]; got != "same" {
		t.Fatalf("the user's identical file was removed after a rename (got %q)", got)
	}
}

func TestEditedAndForeignFilesConflict(t *testing.T) {
	dir := t.TempDir()
	if _, err := commit(t, dir, []File{{Path: "gen-meta.xml", Data: []byte("v1")}}, PlanOptions{Replaces: replacesRendered}); err != nil {
		t.Fatal(err)
	}
	writeTree(t, dir, map[string]string{"gen-meta.xml": "edited", "theirs-meta.xml": "theirs"})
	before := readTree(t, dir)
	_, err := commit(t, dir, []File{{Path: "gen-meta.xml", Data: []byte("v2")}, {Path: "theirs-meta.xml", Data: []byte("ours")}}, PlanOptions{Replaces: replacesRendered})
	var ce *ConflictError
	if !errors.As(err, &ce) || len(ce.Conflicts) != 2 || !strings.Contains(ce.Conflicts[0], "edited since") || !strings.Contains(ce.Conflicts[1], "not written by byocpack") {
		t.Fatalf("want two conflicts, got %v", err)
	}
	if diff := cmp.Diff(before, readTree(t, dir)); diff != "" {
		t.Fatalf("a refused commit changed the tree:\n%s", diff)
	}
}

// TestHostileManifestChangesNothingOutside plants manifests that name
// files outside the directory and checks that nothing outside changes,
// with and without Force.
func TestHostileManifestChangesNothingOutside(t *testing.T) {
	digestOf := Digest([]byte("victim"))
	for name, entry := range map[string]string{
		"dotdot":     "../victim.txt",
		"deep":       "a/../../victim.txt",
		"absolute":   "/etc/passwd",
		"dot":        "./x",
		"backslash":  `..\victim.txt`,
		"state":      ".byocpack/journal.json",
		"manifest":   ManifestName,
		"empty":      "",
		"doubleslsh": "a//b",
	} {
		t.Run(name, func(t *testing.T) {
			root := t.TempDir()
			writeTree(t, root, map[string]string{"victim.txt": "victim"})
			dir := filepath.Join(root, "out")
			writeTree(t, dir, map[string]string{ManifestName: fmt.Sprintf(`{"tool":"byocpack","version":2,"files":[{"path":%q,"sha256":%q}]}`, entry, digestOf)})
			before := readTree(t, root)
			_, err := Open(dir, OpenOptions{Create: true})
			var cm *CorruptManifestError
			if !errors.As(err, &cm) {
				t.Fatalf("want a corrupt-manifest error, got %v", err)
			}
			if diff := cmp.Diff(before, readTree(t, root)); diff != "" {
				t.Fatalf("tree changed:\n%s", diff)
			}
		})
	}
}

func TestSymlinkedParentIsNeverFollowed(t *testing.T) {
	root := t.TempDir()
	outside := filepath.Join(root, "outside")
	writeTree(t, outside, map[string]string{"victim-meta.xml": "victim"})
	dir := filepath.Join(root, "out")
	writeTree(t, dir, map[string]string{ManifestName: fmt.Sprintf(`{"tool":"byocpack","version":2,"files":[{"path":"link/victim-meta.xml","sha256":%q}]}`, Digest([]byte("victim")))})
	if err := os.Symlink(outside, filepath.Join(dir, "link")); err != nil {
		t.Fatal(err)
	}
	for _, force := range []bool{false, true} {
		_, err := commit(t, dir, []File{{Path: "new-meta.xml", Data: []byte("n")}}, PlanOptions{Force: force, Replaces: replacesRendered})
		if err == nil || !strings.Contains(err.Error(), "symbolic link") {
			t.Fatalf("force=%v: want a symlink refusal, got %v", force, err)
		}
		_, err = commit(t, dir, []File{{Path: "link/victim-meta.xml", Data: []byte("overwritten")}}, PlanOptions{Force: force, Replaces: replacesRendered})
		if err == nil || !strings.Contains(err.Error(), "symbolic link") {
			t.Fatalf("force=%v: want a symlink refusal writing through the link, got %v", force, err)
		}
	}
	if got := readTree(t, outside)["victim-meta.xml"]; got != "victim" {
		t.Fatalf("file outside the directory changed: %q", got)
	}
}

func TestVersion1ManifestIsMigrated(t *testing.T) {
	dir := t.TempDir()
	writeTree(t, dir, map[string]string{"gen-meta.xml": "g", "dist/package.zip": "z"})
	writeTree(t, dir, map[string]string{ManifestName: fmt.Sprintf(`{"tool":"byocpack","files":[{"path":"dist/package.zip","sha256":%q},{"path":"gen-meta.xml","sha256":%q}]}`, Digest([]byte("z")), Digest([]byte("g")))})
	d, err := Open(dir, OpenOptions{Create: true})
	if err != nil {
		t.Fatal(err)
	}
	defer d.Close()
	want := []Entry{{Path: "dist/package.zip", SHA256: Digest([]byte("z")), Role: RoleZip, Project: "."}, {Path: "gen-meta.xml", SHA256: Digest([]byte("g"))}}
	if diff := cmp.Diff(want, d.Owned()); diff != "" {
		t.Fatalf("migrated entries (-want +got):\n%s", diff)
	}
	p, err := d.Plan([]File{{Path: "gen-meta.xml", Data: []byte("g2")}}, PlanOptions{Replaces: replacesRendered})
	if err != nil {
		t.Fatal(err)
	}
	if err := d.Apply(p); err != nil {
		t.Fatal(err)
	}
	if m := readTree(t, dir)[ManifestName]; !strings.Contains(m, `"version": 2`) || !strings.Contains(m, `"role": "zip"`) {
		t.Fatalf("manifest not rewritten as version 2:\n%s", m)
	}
}

// steps lists the names of every step an apply of files goes through in
// dir, by recording them during a real apply.
func steps(t *testing.T, dir string, files []File) []string {
	t.Helper()
	var names []string
	if err := applyWithHook(t, dir, files, func(step string) { names = append(names, step) }); err != nil {
		t.Fatal(err)
	}
	return names
}

// TestFailureAndKillAtEveryStep stops an apply at each of its steps, once
// as a failure (rolled back at once) and once as a kill (rolled back or
// finished by the next Open), and checks that the tree is then exactly
// the old one or the new one, with no leftovers.
func TestFailureAndKillAtEveryStep(t *testing.T) {
	oldFiles := []File{{Path: "keep-meta.xml", Data: []byte("k1")}, {Path: "a/gone-meta.xml", Data: []byte("g")}, {Path: "sub/change-meta.xml", Data: []byte("c1")}}
	newFiles := []File{{Path: "keep-meta.xml", Data: []byte("k1")}, {Path: "sub/change-meta.xml", Data: []byte("c2")}, {Path: "deep/new/file-meta.xml", Data: []byte("n")}}
	setup := func(t *testing.T) string {
		dir := filepath.Join(t.TempDir(), "out")
		if _, err := commit(t, dir, oldFiles, PlanOptions{Replaces: replacesRendered}); err != nil {
			t.Fatal(err)
		}
		writeTree(t, dir, map[string]string{"user.txt": "mine"})
		return dir
	}
	ref := setup(t)
	oldTree := readTree(t, ref)
	if _, err := commit(t, ref, newFiles, PlanOptions{Replaces: replacesRendered}); err != nil {
		t.Fatal(err)
	}
	newTree := readTree(t, ref)

	all := steps(t, setup(t), newFiles)
	if len(all) < 6 {
		t.Fatalf("only %d steps found: %v", len(all), all)
	}
	for i, step := range all {
		for _, kill := range []bool{false, true} {
			t.Run(fmt.Sprintf("%02d-%s-kill=%v", i, step, kill), func(t *testing.T) {
				dir := setup(t)
				d, err := Open(dir, OpenOptions{Create: true})
				if err != nil {
					t.Fatal(err)
				}
				p, err := d.Plan(newFiles, PlanOptions{Replaces: replacesRendered})
				if err != nil {
					t.Fatal(err)
				}
				injected := errors.New("injected failure")
				if kill {
					injected = errKilled
				}
				d.fault = func(s string) error {
					if s == step {
						return injected
					}
					return nil
				}
				err = d.Apply(p)
				if kill {
					// The process is gone: no Close, the lock is dropped
					// with it; the next run recovers.
					d.lock.file.Close()
				} else {
					d.Close()
					if step == "cleanup" {
						if err != nil {
							t.Fatalf("a failed cleanup after commit must not fail the run: %v", err)
						}
					} else if !errors.Is(err, injected) {
						t.Fatalf("want the injected error, got %v", err)
					}
				}
				d2, err := Open(dir, OpenOptions{Create: true})
				if err != nil {
					t.Fatalf("next run: %v", err)
				}
				d2.Close()
				got := readTree(t, dir)
				committed := step == "cleanup"
				want := oldTree
				if committed {
					want = newTree
				}
				if diff := cmp.Diff(want, got); diff != "" {
					t.Fatalf("after stopping at %s the tree is neither the old nor the new one (-want +got):\n%s", step, diff)
				}
			})
		}
	}
}

func TestSecondRunWaitsThenFailsClearly(t *testing.T) {
	for _, excl := range []bool{false, true} {
		t.Run(fmt.Sprintf("excl=%v", excl), func(t *testing.T) {
			dir := t.TempDir()
			first, err := Open(dir, OpenOptions{Create: true, ExclusiveLockFile: excl})
			if err != nil {
				t.Fatal(err)
			}
			_, err = Open(dir, OpenOptions{Create: true, LockWait: 50 * time.Millisecond, ExclusiveLockFile: excl})
			var busy *BusyError
			if !errors.As(err, &busy) || !strings.Contains(err.Error(), fmt.Sprintf("pid %d", os.Getpid())) || strings.Contains(err.Error(), "txn") {
				t.Fatalf("want a busy error naming the holder, got %v", err)
			}
			done := make(chan error)
			go func() {
				d, err := Open(dir, OpenOptions{Create: true, LockWait: 5 * time.Second, ExclusiveLockFile: excl})
				if err == nil {
					d.Close()
				}
				done <- err
			}()
			time.Sleep(100 * time.Millisecond)
			first.Close()
			if err := <-done; err != nil {
				t.Fatalf("a waiting run did not get the lock once it was released: %v", err)
			}
			if got := readTree(t, dir); len(got) != 0 {
				t.Fatalf("leftovers after both runs: %v", got)
			}
		})
	}
}

func TestStaleExclusiveLockOfDeadProcessIsTakenOver(t *testing.T) {
	dir := t.TempDir()
	host, _ := os.Hostname()
	// pid 2^22+1 is above Linux's pid_max default range of live processes.
	writeTree(t, dir, map[string]string{StateDirName + "/" + exclName: fmt.Sprintf("%d %s 2026-01-01T00:00:00Z\n", 4194305, host)})
	d, err := Open(dir, OpenOptions{Create: true, LockWait: 100 * time.Millisecond, ExclusiveLockFile: true})
	if err != nil {
		t.Fatalf("stale lock not taken over: %v", err)
	}
	d.Close()
	writeTree(t, dir, map[string]string{StateDirName + "/" + exclName: fmt.Sprintf("%d otherhost 2026-01-01T00:00:00Z\n", 1)})
	if _, err := Open(dir, OpenOptions{Create: true, LockWait: 50 * time.Millisecond, ExclusiveLockFile: true}); err == nil {
		t.Fatal("a lock held on another host was taken over")
	}
}

func TestNewDirectoryAppearsWholeAndFailedOneLeavesNothing(t *testing.T) {
	dir := filepath.Join(t.TempDir(), "new", "out")
	d, err := Open(dir, OpenOptions{Create: true})
	if err != nil {
		t.Fatal(err)
	}
	p, err := d.Plan([]File{{Path: "a-meta.xml", Data: []byte("a")}}, PlanOptions{})
	if err != nil {
		t.Fatal(err)
	}
	d.fault = func(s string) error {
		if strings.HasPrefix(s, "write ") {
			return errors.New("disk full")
		}
		return nil
	}
	if err := d.Apply(p); err == nil {
		t.Fatal("want the injected error")
	}
	d.Close()
	if _, err := os.Stat(dir); !errors.Is(err, fs.ErrNotExist) {
		t.Fatalf("a failed first run left %s behind: %v", dir, readTree(t, dir))
	}
}

func TestFailedFirstRunRemovesTheDirectoriesItCreated(t *testing.T) {
	root := t.TempDir()
	d, err := Open(filepath.Join(root, "a", "b", "out"), OpenOptions{Create: true})
	if err != nil {
		t.Fatal(err)
	}
	d.Close()
	if got := readTree(t, root); len(got) != 0 {
		t.Fatalf("left behind: %v", got)
	}
}

// TestPlantedJournalTakesNothing: a journal byocpack did not write (carried
// by a pull request, say) names the user's files; recovery must leave
// every one of them, and nothing outside moves in.
func TestPlantedJournalTakesNothing(t *testing.T) {
	root := t.TempDir()
	dir := filepath.Join(root, "out")
	writeTree(t, dir, map[string]string{".git/HEAD": "ref", "notes.md": "work", "byoc.yaml": "spec", "mydir/a.txt": "a"})
	writeTree(t, root, map[string]string{"outside/old/stolen.txt": "outside"})
	before := readTree(t, root)
	writeTree(t, dir, map[string]string{StateDirName + "/journal.json": `{"state":"prepared","writes":[".git","notes.md","byoc.yaml","mydir"],"removes":["stolen.txt"],"dirs":[]}`})
	if _, err := Open(dir, OpenOptions{}); err != nil {
		t.Logf("open: %v", err)
	}
	after := readTree(t, root)
	for p, v := range before {
		if after[p] != v {
			t.Errorf("%s changed: %q -> %q", p, v, after[p])
		}
	}
	// A txn that is a link is refused, never followed.
	os.RemoveAll(filepath.Join(dir, StateDirName))
	writeTree(t, dir, map[string]string{StateDirName + "/journal.json": `{"state":"prepared","writes":[],"removes":["stolen.txt"],"dirs":[]}`})
	if err := os.Symlink(filepath.Join(root, "outside"), filepath.Join(dir, StateDirName, "txn")); err != nil {
		t.Fatal(err)
	}
	if _, err := Open(dir, OpenOptions{}); err == nil || !strings.Contains(err.Error(), "will not follow") {
		t.Errorf("a txn link was not refused: %v", err)
	}
	if _, err := os.Stat(filepath.Join(dir, "stolen.txt")); err == nil {
		t.Error("a file from outside was moved in")
	}
}

func TestJournalFIFOIsRefusedNotBlockedOn(t *testing.T) {
	dir := t.TempDir()
	if err := os.MkdirAll(filepath.Join(dir, StateDirName), 0o755); err != nil {
		t.Fatal(err)
	}
	if err := syscall.Mkfifo(filepath.Join(dir, StateDirName, "journal.json"), 0o644); err != nil {
		t.Fatal(err)
	}
	if _, err := Open(dir, OpenOptions{}); err == nil || !strings.Contains(err.Error(), "FIFO") {
		t.Fatalf("want a refusal naming the FIFO, got %v", err)
	}
}

func TestWaitForTheLockStopsOnCancel(t *testing.T) {
	dir := t.TempDir()
	first, err := Open(dir, OpenOptions{Create: true})
	if err != nil {
		t.Fatal(err)
	}
	defer first.Close()
	done := make(chan struct{})
	go func() { time.Sleep(50 * time.Millisecond); close(done) }()
	start := time.Now()
	_, err = Open(dir, OpenOptions{Create: true, LockWait: 30 * time.Second, Done: done})
	if err == nil || !strings.Contains(err.Error(), "interrupted") || time.Since(start) > 5*time.Second {
		t.Fatalf("want an interrupted wait at once, got %v after %v", err, time.Since(start))
	}
}

func TestPlantedCommittedJournalPrunesNoUserFolder(t *testing.T) {
	// The commit record as this byocpack writes it, and as an older one
	// did (the journal's state).
	for name, record := range map[string]string{
		"committed.json": `{"state":"prepared","writes":[],"removes":["empty/kept/x-meta.xml"],"dirs":[],"layout":1}`,
		"journal.json":   `{"state":"committed","writes":[],"removes":["empty/kept/x-meta.xml"],"dirs":[]}`,
	} {
		dir := t.TempDir()
		if err := os.MkdirAll(filepath.Join(dir, "empty", "kept"), 0o755); err != nil {
			t.Fatal(err)
		}
		writeTree(t, dir, map[string]string{StateDirName + "/" + name: record})
		d, err := Open(dir, OpenOptions{})
		if err != nil {
			t.Fatal(err)
		}
		d.Close()
		if _, err := os.Stat(filepath.Join(dir, "empty", "kept")); err != nil {
			t.Fatalf("%s: a planted journal pruned the user's empty folder: %v", name, err)
		}
		if _, err := os.Stat(filepath.Join(dir, StateDirName)); err == nil {
			t.Errorf("%s: the finished record was left behind", name)
		}
	}
}

// A journal that cannot prove which files its run wrote (one of the
// older, mirrored layout, or one planted in a repository with the digests
// of the user's files) moves no file out of place and deletes nothing: the
// user's earlier version stays kept aside, and the error says where.
func TestUnprovableJournalTakesNoFile(t *testing.T) {
	dir := t.TempDir()
	newBytes := "new"
	digest := Digest([]byte(newBytes))
	writeTree(t, dir, map[string]string{
		"a/placed-meta.xml":                           newBytes,
		"a/replaced-meta.xml":                         newBytes,
		StateDirName + "/txn/new/a/staged-meta.xml":   newBytes,
		StateDirName + "/txn/old/a/replaced-meta.xml": "the user's",
		StateDirName + "/journal.json": fmt.Sprintf(`{"state":"prepared","writes":["a/placed-meta.xml","a/replaced-meta.xml","a/staged-meta.xml"],"digests":{"a/placed-meta.xml":%q,"a/replaced-meta.xml":%q,"a/staged-meta.xml":%q},"removes":[],"dirs":[]}`,
			digest, digest, digest),
	})
	_, err := Open(dir, OpenOptions{})
	if err == nil || !strings.Contains(err.Error(), "stays in") || !strings.Contains(err.Error(), "replaced-meta.xml") {
		t.Fatalf("want a refusal that says where the earlier version is, got %v", err)
	}
	got := readTree(t, dir)
	for _, p := range []string{"a/placed-meta.xml", "a/replaced-meta.xml", StateDirName + "/txn/old/a/replaced-meta.xml"} {
		if _, ok := got[p]; !ok {
			t.Errorf("%s is gone", p)
		}
	}
}

// The planted journals of the review: one naming a user's file (and
// .git) with its digest, one that stages through a link to outside.
func TestPlantedJournalsWithDigestsTakeNothing(t *testing.T) {
	root := t.TempDir()
	dir := filepath.Join(root, "out")
	writeTree(t, dir, map[string]string{"NOTES.md": "my notes", "docs/plan.md": "plan"})
	notes := Digest([]byte("my notes"))
	writeTree(t, dir, map[string]string{StateDirName + "/journal.json": fmt.Sprintf(`{"state":"prepared","writes":["NOTES.md"],"digests":{"NOTES.md":%q},"layout":1}`, notes)})
	if _, err := Open(dir, OpenOptions{}); err != nil {
		t.Logf("open: %v", err)
	}
	if b, err := os.ReadFile(filepath.Join(dir, "NOTES.md")); err != nil || string(b) != "my notes" {
		t.Errorf("NOTES.md was taken by a planted journal: %q, %v", b, err)
	}
	os.RemoveAll(filepath.Join(dir, StateDirName))

	writeTree(t, dir, map[string]string{".git/HEAD": "ref", StateDirName + "/journal.json": fmt.Sprintf(`{"state":"prepared","writes":[".git/HEAD"],"digests":{".git/HEAD":%q},"layout":1}`, Digest([]byte("ref")))})
	if _, err := Open(dir, OpenOptions{}); err == nil || !strings.Contains(err.Error(), ".git/HEAD") {
		t.Errorf("a journal naming .git was not refused: %v", err)
	}
	if _, err := os.Stat(filepath.Join(dir, ".git", "HEAD")); err != nil {
		t.Errorf(".git/HEAD is gone: %v", err)
	}
	os.RemoveAll(filepath.Join(dir, StateDirName))

	outside := filepath.Join(root, "outside")
	if err := os.MkdirAll(outside, 0o755); err != nil {
		t.Fatal(err)
	}
	if err := os.MkdirAll(filepath.Join(dir, StateDirName, "txn", "new"), 0o755); err != nil {
		t.Fatal(err)
	}
	if err := os.Symlink(outside, filepath.Join(dir, StateDirName, "txn", "new", "docs")); err != nil {
		t.Fatal(err)
	}
	writeTree(t, dir, map[string]string{StateDirName + "/journal.json": fmt.Sprintf(`{"state":"prepared","writes":["docs/plan.md"],"digests":{"docs/plan.md":%q}}`, Digest([]byte("plan")))})
	if _, err := Open(dir, OpenOptions{}); err != nil {
		t.Logf("open: %v", err)
	}
	if _, err := os.Stat(filepath.Join(dir, "docs", "plan.md")); err != nil {
		t.Errorf("docs/plan.md was moved: %v", err)
	}
	if _, err := os.Stat(filepath.Join(outside, "plan.md")); err == nil {
		t.Error("a file was moved outside the output directory")
	}
}

// A hard link planted at the lock's path is refused, not written through.
func TestHardLinkedLockIsRefused(t *testing.T) {
	dir := t.TempDir()
	writeTree(t, dir, map[string]string{"NOTES.md": "my notes"})
	if err := os.MkdirAll(filepath.Join(dir, StateDirName), 0o755); err != nil {
		t.Fatal(err)
	}
	if err := os.Link(filepath.Join(dir, "NOTES.md"), filepath.Join(dir, StateDirName, flockName)); err != nil {
		t.Skip("no hard links here:", err)
	}
	if _, err := Open(dir, OpenOptions{Create: true}); err == nil || !strings.Contains(err.Error(), "hard link") {
		t.Errorf("want a refusal naming the hard link, got %v", err)
	}
	if b, _ := os.ReadFile(filepath.Join(dir, "NOTES.md")); string(b) != "my notes" {
		t.Errorf("NOTES.md was written through the lock: %q", b)
	}
}

// Staging writes each file flat into the transaction directory: the only
// directories an apply creates are that one and the output's own.
func TestStagingCreatesNoMirroredTree(t *testing.T) {
	dir := t.TempDir()
	d, err := Open(dir, OpenOptions{Create: true})
	if err != nil {
		t.Fatal(err)
	}
	defer d.Close()
	var staged map[string]string
	d.fault = func(step string) error {
		if step == "journal" {
			staged = readTree(t, filepath.Join(dir, StateDirName, "txn"))
		}
		return nil
	}
	p, err := d.Plan([]File{{Path: "x/y/z/a-meta.xml", Data: []byte("a"), Role: RoleRendered}, {Path: "b-meta.xml", Data: []byte("b"), Role: RoleRendered}}, PlanOptions{})
	if err != nil {
		t.Fatal(err)
	}
	if err := d.Apply(p); err != nil {
		t.Fatal(err)
	}
	var names []string
	for name := range staged {
		names = append(names, name)
	}
	slices.Sort(names)
	// The two files and the manifest, each under its index in the plan.
	want := []string{"n0", "n1", "n2"}
	if diff := cmp.Diff(want, names); diff != "" {
		t.Errorf("staged (-want +got):\n%s", diff)
	}
}

// The second review's planted shapes: each is refused, and no file or
// folder of the user's changes.
func TestPlantedStateOfTheSecondReview(t *testing.T) {
	userTree := map[string]string{".git/HEAD": "ref: refs/heads/main\n", "keep/me/empty/.keep": "", "NOTES.md": "mine"}
	for _, tc := range []struct {
		name  string
		plant map[string]string
		want  string
	}{
		{"manifest claims .git", map[string]string{ManifestName: fmt.Sprintf(`{"tool":"byocpack","version":2,"files":[{"path":".git/HEAD","sha256":%q,"role":"rendered"}]}`, Digest([]byte("ref: refs/heads/main\n")))}, "not a path byocpack writes"},
		{"journal plants a hook", map[string]string{
			StateDirName + "/txn/w0":       "#!/bin/sh\necho PWNED\n",
			StateDirName + "/journal.json": `{"state":"prepared","writes":[".GIT/hooks/pre-commit"],"digests":{},"ids":{},"removes":[],"dirs":[],"layout":1}`}, "not a path byocpack writes"},
		{"journal writes its own state", map[string]string{
			StateDirName + "/txn/w0":       `{"state":"committed"}`,
			StateDirName + "/journal.json": `{"state":"prepared","writes":[".byocpack/committed.json"],"digests":{},"ids":{},"removes":[],"dirs":[],"layout":1}`}, "not a path byocpack writes"},
		{"journal lists folders of no write", map[string]string{
			StateDirName + "/journal.json": `{"state":"prepared","writes":[],"digests":{},"removes":[],"dirs":["keep","keep/me"],"layout":1}`}, "holds none of the files"},
		{"committed journal prunes by a planted aside", map[string]string{
			StateDirName + "/txn/r0":         "x",
			StateDirName + "/committed.json": `{"state":"prepared","writes":[],"digests":{},"removes":["keep/me/empty/X-meta.xml"],"dirs":[],"layout":1}`}, ""},
		{"journal too long", map[string]string{
			StateDirName + "/journal.json": `{"state":"prepared","writes":[` + strings.Repeat(`"a/b-meta.xml",`, maxEntries) + `"a/b-meta.xml"],"digests":{},"removes":[],"dirs":[],"layout":1}`}, "more than byocpack ever writes"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			dir := t.TempDir()
			writeTree(t, dir, userTree)
			writeTree(t, dir, tc.plant)
			before := readTree(t, dir)
			d, err := Open(dir, OpenOptions{})
			if err == nil {
				d.Close()
			}
			if tc.want != "" && (err == nil || !strings.Contains(err.Error(), tc.want)) {
				t.Errorf("want a refusal saying %q, got %v", tc.want, err)
			}
			after := readTree(t, dir)
			for p, v := range before {
				if strings.HasPrefix(p, StateDirName) || p == ManifestName {
					continue
				}
				if got, ok := after[p]; !ok || got != v {
					t.Errorf("%s changed: %q -> %q (present %v)", p, v, got, ok)
				}
			}
			if _, err := os.Stat(filepath.Join(dir, ".GIT", "hooks", "pre-commit")); err == nil {
				t.Error("a hook was planted")
			}
		})
	}
}

// A file whose identity changed since the kill (the directory was copied
// or moved to another file system) is left in place and reported, not
// claimed as undone.
func TestRecoveryReportsWhatItCannotProve(t *testing.T) {
	dir := filepath.Join(t.TempDir(), "out")
	d, err := Open(dir, OpenOptions{Create: true})
	if err != nil {
		t.Fatal(err)
	}
	p, err := d.Plan([]File{{Path: "a/New-meta.xml", Data: []byte("new"), Role: RoleRendered}}, PlanOptions{})
	if err != nil {
		t.Fatal(err)
	}
	d.fault = func(step string) error {
		if step == "commit" {
			return errKilled
		}
		return nil
	}
	if err := d.Apply(p); !errors.Is(err, errKilled) {
		t.Fatalf("want the kill, got %v", err)
	}
	d.lock.file.Close()
	// A copy gives every file a new inode.
	src := filepath.Join(dir, "a", "New-meta.xml")
	data, _ := os.ReadFile(src)
	// Written beside it first, so it cannot take the freed inode.
	if err := os.WriteFile(src+".copy", data, 0o644); err != nil {
		t.Fatal(err)
	}
	if err := os.Rename(src+".copy", src); err != nil {
		t.Fatal(err)
	}
	if _, err := Open(dir, OpenOptions{}); err == nil || !strings.Contains(err.Error(), "cannot prove") {
		t.Fatalf("want a report of what could not be proven, got %v", err)
	}
	if _, err := os.Stat(src); err != nil {
		t.Errorf("the file was moved: %v", err)
	}
}

// Apply refuses to journal beside a commit record left from another run.
func TestApplyRefusesAStrayCommitRecord(t *testing.T) {
	dir := t.TempDir()
	d, err := Open(dir, OpenOptions{Create: true})
	if err != nil {
		t.Fatal(err)
	}
	defer d.Close()
	writeTree(t, dir, map[string]string{StateDirName + "/committed.json": "{}"})
	p, err := d.Plan([]File{{Path: "SETUP.md", Data: []byte("x"), Role: RoleRendered}}, PlanOptions{})
	if err != nil {
		t.Fatal(err)
	}
	if err := d.Apply(p); err == nil || !strings.Contains(err.Error(), "left from another run") {
		t.Errorf("want a refusal, got %v", err)
	}
}
