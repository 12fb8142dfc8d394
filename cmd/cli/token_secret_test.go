package cli

import (
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"

	"github.com/byocpack/byocpack/generator/oauth/oauthtest"
)

// oddAnswers are token answers Salesforce never sends, each carrying the
// access token somewhere; the path below the login URL picks one.
var oddAnswers = map[string]struct {
	status int
	body   string
}{
	"numeric-issued-at": {200, `{"access_token":"` + oddSecret + `","instance_url":"https://x.my.salesforce.com","token_type":"Bearer","issued_at":1700000000000}`},
	"scope-array":       {200, `{"access_token":"` + oddSecret + `","instance_url":"https://x.my.salesforce.com","token_type":"Bearer","scope":["api","interaction_api"]}`},
	"trailing-bytes":    {200, `{"access_token":"` + oddSecret + `","token_type":"Bearer"} trailing ` + oddSecret},
	"not-json":          {200, `access_token=` + oddSecret},
	"created":           {201, `{"access_token":"` + oddSecret + `","token_type":"Bearer"}`},
	"bad-request":       {400, `{"access_token":"` + oddSecret + `"}`},
	"error-and-token":   {400, `{"error":"invalid_grant","error_description":"x","access_token":"` + oddSecret + `"}`},
	"html":              {503, `<html><body>` + oddSecret + `</body></html>`},
}

const oddSecret = "00DODDANSWER!SECRETVALUE"

// TestTokenNeverShowsTheTokenOfAnOddAnswer is the regression test of
// issue 16 row 3: whatever the server answers, the token stays hidden
// without --show-token, in text and in --json.
func TestTokenNeverShowsTheTokenOfAnOddAnswer(t *testing.T) {
	dir := t.TempDir()
	key, _ := makeCert(t, dir)
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		a, ok := oddAnswers[strings.TrimSuffix(strings.TrimPrefix(r.URL.Path, "/"), "/services/oauth2/token")]
		if !ok {
			http.NotFound(w, r)
			return
		}
		w.Header().Set("Content-Type", "application/json")
		w.WriteHeader(a.status)
		_, _ = w.Write([]byte(a.body))
	}))
	t.Cleanup(srv.Close)
	for name := range oddAnswers {
		for _, extra := range [][]string{nil, {"--json"}} {
			args := append([]string{"token", "--key", key, "--client-id", oauthtest.ClientID, "--user", "u@acme.example",
				"--login-url", srv.URL + "/" + name}, extra...)
			code, stdout, stderr := run(t, args...)
			if code == 0 {
				t.Errorf("%s %v: exit 0 for an answer Salesforce never sends:\n%s%s", name, extra, stdout, stderr)
			}
			if strings.Contains(stdout+stderr, "SECRETVALUE") {
				t.Errorf("%s %v: the access token was printed:\n%s%s", name, extra, stdout, stderr)
			}
		}
	}
}
