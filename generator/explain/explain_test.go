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
		// OAuth and JWT, as the token endpoint and the REST API answer.
		`HTTP/1.1 400 Bad Request {"error":"invalid_grant","error_description":"invalid assertion"}`: "invalid-assertion",
		`Error 400: {"error":"invalid_grant","error_description":"authentication failure"}`:          "authentication-failure",
		`{"error":"invalid_client","error_description":"invalid client credentials"}`:                "invalid-client-credentials",
		`{"error":"OAUTH_APP_BLOCKED","error_description":"this app is blocked by admin"}`:           "app-blocked",
		`[{"message":"Session expired or invalid","errorCode":"INVALID_SESSION_ID"}]`:                "invalid-session-id",
		`{"error":"invalid_grant","error_description":"user hasn't approved this consumer"}`:         "user-not-approved",
		`{"error":"invalid_grant","error_description":"ip restricted"}`:                              "ip-restricted",
		`{"error":"invalid_grant","error_description":"no client credentials user enabled"}`:         "no-client-credentials-user",
		`{"error":"unsupported_grant_type","error_description":"grant type not supported"}`:          "unsupported-grant-type",
		// The Interaction Service: setup and authorization, then the request.
		`HTTP 401 {"message":"The AuthorizationContext for the request isn't valid based on the supplied Authorization access token.","code":10005}`: "10005",
		`{"message":"The channelAddressIdentifier provided is not active.","code":10031}`:                                                            "10031",
		`To use this API, add Partner Messaging to the user.`:                                                                                        "15105",
		`{"code":10046,"message":"Invalid clientTimestamp. Send messages within the allowed response time frame."}`:                                  "10046",
		`WorkItemId 0Mw5e000000XyZ for the MessagingSession ID not found.`:                                                                           "15111",
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

// Every Interaction Service code about setup or authorization has a cause
// and a fix of its own; the others quote Salesforce's message and name the
// field to correct. Answers cite public Salesforce documentation only,
// never notes the user does not have.
func TestInteractionCodesAndSources(t *testing.T) {
	for _, n := range []string{"10001", "10002", "10003", "10004", "10005", "10006", "10016", "10017", "10026", "10031", "10035", "10069", "10070", "10099", "15105"} {
		e, ok := Lookup(n)
		if !ok || e.Area != AreaInteraction || strings.HasPrefix(e.Cause, "Salesforce:") {
			t.Errorf("%s: %+v", n, e)
		}
	}
	if e, ok := Lookup("10046"); !ok || e.Area != AreaRequest || !strings.Contains(e.Cause, "Invalid clientTimestamp") || !strings.Contains(e.Fix, "clientTimestamp") {
		t.Errorf("10046: %+v", e)
	}
	codes := 0
	public := regexp.MustCompile(`https://(help\.salesforce\.com|developer\.salesforce\.com|github\.com/(salesforce-misc|forcedotcom|salesforce)/)`)
	for _, e := range Entries() {
		if regexp.MustCompile(`^\d+$`).MatchString(e.ID) {
			codes++
		}
		if strings.Contains(e.Source+e.Cause+e.Fix, ".md §") || strings.Contains(e.Source, "anchors") || !public.MatchString(e.Source) {
			t.Errorf("%s cites %q", e.ID, e.Source)
		}
	}
	if codes != 118 {
		t.Errorf("%d Interaction Service codes, want every code of ERRORCODES.md but 500", codes)
	}
}

// A bare OAuth error code, which Salesforce answers with several
// descriptions, lists the entries that carry it; a sentence never does.
func TestBareCodeListsItsCandidates(t *testing.T) {
	if got := Match("invalid_grant"); len(got) != 0 {
		t.Skipf("invalid_grant alone now matches %d entries directly", len(got))
	}
	got := Candidates(" invalid_grant ")
	if len(got) < 3 {
		t.Fatalf("invalid_grant: %d candidates, want the invalid_grant family", len(got))
	}
	for _, e := range got {
		if !strings.Contains(strings.Join(e.Texts, " "), "invalid_grant") {
			t.Errorf("%s does not carry invalid_grant: %q", e.ID, e.Texts)
		}
	}
	if c := Candidates("the app said invalid_grant"); c != nil {
		t.Errorf("a sentence is not a bare code: %d candidates", len(c))
	}
	if c := Candidates("valid_grant"); c != nil {
		t.Errorf("a word inside a code is not the code: %d candidates", len(c))
	}
}
