package secrets

import (
	"bytes"
	"crypto/x509/pkix"
	"encoding/asn1"
	"encoding/base64"
	"encoding/binary"
	"math/big"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"unicode/utf16"

	"github.com/google/go-cmp/cmp"
)

const xmlHead = "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n"

// pkcs8Shape is a PrivateKeyInfo around a placeholder, as the rule
// fixtures use: shaped like a key, holding none.
func pkcs8Shape(t testing.TB) []byte {
	t.Helper()
	b, err := asn1.Marshal(struct {
		Version int
		Algo    pkix.AlgorithmIdentifier
		Key     []byte
	}{0, pkix.AlgorithmIdentifier{Algorithm: asn1.ObjectIdentifier{1, 2, 840, 113549, 1, 1, 1}, Parameters: asn1.NullRawValue}, []byte("not a key")})
	if err != nil {
		t.Fatal(err)
	}
	return b
}

// encryptedPKCS8 is an EncryptedPrivateKeyInfo under PBES2 with a
// placeholder ciphertext; the standard library cannot write one.
func encryptedPKCS8(t testing.TB) []byte {
	t.Helper()
	b, err := asn1.Marshal(struct {
		Algo pkix.AlgorithmIdentifier
		Data []byte
	}{pkix.AlgorithmIdentifier{Algorithm: asn1.ObjectIdentifier{1, 2, 840, 113549, 1, 5, 13}}, bytes.Repeat([]byte{0xa5}, 64)})
	if err != nil {
		t.Fatal(err)
	}
	return b
}

// dsaKey is the traditional OpenSSL DSA form, six integers from version 0.
func dsaKey(t testing.TB) []byte {
	t.Helper()
	b, err := asn1.Marshal([]*big.Int{big.NewInt(0), big.NewInt(23), big.NewInt(11), big.NewInt(4), big.NewInt(8), big.NewInt(7)})
	if err != nil {
		t.Fatal(err)
	}
	return b
}

// pfx is the start of a PKCS#12 file: version 3 and a ContentInfo of type
// data, in DER and in BER with indefinite lengths (as many tools write).
func pfx(t testing.TB) (der, ber []byte) {
	t.Helper()
	der, err := asn1.Marshal(struct {
		Version  int
		AuthSafe struct {
			ContentType asn1.ObjectIdentifier
			Content     asn1.RawValue `asn1:"explicit,tag:0"`
		}
	}{Version: 3, AuthSafe: struct {
		ContentType asn1.ObjectIdentifier
		Content     asn1.RawValue `asn1:"explicit,tag:0"`
	}{asn1.ObjectIdentifier{1, 2, 840, 113549, 1, 7, 1}, asn1.RawValue{Tag: asn1.TagOctetString, Bytes: []byte("bags")}}})
	if err != nil {
		t.Fatal(err)
	}
	ber = []byte{0x30, 0x80, 0x02, 0x01, 0x03, 0x30, 0x80, 0x06, 0x09, 0x2a, 0x86, 0x48, 0x86, 0xf7, 0x0d, 0x01, 0x07, 0x01, 0xa0, 0x80, 0, 0, 0, 0, 0, 0}
	return der, ber
}

// jks builds a Java keystore (version 2) with the given entry tags: 1 a
// private key, 2 a trusted certificate.
func jks(tags ...uint32) []byte {
	var b bytes.Buffer
	w := func(v any) { _ = binary.Write(&b, binary.BigEndian, v) }
	b.Write(jksMagic)
	w(uint32(2))
	w(uint32(len(tags)))
	for _, tag := range tags {
		w(tag)
		w(uint16(5))
		b.WriteString("alias")
		w(uint64(0))
		switch tag {
		case 1:
			w(uint32(3))
			b.WriteString("key")
		case 2:
			w(uint16(5))
			b.WriteString("X.509")
			w(uint32(4))
			b.WriteString("cert")
		}
	}
	return b.Bytes()
}

func utf16LE(s string) []byte {
	out := []byte{0xff, 0xfe}
	for _, u := range utf16.Encode([]rune(s)) {
		out = binary.LittleEndian.AppendUint16(out, u)
	}
	return out
}

