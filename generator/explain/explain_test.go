package explain

import (
	"bytes"
	"flag"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"
)

var update = flag.Bool("update", false, "rewrite docs/errors.md from the table")

// The docs are the table: a change to one without the other fails here.
func TestDocsMatchTheTable(t *testing.T) {
	path := filepath.Join("..", "..", DocsFile)
	if *update {
		if err := os.WriteFile(path, Markdown(), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	got, err := os.ReadFile(path)
	if err != nil {
		t.Fatalf("%v (run go test ./generator/explain -update to write it)", err)
	}
	if !bytes.Equal(got, Markdown()) {
		t.Errorf("%s is stale: run go test ./generator/explain -update and review the diff", DocsFile)
	}
}

func TestEveryEntryIsCompleteAndFindsItself(t *testing.T) {
	seen := map[string]bool{}
	for _, e := range Entries() {
		if seen[e.ID] {
			t.Errorf("duplicate ID %s", e.ID)
		}
		seen[e.ID] = true
		if !regexp.MustCompile(`^[a-z0-9-]+$`).MatchString(e.ID) || len(e.Texts) == 0 || e.Cause == "" || e.Fix == "" || e.Source == "" || len(e.match) == 0 {
			t.Errorf("%s is incomplete: %+v", e.ID, e)
		}
		if !strings.Contains(strings.Join(areasText(), " "), string(e.Area)) {
			t.Errorf("%s: unknown area %q", e.ID, e.Area)
		}
		for _, text := range e.Texts {
			if strings.HasPrefix(text, "(") {
				continue // a symptom without a text
			}
			sample := strings.ReplaceAll(text, "…", "Acme_App")
			if got := Match(sample); len(got) == 0 || got[0].ID != e.ID {
				t.Errorf("%q does not find %s first: %v", sample, e.ID, ids(got))
			}
		}
		if got := Match(strings.ToUpper(e.ID)); len(got) != 1 || got[0].ID != e.ID {
			t.Errorf("the ID %s does not find itself: %v", e.ID, ids(got))
		}
	}
}

func areasText() []string {
	var out []string
	for _, a := range areas() {
		out = append(out, string(a))
	}
	return out
}

func ids(es []Entry) []string {
	var out []string
	for _, e := range es {
		out = append(out, e.ID)
	}
	return out
}

// Texts as users paste them: with the surrounding log, other casing, the
// JSON of the answer.
func TestMatchRealWorldPastes(t *testing.T) {
	for text, want := range map[string]string{
		`Error  force-app/main/default/x.conversationChannelDefinition-meta.xml  Could not infer a metadata type`:                                          "suffix-case",
		`HTTP 400 {"error":"invalid_grant","error_description":"audience is invalid  [audience=https://login.salesforce.com/ login=***/]"}`:                "audience-invalid",
		`{"message":"The supplied Authorization access token is missing the required Connected App scope. Required value: interaction_api.","code":10003}`: "10003",
		`invalid_grant: user hasn't approved this consumer`:                                                                                                "user-not-approved",
		`app_not_found`: "app-not-installed",
		`ERROR running force:package:version:create: ConnectedApp(Conga_Sign) Connected App 'Conga_Sign' contains fields that are not allowed during package creation.`: "connected-app-in-2gp",
		`Error parsing file: Element {http://soap.sforce.com/2006/04/metadata}fields invalid at this location in type Workflow (13:13)`:                                 "element-invalid",
	} {
		if got := Match(text); len(got) == 0 || got[0].ID != want {
			t.Errorf("%q: %v, want %s first", text, ids(got), want)
		}
	}
	if got := Match("everything is fine"); len(got) != 0 {
		t.Errorf("an unrelated text matched %v", ids(got))
	}
}

func TestLookup(t *testing.T) {
	if e, ok := Lookup("audience-invalid"); !ok || e.Area != AreaOAuth {
		t.Errorf("Lookup: %+v, %v", e, ok)
	}
	if _, ok := Lookup("nope"); ok {
		t.Error("an unknown ID was found")
	}
}
