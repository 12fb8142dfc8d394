// Package doctor runs the preflight checks no single metadata file can
// answer: does the certificate belong to the key and stay valid, does the
// project on disk still match the spec, are the global OAuth settings
// kept out of git, is the login URL a Salesforce host form, will the
// Interaction Service be able to publish on the platform event. Each check
// passes or fails with the fix, taken from the explain table where
// Salesforce has an error text for it. Doctor reads; it never writes.
package doctor

import (
	"context"
	"crypto/rsa"
	"crypto/x509"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"strings"
	"time"

	"github.com/byocpack/byocpack/generator/cred"
	"github.com/byocpack/byocpack/generator/explain"
	"github.com/byocpack/byocpack/generator/spec"
	"github.com/byocpack/byocpack/internal/diag"
	"github.com/byocpack/byocpack/internal/tree"
)

// Status is a check's verdict.
type Status string

// Verdicts. Only Fail makes the run fail; Warn is what doctor cannot
// verify or what works but is risky; Skip is a check without its input.
const (
	Pass Status = "pass"
	Fail Status = "fail"
	Warn Status = "warn"
	Skip Status = "skip"
)

// Check is one line of the report.
type Check struct {
	ID      string `json:"id"`
	Status  Status `json:"status"`
	Message string `json:"message"`
	Fix     string `json:"fix,omitempty"`
	// Explain names the explain entry of the Salesforce error this check
	// prevents, when there is one.
	Explain string `json:"explain,omitempty"`
}

// Report is every check, in the order they ran.
type Report struct {
	Checks []Check `json:"checks"`
}

// Count returns how many checks have status s.
func (r *Report) Count(s Status) int {
	n := 0
	for _, c := range r.Checks {
		if c.Status == s {
			n++
		}
	}
	return n
}

// Options are the inputs of Run; each check runs when its inputs are
// given and is skipped, saying what to pass, when not.
type Options struct {
	// SpecFS holds the spec and its certificate; SpecPath is the spec
	// within it and SpecDisplay its name in messages.
	SpecFS      fs.FS
	SpecPath    string
	SpecDisplay string
	// SpecDir is the spec's directory on disk, to tell whether the key
	// sits inside the project.
	SpecDir string
	// OutDir is the project byocpack rendered (empty: skip those checks).
	OutDir string
	// KeyPath is the private key that signs the JWT (empty: skip).
	KeyPath string
	// Passphrase decrypts an encrypted key (nil: none given).
	Passphrase func() ([]byte, error)
	// LoginURL is the login URL the JWT goes to (empty: the project's
	// sfdcLoginUrl, if any).
	LoginURL string
	// Now is the time certificates are judged at (zero: time.Now).
	Now time.Time
}

// ExpiryWarning is how long before its expiry a certificate is a warning
// (the same window as review's): Salesforce does not refuse an expired certificate, so nothing
// else warns before tokens stop.
const ExpiryWarning = 30 * 24 * time.Hour

type run struct {
	ctx    context.Context
	opts   Options
	now    time.Time
	report *Report
	spec   *spec.Spec
	cert   *x509.Certificate
	proj   *project
}

func (r *run) add(c Check) { r.report.Checks = append(r.report.Checks, c) }

// explained fills a check's fix from the explain entry id, after the
// specific advice.
func explained(c Check, id string) Check {
	if e, ok := explain.Lookup(id); ok {
		c.Explain = id
		if c.Fix == "" {
			c.Fix = e.Fix
		} else {
			c.Fix += " " + e.Fix
		}
	}
	return c
}

// Run runs every check and returns the report; an error only for a
// canceled context.
func Run(ctx context.Context, opts Options) (*Report, error) {
	r := &run{ctx: ctx, opts: opts, now: opts.Now, report: &Report{}}
	if r.now.IsZero() {
		r.now = time.Now()
	}
	r.checkSpec()
	r.checkCertificate()
	r.checkKey()
	r.checkNamespace()
	r.checkAppSettings()
	r.checkNamedUserJWT()
	r.checkProject()
	r.checkSourceOrg()
	r.checkLoginURL()
	r.checkEventAccess()
	return r.report, ctx.Err()
}