func TestScanText(t *testing.T) {
	k := keys()
	placeholder := "\nTk9UIEEgS0VZ\n"
	cases := []struct {
		name, file string
		data       []byte
		want       []string
	}{
		{"pkcs8 header", "k.pem", []byte(pemHeader("") + placeholder + pemFooter("")), []string{"BYOC-NO-PRIVATE-KEY  1:1"}},
		{"rsa header", "k", []byte(pemHeader("RSA ") + placeholder + pemFooter("RSA ")), []string{"BYOC-NO-PRIVATE-KEY  1:1"}},
		{"ec header", "k", []byte(pemHeader("EC ") + placeholder), []string{"BYOC-NO-PRIVATE-KEY  1:1"}},
		{"dsa header", "k", []byte(pemHeader("DSA ") + placeholder), []string{"BYOC-NO-PRIVATE-KEY  1:1"}},
		{"openssh header", "id", []byte(pemHeader("OPENSSH ") + placeholder), []string{"BYOC-NO-PRIVATE-KEY  1:1"}},
		{"encrypted header", "k", []byte(pemHeader("ENCRYPTED ") + placeholder), []string{"BYOC-NO-PRIVATE-KEY  1:1"}},
		{"pgp block", "k.asc", []byte("-----BEGIN PGP PRIVATE" + " KEY BLOCK-----\n"), []string{"BYOC-NO-PRIVATE-KEY  1:1"}},
		{"ssh2 format", "k", []byte("---- BEGIN SSH2 ENCRYPTED PRIVATE" + " KEY ----\n"), []string{"BYOC-NO-PRIVATE-KEY  1:1"}},
		{"putty", "k.ppk", []byte("PuTTY-User-Key-File-3: ssh-ed25519\nEncryption: none\n"), []string{"BYOC-NO-PRIVATE-KEY  1:1"}},
		{"header inside xml", "a.connectedApp-meta.xml", []byte(xmlHead + "<A>\n  <description>x " + pemHeader("RSA ") + "</description>\n</A>\n"), []string{"BYOC-NO-PRIVATE-KEY  3:18"}},
		{"crlf", "k.txt", []byte("a\r\nb\r\n  " + pemHeader("")), []string{"BYOC-NO-PRIVATE-KEY  3:3"}},
		{"utf-16 from powershell", "k.txt", utf16LE("key:\r\n" + pemHeader("RSA ") + placeholder), []string{"BYOC-NO-PRIVATE-KEY  2:1"}},
		{"two keys", "k", []byte(pemHeader("") + "\n" + pemHeader("EC ")), []string{"BYOC-NO-PRIVATE-KEY  1:1", "BYOC-NO-PRIVATE-KEY  2:1"}},

		// Real keys, as encoding/pem writes them: one finding each, not a
		// second one for the base64 body under the header.
		{"real pkcs1 pem", "k", pemOf("RSA PRIVATE"+" KEY", k.pkcs1), []string{"BYOC-NO-PRIVATE-KEY  1:1"}},
		{"real pkcs8 pem", "k", pemOf("PRIVATE"+" KEY", k.pkcs8RSA), []string{"BYOC-NO-PRIVATE-KEY  1:1"}},
		{"real sec1 pem", "k", pemOf("EC PRIVATE"+" KEY", k.sec1), []string{"BYOC-NO-PRIVATE-KEY  1:1"}},
		{"real ed25519 pem", "k", pemOf("PRIVATE"+" KEY", k.pkcs8Ed), []string{"BYOC-NO-PRIVATE-KEY  1:1"}},
		// A key under a lying header is still a key.
		{"key labelled certificate", "k", pemOf("CERTIFICATE", k.pkcs8EC), []string{"BYOC-NO-PRIVATE-KEY  2:1"}},

		// Bodies without a header.
		{"key body in certificate element", "a.connectedApp-meta.xml", []byte(xmlHead + "<A>\n    <certificate>\n" + wrapped(k.pkcs8RSA, 64, "    ") + "</certificate>\n</A>\n"), []string{"BYOC-NO-PRIVATE-KEY  4:5"}},
		{"one-line sec1 body in json", "c.json", []byte(`{"key": "` + base64.StdEncoding.EncodeToString(k.sec1) + `"}`), []string{"BYOC-NO-PRIVATE-KEY  1:10"}},
		{"ed25519 body", "c", []byte(base64.StdEncoding.EncodeToString(k.pkcs8Ed)), []string{"BYOC-NO-PRIVATE-KEY  1:1"}},
		{"base64 of a pem file", "env", []byte("KEY=" + base64.StdEncoding.EncodeToString(pemOf("RSA PRIVATE"+" KEY", k.pkcs1)) + "\n"), []string{"BYOC-NO-PRIVATE-KEY  1:5"}},

		// Public material and look-alikes.
		{"certificate pem", "server.crt", pemOf("CERTIFICATE", k.certDER), nil},
		{"public key pem", "k.pub", pemOf("PUBLIC KEY", k.pkixDER), nil},
		{"certificate body", "a.xml", []byte("<certificate>" + wrapped(k.certDER, 64, "") + "</certificate>"), nil},
		{"words that start like DER", "r.txt", []byte("MAKE MIIB MIIBIjANBgkqhkiG9w0BAQEFAAOCAQ8A and MIIE.\n"), nil},
		{"prose about keys", "README.md", []byte("Keep the private key out of the package; PRIVATE KEY blocks are refused.\n"), nil},

		// Consumer keys and secrets, whatever the suffix.
		{"consumer key and secret", "a.connectedApp-meta.xml", []byte(xmlHead + "<ConnectedApp>\n<oauthConfig>\n        <consumerKey>3MVG9x</consumerKey>\n<consumerSecret>s</consumerSecret>\n</oauthConfig>\n</ConnectedApp>\n"),
			[]string{"BYOC-NO-CONSUMER-KEY  4:9", "BYOC-NO-CONSUMER-KEY  5:1"}},
		{"prefixed empty element in a text file", "notes.txt", []byte("<md:consumerSecret/>"), []string{"BYOC-NO-CONSUMER-KEY  1:1"}},
		{"element with attributes", "x.resource", []byte("<consumerKey xsi:nil=\"true\"></consumerKey>"), []string{"BYOC-NO-CONSUMER-KEY  1:1"}},
		{"settings that only mention the secret", "a.ecaOauth-meta.xml", []byte(xmlHead + "<A><isConsumerSecretOptional>false</isConsumerSecretOptional><shouldRotateConsumerKey>true</shouldRotateConsumerKey><consumerKeyX/>&lt;consumerKey&gt;</A>"), nil},
		{"blocklisted app's key", "b.blacklistedConsumer-meta.xml", []byte(xmlHead + "<BlacklistedConsumer><consumerKey>3MVG9x</consumerKey><consumerName>x</consumerName></BlacklistedConsumer>"), nil},
		{"blocklist with a secret", "b.blacklistedConsumer-meta.xml", []byte("<BlacklistedConsumer><consumerSecret>s</consumerSecret></BlacklistedConsumer>"), []string{"BYOC-NO-CONSUMER-KEY  1:22"}},

		// Global OAuth settings, by root element or by name.
		{"global settings", "x/A.ecaGlblOauth-meta.xml", []byte(xmlHead + "<!-- c -->\n<ExtlClntAppGlobalOauthSettings xmlns=\"http://soap.sforce.com/2006/04/metadata\">\n</ExtlClntAppGlobalOauthSettings>\n"), []string{"BYOC-NO-GLOBAL-OAUTH  3:1"}},
		{"global settings renamed, with a BOM", "staticresources/s.resource", []byte("\xef\xbb\xbf<ExtlClntAppGlobalOauthSettings/>"), []string{"BYOC-NO-GLOBAL-OAUTH  1:4"}},
		{"global settings by name only", "extlClntAppGlobalOauthSets/A.ecaGlblOauth", []byte("garbage"), []string{"BYOC-NO-GLOBAL-OAUTH  0:0"}},
		{"package.xml naming the type", "package.xml", []byte(xmlHead + "<Package><types><name>ExtlClntAppGlobalOauthSettings</name></types></Package>"), nil},
		{"script mentioning the root", "app.js", []byte(`var x = "<ExtlClntAppGlobalOauthSettings>";`), nil},
		{"global settings with a secret", "g.xml", []byte("<ExtlClntAppGlobalOauthSettings>\n<consumerSecret>s</consumerSecret>\n</ExtlClntAppGlobalOauthSettings>"), []string{"BYOC-NO-CONSUMER-KEY  2:1", "BYOC-NO-GLOBAL-OAUTH  1:1"}},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			got := Scan(c.file, c.data)
			if diff := cmp.Diff(c.want, summary(got)); diff != "" {
				t.Errorf("(-want +got):\n%s\n%v", diff, got)
			}
			for _, f := range got {
				if f.Name != c.file || f.Message == "" {
					t.Errorf("finding %+v", f)
				}
			}
		})
	}
}

