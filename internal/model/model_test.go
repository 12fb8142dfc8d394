package model

import (
	"bytes"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"testing/fstest"
)

func sample(t *testing.T, version string) *Model {
	t.Helper()
	m, err := New(version, strings.Repeat("ab", 32), []string{"Widget"},
		[]*Complex{
			{Name: "Metadata", Own: []Element{{Name: "fullName", Type: "xsd:string", Min: 0, Max: 1}}},
			{Name: "Widget", Base: "Metadata", Own: []Element{
				{Name: "color", Type: "Color", Min: 1, Max: 1},
				{Name: "id", Type: "ID", Min: 0, Max: 1, Nillable: true},
				{Name: "parts", Type: "Metadata", Min: 0, Max: -1},
			}},
		},
		[]*Simple{
			{Name: "Color", Base: String, Enum: []string{"Red", "Dark Blue", " spaced "}, Length: -1, MinLength: -1, MaxLength: -1},
			{Name: "ID", Base: String, Patterns: []string{"[a-zA-Z0-9]{18}"}, Length: 18, MinLength: -1, MaxLength: -1},
		})
	if err != nil {
		t.Fatal(err)
	}
	m.Header = []string{"made by a test", ""}
	return m
}

func TestEncodeDecodeRoundTrip(t *testing.T) {
	m := sample(t, "66.0")
	data, err := Encode(m)
	if err != nil {
		t.Fatal(err)
	}
	back, err := Decode("x.models", data)
	if err != nil {
		t.Fatal(err)
	}
	again, err := Encode(back)
	if err != nil || !bytes.Equal(data, again) {
		t.Fatalf("not stable: %v\n%s\n%s", err, data, again)
	}
	w := back.Root("Widget")
	if i, e := w.Lookup("parts"); i != 3 || !e.Repeatable() || e.Complex() != back.Complex("Metadata") {
		t.Errorf("parts at %d: %+v", i, e)
	}
	if _, e := w.Lookup("color"); !e.Simple().Allows(" spaced ") || e.Simple().Allows("spaced") || !e.Simple().Allows("Dark Blue") {
		t.Error("enumeration values lost their spaces")
	}
	if _, e := w.Lookup("id"); !e.Nillable || !e.Simple().Matches("a00000000000000001") || e.Simple().Matches("a00000000000000001x") {
		t.Error("pattern not anchored or nillable lost")
	}
	if back.Root("Metadata") != nil {
		t.Error("a type that is not a root has a root")
	}
}

func TestDecodeRefuses(t *testing.T) {
	good, _ := Encode(sample(t, "66.0"))
	for name, data := range map[string]string{
		"magic":      "byocpack-models 2\nversion 66.0\n",
		"no version": "byocpack-models 1\nroot A\n",
		"dangling":   "byocpack-models 1\nversion 66.0\ncomplex A\ne x Missing 0 1\n",
		"counts":     "byocpack-models 1\nversion 66.0\ncomplex A\ne x xsd:string 2 1\n",
		"cycle":      "byocpack-models 1\nversion 66.0\ncomplex A B\ncomplex B A\n",
		"unknown":    string(good) + "bogus line\n",
		"builtin":    "byocpack-models 1\nversion 66.0\ncomplex A\ne x xsd:duration 0 1\n",
	} {
		if _, err := Decode("f.models", []byte(data)); err == nil || !strings.Contains(err.Error(), "f.models") {
			t.Errorf("%s: err = %v", name, err)
		}
	}
}

func write(t *testing.T, dir, version string) string {
	t.Helper()
	data, err := Encode(sample(t, version))
	if err != nil {
		t.Fatal(err)
	}
	p := filepath.Join(dir, FileName(version))
	if err := os.MkdirAll(dir, 0o755); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(p, data, 0o644); err != nil {
		t.Fatal(err)
	}
	return p
}

