// Package schemagen derives, from the Salesforce Metadata API WSDLs, the
// content models byocpack checks files against (internal/model: every
// metadata type of every version in one file, see bundle.go and models.go;
// ImportModels for `schemas import`) and one small, standalone XSD per
// rendered metadata root type and API version, which the tests hand to
// xmllint and jacoelho/xsd as oracles.
//
// The WSDL carries the whole Metadata API (about 2,000 types) as one inline
// schema without global elements for metadata types, with its namespace
// prefixes declared on wsdl:definitions. A validator needs a schema it can
// compile on its own, with a global element for the document root, and
// compiling the full schema for every run would cost far more than the few
// dozen types a BYOC package uses. So for each root we copy, byte for byte,
// the type definitions it needs transitively, in WSDL order, and wrap them.
package schemagen

import (
	"bytes"
	"cmp"
	"encoding/xml"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"os"
	"path"
	"path/filepath"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"sync"

	"github.com/byocpack/byocpack/internal/fsutil"
)

const (
	xsdNS        = "http://www.w3.org/2001/XMLSchema"
	metadataNS   = "http://soap.sforce.com/2006/04/metadata"
	licenseFile  = "LICENSE.txt"
	licenseTitle = "BSD-3-Clause"
)

// DefaultRoots returns the metadata root types byocpack renders or checks.
// It returns a fresh slice so callers may modify it.
func DefaultRoots() []string {
	return []string{
		"ExternalClientApplication",
		"ExtlClntAppOauthSettings",
		"ExtlClntAppGlobalOauthSettings",
		"ExtlClntAppOauthConfigurablePolicies",
		"ExtlClntAppConfigurablePolicies",
		"ConnectedApp",
		"ConversationChannelDefinition",
		"ConversationVendorInfo",
		"CustomObject",
		"CustomField",
		"Package",
	}
}

// File is one generated schema. Path is slash-separated and relative to the
// schemas directory, such as "v66.0/CustomObject.xsd".
type File struct {
	Path string
	Data []byte
}

// Skip records a root type that a WSDL does not define, so no schema exists
// for it in that version.
type Skip struct {
	Version string
	Type    string
	Reason  string
}

func (s Skip) String() string {
	return fmt.Sprintf("v%s/%s: skipped: %s", s.Version, s.Type, s.Reason)
}

// Result is everything one generation run produced: the schemas sorted by
// path, and the facts the knowledge base (Knowledge) is written from.
type Result struct {
	Files []File
	// Models is the content models file of every version (Models), which
	// the caller adds: Generate reads one folder, the models come from all.
	Models  []File
	Skipped []Skip
	// Versions are the WSDLs read, oldest first.
	Versions []Source
	// Fields are the top-level fields of each root, by version and type.
	Fields []TypeFields
	// Enums are the enumerations byocpack keeps (the OAuth scopes), by
	// version.
	Enums []Enum
	// License is the WSDL licence text, LF line ends.
	License string
}

// Source is one WSDL a run read.
type Source struct {
	Name    string // file name, such as metadata-v66.0.wsdl
	Version string // such as "66.0"
	Header  string // the WSDL's header comment, trimmed, LF line ends
}

// TypeFields lists the top-level fields of a root type in one version: the
// elements of its xsd:sequence, after those of its base types, in WSDL
// order.
type TypeFields struct {
	Version string
	Type    string
	Fields  []string
}

var wsdlName = sync.OnceValue(func() *regexp.Regexp { return regexp.MustCompile(`^metadata-v([0-9]+\.[0-9]+)\.wsdl$`) })

