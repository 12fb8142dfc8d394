package sfdx

import "testing"

// A rule's needle only passes over paths its glob cannot match: with and
// without it, every rule gives the same verdict on every path.
func TestIgnoreNeedleChangesNoVerdict(t *testing.T) {
	lines := []string{
		"**/appMenus/**", "**/profiles/**", "**/jsconfig.json", "**/.eslintrc.json", "**/__tests__/**",
		"**/*.ts", "**/pubsub", "package.xml", "*.md", "/force-app/main/default/lwc/**", "lwc/", "!**/keep.ts",
		"a?c", "**/x*y/**", "**/*", "*", "**", "main/**/tests", "**/settings/**", ".forceignore", "**/[ab]*.js", "{x,y}.txt",
	}
	paths := []string{
		"force-app/main/default/appMenus/a.appMenu-meta.xml", "force-app/appMenus", "appMenus/x", "x/appMenus",
		"force-app/main/default/lwc/foo/foo.ts", "foo.ts", "foo.tsx", "force-app/lwc/__tests__/a.test.js",
		"force-app/main/default/lwc/jsconfig.json", "jsconfig.json", "x/pubsub", "pubsub/x", "package.xml",
		"README.md", "docs/README.md", "force-app/main/default/lwc", "lwc", "a/lwc", "abc", "x/abc", "aXc/d",
		"q/xay/z", "xy", "main/a/b/tests", "main/tests", "keep.ts", "a/keep.ts", "b1.js", "x.txt", "y.txt", "",
	}
	for _, line := range lines {
		r, ok, err := parseIgnoreLine(line)
		if err != nil || !ok {
			t.Fatalf("%q: %v %v", line, ok, err)
		}
		plain := r
		plain.needle = ""
		for _, p := range paths {
			for _, isDir := range []bool{false, true} {
				if got, want := r.matches(p, isDir), plain.matches(p, isDir); got != want {
					t.Errorf("rule %q (needle %q) on %q (dir %v): %v with the needle, %v without", line, r.needle, p, isDir, got, want)
				}
			}
		}
	}
	if r, _, _ := parseIgnoreLine("**/appMenus/**"); r.needle != "appMenus" {
		t.Errorf("needle of **/appMenus/** is %q, want appMenus", r.needle)
	}
}
