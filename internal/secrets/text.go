package secrets

import (
	"bytes"
	"encoding/base64"
	"encoding/binary"
	"encoding/xml"
	"io"
	"regexp"
	"slices"
	"sync"
	"unicode/utf16"
	"unicode/utf8"
)

// keyFix is the one fix for every private key.
const keyFix = "keep the key that signs the JWT out of the package and out of git, and upload only the certificate"

// pemKeyRE matches the header of every PEM-style private key block:
// PKCS#8 ("PRIVATE KEY"), PKCS#1, EC, DSA, OPENSSH, ENCRYPTED, PGP ("PGP
// PRIVATE KEY BLOCK") and the SSH2 format of RFC 4716 tools.
var pemKeyRE = sync.OnceValue(func() *regexp.Regexp {
	return regexp.MustCompile(`-----BEGIN ((?:[A-Z0-9]+ )*PRIVATE KEY(?: BLOCK)?)-----|---- BEGIN (SSH2 (?:ENCRYPTED )?PRIVATE KEY) ----`)
})

// puttyRE is the first line of a PuTTY .ppk private key file.
var puttyRE = sync.OnceValue(func() *regexp.Regexp { return regexp.MustCompile(`(?m)^PuTTY-User-Key-File-[0-9]+:`) })

// consumerRE matches the start tag of a consumerKey or consumerSecret
// element, with or without a namespace prefix, and not longer names that
// merely start so (isConsumerSecretOptional does not start with "<c").
var consumerRE = sync.OnceValue(func() *regexp.Regexp {
	return regexp.MustCompile(`<(?:[A-Za-z_][-.\w]*:)?(consumerKey|consumerSecret)[\s/>]`)
})

// literalSecretRE matches an OAuth client secret written as a literal in
// code or configuration (Apex, JavaScript, properties, JSON, custom
// metadata values): a client or consumer secret name assigned a long
// run of secret-looking characters. A name assigned a variable or a
// short placeholder does not match.
const literalSecretPattern = `(?i)(?:client|consumer)[_\-. ]?secret(?:__c)?["']?\s*(?:[:=]|=>|</[A-Za-z_:]+>\s*<[A-Za-z_:]+(?:\s[^>]*)?>|>)\s*["']?([A-Za-z0-9+/=_\-.~]{16,})`

var literalSecretRE = sync.OnceValue(func() *regexp.Regexp { return regexp.MustCompile(literalSecretPattern) })

// literalSecretAt is literalSecretRE anchored at the start of its input.
var literalSecretAt = sync.OnceValue(func() *regexp.Regexp { return regexp.MustCompile(`\A(?:` + literalSecretPattern + `)`) })

// literalSecrets returns where literalSecretRE matches in data, at most
// limit of them, as FindAllIndex finds them. Run over a whole file, the
// case-insensitive pattern cost a tenth of validating a large project
// (external client app settings all hold isConsumerSecretOptional), so
// in ASCII text it is tried, anchored, only where a match can start: at a
// "client" or "consumer" (in any case) that an optional separator joins to
// a "secret"; in text with other bytes, see foldedNameStarts.
func literalSecrets(data []byte, limit int) []int {
	if !isASCII(data) {
		return findLiteralSecrets(data, asciiLower(data), "ecret", foldedNameStarts, limit)
	}
	return findLiteralSecrets(data, bytes.ToLower(data), "secret", secretNameStarts, limit)
}

// findLiteralSecrets tries literalSecretAt, leftmost first, at the
// places starts gives for each word in lower, data lowered byte for byte.
func findLiteralSecrets(data, lower []byte, word string, starts func(lower []byte, k int) []int, limit int) []int {
	var out []int
	end := 0 // matches do not overlap, as in FindAll
	for off := 0; len(out) < limit; {
		k := bytes.Index(lower[off:], []byte(word))
		if k < 0 {
			break
		}
		k += off
		off = k + len(word)
		for _, start := range starts(lower, k) {
			if start < end {
				continue
			}
			if m := literalSecretAt().FindIndex(data[start:]); m != nil {
				out = append(out, start)
				end = start + m[1]
				break
			}
		}
	}
	return out
}

