package model

import (
	"fmt"
	"slices"
	"strconv"
	"strings"
)

// The models file format (version 2) holds the content models of one or
// more API versions in one file, each type once, each line of it marked
// with the versions it exists in, and an index that finds a type without
// reading the rest:
//
//	byocpack-models 2
//	# header comment lines (origin, the WSDLs' copyright and licence)
//	versions 47.0 48.0 ... 66.0       bit i of a mask is the i-th version
//	sha256 <hex> <hex> ...            the WSDL of each version
//	base 66.0 <hex>                   a delta only: see below
//	index <count> <bytes of names>
//	<name>                            count lines, sorted by byte order
//	<nameOff> <recOff> <recLen> <mask> <rootMask>
//	                                  count lines of fixed width (hex):
//	                                  where the name and the type's record
//	                                  are, the versions that have the type
//	                                  and those where it is a document root
//	<records>
//
// A record is lines, each for the versions of the type unless it starts
// with @ and API major ranges ("@59-66,68 e description xsd:string 0 1"):
//
//	complex | simple                  the kind
//	base <type>                       a complex type's extension base, a
//	                                  simple type's built-in (xsd:string)
//	e <name> <type> <min> <max|unbounded> [nillable]
//	enum <value> | pattern <regexp> | length|minLength|maxLength <n>
//
// A type's lines at one version are, in order, exactly what the WSDL of
// that version says; elements of one name may repeat (positional
// particles). A delta (what `schemas import` writes) has one version and
// names its base, a version of the bundled file: it holds only the types
// that differ from the base, each as edits of the base's lines ("=N" keeps
// the next N, "-N" drops them, other lines are new) or, for a type the
// base lacks, whole; and it marks the types the base has and it does not
// with an empty mask.
const (
	magic      = "byocpack-models 2"
	entryWidth = 8 + 1 + 8 + 1 + 8 + 1 + 16 + 1 + 16 + 1
	maxBits    = 64
)

// Bundle is a parsed models file: its header and index, not its records,
// which are read per type when a model first needs them.
type Bundle struct {
	name     string // for messages
	data     string
	Header   []string
	versions []string
	shas     []string
	// base and baseSHA are the bundled version a delta is relative to.
	base, baseSHA string
	// over and overBit are the bundle and version a delta's edits apply
	// to, once the Set has found its base.
	over    *Bundle
	overBit int
	count   int
	names   string // the names block
	entries string // the fixed-width entries
	records string
}

// OpenBundle parses the header and index of a models file. name is used
// in messages.
func OpenBundle(name, data string) (*Bundle, error) {
	b := &Bundle{name: name, data: data}
	rest := data
	line := func() (string, bool) {
		if rest == "" {
			return "", false
		}
		l, r, ok := strings.Cut(rest, "\n")
		if !ok {
			return "", false
		}
		rest = r
		return l, true
	}
	bad := func(format string, args ...any) error {
		return fmt.Errorf("%s: %s", name, fmt.Sprintf(format, args...))
	}
	first, _ := line()
	if first != magic {
		if strings.HasPrefix(first, "byocpack-models ") {
			return nil, bad("written in another models format (%q, this byocpack reads %q); import the WSDL again with `byocpack schemas import`", first, magic)
		}
		return nil, bad("not a byocpack models file (the first line is not %q); import the WSDL again with `byocpack schemas import`", magic)
	}
	for {
		l, ok := line()
		if !ok {
			return nil, bad("ends before its index")
		}
		if h, ok := strings.CutPrefix(l, "#"); ok {
			b.Header = append(b.Header, strings.TrimPrefix(h, " "))
			continue
		}
		key, val, _ := strings.Cut(l, " ")
		switch key {
		case "versions":
			b.versions = strings.Fields(val)
			for i, v := range b.versions {
				if majorOf(v) <= 0 || (i > 0 && majorOf(v) <= majorOf(b.versions[i-1])) {
					return nil, bad("versions %q are not API versions, oldest first", val)
				}
			}
			if len(b.versions) == 0 || len(b.versions) > maxBits {
				return nil, bad("holds %d versions; 1 to %d are supported", len(b.versions), maxBits)
			}
		case "sha256":
			b.shas = strings.Fields(val)
		case "base":
			b.base, b.baseSHA, _ = strings.Cut(val, " ")
			if majorOf(b.base) <= 0 || len(b.baseSHA) != 64 {
				return nil, bad("malformed base %q", val)
			}
		case "index":
			f := strings.Fields(val)
			var n, size int
			var err1, err2 error
			if len(f) == 2 {
				n, err1 = strconv.Atoi(f[0])
				size, err2 = strconv.Atoi(f[1])
			}
			if len(f) != 2 || err1 != nil || err2 != nil || n < 0 || size < 0 || size > len(rest) || n > (len(rest)-size)/entryWidth {
				return nil, bad("malformed index %q", val)
			}
			if len(b.versions) == 0 || len(b.shas) != len(b.versions) {
				return nil, bad("the versions and sha256 lines are missing or disagree")
			}
			if b.base != "" && len(b.versions) != 1 {
				return nil, bad("a delta holds one version, not %d", len(b.versions))
			}
			b.count, b.names = n, rest[:size]
			b.entries = rest[size : size+n*entryWidth]
			b.records = rest[size+n*entryWidth:]
			if strings.Count(b.names, "\n") != n {
				return nil, bad("the index names %d types, not %d", strings.Count(b.names, "\n"), n)
			}
			return b, nil
		default:
			return nil, bad("unknown line %q", l)
		}
	}
}

