package secrets

import (
	"bytes"
	"crypto/x509"
	"crypto/x509/pkix"
	"encoding/asn1"
	"encoding/binary"
	"errors"
	"math/big"
)

// maxKeyDER bounds the DER that crypto/x509 is asked to parse as a key: an
// RSA 16384-bit PKCS#1 key is 9.3 KB. x509 validates an RSA key with
// big-number arithmetic, which a hostile megabyte "key" would make slow;
// larger inputs get the structural checks only.
const maxKeyDER = 16 << 10

// derKey says what private key or keystore b starts with ("PKCS#8 private
// key", "PKCS#12 keystore", ...), or "" if none. Bytes after the first
// DER element are ignored. crypto/x509 parses what it can; the structural
// checks after it catch what it cannot (DSA, encrypted PKCS#8, algorithms
// it does not know, placeholders shaped like a key).
func derKey(b []byte) string {
	if !keyPrefix(b) {
		return ""
	}
	if isPKCS12(b) {
		return "PKCS#12 keystore (.p12/.pfx, which holds private keys)"
	}
	n := tlvLen(b)
	if n < 0 {
		return ""
	}
	der := b[:n]
	if n <= maxKeyDER {
		if _, err := x509.ParsePKCS8PrivateKey(der); err == nil {
			return "PKCS#8 private key"
		}
		if _, err := x509.ParsePKCS1PrivateKey(der); err == nil {
			return "PKCS#1 RSA private key"
		}
		if _, err := x509.ParseECPrivateKey(der); err == nil {
			return "SEC 1 EC private key"
		}
	}
	return keyShape(der)
}

// keyPrefix is the cheap test derKey starts with, on at most the first 24
// bytes: a SEQUENCE whose first element is a small version number (every
// unencrypted key form, and PKCS#12's 3) or an AlgorithmIdentifier of a
// password-based encryption scheme (encrypted PKCS#8). Certificates and
// public keys, which start with a SEQUENCE of another kind, fail it
// without any ASN.1 parsing.
func keyPrefix(b []byte) bool {
	if len(b) < 2 || b[0] != 0x30 {
		return false
	}
	i := skipHeader(b, 0)
	if i < 0 || len(b) < i+3 {
		return false
	}
	if b[i] == 0x02 && b[i+1] == 0x01 && b[i+2] <= 3 {
		return true
	}
	if b[i] != 0x30 {
		return false
	}
	j := skipHeader(b, i)
	if j < 0 || len(b) < j+2 || b[j] != 0x06 {
		return false
	}
	oid := b[j+2:]
	for _, arc := range [][]byte{{0x2a, 0x86, 0x48, 0x86, 0xf7, 0x0d, 0x01, 0x05}, {0x2a, 0x86, 0x48, 0x86, 0xf7, 0x0d, 0x01, 0x0c, 0x01}} {
		if bytes.HasPrefix(oid, arc) {
			return true
		}
	}
	return false
}

// pbeOIDs are the arcs of password-based encryption schemes an
// EncryptedPrivateKeyInfo names: PKCS#5 (PBES1, PBES2) and PKCS#12.
var pbeOIDs = []asn1.ObjectIdentifier{
	{1, 2, 840, 113549, 1, 5},
	{1, 2, 840, 113549, 1, 12, 1},
}

// keyShape recognises the ASN.1 shapes of private keys without parsing the
// key material.
func keyShape(der []byte) string {
	// PKCS#8 PrivateKeyInfo / OneAsymmetricKey: version, algorithm, key.
	var p8 struct {
		Version int
		Algo    pkix.AlgorithmIdentifier
		Key     []byte
	}
	if rest, err := asn1.Unmarshal(der, &p8); err == nil && len(rest) == 0 && (p8.Version == 0 || p8.Version == 1) {
		return "PKCS#8 private key"
	}
	// PKCS#8 EncryptedPrivateKeyInfo: a PBE algorithm and the ciphertext.
	var enc struct {
		Algo pkix.AlgorithmIdentifier
		Data []byte
	}
	if rest, err := asn1.Unmarshal(der, &enc); err == nil && len(rest) == 0 {
		for _, arc := range pbeOIDs {
			if len(enc.Algo.Algorithm) > len(arc) && enc.Algo.Algorithm[:len(arc)].Equal(arc) {
				return "encrypted PKCS#8 private key"
			}
		}
	}
	// SEC 1 ECPrivateKey: version 1 and the private scalar.
	var ec struct {
		Version int
		Key     []byte
	}
	if rest, err := asn1.Unmarshal(der, &ec); err == nil && len(rest) == 0 && ec.Version == 1 {
		return "SEC 1 EC private key"
	}
	// The traditional OpenSSL forms: version 0 and the numbers, six for
	// DSA (p, q, g, y, x), nine or more for RSA (PKCS#1, multi-prime).
	var ints []*big.Int
	if rest, err := asn1.Unmarshal(der, &ints); err == nil && len(rest) == 0 && (len(ints) == 6 || len(ints) >= 9) && ints[0].Sign() == 0 {
		if len(ints) == 6 {
			return "DSA private key"
		}
		return "RSA private key"
	}
	return ""
}

