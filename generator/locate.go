package generator

import (
	"strings"

	"github.com/byocpack/byocpack/generator/spec"
	"github.com/byocpack/byocpack/internal/registry"
	"github.com/byocpack/byocpack/internal/render"
	"github.com/byocpack/byocpack/internal/sfdx"
	"github.com/byocpack/byocpack/internal/tree"
	"github.com/byocpack/byocpack/internal/xmldoc"
	"github.com/byocpack/byocpack/internal/xmlkey"
)

// ProjectFile is a Salesforce DX project's file, in the project's folder.
const ProjectFile = "sfdx-project.json"

// Sources says where a finding came from, for reports that point into
// files (SARIF): the spec line that produced a rendered file, the element
// at a line of a metadata file. It reads each file once (bounded) and
// keeps it for the next question; it is not safe for concurrent use.
type Sources struct {
	reg   *registry.Registry
	docs  map[string]*xmldoc.Document
	specs map[string][]byte
}

// NewSources returns an empty Sources.
func NewSources() *Sources {
	return &Sources{reg: registry.New(), docs: map[string]*xmldoc.Document{}, specs: map[string][]byte{}}
}

// SpecLine is the line of specFile that produced the rendered file (its
// path below the output directory), 1 when no line is known.
func (s *Sources) SpecLine(specFile, rendered string) int {
	data, ok := s.specs[specFile]
	if !ok {
		data, _ = tree.ReadPath(specFile)
		s.specs[specFile] = data
	}
	typ := ""
	if sf, err := sfdx.Infer(s.reg, rendered); err == nil && sf.Type != nil {
		typ = sf.Type.Name
	}
	if key := render.SpecKey(rendered, typ); key != "" && data != nil {
		return max(spec.KeyLine(data, key), 1)
	}
	return 1
}

// ElementPath names the element at line of the XML file name, "" when
// unknown.
func (s *Sources) ElementPath(name string, line int) string {
	if line <= 0 || !strings.HasSuffix(name, ".xml") {
		return ""
	}
	doc, ok := s.docs[name]
	if !ok {
		if data, err := tree.ReadPath(name); err == nil {
			doc, _ = xmldoc.Parse(data)
		}
		s.docs[name] = doc
	}
	if doc == nil {
		return ""
	}
	return xmlkey.PathAt(doc.Root, line)
}
