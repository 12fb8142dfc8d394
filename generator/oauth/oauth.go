// Package oauth asks Salesforce's token endpoint for an access token with
// the JWT bearer flow, the way the Interaction Service's partner does: one
// POST of a signed assertion to <login URL>/services/oauth2/token. It talks
// https only (plain http to loopback, for tests), follows no redirect,
// waits a bounded time and reads a bounded answer, and turns Salesforce's
// OAuth error answers into the fixes of the explain table.
package oauth

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net/http"
	"net/url"
	"strings"
	"time"

	"github.com/byocpack/byocpack/generator/cred"
	"github.com/byocpack/byocpack/generator/explain"
)

// GrantType is the JWT bearer grant (RFC 7523).
const GrantType = "urn:ietf:params:oauth:grant-type:jwt-bearer"

// TokenPath is the token endpoint below the login URL.
const TokenPath = "/services/oauth2/token"

// Limits of one request.
const (
	DefaultTimeout = 30 * time.Second
	MaxTimeout     = 2 * time.Minute
	// MaxResponseBytes bounds what is read of the answer; a token answer
	// is a few kilobytes.
	MaxResponseBytes = 1 << 20
)

// Request is one token request.
type Request struct {
	// LoginURL is https://login.salesforce.com, https://test.salesforce.com,
	// a My Domain or an Experience Cloud site URL.
	LoginURL string
	// Assertion is the signed JWT (cred.Sign).
	Assertion string
	// Timeout bounds the whole exchange (0: DefaultTimeout; at most
	// MaxTimeout).
	Timeout time.Duration
	// Transport sends the request (nil: a fresh http.Transport that uses
	// the environment's proxy settings). Tests pass a server's.
	Transport http.RoundTripper
}

// Token is a successful answer. AccessToken is a secret: callers show it
// only when asked to.
type Token struct {
	AccessToken string `json:"-"`
	InstanceURL string `json:"instance_url"`
	ID          string `json:"id,omitempty"`
	TokenType   string `json:"token_type"`
	// Scopes are the answer's space-separated scope, split.
	Scopes   []string `json:"scopes"`
	IssuedAt string   `json:"issued_at,omitempty"`
}

// HasScope reports whether the token grants scope (a token name, such as
// interaction_api).
func (t *Token) HasScope(scope string) bool {
	for _, s := range t.Scopes {
		if s == scope {
			return true
		}
	}
	return false
}

// Error is an OAuth error answer.
type Error struct {
	Status      int    `json:"status"`
	Code        string `json:"error"`
	Description string `json:"error_description"`
	// Known are the explain entries the answer matches, best first; empty
	// for an answer byocpack does not know.
	Known []explain.Entry `json:"-"`
}

func (e *Error) Error() string {
	msg := fmt.Sprintf("Salesforce refused the token request (HTTP %d): %s", e.Status, e.Code)
	if e.Description != "" {
		msg += ": " + e.Description
	}
	return msg
}

// Exchange posts the assertion and returns the token, an *Error for an
// OAuth error answer, or another error for a transport failure or an
// answer that is not Salesforce's.
func Exchange(ctx context.Context, req Request) (*Token, error) {
	form, err := cred.CheckLoginURL(req.LoginURL)
	if err != nil {
		return nil, err
	}
	timeout := req.Timeout
	switch {
	case timeout == 0:
		timeout = DefaultTimeout
	case timeout < 0 || timeout > MaxTimeout:
		return nil, fmt.Errorf("timeout %s is outside 0 to %s", timeout, MaxTimeout)
	}
	if req.Assertion == "" {
		return nil, errors.New("no assertion to send")
	}
	transport := req.Transport
	if transport == nil {
		transport = &http.Transport{Proxy: http.ProxyFromEnvironment, ForceAttemptHTTP2: true,
			TLSHandshakeTimeout: 10 * time.Second, ResponseHeaderTimeout: timeout}
	}
	client := &http.Client{
		Transport: transport,
		Timeout:   timeout,
		// A redirect would resend the assertion elsewhere, maybe over
		// plain http: the login URL must be the endpoint itself.
		CheckRedirect: func(r *http.Request, _ []*http.Request) error {
			return fmt.Errorf("the token endpoint redirected to %s; give that host as the login URL", r.URL.Redacted())
		},
	}
	body := url.Values{"grant_type": {GrantType}, "assertion": {req.Assertion}}.Encode()
	endpoint := form.String() + TokenPath
	hr, err := http.NewRequestWithContext(ctx, http.MethodPost, endpoint, strings.NewReader(body))
	if err != nil {
		return nil, err
	}
	hr.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	hr.Header.Set("Accept", "application/json")
	resp, err := client.Do(hr)
	if err != nil {
		return nil, fmt.Errorf("POST %s: %w", endpoint, err)
	}
	defer resp.Body.Close()
	data, err := io.ReadAll(io.LimitReader(resp.Body, MaxResponseBytes+1))
	if err != nil {
		return nil, fmt.Errorf("reading the answer of %s: %w", endpoint, err)
	}
	if len(data) > MaxResponseBytes {
		return nil, fmt.Errorf("the answer of %s is over %d bytes; it is not a token answer", endpoint, MaxResponseBytes)
	}
	if resp.StatusCode != http.StatusOK {
		return nil, errorAnswer(resp.StatusCode, data, endpoint)
	}
	var ans struct {
		AccessToken string `json:"access_token"`
		InstanceURL string `json:"instance_url"`
		ID          string `json:"id"`
		TokenType   string `json:"token_type"`
		Scope       string `json:"scope"`
		IssuedAt    string `json:"issued_at"`
	}
	if err := json.Unmarshal(data, &ans); err != nil || ans.AccessToken == "" {
		return nil, fmt.Errorf("%s answered HTTP 200 without a token (%s)", endpoint, excerpt(data))
	}
	return &Token{AccessToken: ans.AccessToken, InstanceURL: ans.InstanceURL, ID: ans.ID,
		TokenType: ans.TokenType, Scopes: strings.Fields(ans.Scope), IssuedAt: ans.IssuedAt}, nil
}

func errorAnswer(status int, data []byte, endpoint string) error {
	var e Error
	if err := json.Unmarshal(data, &e); err != nil || e.Code == "" {
		return fmt.Errorf("%s answered HTTP %d without an OAuth error (%s); check the login URL", endpoint, status, excerpt(data))
	}
	e.Status = status
	e.Known = explain.Match(e.Code + ": " + e.Description)
	return &e
}

// excerpt shows the start of an unexpected answer, on one line.
func excerpt(data []byte) string {
	s := strings.Join(strings.Fields(string(data)), " ")
	if len(s) > 200 {
		s = s[:200] + "…"
	}
	if s == "" {
		return "empty body"
	}
	return fmt.Sprintf("%q", s)
}
