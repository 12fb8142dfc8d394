package xmlmerge

import (
	"strings"
	"testing"

	"github.com/byocpack/byocpack/internal/xmldoc"
	"github.com/byocpack/byocpack/internal/xmlkey"
)

func doc(t *testing.T, body string) *xmldoc.Element {
	t.Helper()
	if body == "" {
		return nil
	}
	d, err := xmldoc.Parse([]byte(`<PermissionSet xmlns="http://soap.sforce.com/2006/04/metadata">` + body + `</PermissionSet>`))
	if err != nil {
		t.Fatal(err)
	}
	return d.Root
}

func fp(field, editable string) string {
	return "<fieldPermissions><editable>" + editable + "</editable><field>" + field + "</field></fieldPermissions>"
}

// Deletions, additions on both sides and changes merge by key; a change
// against a deletion is a conflict.
func TestMerge(t *testing.T) {
	for _, tc := range []struct {
		name, base, ours, theirs string
		conflicts                int
		want                     []string // fields in order
	}{
		{"both add", fp("A", "x") + "<label>L</label>", fp("A", "x") + fp("B", "x") + "<label>L</label>", fp("A", "x") + fp("C", "x") + "<label>L</label>", 0, []string{"A", "B", "C"}},
		{"theirs deletes", fp("A", "x") + fp("B", "x"), fp("A", "x") + fp("B", "x") + fp("C", "x"), fp("B", "x"), 0, []string{"B", "C"}},
		{"added on both, no base", "", fp("A", "x") + fp("B", "x"), fp("B", "x") + fp("C", "x"), 0, []string{"A", "B", "C"}},
		{"same change twice", fp("A", "x"), fp("A", "y"), fp("A", "y"), 0, []string{"A"}},
		{"changed against deleted", fp("A", "x") + fp("B", "x"), fp("A", "y") + fp("B", "x"), fp("B", "x"), 1, nil},
		{"changed two ways", fp("A", "x"), fp("A", "y"), fp("A", "z"), 1, nil},
	} {
		t.Run(tc.name, func(t *testing.T) {
			r := Merge(doc(t, tc.base), doc(t, tc.ours), doc(t, tc.theirs), nil)
			if r.Conflicts != tc.conflicts {
				t.Fatalf("%d conflicts, want %d:\n%s", r.Conflicts, tc.conflicts, r.Write(7))
			}
			if tc.conflicts > 0 {
				if out := string(r.Write(7)); !strings.Contains(out, "<<<<<<< ours\n") || !strings.Contains(out, ">>>>>>> theirs\n") {
					t.Errorf("no markers:\n%s", out)
				}
				return
			}
			var got []string
			for _, c := range r.Root.Children {
				if c.Local == "fieldPermissions" {
					got = append(got, strings.TrimPrefix(xmlkey.Key(c), "field="))
				}
			}
			if strings.Join(got, ",") != strings.Join(tc.want, ",") {
				t.Errorf("fields %v, want %v\n%s", got, tc.want, r.Write(7))
			}
		})
	}
}
