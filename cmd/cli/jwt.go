package cli

import (
	"fmt"
	"io"
	"time"

	"github.com/spf13/cobra"
	"github.com/spf13/pflag"

	"github.com/byocpack/byocpack/generator"
	"github.com/byocpack/byocpack/generator/cred"
	"github.com/byocpack/byocpack/generator/escape"
)

// assertionFlags are what a JWT bearer assertion is made of; jwt and
// token share them.
type assertionFlags struct {
	KeyPath    string
	ClientID   string
	User       string
	Audience   string
	TTL        time.Duration
	Passphrase generator.Passphrase
}

func (a *assertionFlags) register(f *pflag.FlagSet, audienceDefault string) {
	f.StringVar(&a.KeyPath, "key", "", "the private key that signs the assertion (PKCS#8 or PKCS#1 PEM, encrypted or not)")
	f.StringVar(&a.ClientID, "client-id", "", "the app's consumer key (iss)")
	f.StringVar(&a.User, "user", "", "username of a user the app pre-authorizes (sub)")
	f.StringVar(&a.Audience, "audience", "", "aud: "+audienceDefault)
	f.DurationVar(&a.TTL, "ttl", cred.MaxTTL, "how long the assertion is valid, at most 3m")
	registerPassphrase(f, &a.Passphrase, "decrypts the key")
}

// check refuses, as usage errors, what Salesforce would refuse.
func (a *assertionFlags) check() error {
	for _, f := range []struct{ name, v string }{{"--key", a.KeyPath}, {"--client-id", a.ClientID}, {"--user", a.User}} {
		if f.v == "" {
			return usageErrorf("%s is required", f.name)
		}
	}
	if err := cred.CheckTTL(a.TTL); err != nil {
		return usageErrorf("--ttl: %v", err)
	}
	if _, err := cred.CheckAudience(a.Audience); err != nil {
		return usageErrorf("--audience: %v", err)
	}
	return a.Passphrase.Check()
}

// sign reads the key and signs the assertion; a key shorter than
// Salesforce's 2048 bits is a warning on warn.
func (a *assertionFlags) sign(now time.Time, warn io.Writer) (string, cred.Claims, error) {
	key, err := generator.LoadKey(a.KeyPath, a.Passphrase)
	if err != nil {
		return "", cred.Claims{}, err
	}
	if w := cred.WeakKey(key); w != "" {
		fmt.Fprintf(warn, "warning: %s: %s\n", a.KeyPath, w)
	}
	return cred.Sign(key, cred.AssertionOptions{ClientID: a.ClientID, Username: a.User, Audience: a.Audience, TTL: a.TTL, Now: now})
}

// JWTOptions are the inputs of jwt.
type JWTOptions struct {
	IO IO
	assertionFlags
	// CertPath, when set, verifies the assertion with the app's
	// certificate.
	CertPath string
	Now      time.Time
	JSON     bool
}

// NewCmdJWT signs a JWT bearer assertion.
func NewCmdJWT(io IO, runF func(*JWTOptions) error) *cobra.Command {
	opts := &JWTOptions{IO: io}
	cmd := &cobra.Command{
		Use:   "jwt",
		Short: "Sign the RS256 JWT bearer assertion that buys an access token",
		Long: `Sign the assertion of Salesforce's OAuth 2.0 JWT bearer flow with the
private key: header {"alg":"RS256"}, claims iss (the app's consumer key),
sub (the username), aud (the login URL) and exp, in seconds, at most 3
minutes ahead. The assertion goes to stdout, what it says to stderr.

Refused, saying why: a TTL over 3 minutes, and for the login hosts
(login.salesforce.com, test.salesforce.com, *.my.salesforce.com) an audience
with a trailing slash, a path or plain http. An Experience Cloud site URL
keeps its path. With --cert the signature is verified with the app's
certificate, which proves the key and the certificate belong together.`,
		Example: `  byocpack jwt --key ../acme-server.key --client-id 3MVG9... --user integration@acme.example --cert certs/server.crt
  byocpack jwt --key ../acme-server.key --client-id 3MVG9... --user ops@acme.example.dev --audience https://test.salesforce.com`,
		Args: noArgs,
		RunE: func(cmd *cobra.Command, args []string) error {
			if opts.Audience == "" {
				opts.Audience = cred.ProductionLoginURL
			}
			if err := opts.check(); err != nil {
				return err
			}
			if runF != nil {
				return runF(opts)
			}
			return runJWT(opts)
		},
	}
	opts.register(cmd.Flags(), "the login URL (default https://login.salesforce.com; https://test.salesforce.com for a sandbox)")
	cmd.Flags().StringVar(&opts.CertPath, "cert", "", "verify the assertion with this certificate (the app's server.crt)")
	cmd.Flags().BoolVar(&opts.JSON, "json", false, "print the assertion and its claims as JSON")
	return cmd
}

func runJWT(opts *JWTOptions) error {
	now := opts.Now
	if now.IsZero() {
		now = time.Now()
	}
	token, claims, err := opts.sign(now, opts.IO.Err)
	if err != nil {
		return err
	}
	verified := ""
	var verifiedWith *certJSON
	if opts.CertPath != "" {
		data, err := generator.ReadCredentialFile(opts.CertPath)
		if err != nil {
			return fmt.Errorf("--cert: %w", err)
		}
		cert, err := cred.ParseCertificate(data)
		if err != nil {
			return fmt.Errorf("%s: %w", opts.CertPath, err)
		}
		if _, err := cred.VerifyWithCertificate(token, cert); err != nil {
			// Most often a rotated pair mixed up: server-2.crt with the old key.
			return fmt.Errorf("%s: %w; the key %s is not this certificate's: pass the key made with it (after cert rotate, the numbered key beside the old one, such as ../PREFIX-server-2.key for certs/server-2.crt), or make a new pair with byocpack cert and deploy its certificate", opts.CertPath, err, opts.KeyPath)
		}
		verified = fmt.Sprintf("; signature verified with %s (SHA-256 %s)", opts.CertPath, cred.Fingerprint(cert))
		verifiedWith = &certJSON{Path: opts.CertPath, CommonName: cert.Subject.CommonName, SHA256: cred.Fingerprint(cert), NotAfter: cert.NotAfter.UTC().Format(time.RFC3339)}
	}
	if opts.JSON {
		return emit(opts.IO.Out, "jwt", statusOK, exitOK, jwtResult{Assertion: token, Issuer: claims.Issuer, Subject: claims.Subject,
			Audience: claims.Audience, Expires: claims.Expires, VerifiedWith: verifiedWith}, nil)
	}
	fmt.Fprintln(opts.IO.Out, token)
	fmt.Fprintf(opts.IO.Err, "signed RS256: iss=%s sub=%s aud=%s exp=%d (%s, in %s)%s\n",
		escape.Line(claims.Issuer), escape.Line(claims.Subject), escape.Line(claims.Audience), claims.Expires,
		time.Unix(claims.Expires, 0).UTC().Format(time.RFC3339), time.Unix(claims.Expires, 0).Sub(now).Round(time.Second), verified)
	return nil
}
