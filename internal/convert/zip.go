package convert

import (
	"archive/zip"
	"bytes"
	"compress/flate"
	"fmt"
	"io"
	"io/fs"
	"slices"
	"strconv"
	"strings"
	"sync"
	"time"
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

// pooledDeflater returns its writer to deflaters when closed.
type pooledDeflater struct{ *flate.Writer }

func (d pooledDeflater) Close() error {
	err := d.Writer.Close()
	deflaters.Put(d.Writer)
	return err
}

// compressedMagic are the first bytes of formats that are compressed
// already: PNG, JPEG, GIF, zip (a zipped static resource, package.zip
// inside package-version-info.zip), gzip. Deflating them again gains a
// percent or two and cost a quarter of zipping lwc-recipes.
var compressedMagic = [][]byte{[]byte("\x89PNG\r\n\x1a\n"), {0xff, 0xd8, 0xff}, []byte("GIF8"), []byte("PK\x03\x04"), {0x1f, 0x8b}}

// ZipMethod is how a file with this content is stored in a zip byocpack
// writes: as it is when it is compressed already, else deflated. It
// depends on the bytes alone, so the zip stays the same on any machine.
func ZipMethod(data []byte) uint16 {
	for _, m := range compressedMagic {
		if bytes.HasPrefix(data, m) {
			return zip.Store
		}
	}
	return zip.Deflate
}

// NewZipWriter is a zip.Writer that deflates at ZipLevel.
func NewZipWriter(w io.Writer) *zip.Writer {
	zw := zip.NewWriter(w)
	zw.RegisterCompressor(zip.Deflate, func(w io.Writer) (io.WriteCloser, error) {
		if fw, ok := deflaters.Get().(*flate.Writer); ok {
			fw.Reset(w)
			return pooledDeflater{fw}, nil
		}
		fw, err := flate.NewWriter(w, ZipLevel)
		return pooledDeflater{fw}, err
	})
	return zw
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
func resourceZip(files []zipEntry) ([]byte, error) {
	for _, f := range files {
		// A backslash is a separator to Windows extractors: "..\\x" would
		// climb out of the folder a subscriber's browser or tool unpacks.
		if strings.ContainsRune(f.name, '\\') {
			return nil, fmt.Errorf("%q: a file name with a backslash would be a path on Windows once zipped (a zip-slip when it holds ..); rename it", f.name)
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

	var buf bytes.Buffer
	zw := NewZipWriter(&buf)
	for _, n := range names {
		h := &zip.FileHeader{Name: n, Method: ZipMethod(data[n]), Modified: zipTime}
		if strings.HasSuffix(n, "/") {
			h.Method = zip.Store
			h.SetMode(fs.ModeDir | 0o755)
		} else {
			h.SetMode(0o644)
		}
		w, err := zw.CreateHeader(h)
		if err != nil {
			return nil, fmt.Errorf("zipping %s: %w", n, err)
		}
		if _, err := w.Write(data[n]); err != nil {
			return nil, fmt.Errorf("zipping %s: %w", n, err)
		}
	}
	if err := zw.Close(); err != nil {
		return nil, err
	}
	return buf.Bytes(), nil
}

// isArrayIndex reports whether a JavaScript object orders key s as an
// array index: a canonical decimal below 2^32-1.
func isArrayIndex(s string) bool {
	n, err := strconv.ParseUint(s, 10, 32)
	return err == nil && n < 1<<32-1 && strconv.FormatUint(n, 10) == s
}