func TestScanBinary(t *testing.T) {
	k := keys()
	der, ber := pfx(t)
	key := []string{"BYOC-NO-PRIVATE-KEY  0:0"}
	cases := []struct {
		name string
		data []byte
		want []string
	}{
		{"pkcs1", k.pkcs1, key},
		{"pkcs8 rsa", k.pkcs8RSA, key},
		{"sec1", k.sec1, key},
		{"pkcs8 ec", k.pkcs8EC, key},
		{"pkcs8 ed25519", k.pkcs8Ed, key},
		{"pkcs8 shape, placeholder inside", pkcs8Shape(t), key},
		{"encrypted pkcs8", encryptedPKCS8(t), key},
		{"dsa", dsaKey(t), key},
		{"pkcs12 der", der, key},
		{"pkcs12 ber", ber, key},
		{"pkcs8 with a trailing newline", append(bytes.Clone(k.pkcs8RSA), '\n'), key},
		{"jks with a private key", jks(2, 1), key},
		{"jks truststore", jks(2, 2), nil},
		{"truncated jks", jks(1)[:20], []string{"BYOC-UNSCANNABLE-ARCHIVE  0:0"}},
		{"certificate der", k.certDER, nil},
		{"public key der", k.pkixDER, nil},
		{"two integers", must(asn1.Marshal([]*big.Int{big.NewInt(0), big.NewInt(1)})), nil},
		{"csv starting with 0", []byte("0,1,2\n3,4,5\n"), nil},
		{"truncated der", k.pkcs8RSA[:100], nil},
		{"nothing", nil, nil},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			if diff := cmp.Diff(c.want, summary(Scan("k.bin", c.data))); diff != "" {
				t.Errorf("(-want +got):\n%s", diff)
			}
		})
	}
}

