package cred

import (
	"bytes"
	"crypto/aes"
	"crypto/cipher"
	"crypto/des"
	"crypto/pbkdf2"
	"crypto/sha1"
	"crypto/sha256"
	"crypto/sha512"
	"crypto/subtle"
	"encoding/asn1"
	"errors"
	"fmt"
	"hash"
	"io"
	"strconv"
	"strings"
)

// PKCS#8 encryption (RFC 5958 EncryptedPrivateKeyInfo) with PBES2 (RFC
// 8018): PBKDF2 derives the key from the passphrase, a block cipher in CBC
// mode encrypts the DER PrivateKeyInfo. The encoder writes what
// `openssl pkcs8 -topk8 -v2 aes-256-cbc` and `openssl genpkey
// -aes-256-cbc` write (PBKDF2-HMAC-SHA256, AES-256-CBC); the decoder also
// reads the other PRFs and ciphers openssl offers with -v2 and
// -v2prf, so a key made by an older recipe (-des3) still opens.

// Object identifiers of RFC 8018 and NIST, dotted; constants so no caller
// can change them.
const (
	oidPBES2      = "1.2.840.113549.1.5.13"
	oidPBKDF2     = "1.2.840.113549.1.5.12"
	oidScrypt     = "1.3.6.1.4.1.11591.4.11"
	oidHMACSHA1   = "1.2.840.113549.2.7"
	oidHMACSHA224 = "1.2.840.113549.2.8"
	oidHMACSHA256 = "1.2.840.113549.2.9"
	oidHMACSHA384 = "1.2.840.113549.2.10"
	oidHMACSHA512 = "1.2.840.113549.2.11"
	oidAES128CBC  = "2.16.840.1.101.3.4.1.2"
	oidAES192CBC  = "2.16.840.1.101.3.4.1.22"
	oidAES256CBC  = "2.16.840.1.101.3.4.1.42"
	oidDESEDE3CBC = "1.2.840.113549.3.7"
)

// oid turns a dotted constant above into its ASN.1 form.
func oid(dotted string) asn1.ObjectIdentifier {
	var o asn1.ObjectIdentifier
	for _, part := range strings.Split(dotted, ".") {
		n, _ := strconv.Atoi(part)
		o = append(o, n)
	}
	return o
}

// DefaultIterations is the PBKDF2 iteration count byocpack writes: the
// count OWASP recommends for PBKDF2-HMAC-SHA256. openssl reads any count.
const DefaultIterations = 600_000

// maxIterations bounds the work a key file can ask of the decoder.
const maxIterations = 10_000_000

// saltLen is the PBKDF2 salt length byocpack writes (RFC 8018 asks for at
// least 8 bytes).
const saltLen = 16

type algorithmIdentifier struct {
	Algorithm  asn1.ObjectIdentifier
	Parameters asn1.RawValue `asn1:"optional"`
}

type encryptedPrivateKeyInfo struct {
	Algorithm     algorithmIdentifier
	EncryptedData []byte
}

type pbes2Params struct {
	KeyDerivationFunc algorithmIdentifier
	EncryptionScheme  algorithmIdentifier
}

type pbkdf2Params struct {
	Salt           []byte
	IterationCount int
	KeyLength      int                 `asn1:"optional"`
	PRF            algorithmIdentifier `asn1:"optional"`
}

