// Package strictjson is byocpack's one way into a JSON file a user or a
// server hands it. JSON says nothing about a key written twice: Node's
// JSON.parse (the Salesforce CLI) keeps the last value, Go's decoders keep
// the last or the first depending on how they are called, so two readers
// of one file can see two different projects. A file is therefore checked
// whole before any reader looks at it: one JSON value, no key twice in an
// object at any depth, nothing after the value, bounded nesting.
package strictjson

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"unicode/utf8"
)

// MaxDepth bounds how deep objects and arrays nest. sfdx-project.json and
// every other JSON file byocpack reads nest a few levels; Go's decoder
// allows 10,000 and a deeper file only costs time and stack.
const MaxDepth = 64

// Error is a problem at one place of the file.
type Error struct {
	// Line and Col are 1-based; Col counts characters.
	Line, Col int
	Msg       string
}

func (e *Error) Error() string { return fmt.Sprintf("%d:%d: %s", e.Line, e.Col, e.Msg) }

// Check returns nil when data is one JSON value with no duplicate key, or
// an *Error saying where it is not and how to fix it. A UTF-8 byte-order
// mark is the caller's to strip.
func Check(data []byte) error {
	dec := json.NewDecoder(bytes.NewReader(data))
	dec.UseNumber()
	type frame struct {
		object bool
		// seen maps each key of an object to where it was first written.
		seen    map[string]int64
		wantKey bool
	}
	var stack []*frame
	at := func(off int64, format string, args ...any) error {
		line, col := Position(data, off)
		return &Error{Line: line, Col: col, Msg: fmt.Sprintf(format, args...)}
	}
	for {
		before := dec.InputOffset()
		tok, err := dec.Token()
		if err == io.EOF {
			if len(stack) > 0 {
				return at(int64(len(data)), "invalid JSON: the file ends inside an object or array; close it")
			}
			return at(0, "invalid JSON: the file holds no JSON value")
		}
		if err != nil {
			var se *json.SyntaxError
			if errors.As(err, &se) {
				return at(se.Offset, "invalid JSON: %v", se)
			}
			return at(before, "invalid JSON: %v", err)
		}
		start := tokenStart(data, before)
		var top *frame
		if len(stack) > 0 {
			top = stack[len(stack)-1]
		}
		if top != nil && top.object && top.wantKey {
			if d, ok := tok.(json.Delim); ok && d == '}' {
				stack = stack[:len(stack)-1]
			} else {
				key := tok.(string)
				if first, dup := top.seen[key]; dup {
					l, c := Position(data, first)
					return at(start, "key %q appears twice in one object (first at %d:%d); the Salesforce CLI (Node's JSON.parse) keeps the last and another reader the first, so keep one", key, l, c)
				}
				top.seen[key] = start
				top.wantKey = false
				continue
			}
		} else if d, ok := tok.(json.Delim); ok {
			switch d {
			case '{', '[':
				if len(stack) >= MaxDepth {
					return at(start, "objects and arrays nest more than %d levels deep; no file byocpack reads needs that many", MaxDepth)
				}
				stack = append(stack, &frame{object: d == '{', seen: map[string]int64{}, wantKey: d == '{'})
				continue
			default:
				stack = stack[:len(stack)-1]
			}
		}
		// A value ended: the enclosing object wants its next key.
		if len(stack) > 0 {
			if f := stack[len(stack)-1]; f.object {
				f.wantKey = true
			}
			continue
		}
		// The top-level value ended: nothing may follow it.
		rest := dec.InputOffset()
		if _, err := dec.Token(); err != io.EOF {
			return at(tokenStart(data, rest), "data after the JSON value; a JSON file holds one value, remove the rest")
		}
		return nil
	}
}

// tokenStart skips the blanks and separators the decoder has not consumed
// before the token it read next.
func tokenStart(data []byte, off int64) int64 {
	for off < int64(len(data)) {
		switch data[off] {
		case ' ', '\t', '\r', '\n', ',', ':':
			off++
			continue
		}
		break
	}
	return off
}

// Position turns a byte offset into a 1-based line and column (in
// characters).
func Position(data []byte, off int64) (line, col int) {
	if off > int64(len(data)) {
		off = int64(len(data))
	}
	if off < 0 {
		off = 0
	}
	before := data[:off]
	line = bytes.Count(before, []byte("\n")) + 1
	return line, utf8.RuneCount(before[bytes.LastIndexByte(before, '\n')+1:]) + 1
}

// Unmarshal checks data and then decodes it into v, so that v holds what
// every other reader of the file holds.
func Unmarshal(data []byte, v any) error {
	if err := Check(data); err != nil {
		return err
	}
	return json.Unmarshal(data, v)
}
