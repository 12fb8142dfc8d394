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
	"time"
)

// MaxStaticResourceSize is Salesforce's limit for one static resource.
const MaxStaticResourceSize = 5 * 1024 * 1024

// zipTime is the fixed time of every entry of a zip byocpack writes into
// the tree: 1980-01-01, the earliest a zip's DOS date holds. The CLI uses
// the time of the run, so its bytes differ from run to run; the entries
// (names, order, bytes) are what both share.
var zipTime = time.Date(1980, 1, 1, 0, 0, 0, 0, time.UTC)

type zipEntry struct {
	name string // slash-separated, relative to the zipped folder
	data []byte
}

// resourceZip zips a static resource folder with the CLI's entry order: a
// depth-first walk with each folder's children in byte order, a folder's
// entry ("sub/") just before its first file, no entry for an empty folder,
// DEFLATE at level 9. The CLI's zip library keeps entries in a JavaScript
// object, whose keys that are array indices ("0", "42") come first in
// numeric order; only a file at the top can have such a name.
func resourceZip(files []zipEntry) ([]byte, error) {
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
	zw := zip.NewWriter(&buf)
	zw.RegisterCompressor(zip.Deflate, func(w io.Writer) (io.WriteCloser, error) { return flate.NewWriter(w, flate.BestCompression) })
	for _, n := range names {
		h := &zip.FileHeader{Name: n, Method: zip.Deflate, Modified: zipTime}
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