// encryptPKCS8 encrypts a DER PrivateKeyInfo with passphrase as PBES2
// (PBKDF2-HMAC-SHA256, AES-256-CBC) and returns the DER
// EncryptedPrivateKeyInfo. rand supplies the salt and the IV.
func encryptPKCS8(der, passphrase []byte, iterations int, rand io.Reader) ([]byte, error) {
	if len(passphrase) == 0 {
		return nil, errors.New("the passphrase is empty")
	}
	if iterations <= 0 {
		iterations = DefaultIterations
	}
	salt := make([]byte, saltLen)
	iv := make([]byte, aes.BlockSize)
	if _, err := io.ReadFull(rand, salt); err != nil {
		return nil, err
	}
	if _, err := io.ReadFull(rand, iv); err != nil {
		return nil, err
	}
	key, err := pbkdf2.Key(sha256.New, string(passphrase), salt, iterations, 32)
	if err != nil {
		return nil, err
	}
	block, err := aes.NewCipher(key)
	if err != nil {
		return nil, err
	}
	padded := pkcs7Pad(der, block.BlockSize())
	cipher.NewCBCEncrypter(block, iv).CryptBlocks(padded, padded)

	kdf, err := asn1.Marshal(pbkdf2Params{Salt: salt, IterationCount: iterations,
		PRF: algorithmIdentifier{Algorithm: oid(oidHMACSHA256), Parameters: asn1.RawValue{Tag: asn1.TagNull}}})
	if err != nil {
		return nil, err
	}
	ivDER, err := asn1.Marshal(iv)
	if err != nil {
		return nil, err
	}
	params, err := asn1.Marshal(pbes2Params{
		KeyDerivationFunc: algorithmIdentifier{Algorithm: oid(oidPBKDF2), Parameters: asn1.RawValue{FullBytes: kdf}},
		EncryptionScheme:  algorithmIdentifier{Algorithm: oid(oidAES256CBC), Parameters: asn1.RawValue{FullBytes: ivDER}},
	})
	if err != nil {
		return nil, err
	}
	return asn1.Marshal(encryptedPrivateKeyInfo{
		Algorithm:     algorithmIdentifier{Algorithm: oid(oidPBES2), Parameters: asn1.RawValue{FullBytes: params}},
		EncryptedData: padded,
	})
}

// decryptPKCS8 reverses encryptPKCS8 and reads what openssl's PBES2
// writes: PBKDF2 with HMAC-SHA1/224/256/384/512, AES-128/192/256-CBC or
// DES-EDE3-CBC. It returns the DER PrivateKeyInfo.
func decryptPKCS8(der, passphrase []byte) ([]byte, error) {
	var info encryptedPrivateKeyInfo
	if rest, err := asn1.Unmarshal(der, &info); err != nil || len(rest) > 0 {
		return nil, errors.New("the encrypted key is not a PKCS#8 EncryptedPrivateKeyInfo")
	}
	if info.Algorithm.Algorithm.String() != oidPBES2 {
		return nil, fmt.Errorf("the key is encrypted with %v, not PBES2; convert it with: openssl pkcs8 -topk8 -v2 aes-256-cbc -in old.key -out server.key", info.Algorithm.Algorithm)
	}
	var params pbes2Params
	if rest, err := asn1.Unmarshal(info.Algorithm.Parameters.FullBytes, &params); err != nil || len(rest) > 0 {
		return nil, errors.New("the key's PBES2 parameters are damaged")
	}
	newCipher, keyLen, err := blockCipher(params.EncryptionScheme.Algorithm)
	if err != nil {
		return nil, err
	}
	var iv []byte
	if rest, err := asn1.Unmarshal(params.EncryptionScheme.Parameters.FullBytes, &iv); err != nil || len(rest) > 0 {
		return nil, errors.New("the key's cipher IV is damaged")
	}
	key, err := deriveKey(params.KeyDerivationFunc, passphrase, keyLen)
	if err != nil {
		return nil, err
	}
	block, err := newCipher(key)
	if err != nil {
		return nil, err
	}
	data := info.EncryptedData
	if len(iv) != block.BlockSize() || len(data) == 0 || len(data)%block.BlockSize() != 0 {
		return nil, errors.New("the encrypted key has a wrong IV or data length")
	}
	plain := make([]byte, len(data))
	cipher.NewCBCDecrypter(block, iv).CryptBlocks(plain, data)
	plain, ok := pkcs7Unpad(plain, block.BlockSize())
	if !ok {
		return nil, ErrWrongPassphrase
	}
	return plain, nil
}

