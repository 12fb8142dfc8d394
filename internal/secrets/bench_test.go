package secrets

import (
	"archive/zip"
	"fmt"
	"math/rand/v2"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// BenchmarkScanMetadata is the common case: every rendered file of the
// partner1 golden, the plain XML that goes into every package.
func BenchmarkScanMetadata(b *testing.B) {
	var files [][]byte
	size := 0
	root := filepath.Join("..", "..", "fixtures", "partner1", "golden")
	err := filepath.WalkDir(root, func(p string, d os.DirEntry, err error) error {
		if err != nil || d.IsDir() {
			return err
		}
		data, err := os.ReadFile(p)
		files = append(files, data)
		size += len(data)
		return err
	})
	if err != nil {
		b.Fatal(err)
	}
	b.SetBytes(int64(size))
	for b.Loop() {
		for _, f := range files {
			if len(Scan("f", f)) > 1 { // the global settings file is one
				b.Fatal("finding")
			}
		}
	}
	b.ReportMetric(float64(b.Elapsed().Nanoseconds())/float64(b.N*len(files)), "ns/file")
}

// BenchmarkScanStaticResource is a 200-file web bundle zipped as a static
// resource: 2.4 MB of script and styles.
func BenchmarkScanStaticResource(b *testing.B) {
	var files []entry
	line := "function f(a, b) { return document.querySelector('#x' + a).value + b; } // MIGHT Matter\n"
	for i := range 200 {
		files = append(files, e(fmt.Sprintf("js/m%03d.js", i), strings.Repeat(line, 140)))
	}
	z := zipOf(b, zip.Deflate, files...)
	b.SetBytes(int64(200 * 140 * len(line)))
	for b.Loop() {
		if len(Scan("x.resource", z)) > 0 {
			b.Fatal("finding")
		}
	}
}

// BenchmarkScanBinary is a 5 MB file of random bytes, such as an image.
func BenchmarkScanBinary(b *testing.B) {
	data := make([]byte, 5<<20)
	r := rand.New(rand.NewPCG(1, 2))
	for i := range data {
		data[i] = byte(r.Uint32())
	}
	b.SetBytes(int64(len(data)))
	for b.Loop() {
		Scan("logo.png", data)
	}
}
