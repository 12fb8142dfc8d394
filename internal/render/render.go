// Package render turns a loaded spec into the files of a Salesforce DX
// project, in memory. It writes nothing: the caller validates the files
// and then commits them to disk in one step.
package render

import (
	"bytes"
	"encoding/xml"
	"fmt"
	"strings"
	"text/template"

	textesc "github.com/byocpack/byocpack/generator/escape"
	"github.com/byocpack/byocpack/generator/spec"
	"github.com/byocpack/byocpack/internal/registry"
	"github.com/byocpack/byocpack/internal/xmldoc"
	"github.com/byocpack/byocpack/templates"
)

// File is one rendered file.
type File struct {
	// Path is relative to the output directory, slash-separated.
	Path string
	Data []byte
	// Doc is Data parsed, when rendering parsed it (nil otherwise): the
	// validator takes it rather than parsing the same bytes again. It
	// shares Data's bytes; neither may change.
	Doc *xmldoc.Document
	// Type is the metadata type, empty for project files.
	Type string
	// FullName is the component's name as package.xml lists it, empty for
	// project files.
	FullName string
	// InPackage is true under the packaged package directory.
	InPackage bool
	// Merged files (sfdx-project.json, .gitignore) may hold the user's own
	// content: they are updated in place, never removed.
	Merged bool
	// Changes lists, for a merged file that existed, each key byocpack
	// changed ("sourceApiVersion: \"65.0\" → \"66.0\"").
	Changes []string
}

// Renderer holds the parsed templates and the metadata registry; it is
// safe for concurrent use.
type Renderer struct {
	tmpl *template.Template
	reg  *registry.Registry
}

// New parses the embedded templates once. missingkey=error makes a
// template that names a field the data lacks fail instead of printing
// "<no value>".
func New() (*Renderer, error) {
	t, err := template.New("").Option("missingkey=error").Funcs(template.FuncMap{
		"x":     escape,
		"join":  strings.Join,
		"code":  textesc.Code,
		"codes": codes,
		"md":    textesc.Text,
		"inc":   func(n int) int { return n + 1 },
	}).ParseFS(templates.FS, "*.xml.tmpl", "*.md.tmpl")
	if err != nil {
		return nil, fmt.Errorf("parse templates: %w", err)
	}
	return &Renderer{tmpl: t, reg: registry.New()}, nil
}

// escape XML-escapes text content. Newlines are kept as they are (a PEM
// certificate spans lines); encoding/xml would turn them into &#xA;.
func escape(s string) string {
	var b strings.Builder
	for _, line := range strings.SplitAfter(s, "\n") {
		body := strings.TrimSuffix(line, "\n")
		_ = xml.EscapeText(&b, []byte(body))
		if len(body) != len(line) {
			b.WriteByte('\n')
		}
	}
	return b.String()
}

// Render returns every file of the project the spec describes, sorted by
// path. existingProject is the current sfdx-project.json of the output
// directory (nil when there is none) and existingGitignore its .gitignore;
// both are merged rather than replaced.
func (r *Renderer) Render(s *spec.Spec, existingProject, existingGitignore []byte) ([]File, error) {
	components, err := plan(s, r.reg)
	if err != nil {
		return nil, err
	}
	var files []File
	for _, c := range components {
		var buf bytes.Buffer
		if err := r.tmpl.ExecuteTemplate(&buf, c.template(), c.data); err != nil {
			return nil, fmt.Errorf("render %s %s: %w", c.Type, c.FullName, err)
		}
		data, doc := retrieveLayout(s.Package.APIVersion, c.Type, buf.Bytes())
		files = append(files, File{Path: c.Path, Data: data, Doc: doc, Type: c.Type, FullName: c.FullName, InPackage: c.InPackage})
	}
	// The guides are ordinary project files at the output root, written
	// from the same plan.
	guides := []string{setupFile}
	if s.CustomerApp != nil {
		guides = append(guides, adminSetupFile)
	}
	setup := setupOf(s, components)
	for _, name := range guides {
		var buf bytes.Buffer
		if err := r.tmpl.ExecuteTemplate(&buf, name+".tmpl", setup); err != nil {
			return nil, fmt.Errorf("render %s: %w", name, err)
		}
		files = append(files, File{Path: name, Data: buf.Bytes()})
	}
	project, changes, err := mergeProject(existingProject, s)
	if err != nil {
		return nil, err
	}
	files = append(files, File{Path: "sfdx-project.json", Data: project, Merged: true, Changes: changes})
	if s.HasSourceOrgFiles() {
		gitignore, err := mergeGitignore(existingGitignore, s, r.reg)
		if err != nil {
			return nil, err
		}
		files = append(files, File{Path: ".gitignore", Data: gitignore, Merged: true})
	}
	sortFiles(files)
	return files, nil
}
