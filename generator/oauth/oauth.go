// Package oauth asks Salesforce's token endpoint for an access token with
// the JWT bearer flow, the way the Interaction Service's partner does: one
// POST of a signed assertion to <login URL>/services/oauth2/token. It talks
// https only (plain http to loopback, for tests), follows no redirect,
// waits a bounded time and reads a bounded answer, and turns Salesforce's
// OAuth error answers into the fixes of the explain table.
package oauth

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"mime"
	"net"
	"net/http"
	"net/url"
	"sort"
	"strings"
	"time"

	"github.com/byocpack/byocpack/generator/cred"
	"github.com/byocpack/byocpack/generator/explain"
	"github.com/byocpack/byocpack/internal/strictjson"
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
		dialer := &net.Dialer{Timeout: timeout}
		transport = &http.Transport{Proxy: http.ProxyFromEnvironment, ForceAttemptHTTP2: true,
			TLSHandshakeTimeout: 10 * time.Second, ResponseHeaderTimeout: timeout,
			DialContext: func(ctx context.Context, network, addr string) (net.Conn, error) {
				return dialer.DialContext(ctx, network, cred.LoopbackAddr(addr))
			}}
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
	return readAnswer(resp.StatusCode, resp.Header.Get("Content-Type"), data, endpoint)
}

// readAnswer turns the token endpoint's answer into a token or an error.
// The access token is a secret and an odd answer may carry one anywhere,
// so no message ever quotes the body: an answer that is not what
// Salesforce sends is described by its status, kind, size and key names.
func readAnswer(status int, contentType string, data []byte, endpoint string) (*Token, error) {
	top, isObject := jsonObject(data)
	_, hasToken := top["access_token"]
	if status != http.StatusOK {
		if hasToken {
			return nil, fmt.Errorf("%s answered HTTP %d carrying an access token (not shown); Salesforce grants a token only with HTTP 200, so byocpack does not take it: check the login URL", endpoint, status)
		}
		return nil, errorAnswer(status, top, isObject, contentType, data, endpoint)
	}
	if !isObject {
		return nil, fmt.Errorf("%s answered HTTP 200 with %s, not one JSON object; it is not a token answer: check the login URL", endpoint, shape(contentType, data, nil))
	}
	var t Token
	var scope string
	for _, f := range []struct {
		key string
		dst *string
	}{{"access_token", &t.AccessToken}, {"instance_url", &t.InstanceURL}, {"id", &t.ID},
		{"token_type", &t.TokenType}, {"scope", &scope}, {"issued_at", &t.IssuedAt}} {
		raw, ok := top[f.key]
		if !ok {
			continue
		}
		if err := json.Unmarshal(raw, f.dst); err != nil {
			return nil, fmt.Errorf("%s answered HTTP 200 with %q as %s, where Salesforce sends a string; it is not a token answer (values not shown)", endpoint, f.key, kindOf(raw))
		}
	}
	if t.AccessToken == "" {
		return nil, fmt.Errorf("%s answered HTTP 200 without a token (%s); check the login URL", endpoint, shape(contentType, data, top))
	}
	t.Scopes = strings.Fields(scope)
	return &t, nil
}

// jsonObject decodes data as exactly one JSON object, its values raw.
func jsonObject(data []byte) (map[string]json.RawMessage, bool) {
	var top map[string]json.RawMessage
	if strictjson.Unmarshal(data, &top) != nil || top == nil {
		return nil, false
	}
	return top, true
}

func errorAnswer(status int, top map[string]json.RawMessage, isObject bool, contentType string, data []byte, endpoint string) error {
	var e Error
	if isObject {
		_ = json.Unmarshal(top["error"], &e.Code)
		_ = json.Unmarshal(top["error_description"], &e.Description)
	}
	if e.Code == "" {
		return fmt.Errorf("%s answered HTTP %d without an OAuth error (%s); check the login URL", endpoint, status, shape(contentType, data, top))
	}
	e.Status = status
	e.Known = explain.Match(e.Code + ": " + e.Description)
	return &e
}

// shape describes an unexpected answer without its values: its media
// type, size and, for a JSON object, its key names.
func shape(contentType string, data []byte, top map[string]json.RawMessage) string {
	if len(data) == 0 {
		return "an empty body"
	}
	kind := "a body"
	if mt, _, err := mime.ParseMediaType(contentType); err == nil && mt != "" {
		kind = "a " + mt + " body"
	}
	s := fmt.Sprintf("%s of %d bytes", kind, len(data))
	if top == nil {
		return s
	}
	var keys []string
	for k := range top {
		if plainKey(k) {
			keys = append(keys, k)
		}
	}
	sort.Strings(keys)
	if len(keys) > 8 {
		keys = append(keys[:8], "…")
	}
	if len(keys) == 0 {
		return s + ", a JSON object"
	}
	return s + ", a JSON object with the keys " + strings.Join(keys, ", ") + " (values not shown)"
}

// plainKey is a key name safe and short enough to show.
func plainKey(k string) bool {
	if k == "" || len(k) > 40 {
		return false
	}
	for _, r := range k {
		if !(r == '_' || r == '-' || r >= 'a' && r <= 'z' || r >= 'A' && r <= 'Z' || r >= '0' && r <= '9') {
			return false
		}
	}
	return true
}

// kindOf names the JSON kind of raw, for a message.
func kindOf(raw json.RawMessage) string {
	switch b := bytes.TrimSpace(raw); {
	case len(b) == 0:
		return "nothing"
	case b[0] == '"':
		return "a string"
	case b[0] == '[':
		return "an array"
	case b[0] == '{':
		return "an object"
	case b[0] == 't' || b[0] == 'f':
		return "a boolean"
	case b[0] == 'n':
		return "null"
	}
	return "a number"
}
