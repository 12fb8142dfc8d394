package secrets

import (
	"archive/zip"
	"bytes"
	"compress/zlib"
	"fmt"
	"slices"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"
)

// A Memo changes what a scan costs, never what it finds: whatever the
// memo has seen before (the same bytes as a plain file, as an archive
// entry, under another name), a scan through it finds what Scan finds.
func TestMemoFindsWhatScanFinds(t *testing.T) {
	keyPEM := []byte("\n" + pemHeader("RSA ") + "\nTk9UIEEgS0VZ\n" + pemFooter("RSA "))
	js := []byte("console.log('hello');\n")
	oauth := []byte(xmlHead + "<ExtlClntAppGlobalOauthSettings/>")
	settings := []byte(xmlHead + "<Settings><enabled>true</enabled></Settings>\n")
	var zl bytes.Buffer
	zw := zlib.NewWriter(&zl)
	zw.Write(bytes.Repeat([]byte("plain text deflated with zlib\n"), 20))
	zw.Close()
	nested := []byte("x")
	for range 6 {
		nested = gz(t, nested)
	}
	// A raw deflate stream of a key, which a scan inflates above the
	// depth limit and passes over at it: the same bytes once at the
	// limit, inside three zips, and once just inside the outer zip.
	rawKey := deflateOf(t, []byte(string(keyPEM)+strings.Repeat("\n", 200)), false)
	deep := zipOf(t, zip.Store, e("x.bin", rawKey))
	for range 2 {
		deep = zipOf(t, zip.Store, e("inner.zip", deep))
	}
	type input struct {
		name string
		data []byte
	}
	inputs := []input{
		{"app.js", js},
		{"settings.xml", settings},
		{"key.pem", keyPEM},
		{"A.ecaGlblOauth-meta.xml", settings}, // clean bytes, a name that alone is a finding
		{"a.xml", oauth},
		{"zlib.bin", zl.Bytes()},
		{"x", []byte("x")},
		{"nested.gz", nested},
		{"clean.zip", zipOf(t, zip.Deflate, e("js/app.js", js), e("settings.xml", settings))},
		{"named.zip", zipOf(t, zip.Deflate, e("js/app.js", js), e("sets/A.ecaGlblOauth", settings))},
		{"key.zip", zipOf(t, zip.Deflate, e("js/app.js", js), e("k.pem", keyPEM))},
		{"zlib.zip", zipOf(t, zip.Store, e("z.bin", zl.Bytes()), e("zz.zip", zipOf(t, zip.Deflate, e("z.bin", zl.Bytes()))))},
		{"nested.zip", zipOf(t, zip.Deflate, e("n.gz", nested), e("x", "x"))},
		{"deep first.zip", zipOf(t, zip.Store, e("a.zip", deep), e("key.bin", rawKey))},
		{"raw key.bin", rawKey},
	}
	want := map[string][]string{}
	for _, in := range inputs {
		want[in.name] = summary(Scan(in.name, in.data))
	}
	// The cases must show something: findings, and clean files.
	if len(want["key.zip"]) == 0 || len(want["A.ecaGlblOauth-meta.xml"]) == 0 || len(want["nested.gz"]) == 0 || want["clean.zip"] != nil ||
		len(want["deep first.zip"]) == 0 || len(want["raw key.bin"]) == 0 {
		t.Fatalf("the corpus does not test what it should: %v", want)
	}
	backward := slices.Clone(inputs)
	slices.Reverse(backward)
	for _, order := range [][]input{inputs, backward} {
		m := NewMemo()
		for range 2 {
			for _, in := range order {
				if diff := cmp.Diff(want[in.name], summary(m.Scan(in.name, in.data))); diff != "" {
					t.Errorf("%s through the memo (-Scan +Memo.Scan):\n%s", in.name, diff)
				}
			}
		}
	}
	var m *Memo
	if diff := cmp.Diff(want["key.zip"], summary(m.Scan("key.zip", inputs[10].data))); diff != "" {
		t.Errorf("a nil Memo scans as Scan does:\n%s", diff)
	}
}

// A hit needs the very bytes: content that hashes alike but differs is
// scanned, and a memo never answers for bytes changed after it saw them.
func TestMemoComparesTheBytes(t *testing.T) {
	m := NewMemo()
	clean := []byte("console.log('hello');\n")
	if got := m.Scan("a.js", clean); got != nil {
		t.Fatal(got)
	}
	if !m.passed("a.js", slices.Clone(clean)) {
		t.Error("a copy of bytes scanned clean is not remembered")
	}
	changed := slices.Clone(clean)
	changed[0] = 'C'
	if m.passed("a.js", changed) {
		t.Error("changed bytes are taken for the clean ones")
	}
}

