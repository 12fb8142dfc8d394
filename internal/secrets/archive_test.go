package secrets

import (
	"archive/zip"
	"bytes"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"
	"github.com/mholt/archives"
)

func TestScanArchives(t *testing.T) {
	k := keys()
	keyPEM := []byte("\n" + pemHeader("RSA ") + "\nTk9UIEEgS0VZ\n" + pemFooter("RSA "))
	js := e("js/app.js", "console.log('hello');\n")
	cert := e("certs/server.crt", pemOf("CERTIFICATE", k.certDER))
	inner := zipOf(t, zip.Deflate, e("k.pem", keyPEM))
	cases := []struct {
		name string
		data []byte
		want []string
	}{
		{"zip", zipOf(t, zip.Deflate, js, cert, e("certs/key.pem", keyPEM)), []string{"BYOC-NO-PRIVATE-KEY certs/key.pem 2:1"}},
		// A stored entry shows in the raw bytes too; it is reported once.
		{"stored zip", zipOf(t, zip.Store, js, e("certs/key.pem", keyPEM)), []string{"BYOC-NO-PRIVATE-KEY certs/key.pem 2:1"}},
		{"clean zip", zipOf(t, zip.Deflate, js, cert), nil},
		{"jar with a der key", zipOf(t, zip.Deflate, e("META-INF/MANIFEST.MF", "Manifest-Version: 1.0\n"), e("keys/app.der", k.pkcs8EC)), []string{"BYOC-NO-PRIVATE-KEY keys/app.der 0:0"}},
		{"zip of metadata", zipOf(t, zip.Deflate,
			e("connectedApps/A.connectedApp", "<ConnectedApp>\n<consumerSecret>s</consumerSecret></ConnectedApp>"),
			e("extlClntAppGlobalOauthSets/A.ecaGlblOauth", xmlHead+"<ExtlClntAppGlobalOauthSettings/>")),
			[]string{"BYOC-NO-CONSUMER-KEY connectedApps/A.connectedApp 2:1", "BYOC-NO-GLOBAL-OAUTH extlClntAppGlobalOauthSets/A.ecaGlblOauth 2:1"}},
		{"tar", tarOf(t, js, e("key.pem", keyPEM)), []string{"BYOC-NO-PRIVATE-KEY key.pem 2:1"}},
		{"tar.gz", gz(t, tarOf(t, js, e("a/key.pem", keyPEM))), []string{"BYOC-NO-PRIVATE-KEY a/key.pem 2:1"}},
		{"tar.bz2", compress(t, archives.Bz2{}, tarOf(t, e("key.pem", keyPEM))), []string{"BYOC-NO-PRIVATE-KEY key.pem 2:1"}},
		{"tar.xz", compress(t, archives.Xz{}, tarOf(t, e("key.pem", keyPEM))), []string{"BYOC-NO-PRIVATE-KEY key.pem 2:1"}},
		{"tar.zst", compress(t, archives.Zstd{}, tarOf(t, e("key.pem", keyPEM))), []string{"BYOC-NO-PRIVATE-KEY key.pem 2:1"}},
		{"gzip of one file", gz(t, keyPEM), []string{"BYOC-NO-PRIVATE-KEY (gzip content) 2:1"}},
		{"zip in a tgz in a zip", zipOf(t, zip.Deflate, e("lib.tgz", gz(t, tarOf(t, e("vendor/inner.zip", inner))))), []string{"BYOC-NO-PRIVATE-KEY lib.tgz!vendor/inner.zip!k.pem 2:1"}},
		{"zip after a stub", append([]byte("#!/bin/sh\nexit 0\n"), zipOf(t, zip.Deflate, e("k.der", k.pkcs1))...), []string{"BYOC-NO-PRIVATE-KEY k.der 0:0"}},
		{"hostile entry name", zipOf(t, zip.Deflate, e("a\nb.c:1:1: fake\x1b[0m.pem", keyPEM)), []string{`BYOC-NO-PRIVATE-KEY a\nb.c:1:1: fake\x1b[0m.pem 2:1`}},

		// What cannot be scanned is refused.
		{"truncated zip", zipOf(t, zip.Deflate, e("k.pem", keyPEM))[:40], []string{"BYOC-UNSCANNABLE-ARCHIVE  0:0"}},
		{"corrupt deflate", corruptZip(t), []string{"BYOC-UNSCANNABLE-ARCHIVE big.txt 0:0"}},
		{"encrypted entry", rawZip(t, zip.FileHeader{Name: "k.pem", Method: zip.Store, Flags: 0x1}, keyPEM[:10]), []string{"BYOC-UNSCANNABLE-ARCHIVE k.pem 0:0"}},
		{"zstd entry", rawZip(t, zip.FileHeader{Name: "k.pem", Method: 93}, []byte("x")), []string{"BYOC-UNSCANNABLE-ARCHIVE k.pem 0:0"}},
		{"7z", []byte("7z\xbc\xaf\x27\x1c\x00\x04rest"), []string{"BYOC-UNSCANNABLE-ARCHIVE  0:0"}},
		{"rar", []byte("Rar!\x1a\x07\x01\x00rest"), []string{"BYOC-UNSCANNABLE-ARCHIVE  0:0"}},
		// A raw block shows its bytes, so the key is also seen in the file.
		{"zstd window over the bound", zstdWindow(keyPEM, 26), []string{"BYOC-UNSCANNABLE-ARCHIVE  0:0", "BYOC-NO-PRIVATE-KEY  2:1"}},
		{"zstd window at the bound", zstdWindow(keyPEM, 23), []string{"BYOC-NO-PRIVATE-KEY (zstd content) 2:1"}},
		{"broken gzip", []byte{0x1f, 0x8b, 0x08, 0, 0, 0}, []string{"BYOC-UNSCANNABLE-ARCHIVE  0:0"}},

		// Text that starts like a magic number is text.
		{"text starting BZh", []byte("BZhello " + pemHeader("")), []string{"BYOC-NO-PRIVATE-KEY  1:9"}},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			got := Scan("staticresources/x.resource", c.data)
			if diff := cmp.Diff(c.want, summary(got)); diff != "" {
				t.Errorf("(-want +got):\n%s\n%v", diff, got)
			}
			for _, f := range got {
				if f.Entry != "" && f.Name != "staticresources/x.resource!"+f.Entry {
					t.Errorf("Name %q does not end in Entry %q", f.Name, f.Entry)
				}
				if strings.ContainsAny(f.Detail(), "\n\x1b") {
					t.Errorf("unescaped control characters: %q", f.Detail())
				}
			}
		})
	}
}