// Generate reads LICENSE.txt and every metadata-v<api>.wsdl in fsys and
// derives the schemas of roots for each API version found.
func Generate(fsys fs.FS, roots []string) (Result, error) {
	license, err := fs.ReadFile(fsys, licenseFile)
	if err != nil {
		return Result{}, fmt.Errorf("schemagen: reading the WSDL licence: %w", err)
	}
	entries, err := fs.ReadDir(fsys, ".")
	if err != nil {
		return Result{}, fmt.Errorf("schemagen: listing the WSDL directory: %w", err)
	}
	res := Result{License: normalizeText(string(license))}
	for _, e := range entries {
		m := wsdlName().FindStringSubmatch(e.Name())
		if m == nil || e.IsDir() {
			continue
		}
		data, err := fs.ReadFile(fsys, e.Name())
		if err != nil {
			return Result{}, fmt.Errorf("schemagen: %w", err)
		}
		one, err := GenerateVersion(e.Name(), m[1], data, license, roots)
		if err != nil {
			return Result{}, err
		}
		res.Files = append(res.Files, one.Files...)
		res.Skipped = append(res.Skipped, one.Skipped...)
		res.Versions = append(res.Versions, one.Versions...)
		res.Fields = append(res.Fields, one.Fields...)
		res.Enums = append(res.Enums, one.Enums...)
	}
	if len(res.Versions) == 0 {
		return Result{}, errors.New("schemagen: no metadata-v<api>.wsdl file found")
	}
	slices.SortFunc(res.Files, func(a, b File) int { return strings.Compare(a.Path, b.Path) })
	slices.SortFunc(res.Skipped, func(a, b Skip) int {
		return strings.Compare(a.Version+"/"+a.Type, b.Version+"/"+b.Type)
	})
	// Directory order is by name, which puts 100.0 before 62.0.
	slices.SortFunc(res.Versions, func(a, b Source) int { return compareVersions(a.Version, b.Version) })
	slices.SortStableFunc(res.Fields, func(a, b TypeFields) int {
		return cmp.Or(compareVersions(a.Version, b.Version), strings.Compare(a.Type, b.Type))
	})
	slices.SortStableFunc(res.Enums, func(a, b Enum) int { return compareVersions(a.Version, b.Version) })
	return res, nil
}

// compareVersions orders the "<major>.0" versions of WSDL file names.
// schemagen keeps this rather than use internal/apiver, whose data it
// generates: a generator that needs its own output to build could not
// repair that output.
func compareVersions(a, b string) int { return cmp.Compare(majorOf(a), majorOf(b)) }

func majorOf(v string) int { n, _ := strconv.Atoi(strings.TrimSuffix(v, ".0")); return n }

// GenerateVersion derives the schemas of roots, and their top-level fields,
// from one WSDL. name is the WSDL's file name, used in messages and in each
// schema's header comment.
func GenerateVersion(name, version string, wsdl, license []byte, roots []string) (Result, error) {
	w, err := parseWSDL(wsdl)
	if err != nil {
		return Result{}, fmt.Errorf("schemagen: %s: %w", name, err)
	}
	if want := "Metadata API version " + version; !strings.Contains(w.header, want) {
		return Result{}, fmt.Errorf("schemagen: %s: header comment does not say %q; is the file name right?", name, want)
	}
	header, err := headerComment(name, version, w.header, license)
	if err != nil {
		return Result{}, fmt.Errorf("schemagen: %s: %w", name, err)
	}
	res := Result{
		Versions: []Source{{Name: name, Version: version, Header: normalizeText(w.header)}},
		License:  normalizeText(string(license)),
	}
	if res.Enums, err = w.versionEnums(version); err != nil {
		return Result{}, fmt.Errorf("schemagen: %s: %w", name, err)
	}
	for _, root := range roots {
		if _, ok := w.types[root]; !ok {
			res.Skipped = append(res.Skipped, Skip{Version: version, Type: root,
				Reason: fmt.Sprintf("%s defines no complexType %q", name, root)})
			continue
		}
		data, err := w.schemaFor([]string{root}, header)
		if err != nil {
			return Result{}, fmt.Errorf("schemagen: %s: %s: %w", name, root, err)
		}
		fields, err := w.topFields(root)
		if err != nil {
			return Result{}, fmt.Errorf("schemagen: %s: %s: %w", name, root, err)
		}
		res.Files = append(res.Files, File{Path: path.Join("v"+version, root+".xsd"), Data: data})
		res.Fields = append(res.Fields, TypeFields{Version: version, Type: root, Fields: fields})
	}
	return res, nil
}

