package migrate

import (
	"path/filepath"

	"github.com/byocpack/byocpack/generator"
	"github.com/byocpack/byocpack/generator/spec"
)

// WriteOptions say which connected app Write reads and where the spec
// goes.
type WriteOptions struct {
	// File is the connected app's metadata file.
	File string
	// Output is where the spec goes.
	Output string
	// Force overwrites an existing spec and certificate.
	Force bool
}

// Written is what Write wrote and carried.
type Written struct {
	Spec, Schema string
	// Certificate is where the connected app's certificate went, "" when
	// it had none.
	Certificate string
	*Result
}

// Write reads the connected app's file (bounded), and writes the spec of
// the external client app made from it, the spec's schema, and the app's
// certificate beside the spec. Nothing is written when a file would be
// replaced without Force.
func Write(opts WriteOptions) (*Written, error) {
	data, err := generator.ReadCredentialFile(opts.File)
	if err != nil {
		return nil, err
	}
	m, err := FromConnectedApp(data, Options{FileName: opts.File, SchemaRef: generator.SchemaFileName})
	if err != nil {
		return nil, err
	}
	dir := filepath.Dir(opts.Output)
	res := &Written{Spec: opts.Output, Schema: filepath.Join(dir, generator.SchemaFileName), Result: m}
	files := []generator.SpecFile{{Path: opts.Output, Data: m.Spec}, {Path: res.Schema, Data: spec.JSONSchema(), SameOK: true}}
	if m.Certificate != nil {
		res.Certificate = filepath.Join(dir, filepath.FromSlash(m.CertificatePath))
		files = append(files, generator.SpecFile{Path: res.Certificate, Data: m.Certificate, SameOK: true})
	}
	return res, generator.WriteSpecFiles(dir, files, opts.Force)
}
