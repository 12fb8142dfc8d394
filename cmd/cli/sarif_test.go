package cli

import (
	"bytes"
	"encoding/json"
	"os"
	"os/exec"
	"path/filepath"
	"runtime"
	"slices"
	"strings"
	"testing"

	"github.com/byocpack/byocpack/docs"
	"github.com/byocpack/byocpack/generator"
	"github.com/byocpack/byocpack/internal/testtool"
)

// sarifMultitoolVersion is Microsoft's SARIF validator, pinned; make tools
// and the test install it from npm into the tools cache. It checks the
// SARIF 2.1.0 schema and, with rule kind Gh, GitHub code scanning's
// ingestion rules, offline.
const sarifMultitoolVersion = testtool.SARIFMultitool

// sarifValidator returns the validator's binary, installing it with npm
// into the tools cache on first use.
func sarifValidator(t *testing.T) string {
	t.Helper()
	platform := map[string]string{"linux": "linux", "darwin": "darwin", "windows": "win32"}[runtime.GOOS]
	if platform == "" {
		t.Skipf("the SARIF validator has no build for %s", runtime.GOOS)
	}
	dir := testtool.CacheDir(t, "sarif-multitool-"+sarifMultitoolVersion)
	exe := "Sarif.Multitool"
	if runtime.GOOS == "windows" {
		exe += ".exe"
	}
	bin := filepath.Join(dir, "node_modules", "@microsoft", "sarif-multitool-"+platform, exe)
	if _, err := os.Stat(bin); err != nil {
		npm := testtool.Path(t, "npm", "Node.js's npm installs the validator, @microsoft/sarif-multitool@"+sarifMultitoolVersion)
		cmd := exec.Command(npm, "install", "--no-save", "--no-audit", "--no-fund", "--prefix", dir, "@microsoft/sarif-multitool@"+sarifMultitoolVersion)
		if out, err := cmd.CombinedOutput(); err != nil {
			t.Fatalf("npm install @microsoft/sarif-multitool@%s: %v\n%s", sarifMultitoolVersion, err, out)
		}
	}
	// npm may not run the package's install script, which marks it
	// executable.
	if err := os.Chmod(bin, 0o755); err != nil {
		t.Fatal(err)
	}
	return bin
}

// validateSARIF runs the validator on data with the SARIF and GitHub rules
// and fails on each error or warning it reports.
func validateSARIF(t *testing.T, bin, name string, data []byte) {
	t.Helper()
	dir := t.TempDir()
	in, out := filepath.Join(dir, name), filepath.Join(dir, "verdict.sarif")
	if err := os.WriteFile(in, data, 0o644); err != nil {
		t.Fatal(err)
	}
	cmd := exec.Command(bin, "validate", in, "--rule-kind", "Gh;Sarif", "--output", out, "--log", "ForceOverwrite")
	cmd.Env = append(os.Environ(), "DOTNET_CLI_TELEMETRY_OPTOUT=1")
	if msg, err := cmd.CombinedOutput(); err != nil {
		t.Fatalf("Sarif.Multitool validate %s: %v\n%s", name, err, msg)
	}
	var verdict sarifDoc
	raw, err := os.ReadFile(out)
	if err != nil {
		t.Fatal(err)
	}
	if err := json.Unmarshal(raw, &verdict); err != nil {
		t.Fatal(err)
	}
	for _, r := range verdict.Runs[0].Results {
		if r.Level == "" || r.Level == "warning" || r.Level == "error" {
			t.Errorf("%s: validator %s %s: %v", name, r.Level, r.RuleID, r.Message.Arguments)
		}
	}
}

// sarifDoc is what the tests read back of a SARIF log.
type sarifDoc struct {
	Version string `json:"version"`
	Runs    []struct {
		Tool struct {
			Driver struct {
				Version string `json:"version"`
				Rules   []struct {
					ID      string `json:"id"`
					HelpURI string `json:"helpUri"`
				} `json:"rules"`
			} `json:"driver"`
		} `json:"tool"`
		Results []struct {
			RuleID    string `json:"ruleId"`
			RuleIndex int    `json:"ruleIndex"`
			Level     string `json:"level"`
			Message   struct {
				Text      string   `json:"text"`
				Arguments []string `json:"arguments"`
			} `json:"message"`
			Locations []struct {
				PhysicalLocation struct {
					ArtifactLocation struct {
						URI       string `json:"uri"`
						URIBaseID string `json:"uriBaseId"`
					} `json:"artifactLocation"`
					Region struct {
						StartLine int `json:"startLine"`
					} `json:"region"`
				} `json:"physicalLocation"`
			} `json:"locations"`
			PartialFingerprints map[string]string `json:"partialFingerprints"`
		} `json:"results"`
	} `json:"runs"`
}

