package secrets

import (
	"bytes"
	"compress/flate"
	"compress/zlib"
	"encoding/base64"
	"encoding/binary"
	"io"
	"regexp"
	"sync"
	"unicode/utf8"
)

// The other ways a private key is written: as a JSON Web Key, as .NET's
// RSAKeyValue XML, as hex, in UTF-16 or UTF-32 text without a byte-order
// mark, or compressed with zlib or raw deflate. Each is judged by the
// key's own structure (a JWK's private member, the XML's private
// elements, DER that crypto/x509 parses), never by a guess from the look
// of the bytes, so images, fonts and ordinary code pass.

// keyWindow bounds how far from its marker ("kty", "RSAKeyValue") a
// key's private member is looked for: an RSA 16384-bit JWK or XML key is
// about 12 KB.
const keyWindow = 16 << 10

// jwkKtyRE matches, at the start of its input, the "kty" member of an
// asymmetric JSON Web Key, its quotes possibly escaped (a JWK inside a
// string literal) or absent (a JavaScript object literal).
var jwkKtyRE = sync.OnceValue(func() *regexp.Regexp {
	return regexp.MustCompile(`\Akty(?:\\?["'])?\s*:\s*\\?["'](RSA|EC|OKP)\\?["']`)
})

// jwkPrivateRE matches a JWK's private member: "d" (the private exponent
// of RSA, the scalar of EC and OKP) or an RSA prime, with a base64url
// value long enough to be key material.
var jwkPrivateRE = sync.OnceValue(func() *regexp.Regexp {
	return regexp.MustCompile(`(?:\\?["']|[{,\s])(d|p|q|dp|dq|qi)(?:\\?["'])?\s*:\s*\\?["']([A-Za-z0-9_-]{16,})`)
})

// jwkKeys finds JSON Web Keys that carry their private part.
func (s *scanner) jwkKeys(entry string, data []byte) {
	for off := 0; off < len(data) && !s.full(); {
		i := bytes.Index(data[off:], []byte("kty"))
		if i < 0 {
			return
		}
		at := off + i
		off = at + 3
		if at > 0 && isWordByte(data[at-1]) {
			continue
		}
		// The pattern is tried only where a "kty" starts, on the few
		// bytes it can span: run over a whole binary file it cost more
		// than the rest of the scan.
		m := jwkKtyRE().FindSubmatchIndex(data[at:min(len(data), at+64)])
		if m == nil {
			continue
		}
		// The window reaches one key's length before the marker and two
		// after, and the next marker looked at is a key's length on: each
		// byte is searched at most three times, however many markers a
		// hostile file holds, and a private member of any key whose
		// marker is skipped still lies in this window.
		window := data[max(0, at-keyWindow):min(len(data), at+2*keyWindow)]
		off = at + keyWindow
		for _, p := range jwkPrivateRE().FindAllSubmatch(window, -1) {
			if v, err := base64.RawURLEncoding.DecodeString(string(p[2])); err == nil && len(v) >= 16 {
				s.add(entry, data, at, PrivateKey, "JSON Web Key with its private part (%s key, member %q); %s", data[at+m[2]:at+m[3]], p[1], keyFix)
				break
			}
		}
	}
}

func isWordByte(c byte) bool {
	return c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c >= '0' && c <= '9' || c == '_'
}

// xmlKeyPrivateRE matches a private element of .NET's RSAKeyValue (D, P,
// Q, DP, DQ, InverseQ) or DSAKeyValue (X), written as XML or escaped
// into XML text (&lt;D&gt;), with a base64 value. The public forms hold
// only Modulus and Exponent (P, Q, G, Y for DSA: X is the private one).
var xmlKeyPrivateRE = sync.OnceValue(func() *regexp.Regexp {
	return regexp.MustCompile(`(?:<|&lt;)(?:[A-Za-z_][\w.-]*:)?(D|DP|DQ|InverseQ|X)(?:>|&gt;)\s*[A-Za-z0-9+/]{16,}`)
})