// corruptZip flips bytes inside the deflate data of an entry, so the
// central directory is fine and the entry fails its checksum or inflate.
func corruptZip(t *testing.T) []byte {
	z := zipOf(t, zip.Deflate, e("big.txt", strings.Repeat("all work and no play ", 500)))
	for i := 40; i < 60; i++ {
		z[i] ^= 0xff
	}
	return z
}

// nest wraps data in n zips, each holding the previous one.
func nest(t *testing.T, data []byte, n int) []byte {
	for range n {
		data = zipOf(t, zip.Deflate, e("inner.zip", data))
	}
	return data
}

func TestLimits(t *testing.T) {
	keyPEM := []byte(pemHeader("") + "\n")
	small := limits{depth: 2, entries: 5, entry: 1000, total: 3000, findings: 10}
	cases := []struct {
		name string
		lim  limits
		data []byte
		want []string
	}{
		{"depth within the bound", small, nest(t, zipOf(t, zip.Deflate, e("k.pem", keyPEM)), 1), []string{"BYOC-NO-PRIVATE-KEY inner.zip!k.pem 1:1"}},
		{"one level too deep", small, nest(t, zipOf(t, zip.Deflate, e("k.pem", keyPEM)), 2), []string{"BYOC-UNSCANNABLE-ARCHIVE inner.zip!inner.zip 0:0"}},
		{"default depth", defaultLimits, nest(t, zipOf(t, zip.Deflate, e("k.pem", keyPEM)), MaxDepth-1), []string{"BYOC-NO-PRIVATE-KEY inner.zip!inner.zip!inner.zip!k.pem 1:1"}},
		{"default depth exceeded", defaultLimits, nest(t, zipOf(t, zip.Deflate, e("k.pem", keyPEM)), MaxDepth), []string{"BYOC-UNSCANNABLE-ARCHIVE inner.zip!inner.zip!inner.zip!inner.zip 0:0"}},
		// An entry over the bound is refused; the others are still read.
		{"entry too large", small, zipOf(t, zip.Deflate, e("big.js", make([]byte, 1001)), e("k.pem", keyPEM)), []string{"BYOC-UNSCANNABLE-ARCHIVE big.js 0:0", "BYOC-NO-PRIVATE-KEY k.pem 1:1"}},
		{"entry at the bound", small, zipOf(t, zip.Deflate, e("big.js", make([]byte, 1000))), nil},
		// Over the total, the scan stops: the key after it is not reached,
		// and the refusal is what blocks the file.
		{"total too large", small, zipOf(t, zip.Deflate, e("a", make([]byte, 1000)), e("b", make([]byte, 1000)), e("c", make([]byte, 1000)), e("d", make([]byte, 1)), e("k.pem", keyPEM)), []string{"BYOC-UNSCANNABLE-ARCHIVE  0:0"}},
		{"too many entries", small, zipOf(t, zip.Deflate, e("1", "x"), e("2", "x"), e("3", "x"), e("4", "x"), e("5", "x"), e("6", "x")), []string{"BYOC-UNSCANNABLE-ARCHIVE  0:0"}},
		{"findings capped", limits{depth: 2, entries: 5, entry: 1000, total: 3000, findings: 2}, []byte(strings.Repeat(string(keyPEM), 5)), []string{"BYOC-NO-PRIVATE-KEY  1:1", "BYOC-NO-PRIVATE-KEY  2:1"}},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			if diff := cmp.Diff(c.want, summary(scanWith(c.lim, "x.resource", c.data))); diff != "" {
				t.Errorf("(-want +got):\n%s", diff)
			}
		})
	}
}

