// Package oauthtest is a loopback stand-in for Salesforce's token
// endpoint, for tests of the JWT bearer flow that must never reach the
// internet. It checks the request as Salesforce does (POST, form, grant
// type, the assertion's RS256 signature with the app's certificate, the
// audience, exp) and answers by username with each error shape.
package oauthtest

import (
	"crypto/x509"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
	"time"

	"github.com/byocpack/byocpack/generator/cred"
)

// What the server knows.
const (
	// ClientID is the consumer key it accepts; any other is
	// invalid_client_id.
	ClientID = "3MVG9test.consumer"
	// AccessToken is what a good request gets.
	AccessToken = "00D000000000001!TOPSECRET"
	InstanceURL = "https://acme.my.salesforce.com"
)

// Usernames that pick an answer; any other gets a token.
const (
	UserUnapproved = "unapproved@acme.example" // invalid_grant: user hasn't approved this consumer
	UserNoApp      = "noapp@acme.example"      // app_not_found: External client app is not installed
	UserNoScope    = "noscope@acme.example"    // a token without interaction_api
	UserHTML       = "html@acme.example"       // HTTP 503 with an HTML page
	UserHuge       = "huge@acme.example"       // an answer over 1 MiB
	UserRedirect   = "redirect@acme.example"   // a redirect to plain http
	UserSlow       = "slow@acme.example"       // no answer for 5 seconds
)

// New starts the server; its URL is the login URL and the audience it
// expects. It stops when the test ends.
func New(t testing.TB, cert *x509.Certificate) *httptest.Server {
	t.Helper()
	var srv *httptest.Server
	srv = httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		answer := func(status int, body string) {
			w.Header().Set("Content-Type", "application/json")
			w.WriteHeader(status)
			_, _ = w.Write([]byte(body))
		}
		oauthError := func(code, desc string) {
			answer(http.StatusBadRequest, `{"error":"`+code+`","error_description":"`+desc+`"}`)
		}
		if r.Method != http.MethodPost || r.URL.Path != "/services/oauth2/token" || r.Header.Get("Content-Type") != "application/x-www-form-urlencoded" {
			oauthError("invalid_request", "wrong method, path or content type")
			return
		}
		if err := r.ParseForm(); err != nil || r.PostForm.Get("grant_type") != "urn:ietf:params:oauth:grant-type:jwt-bearer" {
			oauthError("unsupported_grant_type", "grant type not supported")
			return
		}
		c, err := cred.VerifyWithCertificate(r.PostForm.Get("assertion"), cert)
		switch {
		case err != nil:
			oauthError("invalid_grant", "invalid assertion")
			return
		case c.Audience != srv.URL:
			oauthError("invalid_grant", "audience is invalid  [audience="+c.Audience+" login=***/]")
			return
		case len(c.Problems(time.Now(), 5*time.Second)) > 0:
			oauthError("invalid_grant", "expired authorization code")
			return
		case c.Issuer != ClientID:
			oauthError("invalid_client_id", "client identifier invalid")
			return
		}
		token := func(scope string) {
			answer(http.StatusOK, `{"access_token":"`+AccessToken+`","instance_url":"`+InstanceURL+`","id":"https://login.salesforce.com/id/00D000000000001/005000000000001","token_type":"Bearer","scope":"`+scope+`","issued_at":"1800000000000"}`)
		}
		switch c.Subject {
		case UserUnapproved:
			oauthError("invalid_grant", "user hasn't approved this consumer")
		case UserNoApp:
			oauthError("app_not_found", "External client app is not installed in this org")
		case UserNoScope:
			token("api")
		case UserHTML:
			w.WriteHeader(http.StatusServiceUnavailable)
			_, _ = w.Write([]byte("<html><body>Down for maintenance</body></html>"))
		case UserHuge:
			answer(http.StatusOK, `{"access_token":"`+strings.Repeat("x", 1<<20)+`"}`)
		case UserRedirect:
			http.Redirect(w, r, "http://elsewhere.example/services/oauth2/token", http.StatusTemporaryRedirect)
		case UserSlow:
			select {
			case <-r.Context().Done():
			case <-time.After(5 * time.Second):
			}
		default:
			token("interaction_api api")
		}
	}))
	t.Cleanup(srv.Close)
	return srv
}