func TestSetResolvesAndLayers(t *testing.T) {
	m62, _ := Encode(sample(t, "62.0"))
	m66, _ := Encode(sample(t, "66.0"))
	base := NewSet(fstest.MapFS{"models/v62.0.models": {Data: m62}, "models/v66.0.models": {Data: m66}, "models/notes.txt": {}}, "models")
	if got := strings.Join(base.Versions(), ","); got != "62.0,66.0" {
		t.Fatalf("versions %s", got)
	}
	for v, want := range map[string]string{"66.0": "66.0 false true", "67.0": "66.0 true true", "100.0": "66.0 true true", "64.0": " false false", "61.0": " false false", "x": " false false"} {
		use, newer, ok := base.Resolve(v)
		if got := strings.Join([]string{use, boolStr(newer), boolStr(ok)}, " "); got != want {
			t.Errorf("Resolve(%s) = %s, want %s", v, got, want)
		}
	}
	project := t.TempDir()
	p67 := write(t, filepath.Join(project, ProjectDir), "67.0")
	p66 := write(t, filepath.Join(project, ProjectDir), "66.0")
	t.Setenv("XDG_CACHE_HOME", t.TempDir())
	cache, err := CacheDir()
	if err != nil {
		t.Fatal(err)
	}
	write(t, cache, "62.0")
	c68 := write(t, cache, "68.0")
	s, err := ForProject(base, project, true)
	if err != nil {
		t.Fatal(err)
	}
	want := []Origin{
		{"62.0", "bundled", ""},
		{"66.0", "project", filepath.ToSlash(p66)},
		{"67.0", "project", filepath.ToSlash(p67)},
		{"68.0", "cache", filepath.ToSlash(c68)},
	}
	if got := s.Origins(); len(got) != len(want) || got[0] != want[0] || got[1] != want[1] || got[2] != want[2] || got[3] != want[3] {
		t.Errorf("origins %+v, want %+v", got, want)
	}
	m, err := s.Get("67.0")
	if err != nil || m.Source != filepath.ToSlash(p67) {
		t.Errorf("67.0: %v %v", m, err)
	}
	// A file whose content names another version is refused.
	if err := os.Rename(p67, filepath.Join(project, ProjectDir, FileName("69.0"))); err != nil {
		t.Fatal(err)
	}
	s, _ = ForProject(base, project, false)
	if _, err := s.Get("69.0"); err == nil || !strings.Contains(err.Error(), "holds the models of API 67.0") {
		t.Errorf("renamed file: %v", err)
	}
	if s.Has("68.0") {
		t.Error("cache read although not asked for")
	}
}

func boolStr(b bool) string {
	if b {
		return "true"
	}
	return "false"
}

// TestUnreadableCacheAddsNothing: a cache folder that is a file, or a
// cached models file that does not load, leaves the set as the bundled
// and project models make it, without an error.
func TestUnreadableCacheAddsNothing(t *testing.T) {
	m66, _ := Encode(sample(t, "66.0"))
	base := NewSet(fstest.MapFS{"models/v66.0.models": {Data: m66}}, "models")
	file := filepath.Join(t.TempDir(), "file")
	if err := os.WriteFile(file, []byte("x"), 0o644); err != nil {
		t.Fatal(err)
	}
	t.Setenv("XDG_CACHE_HOME", file)
	s, err := ForProject(base, t.TempDir(), true)
	if err != nil || strings.Join(s.Versions(), ",") != "66.0" {
		t.Fatalf("cache folder a file: %v %v", s.Versions(), err)
	}
	t.Setenv("XDG_CACHE_HOME", t.TempDir())
	cache, _ := CacheDir()
	if err := os.MkdirAll(cache, 0o755); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(filepath.Join(cache, FileName("68.0")), []byte("damaged"), 0o644); err != nil {
		t.Fatal(err)
	}
	s, err = ForProject(base, t.TempDir(), true)
	if err != nil {
		t.Fatal(err)
	}
	if use, newer, ok := s.Resolve("68.0"); use != "66.0" || !newer || !ok {
		t.Errorf("Resolve(68.0) with a damaged cached 68.0 = %s %v %v, want the bundled 66.0", use, newer, ok)
	}
}
