package cli

import (
	"encoding/json"
	"time"

	"github.com/byocpack/byocpack/generator"
	"github.com/byocpack/byocpack/generator/cred"
)

// The --json results of jwt, cert, init and schema (docs/output.schema.json
// describes each). None ever holds a private key: only its path.

// keyJSON is a private key byocpack wrote: where, never what.
type keyJSON struct {
	Path      string `json:"path"`
	Bits      int    `json:"bits"`
	Encrypted bool   `json:"encrypted"`
	Mode      string `json:"mode"`
}

// certJSON is a certificate byocpack wrote.
type certJSON struct {
	Path       string `json:"path"`
	CommonName string `json:"commonName"`
	SHA256     string `json:"sha256"`
	NotAfter   string `json:"notAfter"`
	Days       int    `json:"days"`
}

// certResult is cert's result, and init's with --cert.
type certResult struct {
	Key         keyJSON  `json:"key"`
	Certificate certJSON `json:"certificate"`
	// SpecLine is the value of app.certificate that names it.
	SpecLine string `json:"specLine"`
}

func madeResult(m *generator.KeyPair, specLine string) *certResult {
	c, cert := m.Options, m.Cert
	return &certResult{
		Key: keyJSON{Path: c.KeyPath, Bits: c.Bits, Encrypted: m.Encrypted, Mode: "0600"},
		Certificate: certJSON{Path: c.CertPath, CommonName: cert.Subject.CommonName, SHA256: cred.Fingerprint(cert),
			NotAfter: cert.NotAfter.UTC().Format(time.RFC3339), Days: c.Days},
		SpecLine: specLine,
	}
}

// initResult is init's result.
type initResult struct {
	Spec   string      `json:"spec"`
	Schema string      `json:"schema"`
	Cert   *certResult `json:"cert"`
	// Next are the commands to run next, in order.
	Next []string `json:"next"`
}

// jwtResult is jwt's result: the assertion the user asked for (a
// credential for three minutes, as on stdout without --json) and its
// claims.
type jwtResult struct {
	Assertion string `json:"assertion"`
	Issuer    string `json:"iss"`
	Subject   string `json:"sub"`
	Audience  string `json:"aud"`
	Expires   int64  `json:"exp"`
	// VerifiedWith is the certificate the signature was verified with.
	VerifiedWith *certJSON `json:"verifiedWith"`
}

// schemaResult is schema's result: the JSON Schema itself.
type schemaResult struct {
	Schema json.RawMessage `json:"schema"`
}
