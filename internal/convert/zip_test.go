package convert

import (
	"archive/zip"
	"bytes"
	"context"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"runtime"
	"slices"
	"strings"
	"testing"
	"testing/iotest"

	"github.com/klauspost/compress/flate"
)

// zipOneByOne is the plain way to write what WriteZip writes: a
// zip.Writer deflating each entry as it comes, at ZipLevel.
func zipOneByOne(t *testing.T, files []ZipFile) []byte {
	t.Helper()
	var buf bytes.Buffer
	zw := zip.NewWriter(&buf)
	zw.RegisterCompressor(zip.Deflate, func(w io.Writer) (io.WriteCloser, error) { return flate.NewWriter(w, ZipLevel) })
	for _, f := range files {
		w, err := zw.CreateHeader(f.Header)
		if err != nil {
			t.Fatal(err)
		}
		if _, err := w.Write(f.Data); err != nil {
			t.Fatal(err)
		}
	}
	if err := zw.Close(); err != nil {
		t.Fatal(err)
	}
	return buf.Bytes()
}

func testZipFiles() []ZipFile {
	var files []ZipFile
	add := func(name string, data []byte) {
		h := &zip.FileHeader{Name: name, Method: ZipMethod(data), Modified: zipTime}
		h.SetMode(0o644)
		if name[len(name)-1] == '/' {
			h.Method = zip.Store
			h.SetMode(fs.ModeDir | 0o755)
		}
		files = append(files, ZipFile{Header: h, Data: data})
	}
	add("lwc/", nil)
	for i := range 40 {
		add(fmt.Sprintf("lwc/c%d.js", i), bytes.Repeat([]byte(fmt.Sprintf("export default class C%d {}\n", i)), i*50))
	}
	add("empty.txt", nil)
	add("image.png", append([]byte("\x89PNG\r\n\x1a\n"), bytes.Repeat([]byte{1, 2, 3}, 5000)...))
	add("big.js", bytes.Repeat([]byte("function f(){return 42}\n"), 200000))
	// Text with some entropy, where deflate levels differ.
	var text bytes.Buffer
	x := uint32(1)
	for text.Len() < 300000 {
		x = x*1664525 + 1013904223
		fmt.Fprintf(&text, "var v%d = %q;\n", x>>20, fmt.Sprint(x%977, x>>27))
	}
	add("lib.js", text.Bytes())
	return files
}

// The zip WriteZip makes on every core is the zip an entry-after-entry
// writer makes, byte for byte: headers, data descriptors, streams.
// (zip.Writer adds to the header it is given, so each writer gets
// headers of its own.)
func TestWriteZipEqualsOneByOne(t *testing.T) {
	files := testZipFiles()
	want := zipOneByOne(t, testZipFiles())
	for _, procs := range []int{1, 2, 5} {
		// The large entries given as they are read, in uneven pieces
		// (tree.Lazy.Open), deflated as they are copied: the same zip.
		for name, files := range map[string][]ZipFile{"held": testZipFiles(), "streamed": streamed(testZipFiles(), "big.js", "lib.js", "image.png")} {
			old := runtime.GOMAXPROCS(procs)
			var got bytes.Buffer
			err := WriteZip(context.Background(), &got, files)
			runtime.GOMAXPROCS(old)
			if err != nil {
				t.Fatal(err)
			}
			if !bytes.Equal(got.Bytes(), want) {
				t.Fatalf("GOMAXPROCS=%d, %s: WriteZip wrote %d bytes that differ from the one-by-one zip's %d", procs, name, got.Len(), len(want))
			}
		}
	}
	zr, err := zip.NewReader(bytes.NewReader(want), int64(len(want)))
	if err != nil {
		t.Fatal(err)
	}
	for i, f := range zr.File {
		rc, err := f.Open()
		if err != nil {
			t.Fatal(err)
		}
		b, err := io.ReadAll(rc)
		if err != nil || !bytes.Equal(b, files[i].Data) {
			t.Fatalf("%s: read back %d bytes (%v), want the %d written", f.Name, len(b), err, len(files[i].Data))
		}
	}
}

// streamed gives the named entries' bytes through Open instead of Data,
// read in pieces of uneven size.
func streamed(files []ZipFile, names ...string) []ZipFile {
	for i, f := range files {
		if slices.Contains(names, f.Header.Name) {
			data := f.Data
			files[i].Data, files[i].Open = nil, func(context.Context) (io.ReadCloser, error) {
				return io.NopCloser(iotest.HalfReader(bytes.NewReader(data))), nil
			}
		}
	}
	return files
}

// An entry whose reader fails, at its very end too (a file that changed
// since it was read), fails the zip with the entry's name.
func TestWriteZipFailsWhenAStreamFails(t *testing.T) {
	changed := errors.New("big.js changed")
	files := testZipFiles()
	for i, f := range files {
		if f.Header.Name == "big.js" {
			data := f.Data
			files[i].Data, files[i].Open = nil, func(context.Context) (io.ReadCloser, error) {
				return io.NopCloser(io.MultiReader(bytes.NewReader(data), iotest.ErrReader(changed))), nil
			}
		}
	}
	if err := WriteZip(context.Background(), io.Discard, files); !errors.Is(err, changed) || !strings.Contains(err.Error(), "zipping big.js") {
		t.Fatalf("got %v, want the stream's error", err)
	}
}

func TestWriteZipStopsOnCancel(t *testing.T) {
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	if err := WriteZip(ctx, io.Discard, testZipFiles()); !errors.Is(err, context.Canceled) {
		t.Fatalf("got %v, want context.Canceled", err)
	}
}

// A resource file named with backslashes would be a path once a Windows
// tool unpacks the zip: refused, with the name.
func TestResourceZipRefusesBackslashNames(t *testing.T) {
	_, _, err := resourceZip([]zipEntry{{name: "ok.txt", data: []byte("a")}, {name: `..\..\evil.txt`, data: []byte("b")}})
	if err == nil || !strings.Contains(err.Error(), "backslash") {
		t.Fatalf("err %v", err)
	}
}