// xmlKeys finds RSAKeyValue and DSAKeyValue documents (what .NET's
// ToXmlString(true) writes) that carry the private key.
func (s *scanner) xmlKeys(entry string, data []byte) {
	for _, root := range []string{"RSAKeyValue", "DSAKeyValue"} {
		for off := 0; !s.full(); {
			i := bytes.Index(data[off:], []byte(root))
			if i < 0 {
				break
			}
			at := off + i
			window := data[at:min(len(data), at+keyWindow)]
			if end := bytes.Index(window[len(root):], []byte("/"+root)); end >= 0 {
				window = window[:len(root)+end]
			}
			if m := xmlKeyPrivateRE().FindSubmatchIndex(window); m != nil {
				s.add(entry, data, at, PrivateKey, "%s XML private key (it holds <%s>, as .NET's ToXmlString(true) writes); %s", root, window[m[2]:m[3]], keyFix)
			}
			off = at + len(window)
		}
	}
}

// hexKeys finds DER keys written in hex: "308204bd0201...", "30:82:04:bd",
// "\x30\x82" or "0x30, 0x82" (a C or Java byte array). A candidate is the
// SEQUENCE tag "30" at the start of a hex token; its first bytes must be
// shaped like a key (keyPrefix) before the rest is decoded and parsed.
func (s *scanner) hexKeys(entry string, data []byte) {
	var buf []byte
	for i := 0; i < len(data) && !s.full(); {
		j := bytes.Index(data[i:], []byte("30"))
		if j < 0 {
			return
		}
		i += j
		if i > 0 && isHex(data[i-1]) {
			i++
			continue
		}
		buf, _ = collectHex(buf[:0], data, i, 24)
		if !keyPrefix(buf) {
			i += 2
			continue
		}
		var end int
		buf, end = collectHex(buf[:0], data, i, maxKeyDER)
		if label := derKey(buf); label != "" {
			s.add(entry, data, i, PrivateKey, "hex-encoded %s; %s", label, keyFix)
		}
		i = max(end, i+2)
	}
}

func isHex(c byte) bool { return c >= '0' && c <= '9' || c >= 'a' && c <= 'f' || c >= 'A' && c <= 'F' }

func hexVal(c byte) byte {
	switch {
	case c >= 'a':
		return c - 'a' + 10
	case c >= 'A':
		return c - 'A' + 10
	}
	return c - '0'
}

// collectHex appends to buf at most limit bytes written in hex from
// data[i:], pairs of digits each possibly written 0x.. or \x.., separated
// by nothing or by blanks, colons and commas; it returns where the run
// ends.
func collectHex(buf, data []byte, i, limit int) ([]byte, int) {
	for len(buf) < limit {
		k := i
		if k+1 < len(data) && (data[k] == '0' || data[k] == '\\') && (data[k+1] == 'x' || data[k+1] == 'X') {
			k += 2
		}
		if k+1 >= len(data) || !isHex(data[k]) || !isHex(data[k+1]) {
			return buf, i
		}
		buf = append(buf, hexVal(data[k])<<4|hexVal(data[k+1]))
		i = k + 2
		for i < len(data) && (data[i] == ' ' || data[i] == ':' || data[i] == ',' || data[i] == '\t' || data[i] == '\r' || data[i] == '\n') {
			i++
		}
	}
	return buf, i
}

// wideText transcodes text written in UTF-16 or UTF-32 without a
// byte-order mark, which Windows tools and some editors write, to UTF-8:
// such text has a NUL beside nearly every ASCII character. It reports
// false for anything else, judging by the first 512 bytes.
func wideText(data []byte) ([]byte, bool) {
	head := data[:min(len(data), 512)]
	if len(head) < 16 || bytes.IndexByte(head, 0) < 0 {
		return nil, false
	}
	// zeros[k] counts NUL bytes at positions k mod 4.
	var zeros [4]int
	for i, c := range head {
		if c == 0 {
			zeros[i%4]++
		}
	}
	quarter := len(head) / 4
	mostly := func(n int) bool { return n*10 >= quarter*9 }
	none := func(n int) bool { return n*10 <= quarter }
	switch {
	case mostly(zeros[1]) && mostly(zeros[2]) && mostly(zeros[3]) && none(zeros[0]):
		return decodeWide(data, 4, binary.LittleEndian), true
	case mostly(zeros[0]) && mostly(zeros[1]) && mostly(zeros[2]) && none(zeros[3]):
		return decodeWide(data, 4, binary.BigEndian), true
	case mostly(zeros[1]) && mostly(zeros[3]) && none(zeros[0]) && none(zeros[2]):
		return decodeWide(data, 2, binary.LittleEndian), true
	case mostly(zeros[0]) && mostly(zeros[2]) && none(zeros[1]) && none(zeros[3]):
		return decodeWide(data, 2, binary.BigEndian), true
	}
	return nil, false
}

