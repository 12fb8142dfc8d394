package migrate

import (
	"strings"
	"testing"
)

// TestMigrateBoundsXML: the connected app is read by the bounded reader
// review and diff use, so a file nested past any metadata type is refused
// with its name and line rather than parsed.
func TestMigrateBoundsXML(t *testing.T) {
	deep := `<?xml version="1.0" encoding="UTF-8"?>` + "\n" + `<ConnectedApp xmlns="http://soap.sforce.com/2006/04/metadata">` +
		strings.Repeat("<a>", 100) + strings.Repeat("</a>", 100) + "</ConnectedApp>\n"
	_, err := FromConnectedApp([]byte(deep), Options{FileName: "Acme_App.connectedApp-meta.xml"})
	if err == nil || !strings.Contains(err.Error(), "Acme_App.connectedApp-meta.xml: not well-formed XML: line 2: elements nest more than 64 levels deep") {
		t.Fatalf("got %v", err)
	}
}
