package model

import (
	"strings"
	"testing"
)

// FuzzDecode: a models file is read from a project or the user cache, so
// any bytes must give a model or an error, never a panic; a model read must
// load every type.
func FuzzDecode(f *testing.F) {
	m, err := New("66.0", strings.Repeat("ab", 32), []string{"Widget"},
		[]*Complex{
			{Name: "Metadata", Own: []Element{{Name: "fullName", Type: "xsd:string", Min: 0, Max: 1}}},
			{Name: "Widget", Base: "Metadata", Own: []Element{{Name: "color", Type: "Color", Min: 1, Max: 1}, {Name: "fullName", Type: "xsd:int", Min: 0, Max: -1}}},
		},
		[]*Simple{{Name: "Color", Base: String, Enum: []string{"Red"}, Patterns: []string{"[A-Z].*"}, Length: -1, MinLength: 1, MaxLength: -1}})
	if err != nil {
		f.Fatal(err)
	}
	good, err := Encode(m)
	if err != nil {
		f.Fatal(err)
	}
	f.Add(good)
	f.Add([]byte(strings.Replace(string(good), "e color Color 1 1", "@60-66 e color Color 1 1", 1)))
	f.Add([]byte("byocpack-models 2\nversions 66.0\nsha256 x\nindex 302405640552615601 0\n"))
	f.Fuzz(func(t *testing.T, data []byte) {
		m, err := Decode("f.models", data)
		if err != nil {
			return
		}
		for _, r := range m.Roots() {
			if c := m.Root(r); c != nil {
				for _, e := range c.Sequence() {
					c.Place(e.Name, -1, func(int) int { return 0 })
				}
			}
		}
	})
}