// foldedNameStarts is secretNameStarts for text with bytes beyond ASCII,
// where case folding reaches further: of the letters of the names only s
// has a fold beyond ASCII (U+017F, two bytes), so a match still holds an
// ASCII "ecret", at k, and starts at most 12 bytes before it ("conſumer",
// a separator, "ſ"), at a c or C. Taking the pattern whole over the
// minified libraries and images of static resources and content assets
// was a third of packaging trailheadapps/lwc-recipes.
func foldedNameStarts(lower []byte, k int) []int {
	const maxBefore = len("conſumer") + len("_") + len("ſ")
	var starts []int
	for i := max(0, k-maxBefore); i < k; i++ {
		if lower[i] == 'c' {
			starts = append(starts, i)
		}
	}
	return starts
}

// asciiLower is data with A-Z lowered and every other byte kept, so that
// offsets in it are offsets in data.
func asciiLower(data []byte) []byte {
	lower := make([]byte, len(data))
	for i, c := range data {
		if 'A' <= c && c <= 'Z' {
			c += 'a' - 'A'
		}
		lower[i] = c
	}
	return lower
}

// isASCII reports whether data holds no byte above 0x7F, eight at a time.
func isASCII(data []byte) bool {
	for len(data) >= 8 {
		if binary.LittleEndian.Uint64(data)&0x8080808080808080 != 0 {
			return false
		}
		data = data[8:]
	}
	for _, c := range data {
		if c >= utf8.RuneSelf {
			return false
		}
	}
	return true
}

// secretNameStarts returns, leftmost first, where a "client" or
// "consumer" begins that ends at k, or one byte before it with a
// separator of literalSecretPattern between.
func secretNameStarts(lower []byte, k int) []int {
	var starts []int
	ends := []int{k}
	if k > 0 && bytes.IndexByte([]byte("_-. "), lower[k-1]) >= 0 {
		ends = append(ends, k-1)
	}
	for _, e := range ends {
		for _, name := range []string{"consumer", "client"} {
			if e >= len(name) && string(lower[e-len(name):e]) == name {
				starts = append(starts, e-len(name))
			}
		}
	}
	slices.Sort(starts)
	return starts
}

// consumerKeyRE matches a Salesforce connected or external client app
// consumer key (they start 3MVG9 and run 80-odd characters).
var consumerKeyRE = sync.OnceValue(func() *regexp.Regexp { return regexp.MustCompile(`3MVG9[A-Za-z0-9._]{40,}`) })

const globalOauthRoot = "ExtlClntAppGlobalOauthSettings"

// The suffixes of ExtlClntAppGlobalOauthSettings in source format and in
// Metadata API format (what package.zip holds).
var globalOauthSuffixes = []string{".ecaGlblOauth-meta.xml", ".ecaGlblOauth"}

// content runs the checks that read one file's own bytes.
// opensslSalted starts what openssl enc writes with a password, raw or
// base64 (-a).
var opensslSalted, opensslSaltedB64 = []byte("Salted__"), []byte("U2FsdGVkX1")

