package secrets

import (
	"archive/zip"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"
	"time"
)

// FuzzScan feeds arbitrary names and bytes, seeded with every shape the
// scanner opens, and checks what callers rely on: no panic, no more than
// MaxFindings, findings that are well formed and printable on one line,
// the same answer twice, and an answer in bounded time.
func FuzzScan(f *testing.F) {
	k := keys()
	keyPEM := []byte(pemHeader("EC ") + "\n" + strings.Repeat("A", 64) + "\n" + pemFooter("EC "))
	der, ber := pfx(f)
	for _, seed := range [][]byte{
		keyPEM, k.sec1, k.certDER, der, ber, jks(2, 1), encryptedPKCS8(f), dsaKey(f),
		[]byte(xmlHead + "<ExtlClntAppGlobalOauthSettings><consumerKey>k</consumerKey></ExtlClntAppGlobalOauthSettings>"),
		[]byte("<certificate>" + wrapped(k.pkcs8EC, 64, "  ") + "</certificate>"),
		utf16LE(string(keyPEM)),
		zipOf(f, zip.Deflate, e("a/k.pem", keyPEM), e("b.js", "x")),
		zipOf(f, zip.Store, e("in.zip", zipOf(f, zip.Deflate, e("k.der", k.pkcs1)))),
		gz(f, tarOf(f, e("k.pem", keyPEM))),
		zstdWindow(keyPEM, 23),
	} {
		f.Add("staticresources/x.resource", seed)
	}
	if raw, err := os.ReadFile(filepath.Join("..", "..", "fixtures", "partner1", "golden", "force-app", "main", "default", "externalClientApps", "Partner1_ExternalClientApp1.eca-meta.xml")); err == nil {
		f.Add("a.eca-meta.xml", raw)
	}
	kinds := Kinds()
	f.Fuzz(func(t *testing.T, name string, data []byte) {
		start := time.Now()
		got := Scan(name, data)
		if d := time.Since(start); d > 5*time.Second {
			t.Fatalf("Scan of %d bytes took %v", len(data), d)
		}
		if len(got) > MaxFindings {
			t.Fatalf("%d findings", len(got))
		}
		for _, fd := range got {
			switch {
			case !slices.Contains(kinds, fd.Kind), fd.Message == "", fd.Line < 0, fd.Column < 0, fd.Line == 0 && fd.Column != 0:
				t.Fatalf("bad finding %+v", fd)
			case fd.Entry == "" && fd.Name != name, fd.Entry != "" && fd.Name != name+"!"+fd.Entry:
				t.Fatalf("name %q entry %q for %q", fd.Name, fd.Entry, name)
			case strings.ContainsAny(fd.Detail(), "\n\r"):
				t.Fatalf("multi-line detail %q", fd.Detail())
			}
		}
		if again := Scan(name, data); !slices.Equal(got, again) {
			t.Fatalf("second scan differs:\n%v\n%v", got, again)
		}
	})
}
