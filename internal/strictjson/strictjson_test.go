package strictjson

import (
	"errors"
	"strings"
	"testing"
)

func TestCheckRefusesWhatReadersWouldReadDifferently(t *testing.T) {
	for _, tc := range []struct {
		in        string
		line, col int
		want      string
	}{
		{"{\"a\": 1,\n \"a\": 2}", 2, 2, `key "a" appears twice in one object (first at 1:2)`},
		{`{"x": {"b": [1, {"c": 1, "c": 2}]}}`, 1, 26, `key "c" appears twice`},
		{`{"\u0061": 1, "a": 2}`, 1, 15, `key "a" appears twice`},
		{`{"a": 1} {"a": 2}`, 1, 10, "data after the JSON value"},
		{`{"a": 1} x`, 1, 10, "data after the JSON value"},
		{`{"a": 1`, 1, 8, "ends inside"},
		{``, 1, 1, "no JSON value"},
		{`{"a": ` + strings.Repeat("[", 100) + strings.Repeat("]", 100) + `}`, 1, 70, "nest more than 64"},
		{"{\n  \"é\": 1, \"é\": 2}", 2, 11, `key "é" appears twice`},
	} {
		err := Check([]byte(tc.in))
		var e *Error
		if !errors.As(err, &e) || e.Line != tc.line || e.Col != tc.col || !strings.Contains(e.Msg, tc.want) {
			t.Errorf("%q: %v, want %d:%d %s", tc.in, err, tc.line, tc.col, tc.want)
		}
	}
	for _, ok := range []string{`{}`, `[]`, `{"a": {"a": {"a": 1}}, "b": [{"a": 1}, {"a": 2}]}`, " {\"a\": null} \n", `"x"`, `1`} {
		if err := Check([]byte(ok)); err != nil {
			t.Errorf("%q: %v", ok, err)
		}
	}
}
