package validate

import (
	"bytes"
	"context"
	"github.com/byocpack/byocpack/internal/diag"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"
)

// Two Partner channels share the prefix of an app that lacks its OAuth
// settings: the app's problem is its own, reported once, not once per
// channel.
func TestAppProblemOncePerAppNotPerChannel(t *testing.T) {
	in := loadTree(t, cleanDir)
	in.Files = slices.DeleteFunc(in.Files, func(f File) bool { return f.Type == typeOauthSettings })
	i := slices.IndexFunc(in.Files, func(f File) bool { return f.Type == typeCCD })
	second := in.Files[i]
	second.Path = strings.Replace(second.Path, "ChannelDefinition1", "ChannelDefinition2", 1)
	second.Data = bytes.ReplaceAll(second.Data, []byte("Partner1_ChannelDefinition1"), []byte("Partner1_ChannelDefinition2"))
	in.Files = append(in.Files, second)
	ps, err := Run(context.Background(), in, Options{})
	if err != nil {
		t.Fatal(err)
	}
	var got []string
	for _, p := range ps {
		if p.Rule == RuleAppPresence {
			got = append(got, filepath.Base(p.File))
		}
	}
	if d := cmp.Diff([]string{"Partner1_ExternalClientApp1.eca-meta.xml"}, got); d != "" {
		t.Errorf("%s problems (-want +got):\n%s\n%v", RuleAppPresence, d, ps)
	}
}

// A private key in a package directory that is not packaged (source-org)
// is a warning, not the refusal it is in a packaged one.
func TestPrivateKeyOutsideThePackageWarns(t *testing.T) {
	// Spelled in pieces so no secret scanner takes this file for a leak.
	keyPEM := "-----BEGIN " + "PRIVATE" + " KEY-----\nTk9UIEEgUkVBTCBLRVkgLSBmaXh0dXJlIHBsYWNlaG9sZGVy\n-----END " + "PRIVATE" + " KEY-----\n"
	for _, tc := range []struct {
		path      string
		inPackage bool
		want      string
	}{
		{"source-org/server.key", false, "warning"},
		{"force-app/main/default/server.key", true, "error"},
	} {
		in := loadTree(t, cleanDir)
		in.Files = append(in.Files, File{Path: tc.path, InPackage: tc.inPackage, Data: []byte(keyPEM)})
		ps, err := Run(context.Background(), in, Options{})
		if err != nil {
			t.Fatal(err)
		}
		var got []string
		for _, p := range ps {
			got = append(got, string(p.Severity)+" "+p.Rule+" "+p.File)
		}
		if d := cmp.Diff([]string{tc.want + " " + RuleNoPrivateKey + " " + tc.path}, got); d != "" {
			t.Errorf("%s (-want +got):\n%s", tc.path, d)
		}
	}
}

// The per-file cap keeps every error it can and never reports a file
// with errors as one with warnings only.
func TestCapFileNeverHidesAnError(t *testing.T) {
	var ps []diag.Problem
	for i := range 250 {
		ps = append(ps, diag.Problem{File: "f", Line: 1 + i, Severity: diag.Warning, Rule: "w"})
	}
	ps = append(ps, diag.Problem{File: "f", Line: 999, Severity: diag.Error, Rule: "e"})
	got := capFile("f", ps)
	if len(got) != maxFileProblems+1 || !slices.ContainsFunc(got, func(p diag.Problem) bool { return p.Rule == "e" }) {
		t.Errorf("the error was cut: %d problems kept", len(got))
	}
	var errs []diag.Problem
	for i := range 300 {
		errs = append(errs, diag.Problem{File: "f", Line: 1 + i, Severity: diag.Error, Rule: "e"})
	}
	got = capFile("f", append(ps[:250:250], errs...))
	last := slices.IndexFunc(got, func(p diag.Problem) bool { return strings.Contains(p.Message, "more problems") })
	if last < 0 || got[last].Severity != diag.Error {
		t.Errorf("the summary of cut errors is not an error: %+v", got[last])
	}
}
