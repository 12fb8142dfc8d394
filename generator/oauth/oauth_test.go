package oauth

import (
	"context"
	"crypto/rsa"
	"errors"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync"
	"testing"
	"time"

	"byocpack/generator/cred"
)

var testKey = sync.OnceValue(func() *rsa.PrivateKey {
	k, err := cred.GenerateKey(2048)
	if err != nil {
		panic(err)
	}
	return k
})

// FakeSalesforce answers the token endpoint the way Salesforce does: it
// checks the form and the assertion's signature with the app's
// certificate, and answers with the error the username asks for.
func fakeSalesforce(t *testing.T) *httptest.Server {
	t.Helper()
	certPEM, _, err := cred.SelfSign(testKey(), cred.CertOptions{CommonName: "test", Days: 1})
	if err != nil {
		t.Fatal(err)
	}
	cert, err := cred.ParseCertificate(certPEM)
	if err != nil {
		t.Fatal(err)
	}
	var srv *httptest.Server
	srv = httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		fail := func(status int, code, desc string) {
			w.Header().Set("Content-Type", "application/json")
			w.WriteHeader(status)
			_, _ = w.Write([]byte(`{"error":"` + code + `","error_description":"` + desc + `"}`))
		}
		if r.Method != http.MethodPost || r.URL.Path != TokenPath || r.Header.Get("Content-Type") != "application/x-www-form-urlencoded" {
			fail(http.StatusBadRequest, "invalid_request", "wrong method, path or content type")
			return
		}
		if err := r.ParseForm(); err != nil || r.PostForm.Get("grant_type") != GrantType {
			fail(http.StatusBadRequest, "unsupported_grant_type", "grant type not supported")
			return
		}
		claims, err := cred.Verify(r.PostForm.Get("assertion"), cert.PublicKey.(*rsa.PublicKey))
		if err != nil {
			fail(http.StatusBadRequest, "invalid_grant", "invalid assertion")
			return
		}
		if claims.Audience != srv.URL {
			fail(http.StatusBadRequest, "invalid_grant", "audience is invalid  [audience="+claims.Audience+" login=***/]")
			return
		}
		if ps := claims.Problems(time.Now(), 5*time.Second); len(ps) > 0 {
			fail(http.StatusBadRequest, "invalid_grant", "expired authorization code")
			return
		}
		switch claims.Subject {
		case "unapproved@acme.example":
			fail(http.StatusBadRequest, "invalid_grant", "user hasn't approved this consumer")
		case "local@acme.example":
			fail(http.StatusBadRequest, "app_not_found", "External client app is not installed in this org")
		case "html@acme.example":
			w.WriteHeader(http.StatusServiceUnavailable)
			_, _ = w.Write([]byte("<html><body>Down for maintenance</body></html>"))
		case "huge@acme.example":
			_, _ = w.Write([]byte(`{"access_token":"` + strings.Repeat("x", MaxResponseBytes) + `"}`))
		case "redirect@acme.example":
			http.Redirect(w, r, "http://elsewhere.example/services/oauth2/token", http.StatusTemporaryRedirect)
		case "slow@acme.example":
			select {
			case <-r.Context().Done():
			case <-time.After(5 * time.Second):
			}
		default:
			if claims.Issuer != "3MVG9good" {
				fail(http.StatusBadRequest, "invalid_client_id", "client identifier invalid")
				return
			}
			w.Header().Set("Content-Type", "application/json")
			_, _ = w.Write([]byte(`{"access_token":"00D000000000001!SECRET","instance_url":"https://acme.my.salesforce.com","id":"https://login.salesforce.com/id/00D/005","token_type":"Bearer","scope":"interaction_api api","issued_at":"1800000000000"}`))
		}
	}))
	t.Cleanup(srv.Close)
	return srv
}

func exchange(t *testing.T, srv *httptest.Server, clientID, user string, timeout time.Duration) (*Token, error) {
	t.Helper()
	assertion, _, err := cred.Sign(testKey(), cred.AssertionOptions{ClientID: clientID, Username: user, Audience: srv.URL})
	if err != nil {
		t.Fatal(err)
	}
	return Exchange(context.Background(), Request{LoginURL: srv.URL, Assertion: assertion, Timeout: timeout})
}

