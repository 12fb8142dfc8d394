package convert

import (
	"archive/zip"
	"bytes"
	"cmp"
	"context"

	"fmt"
	"io"
	"io/fs"
	"runtime"
	"slices"
	"strconv"
	"strings"
	"sync"
	"time"

	"github.com/klauspost/compress/flate"

	"github.com/byocpack/byocpack/internal/tree"
)

// MaxStaticResourceSize is Salesforce's limit for one static resource.
const MaxStaticResourceSize = 5 * 1024 * 1024

// zipTime is the fixed time of every entry of a zip byocpack writes into
// the tree: 1980-01-01, the earliest a zip's DOS date holds. The CLI uses
// the time of the run, so its bytes differ from run to run; the entries
// (names, order, bytes) are what both share.
var zipTime = time.Date(1980, 1, 1, 0, 0, 0, 0, time.UTC)

// ZipLevel is the DEFLATE level of every zip byocpack writes. Salesforce
// reads any level (the CLI uses 9); on lwc-recipes' images and libraries,
// and package.zip deflated again inside package-version-info.zip, level 1
// takes a third of the time of 9, for zips a few percent larger.
const ZipLevel = flate.BestSpeed

// deflaters are reused across entries and zips: a flate.Writer holds
// hundreds of kilobytes of tables, and making one for each of a large
// project's files was most of zipping it.
var deflaters sync.Pool

// compressedMagic are the first bytes of formats that are compressed
// already: PNG, JPEG, GIF, zip (a zipped static resource, package.zip
// inside package-version-info.zip), gzip. Deflating them again gains a
// percent or two and cost a quarter of zipping lwc-recipes.
var compressedMagic = [][]byte{[]byte("\x89PNG\r\n\x1a\n"), {0xff, 0xd8, 0xff}, []byte("GIF8"), []byte("PK\x03\x04"), {0x1f, 0x8b}}

// storeBelow is the size under which a file is stored rather than
// deflated. Deflating any entry costs about 12 µs for its Huffman tables
// whatever its size, and a file this small shrinks by a few hundred bytes
// at most: on lwc-recipes, storing its 355 files under 512 bytes makes
// package.zip 39 KB (4 %) larger and saves a fifth of the deflating.
const storeBelow = 512

// ZipMethod is how a file with this content is stored in a zip byocpack
// writes: as it is when it is compressed already or smaller than
// storeBelow, else deflated. It depends on the bytes alone, so the zip
// stays the same on any machine.
func ZipMethod(data []byte) uint16 { return zipMethod(data, int64(len(data))) }

// LazyZipMethod is ZipMethod of the file a tree holds by its record,
// from the first bytes and the size the record keeps.
func LazyZipMethod(l *tree.Lazy) uint16 { return zipMethod(l.Head, l.Size) }

// zipMethod is ZipMethod of a file of size bytes that starts with head.
func zipMethod(head []byte, size int64) uint16 {
	if size < storeBelow {
		return zip.Store
	}
	for _, m := range compressedMagic {
		if bytes.HasPrefix(head, m) {
			return zip.Store
		}
	}
	return zip.Deflate
}

// ZipFile is one entry for WriteZip: its header (name, method, mode,
// time) and its bytes. The header's method is ZipMethod's, or Store.
type ZipFile struct {
	Header *zip.FileHeader
	Data   []byte
	// Open, set instead of Data, gives the bytes of an entry too large to
	// hold (tree.Lazy.Open): they are read while the zip is written, and
	// an error the reader returns, at its end too (a file changed since
	// it was read), fails the zip.
	Open func(context.Context) (io.ReadCloser, error)
}

// WriteZip writes files, in their order, as a zip into w. The entries to
// deflate are deflated first, on every core, each by a writer of its own
// at ZipLevel; the zip.Writer then takes each entry's stream as it would
// have made it (it still sums and counts the entry's own bytes), so the
// zip is the same, byte for byte, as one written entry after entry, on
// any number of cores. An entry read through Open (rare, and large) is
// deflated in this last pass, as it is copied.
func WriteZip(ctx context.Context, w io.Writer, files []ZipFile) error {
	streams, err := deflateAll(ctx, files)
	if err != nil {
		return err
	}
	zw := zip.NewWriter(w)
	var stream []byte
	var live bool
	zw.RegisterCompressor(zip.Deflate, func(w io.Writer) (io.WriteCloser, error) {
		if live {
			return newDeflater(w), nil
		}
		return &deflated{w: w, stream: stream}, nil
	})
	for i, f := range files {
		if err := ctx.Err(); err != nil {
			return err
		}
		stream, live = streams[i], f.Open != nil
		fw, err := zw.CreateHeader(f.Header)
		if err != nil {
			return fmt.Errorf("zipping %s: %w", f.Header.Name, err)
		}
		if live {
			err = copyOpened(ctx, fw, f.Open)
		} else {
			_, err = fw.Write(f.Data)
		}
		if err != nil {
			return fmt.Errorf("zipping %s: %w", f.Header.Name, err)
		}
	}
	return zw.Close()
}

// copyOpened copies what open gives into w, to its end.
func copyOpened(ctx context.Context, w io.Writer, open func(context.Context) (io.ReadCloser, error)) error {
	r, err := open(ctx)
	if err != nil {
		return err
	}
	defer r.Close()
	_, err = io.Copy(w, r)
	return err
}

