package render

import (
	"bytes"
	"testing"
)

// Every file the templates write goes through the formatter unchanged:
// the templates already write retrieve order and layout, and the one
// serializer render and fmt share reproduces their bytes. Were it not so,
// render would silently keep the template's bytes and fmt would disagree.
func TestTemplatesWriteWhatTheSerializerWrites(t *testing.T) {
	r, err := New()
	if err != nil {
		t.Fatal(err)
	}
	for _, name := range []string{"partner1", "customer1", "legacy1"} {
		s := loadFixture(t, name)
		cs, err := plan(s, r.reg)
		if err != nil {
			t.Fatal(err)
		}
		for _, c := range cs {
			var buf bytes.Buffer
			if err := r.tmpl.ExecuteTemplate(&buf, c.template(), c.data); err != nil {
				t.Fatal(err)
			}
			out, _, err := layout(s.Package.APIVersion, c.Type, buf.Bytes())
			if err != nil {
				t.Errorf("%s: %s: the formatter refuses what the template wrote: %v", name, c.Path, err)
				continue
			}
			if !bytes.Equal(out, buf.Bytes()) {
				t.Errorf("%s: %s: the serializer changes the template's bytes:\n%s\n---\n%s", name, c.Path, buf.Bytes(), out)
			}
		}
	}
}
