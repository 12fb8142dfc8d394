package spec

import (
	"bytes"
	"fmt"
	"strings"
	"unicode/utf8"

	"github.com/goccy/go-yaml/ast"
	"github.com/goccy/go-yaml/parser"
)

// SetCertificatePath returns the spec data with app.certificate set to
// value, changing nothing else: the value is replaced where it stands on
// its line, so comments, order, quoting style and the rest of the file are
// the user's as written. The spec must already name a certificate.
func SetCertificatePath(data []byte, value string) ([]byte, error) {
	if strings.ContainsAny(value, "\n\r\"\\") {
		return nil, fmt.Errorf("the certificate path %q cannot be written as a YAML scalar on one line", value)
	}
	n, err := certificateNode(data)
	if err != nil {
		return nil, err
	}
	tok := n.GetToken()
	if tok == nil || tok.Position == nil {
		return nil, fmt.Errorf("app.certificate has no position in the spec")
	}
	lines := bytes.SplitAfter(data, []byte("\n"))
	li := tok.Position.Line - 1
	if li < 0 || li >= len(lines) {
		return nil, fmt.Errorf("app.certificate is on line %d, outside the spec", tok.Position.Line)
	}
	line := lines[li]
	// goccy counts columns in characters from 1.
	start := 0
	for i := 1; i < tok.Position.Column && start < len(line); i++ {
		_, size := utf8.DecodeRune(line[start:])
		start += size
	}
	end, quote := scalarEnd(line, start)
	if end < 0 {
		return nil, fmt.Errorf("line %d: app.certificate's value does not end on its line; write it on one line", tok.Position.Line)
	}
	newValue := value
	if quote != 0 {
		newValue = string(quote) + value + string(quote)
	} else if needsQuotes(value) {
		newValue = `"` + value + `"`
	}
	var out bytes.Buffer
	for i, l := range lines {
		if i == li {
			out.Write(line[:start])
			out.WriteString(newValue)
			out.Write(line[end:])
			continue
		}
		out.Write(l)
	}
	// The edit is checked by reading it back.
	check, err := certificateNode(out.Bytes())
	if err != nil {
		return nil, fmt.Errorf("the edited spec does not parse (%v); nothing was changed", err)
	}
	if got := scalarValue(check); got != value {
		return nil, fmt.Errorf("the edited spec reads app.certificate as %q, not %q; nothing was changed", got, value)
	}
	return out.Bytes(), nil
}

// certificateNode finds the value node of app.certificate.
func certificateNode(data []byte) (ast.Node, error) {
	f, err := parser.ParseBytes(bytes.TrimPrefix(data, []byte("\xef\xbb\xbf")), parser.ParseComments)
	if err != nil {
		return nil, err
	}
	if len(f.Docs) != 1 {
		return nil, fmt.Errorf("the spec holds %d YAML documents, not one", len(f.Docs))
	}
	find := func(n ast.Node, key string) ast.Node {
		values, _ := mappingValues(n)
		for _, v := range values {
			if v.Key != nil && v.Key.String() == key {
				return v.Value
			}
		}
		return nil
	}
	body := f.Docs[0].Body
	if c, ok := body.(*ast.CommentGroupNode); ok && c != nil {
		return nil, fmt.Errorf("the spec is only comments")
	}
	app := find(body, "app")
	if app == nil {
		return nil, fmt.Errorf("the spec has no app")
	}
	c := find(app, "certificate")
	if c == nil {
		return nil, fmt.Errorf("the spec has no app.certificate; add one (byocpack init --cert writes it)")
	}
	if _, ok := c.(*ast.StringNode); !ok {
		return nil, fmt.Errorf("app.certificate is %s, not a path", describe(c))
	}
	return c, nil
}

func scalarValue(n ast.Node) string {
	if s, ok := n.(*ast.StringNode); ok {
		return s.Value
	}
	return ""
}

// scalarEnd returns where the scalar starting at start ends on line, and
// its quote character (0 for a plain scalar); -1 when it does not end on
// the line.
func scalarEnd(line []byte, start int) (int, byte) {
	if start >= len(line) {
		return -1, 0
	}
	switch q := line[start]; q {
	case '"', '\'':
		for i := start + 1; i < len(line); i++ {
			switch {
			case q == '"' && line[i] == '\\':
				i++
			case line[i] == q && q == '\'' && i+1 < len(line) && line[i+1] == '\'':
				i++
			case line[i] == q:
				return i + 1, q
			}
		}
		return -1, 0
	}
	// A plain scalar ends at " #" (a comment), a flow indicator inside a
	// flow mapping, or the end of the line; trailing blanks are not part
	// of it.
	end := len(bytes.TrimRight(line, "\r\n"))
	if i := bytes.Index(line[start:end], []byte(" #")); i >= 0 {
		end = start + i
	}
	if i := bytes.IndexAny(line[start:end], ",}"); i >= 0 {
		end = start + i
	}
	for end > start && (line[end-1] == ' ' || line[end-1] == '\t') {
		end--
	}
	return end, 0
}

// needsQuotes reports whether a path cannot stand as a plain scalar.
func needsQuotes(v string) bool {
	return v == "" || strings.ContainsAny(v, ":#{}[],&*!|>'\"%@`") || strings.HasPrefix(v, "-") || strings.HasPrefix(v, "?") ||
		strings.TrimSpace(v) != v
}