func (r *run) checkSpec() {
	o := r.opts
	if o.SpecFS == nil {
		r.add(Check{ID: "spec", Status: Skip, Message: "no spec given", Fix: "pass -f byoc.yaml"})
		return
	}
	shown := o.SpecDisplay
	if shown == "" {
		shown = o.SpecPath
	}
	s, err := spec.Load(o.SpecFS, o.SpecPath, shown)
	var list diag.List
	switch {
	case errors.As(err, &list):
		lines := make([]string, 0, len(list))
		for _, p := range list {
			lines = append(lines, p.String())
		}
		r.add(Check{ID: "spec", Status: Fail, Message: fmt.Sprintf("%s has %d problems:\n%s", shown, len(list), strings.Join(lines, "\n")),
			Fix: "fix each problem (byocpack render -f " + shown + " --dry-run shows them too); the checks that need the spec are skipped"})
		return
	case err != nil:
		r.add(Check{ID: "spec", Status: Fail, Message: err.Error()})
		return
	}
	r.spec = s
	msg := fmt.Sprintf("%s: prefix %s, channel %s", shown, s.Prefix, s.ChannelDeveloperName())
	if s.App != nil {
		msg += fmt.Sprintf(", app %s (%s)", s.AppAPIName(), s.App.Type)
	}
	r.add(Check{ID: "spec", Status: Pass, Message: msg})
}

func (r *run) checkCertificate() {
	switch {
	case r.spec == nil:
		r.add(Check{ID: "certificate", Status: Skip, Message: "no spec to name the certificate"})
		return
	case r.spec.App == nil:
		r.add(Check{ID: "certificate", Status: Skip, Message: "connectedAppType Customer: the package carries no app; the customer's admin makes its certificate"})
		return
	}
	c, err := cred.ParseCertificate([]byte(r.spec.App.CertificatePEM))
	if err != nil {
		r.add(Check{ID: "certificate", Status: Fail, Message: err.Error(), Fix: "make a new pair with byocpack cert"})
		return
	}
	r.cert = c
	path := r.spec.App.CertificatePath
	renew := fmt.Sprintf("make a new pair (byocpack cert --out %s --key ../%s --force), render and build again, and deploy the global OAuth settings with the new certificate to the org that owns the app", filepath.ToSlash(filepath.Dir(path)), spec.KeyFileName(r.spec.Prefix))
	shown := r.opts.SpecDisplay
	if shown == "" {
		shown = r.opts.SpecPath
	}
	rotate := fmt.Sprintf("byocpack cert rotate -f %s makes the next key and certificate and switches app.certificate; then follow SETUP.md's cut-over (deploy the new certificate to the org that owns the app, then sign with the new key)", shown)
	day := func(t time.Time) string { return t.UTC().Format("2006-01-02") }
	left := c.NotAfter.Sub(r.now)
	pub, isRSA := c.PublicKey.(*rsa.PublicKey)
	switch {
	case !isRSA:
		r.add(Check{ID: "certificate", Status: Fail, Message: fmt.Sprintf("%s holds a %s key; the JWT bearer flow signs with RS256", path, c.PublicKeyAlgorithm), Fix: renew})
	case pub.N.BitLen() < 2048:
		r.add(Check{ID: "certificate", Status: Fail, Message: fmt.Sprintf("%s has an RSA key of %d bits, under 2048", path, pub.N.BitLen()), Fix: renew})
	case r.now.Before(c.NotBefore):
		r.add(Check{ID: "certificate", Status: Fail, Message: fmt.Sprintf("%s is not valid before %s", path, day(c.NotBefore)), Fix: "check this machine's clock, or " + renew})
	case left <= 0:
		r.add(Check{ID: "certificate", Status: Fail, Message: fmt.Sprintf("%s expired on %s (Salesforce does not refuse it, but do not rely on that)", path, day(c.NotAfter)), Fix: rotate})
	case left < ExpiryWarning:
		// It still works: a warning, with the time to rotate.
		r.add(Check{ID: "certificate", Status: Warn, Message: fmt.Sprintf("%s expires on %s, in %d days", path, day(c.NotAfter), int(left.Hours()/24)), Fix: rotate})
	default:
		r.add(Check{ID: "certificate", Status: Pass, Message: fmt.Sprintf("%s: RSA %d, valid until %s (%d days), SHA-256 %s", path, pub.N.BitLen(), day(c.NotAfter), int(left.Hours()/24), cred.Fingerprint(c))})
	}
}