// tlvLen is the length of the definite-length DER element at the start of
// b, tag and length included, or -1 when b does not start with a whole one.
func tlvLen(b []byte) int {
	if len(b) < 2 {
		return -1
	}
	l, hdr := int(b[1]), 2
	if l >= 0x80 {
		n := l & 0x7f
		// 0x80 is BER's indefinite length; more than 3 length bytes
		// would be over 16 MiB, no key.
		if n == 0 || n > 3 || len(b) < 2+n {
			return -1
		}
		l = 0
		for _, c := range b[2 : 2+n] {
			l = l<<8 | int(c)
		}
		hdr += n
	}
	if hdr+l > len(b) {
		return -1
	}
	return hdr + l
}

// isPKCS12 matches the start of a PFX: SEQUENCE { INTEGER 3, ContentInfo
// SEQUENCE { OID data or signedData, ... } ... }. Many PKCS#12 files are
// BER with indefinite lengths, which encoding/asn1 refuses, so the prefix
// is matched by hand.
func isPKCS12(b []byte) bool {
	i := skipHeader(b, 0)
	if i < 0 || !bytes.HasPrefix(b[i:], []byte{0x02, 0x01, 0x03, 0x30}) {
		return false
	}
	j := skipHeader(b, i+3)
	pkcs7 := []byte{0x06, 0x09, 0x2a, 0x86, 0x48, 0x86, 0xf7, 0x0d, 0x01, 0x07}
	return j >= 0 && bytes.HasPrefix(b[j:], pkcs7) && len(b) > j+len(pkcs7) && (b[j+len(pkcs7)] == 1 || b[j+len(pkcs7)] == 2)
}

// skipHeader returns the offset just past the tag and length of the
// element at b[i:], definite or indefinite, or -1.
func skipHeader(b []byte, i int) int {
	if i+2 > len(b) {
		return -1
	}
	l := b[i+1]
	if l <= 0x80 {
		return i + 2
	}
	n := int(l & 0x7f)
	if n > 4 || i+2+n > len(b) {
		return -1
	}
	return i + 2 + n
}

// The magic numbers of Java's JKS and JCEKS keystores.
var (
	jksMagic   = []byte{0xfe, 0xed, 0xfe, 0xed}
	jceksMagic = []byte{0xce, 0xce, 0xce, 0xce}
)

// javaKeystore walks a JKS or JCEKS keystore and says what secret entry
// it holds first ("private key entry", "secret key entry"), or "" when it
// holds only trusted certificates (a truststore, which is public). It
// reads no more entries than maxEntries.
func javaKeystore(b []byte, maxEntries int) (string, error) {
	r := &cursor{b: b[4:]}
	version, count := r.u32(), r.u32()
	if version != 1 && version != 2 {
		return "", errors.New("unknown keystore version")
	}
	if count > uint32(maxEntries) {
		return "", errors.New("too many entries")
	}
	for range count {
		tag := r.u32()
		r.skip(int(r.u16())) // alias
		r.skip(8)            // creation time
		if r.err != nil {
			return "", r.err
		}
		switch tag {
		case 1:
			return "private key entry", nil
		case 3:
			return "secret key entry", nil
		case 2:
			if version == 2 {
				r.skip(int(r.u16())) // certificate type
			}
			r.skip(int(r.u32()))
		default:
			return "", errors.New("unknown entry type")
		}
		if r.err != nil {
			return "", r.err
		}
	}
	return "", r.err
}

// cursor reads big-endian fields and remembers the first overrun.
type cursor struct {
	b   []byte
	err error
}

func (c *cursor) take(n int) []byte {
	if c.err != nil || n < 0 || n > len(c.b) {
		c.err = errors.New("truncated")
		return make([]byte, 4)
	}
	v := c.b[:n]
	c.b = c.b[n:]
	return v
}

func (c *cursor) u16() uint16 { return binary.BigEndian.Uint16(c.take(2)) }
func (c *cursor) u32() uint32 { return binary.BigEndian.Uint32(c.take(4)) }
func (c *cursor) skip(n int)  { c.take(n) }
