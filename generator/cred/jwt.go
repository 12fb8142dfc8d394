package cred

import (
	"crypto"
	"crypto/rand"
	"crypto/rsa"
	"crypto/sha256"
	"crypto/x509"
	"encoding/base64"
	"encoding/json"
	"errors"
	"fmt"
	"strings"
	"time"

	"github.com/byocpack/byocpack/internal/strictjson"
)

// MaxTTL is how far ahead a JWT bearer assertion may expire: Salesforce
// wants exp "within 3 minutes".
const MaxTTL = 3 * time.Minute

// Claims are the four claims of a Salesforce JWT bearer assertion, in the
// order they are written.
type Claims struct {
	// Issuer is the app's consumer key.
	Issuer string `json:"iss"`
	// Subject is the username of the user the token acts as, who must be
	// pre-authorized by the app's policies.
	Subject string `json:"sub"`
	// Audience is the login URL (or the Experience Cloud site URL).
	Audience string `json:"aud"`
	// Expires is exp: seconds since 1970-01-01T00:00:00Z, never
	// milliseconds.
	Expires int64 `json:"exp"`
}

// AssertionOptions are the inputs of Sign.
type AssertionOptions struct {
	ClientID string
	Username string
	Audience string
	// TTL is how long the assertion is valid, up to MaxTTL (0: MaxTTL).
	TTL time.Duration
	// Now is the time exp counts from (zero: time.Now).
	Now time.Time
}

// CheckTTL refuses a lifetime Salesforce would refuse.
func CheckTTL(ttl time.Duration) error {
	switch {
	case ttl > MaxTTL:
		return fmt.Errorf("TTL %s is over 3 minutes; Salesforce refuses an assertion whose exp is more than 3 minutes ahead (\"expired authorization code\"): use --ttl 3m or less", ttl)
	case ttl < time.Second:
		return fmt.Errorf("TTL %s is under a second; use up to 3m", ttl)
	}
	return nil
}

// Sign builds and signs (RS256) the JWT bearer assertion: iss the
// consumer key, sub the username, aud the login URL, exp in seconds.
func Sign(key *rsa.PrivateKey, opts AssertionOptions) (string, Claims, error) {
	ttl := opts.TTL
	if ttl == 0 {
		ttl = MaxTTL
	}
	if err := CheckTTL(ttl); err != nil {
		return "", Claims{}, err
	}
	if _, err := CheckAudience(opts.Audience); err != nil {
		return "", Claims{}, err
	}
	switch {
	case strings.TrimSpace(opts.ClientID) == "":
		return "", Claims{}, errors.New("the client ID is empty; give the consumer key of the app's OAuth settings (Setup → External Client App Manager → the app → Settings → OAuth Settings → Consumer Key)")
	case strings.TrimSpace(opts.Username) == "":
		return "", Claims{}, errors.New("the username is empty; give the username of a user the app pre-authorizes")
	}
	now := opts.Now
	if now.IsZero() {
		now = time.Now()
	}
	c := Claims{Issuer: opts.ClientID, Subject: opts.Username, Audience: opts.Audience,
		Expires: now.Add(ttl).Unix()}
	payload, err := json.Marshal(c)
	if err != nil {
		return "", Claims{}, err
	}
	enc := base64.RawURLEncoding
	signingInput := enc.EncodeToString([]byte(`{"alg":"RS256"}`)) + "." + enc.EncodeToString(payload)
	sum := sha256.Sum256([]byte(signingInput))
	sig, err := rsa.SignPKCS1v15(rand.Reader, key, crypto.SHA256, sum[:])
	if err != nil {
		return "", Claims{}, err
	}
	return signingInput + "." + enc.EncodeToString(sig), c, nil
}

// Verify checks an RS256 assertion's signature against pub and returns
// its claims. It judges only the signature and the shape; Problems judges
// the claims.
func Verify(token string, pub *rsa.PublicKey) (Claims, error) {
	parts := strings.Split(token, ".")
	if len(parts) != 3 {
		return Claims{}, fmt.Errorf("not a JWT: %d parts, want header.payload.signature", len(parts))
	}
	enc := base64.RawURLEncoding
	header, err := enc.DecodeString(parts[0])
	if err != nil {
		return Claims{}, errors.New("the JWT header is not base64url")
	}
	var h struct {
		Alg string `json:"alg"`
	}
	if err := strictjson.Unmarshal(header, &h); err != nil || h.Alg != "RS256" {
		return Claims{}, fmt.Errorf("the JWT header is %s; Salesforce takes only RS256", header)
	}
	sig, err := enc.DecodeString(parts[2])
	if err != nil {
		return Claims{}, errors.New("the JWT signature is not base64url")
	}
	sum := sha256.Sum256([]byte(parts[0] + "." + parts[1]))
	if err := rsa.VerifyPKCS1v15(pub, crypto.SHA256, sum[:], sig); err != nil {
		return Claims{}, errors.New("the JWT signature does not verify with the certificate: the key that signed it is not the certificate's")
	}
	payload, err := enc.DecodeString(parts[1])
	if err != nil {
		return Claims{}, errors.New("the JWT payload is not base64url")
	}
	var c Claims
	if err := strictjson.Unmarshal(payload, &c); err != nil {
		return Claims{}, fmt.Errorf("the JWT payload is not the claims object: %v", err)
	}
	return c, nil
}

// VerifyWithCertificate verifies the assertion with the public key of c,
// the certificate the app holds.
func VerifyWithCertificate(token string, c *x509.Certificate) (Claims, error) {
	pub, ok := c.PublicKey.(*rsa.PublicKey)
	if !ok {
		return Claims{}, fmt.Errorf("the certificate's key is %s; the JWT bearer flow needs RSA", c.PublicKeyAlgorithm)
	}
	return Verify(token, pub)
}

// millisecondsAfter is an exp no seconds-based clock reaches before the
// year 5138: a larger exp is milliseconds.
const millisecondsAfter = 1e11

// Problems lists what Salesforce would refuse in the claims at now,
// each saying how to fix it; none for a good assertion. skew allows for
// clocks that differ.
func (c Claims) Problems(now time.Time, skew time.Duration) []string {
	var out []string
	switch {
	case c.Expires > millisecondsAfter:
		out = append(out, fmt.Sprintf("exp %d is in milliseconds; Salesforce wants seconds since the epoch (the BYOC guide's \"milliseconds\" is wrong), or it answers \"expired authorization code\"", c.Expires))
	case time.Unix(c.Expires, 0).After(now.Add(MaxTTL + skew)):
		out = append(out, fmt.Sprintf("exp is %s ahead, more than 3 minutes", time.Unix(c.Expires, 0).Sub(now).Round(time.Second)))
	case time.Unix(c.Expires, 0).Before(now.Add(-skew)):
		out = append(out, "the assertion has expired; sign a new one (they last at most 3 minutes)")
	}
	if _, err := CheckAudience(c.Audience); err != nil {
		out = append(out, err.Error())
	}
	if c.Issuer == "" {
		out = append(out, "iss is empty; it is the app's consumer key")
	}
	if c.Subject == "" {
		out = append(out, "sub is empty; it is the username the token acts as")
	}
	return out
}
