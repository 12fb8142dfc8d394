package model

import (
	"bytes"
	"errors"
	"fmt"
	"slices"
	"strconv"
	"strings"
)

// TypeLines writes one type as the record lines of one version (see the
// format in bundle.go): what the Builder merges across versions and what
// a delta compares with its base.
func TypeLines(c *Complex, s *Simple) ([]string, error) {
	if c != nil {
		out := []string{"complex"}
		if c.Base != "" {
			out = append(out, "base "+c.Base)
		}
		for _, e := range c.Own {
			max := "unbounded"
			if e.Max >= 0 {
				max = strconv.Itoa(e.Max)
			}
			l := fmt.Sprintf("e %s %s %d %s", e.Name, e.Type, e.Min, max)
			if e.Nillable {
				l += " nillable"
			}
			if strings.ContainsAny(e.Name+e.Type, " \t\r\n") || e.Name == "" || e.Type == "" {
				return nil, fmt.Errorf("complex type %s: element %q of type %q cannot be written", c.Name, e.Name, e.Type)
			}
			out = append(out, l)
		}
		return out, nil
	}
	out := []string{"simple", "base " + s.Base.String()}
	for _, v := range s.Enum {
		if strings.ContainsAny(v, "\r\n") {
			return nil, fmt.Errorf("simple type %s: enumeration value %q holds a line break", s.Name, v)
		}
		out = append(out, "enum "+v)
	}
	for _, p := range s.Patterns {
		if strings.ContainsAny(p, "\r\n") {
			return nil, fmt.Errorf("simple type %s: pattern %q holds a line break", s.Name, p)
		}
		out = append(out, "pattern "+p)
	}
	for _, f := range []struct {
		name string
		n    int
	}{{"length", s.Length}, {"minLength", s.MinLength}, {"maxLength", s.MaxLength}} {
		if f.n >= 0 {
			out = append(out, fmt.Sprintf("%s %d", f.name, f.n))
		}
	}
	return out, nil
}

// parseType reads a type back from its record (see bundle.go) as it is
// at API major, skipping the lines of other versions as it goes.
func parseType(name, rec string, major int) (*Complex, *Simple, error) {
	var c *Complex
	var s *Simple
	bad := func(format string, args ...any) error {
		return fmt.Errorf("type %s: %s", name, fmt.Sprintf(format, args...))
	}
	for rec != "" {
		line, more, in, err := nextLine(rec, major)
		if err != nil {
			return nil, nil, bad("%v", err)
		}
		rec = more
		if !in {
			continue
		}
		key, rest, _ := cutSpace(line)
		if c == nil && s == nil && key != "complex" && key != "simple" {
			return nil, nil, bad("%q before the kind line", line)
		}
		switch key {
		case "complex", "simple":
			if c != nil || s != nil {
				return nil, nil, bad("two kind lines at one version")
			}
			if key == "complex" {
				c = &Complex{Name: name}
			} else {
				s = &Simple{Name: name, Length: -1, MinLength: -1, MaxLength: -1}
			}
		case "base":
			if c != nil {
				if c.Base != "" || rest == "" {
					return nil, nil, bad("malformed base %q", rest)
				}
				c.Base = rest
				continue
			}
			b, ok := strings.CutPrefix(rest, "xsd:")
			if !ok || BuiltinOf(b) == NotBuiltin || s.Base != NotBuiltin {
				return nil, nil, bad("malformed base %q", rest)
			}
			s.Base = BuiltinOf(b)
		case "e":
			if c == nil {
				return nil, nil, bad("element in a simple type")
			}
			var fa [6]string
			f := fields(rest, fa[:0])
			if len(f) < 4 || len(f) > 5 || (len(f) == 5 && f[4] != "nillable") {
				return nil, nil, bad("malformed element %q", rest)
			}
			e := Element{Name: f[0], Type: f[1], Nillable: len(f) == 5}
			var err error
			if e.Min, err = strconv.Atoi(f[2]); err != nil || e.Min < 0 {
				return nil, nil, bad("minimum %q is not a count", f[2])
			}
			if f[3] == "unbounded" {
				e.Max = -1
			} else if e.Max, err = strconv.Atoi(f[3]); err != nil || e.Max < 1 || e.Max < e.Min {
				return nil, nil, bad("maximum %q is not a count of at least the minimum", f[3])
			}
			c.Own = append(c.Own, e)
		case "enum", "pattern", "length", "minLength", "maxLength":
			if s == nil {
				return nil, nil, bad("%s in a complex type", key)
			}
			switch key {
			case "enum":
				s.Enum = append(s.Enum, rest)
			case "pattern":
				s.Patterns = append(s.Patterns, rest)
			default:
				n, err := strconv.Atoi(rest)
				if err != nil || n < 0 {
					return nil, nil, bad("%s %q is not a length", key, rest)
				}
				switch key {
				case "length":
					s.Length = n
				case "minLength":
					s.MinLength = n
				default:
					s.MaxLength = n
				}
			}
		default:
			return nil, nil, bad("unknown line %q", line)
		}
	}
	if s != nil && s.Base == NotBuiltin {
		return nil, nil, bad("a simple type without a base")
	}
	return c, s, nil
}

