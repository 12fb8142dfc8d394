package spec

import (
	"bytes"
	"errors"
	"fmt"
	"io/fs"
	"path"
	"slices"
	"strings"
	"unicode/utf8"

	"github.com/goccy/go-yaml/ast"
	"github.com/goccy/go-yaml/parser"
	"github.com/goccy/go-yaml/token"

	"github.com/byocpack/byocpack/internal/diag"
	"github.com/byocpack/byocpack/internal/fserr"
	"github.com/byocpack/byocpack/internal/strictjson"
	"github.com/byocpack/byocpack/internal/tree"
)

// RuleSpec is the rule ID of every problem found in a spec file.
const RuleSpec = "spec"

// pos is a 1-based line and column in the spec file.
type pos struct{ line, col int }

// value is what the spec said for one key, or its default.
type value struct {
	present bool
	str     string
	b       bool
	list    []string
	// at is the value's position (the key's when the value is absent);
	// items holds each list item's position.
	at    pos
	items []pos
}

// loader walks the YAML tree against the field definitions. It collects
// every problem instead of stopping at the first, so one run shows the
// user all there is to fix.
type loader struct {
	file     string
	problems []diag.Problem
	// dropped counts the problems past maxProblems, said in one line.
	dropped int
	notes   []diag.Problem
	vals    map[string]*value
}

// maxProblems bounds what one spec can report: a 4 MB list of two
// million bad entries gave two million problems, 1.6 GB and 38 s.
const maxProblems = 200

// maxObjectItems bounds a list of objects (channels): each becomes a
// channel definition, and a package of more is no BYOC package.
const maxObjectItems = 50

// maxEntries bounds the lines plus list entries of a spec before it is
// parsed.
const maxEntries = 20_000

// list is every problem found, sorted, then how many were not shown.
func (l *loader) list() diag.List {
	out := diag.Sort(l.problems)
	if l.dropped > 0 {
		out = append(out, diag.Problem{File: l.file, Severity: diag.Error, Rule: RuleSpec,
			Message: fmt.Sprintf("%d more problems are not shown (the first %d are); fix those and run again", l.dropped, maxProblems)})
	}
	return diag.List(out)
}

// Load reads, checks and defaults the spec at name in fsys, and reads the
// certificate it points to from the same filesystem. display is the path
// shown in messages (the path the user typed); empty means name. On any
// problem it returns a problem.List holding all of them.
func Load(fsys fs.FS, name, display string) (*Spec, error) {
	if display == "" {
		display = name
	}
	data, err := tree.ReadFS(fsys, name, tree.MaxInputFile)
	// Editors on Windows save a byte-order mark; YAML does not need it.
	data = bytes.TrimPrefix(data, []byte("\xef\xbb\xbf"))
	if err != nil {
		return nil, diag.List{{File: display, Severity: diag.Error, Rule: RuleSpec,
			Message: fmt.Sprintf("cannot read the spec: %v; pass the path of a byoc.yaml (byocpack init writes one)", fserr.Cause(err))}}
	}
	l := &loader{file: display, vals: map[string]*value{}}
	if at, msg := encodingProblem(data); msg != "" {
		l.add(at, "", "%s", msg)
		return nil, l.list()
	}
	root, ok := l.parse(data)
	if !ok {
		return nil, l.list()
	}
	if _, isMapping := mappingValues(root); !isMapping {
		// Nothing below a non-mapping can be checked; rules across keys
		// would only add noise to the one real problem.
		l.add(tokenPos(root.GetToken()), "", "expected a mapping of keys at the top level, found %s; start from `byocpack init`", describe(root))
		return nil, l.list()
	}
	l.object("", specFields(), root, true, pos{1, 1})
	s := l.build()
	l.crossCheck(s)
	if s.App != nil && l.vals["app.certificate"].present && len(l.problemsAt("app.certificate")) == 0 {
		l.loadCertificate(fsys, path.Join(path.Dir(name), s.App.CertificatePath), s.App)
	}
	if len(l.problems) > 0 {
		return nil, l.list()
	}
	s.Notes = l.notes
	return s, nil
}

func (l *loader) add(at pos, key, format string, args ...any) {
	if len(l.problems) >= maxProblems {
		l.dropped++
		return
	}
	msg := fmt.Sprintf(format, args...)
	if key != "" {
		msg = key + ": " + msg
	}
	l.problems = append(l.problems, diag.Problem{File: l.file, Line: at.line, Column: at.col,
		Severity: diag.Error, Rule: RuleSpec, Message: msg})
}

