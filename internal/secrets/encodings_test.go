package secrets

import (
	"archive/zip"
	"bytes"
	"compress/flate"
	"compress/zlib"
	"crypto/rand"
	"crypto/rsa"
	"crypto/x509"
	"encoding/base64"
	"encoding/binary"
	"encoding/hex"
	"encoding/json"
	"fmt"
	"image"
	"image/color"
	"image/png"
	"io/fs"
	"math/big"
	"strings"
	"testing"
	"unicode/utf16"
)

// b64url is unpadded base64url, as JWKs write numbers.
func b64url(b []byte) string { return base64.RawURLEncoding.EncodeToString(b) }

func bigB64(n *big.Int) string { return b64url(n.Bytes()) }

// jwkOf is the JSON Web Key of the test RSA key; private adds its
// private members.
func jwkOf(private bool) string {
	k := keys().rsa
	m := map[string]string{"kty": "RSA", "n": bigB64(k.N), "e": "AQAB", "kid": "test"}
	if private {
		m["d"] = bigB64(k.D)
		m["p"], m["q"] = bigB64(k.Primes[0]), bigB64(k.Primes[1])
		m["dp"], m["dq"], m["qi"] = bigB64(k.Precomputed.Dp), bigB64(k.Precomputed.Dq), bigB64(k.Precomputed.Qinv)
	}
	b, _ := json.Marshal(m)
	return string(b)
}

func ecJWK() string {
	k := keys().ec
	// The private scalar from the key's own encoding (PrivateKey.D is
	// deprecated); X and Y from the uncompressed public point.
	d, _ := k.Bytes()
	pub, _ := k.PublicKey.Bytes() // 0x04 || X || Y
	size := (len(pub) - 1) / 2
	enc := base64.RawURLEncoding.EncodeToString
	b, _ := json.Marshal(map[string]string{"kty": "EC", "crv": "P-256", "x": enc(pub[1 : 1+size]), "y": enc(pub[1+size:]), "d": enc(d)})
	return string(b)
}

// rsaKeyValue is the key as .NET's RSA.ToXmlString writes it.
func rsaKeyValue(private bool) string {
	k := keys().rsa
	b64 := func(n *big.Int) string { return base64.StdEncoding.EncodeToString(n.Bytes()) }
	s := "<RSAKeyValue><Modulus>" + b64(k.N) + "</Modulus><Exponent>AQAB</Exponent>"
	if private {
		s += "<P>" + b64(k.Primes[0]) + "</P><Q>" + b64(k.Primes[1]) + "</Q><DP>" + b64(k.Precomputed.Dp) + "</DP><DQ>" + b64(k.Precomputed.Dq) +
			"</DQ><InverseQ>" + b64(k.Precomputed.Qinv) + "</InverseQ><D>" + b64(k.D) + "</D>"
	}
	return s + "</RSAKeyValue>"
}

// apexSplit is an Apex class that builds the key's base64 body from
// string literals of n characters, concatenated.
func apexSplit(der []byte, n int) string {
	s := base64.StdEncoding.EncodeToString(der)
	var parts []string
	for len(s) > n {
		parts = append(parts, "'"+s[:n]+"'")
		s = s[n:]
	}
	parts = append(parts, "'"+s+"'")
	return "public with sharing class Signer {\n    private static final String KEY =\n        " + strings.Join(parts, " +\n        ") + ";\n}\n"
}

func utf16NoBOM(s string, order binary.AppendByteOrder) []byte {
	var out []byte
	for _, u := range utf16.Encode([]rune(s)) {
		out = order.AppendUint16(out, u)
	}
	return out
}

func utf32(s string, bom bool, order binary.AppendByteOrder) []byte {
	var out []byte
	if bom {
		out = order.AppendUint32(out, 0xfeff)
	}
	for _, r := range s {
		out = order.AppendUint32(out, uint32(r))
	}
	return out
}

func deflateOf(t *testing.T, data []byte, zl bool) []byte {
	t.Helper()
	var buf bytes.Buffer
	var w interface {
		Write([]byte) (int, error)
		Close() error
	}
	if zl {
		w = zlib.NewWriter(&buf)
	} else {
		fw, err := flate.NewWriter(&buf, flate.BestCompression)
		if err != nil {
			t.Fatal(err)
		}
		w = fw
	}
	if _, err := w.Write(data); err != nil {
		t.Fatal(err)
	}
	if err := w.Close(); err != nil {
		t.Fatal(err)
	}
	return buf.Bytes()
}