// decodeWide decodes UTF-32 (width 4) or UTF-16 (width 2) code units;
// surrogate pairs are not joined, since only ASCII matters to the checks.
func decodeWide(data []byte, width int, order binary.ByteOrder) []byte {
	out := make([]byte, 0, len(data)/width+16)
	for i := 0; i+width <= len(data); i += width {
		var r rune
		if width == 4 {
			r = rune(order.Uint32(data[i:]))
		} else {
			r = rune(order.Uint16(data[i:]))
		}
		if !utf8.ValidRune(r) {
			r = utf8.RuneError
		}
		out = utf8.AppendRune(out, r)
	}
	return out
}

// isZlib recognises the two-byte header of a zlib stream (RFC 1950) with
// deflate and one of the four levels zlib writes, no preset dictionary.
func isZlib(b []byte) bool {
	return len(b) >= 2 && b[0] == 0x78 && (b[1] == 0x01 || b[1] == 0x5e || b[1] == 0x9c || b[1] == 0xda)
}

// looksBinary reports whether the start of data is not UTF-8 text.
func looksBinary(data []byte) bool {
	head := data[:min(len(data), 1024)]
	if bytes.IndexByte(head, 0) >= 0 {
		return true
	}
	if utf8.Valid(head) {
		return false
	}
	// The cut may split the last character; only what comes before it
	// counts.
	for k := len(head) - 1; k >= max(0, len(head)-utf8.UTFMax); k-- {
		if utf8.RuneStart(head[k]) {
			return !utf8.Valid(head[:k])
		}
	}
	return true
}

// minDeflated is the least a stream must inflate to for its content to be
// scanned: the smallest private key (Ed25519 PKCS#8 in PEM) is 119 bytes.
const minDeflated = 64

// deflated scans the content of a zlib stream, or of a raw deflate stream
// (which has no header at all) in a binary file. Neither has a magic
// number strong enough to refuse on: text may start with "x^", and most
// binary data is not deflate, so a stream that does not inflate is
// passed over rather than refused. One that inflates past the limits is a
// real stream and is refused, as any other would be.
func (s *scanner) deflated(entry string, data []byte, depth int) {
	var r io.Reader
	name := "zlib"
	switch {
	case isZlib(data):
		zr, err := zlib.NewReader(bytes.NewReader(data))
		if err != nil {
			return
		}
		r = zr
	case looksBinary(data) && data[0]&0x06 != 0x06:
		// The first block's type (bits 1-2) is not 3, which no stream has.
		name, r = "deflate", flate.NewReader(bytes.NewReader(data))
	default:
		return
	}
	limit := min(s.lim.entry, s.budget)
	// A stream cut short or with a bad checksum still shows what it
	// inflated to, which is scanned all the same.
	b, _ := io.ReadAll(io.LimitReader(r, limit+1))
	if len(b) < minDeflated && int64(len(b)) <= limit {
		// Too short to hold a key, and it ended there. One cut short by
		// what is left of the budget is refused below, never passed over.
		return
	}
	if depth >= s.lim.depth {
		// Deeper than the scan goes: what inflates here is refused, a
		// raw deflate guess too (four stored zips around a raw-deflated
		// key hid it); a file this deep is a leaf of nested archives.
		s.refuse(entry, "%s stream inside %d levels of archives, deeper than byocpack scans", name, depth)
		return
	}
	s.budget -= int64(len(b))
	switch {
	case int64(len(b)) > limit && limit < s.lim.entry:
		s.stopped = true
		s.refuse("", "archive expands to more than %s in all, too large to scan (a zip bomb looks like this)", mib(s.lim.total))
		return
	case int64(len(b)) > limit:
		s.refuse(entry, "%s stream expands to more than %s uncompressed, too large to scan", name, mib(s.lim.entry))
		return
	}
	s.file(entry, b, depth+1, "("+name+" content)")
}
