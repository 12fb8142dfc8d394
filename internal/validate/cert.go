package validate

import (
	"crypto/rsa"
	"crypto/x509"
	"encoding/base64"
	"encoding/pem"
	"strings"
	"sync"

	"github.com/byocpack/byocpack/internal/diag"
)

// minRSABits follows Salesforce's certificate recipe (RSA 2048, SHA-256).
const minRSABits = 2048

// parseCertText accepts what the certificate elements hold in practice:
// full PEM contents, or only the base64 body some tools write.
func parseCertText(s string) (*x509.Certificate, string) {
	s = strings.TrimSpace(s)
	var der []byte
	if strings.Contains(s, "-----BEGIN") {
		block, _ := pem.Decode([]byte(s))
		if block == nil {
			return nil, "the PEM block is damaged"
		}
		if block.Type != "CERTIFICATE" {
			return nil, "the PEM block is " + block.Type + ", not CERTIFICATE"
		}
		der = block.Bytes
	} else {
		b, err := base64.StdEncoding.DecodeString(strings.Join(strings.Fields(s), ""))
		if err != nil {
			return nil, "it is neither PEM nor base64"
		}
		der = b
	}
	c, err := x509.ParseCertificate(der)
	if err != nil {
		return nil, err.Error()
	}
	return c, ""
}

// certCache parses each distinct certificate text once per run: a
// certificate is read by the per-file pass and again by the BYOC rules,
// and a repository often carries the same one in many files. Parsing was
// two thirds of the BYOC rules' time per file.
type certCache struct {
	mu   sync.Mutex
	seen map[string]certResult
}

type certResult struct {
	cert *x509.Certificate
	why  string
}

// maxCachedCert keeps the cache to certificate-sized texts; anything
// larger is parsed each time.
const maxCachedCert = 16 << 10

func (c *certCache) parse(s string) (*x509.Certificate, string) {
	if len(s) > maxCachedCert {
		return parseCertText(s)
	}
	c.mu.Lock()
	res, ok := c.seen[s]
	c.mu.Unlock()
	if ok {
		return res.cert, res.why
	}
	res.cert, res.why = parseCertText(s)
	c.mu.Lock()
	if c.seen == nil {
		c.seen = map[string]certResult{}
	}
	c.seen[s] = res
	c.mu.Unlock()
	return res.cert, res.why
}

// certParses reports a certificate in element n that does not parse: an
// app with such a certificate is refused, whatever it is for.
func (r *run) certParses(f File, n *node) []diag.Problem {
	if _, why := r.certs.parse(n.Text); why != "" {
		return []diag.Problem{r.problem(RuleCert, f, n,
			"certificate does not parse (%s); paste the PEM contents of server.crt (-----BEGIN CERTIFICATE----- …)", why)}
	}
	return nil
}

// byocCert judges the certificate of the Interaction Service's app, in
// parent's certificate element, against Salesforce's recipe for the JWT
// bearer flow. Salesforce itself does not refuse an expired certificate,
// so byocpack is the only place this is caught before tokens stop working
// for subscribers. One that does not parse is certParses's.
func (r *run) byocCert(d doc, parent *node) []diag.Problem {
	n := parent.child("certificate")
	if n == nil || n.Text == "" {
		return nil
	}
	c, _ := r.certs.parse(n.Text)
	if c == nil {
		return nil
	}
	var ps []diag.Problem
	if k, ok := c.PublicKey.(*rsa.PublicKey); !ok {
		ps = append(ps, r.problem(RuleCert, d.File, n,
			"certificate key is %s, but the JWT bearer flow signs with RS256; issue an RSA 2048-bit certificate", c.PublicKeyAlgorithm))
	} else if bits := k.N.BitLen(); bits < minRSABits {
		ps = append(ps, r.problem(RuleCert, d.File, n,
			"certificate RSA key is %d bits, under %d; issue a new certificate with an RSA 2048-bit key", bits, minRSABits))
	}
	const day = "2006-01-02"
	switch {
	case r.now.After(c.NotAfter):
		ps = append(ps, r.problem(RuleCertValidity, d.File, n,
			"certificate expired on %s; issue a new certificate and upload it", c.NotAfter.UTC().Format(day)))
	case r.now.Before(c.NotBefore):
		ps = append(ps, r.problem(RuleCertValidity, d.File, n,
			"certificate is not valid before %s; issue one that is valid now", c.NotBefore.UTC().Format(day)))
	}
	return ps
}