// ScanEntries of a zip's entries finds what Scan finds in the zip itself
// (a finding in the raw bytes, such as a key in an entry's name, has a
// position in the bytes each reads, so positions of the zip's own
// findings are left out; and the zip's bytes hold each name twice, in its
// local header and its central directory, where ScanEntries reads it
// once, so the same finding twice counts once).
func TestScanEntriesFindsWhatScanOfTheZipFinds(t *testing.T) {
	keyPEM := []byte("\n" + pemHeader("RSA ") + "\nTk9UIEEgS0VZ\n" + pemFooter("RSA "))
	js := []byte("console.log('hello');\n")
	settings := []byte(xmlHead + "<Settings><enabled>true</enabled></Settings>\n")
	many := make([]entry, MaxEntries+1)
	for i := range many {
		many[i] = e(fmt.Sprintf("f%d.js", i), js)
	}
	cases := map[string][]entry{
		"clean":             {e("js/", ""), e("js/app.js", js), e("settings.xml", settings)},
		"key":               {e("js/app.js", js), e("certs/k.pem", keyPEM)},
		"oauth name":        {e("sets/A.ecaGlblOauth", settings)},
		"nested zip":        {e("lib.zip", zipOf(t, zip.Deflate, e("inner/k.pem", keyPEM)))},
		"gzip entry":        {e("k.pem.gz", gz(t, keyPEM))},
		"consumer key name": {e("3MVG9"+strings.Repeat("A", 80)+".txt", js)},
		"empty file":        {e("empty.txt", "")},
		"too many entries":  many,
	}
	for name, files := range cases {
		var entries []Entry
		for _, f := range files {
			entries = append(entries, Entry{Name: f.name, Data: f.data})
		}
		strip := func(fs []Finding) []string {
			for i := range fs {
				if fs[i].Entry == "" {
					fs[i].Line, fs[i].Column = 0, 0
				}
			}
			return slices.Compact(summary(fs))
		}
		want := strip(Scan("r.resource", zipOf(t, zip.Deflate, files...)))
		m := NewMemo()
		for range 2 { // the second time, the memo knows the clean entries
			if diff := cmp.Diff(want, strip(m.ScanEntries("r.resource", entries))); diff != "" {
				t.Errorf("%s (-Scan of the zip +ScanEntries):\n%s", name, diff)
			}
		}
	}
}

// A key behind a byte-order mark: the mark does not make ASCII text UTF-16
// (the second attacker trial hid a PEM key behind FF FE).
func TestAKeyBehindAByteOrderMarkIsFound(t *testing.T) {
	keyPEM := "\n" + pemHeader("RSA ") + "\nTk9UIEEgS0VZ\n" + pemFooter("RSA ")
	for _, bom := range []string{"\xff\xfe", "\xfe\xff", "\xef\xbb\xbf"} {
		fs := Scan("k.resource", []byte(bom+keyPEM))
		if len(fs) == 0 || fs[0].Kind != PrivateKey {
			t.Errorf("% x then a PEM key: %v", bom, summary(fs))
		}
	}
}

// A compressed stream cut short by what is left of the scan's budget is
// refused, not passed over as too short to hold a key, and the bytes are
// not remembered as clean (the second attacker trial put a zlib key after
// 64 MiB of filler in one resource, and the same stream in another file).
func TestAStreamCutByTheBudgetIsRefusedNotRemembered(t *testing.T) {
	keyPEM := []byte("\n" + pemHeader("RSA ") + "\nTk9UIEEgS0VZ\n" + pemFooter("RSA ") + strings.Repeat("\n", 100))
	stream := deflateOf(t, keyPEM, true)
	m := NewMemo()
	s := &scanner{lim: defaultLimits, name: "lib.resource", budget: 10, memo: m}
	s.file("z.bin", stream, 1, "")
	if len(s.findings) == 0 || s.findings[0].Kind != Unscannable {
		t.Errorf("a stream cut at the budget's end: %v; want it refused", summary(s.findings))
	}
	if m.passed("zkey.resource", stream) {
		t.Error("the stream's bytes were remembered as clean")
	}
	if fs := m.Scan("zkey.resource", stream); len(fs) == 0 || fs[0].Kind != PrivateKey {
		t.Errorf("the stream on its own: %v; want the key", summary(fs))
	}
}

// A raw deflate stream at the depth limit, where the scan stops opening
// things, is refused rather than passed over (third attacker pass: four
// stored zips around a raw-deflated key).
func TestARawDeflateStreamAtTheDepthLimitIsRefused(t *testing.T) {
	keyPEM := []byte("\n" + pemHeader("RSA ") + "\nTk9UIEEgS0VZ\n" + pemFooter("RSA ") + strings.Repeat("\n", 200))
	deep := zipOf(t, zip.Store, e("x.bin", deflateOf(t, keyPEM, false)))
	for range 3 {
		deep = zipOf(t, zip.Store, e("inner.zip", deep))
	}
	if fs := Scan("n4.resource", deep); len(fs) == 0 {
		t.Error("a raw deflate key four archives deep: nothing found")
	}
}
