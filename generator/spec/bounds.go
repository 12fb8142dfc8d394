package spec

// maxFlowNesting bounds [ and { nesting in the spec. byoc.yaml nests three
// levels at most; the YAML parser recurses per level, so 100,000 brackets
// would take gigabytes before any check ran.
const maxFlowNesting = 32

// flowNesting returns the deepest [ / { nesting outside quotes and
// comments, and the 1-based line where it is first exceeded (0 when it is
// not).
func flowNesting(data []byte) (depth, overAt int) {
	line, cur := 1, 0
	var quote byte
	comment := false
	for i := 0; i < len(data); i++ {
		c := data[i]
		switch {
		case c == '\n':
			line++
			comment = false
			if quote == '\'' || quote == '"' {
				continue // quoted scalars may span lines
			}
		case comment:
		case quote != 0:
			if c == quote && (quote == '\'' || i == 0 || data[i-1] != '\\') {
				quote = 0
			}
		case c == '#' && (i == 0 || data[i-1] == ' ' || data[i-1] == '\t' || data[i-1] == '\n'):
			comment = true
		case c == '\'' || c == '"':
			quote = c
		case c == '[' || c == '{':
			cur++
			if cur > depth {
				depth = cur
			}
			if cur > maxFlowNesting && overAt == 0 {
				overAt = line
			}
		case c == ']' || c == '}':
			if cur > 0 {
				cur--
			}
		}
	}
	return depth, overAt
}