// problemsAt reports the problems already found for a key, so that checks
// that build on a value do not pile a second message on a bad one.
func (l *loader) problemsAt(key string) []diag.Problem {
	var out []diag.Problem
	for _, p := range l.problems {
		if strings.HasPrefix(p.Message, key+": ") || strings.HasPrefix(p.Message, key+"[") {
			out = append(out, p)
		}
	}
	return out
}

func tokenPos(t *token.Token) pos {
	if t == nil || t.Position == nil {
		return pos{1, 1}
	}
	return pos{t.Position.Line, t.Position.Column}
}

// encodingProblem finds what makes data not UTF-8 text: a UTF-16 or
// UTF-32 file (with or without its byte-order mark), a NUL byte, or a
// byte sequence that is not UTF-8. The YAML parser would take the bytes
// as U+FFFD and render "Partn\uFFFDr" into the package, so the spec is
// refused at the first bad byte instead.
func encodingProblem(data []byte) (pos, string) {
	const saveAs = "save it as UTF-8 (in most editors: Save As, Encoding UTF-8)"
	switch {
	case bytes.HasPrefix(data, []byte{0, 0, 0xfe, 0xff}), bytes.HasPrefix(data, []byte{0xff, 0xfe, 0, 0}):
		return pos{1, 1}, "the spec is UTF-32 text; byocpack reads UTF-8 only: " + saveAs
	case bytes.HasPrefix(data, []byte{0xfe, 0xff}), bytes.HasPrefix(data, []byte{0xff, 0xfe}):
		return pos{1, 1}, "the spec is UTF-16 text; byocpack reads UTF-8 only: " + saveAs
	}
	if i := bytes.IndexByte(data, 0); i >= 0 {
		// Text in UTF-16 or UTF-32 without a byte-order mark has a NUL
		// beside nearly every ASCII character.
		if n := bytes.Count(data, []byte{0}); n*4 >= len(data) {
			return pos{1, 1}, "the spec looks like UTF-16 or UTF-32 text (every other byte is NUL); byocpack reads UTF-8 only: " + saveAs
		}
		line, col := strictjson.Position(data, int64(i))
		return pos{line, col}, "the spec holds a NUL byte; it is not a text file, or is damaged: " + saveAs
	}
	for i := 0; i < len(data); {
		r, size := utf8.DecodeRune(data[i:])
		if r == utf8.RuneError && size <= 1 {
			line, col := strictjson.Position(data, int64(i))
			return pos{line, col}, fmt.Sprintf("byte 0x%02X is not UTF-8 (the file is probably Latin-1 or Windows-1252); byocpack reads UTF-8 only: %s", data[i], saveAs)
		}
		i += size
	}
	return pos{}, ""
}

// parse returns the single document's body, or false after recording why
// there is none.
func (l *loader) parse(data []byte) (ast.Node, bool) {
	if len(strings.TrimSpace(string(data))) == 0 {
		l.add(pos{1, 1}, "", "the spec is empty; run `byocpack init` to write a commented byoc.yaml")
		return nil, false
	}
	if _, at := flowNesting(data); at > 0 {
		l.add(pos{at, 1}, "", "[ and { nest more than %d levels deep; a byoc.yaml nests three at most, so the spec is refused before parsing", maxFlowNesting)
		return nil, false
	}
	// Every entry takes a line or a comma: a byoc.yaml holds a few hundred,
	// and the parser needs about 200 bytes of memory per node.
	if n := bytes.Count(data, []byte("\n")) + bytes.Count(data, []byte(",")); n > maxEntries {
		l.add(pos{1, 1}, "", "the spec has %d lines and list entries, more than the %d byocpack reads; a byoc.yaml holds a few hundred, so it is refused before parsing", n, maxEntries)
		return nil, false
	}
	// Duplicate keys are left to object, which names the key path.
	f, err := parser.ParseBytes(data, 0, parser.AllowDuplicateMapKey())
	if err != nil {
		var ye interface {
			GetToken() *token.Token
			GetMessage() string
		}
		if errors.As(err, &ye) {
			l.add(tokenPos(ye.GetToken()), "", "not valid YAML: %s; fix the syntax (indent with spaces, quote values containing ': ')", ye.GetMessage())
		} else {
			l.add(pos{1, 1}, "", "not valid YAML: %v", err)
		}
		return nil, false
	}
	var docs []*ast.DocumentNode
	for _, d := range f.Docs {
		if d.Body != nil {
			docs = append(docs, d)
		}
	}
	switch len(docs) {
	case 0:
		l.add(pos{1, 1}, "", "the spec is empty; run `byocpack init` to write a commented byoc.yaml")
		return nil, false
	case 1:
		return docs[0].Body, true
	default:
		at := tokenPos(docs[1].Body.GetToken())
		if values, ok := mappingValues(docs[1].Body); ok && len(values) > 0 {
			at = tokenPos(values[0].Key.GetToken())
		}
		l.add(at, "", "the file holds %d YAML documents; keep one spec per file", len(docs))
		return nil, false
	}
}