// TestScanFindsKeysInEveryEncoding is the regression test of issue 16
// row 5: each of these held a freshly generated private key that
// openssl (or the platform named) reads back, and each passed the scanner.
func TestScanFindsKeysInEveryEncoding(t *testing.T) {
	k := keys()
	pemKey := pemOf("PRIVATE KEY", k.pkcs8RSA)
	hexDER := hex.EncodeToString(k.pkcs8RSA)
	var colon, cArray, escaped strings.Builder
	for i, b := range k.pkcs8RSA {
		if i > 0 {
			colon.WriteString(":")
			cArray.WriteString(", ")
		}
		fmt.Fprintf(&colon, "%02x", b)
		fmt.Fprintf(&cArray, "0x%02X", b)
		fmt.Fprintf(&escaped, "\\x%02x", b)
	}
	jsonLines := strings.ReplaceAll(wrapped(k.pkcs8RSA, 64, ""), "\n", `\n`)
	for name, data := range map[string][]byte{
		"jwk rsa": []byte(jwkOf(true)),
		// A deploy decodes character references: &#45; is "-", &#10; a line break.
		"xml character references": []byte("<CustomLabels><labels><value>" + strings.NewReplacer("-", "&#45;", "\n", "&#10;").Replace(string(pemKey)) + "</value></labels></CustomLabels>\n"),
		"jwk ec":                   []byte(ecJWK()),
		"jwk in apex":              []byte("public class K { static String JWK = '" + jwkOf(true) + "'; }\n"),
		"jwk escaped in json":      []byte(`{"config": "` + strings.ReplaceAll(jwkOf(true), `"`, `\"`) + `"}`),
		"jwk js literal":           []byte("const key = {kty: 'RSA', n: '" + bigB64(k.rsa.N) + "', e: 'AQAB', d: '" + bigB64(k.rsa.D) + "'};\n"),
		"rsakeyvalue":              []byte(rsaKeyValue(true)),
		"rsakeyvalue in apex":      []byte("public class K { static String XML = '" + rsaKeyValue(true) + "'; }\n"),
		"rsakeyvalue escaped":      []byte("<CustomMetadata><values><value>" + strings.NewReplacer("<", "&lt;", ">", "&gt;").Replace(rsaKeyValue(true)) + "</value></values></CustomMetadata>"),
		"apex split 50":            []byte(apexSplit(k.pkcs8RSA, 50)),
		"apex split 16":            []byte(apexSplit(k.pkcs8RSA, 16)),
		"apex split ec":            []byte(apexSplit(k.pkcs8EC, 20)),
		"js builder":               []byte(`sb.append("` + strings.ReplaceAll(wrapped(k.pkcs8RSA, 30, ""), "\n", `").append("`) + `");`),
		"json escaped lines":       []byte(`{"key": "` + jsonLines + `"}`),
		"hex":                      []byte("static final String K = \"" + hexDER + "\";"),
		"hex upper":                []byte(strings.ToUpper(hexDER)),
		"hex colons":               []byte(colon.String()),
		"c array":                  []byte("static const unsigned char key[] = {" + cArray.String() + "};"),
		"hex escapes":              []byte(`k = "` + escaped.String() + `"`),
		"base64url":                []byte("key=" + b64url(k.pkcs8RSA)),
		"base64url pkcs1":          []byte(`{"k":"` + b64url(k.pkcs1) + `"}`),
		"zlib pem":                 deflateOf(t, pemKey, true),
		"deflate pem":              deflateOf(t, pemKey, false),
		"utf-16le no bom":          utf16NoBOM(string(pemKey), binary.LittleEndian),
		"utf-16be no bom":          utf16NoBOM(string(pemKey), binary.BigEndian),
		"utf-32le bom":             utf32(string(pemKey), true, binary.LittleEndian),
		"utf-32be bom":             utf32(string(pemKey), true, binary.BigEndian),
		"utf-32le no bom":          utf32(string(pemKey), false, binary.LittleEndian),
		"zip of apex split":        zipOf(t, 8, e("classes/Signer.cls", apexSplit(k.pkcs8RSA, 40))),
		"zip of zlib":              zipOf(t, 0, e("key.z", deflateOf(t, pemKey, true))),
	} {
		fs := Scan("f", data)
		if len(fs) == 0 || fs[0].Kind != PrivateKey {
			t.Errorf("%s: not found: %v", name, summary(fs))
		}
	}
}

