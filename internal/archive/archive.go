// Package archive reads zip and tar archives (plain or compressed) into an
// in-memory tree, never onto the disk, refusing what an archive can use to
// attack the reader: paths that climb out ("..", absolute, drive letters,
// backslashes), links, devices, FIFOs, and sizes past the bounds below, so
// a zip bomb stops with a clear error instead of filling memory.
package archive

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"path"
	"strings"

	"github.com/mholt/archives"

	"github.com/byocpack/byocpack/internal/tree"
)

// Bounds on what one Reader accepts, summed over every archive it reads
// (an archive and the archives nested in it share them).
const (
	// MaxEntries is above the 35,000 files the largest AppExchange
	// package may hold (Salesforce's Metadata API limits; 10,000 for a
	// second-generation package), with room for directory entries.
	MaxEntries = 50_000
	// MaxEntrySize matches the largest file byocpack reads from a project
	// (tree.MaxFileSize): a metadata file, a static resource (5 MB at
	// most) or a nested package.zip (39 MB at most, the Metadata API's
	// limit for a deployed zip) fits far below it.
	MaxEntrySize = tree.MaxFileSize
	// MaxTotalSize is the Metadata API's limit on the uncompressed size of
	// one deployment, 600 MB (629,145,600 bytes): no real package expands
	// past it, a zip bomb does.
	MaxTotalSize = 600 << 20
)

// Limits bound a Reader; the zero value means the constants above.
type Limits struct {
	Entries   int
	EntrySize int64
	TotalSize int64
}

func (l Limits) orDefaults() Limits {
	if l.Entries <= 0 {
		l.Entries = MaxEntries
	}
	if l.EntrySize <= 0 {
		l.EntrySize = MaxEntrySize
	}
	if l.TotalSize <= 0 {
		l.TotalSize = MaxTotalSize
	}
	return l
}

// RefusedError says why an archive, or one entry of it, was not read.
type RefusedError struct {
	// Archive is the archive as shown to the user; Entry the entry's name
	// as stored (empty when the whole archive is refused).
	Archive, Entry, Reason string
}

func (e *RefusedError) Error() string {
	if e.Entry == "" {
		return fmt.Sprintf("%s: %s", e.Archive, e.Reason)
	}
	return fmt.Sprintf("%s: entry %q: %s", e.Archive, e.Entry, e.Reason)
}

// Reader reads archives within one budget of entries and bytes. It is not
// safe for concurrent use.
type Reader struct {
	lim     Limits
	entries int
	total   int64
}

// NewReader returns a Reader bounded by lim.
func NewReader(lim Limits) *Reader { return &Reader{lim: lim.orDefaults()} }

// zipMagic and the tar "ustar" magic at offset 257 tell archives from
// other files without trusting the file name.
var zipMagic = []byte("PK\x03\x04")

// Looks reports whether data starts like an archive this package reads (a
// zip, a tar, or a compressed stream that may hold a tar).
func Looks(data []byte) bool {
	if bytes.HasPrefix(data, zipMagic) || bytes.HasPrefix(data, []byte("PK\x05\x06")) {
		return true
	}
	if len(data) > 262 && string(data[257:262]) == "ustar" {
		return true
	}
	for _, m := range [][]byte{{0x1f, 0x8b}, []byte("BZh"), {0xfd, '7', 'z', 'X', 'Z', 0}, {0x28, 0xb5, 0x2f, 0xfd}} {
		if bytes.HasPrefix(data, m) {
			return true
		}
	}
	return false
}

// Read returns the regular files of the archive in data, keyed by their
// clean slash-separated names; directories are implied. name is how the
// archive is shown in errors.
func (r *Reader) Read(ctx context.Context, name string, data []byte) (*tree.Tree, error) {
	ex, err := extractor(ctx, name, data)
	if err != nil {
		return nil, err
	}
	t := tree.New()
	err = ex.Extract(ctx, bytes.NewReader(data), func(ctx context.Context, f archives.FileInfo) error {
		return r.entry(name, int64(len(data)), f, t)
	})
	if err != nil {
		var refused *RefusedError
		if errors.As(err, &refused) || errors.Is(err, context.Canceled) || errors.Is(err, context.DeadlineExceeded) {
			return nil, unwrapRefused(err)
		}
		return nil, fmt.Errorf("%s: cannot read the archive: %v", name, err)
	}
	return t, nil
}

func unwrapRefused(err error) error {
	var refused *RefusedError
	if errors.As(err, &refused) {
		return refused
	}
	return err
}

