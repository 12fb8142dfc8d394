package validate

import (
	"context"
	"errors"
	"fmt"
	"math/rand/v2"
	"os"
	"slices"
	"strings"
	"sync"
	"sync/atomic"
	"testing"

	"github.com/byocpack/byocpack/internal/diag"
	"github.com/byocpack/byocpack/internal/secrets"
	"github.com/byocpack/byocpack/internal/xmldoc"

	"github.com/google/go-cmp/cmp"
)

const ccdPath = "force-app/main/default/conversationChannelDefinitions/Partner1_ChannelDefinition1.ConversationChannelDefinition-meta.xml"

const partnerCCD = `<?xml version="1.0" encoding="UTF-8"?>
<ConversationChannelDefinition xmlns="http://soap.sforce.com/2006/04/metadata">
    <connectedAppType>Partner</connectedAppType>
    <customEventPayloadField>Message_Event__e.Payload__c</customEventPayloadField>
    <customPlatformEvent>Message_Event__e</customPlatformEvent>
    <developerName>Partner1_ChannelDefinition1</developerName>
    <masterLabel>Channel</masterLabel>
    <supportsImplicitConsent>true</supportsImplicitConsent>
</ConversationChannelDefinition>
`

func rulesOf(ps []diag.Problem) []string {
	var ids []string
	for _, p := range ps {
		ids = append(ids, p.Rule)
	}
	return ids
}

// A channel validated on its own must not be blamed for the event and app
// it was not given; the same file in a project must.
func TestCrossFileRulesNeedProject(t *testing.T) {
	in := Input{APIVersion: "66.0", Namespace: "partner1", Files: []File{{Path: ccdPath, Data: []byte(partnerCCD), InPackage: true}}}
	ps, err := Run(context.Background(), in, Options{})
	if err != nil {
		t.Fatal(err)
	}
	if len(ps) != 0 {
		t.Fatalf("single file: got %v", ps)
	}
	in.Project = true
	ps, err = Run(context.Background(), in, Options{})
	if err != nil {
		t.Fatal(err)
	}
	got := rulesOf(ps)
	want := []string{RuleAppPresence, RuleCCDEventRefs}
	if diff := cmp.Diff(want, got); diff != "" {
		t.Errorf("project rules (-want +got):\n%s", diff)
	}
}

type fakeSchema struct {
	mu    sync.Mutex
	calls []string
}

func (f *fakeSchema) Check(api, typ, path string, _ *xmldoc.Document) []diag.Problem {
	f.mu.Lock()
	defer f.mu.Unlock()
	f.calls = append(f.calls, api+" "+typ+" "+path)
	return []diag.Problem{{File: path, Line: 1, Severity: diag.Error, Rule: "xsd", Message: "fake"}}
}

// The schema checker sees only well-formed files of a known type, with the
// project's API version, and a broken file does not stop the others.
func TestSchemaCheckerAndBrokenFiles(t *testing.T) {
	fs := &fakeSchema{}
	in := Input{APIVersion: "65.0", Files: []File{
		{Path: ccdPath, Data: []byte(partnerCCD)},
		{Path: "a/Broken.eca-meta.xml", Data: []byte("<ExternalClientApplication>")},
		{Path: "a/Empty.eca-meta.xml", Data: nil},
		{Path: "a/notes.xml", Data: []byte("<notes/>")},
		{Path: "a/readme.txt", Data: []byte("\x00\x01")},
	}}
	ps, err := Run(context.Background(), in, Options{Schema: fs})
	if err != nil {
		t.Fatal(err)
	}
	if want := []string{"65.0 ConversationChannelDefinition " + ccdPath}; !slices.Equal(fs.calls, want) {
		t.Errorf("schema calls = %q, want %q", fs.calls, want)
	}
	var got []string
	for _, p := range ps {
		got = append(got, p.File+" "+p.Rule)
	}
	want := []string{
		"a/Broken.eca-meta.xml " + RuleMalformedXML,
		"a/Empty.eca-meta.xml " + RuleEmptyFile,
		ccdPath + " xsd",
	}
	if diff := cmp.Diff(want, got); diff != "" {
		t.Errorf("(-want +got):\n%s", diff)
	}
}

