package pack

import (
	"bytes"
	"encoding/json"
	"fmt"
	"slices"
	"strconv"
)

// jsValue is a JSON value as JSON.parse gives it to the packaging library:
// objects keep JavaScript's property order (integer-like keys first, in
// ascending order, then the others in the order first written; a repeated
// key keeps its first place and its last value), so that what the library
// does with it (copy, delete, assign, stringify) can be done here with the
// same result, byte for byte.
type jsValue struct {
	kind jsKind
	str  string // string; number as written (re-formatted on output)
	b    bool
	arr  []*jsValue
	obj  []jsMember
}

type jsKind int

const (
	jsUndefined jsKind = iota // a property set to undefined: JSON.stringify leaves it out
	jsNull
	jsBool
	jsNum
	jsString
	jsArray
	jsObject
)

type jsMember struct {
	key string
	val *jsValue
}

// parseJS reads one JSON document.
func parseJS(data []byte) (*jsValue, error) {
	dec := json.NewDecoder(bytes.NewReader(data))
	dec.UseNumber()
	v, err := parseJSToken(dec, 0)
	if err != nil {
		return nil, err
	}
	if _, err := dec.Token(); err == nil {
		return nil, fmt.Errorf("trailing data after the JSON value")
	}
	return v, nil
}

// maxJSDepth bounds nesting: JSON.parse goes deeper, but no definition
// file or descriptor does.
const maxJSDepth = 64

func parseJSToken(dec *json.Decoder, depth int) (*jsValue, error) {
	if depth > maxJSDepth {
		return nil, fmt.Errorf("nested more than %d levels", maxJSDepth)
	}
	tok, err := dec.Token()
	if err != nil {
		return nil, err
	}
	switch t := tok.(type) {
	case json.Delim:
		v := &jsValue{kind: jsArray}
		if t == '{' {
			v.kind = jsObject
		}
		for dec.More() {
			if v.kind == jsArray {
				e, err := parseJSToken(dec, depth+1)
				if err != nil {
					return nil, err
				}
				v.arr = append(v.arr, e)
				continue
			}
			k, err := dec.Token()
			if err != nil {
				return nil, err
			}
			e, err := parseJSToken(dec, depth+1)
			if err != nil {
				return nil, err
			}
			v.set(k.(string), e)
		}
		if _, err := dec.Token(); err != nil {
			return nil, err
		}
		return v, nil
	case string:
		return &jsValue{kind: jsString, str: t}, nil
	case json.Number:
		return &jsValue{kind: jsNum, str: string(t)}, nil
	case bool:
		return &jsValue{kind: jsBool, b: t}, nil
	}
	return &jsValue{kind: jsNull}, nil
}

// isArrayIndex reports whether JavaScript orders key as an integer index.
func isArrayIndex(key string) bool {
	n, err := strconv.ParseUint(key, 10, 32)
	return err == nil && n < 1<<32-1 && strconv.FormatUint(n, 10) == key
}

// get returns the property, nil when absent.
func (v *jsValue) get(key string) *jsValue {
	if v == nil || v.kind != jsObject {
		return nil
	}
	for _, m := range v.obj {
		if m.key == key {
			return m.val
		}
	}
	return nil
}

// set assigns a property as JavaScript does: in place when it exists,
// otherwise after the other keys (integer-like keys among the integers).
func (v *jsValue) set(key string, val *jsValue) {
	for i, m := range v.obj {
		if m.key == key {
			v.obj[i].val = val
			return
		}
	}
	at := len(v.obj)
	if isArrayIndex(key) {
		n, _ := strconv.ParseUint(key, 10, 32)
		at = 0
		for at < len(v.obj) && isArrayIndex(v.obj[at].key) {
			if m, _ := strconv.ParseUint(v.obj[at].key, 10, 32); m > n {
				break
			}
			at++
		}
	}
	v.obj = slices.Insert(v.obj, at, jsMember{key, val})
}

// del deletes a property.
func (v *jsValue) del(key string) {
	v.obj = slices.DeleteFunc(v.obj, func(m jsMember) bool { return m.key == key })
}

// truthy is JavaScript's truthiness.
func (v *jsValue) truthy() bool {
	if v == nil {
		return false
	}
	switch v.kind {
	case jsBool:
		return v.b
	case jsString:
		return v.str != ""
	case jsNum:
		f, _ := strconv.ParseFloat(v.str, 64)
		return f != 0
	case jsArray, jsObject:
		return true
	}
	return false
}

// stringValue is the string, for a string.
func (v *jsValue) stringValue() (string, bool) {
	if v == nil || v.kind != jsString {
		return "", false
	}
	return v.str, true
}

func jsStr(s string) *jsValue { return &jsValue{kind: jsString, str: s} }

// stringify writes what JSON.stringify writes: no blanks, undefined
// properties left out.
func (v *jsValue) stringify(b *bytes.Buffer) error {
	switch v.kind {
	case jsNull, jsUndefined:
		b.WriteString("null")
	case jsBool:
		b.WriteString(strconv.FormatBool(v.b))
	case jsNum:
		f, err := strconv.ParseFloat(v.str, 64)
		if err != nil {
			return err
		}
		b.WriteString(jsNumber(f))
	case jsString:
		writeJSString(b, v.str)
	case jsArray:
		b.WriteByte('[')
		for i, e := range v.arr {
			if i > 0 {
				b.WriteByte(',')
			}
			if err := e.stringify(b); err != nil {
				return err
			}
		}
		b.WriteByte(']')
	case jsObject:
		b.WriteByte('{')
		n := 0
		for _, m := range v.obj {
			if m.val.kind == jsUndefined {
				continue
			}
			if n > 0 {
				b.WriteByte(',')
			}
			n++
			writeJSString(b, m.key)
			b.WriteByte(':')
			if err := m.val.stringify(b); err != nil {
				return err
			}
		}
		b.WriteByte('}')
	}
	return nil
}