// extractor accepts zip and tar, plain or gzip, bzip2, xz or zstd
// compressed; it identifies the format from the bytes, never the name.
func extractor(ctx context.Context, name string, data []byte) (archives.Extractor, error) {
	format, _, err := archives.Identify(ctx, "", bytes.NewReader(data))
	if err != nil {
		return nil, &RefusedError{Archive: name, Reason: "not a zip or tar archive"}
	}
	switch f := format.(type) {
	case archives.Zip:
		return f, nil
	case archives.Tar:
		return f, nil
	case archives.CompressedArchive:
		if _, isTar := f.Extraction.(archives.Tar); isTar {
			switch f.Compression.(type) {
			case archives.Gz, archives.Bz2, archives.Xz, archives.Zstd:
				return f, nil
			}
		}
	}
	return nil, &RefusedError{Archive: name, Reason: fmt.Sprintf("a %s archive; byocpack reads zip and tar (.tar, .tar.gz, .tar.bz2, .tar.xz, .tar.zst) only", strings.TrimPrefix(format.Extension(), "."))}
}

// bombRatio is the expansion past which an over-large entry is called a
// likely zip bomb: metadata XML deflates about 10:1, DEFLATE cannot do
// better than about 1,000:1, and only crafted input gets near that.
const bombRatio = 100

func (r *Reader) entry(archive string, size int64, f archives.FileInfo, t *tree.Tree) error {
	refuse := func(format string, args ...any) error {
		return &RefusedError{Archive: archive, Entry: f.NameInArchive, Reason: fmt.Sprintf(format, args...)}
	}
	r.entries++
	if r.entries > r.lim.Entries {
		return refuse("more than %d entries, more than any Salesforce package holds: refused", r.lim.Entries)
	}
	name, err := cleanName(f.NameInArchive)
	if err != nil {
		return refuse("%v", err)
	}
	mode := f.Mode()
	switch {
	case f.LinkTarget != "" || mode&fs.ModeSymlink != 0:
		return refuse("a link (to %q); byocpack reads regular files only and never follows links out of an archive", f.LinkTarget)
	case mode.IsDir():
		return nil
	case !mode.IsRegular():
		return refuse("not a regular file (%s); an archive of metadata holds files and folders only", tree.Kind(mode))
	case name == "":
		return refuse("a file without a name")
	}
	if _, dup := t.Get(name); dup {
		return refuse("appears twice; which copy counts would be ambiguous")
	}
	if f.Size() > r.lim.EntrySize {
		why := "refused"
		if f.Size() > bombRatio*size {
			why = fmt.Sprintf("refused as a likely zip bomb (%d bytes of archive)", size)
		}
		return refuse("declares %d bytes, more than the %d MiB byocpack reads from one entry: %s", f.Size(), r.lim.EntrySize>>20, why)
	}
	rc, err := f.Open()
	if err != nil {
		return refuse("cannot open: %v", err)
	}
	defer rc.Close()
	b, err := io.ReadAll(io.LimitReader(rc, r.lim.EntrySize+1))
	if err != nil {
		return refuse("cannot read: %v", err)
	}
	if int64(len(b)) > r.lim.EntrySize {
		return refuse("expands past %d MiB, more than any metadata file: refused as a likely zip bomb", r.lim.EntrySize>>20)
	}
	r.total += int64(len(b))
	if r.total > r.lim.TotalSize {
		return refuse("the archive expands past %d MiB in all, more than Salesforce deploys: refused as a likely zip bomb", r.lim.TotalSize>>20)
	}
	t.Set(name, b)
	return nil
}

// cleanName returns an entry name as a clean relative path ("" for the
// archive's root), or why it is refused: it would land outside the
// directory it is extracted to, or mean different things on different
// systems.
func cleanName(n string) (string, error) {
	switch {
	case strings.ContainsRune(n, 0):
		return "", errors.New("the name holds a NUL byte")
	case strings.Contains(n, "\\"):
		return "", errors.New("the name holds a backslash, which Windows reads as a separator (a way to smuggle \"..\"): refused")
	case strings.HasPrefix(n, "/"):
		return "", errors.New("an absolute path: refused, it would be written outside the directory it is extracted to")
	case len(n) >= 2 && n[1] == ':':
		return "", errors.New("a path with a drive letter: refused, it would be written outside the directory it is extracted to")
	}
	for _, part := range strings.Split(n, "/") {
		if part == ".." {
			return "", errors.New("the path climbs out with \"..\" (zip slip): refused")
		}
	}
	n = strings.TrimSuffix(strings.TrimPrefix(n, "./"), "/")
	if n == "" || n == "." {
		return "", nil
	}
	if c := path.Clean(n); c != n || !fs.ValidPath(n) {
		return "", fmt.Errorf("not a clean relative path (%q): refused", c)
	}
	return n, nil
}