// mappingValues returns the key/value pairs of a mapping node. goccy
// represents a one-key block mapping as a bare MappingValueNode.
func mappingValues(n ast.Node) ([]*ast.MappingValueNode, bool) {
	switch m := n.(type) {
	case *ast.MappingNode:
		return m.Values, true
	case *ast.MappingValueNode:
		return []*ast.MappingValueNode{m}, true
	}
	return nil, false
}

func join(prefix, key string) string {
	if prefix == "" {
		return key
	}
	return prefix + "." + key
}

func describe(n ast.Node) string {
	switch n.(type) {
	case *ast.StringNode, *ast.LiteralNode:
		return "a string"
	case *ast.IntegerNode, *ast.FloatNode, *ast.InfinityNode, *ast.NanNode:
		return "a number"
	case *ast.BoolNode:
		return "a boolean"
	case *ast.SequenceNode:
		return "a list"
	case *ast.MappingNode, *ast.MappingValueNode:
		return "a mapping"
	case *ast.NullNode:
		return "empty"
	}
	return "a " + n.Type().String()
}

// object checks one mapping against its field definitions. node is nil for
// an absent object: its defaults are filled in, and its required keys are
// not reported, because the object itself is optional. at is the object's
// key (1:1 for the whole file); missing keys are reported at the first key
// of the mapping, where they belong, or at the object's key when it is
// empty.
func (l *loader) object(prefix string, defs []*field, node ast.Node, present bool, at pos) {
	seen := map[string]bool{}
	if node != nil {
		values, ok := mappingValues(node)
		if _, null := node.(*ast.NullNode); null {
			values, ok = nil, true
		}
		if len(values) > 0 {
			at = tokenPos(values[0].Key.GetToken())
		}
		if !ok {
			l.add(tokenPos(node.GetToken()), prefix, "expected a mapping of keys, found %s", describe(node))
			// Fill in the defaults so later checks find every key.
			l.object(prefix, defs, nil, false, at)
			return
		}
		for _, mv := range values {
			keyPos := tokenPos(mv.Key.GetToken())
			key := mv.Key.GetToken().Value
			if _, isMerge := mv.Key.(*ast.MergeKeyNode); isMerge {
				l.add(keyPos, prefix, "YAML merge keys (<<) are not supported; write the keys out")
				continue
			}
			def := findField(defs, key)
			if def == nil {
				l.add(keyPos, join(prefix, key), "unknown key%s; %s", suggestion(key, fieldKeys(defs)), validKeys(prefix, defs))
				continue
			}
			if seen[key] {
				l.add(keyPos, join(prefix, key), "the key appears twice; keep one")
				continue
			}
			seen[key] = true
			l.value(join(prefix, key), def, mv.Value, keyPos)
		}
	}
	for _, def := range defs {
		if seen[def.key] {
			continue
		}
		p := join(prefix, def.key)
		if def.kind == kindObject {
			if def.required && present {
				l.add(at, p, "missing required key; add %s", hint(def))
			}
			l.object(p, def.fields, nil, false, at)
			l.vals[p] = &value{at: at}
			continue
		}
		if def.required && present {
			l.add(at, p, "missing required key; add %s", hint(def))
		}
		l.setDefault(p, def, at)
	}
}

func (l *loader) setDefault(p string, def *field, at pos) {
	v := &value{at: at}
	switch d := def.def.(type) {
	case string:
		v.str = d
	case bool:
		v.b = d
	case []string:
		v.list = slices.Clone(d)
	}
	l.vals[p] = v
}

