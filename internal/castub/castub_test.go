package castub

import (
	"strings"
	"testing"

	"github.com/byocpack/byocpack/internal/xmldoc"
)

func TestIsAndMeant(t *testing.T) {
	for _, tc := range []struct {
		children    string
		is, meantAs bool
	}{
		{"developerName label version", true, true},
		{"version label developerName", true, true},
		{"developerName label", false, true},
		{"developerName label version version", false, true},
		{"developerName label version oauthConfig", false, true},
		{"label version oauthConfig", false, true},
		{"contactEmail label oauthConfig", false, false},
		{"label", false, false},
		{"", false, false},
	} {
		names := strings.Fields(tc.children)
		if got := Is(names); got != tc.is {
			t.Errorf("Is(%q) = %v", tc.children, got)
		}
		if got := Meant(names); got != tc.meantAs {
			t.Errorf("Meant(%q) = %v", tc.children, got)
		}
	}
}

func TestValidVersion(t *testing.T) {
	for v, want := range map[string]bool{"1.0": true, "2.3": true, "10.12": true, "0.1": true,
		"1": false, "v1.0": false, "1.0.0": false, "01.0": false, "1.": false, ".1": false, " 1.0": false, "": false} {
		if ValidVersion(v) != want {
			t.Errorf("ValidVersion(%q) = %v", v, !want)
		}
	}
}

const ns = `xmlns="http://soap.sforce.com/2006/04/metadata"`

func TestDetect(t *testing.T) {
	for doc, want := range map[string]bool{
		"<ConnectedApp " + ns + "><developerName>a__B</developerName><label>B</label><version>1.0</version></ConnectedApp>":                           true,
		"\xef\xbb\xbf<ConnectedApp " + ns + "><version>1.0</version><label>B</label><developerName>a__B</developerName></ConnectedApp>":               true,
		"<ConnectedApp><developerName>a__B</developerName><label>B</label><version>1.0</version></ConnectedApp>":                                      false, // no metadata namespace
		"<ExternalClientApplication " + ns + "><developerName>a__B</developerName><label>B</label><version>1.0</version></ExternalClientApplication>": false,
		"<ConnectedApp " + ns + "><developerName>a__B</developerName><label><x/></label><version>1.0</version></ConnectedApp>":                        false,
		"<ConnectedApp " + ns + "><contactEmail>a@b.c</contactEmail><label>B</label></ConnectedApp>":                                                  false,
		"<ConnectedApp " + ns + "><developerName>a__B</developerName>":                                                                                false,
	} {
		if Detect([]byte(doc)) != want {
			t.Errorf("Detect(%q) = %v", doc, !want)
		}
	}
}

func TestFormatWritesTheStubOrder(t *testing.T) {
	doc, err := xmldoc.Parse([]byte("<ConnectedApp " + ns + ">  <version>1.0</version><label>A &amp; B</label>\n<developerName>a__B</developerName></ConnectedApp>"))
	if err != nil {
		t.Fatal(err)
	}
	want := "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<ConnectedApp " + ns + ">\n    <developerName>a__B</developerName>\n    <label>A &amp; B</label>\n    <version>1.0</version>\n</ConnectedApp>\n"
	if got := string(Format(doc)); got != want {
		t.Errorf("Format:\n%s\nwant:\n%s", got, want)
	}
	if DeveloperName("acme", "Acme_App") != "acme__Acme_App" {
		t.Error(DeveloperName("acme", "Acme_App"))
	}
}
