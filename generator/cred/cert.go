package cred

import (
	"crypto/rand"
	"crypto/rsa"
	"crypto/sha256"
	"crypto/x509"
	"crypto/x509/pkix"
	"encoding/hex"
	"encoding/pem"
	"errors"
	"fmt"
	"math/big"
	"strings"
	"time"
	"unicode"
	"unicode/utf8"
)

// MaxDays bounds a certificate's validity: ten years, against a typo such
// as 36500. Salesforce's recipe uses 365.
const MaxDays = 3650

// CertOptions describe the self-signed certificate.
type CertOptions struct {
	// CommonName is the subject and issuer CN shown in Setup.
	CommonName string
	// Days of validity from Now, 1 to MaxDays.
	Days int
	// Now is the start of validity (zero: time.Now).
	Now time.Time
}

// MaxCommonName is X.520's upper bound of a common name, in characters.
const MaxCommonName = 64

// CheckCommonName refuses a certificate common name that Setup and every
// terminal showing it would display wrongly or not at all: empty, longer
// than 64 characters, blanks at either end, or a character that is not
// printable text (control characters and line breaks, which reach the
// terminal and CI logs; invisible formatting such as bidirectional
// overrides and zero-width spaces, which make one name look like
// another; bytes that are not UTF-8).
func CheckCommonName(cn string) error {
	switch n := utf8.RuneCountInString(cn); {
	case !utf8.ValidString(cn):
		return fmt.Errorf("common name %q is not UTF-8 text; give a plain name such as \"Acme Interaction Service\"", cn)
	case strings.TrimSpace(cn) == "":
		return fmt.Errorf("common name is empty; give a name such as \"Acme Interaction Service\"")
	case n > MaxCommonName:
		return fmt.Errorf("common name is %d characters long; X.509 allows at most %d", n, MaxCommonName)
	case strings.TrimSpace(cn) != cn:
		return fmt.Errorf("common name %q starts or ends with a blank; remove it", cn)
	}
	for _, r := range cn {
		if !unicode.IsPrint(r) && r != ' ' {
			return fmt.Errorf("common name %q holds the character %U, which is not printable text (a control, line-break or invisible formatting character); give a plain name such as \"Acme Interaction Service\"", cn, r)
		}
	}
	return nil
}

// SelfSign makes the self-signed X.509 certificate (SHA-256 with RSA) of
// key that Salesforce's "Create a Private Key and Self-Signed Digital
// Certificate" recipe makes with openssl, and returns it as PEM.
func SelfSign(key *rsa.PrivateKey, opts CertOptions) ([]byte, *x509.Certificate, error) {
	if opts.Days < 1 || opts.Days > MaxDays {
		return nil, nil, fmt.Errorf("validity of %d days is outside 1 to %d; Salesforce's recipe uses 365", opts.Days, MaxDays)
	}
	if err := CheckCommonName(opts.CommonName); err != nil {
		return nil, nil, err
	}
	cn := opts.CommonName
	now := opts.Now
	if now.IsZero() {
		now = time.Now()
	}
	now = now.UTC().Truncate(time.Second)
	serial, err := rand.Int(rand.Reader, new(big.Int).Lsh(big.NewInt(1), 127))
	if err != nil {
		return nil, nil, err
	}
	tmpl := &x509.Certificate{
		SerialNumber:          serial.Add(serial, big.NewInt(1)),
		Subject:               pkix.Name{CommonName: cn},
		NotBefore:             now,
		NotAfter:              now.AddDate(0, 0, opts.Days),
		SignatureAlgorithm:    x509.SHA256WithRSA,
		KeyUsage:              x509.KeyUsageDigitalSignature,
		BasicConstraintsValid: true,
	}
	der, err := x509.CreateCertificate(rand.Reader, tmpl, tmpl, &key.PublicKey, key)
	if err != nil {
		return nil, nil, err
	}
	cert, err := x509.ParseCertificate(der)
	if err != nil {
		return nil, nil, err
	}
	return pem.EncodeToMemory(&pem.Block{Type: pemCertificate, Bytes: der}), cert, nil
}

// ParseCertificate reads the one X.509 certificate of a PEM file. A file
// that also holds a private key is refused: the certificate is uploaded,
// the key never is.
func ParseCertificate(data []byte) (*x509.Certificate, error) {
	var certs []*pem.Block
	for rest := data; ; {
		var b *pem.Block
		b, rest = pem.Decode(rest)
		if b == nil {
			break
		}
		if strings.HasSuffix(b.Type, pemPrivateKey) {
			return nil, errors.New("the certificate file also holds a private key; keep the key in a file of its own, outside the project")
		}
		if b.Type == pemCertificate {
			certs = append(certs, b)
		}
	}
	switch len(certs) {
	case 0:
		return nil, fmt.Errorf("no PEM certificate found (-----BEGIN %s-----)", pemCertificate)
	case 1:
	default:
		return nil, fmt.Errorf("the file holds %d certificates; give the app's own certificate alone", len(certs))
	}
	c, err := x509.ParseCertificate(certs[0].Bytes)
	if err != nil {
		return nil, fmt.Errorf("the certificate does not parse: %v", err)
	}
	return c, nil
}

// Fingerprint is the certificate's SHA-256 fingerprint as openssl x509
// -fingerprint -sha256 prints it: upper-case hex pairs joined by colons.
func Fingerprint(c *x509.Certificate) string {
	sum := sha256.Sum256(c.Raw)
	h := strings.ToUpper(hex.EncodeToString(sum[:]))
	pairs := make([]string, 0, len(sum))
	for i := 0; i < len(h); i += 2 {
		pairs = append(pairs, h[i:i+2])
	}
	return strings.Join(pairs, ":")
}

// Matches reports whether key is the private half of the certificate's
// public key: the key that signs the JWT must belong to the certificate
// the app holds, or Salesforce refuses every assertion.
func Matches(c *x509.Certificate, key *rsa.PrivateKey) bool {
	pub, ok := c.PublicKey.(*rsa.PublicKey)
	return ok && pub.Equal(&key.PublicKey)
}