// unwrap strips what YAML allows around a value but a spec has no use for,
// reporting it, so a clever document fails loudly rather than half-works.
func (l *loader) unwrap(key string, n ast.Node) (ast.Node, bool) {
	switch t := n.(type) {
	case *ast.AnchorNode, *ast.AliasNode:
		l.add(tokenPos(n.GetToken()), key, "YAML anchors and aliases are not supported; write the value out")
		return nil, false
	case *ast.TagNode:
		if tag := t.Start.Value; tag == "!!str" {
			// !!str 3 is the text "3", as quoting it would be.
			switch t.Value.(type) {
			case *ast.IntegerNode, *ast.FloatNode, *ast.BoolNode, *ast.InfinityNode, *ast.NanNode:
				return ast.String(t.Value.GetToken()), true
			}
			return t.Value, true
		}
		l.add(tokenPos(n.GetToken()), key, "YAML tag %s is not supported; remove it", t.Start.Value)
		return nil, false
	}
	return n, true
}

func (l *loader) value(key string, def *field, n ast.Node, keyPos pos) {
	n, ok := l.unwrap(key, n)
	if !ok {
		if def.kind == kindObject {
			// Fill in the object's defaults so later checks find every key.
			l.object(key, def.fields, nil, false, keyPos)
		}
		l.setDefault(key, def, keyPos)
		return
	}
	if _, null := n.(*ast.NullNode); null && def.kind != kindObject {
		if def.required {
			l.add(keyPos, key, "no value; give %s", hint(def))
		}
		l.setDefault(key, def, keyPos)
		return
	}
	at := tokenPos(n.GetToken())
	switch def.kind {
	case kindObject:
		l.object(key, def.fields, n, true, keyPos)
		l.vals[key] = &value{present: true, at: keyPos}
	case kindBool:
		b, isBool := n.(*ast.BoolNode)
		if !isBool {
			l.add(at, key, "expected true or false, found %s", describe(n))
			l.setDefault(key, def, at)
			return
		}
		l.vals[key] = &value{present: true, b: b.Value, at: at}
	case kindString:
		s, ok := l.scalar(key, def, n)
		if ok {
			l.checkString(key, def, s, at)
		}
		l.vals[key] = &value{present: true, str: s, at: at}
	case kindObjectList:
		seq, isSeq := n.(*ast.SequenceNode)
		if !isSeq {
			l.add(at, key, "expected a list of mappings, one per item, found %s", describe(n))
			l.vals[key] = &value{at: at}
			return
		}
		if len(seq.Values) > maxObjectItems {
			l.add(at, key, "lists %d items; a package carries at most %d", len(seq.Values), maxObjectItems)
			l.vals[key] = &value{at: at}
			return
		}
		v := &value{present: true, at: at, list: []string{}}
		for i, item := range seq.Values {
			ik := fmt.Sprintf("%s[%d]", key, i)
			item, ok := l.unwrap(ik, item)
			if !ok {
				continue
			}
			ip := tokenPos(item.GetToken())
			l.object(ik, def.fields, item, true, ip)
			l.vals[ik] = &value{present: true, at: ip}
			v.list = append(v.list, ik)
			v.items = append(v.items, ip)
		}
		l.vals[key] = v
	case kindStringList:
		seq, isSeq := n.(*ast.SequenceNode)
		if !isSeq {
			l.add(at, key, "expected a list such as [%s], found %s", strings.Join(listExample(def), ", "), describe(n))
			l.setDefault(key, def, at)
			return
		}
		v := &value{present: true, at: at, list: []string{}}
		seenItem, seenSpelling := map[string]int{}, map[string]string{}
		for i, item := range seq.Values {
			ik := fmt.Sprintf("%s[%d]", key, i)
			item, ok := l.unwrap(ik, item)
			if !ok {
				continue
			}
			ip := tokenPos(item.GetToken())
			s, ok := l.scalar(ik, def, item)
			if !ok {
				continue
			}
			if !l.checkString(ik, def, s, ip) {
				continue
			}
			norm := s
			if def.key == "scopes" {
				norm = scopeName(s)
			}
			if _, dup := seenItem[norm]; dup && def.key == "scopes" && norm == "RefreshToken" && s == offlineAccessSetupName && seenSpelling[norm] == "refresh_token" {
				// "refresh_token, offline_access" is one Setup checkbox.
				continue
			}
			if j, dup := seenItem[norm]; dup && def.unique {
				l.add(ip, ik, "%q repeats %s[%d]; list it once", s, key, j)
				continue
			}
			seenItem[norm], seenSpelling[norm] = i, s
			v.list = append(v.list, s)
			v.items = append(v.items, ip)
		}
		l.vals[key] = v
	}
}