func (s *scanner) content(entry string, data []byte) {
	var wide []byte
	if text, ok := utf16Text(data); ok {
		// Windows tools (PowerShell 5's ">") write UTF-16; a key saved
		// that way has NUL bytes between the letters of its header. The
		// bytes themselves are scanned too: a byte-order mark in front of
		// ASCII text says nothing about what follows it.
		s.text(entry, text)
		wide = text
	} else if text, ok := wideText(data); ok {
		// The same without a byte-order mark, or UTF-32; the bytes
		// themselves are scanned too, since this is judged by a guess.
		s.text(entry, text)
		wide = text
	}
	if text, ok := withoutNULs(data); ok && !bytes.Equal(bytes.TrimLeft(text, "\xff\xfe"), wide) {
		// Text with NULs among its letters that the guesses read
		// otherwise: a byte-order mark naming the wrong order or a stray
		// byte after it, or UTF-16 appended to a file begun in ASCII
		// (PowerShell 5's >>). ASCII in any wide encoding is its bytes
		// without the NULs.
		s.text(entry, text)
	}
	if label := derKey(data); label != "" {
		s.add(entry, nil, -1, PrivateKey, "DER-encoded %s; %s", label, keyFix)
	}
	if bytes.HasPrefix(data, opensslSalted) || bytes.HasPrefix(bytes.TrimSpace(data), opensslSaltedB64) {
		// openssl enc writes "Salted__" and the salt before the cipher
		// text: whatever it encrypts, nothing here can see into it, and
		// `openssl enc -d` gives it back to whoever has the password.
		s.refuse(entry, "data encrypted with openssl enc (it starts with %q)", "Salted__")
	}
	if bytes.HasPrefix(data, jksMagic) || bytes.HasPrefix(data, jceksMagic) {
		switch label, err := javaKeystore(data, s.lim.entries); {
		case err != nil:
			s.refuse(entry, "Java keystore that could not be read (%s)", clean(err.Error()))
		case label != "":
			s.add(entry, nil, -1, PrivateKey, "Java keystore holding a %s; %s", label, keyFix)
		}
	}
	s.text(entry, data)
}

// text runs the checks that look for text: PEM and PuTTY keys, base64
// bodies of DER keys, consumer keys and secrets, global OAuth settings.
func (s *scanner) text(entry string, data []byte) {
	var pemBlocks [][2]int
	if bytes.Contains(data, []byte("PRIVATE KEY")) {
		for _, m := range pemKeyRE().FindAllSubmatchIndex(data, s.lim.findings) {
			s.add(entry, data, m[0], PrivateKey, "PEM private key (%s block); %s", pemLabel(data, m), keyFix)
			// The block's body is not reported again as a bare base64
			// key; no key body is longer than maxB64Key.
			end := m[1]
			if i := bytes.Index(data[end:min(len(data), end+maxB64Key)], []byte("-----END")); i >= 0 {
				end += i
			}
			pemBlocks = append(pemBlocks, [2]int{m[0], end})
		}
	}
	if bytes.Contains(data, []byte("PuTTY-User-Key-File-")) {
		for _, m := range puttyRE().FindAllIndex(data, s.lim.findings) {
			s.add(entry, data, m[0], PrivateKey, "PuTTY private key file; %s", keyFix)
		}
	}
	s.base64Keys(entry, data, pemBlocks)
	s.hexKeys(entry, data)
	s.jwkKeys(entry, data)
	s.xmlKeys(entry, data)
	if bytes.Contains(data, []byte("consumer")) {
		// A BlacklistedConsumer (the connected app blocklist) names the
		// key of the app it blocks: required there, and secret nowhere.
		blocklist := sync.OnceValue(func() bool { root, _ := rootElement(data); return root == "BlacklistedConsumer" })
		for _, m := range consumerRE().FindAllSubmatchIndex(data, s.lim.findings) {
			el := string(data[m[2]:m[3]])
			if el == "consumerKey" && blocklist() {
				continue
			}
			s.add(entry, data, m[0], ConsumerKey,
				"%s element; Salesforce generates it, deploys that carry one fail with \"You cannot provide a Consumer Key\" or \"The consumer key is already taken.\", and a packaged secret reaches every subscriber: delete the element", el)
		}
	}
	for _, at := range literalSecrets(data, s.lim.findings) {
		s.add(entry, data, at, ConsumerKey,
			"an OAuth client secret written as a literal value; a packaged secret reaches every subscriber: read it at run time from a protected custom setting or named credential, and rotate this one")
	}
	if bytes.Contains(data, []byte("3MVG9")) {
		for _, m := range consumerKeyRE().FindAllIndex(data, s.lim.findings) {
			s.add(entry, data, m[0], ConsumerKey,
				"a Salesforce consumer key (3MVG9…); Salesforce generates it per org and a packaged one ties subscribers to yours: remove it and read it at run time")
		}
	}
	s.globalOauth(entry, data)
}

