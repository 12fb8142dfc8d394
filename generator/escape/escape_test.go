package escape

import (
	"strings"
	"testing"
)

// hostile are the values an attacker puts in a file name, an XML value or
// a server's answer, to forge output.
var hostile = []string{
	"a\x1b[2J\x1b[31mred",
	"x\n::error::forged",
	"x\r\n::warning file=a,line=1::y",
	"<img src=x onerror=alert(1)>",
	"[link](http://x)",
	"![img](http://x/i.png)",
	"# heading",
	"`code` | cell",
	"a\u2028b\u202ecba",
	"bad\xffutf8",
}

func TestLineIsOneSafeLine(t *testing.T) {
	for _, s := range hostile {
		got := Line(s)
		if strings.ContainsAny(got, "\x1b\r\n\u2028\u202e") || !strings.Contains(Line("plain ü/x\\y"), "plain ü/x\\y") {
			t.Errorf("Line(%q) = %q", s, got)
		}
	}
	if got := Line("x\n::error::y\x1b"); got != `x\n::error::y\x1b` {
		t.Errorf("Line: %q", got)
	}
}

func TestGitHubEscaping(t *testing.T) {
	if got := GitHubData("50% a\r\nb\x1b"); got != `50%25 a%0D%0Ab\x1b` {
		t.Errorf("data: %q", got)
	}
	if got := GitHubProperty("a:b,c\n\x1b[0m"); got != `a%3Ab%2Cc%0A\x1b[0m` {
		t.Errorf("property: %q", got)
	}
}

func TestMarkdownIsInert(t *testing.T) {
	for _, s := range hostile {
		for name, got := range map[string]string{"Text": Text(s), "Code": Code(s), "Cell": Cell(s)} {
			if strings.ContainsAny(got, "\x1b\r\n\u2028") {
				t.Errorf("%s(%q) = %q: a line break or control", name, s, got)
			}
			if name == "Text" && (strings.ContainsAny(unescaped(got), "<>[]`|*") || strings.HasPrefix(unescaped(got), "#")) {
				t.Errorf("Text(%q) = %q leaves markup unescaped", s, got)
			}
		}
	}
	for in, want := range map[string]string{"a`b": "``a`b``", "`x": "`` `x ``", "a|b": "`a|b`", "": "`  `"} {
		if got := Code(in); got != want {
			t.Errorf("Code(%q) = %q, want %q", in, got, want)
		}
	}
	for in, want := range map[string]string{"Message_Event__e": "Message_Event__e", "_x_": `\_x\_`, "1.0.0": "1.0.0", "1. x": `1\. x`, "- x": `\- x`, "A & B": "A & B", "&#8238;x&lt;": `\&#8238;x\&lt;`} {
		if got := Text(in); got != want {
			t.Errorf("Text(%q) = %q, want %q", in, got, want)
		}
	}
	if got := Cell("a|b"); got != "`a\\|b`" {
		t.Errorf("Cell: %q", got)
	}
}

// unescaped drops each backslash escape (\X) from s: what is left is
// what markdown reads as markup.
func unescaped(s string) string {
	var b strings.Builder
	for i := 0; i < len(s); i++ {
		if s[i] == '\\' {
			i++
			continue
		}
		b.WriteByte(s[i])
	}
	return b.String()
}
