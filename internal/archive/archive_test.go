package archive

import (
	"archive/tar"
	"archive/zip"
	"bytes"
	"compress/gzip"
	"context"
	"errors"
	"io/fs"
	"strings"
	"testing"
)

type entry struct {
	name, body string
	typ        byte // tar type flag; 0 means a regular file
	link       string
}

func zipOf(t *testing.T, es ...entry) []byte {
	t.Helper()
	var buf bytes.Buffer
	w := zip.NewWriter(&buf)
	for _, e := range es {
		h := &zip.FileHeader{Name: e.name, Method: zip.Deflate}
		if e.typ == tar.TypeSymlink {
			h.SetMode(fs.ModeSymlink | 0o777)
		}
		f, err := w.CreateHeader(h)
		if err != nil {
			t.Fatal(err)
		}
		if _, err := f.Write([]byte(e.body)); err != nil {
			t.Fatal(err)
		}
	}
	if err := w.Close(); err != nil {
		t.Fatal(err)
	}
	return buf.Bytes()
}

func tgzOf(t *testing.T, es ...entry) []byte {
	t.Helper()
	var buf bytes.Buffer
	gz := gzip.NewWriter(&buf)
	w := tar.NewWriter(gz)
	for _, e := range es {
		h := &tar.Header{Name: e.name, Mode: 0o644, Size: int64(len(e.body)), Typeflag: tar.TypeReg, Linkname: e.link}
		if e.typ != 0 {
			h.Typeflag, h.Size = e.typ, 0
		}
		if err := w.WriteHeader(h); err != nil {
			t.Fatal(err)
		}
		if h.Size > 0 {
			if _, err := w.Write([]byte(e.body)); err != nil {
				t.Fatal(err)
			}
		}
	}
	if err := w.Close(); err != nil {
		t.Fatal(err)
	}
	if err := gz.Close(); err != nil {
		t.Fatal(err)
	}
	return buf.Bytes()
}

func TestReadsZipAndTarInMemory(t *testing.T) {
	es := []entry{{name: "package.xml", body: "<Package/>"}, {name: "classes/", typ: tar.TypeDir}, {name: "./classes/A.cls", body: "class A {}"}}
	for name, data := range map[string][]byte{"zip": zipOf(t, es[0], entry{name: "classes/"}, es[2]), "tgz": tgzOf(t, es...)} {
		tr, err := NewReader(Limits{}).Read(context.Background(), name, data)
		if err != nil {
			t.Fatalf("%s: %v", name, err)
		}
		if got := strings.Join(tr.Paths(), " "); got != "classes/A.cls package.xml" {
			t.Errorf("%s: paths %q", name, got)
		}
		if b, _ := tr.Get("classes/A.cls"); string(b) != "class A {}" {
			t.Errorf("%s: body %q", name, b)
		}
	}
}

func TestRefusesHostileEntries(t *testing.T) {
	for _, tc := range []struct {
		name string
		data []byte
		want string
	}{
		{"zip slip", zipOf(t, entry{name: "../../evil.txt", body: "x"}), `entry "../../evil.txt": the path climbs out with ".." (zip slip)`},
		{"zip slip inside", zipOf(t, entry{name: "a/../../evil.txt", body: "x"}), "zip slip"},
		{"absolute", tgzOf(t, entry{name: "/etc/evil", body: "x"}), "an absolute path"},
		{"drive letter", zipOf(t, entry{name: "C:/evil", body: "x"}), "drive letter"},
		{"backslash", zipOf(t, entry{name: `..\evil`, body: "x"}), "backslash"},
		{"symlink tar", tgzOf(t, entry{name: "link", typ: tar.TypeSymlink, link: "/etc/passwd"}), `a link (to "/etc/passwd")`},
		{"hard link tar", tgzOf(t, entry{name: "hard", typ: tar.TypeLink, link: "/etc/passwd"}), "a link"},
		{"symlink zip", zipOf(t, entry{name: "link", body: "/etc/passwd", typ: tar.TypeSymlink}), "a link"},
		{"device", tgzOf(t, entry{name: "null", typ: tar.TypeChar}), "a character device"},
		{"fifo", tgzOf(t, entry{name: "pipe", typ: tar.TypeFifo}), "a FIFO"},
		{"duplicate", zipOf(t, entry{name: "a.xml", body: "1"}, entry{name: "./a.xml", body: "2"}), "appears twice"},
		{"not an archive", []byte("just text"), "not a zip or tar archive"},
	} {
		_, err := NewReader(Limits{}).Read(context.Background(), "in.zip", tc.data)
		var refused *RefusedError
		if !errors.As(err, &refused) || !strings.Contains(err.Error(), tc.want) {
			t.Errorf("%s: got %v, want a refusal containing %q", tc.name, err, tc.want)
		}
	}
}

func TestBoundsEntriesAndSizes(t *testing.T) {
	big := strings.Repeat("0", 4096)
	for _, tc := range []struct {
		name string
		lim  Limits
		data []byte
		want string
	}{
		{"entry count", Limits{Entries: 2}, zipOf(t, entry{name: "a", body: "1"}, entry{name: "b", body: "2"}, entry{name: "c", body: "3"}), "more than 2 entries"},
		{"declared entry size", Limits{EntrySize: 1024}, tgzOf(t, entry{name: "big", body: big}), "declares 4096 bytes"},
		{"bomb, one entry", Limits{EntrySize: 1024}, zipOf(t, entry{name: "bomb", body: big}), "declares 4096 bytes"},
		{"bomb, in all", Limits{TotalSize: 6000}, zipOf(t, entry{name: "a", body: big}, entry{name: "b", body: big}), "expands past 0 MiB in all"},
	} {
		_, err := NewReader(tc.lim).Read(context.Background(), "in.zip", tc.data)
		if err == nil || !strings.Contains(err.Error(), tc.want) {
			t.Errorf("%s: got %v, want %q", tc.name, err, tc.want)
		}
	}
}

// A zip whose header understates an entry's size is caught while reading,
// not trusted.
func TestLyingHeaderIsCaught(t *testing.T) {
	data := zipOf(t, entry{name: "bomb", body: strings.Repeat("0", 8192)})
	// Patch the uncompressed size in both headers to 10 bytes.
	patched := bytes.ReplaceAll(data, []byte{0x00, 0x20, 0x00, 0x00}, []byte{0x0a, 0x00, 0x00, 0x00})
	_, err := NewReader(Limits{EntrySize: 1024}).Read(context.Background(), "in.zip", patched)
	if err == nil {
		t.Fatal("a zip whose header lies about the size was read")
	}
}

func TestBudgetIsShared(t *testing.T) {
	r := NewReader(Limits{Entries: 3})
	if _, err := r.Read(context.Background(), "a.zip", zipOf(t, entry{name: "a", body: "1"}, entry{name: "b", body: "2"})); err != nil {
		t.Fatal(err)
	}
	if _, err := r.Read(context.Background(), "a.zip!package.zip", zipOf(t, entry{name: "c", body: "1"}, entry{name: "d", body: "2"})); err == nil || !strings.Contains(err.Error(), "more than 3 entries") {
		t.Fatalf("nested archive did not share the budget: %v", err)
	}
}
