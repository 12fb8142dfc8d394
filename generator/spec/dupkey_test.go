package spec

import (
	"strings"
	"testing"
	"testing/fstest"
)

// TestDuplicateKeyInJSONSpecIsRefused: a spec written as JSON (YAML's
// flow style) is read by the same loader, so a key written twice is
// refused at its line and column like in block YAML (issue 16 row 2).
func TestDuplicateKeyInJSONSpecIsRefused(t *testing.T) {
	fsys := fstest.MapFS{"byoc.json": {Data: []byte("{\n  \"prefix\": \"Acme\",\n  \"prefix\": \"Evil\"\n}\n")}}
	_, err := Load(fsys, "byoc.json", "")
	if err == nil || !strings.Contains(err.Error(), "byoc.json:3:3: error spec: prefix: the key appears twice") {
		t.Errorf("got %v", err)
	}
}
