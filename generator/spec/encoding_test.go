package spec

import (
	"encoding/binary"
	"strings"
	"testing"
	"testing/fstest"
	"unicode/utf16"
)

func utf16Bytes(s string, bom bool, order binary.AppendByteOrder) []byte {
	var out []byte
	if bom {
		out = order.AppendUint16(out, 0xfeff)
	}
	for _, u := range utf16.Encode([]rune(s)) {
		out = order.AppendUint16(out, u)
	}
	return out
}

// TestSpecNotUTF8IsRefusedWhereItIsBad is the regression test of issue 16
// row 17: a Latin-1 byte was read as U+FFFD and rendered into the
// package; a UTF-16 spec got a message about YAML syntax.
func TestSpecNotUTF8IsRefusedWhereItIsBad(t *testing.T) {
	const good = "prefix: Acme\nname: Partner\n"
	utf32 := []byte{0xff, 0xfe, 0, 0}
	for _, r := range good {
		utf32 = binary.LittleEndian.AppendUint32(utf32, uint32(r))
	}
	for name, tc := range map[string]struct {
		data []byte
		want string
	}{
		"latin-1":         {[]byte("prefix: Acme\nname: Partn\xe9r\n"), "byoc.yaml:2:12: error spec: byte 0xE9 is not UTF-8"},
		"truncated":       {[]byte("prefix: Acme\nlabel: caf\xc3"), "byoc.yaml:2:11: error spec: byte 0xC3 is not UTF-8"},
		"utf-16le bom":    {utf16Bytes(good, true, binary.LittleEndian), "byoc.yaml:1:1: error spec: the spec is UTF-16 text; byocpack reads UTF-8 only: save it as UTF-8"},
		"utf-16be bom":    {utf16Bytes(good, true, binary.BigEndian), "the spec is UTF-16 text"},
		"utf-16le no bom": {utf16Bytes(good, false, binary.LittleEndian), "looks like UTF-16 or UTF-32 text"},
		"utf-16be no bom": {utf16Bytes(good, false, binary.BigEndian), "looks like UTF-16 or UTF-32 text"},
		"utf-32le bom":    {utf32, "the spec is UTF-32 text"},
		"nul in utf-8":    {[]byte("prefix: Acme\nname: Par\x00tner and a long enough line to be text\n"), "byoc.yaml:2:10: error spec: the spec holds a NUL byte"},
	} {
		_, err := Load(fstest.MapFS{"byoc.yaml": {Data: tc.data}}, "byoc.yaml", "")
		if err == nil || !strings.Contains(err.Error(), tc.want) || strings.Count(err.Error(), "\n") > 0 {
			t.Errorf("%s: got %v, want %q", name, err, tc.want)
		}
	}
}

// TestSourceOrgPathOverlapIgnoresLetterCase is the regression test of
// issue 16 row 18: Force-App/x is inside force-app on macOS and Windows.
func TestSourceOrgPathOverlapIgnoresLetterCase(t *testing.T) {
	for _, so := range []string{"Force-App/x", "FORCE-APP", "force-app/Source-Org"} {
		data := []byte("prefix: Acme\npackage:\n  name: Acme\n  path: force-app\n  sourceOrgPath: " + so + "\n")
		_, err := Load(fstest.MapFS{"byoc.yaml": {Data: data}}, "byoc.yaml", "")
		if err == nil || !strings.Contains(err.Error(), "byoc.yaml:5:18: error spec: package.sourceOrgPath: \""+so+"\" overlaps the package directory \"force-app\"") {
			t.Errorf("%s: got %v", so, err)
		}
	}
}
