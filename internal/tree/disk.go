package tree

import (
	"context"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"os"
	"path"
	"path/filepath"
	"strings"
	"sync"
	"sync/atomic"
	"syscall"
	"unicode"
)

// Limits bound what is read from disk, so that a FIFO, a device, a link to
// /dev/zero or a runaway directory can neither hang nor exhaust the
// process.
const (
	// MaxFileSize is the largest file read: far above any metadata file
	// (a platform event's long text field holds 131,072 characters; a
	// static resource may hold 5 MB), far below what would hurt.
	MaxFileSize = 64 << 20
	// MaxFiles bounds the files read from one project.
	MaxFiles = 200_000
	// MaxTotalSize bounds the bytes read from one project.
	MaxTotalSize = 2 << 30
)

// ErrNotRegular is returned for a path that is a directory, a FIFO, a
// socket or a device where a file was expected.
var errNotRegular = errors.New("not a regular file")

// CheckPath reports whether p is a clean, relative, slash-separated path
// that stays inside its root: no "..", no leading "/", no empty or "."
// elements, no backslashes.
func CheckPath(p string) error {
	if p == "" || !fs.ValidPath(p) || p == "." || strings.Contains(p, "\\") {
		return fmt.Errorf("%q is not a clean relative path inside the directory", p)
	}
	return nil
}

// NoSymlinkedParents fails when a directory between root and root/rel is a
// symbolic link: following it could reach outside root. root itself may be
// a link (the user chose it).
func NoSymlinkedParents(root, rel string) error {
	dir := path.Dir(rel)
	if dir == "." {
		return nil
	}
	cur := root
	for _, part := range strings.Split(dir, "/") {
		cur = filepath.Join(cur, part)
		fi, err := os.Lstat(cur)
		if errors.Is(err, fs.ErrNotExist) {
			return nil
		}
		if err != nil {
			return err
		}
		if fi.Mode()&fs.ModeSymlink != 0 {
			return fmt.Errorf("%s is a symbolic link; byocpack does not follow links inside the output directory: replace it with a directory", filepath.ToSlash(cur))
		}
		if !fi.IsDir() {
			return fmt.Errorf("%s is a file where a directory is needed: move it away", filepath.ToSlash(cur))
		}
	}
	return nil
}

// ReadFile reads root/rel without following a link at rel or above it,
// without blocking on a FIFO and without reading more than MaxFileSize.
// A missing file returns (nil, nil).
func ReadFile(root, rel string) ([]byte, error) {
	if err := CheckPath(rel); err != nil {
		return nil, err
	}
	if err := NoSymlinkedParents(root, rel); err != nil {
		return nil, err
	}
	name := filepath.Join(root, filepath.FromSlash(rel))
	fi, err := os.Lstat(name)
	if errors.Is(err, fs.ErrNotExist) {
		return nil, nil
	}
	if err != nil {
		return nil, err
	}
	if fi.Mode()&fs.ModeSymlink != 0 {
		return nil, fmt.Errorf("%s is a symbolic link; byocpack reads only regular files here: replace it with the file", filepath.ToSlash(name))
	}
	return readBeneath(RealDir(root), rel, name)
}

// RealDir is dir with the links in its own path resolved, "" when that
// fails: a read below it refuses a link in the part below (ReadBelow),
// not in the path the user gave.
func RealDir(dir string) string {
	abs, err := filepath.Abs(dir)
	if err != nil {
		return ""
	}
	real, err := filepath.EvalSymlinks(abs)
	if err != nil {
		return ""
	}
	return real
}

// ReadBelow reads rel under root, a RealDir, as a walk's reads do: a
// link in any part of rel is refused, never followed (on Linux; the last
// name elsewhere); name is the file as messages show it.
func ReadBelow(root, rel, name string) ([]byte, error) { return readBeneath(root, rel, name) }

// Trace, when a test sets it, is called with the name of every file read
// from disk (ReadFile, ReadPath, a Reader, DirFS), so that a test can
// show that a command reads each file once. Set it only while no command
// runs.
var Trace func(name string)

// traceMu serialises calls of Trace: Dir reads on several goroutines.
var traceMu sync.Mutex

func trace(name string) {
	if Trace != nil {
		traceMu.Lock()
		defer traceMu.Unlock()
		Trace(name)
	}
}

// ReadPath reads a file the user named (it may be a link to a regular
// file), bounded like ReadFile; a FIFO or device is refused, never opened
// for a blocking read.
func ReadPath(name string) ([]byte, error) { return readRegular(name) }

// readRegularFile is readRegular on any system, through package os.
func readRegularFile(name string) ([]byte, error) {
	f, err := os.OpenFile(name, os.O_RDONLY|syscall.O_NONBLOCK, 0)
	if err != nil {
		return nil, err
	}
	defer f.Close()
	return readOpened(f, name)
}

