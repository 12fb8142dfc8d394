package tree

import (
	"bytes"
	"context"
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"fmt"
	"hash"
	"io"
	"io/fs"
	"os"
	"path/filepath"
	"strings"
	"syscall"

	"github.com/byocpack/byocpack/internal/secrets"
)

// LazyOver is the size above which a Reader with Lazy set keeps a content
// file (any file whose name does not end in .xml: a static resource, a
// document, an asset) by its record rather than its bytes. Metadata XML is
// parsed by every later step and stays in memory whatever its size;
// content is only scanned and copied into the zip, so holding it whole,
// up to MaxFileSize each, is what made a project of large resources cost
// their total in memory. At 1 MiB no file of a normal project (classes,
// components, metadata) goes this way, so their reads cost nothing more.
const LazyOver = 1 << 20

// Lazy is what a tree keeps of a large content file instead of its bytes:
// what the read found (size, SHA-256, the first bytes, the secrets scan of
// those very bytes) and where to read it again. Open reads it again
// through the same bounds and fails, naming the file, when the bytes are
// not the ones that were read: what is zipped is what was validated.
type Lazy struct {
	// Size and SHA256 are the bytes' as read.
	Size   int64
	SHA256 [sha256.Size]byte
	// Head is the first bytes, enough to tell a compressed format
	// (convert.ZipMethod).
	Head []byte
	// Findings is what secrets.Scan found in the bytes as read.
	Findings []secrets.Finding
	// name is the file as messages show it; root and rel, or fsys and
	// rel, where it is read again.
	name, root, rel string
	fsys            fs.FS
}

// headSize is how many first bytes a Lazy keeps.
const headSize = 16

// holdsXML reports whether rel is a metadata XML file, which is always
// held in memory.
func holdsXML(rel string) bool {
	return len(rel) >= 4 && strings.EqualFold(rel[len(rel)-4:], ".xml")
}

// newLazy records data, read from the file shown as name, and scans it.
func newLazy(name, root, rel string, fsys fs.FS, data []byte) *Lazy {
	l := &Lazy{Size: int64(len(data)), SHA256: sha256.Sum256(data), Head: bytes.Clone(data[:min(len(data), headSize)]),
		Findings: secrets.Scan(rel, data), name: filepath.ToSlash(name), root: root, rel: rel, fsys: fsys}
	return l
}

// Digest is SHA256 in hex, as outdir.Digest gives it of bytes in memory.
func (l *Lazy) Digest() string { return hex.EncodeToString(l.SHA256[:]) }

// ErrChanged is the error of a file that is not what byocpack read.
var ErrChanged = errors.New("changed since byocpack read and validated it; run again")

func (l *Lazy) changed(why string) error {
	return fmt.Errorf("%s: %w (%s)", l.name, ErrChanged, why)
}

// Open reads the file again: a regular file, reached through no link,
// within MaxFileSize, of the size read. The reader it returns fails at
// its end when the bytes' SHA-256 is not the one recorded, and at once
// when there are more bytes than were read or ctx is canceled; a caller
// must read it to its end (io.EOF) before using what it gave.
func (l *Lazy) Open(ctx context.Context) (io.ReadCloser, error) {
	var f fs.File
	var err error
	if l.fsys != nil {
		trace(l.rel)
		if fi, lerr := fs.Lstat(l.fsys, l.rel); lerr == nil && fi.Mode()&fs.ModeSymlink != 0 {
			return nil, l.changed("it is a symbolic link now")
		}
		f, err = l.fsys.Open(l.rel)
	} else {
		if err := NoSymlinkedParents(l.root, l.rel); err != nil {
			return nil, err
		}
		name := filepath.Join(l.root, filepath.FromSlash(l.rel))
		trace(name)
		f, err = os.OpenFile(name, os.O_RDONLY|syscall.O_NONBLOCK|noFollow, 0)
	}
	if err != nil {
		if errors.Is(err, fs.ErrNotExist) || isLink(err) {
			return nil, l.changed("it is gone or is a link now")
		}
		return nil, err
	}
	fi, err := f.Stat()
	if err == nil {
		err = checkRegular(l.name, fi.Mode(), fi.Size())
	}
	if err == nil && fi.Size() != l.Size {
		err = l.changed(fmt.Sprintf("%d bytes were read, it holds %d", l.Size, fi.Size()))
	}
	if err != nil {
		f.Close()
		return nil, err
	}
	return &checked{ctx: ctx, f: f, l: l, sum: sha256.New()}, nil
}

// ReadAll is Open, read whole: the file's bytes, the very ones read first.
func (l *Lazy) ReadAll(ctx context.Context) ([]byte, error) {
	r, err := l.Open(ctx)
	if err != nil {
		return nil, err
	}
	defer r.Close()
	buf := bytes.NewBuffer(make([]byte, 0, l.Size+1))
	if _, err := buf.ReadFrom(r); err != nil {
		return nil, err
	}
	return buf.Bytes(), nil
}

// checked is the reader Open returns: it sums and counts what it reads
// and compares at the end.
type checked struct {
	ctx context.Context
	f   fs.File
	l   *Lazy
	sum hash.Hash
	n   int64
}

func (c *checked) Read(p []byte) (int, error) {
	if err := c.ctx.Err(); err != nil {
		return 0, err
	}
	n, err := c.f.Read(p)
	c.n += int64(n)
	c.sum.Write(p[:n])
	if c.n > c.l.Size {
		return n, c.l.changed("it grew")
	}
	if err == io.EOF {
		var got [sha256.Size]byte
		c.sum.Sum(got[:0])
		switch {
		case c.n != c.l.Size:
			return n, c.l.changed(fmt.Sprintf("%d bytes were read, it holds %d", c.l.Size, c.n))
		case got != c.l.SHA256:
			return n, c.l.changed("its SHA-256 differs")
		}
	}
	return n, err
}

func (c *checked) Close() error { return c.f.Close() }

// isLink reports whether an open failed because the name is a symbolic
// link (O_NOFOLLOW).
func isLink(err error) bool { return errors.Is(err, syscall.ELOOP) }