// pooledDeflater is a flate.Writer of deflaters, given back when closed.
type pooledDeflater struct{ fw *flate.Writer }

func newDeflater(w io.Writer) *pooledDeflater {
	fw, _ := deflaters.Get().(*flate.Writer)
	if fw == nil {
		fw, _ = flate.NewWriter(w, ZipLevel) // the level is a constant that is valid
	} else {
		fw.Reset(w)
	}
	return &pooledDeflater{fw: fw}
}

func (d *pooledDeflater) Write(p []byte) (int, error) { return d.fw.Write(p) }

func (d *pooledDeflater) Close() error {
	err := d.fw.Close()
	deflaters.Put(d.fw)
	return err
}

// deflateAll deflates the data of every entry whose method is Deflate,
// on GOMAXPROCS goroutines; the others are nil.
func deflateAll(ctx context.Context, files []ZipFile) ([][]byte, error) {
	streams := make([][]byte, len(files))
	next := make(chan int)
	var wg sync.WaitGroup
	var mu sync.Mutex
	var firstErr error
	for range runtime.GOMAXPROCS(0) {
		wg.Go(func() {
			fw, _ := deflaters.Get().(*flate.Writer)
			defer func() {
				if fw != nil {
					deflaters.Put(fw)
				}
			}()
			for i := range next {
				var buf bytes.Buffer
				if fw == nil {
					fw, _ = flate.NewWriter(&buf, ZipLevel) // the level is a constant that is valid
				} else {
					fw.Reset(&buf)
				}
				_, err := fw.Write(files[i].Data)
				if err == nil {
					err = fw.Close()
				}
				if err != nil {
					mu.Lock()
					firstErr = cmp.Or(firstErr, fmt.Errorf("zipping %s: %w", files[i].Header.Name, err))
					mu.Unlock()
				}
				streams[i] = buf.Bytes()
			}
		})
	}
	var err error
	for i, f := range files {
		if err = ctx.Err(); err != nil {
			break
		}
		if f.Header.Method == zip.Deflate && f.Open == nil {
			next <- i
		}
	}
	close(next)
	wg.Wait()
	return streams, cmp.Or(err, firstErr)
}

// deflated is the compressor WriteZip gives the zip.Writer for an entry:
// it drops the entry's bytes (the zip.Writer sums and counts them before
// they reach it) and writes the stream deflateAll made of them.
type deflated struct {
	w      io.Writer
	stream []byte
}

func (d *deflated) Write(p []byte) (int, error) { return len(p), nil }

func (d *deflated) Close() error {
	_, err := d.w.Write(d.stream)
	return err
}

type zipEntry struct {
	name string // slash-separated, relative to the zipped folder
	data []byte
}

// resourceZip zips a static resource folder with the CLI's entry order: a
// depth-first walk with each folder's children in byte order, a folder's
// entry ("sub/") just before its first file, no entry for an empty folder,
// DEFLATE at ZipLevel. The CLI's zip library keeps entries in a JavaScript object, whose keys that are array
// indices ("0", "42") come first in numeric order; only a file at the top
// can have such a name.
func resourceZip(files []zipEntry) ([]byte, []ZipFile, error) {
	for _, f := range files {
		// A backslash is a separator to Windows extractors: "..\\x" would
		// climb out of the folder a subscriber's browser or tool unpacks.
		if strings.ContainsRune(f.name, '\\') {
			return nil, nil, fmt.Errorf("%q: a file name with a backslash would be a path on Windows once zipped (a zip-slip when it holds ..); rename it", f.name)
		}
	}
	slices.SortFunc(files, func(a, b zipEntry) int { return slices.Compare(strings.Split(a.name, "/"), strings.Split(b.name, "/")) })
	var names []string
	data := map[string][]byte{}
	for _, f := range files {
		parts := strings.Split(f.name, "/")
		for i := 1; i < len(parts); i++ {
			d := strings.Join(parts[:i], "/") + "/"
			if _, ok := data[d]; !ok {
				data[d] = nil
				names = append(names, d)
			}
		}
		data[f.name] = f.data
		names = append(names, f.name)
	}
	var index []string
	for _, n := range names {
		if isArrayIndex(n) {
			index = append(index, n)
		}
	}
	slices.SortFunc(index, func(a, b string) int {
		x, _ := strconv.ParseUint(a, 10, 32)
		y, _ := strconv.ParseUint(b, 10, 32)
		return int(x) - int(y)
	})
	names = append(index, slices.DeleteFunc(names, isArrayIndex)...)

	entries := make([]ZipFile, 0, len(names))
	for _, n := range names {
		h := &zip.FileHeader{Name: n, Method: ZipMethod(data[n]), Modified: zipTime}
		if strings.HasSuffix(n, "/") {
			h.Method = zip.Store
			h.SetMode(fs.ModeDir | 0o755)
		} else {
			h.SetMode(0o644)
		}
		entries = append(entries, ZipFile{Header: h, Data: data[n]})
	}
	var buf bytes.Buffer
	if err := WriteZip(context.Background(), &buf, entries); err != nil {
		return nil, nil, err
	}
	return buf.Bytes(), entries, nil
}

// isArrayIndex reports whether a JavaScript object orders key s as an
// array index: a canonical decimal below 2^32-1.
func isArrayIndex(s string) bool {
	n, err := strconv.ParseUint(s, 10, 32)
	return err == nil && n < 1<<32-1 && strconv.FormatUint(n, 10) == s
}