// readOpened reads an open file, checked from its stat: a regular file
// within MaxFileSize.
func readOpened(f fs.File, name string) ([]byte, error) {
	fi, err := f.Stat()
	if err != nil {
		return nil, err
	}
	if err := checkRegular(name, fi.Mode(), fi.Size()); err != nil {
		return nil, err
	}
	return readSized(f, name, fi.Size())
}

func checkRegular(name string, mode fs.FileMode, size int64) error {
	if !mode.IsRegular() {
		return &fs.PathError{Op: "read", Path: filepath.ToSlash(name), Err: fmt.Errorf("%w: it is %s, and byocpack reads only regular files", errNotRegular, kind(mode))}
	}
	if size > MaxFileSize {
		return &fs.PathError{Op: "read", Path: filepath.ToSlash(name), Err: fmt.Errorf("%d bytes is more than the %d MiB byocpack reads from one file; remove it or list it in .forceignore", size, MaxFileSize>>20)}
	}
	return nil
}

// readSized reads a file of the given size (from its stat) in one read
// into a buffer one byte larger: a short read is the end. A file that grew
// since its stat is read on, up to MaxFileSize.
func readSized(r io.Reader, name string, size int64) ([]byte, error) {
	buf := make([]byte, size+1)
	n, err := io.ReadFull(r, buf)
	switch {
	case err == io.ErrUnexpectedEOF || err == io.EOF:
		return buf[:n], nil
	case err != nil:
		return nil, err
	}
	rest, err := io.ReadAll(io.LimitReader(r, MaxFileSize+1-int64(n)))
	if err != nil {
		return nil, err
	}
	b := append(buf, rest...)
	if len(b) > MaxFileSize {
		return nil, fmt.Errorf("%s: more than the %d MiB byocpack reads from one file", filepath.ToSlash(name), MaxFileSize>>20)
	}
	return b, nil
}

func kind(m fs.FileMode) string { return Kind(m) }

func controlCharacterError(rel string) error {
	return fmt.Errorf("%q: a name with a control character (a line break, a tab) cannot be packaged reliably and prints as more than one line; rename it, or list it in .forceignore", rel)
}

// Kind names what a non-regular file is, for messages: "a FIFO", "a
// device", ...
func Kind(m fs.FileMode) string {
	switch {
	case m.IsDir():
		return "a directory"
	case m&fs.ModeSymlink != 0:
		return "a symbolic link"
	case m&fs.ModeNamedPipe != 0:
		return "a FIFO"
	case m&fs.ModeSocket != 0:
		return "a socket"
	case m&fs.ModeCharDevice != 0:
		return "a character device"
	case m&fs.ModeDevice != 0:
		return "a device"
	}
	return "not a plain file"
}

// Reader adds files from disk to a tree within the limits above.
type Reader struct {
	Root string
	Tree *Tree
	// ListOnly makes Dir record each file's path with nil data instead of
	// reading it, for callers that read, check and drop files one at a
	// time (validate) rather than hold a whole project.
	ListOnly bool
	// OnFile, with ListOnly, receives each listed path (relative, and as
	// the system names it under Root) as the walk finds it instead of the
	// tree, so a caller can start on the first files while the walk goes
	// on; an error stops the walk.
	OnFile func(rel, name string) error
	// Ctx, when set, stops a walk at its cancellation (Ctrl-C): a deep
	// tree checked against many .forceignore rules takes a while.
	Ctx context.Context
	// FS, when set, is where the project is read from instead of Root on
	// disk (fsys.go); Root then only names it in messages.
	FS fs.FS
	// Lazy makes Dir keep a content file over LazyOver bytes by its
	// record (Lazy: digest, size, secrets scan of the bytes read) rather
	// than its bytes, for callers that only scan and zip such files.
	Lazy  bool
	files int
	bytes int64
}

// NewReader reads into a new tree from root.
func NewReader(root string) *Reader { return &Reader{Root: root, Tree: New()} }

// File adds root/rel when it exists; a missing file is skipped.
func (r *Reader) File(rel string) error {
	if r.FS != nil {
		return r.fileFS(rel)
	}
	if _, ok := r.Tree.Get(rel); ok {
		return nil
	}
	b, err := ReadFile(r.Root, rel)
	if err != nil || b == nil {
		return err
	}
	return r.add(rel, filepath.Join(r.Root, filepath.FromSlash(rel)), b)
}

func (r *Reader) add(rel, name string, b []byte) error {
	return r.addRead(rel, name, b, nil)
}