// pngOf is a small PNG image.
func pngOf(t *testing.T) []byte {
	img := image.NewRGBA(image.Rect(0, 0, 64, 64))
	for x := range 64 {
		for y := range 64 {
			img.Set(x, y, color.RGBA{uint8(x * 4), uint8(y * 4), uint8(x ^ y), 255})
		}
	}
	var buf bytes.Buffer
	if err := png.Encode(&buf, img); err != nil {
		t.Fatal(err)
	}
	return buf.Bytes()
}

// TestScanPassesOrdinaryContent: what looks a little like the encodings
// above but holds no key is no finding, so ordinary code, data and images
// still ship.
func TestScanPassesOrdinaryContent(t *testing.T) {
	k := keys()
	img := pngOf(t)
	apex := `public with sharing class AcmeMessaging {
    private static final String ENDPOINT = 'callout:Acme_Messaging' + '/v1/' + 'messages';
    private static final String HASH = '30a1f0c2d4e6b8a0c2e4f6a8b0c2d4e6f8a0b2c4d6e8f0a2b4c6d8e0f2a4b6c8';
    public static String sign(String body) {
        Blob mac = Crypto.generateMac('HmacSHA256', Blob.valueOf(body), Blob.valueOf(EncodingUtil.base64Decode('MIIBIjANBgkqhkiG9w0BAQEFAAOC').toString()));
        return EncodingUtil.base64Encode(mac) + '.' + 'MAKEITWORKMAKEITWORK' + 'MAKEITWORKMAKEITWORK';
    }
    // {"kty": "RSA", "n": "...", "e": "AQAB"} is the public key we accept
}
`
	js := `export const theme = {kty: "RSA", e: "AQAB", d: "short", colors: ["#303030", "#308082", "0x3082"], pad: "30 82 00 10"};
const jwks = ` + jwkOf(false) + `;
fetch('/x', {headers: {'Content-Type': 'application/json'}}).then(r => r.json());
`
	for name, data := range map[string][]byte{
		"apex":                  []byte(apex),
		"js":                    []byte(js),
		"public jwk":            []byte(jwkOf(false)),
		"public rsakeyvalue":    []byte(rsaKeyValue(false)),
		"certificate in apex":   []byte(apexSplit(k.certDER, 40)),
		"public key hex":        []byte(hex.EncodeToString(k.pkixDER)),
		"certificate base64url": []byte(b64url(k.certDER)),
		"png":                   img,
		"png data uri css":      []byte(".logo { background: url(data:image/png;base64," + base64.StdEncoding.EncodeToString(img) + "); }"),
		"png in apex split":     []byte(apexSplit(img, 60)),
		"zlib text":             deflateOf(t, []byte(strings.Repeat(apex, 3)), true),
		"text starting x^":      []byte("x^2 + y^2 = r^2, a circle of radius r centred on the origin, and some more words to pass 64 bytes"),
		"utf-16 code":           utf16NoBOM(apex, binary.LittleEndian),
		"zip of png":            zipOf(t, 0, e("img/logo.png", img)),
	} {
		if fs := Scan("f", data); len(fs) > 0 {
			t.Errorf("%s: %v", name, summary(fs))
		}
	}
}

// TestScanOfManyKeyMarkersStaysLinear: a file of nothing but JWK markers
// must not make the private-member search run once per marker over its
// whole window. Measured by work, not time: it must finish and find the
// one key at the end.
func TestScanOfManyKeyMarkersStaysLinear(t *testing.T) {
	data := []byte(strings.Repeat(`{"kty":"RSA"}`, 100_000) + strings.Repeat("<RSAKeyValue>", 30_000) + jwkOf(true))
	fs := Scan("f", data)
	if len(fs) == 0 || fs[0].Kind != PrivateKey {
		t.Fatalf("the key at the end was not found: %v", summary(fs))
	}
}

