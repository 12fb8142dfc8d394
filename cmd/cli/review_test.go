package cli

import (
	"bytes"
	"context"
	"encoding/json"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"
	"github.com/spf13/cobra"
)

// reviewAt runs review with certificates judged at now.
func reviewAt(t *testing.T, now time.Time, args ...string) (int, string) {
	t.Helper()
	var out, errb bytes.Buffer
	io := IO{Out: &out, Err: &errb}
	var cmd *cobra.Command
	cmd = NewCmdReview(io, func(o *ReviewOptions) error { o.Now = now; return runReview(cmd, o) })
	cmd.SetArgs(args)
	cmd.SilenceErrors, cmd.SilenceUsage = true, true
	err := cmd.ExecuteContext(context.Background())
	code := 0
	if err != nil {
		code = report(io, cmd, err, args)
	}
	return code, out.String() + errb.String()
}

var reviewDay = time.Date(2027, 1, 15, 0, 0, 0, 0, time.UTC)

func TestReviewPartnerMarkdown(t *testing.T) {
	code, got := reviewAt(t, reviewDay, "../../fixtures/partner1/byoc.yaml")
	want := "# Review: Partner1 Messaging 1.0.0.NEXT\n\n" +
		"`../../fixtures/partner1/byoc.yaml` (spec) · namespace `partner1` · API 66.0 · 0 errors, 1 warning flagged\n\n" +
		"## Risks\n\n" +
		"- **warning** `REVIEW-REFRESH-FOREVER` Partner1_ExternalClientApp1_oauthPlcy: refresh tokens are valid until revoked (refreshTokenPolicyType Infinite), so a leaked one grants access for good  \n" +
		"  **Fix:** set app.policies.refreshTokenPolicy: SpecificLifetime with refreshTokenValidity and refreshTokenValidityUnit (for example 90 Days) in ../../fixtures/partner1/byoc.yaml; the JWT bearer flow the channel uses issues no refresh token, so nothing depends on one living forever  \n" +
		"  `../../fixtures/partner1/byoc.yaml!source-org/main/default/extlClntAppOauthPolicies/Partner1_ExternalClientApp1_oauthPlcy.ecaOauthPlcy-meta.xml:8`\n\n" +
		"## App `Partner1_ExternalClientApp1` (ExternalClientApplication)\n\nthe BYOC app: a Partner channel links to it by prefix\n\n| | |\n|---|---|\n" +
		"| label | Partner1 ExternalClientApp1 |\n" +
		"| distribution state | Packaged |\n" +
		"| contact | dev@partner1.example |\n" +
		"| JWT bearer | on: the global OAuth settings hold a certificate |\n" +
		"| named-user JWT access tokens | off (the external client app's procedure does not ask for it; if the Interaction API refuses calls made with a valid token, set app.namedUserJwt: true) |\n" +
		"| permitted users | AdminApprovedPreAuthorized |\n" +
		"| profiles | System Administrator |\n" +
		"| permission sets | none |\n" +
		"| callback URLs | https://login.salesforce.com |\n" +
		"| refresh tokens | Infinite |\n" +
		"| IP relaxation | Enforce |\n" +
		"| trusted IP ranges | none |\n" +
		"| client credentials flow | off |\n" +
		"| session policy | not set: the org's own session settings apply |\n" +
		"| certificate | CN=partner1.example,O=byocpack test fixture partner1, valid until 2126-11-01 (36449 days left) |\n\n" +
		"| scope | allows |\n|---|---|\n" +
		"| `RefreshToken` | keep access without the user present through refresh tokens (refresh_token, offline_access) |\n" +
		"| `Interaction` | call the Interaction Service API (interaction_api): what the BYOC channel needs |\n\n" +
		"## Channel `Partner1_ChannelDefinition1`\n\n| | |\n|---|---|\n" +
		"| label | Partner1 Messaging |\n" +
		"| connected app type | Partner |\n" +
		"| routing owner | Salesforce |\n" +
		"| consent owner | Salesforce |\n" +
		"| vendor | Vendor1 |\n" +
		"| platform event | Message_Event__e |\n" +
		"| payload field | Message_Event__e.Payload__c |\n" +
		"| event type field | Message_Event__e.EventType__c |\n" +
		"| features | supportsImplicitConsent: true |\n\n" +
		"## Platform event `Message_Event__e`\n\nMessage Event, HighVolume, PublishAfterCommit\n\n" +
		"| field | type | length |\n|---|---|---|\n" +
		"| `EventType__c` | Text | 255 |\n" +
		"| `Payload__c` | LongTextArea | 131072 |\n\n" +
		"## Vendor `Vendor1`\n\nVendor1, BringYourOwnChannelPartner\n\n" +
		"## Outside the package\n\n" +
		"Not packaged: deploy these, together with the app they name, to the org that owns the app (its Dev Hub), with the command the project's SETUP.md gives (byocpack doctor prints it too); source-org alone fails on a first deploy, and subscribers never receive them.\n" +
		"- `ExtlClntAppConfigurablePolicies Partner1_ExternalClientApp1_plcy`\n" +
		"- `ExtlClntAppGlobalOauthSettings Partner1_ExternalClientApp1_glbloauth`\n" +
		"- `ExtlClntAppOauthConfigurablePolicies Partner1_ExternalClientApp1_oauthPlcy`\n"
	if d := cmp.Diff(want, got); d != "" || code != 0 {
		t.Errorf("exit %d (-want +got):\n%s", code, d)
	}
	if code, _ := reviewAt(t, reviewDay, "../../fixtures/partner1/byoc.yaml", "--strict"); code != 1 {
		t.Errorf("--strict with a warning: exit %d, want 1", code)
	}
}

