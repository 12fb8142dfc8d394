package cred

import "testing"

// TestPlainHTTPOnlyToLoopbackLiterals is the regression test of issue 16
// row 16: a name the resolver would send to DNS ("localhost." and its
// like) never passes the https-only rule.
func TestPlainHTTPOnlyToLoopbackLiterals(t *testing.T) {
	for _, u := range []string{"http://localhost", "http://localhost:8080", "http://LOCALHOST:1", "http://127.0.0.1:5",
		"http://127.8.9.10", "http://[::1]:443"} {
		if _, err := CheckLoginURL(u); err != nil {
			t.Errorf("login URL %s: %v", u, err)
		}
		if _, err := CheckAudience(u); err != nil {
			t.Errorf("audience %s: %v", u, err)
		}
	}
	for _, u := range []string{"http://localhost.", "http://localhost.:8080", "http://LocalHost./x", "http://127.0.0.1.",
		"http://localhost.localdomain", "http://foo.localhost", "http://127.1", "http://0x7f000001", "http://2130706433",
		"http://[::1%25lo]", "http://0.0.0.0", "http://[::]", "http://localhost%2e", "http://127.0.0.1%2e:80"} {
		if _, err := CheckLoginURL(u); err == nil {
			t.Errorf("login URL %s passed the https-only rule", u)
		}
		if _, err := CheckAudience(u); err == nil {
			t.Errorf("audience %s passed the https-only rule", u)
		}
	}
}

// TestLoopbackNameIsDialedWithoutAResolver: the name localhost is dialed
// as 127.0.0.1, so no resolver (nor DNS) ever sees it.
func TestLoopbackNameIsDialedWithoutAResolver(t *testing.T) {
	for addr, want := range map[string]string{"localhost:80": "127.0.0.1:80", "LocalHost:1": "127.0.0.1:1",
		"localhost.:80": "localhost.:80", "[::1]:8": "[::1]:8", "login.salesforce.com:443": "login.salesforce.com:443"} {
		if got := LoopbackAddr(addr); got != want {
			t.Errorf("LoopbackAddr(%s) = %s, want %s", addr, got, want)
		}
	}
}