func must[T any](v T, err error) T {
	if err != nil {
		panic(err)
	}
	return v
}

// The repository's own fixtures and goldens hold certificates, not keys:
// only what a fixture is meant to show may be found, and the global OAuth
// settings the goldens keep under source-org/.
func TestFixturesHaveNoFalsePositives(t *testing.T) {
	root := filepath.Join("..", "..", "fixtures")
	n := 0
	err := filepath.WalkDir(root, func(p string, d os.DirEntry, err error) error {
		if err != nil || d.IsDir() {
			return err
		}
		data, err := os.ReadFile(p)
		if err != nil {
			return err
		}
		rel := filepath.ToSlash(must(filepath.Rel(root, p)))
		allowed := map[Kind]bool{}
		if strings.Contains(rel, "/extlClntAppGlobalOauthSets/") {
			allowed[GlobalOauth] = true
		}
		for _, k := range Kinds() {
			if strings.HasPrefix(rel, "rules/"+string(k)+"/fail") {
				allowed[k] = true
			}
		}
		for _, f := range Scan(rel, data) {
			if !allowed[f.Kind] {
				t.Errorf("%s", f)
			}
		}
		n++
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	if n < 50 {
		t.Fatalf("scanned only %d fixture files", n)
	}
}

func TestFindingFormat(t *testing.T) {
	f := Finding{Name: "s/x.resource!certs/k.pem", Entry: "certs/k.pem", Line: 3, Column: 1, Kind: PrivateKey, Message: "m"}
	if got, want := f.Detail(), "archive entry certs/k.pem:3:1: m"; got != want {
		t.Errorf("Detail = %q, want %q", got, want)
	}
	if got, want := f.String(), "s/x.resource!certs/k.pem:3:1: BYOC-NO-PRIVATE-KEY: m"; got != want {
		t.Errorf("String = %q, want %q", got, want)
	}
	f = Finding{Name: "k", Kind: PrivateKey, Message: "m"}
	if f.Detail() != "m" || f.String() != "k: BYOC-NO-PRIVATE-KEY: m" {
		t.Errorf("whole-file finding: %q %q", f.Detail(), f)
	}
}

func TestMaxFindings(t *testing.T) {
	data := strings.Repeat(pemHeader("")+"\n", 5*MaxFindings)
	if got := len(Scan("k", []byte(data))); got != MaxFindings {
		t.Errorf("%d findings, want %d", got, MaxFindings)
	}
}

func TestLiteralSecretsInCode(t *testing.T) {
	key := "3MVG9" + strings.Repeat("xY7_", 20)
	for name, data := range map[string]string{
		"apex body":       "String body = 'grant_type=password&client_id=x&client_secret=E3B0C44298FC1C149AFBF4C8996FB924';",
		"apex var":        "private static final String CONSUMER_SECRET = '9F86D081884C7D659A2FEAA0C55AD015';",
		"json":            `{"clientSecret": "a1b2c3d4e5f6a7b8c9d0e1f2"}`,
		"custom metadata": "<field>Consumer_Secret__c</field>\n<value xsi:type=\"xsd:string\">ABCDEF0123456789ABCDEF</value>",
		"consumer key":    "String id = '" + key + "';",
	} {
		if got := Scan("force-app/x.cls", []byte(data)); len(got) == 0 || got[0].Kind != ConsumerKey {
			t.Errorf("%s: not found: %v", name, got)
		}
	}
	for name, data := range map[string]string{
		"from a setting": "String s = Settings__c.getInstance().Client_Secret__c;",
		"placeholder":    "clientSecret = 'changeme';",
		"label":          "<label>Client Secret</label>",
	} {
		if got := Scan("force-app/x.cls", []byte(data)); len(got) != 0 {
			t.Errorf("%s: false positive: %v", name, got)
		}
	}
}
