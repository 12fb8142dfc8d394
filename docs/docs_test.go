package docs

import (
	"strings"
	"testing"
)

// Each rule's docs come from its own section: the first sentence after the
// severity, the first paragraph, and no text of the next rule.
func TestLookup(t *testing.T) {
	r, ok := Lookup("BYOC-EMPTY-FILE")
	if !ok {
		t.Fatal("BYOC-EMPTY-FILE not found in rules.md")
	}
	if r.Page != "rules.md" || r.Summary != "An `.xml` metadata file that is empty or only whitespace." {
		t.Errorf("got page %q summary %q", r.Page, r.Summary)
	}
	if strings.Contains(r.Markdown, "BINARY") || !strings.Contains(r.Description, "**Fix:**") {
		t.Errorf("section spills or is cut short: %q", r.Markdown)
	}
	if r, ok := Lookup("REVIEW-BROAD-SCOPE"); !ok || r.Page != "review.md" || !strings.HasPrefix(r.Summary, "A scope other than") {
		t.Errorf("REVIEW-BROAD-SCOPE: %v %+v", ok, r)
	}
	// A rule of a table is its row, under its section's heading.
	r, ok = Lookup("APPX-PKCE")
	if !ok || r.Page != "review.md" || r.Anchor != "profile-appexchange" || !strings.HasPrefix(r.Summary, "ISVforce: PKCE") || !strings.Contains(r.Description, "severity: error") {
		t.Errorf("APPX-PKCE: %v %+v", ok, r)
	}
	if r, _ := Lookup("BYOC-EMPTY-FILE"); r.Anchor != "byoc-empty-file" {
		t.Errorf("anchor %q", r.Anchor)
	}
	if _, ok := Lookup("BYOC"); ok {
		t.Error("a prefix of a rule ID matched")
	}
}