func TestReviewRiskyGitHub(t *testing.T) {
	code, got := reviewAt(t, reviewDay, "../../fixtures/risky1/byoc.yaml", "--format", "github")
	var rules []string
	for _, l := range strings.Split(strings.TrimSpace(got), "\n") {
		if strings.HasPrefix(l, "::") {
			head, _, _ := strings.Cut(l, "::"+strings.SplitN(l, "::", 3)[2])
			rules = append(rules, head)
		} else {
			rules = append(rules, l)
		}
	}
	want := []string{
		"::warning file=../../fixtures/risky1/byoc.yaml,title=REVIEW-BROAD-SCOPE",
		"::warning file=../../fixtures/risky1/byoc.yaml,title=REVIEW-BROAD-SCOPE",
		"::error file=../../fixtures/risky1/byoc.yaml,title=REVIEW-BROAD-SCOPE",
		"::error file=../../fixtures/risky1/byoc.yaml,title=REVIEW-CALLBACK-WILDCARD",
		"::warning file=../../fixtures/risky1/byoc.yaml,title=REVIEW-CERT-EXPIRING",
		"::error file=../../fixtures/risky1/byoc.yaml,title=REVIEW-SELF-AUTHORIZED",
		"::warning file=../../fixtures/risky1/byoc.yaml,title=REVIEW-REFRESH-FOREVER",
		"review of ../../fixtures/risky1/byoc.yaml: 3 errors, 4 warnings flagged",
	}
	if d := cmp.Diff(want, rules); d != "" || code != 1 {
		t.Errorf("exit %d (-want +got):\n%s\n%s", code, d, got)
	}
}

func TestReviewZipSaysWhatIsNotInIt(t *testing.T) {
	dir := t.TempDir()
	fx := partnerFixture(t)
	t.Chdir(dir)
	buildPartner(t, fx, dir, "a", same)
	code, got := reviewAt(t, reviewDay, "a/dist/package-version-info.zip", "--format", "json")
	for _, s := range []string{`"kind": "package-version-info.zip"`, `"permittedUsers": "not in this zip: set in the org that owns the app"`, `"known": false`, `"name": "Interaction"`, `"flags": []`} {
		if !strings.Contains(got, s) || code != 0 {
			t.Errorf("exit %d, lacks %s:\n%s", code, s, got)
		}
	}
}

func TestValidateGitHub(t *testing.T) {
	file := "../../fixtures/rules/BYOC-SCOPE-TOKEN/fail/force-app/main/default/extlClntAppOauthSettings/CI_Deploy_oauth.ecaOauth-meta.xml"
	code, stdout, _ := run(t, "validate", "--format", "github", file)
	want := "::error file=" + file + ",line=3,col=5,title=BYOC-SCOPE-TOKEN::commaSeparatedOauthScopes \"Intraction\" is not an OAuth scope"
	if code != 1 || !strings.HasPrefix(stdout, want) || !strings.HasSuffix(stdout, "1 file checked: 3 errors, 0 warnings\n") {
		t.Errorf("exit %d:\n%s", code, stdout)
	}
}

