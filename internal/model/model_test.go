package model

import (
	"bytes"
	"os"
	"path/filepath"
	"strings"
	"testing"
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
	g := string(good)
	for name, data := range map[string]string{
		"magic":     "byocpack-models 1\nversion 66.0\n",
		"other":     "hello\n",
		"truncated": g[:strings.Index(g, "index ")],
		"short":     g[:len(g)-40],
		"bad line":  strings.Replace(g, "e color Color 1 1", "e color Color 2 1", 1),
		"dangling":  strings.Replace(g, "e color Color 1 1", "e color Missing 1 1", 1),
		"range":     strings.Replace(g, "e color Color 1 1", "@6x e color Color 1 1", 1),
		"unknown":   strings.Replace(g, "e color Color 1 1", "bogus", 1),
	} {
		if _, err := Decode("f.models", []byte(data)); err == nil || !strings.Contains(err.Error(), "f.models") && !strings.Contains(err.Error(), "Widget") {
			t.Errorf("%s: err = %v", name, err)
		}
	}
}

// The merged form gives every version back as it was added, including a
// name that occurs twice, an element that changed its type, a type that
// came and went, and enumeration values that came later.
func TestBuilderMergesVersions(t *testing.T) {
	el := func(name, typ string) Element { return Element{Name: name, Type: typ, Min: 0, Max: 1} }
	meta := &Complex{Name: "Metadata", Own: []Element{el("fullName", "xsd:string")}}
	color := func(vals ...string) *Simple {
		return &Simple{Name: "Color", Base: String, Enum: vals, Length: -1, MinLength: -1, MaxLength: -1}
	}
	versions := []struct {
		v      string
		widget []Element
		color  *Simple
		gadget bool
	}{
		{"60.0", []Element{el("a", "xsd:string"), el("b", "xsd:int")}, color("Red"), false},
		{"61.0", []Element{el("a", "xsd:string"), el("x", "Color"), el("b", "xsd:int")}, color("Red", "Blue"), true},
		{"62.0", []Element{el("a", "xsd:string"), el("x", "Color"), el("b", "xsd:string"), el("a", "xsd:string")}, color("Blue", "Red"), false},
	}
	b := &Builder{Header: []string{"test"}}
	want := map[string][]string{}
	for _, tv := range versions {
		cs := []*Complex{meta, {Name: "Widget", Base: "Metadata", Own: tv.widget}}
		roots := []string{"Widget"}
		if tv.gadget {
			cs = append(cs, &Complex{Name: "Gadget", Base: "Metadata"})
			roots = append(roots, "Gadget")
		}
		if err := b.Add(tv.v, strings.Repeat("0", 64), roots, cs, []*Simple{tv.color}); err != nil {
			t.Fatal(err)
		}
		var seq []string
		for _, e := range tv.widget {
			seq = append(seq, e.Name+":"+e.Type)
		}
		want[tv.v] = seq
	}
	data, err := b.Encode()
	if err != nil {
		t.Fatal(err)
	}
	set := NewBundledSet("t", string(data))
	for _, tv := range versions {
		m, err := set.Get(tv.v)
		if err != nil {
			t.Fatal(err)
		}
		var got []string
		for _, e := range m.Root("Widget").Own {
			got = append(got, e.Name+":"+e.Type)
		}
		if strings.Join(got, " ") != strings.Join(want[tv.v], " ") {
			t.Errorf("%s: Widget %v, want %v", tv.v, got, want[tv.v])
		}
		if (m.Root("Gadget") != nil) != tv.gadget {
			t.Errorf("%s: Gadget present = %v", tv.v, !tv.gadget)
		}
		if s := m.Simple("Color"); strings.Join(s.Enum, ",") != strings.Join(tv.color.Enum, ",") {
			t.Errorf("%s: Color %v", tv.v, s.Enum)
		}
	}
	for name, tt := range map[string]struct{ got, want []string }{
		"type":    {set.TypeVersions("Gadget"), []string{"61.0"}},
		"element": {set.ElementVersions("Widget", "x"), []string{"61.0", "62.0"}},
		"base":    {set.ElementVersions("Widget", "fullName"), []string{"60.0", "61.0", "62.0"}},
		"enum":    {set.EnumVersions("Color", "Blue"), []string{"61.0", "62.0"}},
		"none":    {set.ElementVersions("Widget", "zz"), nil},
	} {
		if strings.Join(tt.got, ",") != strings.Join(tt.want, ",") {
			t.Errorf("%s: %v, want %v", name, tt.got, tt.want)
		}
	}
	if Since(set.ElementVersions("Widget", "x")) != "61.0" || Since(nil) != "" {
		t.Error("Since")
	}
	// Versions must come oldest first.
	if err := b.Add("59.0", "", nil, nil, nil); err == nil {
		t.Error("an older version was added after newer ones")
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
	b := &Builder{}
	for _, v := range []string{"62.0", "66.0"} {
		m := sample(t, v)
		if err := b.Add(v, m.SHA256, m.Roots(), m.ComplexTypes(), m.SimpleTypes()); err != nil {
			t.Fatal(err)
		}
	}
	data, err := b.Encode()
	if err != nil {
		t.Fatal(err)
	}
	base := NewBundledSet("bundled", string(data))
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

// A delta holds the types that differ from its base and marks those it
// dropped; it reads as the whole version over the bundled models, and is
// refused when the bundled models are not the ones it was written against.
func TestDeltaOverTheBundledModels(t *testing.T) {
	b := &Builder{}
	m66 := sample(t, "66.0")
	if err := b.Add("66.0", m66.SHA256, m66.Roots(), m66.ComplexTypes(), m66.SimpleTypes()); err != nil {
		t.Fatal(err)
	}
	data, err := b.Encode()
	if err != nil {
		t.Fatal(err)
	}
	base := NewBundledSet("bundled", string(data))
	bundle, err := base.BundledFile()
	if err != nil {
		t.Fatal(err)
	}
	// 67.0: Color gains a value, ID is gone (and id with it).
	d := &Builder{}
	meta := &Complex{Name: "Metadata", Own: []Element{{Name: "fullName", Type: "xsd:string", Min: 0, Max: 1}}}
	widget := &Complex{Name: "Widget", Base: "Metadata", Own: []Element{{Name: "color", Type: "Color", Min: 1, Max: 1}, {Name: "parts", Type: "Metadata", Min: 0, Max: -1}}}
	color := &Simple{Name: "Color", Base: String, Enum: []string{"Red", "Dark Blue", " spaced ", "Green"}, Length: -1, MinLength: -1, MaxLength: -1}
	if err := d.Add("67.0", strings.Repeat("cd", 32), []string{"Widget"}, []*Complex{meta, widget}, []*Simple{color}); err != nil {
		t.Fatal(err)
	}
	delta, err := d.Delta(bundle, "66.0")
	if err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(string(delta), "\nindex 3 16\nColor\nID\nWidget\n") || strings.Contains(string(delta), "\nMetadata\n") {
		t.Errorf("delta:\n%s", delta)
	}
	project := t.TempDir()
	if err := os.MkdirAll(filepath.Join(project, ProjectDir), 0o755); err != nil {
		t.Fatal(err)
	}
	p := filepath.Join(project, ProjectDir, FileName("67.0"))
	if err := os.WriteFile(p, delta, 0o644); err != nil {
		t.Fatal(err)
	}
	s, err := ForProject(base, project, false)
	if err != nil {
		t.Fatal(err)
	}
	m, err := s.Get("67.0")
	if err != nil {
		t.Fatal(err)
	}
	if m.Simple("ID") != nil || m.Complex("Metadata") == nil || !m.Simple("Color").Allows("Green") {
		t.Error("the delta does not read as the whole version")
	}
	if got := s.EnumVersions("Color", "Green"); strings.Join(got, ",") != "67.0" {
		t.Errorf("Green in %v", got)
	}
	if got := s.TypeVersions("ID"); strings.Join(got, ",") != "66.0" {
		t.Errorf("ID in %v", got)
	}
	// Color is written as edits of the base's lines; edits that do not fit
	// the base are refused.
	if !strings.Contains(string(delta), "\n=5\nenum Green\n") {
		t.Errorf("Color is not written as edits:\n%s", delta)
	}
	if err := os.WriteFile(p, []byte(strings.Replace(string(delta), "\n=5\n", "\n=6\n", 1)), 0o644); err != nil {
		t.Fatal(err)
	}
	if s, _ := ForProject(base, project, false); s != nil {
		if _, err := s.Get("67.0"); err == nil || !strings.Contains(err.Error(), "does not fit") {
			t.Errorf("edits past the base: %v", err)
		}
	}
	// Written against other bundled models: refused, with the fix.
	other := strings.Replace(string(delta), "base 66.0 "+m66.SHA256, "base 66.0 "+strings.Repeat("ef", 32), 1)
	if err := os.WriteFile(p, []byte(other), 0o644); err != nil {
		t.Fatal(err)
	}
	s, _ = ForProject(base, project, false)
	if _, err := s.Get("67.0"); err == nil || !strings.Contains(err.Error(), "import the WSDL again") {
		t.Errorf("a delta against other models: %v", err)
	}
}

// TestUnreadableCacheAddsNothing: a cache folder that is a file, or a
// cached models file that does not load, leaves the set as the bundled
// and project models make it, without an error.
func TestUnreadableCacheAddsNothing(t *testing.T) {
	m66, _ := Encode(sample(t, "66.0"))
	base := NewBundledSet("bundled", string(m66))
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