// cutSpace is strings.Cut(s, " "), a little faster: it runs for every
// line of every type a run loads.
func cutSpace(s string) (before, after string, found bool) {
	if i := strings.IndexByte(s, ' '); i >= 0 {
		return s[:i], s[i+1:], true
	}
	return s, "", false
}

// fields splits s at single spaces, as the format writes them, into buf,
// up to cap(buf) fields (one more than a valid line has, so a longer one
// is still seen as too long), without allocating.
func fields(s string, buf []string) []string {
	for s != "" && len(buf) < cap(buf) {
		var f string
		f, s, _ = cutSpace(s)
		buf = append(buf, f)
	}
	return buf
}

// Builder merges the content models of several API versions into one
// models file. Add the versions oldest first, then Encode.
type Builder struct {
	Header   []string
	versions []string
	shas     []string
	types    map[string]*vtype
}

// vtype is one type across versions: the versions that have it, those
// where it is a document root, and its lines, each with its versions.
type vtype struct {
	mask, rootMask uint64
	lines          []vline
}

type vline struct {
	text string
	mask uint64
}

// Add merges the models of one version: roots are its document root
// types, complexes and simples all its types.
func (b *Builder) Add(version, sha string, roots []string, complexes []*Complex, simples []*Simple) error {
	if n := len(b.versions); n > 0 && majorOf(version) <= majorOf(b.versions[n-1]) {
		return fmt.Errorf("version %s added after %s; add them oldest first", version, b.versions[n-1])
	}
	if majorOf(version) <= 0 || len(b.versions) == maxBits {
		return fmt.Errorf("cannot add version %q", version)
	}
	if b.types == nil {
		b.types = map[string]*vtype{}
	}
	bit := uint64(1) << len(b.versions)
	b.versions = append(b.versions, version)
	b.shas = append(b.shas, sha)
	add := func(name string, c *Complex, s *Simple) error {
		lines, err := TypeLines(c, s)
		if err != nil {
			return err
		}
		if name == "" || strings.ContainsAny(name, " \t\r\n") {
			return fmt.Errorf("type name %q cannot be written", name)
		}
		t := b.types[name]
		if t == nil {
			t = &vtype{}
			b.types[name] = t
		}
		if t.mask&bit != 0 {
			return fmt.Errorf("type %q is defined twice in %s", name, version)
		}
		t.mask |= bit
		t.lines = mergeLines(t.lines, lines, bit)
		return nil
	}
	for _, c := range complexes {
		if err := add(c.Name, c, nil); err != nil {
			return err
		}
	}
	for _, s := range simples {
		if err := add(s.Name, nil, s); err != nil {
			return err
		}
	}
	for _, r := range roots {
		t := b.types[r]
		if t == nil || t.mask&bit == 0 {
			return fmt.Errorf("root %q is not a type of %s", r, version)
		}
		t.rootMask |= bit
	}
	return nil
}