// A zip bomb against the real limits: 80 entries of 1 MiB of zeros, 80 KiB
// on disk, is refused, having decompressed no more than MaxTotalSize.
func TestZipBomb(t *testing.T) {
	zero := make([]byte, 1<<20)
	var files []entry
	for i := range 80 {
		files = append(files, e(strings.Repeat("z", i+1), zero))
	}
	bomb := zipOf(t, zip.Deflate, files...)
	got := Scan("bomb.resource", bomb)
	if len(got) != 1 || got[0].Kind != Unscannable || !strings.Contains(got[0].Message, "64 MiB") {
		t.Fatalf("got %v", got)
	}
	// One entry bigger than MaxEntrySize.
	got = Scan("bomb.resource", gz(t, make([]byte, MaxEntrySize+1)))
	if len(got) != 1 || got[0].Kind != Unscannable || !strings.Contains(got[0].Message, "16 MiB") {
		t.Fatalf("got %v", got)
	}
	t.Logf("%d-byte bomb refused: %s", len(bomb), got[0].Message)
}

// A zip that contains itself (a quine) ends at the depth bound rather than
// recursing; so does any chain of nested archives.
func TestSelfNesting(t *testing.T) {
	data := []byte("x")
	for range 20 {
		data = gz(t, data)
	}
	got := Scan("q", data)
	if diff := cmp.Diff([]string{"BYOC-UNSCANNABLE-ARCHIVE  0:0"}, summary(got)); diff != "" {
		t.Error(diff)
	}
	if !bytes.Contains([]byte(got[0].Message), []byte("inside 4 levels")) {
		t.Error(got[0].Message)
	}
}