// Output must not depend on file order or on how many workers raced.
func TestRunIsDeterministic(t *testing.T) {
	in := loadTree(t, fixturesDir+"/BYOC-API-VERSION-FIELD/fail")
	in.Files = append(in.Files, loadTree(t, fixturesDir+"/BYOC-CERT/fail").Files...)
	first, err := Run(context.Background(), in, Options{Workers: 1})
	if err != nil || len(first) == 0 {
		t.Fatalf("baseline: %v %v", first, err)
	}
	if !slices.IsSortedFunc(first, diag.Compare) {
		t.Error("problems are not sorted")
	}
	rng := rand.New(rand.NewPCG(1, 2))
	for i := range 20 {
		shuffled := in
		shuffled.Files = slices.Clone(in.Files)
		rng.Shuffle(len(shuffled.Files), func(a, b int) { shuffled.Files[a], shuffled.Files[b] = shuffled.Files[b], shuffled.Files[a] })
		got, err := Run(context.Background(), shuffled, Options{Workers: 1 + i%8})
		if err != nil {
			t.Fatal(err)
		}
		if diff := cmp.Diff(first, got); diff != "" {
			t.Fatalf("run %d differs:\n%s", i, diff)
		}
	}
}

// countingSchema counts the files Run checks and can cancel the run from
// inside the first check.
type countingSchema struct {
	calls  atomic.Int64
	cancel context.CancelFunc
}

func (c *countingSchema) Check(_, _, _ string, _ *xmldoc.Document) []diag.Problem {
	if c.calls.Add(1) == 1 && c.cancel != nil {
		c.cancel()
	}
	return nil
}

// manyChannels is n well-formed files the schema checker is called on.
func manyChannels(n int) Input {
	in := Input{APIVersion: "66.0", Now: fixtureNow}
	for i := range n {
		in.Files = append(in.Files, File{Path: fmt.Sprintf("force-app/main/default/conversationChannelDefinitions/P_C%d.ConversationChannelDefinition-meta.xml", i), Data: []byte(partnerCCD), InPackage: true})
	}
	return in
}

// Run must stop when its context ends: given a context cancelled before
// the call, or cancelled while the first file is checked, it returns
// context.Canceled having checked far from all of the files. (Its feed
// loop picks at random between a ready job and the done context, so a
// few files may still be checked; a Run that ignored ctx would check all
// of them, or return no error.)
func TestRunHonoursCancellation(t *testing.T) {
	const n = 2000
	for _, c := range []struct {
		name    string
		workers int
		during  bool
	}{{"cancelled before", 0, false}, {"cancelled during, one worker", 1, true}, {"cancelled during, many workers", 8, true}} {
		t.Run(c.name, func(t *testing.T) {
			ctx, cancel := context.WithCancel(context.Background())
			defer cancel()
			schema := &countingSchema{}
			if c.during {
				schema.cancel = cancel
			} else {
				cancel()
			}
			_, err := Run(ctx, manyChannels(n), Options{Schema: schema, Workers: c.workers})
			if !errors.Is(err, context.Canceled) {
				t.Errorf("err = %v, want context.Canceled", err)
			}
			if got := schema.calls.Load(); got > n/10 {
				t.Errorf("checked %d of %d files after the context was cancelled", got, n)
			}
		})
	}
	// The same input with a live context is checked in full, so the
	// counts above mean what they say.
	schema := &countingSchema{}
	if _, err := Run(context.Background(), manyChannels(n), Options{Schema: schema}); err != nil || schema.calls.Load() != n {
		t.Fatalf("uncancelled run: err %v, %d of %d files checked", err, schema.calls.Load(), n)
	}
}

func TestTypeOf(t *testing.T) {
	for path, want := range map[string]string{
		"x/externalClientApps/A_B.eca-meta.xml":                                    typeECA,
		"x/extlClntAppGlobalOauthSets/A_B.ecaGlblOauth-meta.xml":                   typeGlobalOauth,
		"x/objects/E__e/E__e.object-meta.xml":                                      typeCustomObject,
		"x/c/A_B.ConversationChannelDefinition-meta.xml":                           typeCCD,
		"x/c/A_B.conversationChannelDefinition-meta.xml":                           "",
		"x/ConversationVendorInformation/V.ConversationVendorInformation-meta.xml": typeCVI,
		"x/README.md":          "",
		"x/eca-meta.xml":       "",
		"x/A.unknown-meta.xml": "",
	} {
		if got := TypeOf(path); got != want {
			t.Errorf("TypeOf(%q) = %q, want %q", path, got, want)
		}
	}
}

