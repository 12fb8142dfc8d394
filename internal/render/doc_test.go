package render

import (
	"strings"
	"testing"

	"github.com/byocpack/byocpack/generator/spec"
	"github.com/byocpack/byocpack/internal/apiver"
)

func TestChannelFlagsPickTheFieldOfTheVersion(t *testing.T) {
	yes := true
	f := spec.Features{InboundReceipts: &yes, TypingIndicatorHidden: &yes, ConferenceSupported: &yes}
	cases := map[string]string{
		"63.0": "isInboundReceiptsEnabled isTypingIndicatorDisabled",
		"64.0": "isConferenceSupported isInboundReceiptsEnabled isTypingIndicatorDisabled",
		"65.0": "isConferenceSupported isInboundAcknwOptionExposed isTypingIndicatorOptionHidden",
		"66.0": "isConferenceSupported isInboundAcknwOptionExposed isTypingIndicatorOptionHidden",
	}
	for s, want := range cases {
		v, err := apiver.Parse(s)
		if err != nil {
			t.Fatal(err)
		}
		flags := channelFlags(f, v)
		var got []string
		for _, name := range strings.Fields("isConferenceSupported isInboundAcknwOptionExposed isInboundReceiptsEnabled isTypingIndicatorDisabled isTypingIndicatorOptionHidden") {
			if flags[name] {
				got = append(got, name)
			}
		}
		if strings.Join(got, " ") != want {
			t.Errorf("v%s: %v, want %s", s, got, want)
		}
	}
}

// A template that asks for a field no WSDL has fails instead of silently
// leaving the element out.
func TestHasRefusesUnknownFields(t *testing.T) {
	d := doc{typ: "ExtlClntAppGlobalOauthSettings", version: apiver.Latest()}
	if ok, err := d.Has("isNamedUserJwtEnabled"); !ok || err != nil {
		t.Errorf("Has(isNamedUserJwtEnabled) = %v, %v", ok, err)
	}
	if _, err := d.Has("isNamedUserJwtEnabld"); err == nil {
		t.Error("a misspelt field must be an error")
	}
	c := channelData{doc: doc{typ: "ConversationChannelDefinition", version: apiver.Latest()}}
	if _, err := c.Flag("supportsKeyword"); err == nil {
		t.Error("Flag of a misspelt field must be an error")
	}
}