// CombinedSchema derives one standalone XSD with a global element for each
// of roots from one WSDL: what `make bench` hands xmllint, which takes one
// schema per process.
func CombinedSchema(name, version string, wsdl, license []byte, roots []string) ([]byte, error) {
	w, err := parseWSDL(wsdl)
	if err != nil {
		return nil, fmt.Errorf("schemagen: %s: %w", name, err)
	}
	header, err := headerComment(name, version, w.header, license)
	if err != nil {
		return nil, fmt.Errorf("schemagen: %s: %w", name, err)
	}
	return w.schemaFor(roots, header)
}

func normalizeText(s string) string { return strings.TrimSpace(strings.ReplaceAll(s, "\r\n", "\n")) }

// block is one top-level definition of the WSDL's schema, kept as raw bytes
// so the generated schema says exactly what Salesforce published.
type block struct {
	name string
	raw  []byte
	refs []string // local names of the target-namespace types it uses
}

type wsdl struct {
	header         string
	xsdPrefix      string
	tnsPrefix      string
	targetNS       string
	elementDefault string
	blocks         []block
	types          map[string]int // type name -> index in blocks
}

// parseWSDL splits the inline schema into its type definitions. It fails on
// any construct it does not understand rather than emit a schema that
// silently means something else.
func parseWSDL(data []byte) (*wsdl, error) {
	d := xml.NewDecoder(bytes.NewReader(data))
	w := &wsdl{types: map[string]int{}}
	ns := map[string]string{}
	var stack []xml.Name
	inSchema := false
	schemaDepth := 0
	for {
		start := d.InputOffset()
		tok, err := d.RawToken()
		if err == io.EOF {
			if len(stack) > 0 {
				return nil, fmt.Errorf("not well-formed: file ends inside <%s>", stack[len(stack)-1].Local)
			}
			break
		}
		if err != nil {
			return nil, fmt.Errorf("not well-formed: %w", err)
		}
		switch t := tok.(type) {
		case xml.Comment:
			if len(stack) == 0 && w.header == "" {
				w.header = strings.TrimSpace(string(t))
			}
		case xml.StartElement:
			stack = append(stack, t.Name)
			if len(stack) == 1 {
				for _, a := range t.Attr {
					if a.Name.Space == "xmlns" {
						ns[a.Name.Local] = a.Value
					}
				}
			}
			if !inSchema && t.Name.Local == "schema" && ns[t.Name.Space] == xsdNS {
				if w.targetNS != "" {
					return nil, errors.New("more than one xsd:schema; expected exactly one")
				}
				inSchema, schemaDepth = true, len(stack)
				if err := w.readSchemaAttrs(t, ns); err != nil {
					return nil, err
				}
				continue
			}
			if inSchema && len(stack) == schemaDepth+1 {
				b, err := readBlock(d, data, start, t, w.xsdPrefix, w.tnsPrefix)
				if err != nil {
					return nil, err
				}
				stack = stack[:len(stack)-1]
				if t.Name.Local == "complexType" || t.Name.Local == "simpleType" {
					if _, dup := w.types[b.name]; dup {
						return nil, fmt.Errorf("type %q is defined twice", b.name)
					}
					w.types[b.name] = len(w.blocks)
				}
				w.blocks = append(w.blocks, b)
			}
		case xml.EndElement:
			if inSchema && len(stack) == schemaDepth {
				inSchema = false
			}
			stack = stack[:len(stack)-1]
		}
	}
	if w.targetNS == "" {
		return nil, errors.New("no xsd:schema found in wsdl:types")
	}
	return w, nil
}