func (s *scanner) globalOauth(entry string, data []byte) {
	if bytes.Contains(data, []byte(globalOauthRoot)) {
		if root, off := rootElement(data); root == globalOauthRoot {
			s.add(entry, data, off, GlobalOauth,
				"ExtlClntAppGlobalOauthSettings \"can't be packaged and must not be added to source control\"; move the file out of the package directory and deploy it to the Dev Hub only")
			return
		}
	}
	if suf := oauthSuffix(s.nameOf(entry)); suf != "" {
		s.add(entry, nil, -1, GlobalOauth,
			"file named as ExtlClntAppGlobalOauthSettings (%s), which \"can't be packaged and must not be added to source control\"; move it out of the package directory and deploy it to the Dev Hub only", suf)
	}
}

// rootElement returns the local name and byte offset of the root element
// of an XML document, or "" when data is not one (text before the first
// element, or a syntax error in the prolog).
func rootElement(data []byte) (string, int) {
	bom := 0
	if bytes.HasPrefix(data, utf8BOM) {
		bom = len(utf8BOM)
	}
	d := xml.NewDecoder(bytes.NewReader(data[bom:]))
	// Metadata files are UTF-8; a declared charset is read as is rather
	// than failing, which would hide the root.
	d.CharsetReader = func(_ string, r io.Reader) (io.Reader, error) { return r, nil }
	for {
		off := int(d.InputOffset())
		tok, err := d.RawToken()
		if err != nil {
			return "", -1
		}
		switch t := tok.(type) {
		case xml.StartElement:
			return t.Name.Local, bom + off
		case xml.CharData:
			if len(bytes.TrimSpace(t)) > 0 {
				return "", -1
			}
		}
	}
}

var utf8BOM = []byte("\xef\xbb\xbf")

// utf16Text transcodes UTF-16 text that starts with a byte-order mark to
// UTF-8, or reports false. The result is at most 1.5 times the input.
func utf16Text(data []byte) ([]byte, bool) {
	var order binary.ByteOrder
	switch {
	case bytes.HasPrefix(data, []byte{0xff, 0xfe}) && !bytes.HasPrefix(data, []byte{0xff, 0xfe, 0, 0}):
		order = binary.LittleEndian
	case bytes.HasPrefix(data, []byte{0xfe, 0xff}):
		order = binary.BigEndian
	default:
		return nil, false
	}
	out := make([]byte, 0, len(data)*3/2)
	for i := 2; i+1 < len(data); i += 2 {
		r := rune(order.Uint16(data[i:]))
		if utf16.IsSurrogate(r) && i+3 < len(data) {
			if r2 := utf16.DecodeRune(r, rune(order.Uint16(data[i+2:]))); r2 != utf8.RuneError {
				r = r2
				i += 2
			}
		}
		out = utf8.AppendRune(out, r)
	}
	return out, true
}

const (
	// minB64Line is how many base64 characters a key body must show
	// before its first line break: PEM wraps at 64, MIME at 76, and the
	// smallest key (Ed25519 in PKCS#8) is 64 characters in all. Shorter
	// words that happen to start like DER ("MAKE") are passed over.
	minB64Line = 40
	// maxB64Key is how many base64 characters of one body are decoded:
	// more than any key (an RSA 16384-bit PKCS#1 key is 12.4 K) and the
	// start of any PKCS#12 file.
	maxB64Key = 64 << 10
	// pemB64 is "-----BEGIN" in base64, where a whole PEM file was
	// base64-encoded once more (environment variables, JSON configs).
	pemB64 = "LS0tLS1CRUdJTi"
)