// scalar returns a string value. Numbers are accepted only where def says
// so, and then as written (66.0 stays "66.0").
func (l *loader) scalar(key string, def *field, n ast.Node) (string, bool) {
	switch t := n.(type) {
	case *ast.StringNode:
		return t.Value, true
	case *ast.LiteralNode:
		return t.Value.Value, true
	case *ast.IntegerNode, *ast.FloatNode:
		raw := n.GetToken().Value
		if def.number {
			return raw, true
		}
		l.add(tokenPos(n.GetToken()), key, "expected text, found the number %s; quote it if you mean the text: %q", raw, raw)
		return "", false
	}
	l.add(tokenPos(n.GetToken()), key, "expected text, found %s; give %s", describe(n), hint(def))
	return "", false
}

func (l *loader) checkString(key string, def *field, s string, at pos) bool {
	if r, bad := controlChar(s, def.multiline); bad {
		l.add(at, key, "contains the control character U+%04X, which metadata XML cannot carry; remove it", r)
		return false
	}
	if len(def.enum) > 0 && !slices.Contains(def.enum, s) {
		l.add(at, key, "%q is not allowed%s; use one of %s", s, suggestion(s, def.enum), strings.Join(enumShown(def), ", "))
		return false
	}
	if def.check != nil {
		if msg := def.check(s); msg != "" {
			l.add(at, key, "%s", msg)
			return false
		}
	}
	return true
}

// enumShown shortens the scope list in messages to the UI tokens.
func enumShown(def *field) []string {
	if def.key == "scopes" {
		return scopeUITokens()
	}
	return def.enum
}

func hint(def *field) string {
	switch {
	case def.example != "":
		return fmt.Sprintf("%s: %s (%s)", def.key, def.example, strings.TrimSuffix(def.doc, "."))
	case len(def.enum) > 0:
		return fmt.Sprintf("%s: one of %s", def.key, strings.Join(enumShown(def), ", "))
	}
	return fmt.Sprintf("%s (%s)", def.key, strings.TrimSuffix(def.doc, "."))
}

func listExample(def *field) []string {
	if d, ok := def.def.([]string); ok && len(d) > 0 {
		return d
	}
	if items := strings.Trim(def.example, "[]"); items != "" {
		return strings.Split(items, ", ")
	}
	return []string{"..."}
}

func findField(defs []*field, key string) *field {
	for _, d := range defs {
		if d.key == key {
			return d
		}
	}
	return nil
}

func fieldKeys(defs []*field) []string {
	keys := make([]string, len(defs))
	for i, d := range defs {
		keys[i] = d.key
	}
	return keys
}

func validKeys(prefix string, defs []*field) string {
	where := "at the top level"
	if prefix != "" {
		where = "under " + prefix
	}
	return fmt.Sprintf("valid keys %s are %s", where, strings.Join(fieldKeys(defs), ", "))
}

// suggestion names the closest candidate when the input looks like a typo
// of it.
func suggestion(in string, candidates []string) string {
	if best := Nearest(in, candidates); best != "" {
		return fmt.Sprintf(" (did you mean %q?)", best)
	}
	return ""
}

// editDistance is the Levenshtein distance between a and b.
func editDistance(a, b string) int {
	ra, rb := []rune(a), []rune(b)
	prev := make([]int, len(rb)+1)
	cur := make([]int, len(rb)+1)
	for j := range prev {
		prev[j] = j
	}
	for i := 1; i <= len(ra); i++ {
		cur[0] = i
		for j := 1; j <= len(rb); j++ {
			cost := 1
			if ra[i-1] == rb[j-1] {
				cost = 0
			}
			cur[j] = min(prev[j]+1, cur[j-1]+1, prev[j-1]+cost)
		}
		prev, cur = cur, prev
	}
	return prev[len(rb)]
}