func (r *run) checkKey() {
	o := r.opts
	found := ""
	if o.KeyPath == "" && o.SpecDir != "" && r.spec != nil {
		// Where init --cert puts it.
		name := spec.KeyFileName(r.spec.Prefix)
		if r.spec.App != nil {
			name = spec.KeyFileFor(r.spec.Prefix, r.spec.App.CertificatePath)
		}
		p := filepath.Join(o.SpecDir, "..", name)
		if _, err := os.Stat(p); err == nil {
			o.KeyPath, found = p, " (found beside the project)"
		}
	}
	if o.KeyPath == "" {
		r.add(Check{ID: "key", Status: Skip, Message: "no --key given", Fix: "pass --key (the private key that signs the JWT) to check that it belongs to the certificate"})
		return
	}
	data, err := tree.ReadPath(o.KeyPath)
	if err != nil {
		r.add(Check{ID: "key", Status: Fail, Message: fmt.Sprintf("cannot read %s: %v", o.KeyPath, err), Fix: "pass the path of the private key that signs the JWT"})
		return
	}
	key, err := cred.ParseKey(data, o.Passphrase)
	if err != nil {
		fix := "pass the private key made with the certificate"
		switch {
		case errors.Is(err, cred.ErrPassphraseNeeded):
			fix = "pass --passphrase-file FILE or --passphrase-env NAME"
		case errors.Is(err, cred.ErrWrongPassphrase):
			fix = "check the passphrase"
		}
		r.add(Check{ID: "key", Status: Fail, Message: fmt.Sprintf("%s: %v", o.KeyPath, err), Fix: fix})
		return
	}
	var problems, fixes []string
	if fi, err := os.Stat(o.KeyPath); err == nil && fi.Mode().Perm()&0o077 != 0 {
		problems = append(problems, fmt.Sprintf("others can read it (mode %04o)", fi.Mode().Perm()))
		fixes = append(fixes, "chmod 600 "+o.KeyPath)
	}
	for _, dir := range []string{o.SpecDir, o.OutDir} {
		if dir != "" && inside(o.KeyPath, dir) {
			problems = append(problems, "it is inside the project ("+dir+"), where it may be committed or packaged")
			fixes = append(fixes, "move it beside the project directory (../"+keyName(r.spec)+") and pass that path")
			break
		}
	}
	switch {
	case r.cert != nil && !cred.Matches(r.cert, key):
		r.add(Check{ID: "key", Status: Fail, Message: fmt.Sprintf("%s is not the key of %s: Salesforce would refuse every assertion it signs", o.KeyPath, r.spec.App.CertificatePath),
			Fix: "pass the key made with that certificate, or make a new pair with byocpack cert and render again"})
	case len(problems) > 0:
		r.add(Check{ID: "key", Status: Fail, Message: o.KeyPath + ": " + strings.Join(problems, "; "), Fix: strings.Join(fixes, "; ")})
	case cred.WeakKey(key) != "":
		r.add(Check{ID: "key", Status: Warn, Message: o.KeyPath + ": " + cred.WeakKey(key), Fix: "byocpack cert --bits 2048 (or more), then upload the new certificate"})
	case r.cert == nil:
		r.add(Check{ID: "key", Status: Pass, Message: fmt.Sprintf("%s: RSA %d (no certificate to match it with)", o.KeyPath, key.N.BitLen())})
	default:
		r.add(Check{ID: "key", Status: Pass, Message: fmt.Sprintf("%s%s belongs to %s and is readable by its owner only", o.KeyPath, found, r.spec.App.CertificatePath)})
	}
}

func keyName(s *spec.Spec) string {
	if s == nil {
		return "server.key"
	}
	return spec.KeyFileName(s.Prefix)
}

// inside reports whether path is dir or below it.
func inside(path, dir string) bool {
	p, err1 := filepath.Abs(path)
	d, err2 := filepath.Abs(dir)
	if err1 != nil || err2 != nil {
		return false
	}
	rel, err := filepath.Rel(d, p)
	return err == nil && rel != ".." && !strings.HasPrefix(rel, ".."+string(filepath.Separator))
}

// placeholderDomains are the reserved domains init and migrate write.
func placeholderDomains() []string { return []string{".example", ".test", ".invalid", "example.com"} }