// addRead adds a file read (b) or held by its record (l).
func (r *Reader) addRead(rel, name string, b []byte, l *Lazy) error {
	r.files++
	r.bytes += int64(len(b))
	if l != nil {
		r.bytes += l.Size
	}
	if r.files > MaxFiles {
		return r.tooMany()
	}
	if r.bytes > MaxTotalSize {
		return r.tooLarge()
	}
	if l != nil {
		r.Tree.SetLazy(rel, l)
		return nil
	}
	if r.OnFile != nil && b == nil {
		return r.OnFile(rel, name)
	}
	r.Tree.Set(rel, b)
	return nil
}

// keepLazy reports whether a file read as data is kept by its record.
func (r *Reader) keepLazy(rel string, data []byte) bool {
	return r.Lazy && len(data) > LazyOver && !holdsXML(rel)
}

// judge is what a walk, on disk or over an fs.FS, does with the entry d
// at rel (named shown in messages; start says it is where the walk
// began): read reports a regular file to read; otherwise err is nil to
// pass over it, fs.SkipDir to prune a folder, or what is wrong with it.
func judge(rel, shown string, d fs.DirEntry, start bool, keep, skipDir func(rel string) bool) (read bool, err error) {
	// A name with a control character is refused unless it is ignored
	// (macOS writes Icon\r files into folders).
	badName := strings.ContainsFunc(d.Name(), unicode.IsControl)
	if d.IsDir() {
		if !start && skipDir != nil && skipDir(rel) {
			return false, fs.SkipDir
		}
		if badName {
			return false, controlCharacterError(rel)
		}
		return false, nil
	}
	if keep != nil && !keep(rel) {
		return false, nil
	}
	if badName {
		return false, controlCharacterError(rel)
	}
	switch {
	case d.Type()&fs.ModeSymlink != 0:
		return false, linkError(shown)
	case !d.Type().IsRegular():
		return false, fmt.Errorf("%s: %s, not a file; remove it or list it in .forceignore", shown, kind(d.Type()))
	}
	return true, nil
}

// linkError is the error of a symbolic link where a project holds files.
func linkError(name string) error {
	return fmt.Errorf("%s: symbolic links are not packaged reproducibly; replace the link with the file or folder it points to", filepath.ToSlash(name))
}

func (r *Reader) tooMany() error {
	return fmt.Errorf("%s: more than %d files; byocpack reads package directories only, check sfdx-project.json's \"path\" entries or list generated folders in .forceignore", filepath.ToSlash(r.Root), MaxFiles)
}

func (r *Reader) tooLarge() error {
	return fmt.Errorf("%s: more than %d GiB of files; list large folders in .forceignore", filepath.ToSlash(r.Root), MaxTotalSize>>30)
}

// Dir adds every regular file under root/rel for which keep returns true.
// It never follows links: a link, FIFO, socket or device inside the
// directory is an error naming it, as sf cannot package it either. skipDir
// prunes directories (node_modules, .git, byocpack's own state).
func (r *Reader) Dir(rel string, keep func(rel string) bool, skipDir func(rel string) bool) error {
	if r.FS != nil {
		return r.dirFS(rel, keep, skipDir)
	}
	if err := NoSymlinkedParents(r.Root, rel+"/x"); err != nil {
		return err
	}
	start := filepath.Join(r.Root, filepath.FromSlash(rel))
	// Every path the walk gives is start, or start and a separator and
	// the rest: the relative path is cut from it, not worked out again
	// by filepath.Rel for each of a project's files.
	startRel := filepath.ToSlash(filepath.Clean(filepath.FromSlash(rel)))
	if fi, err := os.Lstat(start); err != nil || !fi.IsDir() {
		if err == nil && fi.Mode()&fs.ModeSymlink != 0 {
			return fmt.Errorf("%s is a symbolic link; byocpack does not follow links in a project: replace it with the directory", filepath.ToSlash(start))
		}
		return nil
	}
	var pool *readPool
	if !r.ListOnly {
		pool = newReadPool(r.Ctx, MaxFiles-r.files, MaxTotalSize-r.bytes)
		pool.owner, pool.root = r, RealDir(r.Root)
	}
	err := filepath.WalkDir(start, func(p string, d fs.DirEntry, err error) error {
		if err != nil {
			return err
		}
		if r.Ctx != nil {
			if err := r.Ctx.Err(); err != nil {
				return err
			}
		}
		relp := startRel
		if rest, ok := strings.CutPrefix(p, start+string(filepath.Separator)); ok {
			relp = path.Join(startRel, filepath.ToSlash(rest))
		} else if p != start {
			// "." as the start, whose children come without it.
			r, err := filepath.Rel(r.Root, p)
			if err != nil {
				return err
			}
			relp = filepath.ToSlash(r)
		}
		if read, err := judge(relp, filepath.ToSlash(p), d, p == start, keep, skipDir); !read {
			return err
		}
		if r.ListOnly {
			return r.add(relp, p, nil)
		}
		return pool.read(relp, p)
	})
	if pool == nil {
		return err
	}
	// The files read, in the walk's order: the first error in that order
	// is the one reported, whichever reader met it first.
	reads, readErr := pool.wait()
	for _, f := range reads {
		switch {
		case f.err == errPoolFull:
			return r.tooLarge()
		case f.err != nil:
			return f.err
		}
		if err := r.addRead(f.rel, f.name, f.data, f.lazy); err != nil {
			return err
		}
	}
	switch {
	case err == errPoolFull:
		return r.tooMany()
	case err != nil:
		return err
	}
	return readErr
}

