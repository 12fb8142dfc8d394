// Package escape is the one place that makes a value safe to print, for
// each place byocpack prints to: a line of a terminal or CI log, a GitHub
// Actions workflow command, and markdown that a pull request comment
// renders. Every value byocpack did not write itself (a file or archive
// entry name, an XML value, a server's answer) passes through here before
// it is printed, so that it shows as the characters it is and can neither
// start a line of its own, move the cursor or colour the terminal, nor
// become a link, an image, HTML or a heading.
package escape

import (
	"fmt"
	"strings"
	"unicode"
	"unicode/utf8"
)

// unsafe reports whether r must not reach a terminal or log as it is:
// control characters (C0, DEL, C1: line breaks, ESC, backspace...), the
// Unicode line and paragraph separators, and the bidirectional controls
// that make text display in another order than it reads.
func unsafe(r rune) bool {
	switch {
	case unicode.IsControl(r):
		return true
	case r == '\u2028', r == '\u2029':
		return true
	case r >= '\u202a' && r <= '\u202e', r >= '\u2066' && r <= '\u2069', r == '\u200e', r == '\u200f', r == '\u061c':
		return true
	}
	return false
}

// Line makes s one line of plain text: each unsafe character is written
// as its Go escape (\n, \x1b, \u2028) and each byte that is not UTF-8 as
// \xNN. Everything else, backslashes included, stays as it is.
func Line(s string) string {
	if isClean(s) {
		return s
	}
	var b strings.Builder
	for i := 0; i < len(s); {
		r, n := utf8.DecodeRuneInString(s[i:])
		switch {
		case r == utf8.RuneError && n <= 1:
			fmt.Fprintf(&b, `\x%02x`, s[i])
		case r == '\n':
			b.WriteString(`\n`)
		case r == '\r':
			b.WriteString(`\r`)
		case r == '\t':
			b.WriteString(`\t`)
		case unsafe(r) && r < 0x100:
			fmt.Fprintf(&b, `\x%02x`, r)
		case unsafe(r):
			fmt.Fprintf(&b, `\u%04x`, r)
		default:
			b.WriteString(s[i : i+n])
		}
		i += n
	}
	return b.String()
}

func isClean(s string) bool {
	return utf8.ValidString(s) && !strings.ContainsFunc(s, unsafe)
}

// GitHubData escapes the message of a GitHub Actions workflow command
// (::error file=F::MESSAGE): the runner decodes %25, %0D and %0A, so a
// line break in a value stays inside the annotation; any other unsafe
// character is escaped as Line does.
func GitHubData(s string) string {
	return Line(strings.NewReplacer("%", "%25", "\r", "%0D", "\n", "%0A").Replace(s))
}

// GitHubProperty escapes a property value of a workflow command (file=,
// title=): as GitHubData, and ':' and ',' too, which end a value.
func GitHubProperty(s string) string {
	return Line(strings.NewReplacer("%", "%25", "\r", "%0D", "\n", "%0A", ":", "%3A", ",", "%2C").Replace(s))
}

// markdownPunct are the characters that make markup anywhere in a line
// of CommonMark or GitHub markdown: code, emphasis, links and images
// (which need a '['), HTML and autolinks, table cells, strikethrough and
// math; an '&' is escaped where it would start an entity. Any ASCII punctuation may be backslash-escaped,
// and then shows as itself.
const markdownPunct = "\\`*[]<>|~$"

// Text makes s inert running text in markdown, in or out of a table cell:
// each markup character is backslash-escaped (so [x](http://y) is no
// link, <img> no HTML), so is an '_' that could open or close emphasis,
// and so is a first character that would make the line a heading, list or
// quote; unsafe characters are escaped as Line does, so s stays on its
// line. A bare URL stays text, which GitHub may show as a link to itself.
func Text(s string) string {
	s = Line(s)
	var b strings.Builder
	rs := []rune(s)
	for i, r := range rs {
		switch {
		case r < utf8.RuneSelf && strings.ContainsRune(markdownPunct, r),
			r == '_' && !inWord(rs, i),
			r == '&' && i+1 < len(rs) && (rs[i+1] == '#' || unicode.IsLetter(rs[i+1])), // an entity
			i == 0 && strings.ContainsRune("#-+=>", r),
			i > 0 && (r == '.' || r == ')') && leadingDigits(rs[:i]) && (i == len(rs)-1 || rs[i+1] == ' '):
			b.WriteByte('\\')
		}
		b.WriteRune(r)
	}
	return b.String()
}

func isWord(r rune) bool { return unicode.IsLetter(r) || unicode.IsDigit(r) }

// inWord reports whether the run of '_' at rs[i] has a letter or digit on
// both sides (Message_Event__e): such a run neither opens nor closes
// emphasis.
func inWord(rs []rune, i int) bool {
	start, end := i, i
	for start > 0 && rs[start-1] == '_' {
		start--
	}
	for end < len(rs)-1 && rs[end+1] == '_' {
		end++
	}
	return start > 0 && end < len(rs)-1 && isWord(rs[start-1]) && isWord(rs[end+1])
}

// leadingDigits reports whether rs is all digits: "1." or "1)" at the
// start of a line opens an ordered list.
func leadingDigits(rs []rune) bool {
	for _, r := range rs {
		if r < '0' || r > '9' {
			return false
		}
	}
	return true
}

// Code makes s a markdown code span, in which nothing is markup: fenced
// by more backticks than any run of them in s, padded with a space where
// s starts or ends with one, and on one line (Line).
func Code(s string) string {
	return code(Line(s), false)
}

// Cell is Code for a table cell, where a '|' would end the cell even
// inside a code span: GitHub reads "\|" there as the character.
func Cell(s string) string {
	return code(Line(s), true)
}

func code(s string, inTable bool) string {
	if inTable {
		s = strings.ReplaceAll(s, "|", `\|`)
	}
	longest, run := 0, 0
	for _, r := range s {
		if r == '`' {
			run++
			longest = max(longest, run)
		} else {
			run = 0
		}
	}
	fence := strings.Repeat("`", longest+1)
	if s == "" || strings.HasPrefix(s, "`") || strings.HasSuffix(s, "`") || strings.HasPrefix(s, " ") && strings.HasSuffix(s, " ") {
		return fence + " " + s + " " + fence
	}
	return fence + s + fence
}