// What openssl enc encrypts with a password cannot be looked into, and
// openssl enc -d gives it back: refused as unscannable, raw or base64.
func TestOpensslEncryptedDataIsRefused(t *testing.T) {
	raw := append([]byte("Salted__\x01\x02\x03\x04\x05\x06\x07\x08"), bytes.Repeat([]byte{0x9c, 0x21, 0xe7}, 400)...)
	for name, data := range map[string][]byte{
		"raw":    raw,
		"base64": []byte(base64.StdEncoding.EncodeToString(raw) + "\n"),
	} {
		fs := Scan("staticresources/logo.resource", data)
		if len(fs) == 0 || fs[0].Kind != Unscannable {
			t.Errorf("%s: %+v, want it refused as unscannable", name, fs)
		}
	}
	if fs := Scan("notes.txt", []byte("the salt goes in: Salted__ butter\n")); len(fs) != 0 {
		t.Errorf("the word inside text is no cipher text: %+v", fs)
	}
}

// Base64 wrapped at 76 columns whose lines start like a key's first word
// (the user's trial: a 4.7 MB resource took 4 s) is read a bounded number
// of times, not once for each such line, and a key after it is found.
func TestWrappedBase64StaysLinear(t *testing.T) {
	var b strings.Builder
	line := "MAAA" + strings.Repeat("QUJD", 18)
	for b.Len() < 2<<20 {
		b.WriteString(line + "\n")
	}
	data := []byte(b.String() + "\n" + string(pemOf("PRIVATE KEY", keys().pkcs8RSA)))
	s := &scanner{lim: defaultLimits, name: "r.resource", budget: defaultLimits.total}
	s.base64Keys("", data, nil)
	if s.b64Read > 2*len(data) {
		t.Errorf("the base64 search went over %d bytes of a %d-byte file", s.b64Read, len(data))
	}
	if fs := Scan("r.resource", data); len(fs) == 0 || fs[0].Kind != PrivateKey {
		t.Errorf("the key after the base64 was not found: %v", summary(fs))
	}
}

// A key-shaped line that is no key, right above a key body in the same
// base64 run, does not hide the key (the second attacker trial); a file
// of nothing but such lines is refused, not scanned without end.
func TestADecoyLineDoesNotHideAKey(t *testing.T) {
	decoy := "MIIEvQIBADANBgkqhkiG9w0BAQEFAASC" + strings.Repeat("A", 44)
	body := wrapped(keys().pkcs8RSA, 64, "")
	fs := Scan("d.txt", []byte(decoy+"\n"+body))
	if len(fs) == 0 || fs[0].Kind != PrivateKey {
		t.Errorf("the key under a decoy line: %v", summary(fs))
	}
	many := []byte(strings.Repeat(decoy+"\n", 200_000))
	s := &scanner{lim: defaultLimits, name: "many.txt", budget: defaultLimits.total}
	s.base64Keys("", many, nil)
	if s.b64Read > 9*len(many)+maxB64Key*2 {
		t.Errorf("the search went over %d bytes of %d", s.b64Read, len(many))
	}
}

// A key body in a JSON string, its slashes escaped (\/) within its first
// line, is found (the second attacker trial: about a third of PKCS#1
// bodies have a slash in their first 40 characters). Keys are made until
// one has.
func TestAJSONEscapedKeyBodyIsFound(t *testing.T) {
	var der []byte
	for range 40 {
		k, err := rsa.GenerateKey(rand.Reader, 1024)
		if err != nil {
			t.Fatal(err)
		}
		der = x509.MarshalPKCS1PrivateKey(k)
		if i := strings.IndexByte(base64.StdEncoding.EncodeToString(der), '/'); i >= 0 && i < 40 {
			break
		}
		der = nil
	}
	if der == nil {
		t.Fatal("no key of 40 had a slash in its first 40 base64 characters")
	}
	escaped := strings.NewReplacer("/", `\/`, "\n", `\n`).Replace(wrapped(der, 64, ""))
	fs := Scan("k.json", []byte(`{"key": "`+escaped+`"}`))
	if len(fs) == 0 || fs[0].Kind != PrivateKey {
		t.Errorf("the JSON-escaped key body: %v", summary(fs))
	}
}