// A fresh project (init --namespace --cert) passes its own review
// --strict: its app gets no refresh token, so the default refresh-token
// policy governs nothing. With --json the flags are the problems and the
// counts agree with the status; --profile appexchange names each rule's
// control and where its setting lives.
func TestReviewFreshProjectAndJSONProblems(t *testing.T) {
	dir := t.TempDir()
	spec := filepath.Join(dir, "acme", "byoc.yaml")
	if err := os.MkdirAll(filepath.Dir(spec), 0o755); err != nil {
		t.Fatal(err)
	}
	if code, _, stderr := run(t, "init", "-o", spec, "--namespace", "acme", "--cert"); code != 0 {
		t.Fatalf("init: exit %d: %s", code, stderr)
	}
	if code, got := reviewAt(t, time.Now(), spec, "--strict"); code != 0 {
		t.Errorf("review --strict of a fresh project: exit %d\n%s", code, got)
	}

	code, got := reviewAt(t, reviewDay, "../../fixtures/risky1/byoc.yaml", "--format", "json")
	var env struct {
		Status   string `json:"status"`
		Errors   int    `json:"errors"`
		Warnings int    `json:"warnings"`
		Problems []struct {
			Rule, Severity, Message, Fix string
		} `json:"problems"`
		Result struct {
			Flags []struct{ Rule, Severity, Message, Fix string } `json:"flags"`
		} `json:"result"`
	}
	if err := json.Unmarshal([]byte(got), &env); err != nil {
		t.Fatal(err)
	}
	if code != 1 || env.Status != "refused" || env.Errors != 3 || env.Warnings != 4 || len(env.Problems) != 7 || !cmp.Equal(env.Problems, env.Result.Flags) {
		t.Errorf("exit %d, status %s, %d errors, %d warnings, problems %+v", code, env.Status, env.Errors, env.Warnings, env.Problems)
	}

	code, got = reviewAt(t, reviewDay, "../../fixtures/partner1/byoc.yaml", "--profile", "appexchange")
	for _, want := range []string{
		"`APPX-PKCE` Partner1_ExternalClientApp1: PKCE is not required",
		`\[ISVforce Secure Your Connected Apps and External Client Apps (required from May-June 2026): PKCE\]`, // markdown-escaped
		"(where: ExtlClntAppGlobalOauthSettings (Dev Hub only: never packaged, deploy it to the org that owns the app))",
		"`APPX-REFRESH-ROTATION`",
		"`APPX-REFRESH-IDLE-30D`", "metadata can say so (isEnforceRefreshTokenTTL) from API 67.0 only",
		"`APPX-IP-ALLOWLIST`", "they are yours to supply", "(where: ExtlClntAppOauthSettings (packaged))",
	} {
		if !strings.Contains(got, want) || code != 1 {
			t.Errorf("exit %d; --profile appexchange lacks %q:\n%s", code, want, got)
		}
	}
	if code, got := reviewAt(t, reviewDay, "../../fixtures/partner1/byoc.yaml", "--profile", "nope"); code != 2 || !strings.Contains(got, "appexchange") {
		t.Errorf("unknown profile: exit %d %s", code, got)
	}
}

// A zip never holds the global OAuth settings: the profile cannot judge
// PKCE there and says to check the org that owns the app (a warning).
func TestReviewZipProfileSaysWhereToCheck(t *testing.T) {
	dir := t.TempDir()
	fx := partnerFixture(t)
	t.Chdir(dir)
	buildPartner(t, fx, dir, "a", same)
	code, got := reviewAt(t, reviewDay, "a/dist/package-version-info.zip", "--profile", "appexchange", "--format", "github")
	for _, want := range []string{"::warning ", "title=APPX-PKCE::Partner1_ExternalClientApp1: this target does not hold isPkceRequired; check it in the org that owns the app", "title=APPX-IP-ALLOWLIST"} {
		if !strings.Contains(got, want) || code != 1 {
			t.Errorf("exit %d, lacks %q:\n%s", code, want, got)
		}
	}
}
