package tree

import (
	"bytes"
	"context"
	"crypto/sha256"
	"errors"
	"io"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"testing/fstest"

	"github.com/byocpack/byocpack/internal/secrets"
)

// largeContent is LazyOver and a bit of bytes that are not all alike.
func largeContent(seed byte) []byte {
	b := make([]byte, LazyOver+4096)
	for i := range b {
		b[i] = byte(i*7) ^ seed
	}
	return b
}

// lazyDisk writes files under a new directory and reads it with Lazy set.
func lazyDisk(t *testing.T, files map[string][]byte) (string, *Tree) {
	t.Helper()
	root := t.TempDir()
	for rel, data := range files {
		name := filepath.Join(root, filepath.FromSlash(rel))
		if err := os.MkdirAll(filepath.Dir(name), 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(name, data, 0o644); err != nil {
			t.Fatal(err)
		}
	}
	r := NewReader(root)
	r.Lazy = true
	if err := r.Dir("app", nil, nil); err != nil {
		t.Fatal(err)
	}
	return root, r.Tree
}

// A large content file is held by its record (size, digest, first bytes,
// the secrets scan of what was read), not by its bytes; XML of any size
// and small files are held; Read gives the bytes read.
func TestLazyReaderHoldsLargeContentByItsRecord(t *testing.T) {
	big := largeContent(1)
	key := append(largeContent(2), "\n-----BEGIN "+"PRIVATE KEY-----\nMIIBVQIBADANBgkqhkiG9w0BAQEFAASCAT8wggE7AgEAAkEA\n-----END "+"PRIVATE KEY-----\n"...)
	bigXML := append([]byte("<a>"), append(bytes.Repeat([]byte("x"), LazyOver), "</a>"...)...)
	_, tr := lazyDisk(t, map[string][]byte{"app/big.resource": big, "app/key.asset": key, "app/big.object-meta.xml": bigXML, "app/small.js": []byte("x")})
	for p, data := range map[string][]byte{"app/big.resource": big, "app/key.asset": key} {
		l := tr.Lazy(p)
		if b, ok := tr.Get(p); !ok || b != nil || l == nil {
			t.Fatalf("%s: Get gave %d bytes (held %v), record %v; want no bytes and a record", p, len(b), ok, l)
		}
		if l.Size != int64(len(data)) || l.SHA256 != sha256.Sum256(data) || !bytes.Equal(l.Head, data[:headSize]) {
			t.Errorf("%s: record %d bytes %x, want %d bytes %x", p, l.Size, l.SHA256, len(data), sha256.Sum256(data))
		}
		got, ok, err := tr.Read(context.Background(), p)
		if err != nil || !ok || !bytes.Equal(got, data) {
			t.Errorf("%s: Read = %d bytes, %v, %v", p, len(got), ok, err)
		}
	}
	if f := tr.Lazy("app/key.asset").Findings; len(f) != 1 || f[0].Kind != secrets.PrivateKey {
		t.Errorf("key.asset: findings %v, want the private key", f)
	}
	if f := tr.Lazy("app/big.resource").Findings; len(f) != 0 {
		t.Errorf("big.resource: findings %v, want none", f)
	}
	for p, want := range map[string][]byte{"app/big.object-meta.xml": bigXML, "app/small.js": []byte("x")} {
		if b, _ := tr.Get(p); !bytes.Equal(b, want) || tr.Lazy(p) != nil {
			t.Errorf("%s: held %d bytes, record %v; want its bytes", p, len(b), tr.Lazy(p))
		}
	}
	if c := tr.Clone(); c.Lazy("app/big.resource") != tr.Lazy("app/big.resource") {
		t.Error("a clone lost the record")
	}
}

// Read again, a file that is not the one read fails, naming the file: the
// same size with other bytes, another size, a link in its place, gone;
// and a canceled read stops.
func TestLazyReadRefusesAChangedFile(t *testing.T) {
	big := largeContent(3)
	root, tr := lazyDisk(t, map[string][]byte{"app/big.resource": big, "app/other.resource": largeContent(4)})
	name := filepath.Join(root, "app", "big.resource")
	flipped := bytes.Clone(big)
	flipped[len(flipped)-1] ^= 1
	for what, change := range map[string]func() error{
		"other bytes": func() error { return os.WriteFile(name, flipped, 0o644) },
		"longer":      func() error { return os.WriteFile(name, append(bytes.Clone(big), 'x'), 0o644) },
		"a link": func() error {
			if err := os.Remove(name); err != nil {
				return err
			}
			return os.Symlink(filepath.Join(root, "app", "other.resource"), name)
		},
		"gone": func() error { return os.Remove(name) },
	} {
		if err := os.RemoveAll(name); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(name, big, 0o644); err != nil {
			t.Fatal(err)
		}
		if _, _, err := tr.Read(context.Background(), "app/big.resource"); err != nil {
			t.Fatalf("%s: the file as read: %v", what, err)
		}
		if err := change(); err != nil {
			t.Fatal(err)
		}
		_, _, err := tr.Read(context.Background(), "app/big.resource")
		if !errors.Is(err, ErrChanged) || !strings.Contains(err.Error(), filepath.ToSlash(name)+": changed since byocpack read and validated it; run again") {
			t.Errorf("%s: got %v, want the file named as changed", what, err)
		}
	}
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	if _, _, err := tr.Read(ctx, "app/other.resource"); !errors.Is(err, context.Canceled) {
		t.Errorf("canceled: got %v", err)
	}
}

// Over an fs.FS (the in-memory harness) a large file is held by its
// record too, and read again from the FS.
func TestLazyReaderOverFS(t *testing.T) {
	big := largeContent(5)
	fsys := fstest.MapFS{"app/big.resource": {Data: big, Mode: 0o644}}
	r := NewReader("proj")
	r.FS, r.Lazy = fsys, true
	if err := r.Dir("app", nil, nil); err != nil {
		t.Fatal(err)
	}
	l := r.Tree.Lazy("app/big.resource")
	if l == nil {
		t.Fatal("no record")
	}
	rc, err := l.Open(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	got, err := io.ReadAll(rc)
	rc.Close()
	if err != nil || !bytes.Equal(got, big) {
		t.Fatalf("read again: %d bytes, %v", len(got), err)
	}
	changed := bytes.Clone(big)
	changed[0] ^= 1
	fsys["app/big.resource"].Data = changed
	if _, err := l.ReadAll(context.Background()); !errors.Is(err, ErrChanged) || !strings.Contains(err.Error(), "proj/app/big.resource") {
		t.Fatalf("got %v, want proj/app/big.resource changed", err)
	}
}

// Without Lazy (every command but the ones that zip) nothing changes.
func TestReaderWithoutLazyHoldsEveryByte(t *testing.T) {
	fsys := fstest.MapFS{"app/big.resource": {Data: largeContent(6), Mode: 0o644}}
	r := NewReader("proj")
	r.FS = fsys
	if err := r.Dir("app", nil, nil); err != nil {
		t.Fatal(err)
	}
	if b, _ := r.Tree.Get("app/big.resource"); len(b) != LazyOver+4096 || r.Tree.Lazy("app/big.resource") != nil {
		t.Fatalf("held %d bytes, record %v", len(b), r.Tree.Lazy("app/big.resource"))
	}
}
