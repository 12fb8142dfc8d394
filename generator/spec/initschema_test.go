package spec

import (
	"testing"

	"github.com/byocpack/byocpack/internal/jsonschema"
)

// What byocpack init writes passes the JSON Schema it writes beside it:
// every new spec used to fail it for an empty features: block.
func TestInitSpecPassesItsJSONSchema(t *testing.T) {
	for name, sk := range map[string][]byte{
		"external client app": Skeleton(map[string]string{"prefix": "Acme", "package.namespace": "acme"}, false, ""),
		"no namespace":        Skeleton(map[string]string{"prefix": "Acme"}, false, ""),
		"connected app":       Skeleton(map[string]string{"prefix": "Acme", "app.type": ConnectedApp, "app.distributionState": ""}, false, ""),
		"customer":            Skeleton(map[string]string{"prefix": "Acme"}, true, ""),
	} {
		bad, err := jsonschema.Check(JSONSchema(), sk)
		if err != nil {
			t.Fatalf("%s: %v", name, err)
		}
		if len(bad) > 0 {
			t.Errorf("%s: init's spec fails its JSON Schema:\n%v\n%s", name, bad, sk)
		}
	}
	// The checker does refuse what the schema refuses.
	if bad, _ := jsonschema.Check(JSONSchema(), []byte("channel: {features: null}\n")); len(bad) == 0 {
		t.Error("the checker accepts features: null")
	}
	if bad, _ := jsonschema.Check(JSONSchema(), []byte("prefix: A\npackage: {name: A}\nchannel: {}\nchannels: []\n")); len(bad) == 0 {
		t.Error("the schema accepts channel and channels together")
	}
}
