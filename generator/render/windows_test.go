package render

import (
	"fmt"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"

	"byocpack/generator/spec"
)

// TestFieldWindowsMatchWSDL checks every version window against the
// Metadata API WSDLs: a field must exist in a version's complexType exactly
// when the window says so. It skips where ../shared is absent.
func TestFieldWindowsMatchWSDL(t *testing.T) {
	dir := filepath.Join("..", "..", "..", "shared", "salesforce", "metadata-wsdl")
	if _, err := os.Stat(dir); err != nil {
		t.Skipf("no WSDLs at %s: %v", dir, err)
	}
	for _, v := range spec.SupportedAPIVersions() {
		wsdl, err := os.ReadFile(filepath.Join(dir, "metadata-v"+v+".wsdl"))
		if err != nil {
			t.Fatal(err)
		}
		d := doc{version: spec.APIVersionNumber(v)}
		for key := range fieldWindows() {
			typ, field, _ := strings.Cut(key, ".")
			d.typ = typ
			block := regexp.MustCompile(`(?s)<xsd:complexType name="` + typ + `">.*?</xsd:complexType>`).Find(wsdl)
			if block == nil {
				t.Fatalf("v%s: no complexType %s", v, typ)
			}
			inWSDL := strings.Contains(string(block), fmt.Sprintf(`name="%s"`, field))
			if got := d.Has(field); got != inWSDL {
				t.Errorf("v%s %s: window says %v, WSDL says %v", v, key, got, inWSDL)
			}
		}
	}
}

func TestChannelFlagsPickTheFieldOfTheVersion(t *testing.T) {
	yes := true
	f := spec.Features{InboundReceipts: &yes, TypingIndicatorHidden: &yes, ConferenceSupported: &yes}
	cases := map[int]string{
		63: "isInboundReceiptsEnabled isTypingIndicatorDisabled",
		64: "isConferenceSupported isInboundReceiptsEnabled isTypingIndicatorDisabled",
		65: "isConferenceSupported isInboundAcknwOptionExposed isTypingIndicatorOptionHidden",
		66: "isConferenceSupported isInboundAcknwOptionExposed isTypingIndicatorOptionHidden",
	}
	for v, want := range cases {
		flags := channelFlags(f, doc{typ: "ConversationChannelDefinition", version: v})
		var got []string
		for _, name := range strings.Fields("isConferenceSupported isInboundAcknwOptionExposed isInboundReceiptsEnabled isTypingIndicatorDisabled isTypingIndicatorOptionHidden") {
			if flags[name] {
				got = append(got, name)
			}
		}
		if strings.Join(got, " ") != want {
			t.Errorf("v%d: %v, want %s", v, got, want)
		}
	}
}
