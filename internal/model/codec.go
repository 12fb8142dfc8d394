package model

import (
	"bytes"
	"errors"
	"fmt"
	"strconv"
	"strings"
)

// magic is the first line of an encoded file; the number is the format's
// version, raised on any change a reader of the old format would misread.
const magic = "byocpack-models 1"

// Encode writes m in the line format Decode reads:
//
//	byocpack-models 1
//	# header comment lines
//	version 66.0
//	sha256 <hex digest of the WSDL>
//	root <type>                       one per document root
//	complex <name> [<base>]           then its own elements, in order:
//	e <name> <type> <min> <max|unbounded> [nillable]
//	simple <name> <base>              then its facets:
//	enum <value>                      the rest of the line, spaces kept
//	pattern <regexp>
//	length|minLength|maxLength <n>
//
// Types are sorted by name, so the same model always gives the same bytes.
func Encode(m *Model) ([]byte, error) {
	var b bytes.Buffer
	b.WriteString(magic + "\n")
	for _, h := range m.Header {
		if strings.ContainsAny(h, "\r\n") {
			return nil, errors.New("model header line holds a line break")
		}
		b.WriteString(strings.TrimRight("# "+h, " ") + "\n")
	}
	fmt.Fprintf(&b, "version %s\nsha256 %s\n", m.Version, m.SHA256)
	for _, r := range m.roots {
		fmt.Fprintf(&b, "root %s\n", r)
	}
	for _, c := range m.ComplexTypes() {
		b.WriteString("complex " + c.Name)
		if c.Base != "" {
			b.WriteString(" " + c.Base)
		}
		b.WriteByte('\n')
		for _, e := range c.Own {
			max := "unbounded"
			if e.Max >= 0 {
				max = strconv.Itoa(e.Max)
			}
			fmt.Fprintf(&b, "e %s %s %d %s", e.Name, e.Type, e.Min, max)
			if e.Nillable {
				b.WriteString(" nillable")
			}
			b.WriteByte('\n')
		}
	}
	for _, s := range m.SimpleTypes() {
		fmt.Fprintf(&b, "simple %s %s\n", s.Name, s.Base)
		for _, v := range s.Enum {
			if strings.ContainsAny(v, "\r\n") {
				return nil, fmt.Errorf("simple type %s: enumeration value %q holds a line break", s.Name, v)
			}
			b.WriteString("enum " + v + "\n")
		}
		for _, p := range s.Patterns {
			if strings.ContainsAny(p, "\r\n") {
				return nil, fmt.Errorf("simple type %s: pattern %q holds a line break", s.Name, p)
			}
			b.WriteString("pattern " + p + "\n")
		}
		for _, f := range []struct {
			name string
			n    int
		}{{"length", s.Length}, {"minLength", s.MinLength}, {"maxLength", s.MaxLength}} {
			if f.n >= 0 {
				fmt.Fprintf(&b, "%s %d\n", f.name, f.n)
			}
		}
	}
	return b.Bytes(), nil
}

// Decode reads what Encode wrote. name is used in errors.
func Decode(name string, data []byte) (*Model, error) {
	lines := strings.Split(string(data), "\n")
	if len(lines) == 0 || strings.TrimSuffix(lines[0], "\r") != magic {
		return nil, fmt.Errorf("%s: not a byocpack models file (the first line is not %q); regenerate it with `byocpack schemas import`", name, magic)
	}
	var (
		version, sha string
		header       []string
		roots        []string
		complexes    []*Complex
		simples      []*Simple
		curC         *Complex
		curS         *Simple
	)
	bad := func(i int, format string, args ...any) error {
		return fmt.Errorf("%s:%d: %s", name, i+1, fmt.Sprintf(format, args...))
	}
	for i := 1; i < len(lines); i++ {
		line := strings.TrimSuffix(lines[i], "\r")
		if line == "" {
			continue
		}
		if h, ok := strings.CutPrefix(line, "#"); ok {
			header = append(header, strings.TrimPrefix(h, " "))
			continue
		}
		key, rest, _ := strings.Cut(line, " ")
		switch key {
		case "version":
			version = rest
		case "sha256":
			sha = rest
		case "root":
			roots = append(roots, rest)
		case "complex":
			n, base, _ := strings.Cut(rest, " ")
			if n == "" {
				return nil, bad(i, "complex type without a name")
			}
			curC, curS = &Complex{Name: n, Base: base}, nil
			complexes = append(complexes, curC)
		case "e":
			if curC == nil {
				return nil, bad(i, "element outside a complex type")
			}
			var fa [6]string
			f := fields(rest, fa[:0])
			if len(f) < 4 || len(f) > 5 || (len(f) == 5 && f[4] != "nillable") {
				return nil, bad(i, "malformed element %q", rest)
			}
			e := Element{Name: f[0], Type: f[1], Nillable: len(f) == 5}
			var err error
			if e.Min, err = strconv.Atoi(f[2]); err != nil || e.Min < 0 {
				return nil, bad(i, "minimum %q is not a count", f[2])
			}
			if f[3] == "unbounded" {
				e.Max = -1
			} else if e.Max, err = strconv.Atoi(f[3]); err != nil || e.Max < 1 || e.Max < e.Min {
				return nil, bad(i, "maximum %q is not a count of at least the minimum", f[3])
			}
			curC.Own = append(curC.Own, e)
		case "simple":
			n, base, _ := strings.Cut(rest, " ")
			b, ok := cutPrefix(base, "xsd:")
			if n == "" || !ok || BuiltinOf(b) == NotBuiltin {
				return nil, bad(i, "malformed simple type %q", rest)
			}
			curS, curC = &Simple{Name: n, Base: BuiltinOf(b), Length: -1, MinLength: -1, MaxLength: -1}, nil
			simples = append(simples, curS)
		case "enum", "pattern", "length", "minLength", "maxLength":
			if curS == nil {
				return nil, bad(i, "%s outside a simple type", key)
			}
			switch key {
			case "enum":
				curS.Enum = append(curS.Enum, rest)
			case "pattern":
				curS.Patterns = append(curS.Patterns, rest)
			default:
				n, err := strconv.Atoi(rest)
				if err != nil || n < 0 {
					return nil, bad(i, "%s %q is not a length", key, rest)
				}
				switch key {
				case "length":
					curS.Length = n
				case "minLength":
					curS.MinLength = n
				default:
					curS.MaxLength = n
				}
			}
		default:
			return nil, bad(i, "unknown line %q", line)
		}
	}
	if version == "" {
		return nil, fmt.Errorf("%s: no version line", name)
	}
	m, err := New(version, sha, roots, complexes, simples)
	if err != nil {
		return nil, fmt.Errorf("%s: %w", name, err)
	}
	m.Header = header
	return m, nil
}

// fields splits s at runs of spaces into buf, up to cap(buf) fields (one
// more than a valid line has, so a longer one is still seen as too long),
// without allocating: an element line is split for each of the model's
// hundreds of elements at every start.
func fields(s string, buf []string) []string {
	for len(s) > 0 && len(buf) < cap(buf) {
		s = strings.TrimLeft(s, " \t")
		if s == "" {
			break
		}
		end := strings.IndexAny(s, " \t")
		if end < 0 {
			end = len(s)
		}
		buf = append(buf, s[:end])
		s = s[end:]
	}
	return buf
}
