package cli

import (
	"fmt"
	"io"
	"strings"

	"github.com/byocpack/byocpack/generator"
	"github.com/byocpack/byocpack/generator/escape"
)

// annotation is one GitHub Actions workflow command
// (::error file=F,line=L,col=C,title=T::message) that makes a finding show
// on the pull request's files.
type annotation struct {
	severity string // error, warning or notice
	file     string
	line     int
	col      int
	title    string
	message  string
}

// writeAnnotation prints a with the workflow-command escaping (package
// escape: %, CR and LF in the message; those and ':' and ',' in property
// values; any other control character escaped). A file
// inside an archive or rendered from a spec ("OUTER!inner") is annotated
// on the outer file, without a line.
func writeAnnotation(w io.Writer, a annotation) {
	cmd := "notice"
	switch a.severity {
	case "error", "warning":
		cmd = a.severity
	}
	var props []string
	if a.file != "" {
		file, _, inner := strings.Cut(a.file, "!")
		props = append(props, "file="+escape.GitHubProperty(file))
		if !inner && a.line > 0 {
			props = append(props, fmt.Sprintf("line=%d", a.line))
			if a.col > 0 {
				props = append(props, fmt.Sprintf("col=%d", a.col))
			}
		}
	}
	if a.title != "" {
		props = append(props, "title="+escape.GitHubProperty(a.title))
	}
	sep := ""
	if len(props) > 0 {
		sep = " "
	}
	fmt.Fprintf(w, "::%s%s%s::%s\n", cmd, sep, strings.Join(props, ","), escape.GitHubData(a.message))
}

// printAnnotations prints validation problems as workflow commands.
func printAnnotations(w io.Writer, ps []generator.Problem) {
	for _, p := range ps {
		writeAnnotation(w, annotation{severity: string(p.Severity), file: p.File, line: p.Line, col: p.Column, title: p.Rule, message: p.Message})
	}
}
