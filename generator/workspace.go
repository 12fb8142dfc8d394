package generator

import (
	"context"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"strings"
	"sync"

	"github.com/byocpack/byocpack/internal/fserr"
	"github.com/byocpack/byocpack/internal/outdir"
	"github.com/byocpack/byocpack/internal/sfdx"
	"github.com/byocpack/byocpack/internal/tree"
)

// workspace is a directory a run reads a project from and writes to. On
// disk (the production path) it is an outdir.Dir: locked, an interrupted
// run finished or undone, its manifest read, written by one journalled
// apply. In the in-memory harness (run.fsys, tests only) it is a project
// held in an fs.FS, read through the same bounded reader and never
// written: the steps up to the plan run unchanged over it.
type workspace struct {
	// path is the directory as the user named it, for messages.
	path string
	dir  *outdir.Dir // on disk; nil over fsys
	fsys fs.FS
	// real is path with the links in it resolved, below which a read
	// follows none (tree.ReadBelow); made once, when first needed.
	real func() string
}

// open opens dir as a workspace of the run and closes it when the run
// ends; create makes a missing directory (a run that will write there).
func (r *run) open(dir string, create bool) (*workspace, error) {
	if r.fsys != nil {
		return &workspace{path: dir, fsys: r.fsys}, nil
	}
	d, err := outdir.Open(dir, outdir.OpenOptions{Create: create, LockWait: r.lockWait, Done: r.ctx.Done()})
	if err != nil {
		return nil, err
	}
	r.closers = append(r.closers, d.Close)
	r.recovered = append(r.recovered, d.Recovered)
	return &workspace{path: dir, dir: d}, nil
}

// ReadFile reads a file of the workspace (nil when it does not exist),
// never through a link, a FIFO or a device, and bounded in size.
func (w *workspace) ReadFile(rel string) ([]byte, error) {
	if w.dir != nil {
		return w.dir.ReadFile(rel)
	}
	b, err := tree.ReadFSFile(w.fsys, rel)
	if err != nil {
		return nil, fmt.Errorf("%s: %v", filepath.Join(w.path, filepath.FromSlash(rel)), fserr.Cause(err))
	}
	return b, nil
}

// Missing reports whether the directory does not exist (and was not
// created).
func (w *workspace) Missing() bool { return w.dir != nil && w.dir.Missing() }

// Owned is what byocpack wrote there before (none in memory).
func (w *workspace) Owned() []outdir.Entry {
	if w.dir == nil {
		return nil
	}
	return w.dir.Owned()
}

// reader is the bounded reader over the workspace.
func (w *workspace) reader(ctx context.Context) *tree.Reader {
	r := tree.NewReader(w.path)
	r.Ctx, r.FS = ctx, w.fsys
	return r
}

// isDir reports whether rel is a directory of the workspace.
func (w *workspace) isDir(rel string) bool {
	var fi fs.FileInfo
	var err error
	if w.fsys != nil {
		fi, err = fs.Stat(w.fsys, rel)
	} else {
		fi, err = os.Stat(filepath.Join(w.path, filepath.FromSlash(rel)))
	}
	return err == nil && fi.IsDir()
}

// load reads, when a worker checks it, a file the reader listed as rel,
// named name by the reader. The listing refused links and special files;
// the read is bounded as every read is, without checking every parent
// again for a link (validate only reads).
func (w *workspace) load(rel, name string) func() ([]byte, error) {
	if w.fsys != nil {
		return func() ([]byte, error) { return tree.ReadFSPath(w.fsys, rel) }
	}
	// Read below the project as the walk that listed it would: a file or
	// folder swapped for a link since is refused, never followed.
	if w.real == nil {
		w.real = sync.OnceValue(func() string { return tree.RealDir(w.path) })
	}
	return func() ([]byte, error) { return tree.ReadBelow(w.real(), rel, name) }
}

// snapshot reads the project in w whose sfdx-project.json holds project:
// the project files and every package directory, honouring .forceignore.
// A directory that does not exist yet gives an empty tree.
//
// read holds files the run read already (nil for one that is not there),
// which are not read again.
func snapshot(ctx context.Context, w *workspace, project []byte, read map[string][]byte) (*sfdx.Snapshot, error) {
	t := tree.New()
	for _, name := range []string{sfdx.ForceIgnoreFile, ".gitignore"} {
		b, known := read[name]
		var err error
		if !known {
			b, err = w.ReadFile(name)
		}
		if err != nil {
			return nil, err
		}
		if b != nil {
			t.Set(name, b)
		}
	}
	if project == nil {
		return &sfdx.Snapshot{Project: &sfdx.Project{Dir: w.path}, Ignore: &sfdx.ForceIgnore{}, Tree: t}, nil
	}
	t.Set(sfdx.ProjectFile, project)
	snap, err := sfdx.ParseSnapshot(t, w.path)
	if err != nil {
		return nil, err
	}
	return snap, readPackageDirs(ctx, w, snap)
}

// readPackageDirs adds to the snapshot's tree the files of its package
// directories in w that it does not hold yet.
func readPackageDirs(ctx context.Context, w *workspace, snap *sfdx.Snapshot) error {
	if w.Missing() {
		return nil
	}
	r := w.reader(ctx)
	// A large content file is hashed and scanned as it is read, then held
	// by that record only; the zip reads it again and checks the digest.
	r.Lazy = lazyContent
	if err := sfdx.ReadPackageDirs(r, snap.Project, snap.Ignore); err != nil {
		return err
	}
	for _, p := range r.Tree.Paths() {
		if _, ok := snap.Tree.Get(p); !ok && !isState(p) {
			snap.Tree.Copy(r.Tree, p)
		}
	}
	return nil
}

// lazyContent says whether the snapshot keeps large content files by
// their record (tree.LazyOver); tests turn it off to compare with a run
// that holds every byte.
var lazyContent = true

func isState(p string) bool {
	return p == outdir.ManifestName || p == outdir.StateDirName || strings.HasPrefix(p, outdir.StateDirName+"/") || strings.Contains(p, "/"+outdir.StateDirName+"/")
}
