package generator

import (
	"context"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

const (
	ecaFile    = "force-app/main/default/externalClientApps/Partner1_ExternalClientApp1.eca-meta.xml"
	globalFile = "source-org/main/default/extlClntAppGlobalOauthSets/Partner1_ExternalClientApp1_glbloauth.ecaGlblOauth-meta.xml"
)

// rulesSeen lists "severity rule basename" per problem.
func rulesSeen(ps []Problem) string {
	var out []string
	for _, p := range ps {
		out = append(out, string(p.Severity)+" "+p.Rule+" "+filepath.Base(p.File))
	}
	return strings.Join(out, "; ")
}

func editFile(t *testing.T, path string, edit func(string) string) {
	t.Helper()
	data, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(path, []byte(edit(string(data))), 0o644); err != nil {
		t.Fatal(err)
	}
}

// Elements out of retrieve order deploy: a warning, an error under
// --strict's meaning (HasErrors) and under --xsd, and silenced by ID.
func TestValidateOrderIsAWarning(t *testing.T) {
	dir := filepath.Join(t.TempDir(), "p")
	renderFixture(t, "partner1", dir)
	editFile(t, filepath.Join(dir, ecaFile), func(s string) string {
		s = strings.Replace(s, "    <contactEmail>dev@partner1.example</contactEmail>\n", "", 1)
		return strings.Replace(s, "</ExternalClientApplication>", "    <contactEmail>dev@partner1.example</contactEmail>\n</ExternalClientApplication>", 1)
	})
	res, err := Validate(context.Background(), ValidateOptions{Targets: []string{dir}, Now: testNow})
	if err != nil {
		t.Fatal(err)
	}
	if got := rulesSeen(res.Problems); got != "warning xsd-order Partner1_ExternalClientApp1.eca-meta.xml" {
		t.Fatalf("deploy verdict: %s", got)
	}
	if !strings.Contains(res.Problems[0].Message, "`byocpack fmt` fixes it") || HasErrors(res.Problems, false) || !HasErrors(res.Problems, true) {
		t.Errorf("order warning: %v", res.Problems[0])
	}
	res, err = Validate(context.Background(), ValidateOptions{Targets: []string{dir}, Now: testNow, XSD: true})
	if err != nil {
		t.Fatal(err)
	}
	if got := rulesSeen(res.Problems); got != "error xsd-order Partner1_ExternalClientApp1.eca-meta.xml" {
		t.Fatalf("xsd verdict: %s", got)
	}
	res, err = Validate(context.Background(), ValidateOptions{Targets: []string{dir}, Now: testNow, Disable: []string{"xsd-order"}})
	if err != nil {
		t.Fatal(err)
	}
	if len(res.Problems) != 0 || res.Silenced != 1 {
		t.Fatalf("--disable: %d silenced, problems %s", res.Silenced, rulesSeen(res.Problems))
	}
	if _, err := Validate(context.Background(), ValidateOptions{Targets: []string{dir}, Disable: []string{"xsd-ordr"}}); err == nil {
		t.Error("--disable of an unknown rule accepted")
	}
}

// The project's own list lives in sfdx-project.json, under the key sf
// reserves for tools; render honours it too.
func TestProjectDisablesRules(t *testing.T) {
	dir := filepath.Join(t.TempDir(), "p")
	renderFixture(t, "legacy1", dir)
	res, err := Validate(context.Background(), ValidateOptions{Targets: []string{dir}, Now: testNow})
	if err != nil || len(res.Problems) != 1 || res.Problems[0].Rule != "BYOC-CONNECTED-APP-1GP" {
		t.Fatalf("baseline: %v %s", err, rulesSeen(res.Problems))
	}
	editFile(t, filepath.Join(dir, "sfdx-project.json"), func(s string) string {
		return strings.Replace(s, "{\n", "{\n  \"plugins\": {\"byocpack\": {\"disable\": [\"BYOC-CONNECTED-APP-1GP\", \"BYOC-NOPE\"]}},\n", 1)
	})
	res, err = Validate(context.Background(), ValidateOptions{Targets: []string{dir}, Now: testNow})
	if err != nil {
		t.Fatal(err)
	}
	if got := rulesSeen(res.Problems); got != "warning config sfdx-project.json" || res.Silenced != 1 || !strings.Contains(res.Problems[0].Message, `"BYOC-NOPE"`) {
		t.Fatalf("silenced %d: %s", res.Silenced, got)
	}
	// A render over the project keeps the key and the list applies.
	r := renderFixture(t, "legacy1", dir)
	for _, p := range r.Problems {
		if p.Rule == "BYOC-CONNECTED-APP-1GP" {
			t.Errorf("render reported a disabled rule: %v", p)
		}
	}
	editFile(t, filepath.Join(dir, "sfdx-project.json"), func(s string) string {
		return strings.Replace(s, `"disable"`, `"disabled"`, 1)
	})
	res, err = Validate(context.Background(), ValidateOptions{Targets: []string{dir}, Now: testNow})
	if err != nil {
		t.Fatal(err)
	}
	if got := rulesSeen(res.Problems); !strings.Contains(got, "error config sfdx-project.json") {
		t.Fatalf("a malformed entry: %s", got)
	}
}

// A 67.0 project is judged by the newest models; the 67.0 fields of its
// global OAuth settings are warnings that say how to import 67.0, and no
// other warning says the version is unsupported.
func TestValidateNewerProjectWarnsAtTheElement(t *testing.T) {
	t.Setenv("XDG_CACHE_HOME", t.TempDir()) // no 67.0 from this machine's cache
	dir := filepath.Join(t.TempDir(), "p")
	renderFixture(t, "partner1", dir)
	editFile(t, filepath.Join(dir, "sfdx-project.json"), func(s string) string {
		return strings.Replace(s, `"sourceApiVersion": "66.0"`, `"sourceApiVersion": "67.0"`, 1)
	})
	editFile(t, filepath.Join(dir, globalFile), func(s string) string {
		return strings.Replace(s, "    <label>", "    <isDPopEnabled>true</isDPopEnabled>\n    <isEnforceRefreshTokenTTL>true</isEnforceRefreshTokenTTL>\n    <label>", 1)
	})
	res, err := Validate(context.Background(), ValidateOptions{Targets: []string{dir}, Now: testNow})
	if err != nil {
		t.Fatal(err)
	}
	base := filepath.Base(globalFile)
	if got := rulesSeen(res.Problems); got != "info api-version sfdx-project.json; warning xsd "+base+"; warning xsd "+base {
		t.Fatalf("problems: %s\n%v", got, ProblemList(res.Problems))
	}
	for _, p := range res.Problems {
		if p.Rule == RuleAPIVersion {
			if p.Severity != SeverityInfo || !strings.Contains(p.Message, "API 67.0 is newer than every version byocpack has content models for; its files were judged by 66.0") {
				t.Errorf("the one note on the version: %v", p)
			}
			continue
		}
		if !strings.Contains(p.Message, "API 66.0, the newest version byocpack has, and the project is at 67.0") || !strings.Contains(p.Message, "byocpack schemas import") {
			t.Errorf("message: %s", p.Message)
		}
	}
}

// Every problem of a file is reported, and a file nested past 64 levels is
// refused as not well-formed without stopping the rest.
func TestValidateReportsEveryProblemAndBoundsDepth(t *testing.T) {
	dir := filepath.Join(t.TempDir(), "p")
	renderFixture(t, "partner1", dir)
	editFile(t, filepath.Join(dir, ecaFile), func(s string) string {
		s = strings.Replace(s, "<distributionState>Packaged</distributionState>", "<distributionState>Packaged</distributionState>\n    <descriptoin>x</descriptoin>", 1)
		return strings.Replace(s, "<isProtected>false</isProtected>", "<isProtected>no</isProtected>\n    <label>again</label>", 1)
	})
	deep := filepath.Join(dir, "force-app/main/default/externalClientApps/Deep.eca-meta.xml")
	if err := os.WriteFile(deep, []byte(strings.Repeat("<a>", 100000)), 0o644); err != nil {
		t.Fatal(err)
	}
	res, err := Validate(context.Background(), ValidateOptions{Targets: []string{dir}, Now: testNow})
	if err != nil {
		t.Fatal(err)
	}
	var eca, deepP []string
	for _, p := range res.Problems {
		switch filepath.Base(p.File) {
		case filepath.Base(ecaFile):
			eca = append(eca, p.Rule+": "+p.Message)
		case "Deep.eca-meta.xml":
			deepP = append(deepP, p.Rule+": "+p.Message)
		}
	}
	if len(eca) != 3 || !strings.Contains(strings.Join(eca, "\n"), "did you mean <description>?") {
		t.Errorf("eca problems:\n%s", strings.Join(eca, "\n"))
	}
	if len(deepP) != 1 || !strings.Contains(deepP[0], "BYOC-MALFORMED-XML: not well-formed XML: elements nest more than 64 levels deep") {
		t.Errorf("deep file: %v", deepP)
	}
}

// TestValidateProjectVersions: a project is judged at its own version
// from 47.0 to 66.0 (--api-version accepts each); a clean 67.0 project
// gets one info and nothing --strict fails on; one below 47.0 is judged
// by 47.0 with one info; below 47.0 --api-version is a usage error.
func TestValidateProjectVersions(t *testing.T) {
	t.Setenv("XDG_CACHE_HOME", t.TempDir())
	dir := filepath.Join(t.TempDir(), "p")
	writeTree(t, dir, map[string]string{
		"sfdx-project.json": `{"packageDirectories":[{"path":"force-app","default":true}],"sourceApiVersion":"67.0"}`,
		"force-app/main/default/customPermissions/Beta.customPermission-meta.xml": "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<CustomPermission xmlns=\"http://soap.sforce.com/2006/04/metadata\">\n    <label>Beta</label>\n</CustomPermission>\n",
		"force-app/main/default/classes/A.cls-meta.xml":                           "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<ApexClass xmlns=\"http://soap.sforce.com/2006/04/metadata\">\n    <apiVersion>60.0</apiVersion>\n    <status>Active</status>\n</ApexClass>\n",
	})
	project := filepath.Join(dir, "sfdx-project.json")
	setVersion := func(v string) {
		editFile(t, project, func(string) string {
			return `{"packageDirectories":[{"path":"force-app","default":true}],"sourceApiVersion":"` + v + `"}`
		})
	}
	run := func(opts ValidateOptions) []Problem {
		t.Helper()
		opts.Targets, opts.Now = []string{dir}, testNow
		res, err := Validate(context.Background(), opts)
		if err != nil {
			t.Fatal(err)
		}
		return res.Problems
	}
	if ps := run(ValidateOptions{}); len(ps) != 1 || ps[0].Severity != SeverityInfo || ps[0].Rule != RuleAPIVersion || !strings.Contains(ps[0].Message, "judged by 66.0") {
		t.Fatalf("67.0: want one info, got %v", ProblemList(ps))
	}
	setVersion("45.0")
	if ps := run(ValidateOptions{}); len(ps) != 1 || ps[0].Severity != SeverityInfo || !strings.Contains(ps[0].Message, "judged by 47.0") {
		t.Fatalf("45.0: want one info, got %v", ProblemList(ps))
	}
	for v := 47; v <= 66; v++ {
		ver := fmt.Sprintf("%d.0", v)
		if ps := run(ValidateOptions{APIVersion: ver}); len(ps) != 0 {
			t.Errorf("--api-version %s: %v", ver, ProblemList(ps))
		}
	}
	var usage *UsageError
	if _, err := Validate(context.Background(), ValidateOptions{Targets: []string{dir}, APIVersion: "46.0"}); !errors.As(err, &usage) {
		t.Errorf("--api-version 46.0: %v, want a usage error", err)
	}
}
