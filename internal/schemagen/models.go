package schemagen

import (
	"bytes"
	"encoding/xml"
	"fmt"
	"io"
	"regexp"
	"slices"
	"strconv"
	"strings"

	"github.com/byocpack/byocpack/internal/model"
)

// closure returns the indexes of the blocks roots need, transitively.
func (w *wsdl) closure(roots []string) (map[int]bool, error) {
	need := map[int]bool{}
	queue := slices.Clone(roots)
	for len(queue) > 0 {
		name := queue[0]
		queue = queue[1:]
		i, ok := w.types[name]
		if !ok {
			return nil, fmt.Errorf("type %q is referenced but not defined", name)
		}
		if need[i] {
			continue
		}
		need[i] = true
		queue = append(queue, w.blocks[i].refs...)
	}
	return need, nil
}

// typesOf reads the types roots need into content models: roots nil
// means every metadata type of the WSDL (metadataRoots). It fails on any
// construct the models cannot express (a choice, a group, an attribute,
// an inline type, a facet or built-in type the checker does not
// implement), so `make schemas` and `schemas import` stop rather than
// check files against something else than the WSDL says.
func (w *wsdl) typesOf(roots []string) ([]string, []*model.Complex, []*model.Simple, error) {
	if roots == nil {
		var err error
		if roots, err = w.metadataRoots(); err != nil {
			return nil, nil, nil, err
		}
	}
	need, err := w.closure(roots)
	if err != nil {
		return nil, nil, nil, err
	}
	var complexes []*model.Complex
	var simples []*model.Simple
	for i, b := range w.blocks {
		if !need[i] {
			continue
		}
		c, s, err := w.readType(b)
		if err != nil {
			return nil, nil, nil, err
		}
		if c != nil {
			complexes = append(complexes, c)
		}
		if s != nil {
			simples = append(simples, s)
		}
	}
	return roots, complexes, simples, nil
}

// metadataRoot is the type every metadata type extends: a complex type
// whose extension chain reaches it has a document root of its own (374
// types in 47.0, 898 in 66.0).
const metadataRoot = "Metadata"

// metadataRoots returns the WSDL's metadata types, sorted.
func (w *wsdl) metadataRoots() ([]string, error) {
	re := regexp.MustCompile(`<` + regexp.QuoteMeta(w.xsdPrefix) + `:extension\s+base="` + regexp.QuoteMeta(w.tnsPrefix) + `:([A-Za-z0-9_]+)"`)
	base := map[string]string{}
	for _, b := range w.blocks {
		if m := re.FindSubmatch(b.raw); m != nil {
			base[b.name] = string(m[1])
		}
	}
	var out []string
	for name := range base {
		seen := map[string]bool{}
		for t := base[name]; t != ""; t = base[t] {
			if seen[t] {
				return nil, fmt.Errorf("type %q extends itself", name)
			}
			seen[t] = true
			if t == metadataRoot {
				out = append(out, name)
				break
			}
		}
	}
	if len(out) == 0 {
		return nil, fmt.Errorf("no complex type extends %s; is it the Metadata API WSDL?", metadataRoot)
	}
	slices.Sort(out)
	return out, nil
}