// contactEmailCheck warns of a placeholder address (init writes one); it
// is one check among the app's, never the end of them.
func contactEmailCheck(email string) Check {
	domain := email[strings.LastIndex(email, "@")+1:]
	for _, d := range placeholderDomains() {
		if strings.HasSuffix(domain, d) {
			return Check{ID: "contact-email", Status: Warn, Message: fmt.Sprintf("app.contactEmail %s is a placeholder", email),
				Fix: "give the address Salesforce should write to about the app"}
		}
	}
	return Check{ID: "contact-email", Status: Pass, Message: "app.contactEmail " + email}
}

// checkAppSettings judges what the spec says about the app that only
// shows at run time.
func (r *run) checkAppSettings() {
	if r.spec == nil || r.spec.App == nil {
		return
	}
	a := r.spec.App
	r.add(contactEmailCheck(a.ContactEmail))

	switch p := a.Policies; spec.JudgePreAuthorization(p) {
	case spec.SelfAuthorized:
		r.add(explained(Check{ID: "pre-authorization", Status: Warn,
			Message: "app.policies.permittedUsers is " + p.PermittedUsers + ": the JWT bearer flow has no consent screen, so a user who never approved the app gets \"user hasn't approved this consumer\"",
			Fix:     "set app.policies.permittedUsers AdminApprovedPreAuthorized with the Interaction Service user's profile or permission set."}, "user-not-approved"))
	case spec.NoOne:
		r.add(explained(Check{ID: "pre-authorization", Status: Fail,
			Message: "the app pre-authorizes no profile and no permission set: no user can get a token",
			Fix:     "list the Interaction Service user's profile in app.policies.profiles or a permission set in app.policies.permissionSets."}, "user-not-approved"))
	default:
		r.add(Check{ID: "pre-authorization", Status: Pass, Message: fmt.Sprintf("admin-approved users are pre-authorized: profiles %v, permission sets %v", p.Profiles, p.PermissionSets)})
	}
	if a.Type == spec.ExternalClientApplication && a.DistributionState == spec.Local && r.spec.Channel.ConnectedAppType == spec.Partner {
		r.add(explained(Check{ID: "distribution", Status: Warn,
			Message: "app.distributionState is Local: the app lives only in the org that made it, and a subscriber org answers \"External client app is not installed in this org\"",
			Fix:     "set app.distributionState Packaged before building the managed package."}, "app-not-installed"))
	}
}

// checkNamedUserJWT says what each app type's procedure asks of
// named-user JWT-based access tokens, and what to turn on when the
// Interaction API refuses calls made with a valid token.
func (r *run) checkNamedUserJWT() {
	if r.spec == nil || r.spec.App == nil {
		return
	}
	switch a := r.spec.App; {
	case a.Stub():
	case a.NamedUserJWT:
		r.add(Check{ID: "named-user-jwt", Status: Pass, Message: "the app issues JWT-based access tokens for named users (app.namedUserJwt)"})
	case a.Type == spec.ConnectedApp:
		r.add(Check{ID: "named-user-jwt", Status: Warn, Message: "app.namedUserJwt is false: Salesforce's connected-app procedure for the Interaction Service asks for \"Issue JSON Web Token (JWT)-based access tokens for named users\" (step 7)",
			Fix: "remove app.namedUserJwt: false (a connected app has it on by default), render and deploy again"})
	default:
		r.add(Check{ID: "named-user-jwt", Status: Pass, Message: "named-user JWT-based access tokens are off, as the external client app's procedure has it; if the Interaction API refuses calls made with a valid token, set app.namedUserJwt: true, render, and deploy the global OAuth settings again"})
	}
}

// checkNamespace: a managed package needs the namespace registered in the
// Dev Hub; a Local external client app is never packaged.
func (r *run) checkNamespace() {
	if r.spec == nil || (r.spec.App != nil && r.spec.App.Type == spec.ExternalClientApplication && r.spec.App.DistributionState == spec.Local) {
		return
	}
	if ns := r.spec.Package.Namespace; ns != "" {
		r.add(Check{ID: "namespace", Status: Pass, Message: "package.namespace " + ns})
		return
	}
	r.add(Check{ID: "namespace", Status: Warn, Message: "package.namespace is empty, but a managed package needs one: sf package create --package-type Managed refuses a project without a namespace",
		Fix: "register a namespace prefix, link it to the Dev Hub, set package.namespace to it and render again"})
}
