package generator

import (
	"bytes"
	"fmt"
	"path/filepath"

	"byocpack/internal/diag"
	"byocpack/internal/sfdx"
)

// RuleSecretGate is the rule of a secret found in what would be zipped.
const RuleSecretGate = "secret-in-package"

// secretsGate refuses a package directory that holds a private key, a
// consumer key or secret, or global OAuth settings, in any file whatever
// its suffix: these must never reach a package or a zip. It runs on the
// exact bytes that are zipped.
func secretsGate(snap *sfdx.Snapshot, shown, packageDir string) error {
	pd := snap.Project.DefaultPackageDir()
	for i := range snap.Project.PackageDirectories {
		c := &snap.Project.PackageDirectories[i]
		if packageDir != "" && (c.Path == packageDir || c.Package == packageDir) {
			pd = c
		}
	}
	var found []diag.Problem
	for _, p := range snap.Tree.Under(pd.Path) {
		if snap.Ignore.Denies(p) {
			continue
		}
		data, _ := snap.Tree.Get(p)
		for _, s := range scanSecrets(data) {
			found = append(found, diag.Problem{File: filepath.ToSlash(filepath.Join(shown, p)), Line: s.line, Severity: diag.Error, Rule: RuleSecretGate,
				Message: fmt.Sprintf("%s would be zipped into the package; remove it from %s (keep it outside the project, or in the non-packaged source-org directory where Salesforce says so)", s.what, pd.Path)})
		}
	}
	if len(found) > 0 {
		return diag.List(diag.Sort(found))
	}
	return nil
}

type secretHit struct {
	line int
	what string
}

func scanSecrets(data []byte) []secretHit {
	var hits []secretHit
	for _, m := range []struct{ needle, what string }{
		{"PRIVATE " + "KEY-----", "a private key"},
		{"<consumerKey>", "an OAuth consumer key"},
		{"<consumerSecret>", "an OAuth consumer secret"},
		{"<ExtlClntAppGlobalOauthSettings", "ExtlClntAppGlobalOauthSettings (the global OAuth settings, which Salesforce says can't be packaged)"},
	} {
		if i := bytes.Index(data, []byte(m.needle)); i >= 0 {
			hits = append(hits, secretHit{line: bytes.Count(data[:i], []byte("\n")) + 1, what: m.what})
		}
	}
	return hits
}
