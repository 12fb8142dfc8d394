package spec

import (
	"bytes"
	"strings"

	"github.com/goccy/go-yaml/ast"
	"github.com/goccy/go-yaml/parser"
)

// KeyLine returns the line of the deepest key of the dotted key path
// ("channel.vendor") that the spec in data has: "channel" when the channel
// has no vendor key, 0 when it has neither or data is not a spec. It lets
// a finding in a rendered file point at the part of the spec it came from.
// data is refused within the bounds Load sets.
func KeyLine(data []byte, key string) int {
	if _, at := flowNesting(data); at > 0 || bytes.Count(data, []byte("\n"))+bytes.Count(data, []byte(",")) > maxEntries {
		return 0
	}
	f, err := parser.ParseBytes(data, 0, parser.AllowDuplicateMapKey())
	if err != nil || len(f.Docs) == 0 || f.Docs[0].Body == nil {
		return 0
	}
	n, line := f.Docs[0].Body, 0
	for _, k := range strings.Split(key, ".") {
		values, ok := mappingValues(n)
		if !ok {
			return line
		}
		var next ast.Node
		for _, v := range values {
			if v.Key != nil && v.Key.String() == k {
				line, next = tokenPos(v.Key.GetToken()).line, v.Value
				break
			}
		}
		if next == nil {
			return line
		}
		n = next
	}
	return line
}
