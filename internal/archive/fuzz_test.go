package archive

import (
	"archive/zip"
	"bytes"
	"context"
	"testing"
)

// FuzzRead hands the archive reader arbitrary bytes: it must refuse or
// read them within its limits, never panic.
func FuzzRead(f *testing.F) {
	var buf bytes.Buffer
	zw := zip.NewWriter(&buf)
	w, _ := zw.Create("package.xml")
	w.Write([]byte("<Package/>"))
	zw.Close()
	f.Add(buf.Bytes())
	f.Add([]byte("PK\x03\x04garbage"))
	f.Add([]byte{0x1f, 0x8b, 0x08, 0x00})
	lim := Limits{}
	f.Fuzz(func(t *testing.T, data []byte) {
		tr, err := NewReader(lim).Read(context.Background(), "fuzz.zip", data)
		if err == nil && tr == nil {
			t.Fatal("no tree and no error")
		}
	})
}