// Versions are the API versions the file holds, oldest first.
func (b *Bundle) Versions() []string { return slices.Clone(b.versions) }

// Base is the bundled version a delta is relative to and that version's
// WSDL digest; "" for a file that is complete.
func (b *Bundle) Base() (version, sha string) { return b.base, b.baseSHA }

// entry reads the i-th index entry.
func (b *Bundle) entry(i int) (nameOff, recOff, recLen int, mask, rootMask uint64, err error) {
	e := b.entries[i*entryWidth : (i+1)*entryWidth]
	var f [5]uint64
	pos := 0
	for k, w := range [...]int{8, 8, 8, 16, 16} {
		v, ok := parseHex(e[pos : pos+w])
		if !ok {
			return 0, 0, 0, 0, 0, fmt.Errorf("%s: index entry %d is malformed", b.name, i)
		}
		f[k] = v
		pos += w + 1
	}
	if f[0] >= uint64(len(b.names)) || f[1]+f[2] > uint64(len(b.records)) {
		return 0, 0, 0, 0, 0, fmt.Errorf("%s: index entry %d points outside the file", b.name, i)
	}
	return int(f[0]), int(f[1]), int(f[2]), f[3], f[4], nil
}

// parseHex reads lower-case hexadecimal digits: the index is read on
// every type lookup, and strconv.ParseUint was a third of a build's time
// in the models.
func parseHex(s string) (uint64, bool) {
	var v uint64
	for i := 0; i < len(s); i++ {
		c := s[i]
		switch {
		case '0' <= c && c <= '9':
			v = v<<4 | uint64(c-'0')
		case 'a' <= c && c <= 'f':
			v = v<<4 | uint64(c-'a'+10)
		default:
			return 0, false
		}
	}
	return v, true
}

// nameAt is the name of the i-th entry.
func (b *Bundle) nameAt(i int) (string, error) {
	off, ok := parseHex(b.entries[i*entryWidth : i*entryWidth+8])
	if !ok || off >= uint64(len(b.names)) {
		return "", fmt.Errorf("%s: index entry %d is malformed", b.name, i)
	}
	n, _, ok := strings.Cut(b.names[off:], "\n")
	if !ok {
		return "", fmt.Errorf("%s: index name %d is malformed", b.name, i)
	}
	return n, nil
}

// find returns the index entry of the type called name.
func (b *Bundle) find(name string) (int, bool, error) {
	lo, hi := 0, b.count
	for lo < hi {
		mid := int(uint(lo+hi) >> 1)
		n, err := b.nameAt(mid)
		if err != nil {
			return 0, false, err
		}
		switch c := strings.Compare(n, name); {
		case c == 0:
			return mid, true, nil
		case c < 0:
			lo = mid + 1
		default:
			hi = mid
		}
	}
	return 0, false, nil
}

// bit is the mask bit of version v, -1 when the file lacks it.
func (b *Bundle) bit(v string) int { return slices.Index(b.versions, v) }

// lookup finds the record of name: listed says the index has the type,
// present that the version of bit has it, rec its record (all versions).
func (b *Bundle) lookup(name string, bit int) (listed, present bool, rec string, err error) {
	i, ok, err := b.find(name)
	if !ok || err != nil {
		return false, false, "", err
	}
	_, off, n, mask, _, err := b.entry(i)
	if err != nil || mask&(1<<bit) == 0 {
		return true, false, "", err
	}
	return true, true, b.records[off : off+n], nil
}

