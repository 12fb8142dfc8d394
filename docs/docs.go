// Package docs embeds the rule pages, so that what a rule checks is
// written once, here, and SARIF output describes each rule with the same
// words a reader of the docs sees.
package docs

import (
	_ "embed"
	"regexp"
	"strings"
)

var (
	//go:embed rules.md
	rulesPage string
	//go:embed review.md
	reviewPage string
)

// Rule is one rule's entry in the docs.
type Rule struct {
	// Page is the file the rule is documented in (rules.md, review.md).
	Page string
	// Summary is its first sentence, Description its first paragraph and
	// Markdown its whole section.
	Summary, Description, Markdown string
}

// severityLead is the italic severity a rule's paragraph opens with, and
// what qualifies it: *error.*, *warning* (an error under --xsd).
var severityLead = regexp.MustCompile(`^\*[^*]+\*\.?\s*(\([^)]*\)\.?\s*)?`)

// Lookup returns the docs of rule id, or false when no heading names it.
func Lookup(id string) (Rule, bool) {
	for _, page := range []struct{ name, text string }{{"rules.md", rulesPage}, {"review.md", reviewPage}} {
		lines := strings.Split(page.text, "\n")
		for i, l := range lines {
			if strings.TrimLeft(l, "#") == " "+id && strings.HasPrefix(l, "##") {
				return section(page.name, lines[i+1:]), true
			}
		}
	}
	return Rule{}, false
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