// readWorkers is how many files are read at once. Reading a file the
// system has cached is four system calls of CPU work; a project of
// hundreds of small files reads in a third of the time on four readers,
// and a cold disk gets several requests to order.
const readWorkers = 4

// readPool reads the files a walk finds while it walks on. It holds no
// more files and bytes than the Reader may still take: past either it
// stops with errPoolFull, and Dir reports the limit.
type readPool struct {
	ctx      context.Context
	maxFiles int
	maxBytes int64
	jobs     chan int
	wg       sync.WaitGroup
	mu       sync.Mutex
	reads    []poolRead
	bytes    atomic.Int64
	// owner is the Reader the pool reads for (whether it keeps large
	// content by its record); root is its Root with the links in that
	// path resolved, below which no link is followed.
	owner *Reader
	root  string
}

type poolRead struct {
	rel, name string
	data      []byte
	lazy      *Lazy
	err       error
}

// errPoolFull stops a walk or a read at a limit of the Reader.
var errPoolFull = errors.New("read limit reached")

func newReadPool(ctx context.Context, maxFiles int, maxBytes int64) *readPool {
	if ctx == nil {
		ctx = context.Background()
	}
	p := &readPool{ctx: ctx, maxFiles: maxFiles, maxBytes: maxBytes, jobs: make(chan int, 64)}
	for range readWorkers {
		p.wg.Go(p.work)
	}
	return p
}

func (p *readPool) work() {
	for i := range p.jobs {
		p.mu.Lock()
		rel, name := p.reads[i].rel, p.reads[i].name
		p.mu.Unlock()
		var data []byte
		var lazy *Lazy
		err := p.ctx.Err()
		switch {
		case err != nil:
		case p.bytes.Load() > p.maxBytes:
			err = errPoolFull
		default:
			data, err = readBeneath(p.root, rel, name)
			if p.bytes.Add(int64(len(data))) > p.maxBytes {
				data, err = nil, errPoolFull
			}
			if err == nil && p.owner.keepLazy(rel, data) {
				// Hashed and scanned here, on the reader's goroutine,
				// then dropped.
				data, lazy = nil, newLazy(name, p.owner.Root, rel, nil, data)
			}
		}
		p.mu.Lock()
		p.reads[i].data, p.reads[i].lazy, p.reads[i].err = data, lazy, err
		p.mu.Unlock()
	}
}

// read queues one file; it fails only when the walk has found more files
// than the Reader may take, or the run was stopped.
func (p *readPool) read(rel, name string) error {
	p.mu.Lock()
	if len(p.reads) >= p.maxFiles {
		p.mu.Unlock()
		return errPoolFull
	}
	p.reads = append(p.reads, poolRead{rel: rel, name: name})
	i := len(p.reads) - 1
	p.mu.Unlock()
	select {
	case p.jobs <- i:
		return nil
	case <-p.ctx.Done():
		return p.ctx.Err()
	}
}

func (p *readPool) wait() ([]poolRead, error) {
	close(p.jobs)
	p.wg.Wait()
	return p.reads, p.ctx.Err()
}

// ReadStream reads a file the user named that may be a pipe
// (--passphrase-file <(pass show acme)): what the writer gives, at most
// limit bytes; ok is false when there was more. Unlike ReadPath it waits
// for a FIFO's writer, since reading one is what the user asked for.
func ReadStream(name string, limit int64) (data []byte, ok bool, err error) {
	f, err := os.Open(name)
	if err != nil {
		return nil, false, err
	}
	defer f.Close()
	data, err = io.ReadAll(io.LimitReader(f, limit+1))
	if err != nil {
		return nil, false, err
	}
	return data, int64(len(data)) <= limit, nil
}

// Openable reports whether the file at name opens for reading, without
// blocking on a FIFO.
func Openable(name string) bool {
	f, err := os.OpenFile(name, os.O_RDONLY|syscall.O_NONBLOCK, 0)
	if err != nil {
		return false
	}
	f.Close()
	return true
}
