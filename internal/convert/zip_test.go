package convert

import (
	"strings"
	"testing"
)

// A resource file named with backslashes would be a path once a Windows
// tool unpacks the zip: refused, with the name.
func TestResourceZipRefusesBackslashNames(t *testing.T) {
	_, err := resourceZip([]zipEntry{{name: "ok.txt", data: []byte("a")}, {name: `..\..\evil.txt`, data: []byte("b")}})
	if err == nil || !strings.Contains(err.Error(), "backslash") {
		t.Fatalf("err %v", err)
	}
}