func readSARIF(t *testing.T, out string) sarifDoc {
	t.Helper()
	var d sarifDoc
	if err := json.Unmarshal([]byte(out), &d); err != nil {
		t.Fatalf("not JSON: %v\n%s", err, out)
	}
	if d.Version != "2.1.0" || len(d.Runs) != 1 {
		t.Fatalf("version %q, %d runs", d.Version, len(d.Runs))
	}
	return d
}

func repoRoot(t *testing.T) {
	t.Helper()
	t.Chdir(filepath.Join("..", ".."))
}

// validate, review and diff write SARIF that GitHub takes: each ruleId in
// rules[] (ruleIndex pointing at it) with its docs section as helpUri,
// relative URIs on SRCROOT, a fingerprint on every result; and Microsoft's
// validator finds nothing wrong with it, GitHub's rules included.
func TestSARIFMeetsGitHubRules(t *testing.T) {
	repoRoot(t)
	runs := map[string][]string{
		"validate": {"validate", "fixtures/rules/BYOC-SCOPES/fail", "fixtures/rules/BYOC-NAME-PREFIX/fail"},
		"review":   {"review", "fixtures/risky1/byoc.yaml"},
		"profile":  {"review", "fixtures/risky1/byoc.yaml", "--profile", "appexchange"},
		"diff":     {"diff", "fixtures/partner1/golden", "fixtures/legacy1/golden"},
	}
	logs := map[string][]byte{}
	for name, args := range runs {
		var out, errb bytes.Buffer
		code := Main(append(args, "--format", "sarif"), IO{In: strings.NewReader(""), Out: &out, Err: &errb}, "v1.2.3-4-gabcdef0")
		if code != exitInvalid {
			t.Errorf("%s: exit %d, want %d (the findings still fail the run)\n%s", name, code, exitInvalid, errb.String())
		}
		d := readSARIF(t, out.String())
		run := d.Runs[0]
		if run.Tool.Driver.Version != "1.2.3" {
			t.Errorf("%s: driver version %q", name, run.Tool.Driver.Version)
		}
		if len(run.Results) == 0 {
			t.Fatalf("%s: no results", name)
		}
		for _, r := range run.Tool.Driver.Rules {
			rd, ok := docs.Lookup(r.ID)
			if !ok || r.HelpURI != docsBase+rd.Page+"#"+rd.Anchor {
				t.Errorf("%s: rule %s has helpUri %q (documented: %v)", name, r.ID, r.HelpURI, ok)
			}
		}
		for _, r := range run.Results {
			if r.RuleIndex >= len(run.Tool.Driver.Rules) || run.Tool.Driver.Rules[r.RuleIndex].ID != r.RuleID {
				t.Errorf("%s: result %s has ruleIndex %d", name, r.RuleID, r.RuleIndex)
			}
			a := r.Locations[0].PhysicalLocation.ArtifactLocation
			if a.URIBaseID != srcRoot || strings.HasPrefix(a.URI, "/") || strings.Contains(a.URI, "!") || strings.Contains(a.URI, ":") {
				t.Errorf("%s: %s located at %+v, want a path relative to SRCROOT", name, r.RuleID, a)
			}
			if len(r.PartialFingerprints[fingerprintKey]) != 32 {
				t.Errorf("%s: %s fingerprints %v", name, r.RuleID, r.PartialFingerprints)
			}
		}
		logs[name] = out.Bytes()
	}
	bin := sarifValidator(t)
	for name, data := range logs {
		validateSARIF(t, bin, name+".sarif", data)
	}
}

// Every validate rule has a section in the docs for its helpUri.
func TestEveryRuleDocumented(t *testing.T) {
	for _, id := range generator.KnownRules() {
		if _, ok := docs.Lookup(id); !ok {
			t.Errorf("%s has no section in docs/rules.md", id)
		}
	}
}