// Third attacker pass: a key in a zip entry marked a link or a folder, a
// key body whose first letter is a literal of its own, and a key-shaped
// decoy on the same line as the body.
func TestKeysTheThirdAttackHid(t *testing.T) {
	k := keys()
	pemKey := pemOf("PRIVATE KEY", k.pkcs8RSA)
	var zbuf bytes.Buffer
	zw := zip.NewWriter(&zbuf)
	for _, m := range []fs.FileMode{fs.ModeSymlink | 0o777, fs.ModeDevice | fs.ModeCharDevice | 0o644} {
		h := &zip.FileHeader{Name: fmt.Sprintf("key%d.pem", m), Method: zip.Deflate}
		h.SetMode(m)
		w, err := zw.CreateHeader(h)
		if err != nil {
			t.Fatal(err)
		}
		w.Write(pemKey)
	}
	zw.Close()
	body := base64.StdEncoding.EncodeToString(k.pkcs8RSA)
	decoy := "MIIEvQIBADANBgkqhkiG9w0BAQEFAASC" + strings.Repeat("A", 44)
	for name, data := range map[string][]byte{
		"entries marked link and device": zbuf.Bytes(),
		"first letter split off":         []byte("var k = '" + body[:1] + "' + '" + body[1:] + "';\n"),
		"decoy on the same line":         []byte(decoy + " " + body + "\n"),
	} {
		fs := Scan(name, data)
		if len(fs) == 0 || fs[0].Kind != PrivateKey {
			t.Errorf("%s: %v", name, summary(fs))
		}
	}
}

// Spellings a reader undoes (third attacker pass): JSON \uXXXX escapes,
// an XML comment or an empty CDATA section inside a value.
func TestKeysSpelledForTheirReaderAreFound(t *testing.T) {
	k := keys()
	body := base64.StdEncoding.EncodeToString(k.pkcs8RSA)
	pemKey := string(pemOf("PRIVATE KEY", k.pkcs8RSA))
	ck := "3MVG9" + strings.Repeat("Ab1_", 20)
	for name, data := range map[string]string{
		"json \\u at the start":       `{"k": "\u004D` + body[1:] + `"}`,
		"json \\u in the middle":      `{"k": "` + body[:20] + `\u00` + fmt.Sprintf("%02X", body[20]) + body[21:] + `"}`,
		"json pem with \\u002D":       `{"k": "` + strings.NewReplacer("-", `\u002D`, "\n", `\n`).Replace(pemKey) + `"}`,
		"xml comment in a body":       "<CustomMetadata><values><value>" + body[:30] + "<!-- x -->" + body[30:] + "</value></values></CustomMetadata>",
		"empty cdata in a body":       "<CustomMetadata><values><value>" + body[:30] + "<![CDATA[]]>" + body[30:] + "</value></values></CustomMetadata>",
		"xml comment in consumer key": "<CustomMetadata><values><value>" + ck[:5] + "<!-- -->" + ck[5:] + "</value></values></CustomMetadata>",
	} {
		fs := Scan(name, []byte(data))
		if len(fs) == 0 {
			t.Errorf("%s: nothing found", name)
		}
	}
}

// UTF-16 that the byte-order-mark and first-512-bytes guesses miss (third
// attacker pass): a stray byte after the mark, a mark naming the wrong
// order, and UTF-16 appended to ASCII text.
func TestWideTextTheGuessesMissIsScanned(t *testing.T) {
	pemKey := string(pemOf("PRIVATE KEY", keys().pkcs8RSA))
	le := func(s string) string {
		var b strings.Builder
		for _, r := range s {
			b.WriteByte(byte(r))
			b.WriteByte(0)
		}
		return b.String()
	}
	be := func(s string) string {
		var b strings.Builder
		for _, r := range s {
			b.WriteByte(0)
			b.WriteByte(byte(r))
		}
		return b.String()
	}
	for name, data := range map[string]string{
		"stray byte after the mark":   "\xff\xfeX" + le(pemKey),
		"mark naming the wrong order": "\xff\xfe" + be(pemKey),
		"utf-16 after ascii":          strings.Repeat("# notes, plain ASCII text\n", 40) + le(pemKey),
	} {
		fs := Scan(name, []byte(data))
		if len(fs) == 0 || fs[0].Kind != PrivateKey {
			t.Errorf("%s: %v", name, summary(fs))
		}
	}
}
