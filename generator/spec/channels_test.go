package spec

import (
	"os"
	"strings"
	"testing"
	"testing/fstest"

	"github.com/byocpack/byocpack/internal/jsonschema"
)

const twoChannels = `prefix: Partner2
package: {name: Partner2 Messaging, namespace: partner2}
app: {name: ExternalClientApp1, contactEmail: dev@partner2.example, certificate: certs/server.crt}
channels:
  - name: SMS
    label: Partner2 SMS
    vendor: {name: Partner2_Vendor, type: BringYourOwnChannelPartner}
    event: {name: SMS_Event}
  - name: WhatsApp
    label: Partner2 WhatsApp
    vendor: {name: Partner2_Vendor, type: BringYourOwnChannelPartner}
    event: {name: WhatsApp_Event}
    features: {keywords: true}
`

// Several channels share the prefix and the app; each has its own
// developerName, and a vendor named twice is one record.
func TestChannels(t *testing.T) {
	s, err := loadMap(fstest.MapFS{"byoc.yaml": {Data: []byte(twoChannels)}, "certs/server.crt": {Data: fixtureCert(t)}})
	if err != nil {
		t.Fatal(err)
	}
	if len(s.Channels) != 2 || s.Channel.Name != "SMS" || s.DeveloperNameOf(s.Channels[1]) != "Partner2_WhatsApp" ||
		s.Channels[1].Event.APIName() != "WhatsApp_Event__e" || *s.Channels[1].Features.Keywords != true || s.Channels[0].Features.Keywords != nil {
		t.Errorf("channels: %+v", s.Channels)
	}
}

func TestChannelsErrors(t *testing.T) {
	for _, tc := range []struct{ name, spec, want string }{
		{"both forms", twoChannels + "channel: {name: X, label: X, vendor: {name: V, type: BringYourOwnChannelPartner}, event: {name: E}}\n",
			"channels: and channel are both set; keep channel for one channel, or move it into channels"},
		{"same name", strings.Replace(twoChannels, "name: WhatsApp\n", "name: SMS\n", 1),
			`channels[1].name: "SMS" is also channels[0].name: each channel needs a developerName of its own`},
		{"one owner of the app", strings.Replace(twoChannels, "    event: {name: WhatsApp_Event}\n", "    event: {name: WhatsApp_Event}\n    connectedAppType: Customer\n", 1),
			"channels[1].connectedAppType: is Customer, but channels[0].connectedAppType is Partner"},
		{"shared vendor described twice", strings.Replace(twoChannels, "vendor: {name: Partner2_Vendor, type: BringYourOwnChannelPartner}\n    event: {name: WhatsApp_Event}", "vendor: {name: Partner2_Vendor, label: Other, type: BringYourOwnChannelPartner}\n    event: {name: WhatsApp_Event}", 1),
			"channels[1].vendor: names the vendor Partner2_Vendor of channels[0].vendor but describes it differently"},
		{"per-channel rule", strings.Replace(twoChannels, "features: {keywords: true}", "features: {keywords: true}\n    consentOwner: Partner", 1),
			"channels[1].consentOwner: must be Salesforce for BYOC for Messaging"},
		{"missing key in an item", strings.Replace(twoChannels, "    label: Partner2 WhatsApp\n", "", 1),
			"channels[1].label: missing required key"},
		{"empty", strings.Split(twoChannels, "channels:")[0] + "channels: []\n", "channels: is empty; list at least one channel, or write channel"},
		{"not a list", strings.Split(twoChannels, "channels:")[0] + "channels: {name: SMS}\n", "channels: expected a list of mappings"},
	} {
		_, err := loadMap(fstest.MapFS{"byoc.yaml": {Data: []byte(tc.spec)}, "certs/server.crt": {Data: fixtureCert(t)}})
		if err == nil || !strings.Contains(err.Error(), tc.want) {
			t.Errorf("%s: %v\nwant %q", tc.name, err, tc.want)
		}
	}
}

// The two-channel fixture passes the JSON Schema.
func TestChannelsFixturePassesTheJSONSchema(t *testing.T) {
	data, err := os.ReadFile("../../fixtures/partner2/byoc.yaml")
	if err != nil {
		t.Fatal(err)
	}
	if bad, err := jsonschema.Check(JSONSchema(), data); err != nil || len(bad) > 0 {
		t.Errorf("fixtures/partner2/byoc.yaml fails the JSON Schema: %v %v", err, bad)
	}
}
