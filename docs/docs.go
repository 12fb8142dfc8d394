// Package docs embeds the rule pages, so that what a rule checks is
// written once, here, and SARIF output describes each rule with the same
// words a reader of the docs sees.
package docs

import (
	_ "embed"
	"regexp"
	"strings"
	"unicode"
)

var (
	//go:embed rules.md
	rulesPage string
	//go:embed review.md
	reviewPage string
)

// Rule is one rule's entry in the docs.
type Rule struct {
	// Page is the file the rule is documented in (rules.md, review.md),
	// Anchor the heading that leads to it there, as GitHub names
	// headings: the rule's own, or the section holding its table row.
	Page, Anchor string
	// Summary is its first sentence, Description its first paragraph and
	// Markdown its whole section.
	Summary, Description, Markdown string
}

// severityLead is the italic severity a rule's paragraph opens with, and
// what qualifies it: *error.*, *warning* (an error under --xsd).
var severityLead = regexp.MustCompile(`^\*[^*]+\*\.?\s*(\([^)]*\)\.?\s*)?`)

// Lookup returns the docs of rule id, or false when the docs have it
// neither as a heading of its own nor as a row of a rule table (the
// review profiles' rules: | `ID` | severity | ... |).
func Lookup(id string) (Rule, bool) {
	for _, page := range []struct{ name, text string }{{"rules.md", rulesPage}, {"review.md", reviewPage}} {
		lines := strings.Split(page.text, "\n")
		heading := ""
		for i, l := range lines {
			if strings.HasPrefix(l, "#") {
				heading = strings.TrimSpace(strings.TrimLeft(l, "#"))
				if heading == id {
					r := section(page.name, lines[i+1:])
					r.Anchor = Slug(heading)
					return r, true
				}
			}
			if strings.HasPrefix(l, "| `"+id+"` |") {
				return tableRow(page.name, Slug(heading), lines, i), true
			}
		}
	}
	return Rule{}, false
}

// Slug is the anchor GitHub gives a heading: lower case, spaces as
// hyphens, other punctuation dropped.
func Slug(heading string) string {
	var b strings.Builder
	for _, r := range strings.ToLower(heading) {
		switch {
		case r == ' ':
			b.WriteByte('-')
		case r == '-' || r == '_' || unicode.IsLetter(r) || unicode.IsDigit(r):
			b.WriteRune(r)
		}
	}
	return b.String()
}

// tableRow describes the rule of row i of a table whose header is the
// first row above it: "header: cell" for each cell after the ID.
func tableRow(page, anchor string, lines []string, i int) Rule {
	cells := func(l string) []string {
		parts := strings.Split(strings.Trim(strings.TrimSpace(l), "|"), " | ")
		for j := range parts {
			parts[j] = strings.TrimSpace(parts[j])
		}
		return parts
	}
	h := i
	for h > 0 && strings.HasPrefix(lines[h-1], "|") {
		h--
	}
	head, row := cells(lines[h]), cells(lines[i])
	var desc []string
	for j := 1; j < len(row) && j < len(head); j++ {
		desc = append(desc, head[j]+": "+row[j])
	}
	summary := row[len(row)-1]
	if len(row) > 2 {
		summary = row[2]
	}
	return Rule{Page: page, Anchor: anchor, Summary: summary, Description: strings.Join(desc, "; "),
		Markdown: lines[h] + "\n" + lines[h+1] + "\n" + lines[i]}
}

func section(page string, lines []string) Rule {
	var body []string
	for _, l := range lines {
		if strings.HasPrefix(l, "#") {
			break
		}
		body = append(body, l)
	}
	md := strings.TrimSpace(strings.Join(body, "\n"))
	para, _, _ := strings.Cut(md, "\n\n")
	para = strings.Join(strings.Fields(para), " ")
	summary := severityLead.ReplaceAllString(para, "")
	if i := strings.Index(summary, ". "); i >= 0 {
		summary = summary[:i+1]
	}
	return Rule{Page: page, Summary: summary, Description: para, Markdown: md}
}