// base64Keys finds base64 bodies of private keys that carry no PEM header
// (a key pasted into <certificate>, a keystore in a JSON string) and
// base64-encoded PEM keys. A DER SEQUENCE in base64 starts with "M" and a
// second letter from A to P; each such word is decoded once, and the scan
// goes on after the run it belonged to, so the work is linear.
func (s *scanner) base64Keys(entry string, data []byte, skip [][2]int) {
	var buf []byte
	inPEM := func(i int) bool {
		for _, b := range skip {
			if i >= b[0] && i < b[1] {
				return true
			}
		}
		return false
	}
	for i := 0; i < len(data) && !s.full(); {
		j := bytes.IndexByte(data[i:], 'M')
		if j < 0 {
			break
		}
		i += j
		// 'M' + 'IIEv…': a body's first letter may end a string literal.
		if (i > 0 && isB64(data[i-1])) || i+1 >= len(data) || (data[i+1] < 'A' || data[i+1] > 'P') && !isQuote(data[i+1]) || inPEM(i) {
			i++
			continue
		}
		if line := b64Len(data[i:]); line < minB64Line {
			// A body split into short string literals ('MIIEv' +
			// '...') counts as one line, as does one with JSON's
			// escapes (\/, \n) in its first characters.
			if i+line >= len(data) || !isQuote(data[i+line]) && data[i+line] != '\\' {
				i += line
				continue
			}
			if buf, _ = s.collectB64(buf[:0], data, i, minB64Line); len(buf) < minB64Line {
				i += line
				continue
			}
		}
		// The first 32 characters say whether this can be a key at all;
		// a certificate body stops here.
		if buf, _ = s.collectB64(buf[:0], data, i, 32); !keyPrefix(decodeB64(buf)) {
			i += 2
			continue
		}
		var end int
		buf, end = s.collectB64(buf[:0], data, i, maxB64Key)
		if label := derKey(decodeB64(buf)); label != "" {
			s.add(entry, data, i, PrivateKey, "base64-encoded %s (a key body without its PEM header); %s", label, keyFix)
			i = end
			continue
		}
		// Shaped like a key and not one: a key may start later in the
		// same run, on the next line or after a blank (a decoy above or
		// before a key body hid it).
		// Each such word costs up to maxB64Key; a file made of them is
		// refused once the search has gone over it many times.
		if s.b64Read > 8*len(data)+maxB64Key {
			s.refuse(entry, "text with more words shaped like base64 private keys than byocpack checks")
			return
		}
		i += 2
	}
	for i := 0; i < len(data) && !s.full(); {
		j := bytes.Index(data[i:], []byte(pemB64))
		if j < 0 {
			break
		}
		i += j
		if i > 0 && isB64(data[i-1]) {
			i++
			continue
		}
		var end int
		buf, end = s.collectB64(buf[:0], data, i, 256)
		dec := decodeB64(buf)
		if m := pemKeyRE().FindSubmatchIndex(dec); m != nil {
			s.add(entry, data, i, PrivateKey, "base64-encoded PEM private key (%s block); %s", pemLabel(dec, m), keyFix)
		}
		i = end
	}
}

// pemLabel is the block type of a pemKeyRE match, such as "RSA PRIVATE KEY".
func pemLabel(data []byte, m []int) []byte {
	if m[2] >= 0 {
		return data[m[2]:m[3]]
	}
	return data[m[4]:m[5]]
}

func isB64(c byte) bool {
	return c >= 'A' && c <= 'Z' || c >= 'a' && c <= 'z' || c >= '0' && c <= '9' || c == '+' || c == '/'
}

func isSpace(c byte) bool { return c == ' ' || c == '\t' || c == '\r' || c == '\n' }

// isB64URL is a character of base64 or of its URL-safe alphabet (- and _
// for + and /).
func isB64URL(c byte) bool { return isB64(c) || c == '-' || c == '_' }

func isQuote(c byte) bool { return c == '\'' || c == '"' || c == '`' }

