package generator

import (
	"context"
	"io"
	"path/filepath"

	"github.com/byocpack/byocpack/internal/fsutil"
	"github.com/byocpack/byocpack/internal/tree"
)

// MaxFileSize bounds every file byocpack reads, and what a command reads
// from standard input in a file's place (64 MiB).
const MaxFileSize = 64 << 20

// SpecInput is RenderOptions with the spec set: specPath's directory
// opened (so the certificate it names resolves beside it), or with
// specPath "-" the spec read from stdin (its relative paths then resolve
// from the working directory). Either way reads are bounded and a FIFO or
// device is refused rather than blocked on.
func SpecInput(specPath string, stdin io.Reader) (RenderOptions, error) {
	if specPath == "-" {
		data, err := tree.ReadAllLimited(stdin, tree.MaxInputFile, "the spec on standard input")
		if err != nil {
			return RenderOptions{}, err
		}
		const name = "<stdin>"
		return RenderOptions{SpecFS: tree.WithFile(tree.DirFS(".", tree.MaxInputFile), name, data), SpecPath: name, SpecDisplay: name}, nil
	}
	abs, err := filepath.Abs(specPath)
	if err != nil {
		return RenderOptions{}, err
	}
	return RenderOptions{
		SpecFS:      tree.DirFS(filepath.Dir(abs), tree.MaxInputFile),
		SpecPath:    filepath.Base(abs),
		SpecDisplay: filepath.ToSlash(specPath),
	}, nil
}

// MergeFilesOptions name the files of a three-way merge, as git gives them
// to a merge driver.
type MergeFilesOptions struct {
	// Path is where the file is in the repository (git's %P).
	Path string
	// Base, Ours and Theirs are the three versions' files (%O %A %B);
	// the result replaces Ours.
	Base, Ours, Theirs string
	MarkerSize         int
}

// MergeFiles reads the three versions (bounded), merges them as Merge
// does and, when it handled the file, writes the result over Ours
// atomically, never through a link. An unhandled file is left for the
// caller to merge as text.
func MergeFiles(ctx context.Context, opts MergeFilesOptions) (*MergeResult, error) {
	var data [3][]byte
	for i, name := range []string{opts.Base, opts.Ours, opts.Theirs} {
		d, err := tree.ReadPath(name)
		if err != nil {
			return nil, err
		}
		data[i] = d
	}
	res, err := Merge(ctx, MergeOptions{Path: opts.Path, Base: data[0], Ours: data[1], Theirs: data[2], MarkerSize: opts.MarkerSize})
	if err != nil || !res.Handled {
		return res, err
	}
	return res, fsutil.WriteFile(filepath.Dir(opts.Ours), filepath.Base(opts.Ours), res.Data, 0o644, true)
}