// mergeLines adds the lines of one version to the merged lines: the
// longest common subsequence keeps its lines and gains the version, the
// rest are inserted where the version has them, so every version's lines
// stay in its own order.
func mergeLines(merged []vline, lines []string, bit uint64) []vline {
	n, m := len(merged), len(lines)
	lcs := lcsTable(textOf(merged), lines)
	out := make([]vline, 0, n+m)
	i, j := 0, 0
	for i < n || j < m {
		switch {
		case i < n && j < m && merged[i].text == lines[j] && lcs[i][j] == lcs[i+1][j+1]+1:
			out = append(out, vline{merged[i].text, merged[i].mask | bit})
			i, j = i+1, j+1
		case j == m || (i < n && lcs[i+1][j] >= lcs[i][j+1]):
			out = append(out, merged[i])
			i++
		default:
			out = append(out, vline{lines[j], bit})
			j++
		}
	}
	return out
}

// Encode writes the merged models: types sorted by name, so the same
// models always give the same bytes.
func (b *Builder) Encode() ([]byte, error) {
	return b.encode("", "")
}

func (b *Builder) encode(base, baseSHA string) ([]byte, error) {
	if len(b.versions) == 0 {
		return nil, errors.New("no version to encode")
	}
	names := make([]string, 0, len(b.types))
	for n := range b.types {
		names = append(names, n)
	}
	slices.Sort(names)
	var namesBlock, entries, records bytes.Buffer
	for _, n := range names {
		t := b.types[n]
		nameOff, recOff := namesBlock.Len(), records.Len()
		namesBlock.WriteString(n + "\n")
		for _, l := range t.lines {
			if l.mask != t.mask {
				records.WriteString("@" + writeRanges(b.versions, l.mask) + " ")
			}
			records.WriteString(l.text + "\n")
		}
		fmt.Fprintf(&entries, "%08x %08x %08x %016x %016x\n", nameOff, recOff, records.Len()-recOff, t.mask, t.rootMask)
	}
	if records.Len() >= 1<<32 {
		return nil, errors.New("the models are too large for the index")
	}
	var out bytes.Buffer
	out.WriteString(magic + "\n")
	for _, h := range b.Header {
		if strings.ContainsAny(h, "\r\n") {
			return nil, errors.New("model header line holds a line break")
		}
		out.WriteString(strings.TrimRight("# "+h, " ") + "\n")
	}
	fmt.Fprintf(&out, "versions %s\nsha256 %s\n", strings.Join(b.versions, " "), strings.Join(b.shas, " "))
	if base != "" {
		fmt.Fprintf(&out, "base %s %s\n", base, baseSHA)
	}
	fmt.Fprintf(&out, "index %d %d\n", len(names), namesBlock.Len())
	out.Write(namesBlock.Bytes())
	out.Write(entries.Bytes())
	out.Write(records.Bytes())
	return out.Bytes(), nil
}

// Delta writes the models of the one version added to b as a delta
// against version baseVersion of the bundle base: only the types whose
// lines differ, and an empty entry for each type the base has and b does
// not. The result depends only on b and base.
func (b *Builder) Delta(base *Bundle, baseVersion string) ([]byte, error) {
	if len(b.versions) != 1 {
		return nil, fmt.Errorf("a delta holds one version, not %d", len(b.versions))
	}
	bit := base.bit(baseVersion)
	if bit < 0 || base.base != "" {
		return nil, fmt.Errorf("%s has no complete models of API %s to be a delta's base", base.name, baseVersion)
	}
	d := &Builder{Header: b.Header, versions: b.versions, shas: b.shas, types: map[string]*vtype{}}
	for n, t := range b.types {
		_, c, s, err := base.typeAt(n, bit)
		if err != nil {
			return nil, err
		}
		if c != nil || s != nil {
			lines, err := TypeLines(c, s)
			if err != nil {
				return nil, err
			}
			if slices.Equal(lines, textOf(t.lines)) && base.isRoot(n, bit) == (t.rootMask != 0) {
				continue
			}
			// Changed: the edits that turn the base's lines into these.
			d.types[n] = &vtype{mask: t.mask, rootMask: t.rootMask, lines: editScript(lines, textOf(t.lines), t.mask)}
			continue
		}
		d.types[n] = t
	}
	err := base.each(func(n string, mask, _ uint64) error {
		if _, have := b.types[n]; !have && mask&(1<<bit) != 0 {
			d.types[n] = &vtype{}
		}
		return nil
	})
	if err != nil {
		return nil, err
	}
	return d.encode(baseVersion, base.shas[bit])
}