func (w *wsdl) readSchemaAttrs(t xml.StartElement, ns map[string]string) error {
	for _, a := range t.Attr {
		switch {
		case a.Name.Space == "xmlns":
			// A prefix redeclared on the schema itself would change what the
			// copied blocks mean; we only support the WSDL's own layout.
			if ns[a.Name.Local] != a.Value {
				return fmt.Errorf("xsd:schema redeclares prefix %q", a.Name.Local)
			}
		case a.Name.Space == "" && a.Name.Local == "targetNamespace":
			w.targetNS = a.Value
		case a.Name.Space == "" && a.Name.Local == "elementFormDefault":
			w.elementDefault = a.Value
		}
	}
	if w.targetNS != metadataNS {
		return fmt.Errorf("schema targetNamespace is %q, want %q", w.targetNS, metadataNS)
	}
	w.xsdPrefix = t.Name.Space
	for p, uri := range ns {
		if uri == w.targetNS && p != "" && (w.tnsPrefix == "" || p < w.tnsPrefix) {
			w.tnsPrefix = p
		}
	}
	if w.tnsPrefix == "" {
		return errors.New("no prefix is declared for the target namespace")
	}
	return nil
}

// readBlock consumes one top-level schema child whose start tag has just
// been read and returns its raw text and the types it references.
func readBlock(d *xml.Decoder, data []byte, start int64, first xml.StartElement, xsdPrefix, tnsPrefix string) (block, error) {
	var b block
	for _, a := range first.Attr {
		if a.Name.Space == "" && a.Name.Local == "name" {
			b.name = a.Value
		}
	}
	refs := map[string]bool{}
	addRefs := func(t xml.StartElement) error {
		if t.Name.Space != xsdPrefix {
			return fmt.Errorf("%s: element %s:%s is outside the XML Schema namespace", b.name, t.Name.Space, t.Name.Local)
		}
		for _, a := range t.Attr {
			if a.Name.Space == "xmlns" || (a.Name.Space == "" && a.Name.Local == "xmlns") {
				return fmt.Errorf("%s: nested namespace declarations are not supported", b.name)
			}
			if a.Name.Space != "" {
				continue
			}
			switch a.Name.Local {
			case "type", "base":
				prefix, local, ok := strings.Cut(a.Value, ":")
				if !ok {
					return fmt.Errorf("%s: unprefixed type reference %q", b.name, a.Value)
				}
				switch prefix {
				case xsdPrefix:
				case tnsPrefix:
					refs[local] = true
				default:
					return fmt.Errorf("%s: type reference %q uses an unknown prefix", b.name, a.Value)
				}
			case "ref", "itemType", "memberTypes", "substitutionGroup":
				return fmt.Errorf("%s: attribute %s is not supported", b.name, a.Name.Local)
			}
		}
		return nil
	}
	if err := addRefs(first); err != nil {
		return b, err
	}
	for depth := 1; depth > 0; {
		tok, err := d.RawToken()
		if err != nil {
			return b, fmt.Errorf("%s: %w", b.name, err)
		}
		switch t := tok.(type) {
		case xml.StartElement:
			depth++
			if err := addRefs(t); err != nil {
				return b, err
			}
		case xml.EndElement:
			depth--
		}
	}
	b.raw = data[start:d.InputOffset()]
	b.refs = make([]string, 0, len(refs))
	for r := range refs {
		b.refs = append(b.refs, r)
	}
	slices.Sort(b.refs)
	return b, nil
}

