package schemagen

import (
	"bytes"
	"encoding/xml"
	"errors"
	"fmt"
	"go/format"
	"io"
	"slices"
)

// scopeEnum is the simple type whose values are the OAuth scopes metadata
// names: a connected app's <scopes> and, with a few spellings of its own,
// an external client app's commaSeparatedOauthScopes.
const scopeEnum = "ConnectedAppOauthAccessScope"

// Enum lists the values of one enumerated simple type in one version, in
// WSDL order.
type Enum struct {
	Version string
	Type    string
	Values  []string
}

// enumeration reads the values of simpleType name: a restriction of
// xsd:string with enumeration facets and nothing else, which is every
// enumeration the Metadata WSDL has. Anything else fails, rather than
// yield a list that means something else.
func (w *wsdl) enumeration(name string) ([]string, error) {
	i, ok := w.types[name]
	if !ok {
		return nil, fmt.Errorf("type %q is not defined", name)
	}
	d := xml.NewDecoder(bytes.NewReader(w.blocks[i].raw))
	var values []string
	var stack []string
	for {
		tok, err := d.RawToken()
		if err == io.EOF {
			break
		}
		if err != nil {
			return nil, fmt.Errorf("%s: %w", name, err)
		}
		switch t := tok.(type) {
		case xml.StartElement:
			stack = append(stack, t.Name.Local)
			switch where := fmt.Sprint(stack); {
			case t.Name.Space != w.xsdPrefix:
				return nil, fmt.Errorf("%s: element %s:%s is outside the XML Schema namespace", name, t.Name.Space, t.Name.Local)
			case where == "[simpleType]":
			case where == "[simpleType restriction]":
				if base := attr(t, "base"); base != w.xsdPrefix+":string" {
					return nil, fmt.Errorf("%s: restriction of %q, not of xsd:string", name, base)
				}
			case where == "[simpleType restriction enumeration]":
				values = append(values, attr(t, "value"))
			default:
				return nil, fmt.Errorf("%s: <%s> is not part of an enumeration schemagen reads", name, t.Name.Local)
			}
		case xml.EndElement:
			stack = stack[:len(stack)-1]
		}
	}
	if len(values) == 0 {
		return nil, fmt.Errorf("%s: no enumeration values", name)
	}
	return values, nil
}

// versionEnums reads the enumerations byocpack keeps of one WSDL; a WSDL
// without one of them simply has none.
func (w *wsdl) versionEnums(version string) ([]Enum, error) {
	if _, ok := w.types[scopeEnum]; !ok {
		return nil, nil
	}
	values, err := w.enumeration(scopeEnum)
	if err != nil {
		return nil, err
	}
	return []Enum{{Version: version, Type: scopeEnum, Values: values}}, nil
}

// Scopes writes the Go source of internal/apiver's scope knowledge: every
// value ConnectedAppOauthAccessScope has had in the WSDLs read, in the
// order of the newest WSDL that lists it, with the runs of versions that
// list it. Order matters: a retrieve writes scopes in enum order.
func Scopes(res Result) ([]byte, error) {
	majors, index, err := consecutiveMajors(res.Versions)
	if err != nil {
		return nil, err
	}
	present := map[string][]bool{}
	var order []string // newest WSDL's order first, older-only values after their predecessor
	for i := len(res.Enums) - 1; i >= 0; i-- {
		e := res.Enums[i]
		if e.Type != scopeEnum {
			continue
		}
		vi, ok := index[e.Version]
		if !ok {
			return nil, fmt.Errorf("schemagen: scopes: values for version %s, which no WSDL gave", e.Version)
		}
		prev := -1
		for _, v := range e.Values {
			if present[v] == nil {
				present[v] = make([]bool, len(res.Versions))
				order = slices.Insert(order, prev+1, v)
			}
			present[v][vi] = true
			prev = slices.Index(order, v)
		}
	}
	if len(order) == 0 {
		return nil, errors.New("schemagen: scopes: no WSDL defines " + scopeEnum)
	}
	runs := windows(present)
	slices.SortStableFunc(runs, func(a, b window) int { return slices.Index(order, a.field) - slices.Index(order, b.field) })

	var b bytes.Buffer
	writeProvenance(&b, res, "Run `make schemas` after adding a WSDL.")
	b.WriteString("// wsdlScopes are the values of the " + scopeEnum + " enumeration, in\n")
	b.WriteString("// the order of the newest WSDL that lists each, with the first and last API\n")
	b.WriteString("// version of a run of WSDLs that list it.\n")
	b.WriteString("func wsdlScopes() []fieldWindow {\n\treturn []fieldWindow{\n")
	for _, r := range runs {
		fmt.Fprintf(&b, "\t\t{%q, %d, %d},\n", r.field, majors[r.first], majors[r.last])
	}
	b.WriteString("\t}\n}\n")
	src, err := format.Source(b.Bytes())
	if err != nil {
		return nil, fmt.Errorf("schemagen: scopes: generated Go does not parse: %w", err)
	}
	return src, nil
}

// WriteScopes writes Scopes(res) to file.
func WriteScopes(file string, res Result) error { return writeGenerated(file, Scopes, res) }