// b64Len is the length of the base64 word at the start of b.
func b64Len(b []byte) int {
	n := 0
	for n < len(b) && isB64URL(b[n]) {
		n++
	}
	return n
}

// maxJoin is how far a string literal's closing quote may be from the
// opening quote of the next: ' +\n        ' and ").append(" fit.
const maxJoin = 80

// joinLiteral returns where the next string literal's text starts when
// data[i] is the closing quote of one and the code after it joins
// another to it (concatenation, a list of lines, a builder call), or -1.
// A statement's end (;) or a block ({ }) ends the run.
func joinLiteral(data []byte, i int) int {
	q := data[i]
	for j := i + 1; j < len(data) && j <= i+maxJoin; j++ {
		switch data[j] {
		case q:
			return j + 1
		case ';', '{', '}', '\'', '"', '`':
			return -1
		}
	}
	return -1
}

// collectB64 appends to buf at most limit base64 characters of the run at
// data[i:] (line breaks and blanks inside it skipped, "=" padding ending
// it) and returns where it stopped: the run's end, or the character past
// the limit, so the caller goes on from there. Stopping at the limit keeps
// the scan linear: in base64 wrapped at 76 columns, a line may start with
// what looks like a key's first word, and collecting each such line's run
// to its end read the rest of the body once a line (4.7 MB took 4 s).
func (s *scanner) collectB64(buf, data []byte, i, limit int) ([]byte, int) {
	start := i
	defer func() { s.b64Read += i - start }()
	for ; i < len(data); i++ {
		c := data[i]
		switch {
		case isB64URL(c):
			if len(buf) >= limit {
				return buf, i
			}
			buf = append(buf, c)
		case isQuote(c):
			// A body split across string literals goes on in the next.
			next := joinLiteral(data, i)
			if next < 0 {
				return buf, i
			}
			i = next - 1
		case c == '\\' && i+1 < len(data) && (data[i+1] == 'n' || data[i+1] == 'r' || data[i+1] == 't'):
			// An escaped line break inside a string literal.
			i++
		case c == '\\' && i+1 < len(data) && data[i+1] == '/':
			// JSON may escape the slash.
			if len(buf) >= limit {
				return buf, i
			}
			i++
			buf = append(buf, '/')
		case isSpace(c):
		case c == '=':
			for i < len(data) && data[i] == '=' {
				i++
			}
			return buf, i
		default:
			return buf, i
		}
	}
	return buf, i
}

// decodeB64 decodes unpadded base64, in either alphabet, dropping a
// dangling last character. It rewrites b.
func decodeB64(b []byte) []byte {
	if len(b)%4 == 1 {
		b = b[:len(b)-1]
	}
	for i, c := range b {
		switch c {
		case '-':
			b[i] = '+'
		case '_':
			b[i] = '/'
		}
	}
	out := make([]byte, base64.RawStdEncoding.DecodedLen(len(b)))
	n, err := base64.RawStdEncoding.Decode(out, b)
	if err != nil {
		return nil
	}
	return out[:n]
}

// withoutNULs is data without its NUL bytes when the rest is text (at
// least nine bytes in ten NUL, printable ASCII or a blank): ASCII written
// as UTF-16 or UTF-32 in either order, aligned or not. Binary data (an
// image, a zip) is not text and gives false.
func withoutNULs(data []byte) ([]byte, bool) {
	if bytes.IndexByte(data, 0) < 0 {
		return nil, false
	}
	nuls, other := 0, 0
	for _, c := range data {
		switch {
		case c == 0:
			nuls++
		case c >= 0x20 && c < 0x7f, c == '\n', c == '\r', c == '\t', c == 0xff, c == 0xfe:
		default:
			if other++; other*10 > len(data) {
				return nil, false // binary: no need to look further
			}
		}
	}
	if nuls < len(data)/8 {
		return nil, false
	}
	return bytes.ReplaceAll(data, []byte{0}, nil), true
}