func deriveKey(kdf algorithmIdentifier, passphrase []byte, keyLen int) ([]byte, error) {
	switch {
	case kdf.Algorithm.String() == oidScrypt:
		return nil, errors.New("the key's passphrase is hashed with scrypt, which byocpack does not read; convert it with: openssl pkcs8 -topk8 -v2 aes-256-cbc -in old.key -out server.key")
	case kdf.Algorithm.String() != oidPBKDF2:
		return nil, fmt.Errorf("the key's key derivation %v is not PBKDF2", kdf.Algorithm)
	}
	var p pbkdf2Params
	if rest, err := asn1.Unmarshal(kdf.Parameters.FullBytes, &p); err != nil || len(rest) > 0 {
		return nil, errors.New("the key's PBKDF2 parameters are damaged")
	}
	if p.IterationCount < 1 || p.IterationCount > maxIterations {
		return nil, fmt.Errorf("the key's PBKDF2 iteration count %d is outside 1 to %d", p.IterationCount, maxIterations)
	}
	if p.KeyLength != 0 && p.KeyLength != keyLen {
		return nil, fmt.Errorf("the key's PBKDF2 key length %d does not fit its cipher (%d)", p.KeyLength, keyLen)
	}
	prf := sha1.New // RFC 8018: hmacWithSHA1 when the PRF is absent
	if len(p.PRF.Algorithm) > 0 {
		var ok bool
		if prf, ok = hmacHash(p.PRF.Algorithm); !ok {
			return nil, fmt.Errorf("the key's PBKDF2 PRF %v is not one byocpack reads (HMAC with SHA-1, SHA-224, SHA-256, SHA-384 or SHA-512)", p.PRF.Algorithm)
		}
	}
	return pbkdf2.Key(prf, string(passphrase), p.Salt, p.IterationCount, keyLen)
}

func hmacHash(id asn1.ObjectIdentifier) (func() hash.Hash, bool) {
	switch id.String() {
	case oidHMACSHA1:
		return sha1.New, true
	case oidHMACSHA224:
		return sha256.New224, true
	case oidHMACSHA256:
		return sha256.New, true
	case oidHMACSHA384:
		return sha512.New384, true
	case oidHMACSHA512:
		return sha512.New, true
	}
	return nil, false
}

func blockCipher(id asn1.ObjectIdentifier) (func([]byte) (cipher.Block, error), int, error) {
	switch id.String() {
	case oidAES128CBC:
		return aes.NewCipher, 16, nil
	case oidAES192CBC:
		return aes.NewCipher, 24, nil
	case oidAES256CBC:
		return aes.NewCipher, 32, nil
	case oidDESEDE3CBC:
		return des.NewTripleDESCipher, 24, nil
	}
	return nil, 0, fmt.Errorf("the key's cipher %v is not one byocpack reads (AES-128/192/256-CBC, DES-EDE3-CBC); convert it with: openssl pkcs8 -topk8 -v2 aes-256-cbc -in old.key -out server.key", id)
}

func pkcs7Pad(data []byte, size int) []byte {
	n := size - len(data)%size
	return append(bytes.Clone(data), bytes.Repeat([]byte{byte(n)}, n)...)
}

// pkcs7Unpad checks the padding in constant time over the last block.
func pkcs7Unpad(data []byte, size int) ([]byte, bool) {
	n := int(data[len(data)-1])
	if n == 0 || n > size {
		return nil, false
	}
	good := 1
	for i := len(data) - size; i < len(data); i++ {
		inPad := subtle.ConstantTimeLessOrEq(len(data)-n, i)
		good &= subtle.ConstantTimeSelect(inPad, subtle.ConstantTimeByteEq(data[i], byte(n)), 1)
	}
	if good != 1 {
		return nil, false
	}
	return data[:len(data)-n], true
}
