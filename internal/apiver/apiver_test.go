package apiver

import (
	"slices"
	"strings"
	"testing"

	"github.com/byocpack/byocpack/schemas"
)

func TestParse(t *testing.T) {
	for _, s := range []string{"66.0", "9.0", "100.0"} {
		v, err := Parse(s)
		if err != nil || v.String() != s {
			t.Errorf("Parse(%q) = %v, %v", s, v, err)
		}
	}
	for _, s := range []string{"", "66", "v66.0", "66.1", "66.00", "066.0", "+66.0", "0.0", "-1.0", " 66.0", "1000.0", "66.0.0"} {
		if v, err := Parse(s); err == nil {
			t.Errorf("Parse(%q) = %v, want an error", s, v)
		} else if !strings.Contains(err.Error(), `such as "`+Latest().String()+`"`) {
			t.Errorf("Parse(%q): %v does not show the spelling", s, err)
		}
	}
	if (Version{}).String() != "" || !(Version{}).IsZero() {
		t.Error("the zero Version must be empty")
	}
}

func TestCompare(t *testing.T) {
	a, b := Version{9}, Version{62}
	if a.Compare(b) != -1 || b.Compare(a) != 1 || a.Compare(a) != 0 || !a.Before(b) || b.Before(a) {
		t.Error("9.0 must order before 62.0")
	}
	if b.Next() != (Version{63}) {
		t.Errorf("Next = %v", b.Next())
	}
}

// The versions come from the WSDLs the models are generated from, so the
// bundled models have every one of them, and a model of every type.
func TestSupportedMatchesSchemas(t *testing.T) {
	set := schemas.Bundled()
	var want []Version
	for _, v := range set.Versions() {
		p, err := Parse(v)
		if err != nil {
			t.Fatal(err)
		}
		if !p.Before(Oldest()) {
			want = append(want, p)
		}
	}
	if !slices.Equal(Supported(), want) {
		t.Errorf("Supported() = %v, the bundled models have %v from the oldest on", Supported(), want)
	}
	if Oldest() != want[0] || Latest() != want[len(want)-1] {
		t.Errorf("Oldest, Latest = %v, %v", Oldest(), Latest())
	}
	if !Latest().IsSupported() || Latest().Next().IsSupported() {
		t.Error("IsSupported disagrees with Supported")
	}
	s := Supported()
	s[0] = Version{1}
	if Oldest() == s[0] {
		t.Error("Supported returned shared state")
	}
	m, err := set.Get(Latest().String())
	if err != nil {
		t.Fatal(err)
	}
	for _, typ := range Types() {
		if m.Root(typ) == nil {
			t.Errorf("knowledge covers %s, which has no model", typ)
		}
	}
}

func TestFields(t *testing.T) {
	const ccd = "ConversationChannelDefinition"
	v := func(n int) Version { return Version{n} }
	if got := FieldWindows(ccd, "isInboundReceiptsEnabled"); !slices.Equal(got, []Window{{v(63), v(65)}}) {
		t.Errorf("windows = %v", got)
	}
	for n, want := range map[int]bool{62: false, 63: true, 65: true, 66: false, 67: false} {
		if HasField(ccd, "isInboundReceiptsEnabled", v(n)) != want {
			t.Errorf("HasField at %d.0 = %v", n, !want)
		}
	}
	if FieldWindows(ccd, "noSuchField") != nil || FieldWindows("NoSuchType", "fullName") != nil {
		t.Error("unknown fields and types have no windows")
	}
	f := Fields(ccd, v(66))
	if !slices.IsSorted(f) || !slices.Contains(f, "developerName") || slices.Contains(f, "isInboundReceiptsEnabled") {
		t.Errorf("Fields(66.0) = %v", f)
	}
	if Fields(ccd, v(61)) != nil {
		t.Error("no fields are known before the oldest WSDL")
	}
}