// schemaFor wraps the transitive closure of the roots' types into a
// standalone schema with one global element for each document root.
func (w *wsdl) schemaFor(roots []string, header string) ([]byte, error) {
	need, err := w.closure(roots)
	if err != nil {
		return nil, err
	}
	var out bytes.Buffer
	out.WriteString("<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n")
	out.WriteString(header)
	fmt.Fprintf(&out, "<%s:schema xmlns:%s=%s xmlns:%s=%s", w.xsdPrefix, w.xsdPrefix, quote(xsdNS), w.tnsPrefix, quote(w.targetNS))
	if w.elementDefault != "" {
		fmt.Fprintf(&out, " elementFormDefault=%s", quote(w.elementDefault))
	}
	fmt.Fprintf(&out, " targetNamespace=%s>\n", quote(w.targetNS))
	for i, b := range w.blocks {
		if need[i] {
			writeBlock(&out, b.raw)
		}
	}
	for _, root := range roots {
		fmt.Fprintf(&out, " <%s:element name=%s type=%s/>\n", w.xsdPrefix, quote(root), quote(w.tnsPrefix+":"+root))
	}
	fmt.Fprintf(&out, "</%s:schema>\n", w.xsdPrefix)
	return out.Bytes(), nil
}

// writeBlock re-indents a block to sit one level below xsd:schema, keeping
// the WSDL's one-space-per-level style, and normalizes line ends.
func writeBlock(out *bytes.Buffer, raw []byte) {
	text := strings.ReplaceAll(string(raw), "\r\n", "\n")
	lines := strings.Split(text, "\n")
	// The first line starts at '<'; later lines carry the WSDL's absolute
	// indentation, which is the block's own depth plus this base.
	base := -1
	for _, l := range lines[1:] {
		if strings.TrimSpace(l) == "" {
			continue
		}
		n := len(l) - len(strings.TrimLeft(l, " "))
		if base < 0 || n < base {
			base = n
		}
	}
	for i, l := range lines {
		l = strings.TrimRight(l, " \t")
		if i > 0 {
			if strings.TrimSpace(l) == "" {
				continue
			}
			if base > 0 {
				l = l[min(base, len(l)-len(strings.TrimLeft(l, " "))):]
			}
		}
		out.WriteString(" ")
		out.WriteString(l)
		out.WriteString("\n")
	}
}

func quote(s string) string {
	var b strings.Builder
	b.WriteByte('"')
	_ = xml.EscapeText(&b, []byte(s))
	b.WriteByte('"')
	return b.String()
}

// headerComment carries the WSDL's copyright line and the licence text, as
// the licence requires of anything derived from the WSDL.
func headerComment(name, version, wsdlHeader string, license []byte) (string, error) {
	lic := normalizeText(string(license))
	wh := normalizeText(wsdlHeader)
	var b strings.Builder
	b.WriteString("<!--\n")
	fmt.Fprintf(&b, "Generated by byocpack (internal/tools/schemagen) from %s,\nSalesforce Metadata API version %s. Do not edit; run `make schemas`.\n\n", name, version)
	b.WriteString("Header of the source WSDL:\n\n")
	b.WriteString(wh)
	fmt.Fprintf(&b, "\n\nThe WSDL is distributed under the following licence (%s, %s):\n\n", licenseTitle, licenseFile)
	b.WriteString(lic)
	b.WriteString("\n-->\n")
	s := b.String()
	// "--" inside a comment makes the schema not well-formed.
	if strings.Contains(s[len("<!--"):len(s)-len("-->\n")], "--") {
		return "", errors.New("the header or licence text contains \"--\", which cannot appear in an XML comment")
	}
	return s, nil
}

// Write stores res under dir and removes schema files of earlier runs that
// res no longer contains, so a type dropped from a WSDL cannot linger.
func Write(dir string, res Result) error {
	want := map[string]bool{}
	for _, f := range slices.Concat(res.Files, res.Models) {
		want[f.Path] = true
		if err := fsutil.WriteFile(dir, f.Path, f.Data, 0o644, true); err != nil {
			return err
		}
	}
	var old []string
	for _, pattern := range []string{"v*/*.xsd", "models/*.models"} {
		found, err := fs.Glob(os.DirFS(dir), pattern)
		if err != nil {
			return err
		}
		old = append(old, found...)
	}
	for _, p := range old {
		if !want[p] {
			if err := os.Remove(filepath.Join(dir, filepath.FromSlash(p))); err != nil {
				return err
			}
		}
	}
	return nil
}