// lcsTable is the table of longest common subsequences: [i][j] is the
// length of that of a[i:] and b[j:].
func lcsTable(a, b []string) [][]int {
	lcs := make([][]int, len(a)+1)
	for i := range lcs {
		lcs[i] = make([]int, len(b)+1)
	}
	for i := len(a) - 1; i >= 0; i-- {
		for j := len(b) - 1; j >= 0; j-- {
			if a[i] == b[j] {
				lcs[i][j] = lcs[i+1][j+1] + 1
			} else {
				lcs[i][j] = max(lcs[i+1][j], lcs[i][j+1])
			}
		}
	}
	return lcs
}

// editScript writes new as edits of old: "=N" keeps the next N lines of
// old, "-N" drops them, any other line is a line of new. A release
// changes a few elements of a type with hundreds of enumeration values, so
// a delta holds the few.
func editScript(old, new []string, mask uint64) []vline {
	n, m := len(old), len(new)
	lcs := lcsTable(old, new)
	var out []vline
	run := func(op byte, k int) {
		if k > 0 {
			out = append(out, vline{string(op) + strconv.Itoa(k), mask})
		}
	}
	keep, drop := 0, 0
	i, j := 0, 0
	for i < n || j < m {
		switch {
		case i < n && j < m && old[i] == new[j] && lcs[i][j] == lcs[i+1][j+1]+1:
			run('-', drop)
			drop = 0
			keep++
			i, j = i+1, j+1
		case j == m || (i < n && lcs[i+1][j] >= lcs[i][j+1]):
			run('=', keep)
			keep = 0
			drop++
			i++
		default:
			run('=', keep)
			run('-', drop)
			keep, drop = 0, 0
			out = append(out, vline{new[j], mask})
			j++
		}
	}
	run('=', keep)
	run('-', drop)
	return out
}

// applyEdits turns the lines of an edit script (editScript) and the base
// type's lines into the record of the type.
func applyEdits(script string, base []string) (string, error) {
	var b strings.Builder
	i := 0
	for script != "" {
		end := strings.IndexByte(script, '\n')
		if end < 0 {
			return "", errors.New("record does not end in a line break")
		}
		line := script[:end]
		script = script[end+1:]
		if line != "" && (line[0] == '=' || line[0] == '-') {
			k, err := strconv.Atoi(line[1:])
			if err != nil || k <= 0 || k > len(base)-i {
				return "", fmt.Errorf("edit %q does not fit the base's %d lines", line, len(base))
			}
			if line[0] == '=' {
				for _, l := range base[i : i+k] {
					b.WriteString(l + "\n")
				}
			}
			i += k
			continue
		}
		b.WriteString(line + "\n")
	}
	if i != len(base) {
		return "", fmt.Errorf("the edits leave %d of the base's lines unaccounted for", len(base)-i)
	}
	return b.String(), nil
}

func textOf(ls []vline) []string {
	out := make([]string, len(ls))
	for i, l := range ls {
		out[i] = l.text
	}
	return out
}

// isRoot reports whether the type called name is a document root at bit.
func (b *Bundle) isRoot(name string, bit int) bool {
	i, ok, err := b.find(name)
	if !ok || err != nil {
		return false
	}
	_, _, _, _, rootMask, err := b.entry(i)
	return err == nil && rootMask&(1<<bit) != 0
}

// Encode writes one model as a models file of its version alone.
func Encode(m *Model) ([]byte, error) {
	b := &Builder{Header: m.Header}
	if err := b.Add(m.Version, m.SHA256, m.Roots(), m.ComplexTypes(), m.SimpleTypes()); err != nil {
		return nil, err
	}
	return b.Encode()
}

// Decode reads a models file of one complete version and loads every
// type of it, so a broken file fails here rather than at first use. name
// is used in errors.
func Decode(name string, data []byte) (*Model, error) {
	b, err := OpenBundle(name, string(data))
	if err != nil {
		return nil, err
	}
	if len(b.versions) != 1 || b.base != "" {
		return nil, fmt.Errorf("%s: holds %d versions%s; Decode reads one complete version", name, len(b.versions), map[bool]string{true: " and is a delta"}[b.base != ""])
	}
	m := newLazy(b.versions[0], b.shas[0], b.Header, source{b, 0})
	if err := m.LoadAll(); err != nil {
		return nil, err
	}
	return m, nil
}