func TestExchangeReturnsTheToken(t *testing.T) {
	srv := fakeSalesforce(t)
	tok, err := exchange(t, srv, "3MVG9good", "integration@acme.example", 0)
	if err != nil {
		t.Fatal(err)
	}
	if tok.AccessToken != "00D000000000001!SECRET" || tok.InstanceURL != "https://acme.my.salesforce.com" || tok.TokenType != "Bearer" || !tok.HasScope("interaction_api") || tok.HasScope("refresh_token") {
		t.Errorf("token: %+v", tok)
	}
}

func TestExchangeMapsEachErrorAnswer(t *testing.T) {
	srv := fakeSalesforce(t)
	for _, tc := range []struct {
		clientID, user string
		code, known    string
	}{
		{"3MVG9good", "unapproved@acme.example", "invalid_grant", "user-not-approved"},
		{"3MVG9good", "local@acme.example", "app_not_found", "app-not-installed"},
		{"wrong", "integration@acme.example", "invalid_client_id", "invalid-client-id"},
	} {
		_, err := exchange(t, srv, tc.clientID, tc.user, 0)
		var oe *Error
		if !errors.As(err, &oe) || oe.Code != tc.code || oe.Status != 400 || len(oe.Known) == 0 || oe.Known[0].ID != tc.known {
			t.Errorf("%s: %v (%+v)", tc.user, err, oe)
		}
	}

	// An audience the server does not take and an exp in milliseconds are
	// caught by cred before anything is sent; a hand-made assertion shows
	// the server's answers.
	wrongAud, _, _ := cred.Sign(testKey(), cred.AssertionOptions{ClientID: "3MVG9good", Username: "u@acme.example", Audience: cred.ProductionLoginURL})
	_, err := Exchange(context.Background(), Request{LoginURL: srv.URL, Assertion: wrongAud})
	var oe *Error
	if !errors.As(err, &oe) || len(oe.Known) == 0 || oe.Known[0].ID != "audience-invalid" {
		t.Errorf("wrong audience: %v", err)
	}
	expired, _, _ := cred.Sign(testKey(), cred.AssertionOptions{ClientID: "3MVG9good", Username: "u@acme.example", Audience: srv.URL, Now: time.Now().Add(-time.Hour)})
	_, err = Exchange(context.Background(), Request{LoginURL: srv.URL, Assertion: expired})
	if !errors.As(err, &oe) || len(oe.Known) == 0 || oe.Known[0].ID != "expired-authorization-code" {
		t.Errorf("expired assertion: %v", err)
	}
	other, _ := cred.GenerateKey(2048)
	badSig, _, _ := cred.Sign(other, cred.AssertionOptions{ClientID: "3MVG9good", Username: "u@acme.example", Audience: srv.URL})
	_, err = Exchange(context.Background(), Request{LoginURL: srv.URL, Assertion: badSig})
	if !errors.As(err, &oe) || oe.Description != "invalid assertion" || len(oe.Known) != 0 {
		t.Errorf("signed with another key: %v", err)
	}
}

func TestExchangeRefusesWhatIsNotSalesforce(t *testing.T) {
	srv := fakeSalesforce(t)
	for user, want := range map[string]string{
		"html@acme.example":     "HTTP 503 without an OAuth error",
		"huge@acme.example":     "over 1048576 bytes",
		"redirect@acme.example": "redirected to http://elsewhere.example",
	} {
		_, err := exchange(t, srv, "3MVG9good", user, 0)
		if err == nil || !strings.Contains(err.Error(), want) {
			t.Errorf("%s: %v, want %q", user, err, want)
		}
	}
	start := time.Now()
	if _, err := exchange(t, srv, "3MVG9good", "slow@acme.example", 300*time.Millisecond); err == nil || time.Since(start) > 1500*time.Millisecond {
		t.Errorf("slow server: %v after %s", err, time.Since(start))
	}
	for _, login := range []string{"http://login.salesforce.com", "http://10.0.0.1:8080", "ftp://x"} {
		if _, err := Exchange(context.Background(), Request{LoginURL: login, Assertion: "a.b.c"}); err == nil {
			t.Errorf("%s: sent over a forbidden scheme", login)
		}
	}
	if _, err := Exchange(context.Background(), Request{LoginURL: srv.URL, Assertion: "a.b.c", Timeout: time.Hour}); err == nil {
		t.Error("an hour-long timeout was accepted")
	}
}