// A fingerprint is the rule, the file and the element, not the line: a
// line added above a problem moves its region and keeps its fingerprint,
// so GitHub keeps tracking the same alert.
func TestSARIFFingerprintIgnoresLines(t *testing.T) {
	src, err := filepath.Abs(filepath.Join("..", "..", "fixtures", "rules", "BYOC-SCOPES", "fail"))
	if err != nil {
		t.Fatal(err)
	}
	t.Chdir(t.TempDir())
	if err := os.CopyFS("p", os.DirFS(src)); err != nil {
		t.Fatal(err)
	}
	prints := func() (map[string]int, map[string]bool) {
		t.Helper()
		_, out, _ := run(t, "validate", "p", "--format", "sarif")
		lines, fps := map[string]int{}, map[string]bool{}
		for _, r := range readSARIF(t, out).Runs[0].Results {
			if !strings.HasSuffix(r.Locations[0].PhysicalLocation.ArtifactLocation.URI, "-meta.xml") {
				continue // sfdx-project.json's own problems: its lines do not move
			}
			fp := r.PartialFingerprints[fingerprintKey]
			if fps[fp] {
				t.Errorf("two results share fingerprint %s", fp)
			}
			fps[fp] = true
			lines[fp] = r.Locations[0].PhysicalLocation.Region.StartLine
		}
		return lines, fps
	}
	before, _ := prints()
	files, _ := filepath.Glob("p/force-app/main/default/*/*-meta.xml")
	for _, f := range files {
		data, _ := os.ReadFile(f)
		decl, rest, _ := bytes.Cut(data, []byte("\n"))
		moved := slices.Concat(decl, []byte("\n\n\n"), rest)
		if err := os.WriteFile(f, moved, 0o644); err != nil {
			t.Fatal(err)
		}
	}
	after, _ := prints()
	if len(before) == 0 || len(before) != len(after) {
		t.Fatalf("fingerprints changed with the lines: before %v, after %v", before, after)
	}
	for fp, line := range before {
		if after[fp] != line+2 {
			t.Errorf("result %s: line %d, then %d (want %d, the same fingerprint)", fp, line, after[fp], line+2)
		}
	}
}

// Files built outside the checkout (a build into $RUNNER_TEMP) are not in
// the repository GitHub shows: with --spec a finding in one points at the
// part of the spec that rendered it (the channel, for a channel
// definition).
func TestSARIFOutsideCheckoutPointsAtSpec(t *testing.T) {
	repoRoot(t)
	out := t.TempDir()
	if err := os.CopyFS(out, os.DirFS("fixtures/rules/BYOC-NAME-PREFIX/fail")); err != nil {
		t.Fatal(err)
	}
	specFile := "fixtures/partner1/byoc.yaml"
	data, _ := os.ReadFile(specFile)
	channelLine := 1 + strings.Count(string(data[:bytes.Index(data, []byte("\nchannel:"))+1]), "\n")

	_, got, _ := run(t, "validate", out, "--format", "sarif", "--spec", specFile)
	d := readSARIF(t, got)
	found := false
	for _, r := range d.Runs[0].Results {
		loc := r.Locations[0].PhysicalLocation
		if loc.ArtifactLocation.URI != specFile || loc.ArtifactLocation.URIBaseID != srcRoot {
			t.Errorf("%s at %+v, want %s", r.RuleID, loc.ArtifactLocation, specFile)
		}
		if r.RuleID == "BYOC-NAME-PREFIX" {
			found = true
			if loc.Region.StartLine != channelLine {
				t.Errorf("BYOC-NAME-PREFIX at spec line %d, want %d (channel:)", loc.Region.StartLine, channelLine)
			}
		}
	}
	if !found {
		t.Fatalf("no BYOC-NAME-PREFIX result:\n%s", got)
	}
	// Without --spec the file is named by an absolute URI: honest, if not
	// one GitHub can show.
	_, got, _ = run(t, "validate", out, "--format", "sarif")
	if u := readSARIF(t, got).Runs[0].Results[0].Locations[0].PhysicalLocation.ArtifactLocation.URI; !strings.HasPrefix(u, "file:///") {
		t.Errorf("outside file without --spec at %q", u)
	}
}
