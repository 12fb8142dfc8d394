package secrets

import (
	"archive/tar"
	"archive/zip"
	"bytes"
	"crypto/ecdsa"
	"crypto/ed25519"
	"crypto/elliptic"
	"crypto/rand"
	"crypto/rsa"
	"crypto/x509"
	"crypto/x509/pkix"
	"encoding/base64"
	"encoding/pem"
	"fmt"
	"math/big"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/mholt/archives"
)

// Every key in these tests is generated when the tests run, and every PEM
// header is spelled in pieces, so no secret scanner takes the repository
// for a leak.

// pemHeader is "-----BEGIN <kind>PRIVATE KEY-----" without the phrase
// appearing in the source.
func pemHeader(kind string) string { return "-----BEGIN " + kind + "PRIVATE" + " KEY-----" }

func pemFooter(kind string) string { return "-----END " + kind + "PRIVATE" + " KEY-----" }

type testKeys struct {
	rsa      *rsa.PrivateKey
	ec       *ecdsa.PrivateKey
	ed       ed25519.PrivateKey
	certDER  []byte // a self-signed certificate: public, never a finding
	pkixDER  []byte // a public key
	pkcs1    []byte
	pkcs8RSA []byte
	sec1     []byte
	pkcs8EC  []byte
	pkcs8Ed  []byte
}

var keys = sync.OnceValue(func() testKeys {
	var k testKeys
	var err error
	if k.rsa, err = rsa.GenerateKey(rand.Reader, 2048); err != nil {
		panic(err)
	}
	if k.ec, err = ecdsa.GenerateKey(elliptic.P256(), rand.Reader); err != nil {
		panic(err)
	}
	if _, k.ed, err = ed25519.GenerateKey(rand.Reader); err != nil {
		panic(err)
	}
	tmpl := &x509.Certificate{
		SerialNumber: big.NewInt(1),
		Subject:      pkix.Name{CommonName: "byocpack-test"},
		NotBefore:    time.Date(2026, 1, 1, 0, 0, 0, 0, time.UTC),
		NotAfter:     time.Date(2036, 1, 1, 0, 0, 0, 0, time.UTC),
	}
	must := func(b []byte, err error) []byte {
		if err != nil {
			panic(err)
		}
		return b
	}
	k.certDER = must(x509.CreateCertificate(rand.Reader, tmpl, tmpl, &k.rsa.PublicKey, k.rsa))
	k.pkixDER = must(x509.MarshalPKIXPublicKey(&k.ec.PublicKey))
	k.pkcs1 = x509.MarshalPKCS1PrivateKey(k.rsa)
	k.pkcs8RSA = must(x509.MarshalPKCS8PrivateKey(k.rsa))
	k.sec1 = must(x509.MarshalECPrivateKey(k.ec))
	k.pkcs8EC = must(x509.MarshalPKCS8PrivateKey(k.ec))
	k.pkcs8Ed = must(x509.MarshalPKCS8PrivateKey(k.ed))
	return k
})

// pemOf encodes der as a PEM block; encoding/pem writes the header.
func pemOf(typ string, der []byte) []byte {
	return pem.EncodeToMemory(&pem.Block{Type: typ, Bytes: der})
}

// wrapped is base64 broken into lines of n characters, as PEM does.
func wrapped(der []byte, n int, indent string) string {
	s := base64.StdEncoding.EncodeToString(der)
	var b strings.Builder
	for len(s) > n {
		b.WriteString(indent + s[:n] + "\n")
		s = s[n:]
	}
	b.WriteString(indent + s)
	return b.String()
}

type entry struct {
	name string
	data []byte
}

func e(name string, data any) entry {
	switch d := data.(type) {
	case string:
		return entry{name, []byte(d)}
	case []byte:
		return entry{name, d}
	}
	panic(fmt.Sprintf("entry %T", data))
}

// zipOf builds a zip in memory with a fixed time, deflated unless method
// says otherwise.
func zipOf(t testing.TB, method uint16, files ...entry) []byte {
	t.Helper()
	var buf bytes.Buffer
	zw := zip.NewWriter(&buf)
	for _, f := range files {
		w, err := zw.CreateHeader(&zip.FileHeader{Name: f.name, Method: method, Modified: time.Date(2026, 1, 1, 0, 0, 0, 0, time.UTC)})
		if err != nil {
			t.Fatal(err)
		}
		if _, err := w.Write(f.data); err != nil {
			t.Fatal(err)
		}
	}
	if err := zw.Close(); err != nil {
		t.Fatal(err)
	}
	return buf.Bytes()
}

// rawZip writes one entry with a header the caller sets (an encrypted flag,
// a method the scanner does not open) and the bytes as they are.
func rawZip(t testing.TB, h zip.FileHeader, raw []byte) []byte {
	t.Helper()
	var buf bytes.Buffer
	zw := zip.NewWriter(&buf)
	h.CompressedSize64, h.UncompressedSize64 = uint64(len(raw)), uint64(len(raw))
	w, err := zw.CreateRaw(&h)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := w.Write(raw); err != nil {
		t.Fatal(err)
	}
	if err := zw.Close(); err != nil {
		t.Fatal(err)
	}
	return buf.Bytes()
}

func tarOf(t testing.TB, files ...entry) []byte {
	t.Helper()
	var buf bytes.Buffer
	tw := tar.NewWriter(&buf)
	for _, f := range files {
		if err := tw.WriteHeader(&tar.Header{Name: f.name, Mode: 0o644, Size: int64(len(f.data)), Typeflag: tar.TypeReg, Format: tar.FormatPAX}); err != nil {
			t.Fatal(err)
		}
		if _, err := tw.Write(f.data); err != nil {
			t.Fatal(err)
		}
	}
	if err := tw.Close(); err != nil {
		t.Fatal(err)
	}
	return buf.Bytes()
}

// compress runs data through one of archives' compressors.
func compress(t testing.TB, c archives.Compressor, data []byte) []byte {
	t.Helper()
	var buf bytes.Buffer
	w, err := c.OpenWriter(&buf)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := w.Write(data); err != nil {
		t.Fatal(err)
	}
	if err := w.Close(); err != nil {
		t.Fatal(err)
	}
	return buf.Bytes()
}

func gz(t testing.TB, data []byte) []byte { return compress(t, archives.Gz{}, data) }

// zstdWindow is a zstd frame that declares a window of 1<<windowLog bytes
// and holds data in one raw block: the few bytes an allocation bomb needs.
// (Encoders shrink the window to fit small inputs, so it is written by
// hand.)
func zstdWindow(data []byte, windowLog uint) []byte {
	out := []byte{0x28, 0xb5, 0x2f, 0xfd, 0x00, byte(windowLog-10) << 3}
	h := 1 | len(data)<<3 // last block, raw, size
	out = append(out, byte(h), byte(h>>8), byte(h>>16))
	return append(out, data...)
}

// summary is what a test compares: kind, entry and position.
func summary(fs []Finding) []string {
	var out []string
	for _, f := range fs {
		out = append(out, fmt.Sprintf("%s %s %d:%d", f.Kind, f.Entry, f.Line, f.Column))
	}
	return out
}