// readType parses one top-level complexType or simpleType block.
func (w *wsdl) readType(b block) (*model.Complex, *model.Simple, error) {
	d := xml.NewDecoder(bytes.NewReader(b.raw))
	var stack []string
	skip := 0 // depth of an open xsd:annotation, whose content is ignored
	var c *model.Complex
	var s *model.Simple
	fail := func(format string, args ...any) error {
		return fmt.Errorf("%s: %s: the content models do not support it; extend internal/model and internal/schemagen", b.name, fmt.Sprintf(format, args...))
	}
	typeRef := func(v, what string) (string, error) {
		prefix, local, ok := strings.Cut(v, ":")
		switch {
		case !ok:
			return "", fail("%s %q has no prefix", what, v)
		case prefix == w.xsdPrefix:
			if model.BuiltinOf(local) == model.NotBuiltin {
				return "", fail("%s uses the built-in type xsd:%s", what, local)
			}
			return "xsd:" + local, nil
		case prefix == w.tnsPrefix:
			return local, nil
		}
		return "", fail("%s %q uses an unknown prefix", what, v)
	}
	for {
		tok, err := d.RawToken()
		if err == io.EOF {
			break
		}
		if err != nil {
			return nil, nil, fmt.Errorf("%s: %w", b.name, err)
		}
		switch t := tok.(type) {
		case xml.StartElement:
			stack = append(stack, t.Name.Local)
			where := strings.Join(stack, "/")
			if skip > 0 {
				continue
			}
			if t.Name.Space != w.xsdPrefix {
				return nil, nil, fail("element %s:%s", t.Name.Space, t.Name.Local)
			}
			if t.Name.Local == "annotation" && len(stack) > 1 {
				// Documentation, wherever it sits: not part of the model.
				skip = len(stack)
				continue
			}
			attrs, err := onlyAttrs(t, allowedAttrs[t.Name.Local])
			if err != nil {
				return nil, nil, fail("<%s> at %s: %v", t.Name.Local, where, err)
			}
			switch where {
			case "complexType":
				c = &model.Complex{Name: attrs["name"]}
			case "simpleType":
				s = &model.Simple{Name: attrs["name"], Length: -1, MinLength: -1, MaxLength: -1}
			case "complexType/sequence", "complexType/complexContent", "complexType/complexContent/extension/sequence":
			case "complexType/complexContent/extension":
				base, err := typeRef(attrs["base"], "extension base")
				if err != nil {
					return nil, nil, err
				}
				if strings.HasPrefix(base, "xsd:") {
					return nil, nil, fail("an extension of the built-in %s", base)
				}
				c.Base = base
			case "complexType/sequence/element", "complexType/complexContent/extension/sequence/element":
				e := model.Element{Name: attrs["name"], Min: 1, Max: 1}
				if e.Name == "" {
					return nil, nil, fail("a sequence element without a name")
				}
				if attrs["type"] == "" {
					return nil, nil, fail("element %s has an inline type", e.Name)
				}
				if e.Type, err = typeRef(attrs["type"], "element "+e.Name); err != nil {
					return nil, nil, err
				}
				if v, ok := attrs["minOccurs"]; ok {
					if e.Min, err = strconv.Atoi(v); err != nil || e.Min < 0 {
						return nil, nil, fail("element %s: minOccurs %q", e.Name, v)
					}
				}
				if v, ok := attrs["maxOccurs"]; ok {
					if v == "unbounded" {
						e.Max = -1
					} else if e.Max, err = strconv.Atoi(v); err != nil || e.Max < 1 || e.Max < e.Min {
						return nil, nil, fail("element %s: maxOccurs %q", e.Name, v)
					}
				}
				switch attrs["nillable"] {
				case "true":
					e.Nillable = true
				case "", "false":
				default:
					return nil, nil, fail("element %s: nillable %q", e.Name, attrs["nillable"])
				}
				c.Own = append(c.Own, e)
			case "simpleType/restriction":
				base, err := typeRef(attrs["base"], "restriction base")
				if err != nil {
					return nil, nil, err
				}
				bi, ok := strings.CutPrefix(base, "xsd:")
				if !ok {
					return nil, nil, fail("a restriction of the simple type %s", base)
				}
				s.Base = model.BuiltinOf(bi)
			case "simpleType/restriction/enumeration":
				s.Enum = append(s.Enum, attrs["value"])
			case "simpleType/restriction/pattern":
				s.Patterns = append(s.Patterns, attrs["value"])
			case "simpleType/restriction/length", "simpleType/restriction/minLength", "simpleType/restriction/maxLength":
				n, err := strconv.Atoi(attrs["value"])
				if err != nil || n < 0 {
					return nil, nil, fail("%s %q", t.Name.Local, attrs["value"])
				}
				switch t.Name.Local {
				case "length":
					s.Length = n
				case "minLength":
					s.MinLength = n
				default:
					s.MaxLength = n
				}
			default:
				return nil, nil, fail("<%s> at %s", t.Name.Local, where)
			}
		case xml.EndElement:
			if len(stack) == skip {
				skip = 0
			}
			stack = stack[:len(stack)-1]
		case xml.CharData:
			if skip == 0 && len(bytes.TrimSpace(t)) > 0 {
				return nil, nil, fail("text %q", bytes.TrimSpace(t))
			}
		}
	}
	if s != nil && s.Base == model.NotBuiltin {
		return nil, nil, fail("a simple type without a restriction")
	}
	return c, s, nil
}

// allowedAttrs lists the attributes each schema element may carry.
var allowedAttrs = map[string][]string{
	"complexType":    {"name"},
	"simpleType":     {"name"},
	"sequence":       {},
	"complexContent": {},
	"extension":      {"base"},
	"element":        {"name", "type", "minOccurs", "maxOccurs", "nillable"},
	"restriction":    {"base"},
	"enumeration":    {"value"},
	"pattern":        {"value"},
	"length":         {"value"},
	"minLength":      {"value"},
	"maxLength":      {"value"},
}

func onlyAttrs(t xml.StartElement, allowed []string) (map[string]string, error) {
	out := map[string]string{}
	for _, a := range t.Attr {
		if a.Name.Space != "" || !slices.Contains(allowed, a.Name.Local) {
			name := a.Name.Local
			if a.Name.Space != "" {
				name = a.Name.Space + ":" + name
			}
			return nil, fmt.Errorf("attribute %s", name)
		}
		out[a.Name.Local] = a.Value
	}
	return out, nil
}

// headerVersion reads "Metadata API version 67.0" from a WSDL's header.
func headerVersion(h string) (string, error) {
	i := strings.Index(h, "Metadata API version ")
	if i < 0 {
		return "", fmt.Errorf("the WSDL's header comment does not name a Metadata API version (\"Salesforce.com Metadata API version 67.0\"); is it the Metadata API WSDL?")
	}
	f := strings.Fields(h[i+len("Metadata API version "):])
	if len(f) == 0 || majorOf(f[0]) <= 0 || f[0] != strconv.Itoa(majorOf(f[0]))+".0" {
		return "", fmt.Errorf("the WSDL's header names the API version %q; expected a version such as 67.0", strings.Join(f[:min(1, len(f))], ""))
	}
	return f[0], nil
}