func TestCatalogue(t *testing.T) {
	rules := Rules()
	if !slices.IsSortedFunc(rules, func(a, b Rule) int { return strings.Compare(a.ID, b.ID) }) {
		t.Error("catalogue not sorted by ID")
	}
	seen := map[string]bool{}
	for _, r := range rules {
		if seen[r.ID] {
			t.Errorf("duplicate rule %s", r.ID)
		}
		seen[r.ID] = true
		if r.Severity != diag.Error && r.Severity != diag.Warning && r.Severity != diag.Info {
			t.Errorf("%s: severity %q", r.ID, r.Severity)
		}
		if !strings.HasPrefix(r.ID, "BYOC-") || strings.ToUpper(r.ID) != r.ID || r.Summary == "" {
			t.Errorf("bad rule entry %+v", r)
		}
	}
	rules[0].ID = "changed"
	if Rules()[0].ID == "changed" {
		t.Error("Rules returns shared state")
	}
}

// Positions point at the element's start tag, 1-based.
func TestParsePositions(t *testing.T) {
	root, err := parseXML([]byte("<?xml version=\"1.0\"?>\n<A>\n  <b>x</b><c>\n  y </c>\n</A>"))
	if err != nil {
		t.Fatal(err)
	}
	got := []int{root.Line, root.Col, root.Children[0].Line, root.Children[0].Col, root.Children[1].Line, root.Children[1].Col}
	if want := []int{2, 1, 3, 3, 3, 11}; !slices.Equal(got, want) {
		t.Errorf("positions %v, want %v", got, want)
	}
	if root.text("c") != "y" {
		t.Errorf("text = %q", root.text("c"))
	}
	for _, bad := range []string{"", "<?xml version=\"1.0\"?>", "<a/><b/>", "<a>", "x<a/>"} {
		if _, err := parseXML([]byte(bad)); err == nil {
			t.Errorf("parseXML(%q) accepted", bad)
		}
	}
}

// Every kind the secret scanner reports is a rule of the catalogue, with a
// severity, and the docs quote the scanner's limits as they are.
func TestSecretKindsAreRules(t *testing.T) {
	sev := severities()
	for _, k := range secrets.Kinds() {
		if sev[string(k)] != diag.Error {
			t.Errorf("%s: severity %q, want error (every finding is a refusal)", k, sev[string(k)])
		}
	}
	docs, err := os.ReadFile("../../docs/rules.md")
	if err != nil {
		t.Fatal(err)
	}
	_, section, _ := strings.Cut(string(docs), "## "+RuleUnscannable+"\n")
	section, _, _ = strings.Cut(section, "\n## ")
	section = strings.Join(strings.Fields(section), " ")
	for _, want := range []string{
		fmt.Sprintf("more than %d MiB in all", secrets.MaxTotalSize>>20),
		fmt.Sprintf("more than %d MiB", secrets.MaxEntrySize>>20),
		fmt.Sprintf("more than %d,%03d entries", secrets.MaxEntries/1000, secrets.MaxEntries%1000),
		fmt.Sprintf("more than %d deep", secrets.MaxDepth),
	} {
		if !strings.Contains(section, want) {
			t.Errorf("docs/rules.md § %s does not say %q", RuleUnscannable, want)
		}
	}
}

// Files with Load are read when a worker takes them up, once each; one
// that cannot be read is a problem of that file, and the rest go on.
func TestRunLoadsFilesLazily(t *testing.T) {
	var mu sync.Mutex
	loads := map[string]int{}
	file := func(path string, data []byte, err error) File {
		return File{Path: path, Load: func() ([]byte, error) {
			mu.Lock()
			loads[path]++
			mu.Unlock()
			return data, err
		}}
	}
	in := Input{APIVersion: "66.0", Files: []File{
		file(ccdPath, []byte(partnerCCD), nil),
		file("a/Gone.eca-meta.xml", nil, errors.New("vanished")),
	}}
	ps, err := Run(context.Background(), in, Options{Workers: 1})
	if err != nil {
		t.Fatal(err)
	}
	if got := rulesOf(ps); !slices.Equal(got, []string{RuleIO}) || !strings.Contains(ps[0].Message, "vanished") {
		t.Errorf("problems %v", ps)
	}
	if loads[ccdPath] != 1 || loads["a/Gone.eca-meta.xml"] != 1 {
		t.Errorf("loads %v", loads)
	}
}
