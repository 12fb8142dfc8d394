package outdir

import "testing"

// What byocpack writes passes, whatever folders the spec names; .git and
// byocpack's state, in any spelling a file system reads as them, do not,
// nor files byocpack never writes.
func TestCheckOwnedPath(t *testing.T) {
	for p, ok := range map[string]bool{
		"sfdx-project.json": true,
		".gitignore":        true,
		"src/.app/main/default/classes/A.cls-meta.xml": true,
		"src/app./x-meta.xml":                          true,
		"force-app /x-meta.xml":                        true,
		".dist/package.zip":                            true,
		"build/.artifacts/package-version-info.zip":    true,
		".git/HEAD":                            false,
		".GIT/hooks/pre-commit-meta.xml":       false,
		".git./config-meta.xml":                false,
		"a/.Git /x-meta.xml":                   false,
		"GIT~1/x-meta.xml":                     false,
		".byocpack/committed.json":             false,
		".BYOCPACK./n0-meta.xml":               false,
		"NOTES.md":                             false,
		"force-app/main/default/classes/A.cls": false,
	} {
		if err := checkOwnedPath(p, false); (err == nil) != ok {
			t.Errorf("checkOwnedPath(%q) = %v, want ok=%v", p, err, ok)
		}
	}
	if checkOwnedPath(ManifestName, true) != nil || checkOwnedPath(ManifestName, false) == nil {
		t.Error("the manifest is a journal's write, never a manifest's entry")
	}
}
