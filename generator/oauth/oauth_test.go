package oauth

import (
	"context"
	"crypto/rsa"
	"errors"
	"net/http/httptest"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/byocpack/byocpack/generator/cred"
	"github.com/byocpack/byocpack/generator/oauth/oauthtest"
)

var testKey = sync.OnceValue(func() *rsa.PrivateKey {
	k, err := cred.GenerateKey(2048)
	if err != nil {
		panic(err)
	}
	return k
})

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
	return oauthtest.New(t, cert)
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
	tok, err := exchange(t, srv, oauthtest.ClientID, "integration@acme.example", 0)
	if err != nil {
		t.Fatal(err)
	}
	if tok.AccessToken != oauthtest.AccessToken || tok.InstanceURL != oauthtest.InstanceURL || tok.TokenType != "Bearer" || !tok.HasScope("interaction_api") || tok.HasScope("refresh_token") {
		t.Errorf("token: %+v", tok)
	}
}

func TestExchangeMapsEachErrorAnswer(t *testing.T) {
	srv := fakeSalesforce(t)
	for _, tc := range []struct {
		clientID, user string
		code, known    string
	}{
		{oauthtest.ClientID, oauthtest.UserUnapproved, "invalid_grant", "user-not-approved"},
		{oauthtest.ClientID, oauthtest.UserNoApp, "app_not_found", "app-not-installed"},
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
	wrongAud, _, _ := cred.Sign(testKey(), cred.AssertionOptions{ClientID: oauthtest.ClientID, Username: "u@acme.example", Audience: cred.ProductionLoginURL})
	_, err := Exchange(context.Background(), Request{LoginURL: srv.URL, Assertion: wrongAud})
	var oe *Error
	if !errors.As(err, &oe) || len(oe.Known) == 0 || oe.Known[0].ID != "audience-invalid" {
		t.Errorf("wrong audience: %v", err)
	}
	expired, _, _ := cred.Sign(testKey(), cred.AssertionOptions{ClientID: oauthtest.ClientID, Username: "u@acme.example", Audience: srv.URL, Now: time.Now().Add(-time.Hour)})
	_, err = Exchange(context.Background(), Request{LoginURL: srv.URL, Assertion: expired})
	if !errors.As(err, &oe) || len(oe.Known) == 0 || oe.Known[0].ID != "expired-authorization-code" {
		t.Errorf("expired assertion: %v", err)
	}
	other, _ := cred.GenerateKey(2048)
	badSig, _, _ := cred.Sign(other, cred.AssertionOptions{ClientID: oauthtest.ClientID, Username: "u@acme.example", Audience: srv.URL})
	_, err = Exchange(context.Background(), Request{LoginURL: srv.URL, Assertion: badSig})
	if !errors.As(err, &oe) || oe.Description != "invalid assertion" || len(oe.Known) == 0 || oe.Known[0].ID != "invalid-assertion" {
		t.Errorf("signed with another key: %v", err)
	}
}

func TestExchangeRefusesWhatIsNotSalesforce(t *testing.T) {
	srv := fakeSalesforce(t)
	for user, want := range map[string]string{
		oauthtest.UserHTML:     "HTTP 503 without an OAuth error",
		oauthtest.UserHuge:     "over 1048576 bytes",
		oauthtest.UserRedirect: "redirected to http://elsewhere.example",
	} {
		_, err := exchange(t, srv, oauthtest.ClientID, user, 0)
		if err == nil || !strings.Contains(err.Error(), want) {
			t.Errorf("%s: %v, want %q", user, err, want)
		}
	}
	start := time.Now()
	if _, err := exchange(t, srv, oauthtest.ClientID, oauthtest.UserSlow, 300*time.Millisecond); err == nil || time.Since(start) > 1500*time.Millisecond {
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