// typeAt reads the type called name as version bit has it; both nil when
// the index lists it but the version does not have it.
func (b *Bundle) typeAt(name string, bit int) (listed bool, c *Complex, s *Simple, err error) {
	listed, present, rec, err := b.lookup(name, bit)
	if !present || err != nil {
		return listed, nil, nil, err
	}
	if b.over != nil {
		rec, err = b.expand(name, rec)
		if err != nil {
			return true, nil, nil, fmt.Errorf("%s: type %s: %w", b.name, name, err)
		}
	}
	c, s, err = parseType(name, rec, majorOf(b.versions[bit]))
	if err == nil && c == nil && s == nil {
		err = fmt.Errorf("type %s has no kind line at API %s", name, b.versions[bit])
	}
	if err != nil {
		return true, nil, nil, fmt.Errorf("%s: API %s: %w", b.name, b.versions[bit], err)
	}
	return true, c, s, nil
}

// expand applies a delta record's edits, if it has any, to the lines its
// base has for the type.
func (b *Bundle) expand(name, rec string) (string, error) {
	if !strings.HasPrefix(rec, "=") && !strings.HasPrefix(rec, "-") && !strings.Contains(rec, "\n=") && !strings.Contains(rec, "\n-") {
		return rec, nil
	}
	_, present, baseRec, err := b.over.lookup(name, b.overBit)
	if err != nil {
		return "", err
	}
	if !present {
		return "", fmt.Errorf("edits a type API %s does not have", b.over.versions[b.overBit])
	}
	base, err := linesAt(baseRec, majorOf(b.over.versions[b.overBit]))
	if err != nil {
		return "", err
	}
	return applyEdits(rec, base)
}

// linesAt keeps the lines of a record that exist at API major, without
// their version marks.
func linesAt(rec string, major int) ([]string, error) {
	var out []string
	for rec != "" {
		l, more, in, err := nextLine(rec, major)
		if err != nil {
			return nil, err
		}
		if rec = more; in {
			out = append(out, l)
		}
	}
	return out, nil
}

// nextLine splits the first line off rec, without its version mark, and
// says whether it exists at API major.
func nextLine(rec string, major int) (line, rest string, in bool, err error) {
	end := strings.IndexByte(rec, '\n')
	if end < 0 {
		return "", "", false, fmt.Errorf("record does not end in a line break")
	}
	line, rest = rec[:end], rec[end+1:]
	if line != "" && line[0] == '@' {
		ranges, text, _ := cutSpace(line[1:])
		in, err = inRanges(ranges, major)
		return text, rest, in, err
	}
	return line, rest, true, nil
}

// each calls f with every type of the index and its masks, in name order.
func (b *Bundle) each(f func(name string, mask, rootMask uint64) error) error {
	for i := range b.count {
		n, err := b.nameAt(i)
		if err != nil {
			return err
		}
		_, _, _, mask, rootMask, err := b.entry(i)
		if err != nil {
			return err
		}
		if err := f(n, mask, rootMask); err != nil {
			return err
		}
	}
	return nil
}

// inRanges reports whether major is in "59-62,64".
func inRanges(ranges string, major int) (bool, error) {
	for ranges != "" {
		r, more, _ := strings.Cut(ranges, ",")
		ranges = more
		lo, hi, isRange := strings.Cut(r, "-")
		a, err := strconv.Atoi(lo)
		if err != nil {
			return false, fmt.Errorf("malformed version range %q", r)
		}
		z := a
		if isRange {
			if z, err = strconv.Atoi(hi); err != nil || z < a {
				return false, fmt.Errorf("malformed version range %q", r)
			}
		}
		if a <= major && major <= z {
			return true, nil
		}
	}
	return false, nil
}

// writeRanges writes the majors of the versions in mask as ranges of
// consecutive bundled versions: "59-66", "47-52,55".
func writeRanges(versions []string, mask uint64) string {
	var parts []string
	for i := 0; i < len(versions); i++ {
		if mask&(1<<i) == 0 {
			continue
		}
		j := i
		for j+1 < len(versions) && mask&(1<<(j+1)) != 0 {
			j++
		}
		if i == j {
			parts = append(parts, strconv.Itoa(majorOf(versions[i])))
		} else {
			parts = append(parts, strconv.Itoa(majorOf(versions[i]))+"-"+strconv.Itoa(majorOf(versions[j])))
		}
		i = j
	}
	return strings.Join(parts, ",")
}
