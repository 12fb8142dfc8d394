package generator

import (
	"sync/atomic"

	"github.com/byocpack/byocpack/internal/diag"
	"github.com/byocpack/byocpack/internal/model"
	"github.com/byocpack/byocpack/internal/validate"
	"github.com/byocpack/byocpack/internal/xmldoc"
	"github.com/byocpack/byocpack/internal/xsdcheck"
	"github.com/byocpack/byocpack/schemas"
)

// The content-model checker lives below the generator layer; this is where
// the two meet, so this is where the fit is checked.
var _ validate.SchemaChecker = (*schemaChecker)(nil)

// schemaChecker checks the metadata types byocpack has content models for
// and passes over the rest (Apex classes, layouts, ...): a project with
// other metadata is normal, and those files still get the BYOC rules. It
// counts what it passed over so the summary can say so.
type schemaChecker struct {
	checker *xsdcheck.Checker
	// err is a project's byocpack-schemas folder that could not be read:
	// every file reports it rather than being judged by other models.
	err     error
	skipped atomic.Int64
}

// projectSchemas checks against the models in the binary and those
// imported into the project at dir (byocpack-schemas/) or into the user
// cache, in the given mode.
func projectSchemas(dir string, mode xsdcheck.Mode) *schemaChecker {
	set, err := projectModels(dir)
	if err != nil {
		return &schemaChecker{checker: &xsdcheck.Checker{Models: schemas.Bundled(), Mode: mode}, err: err}
	}
	return &schemaChecker{checker: &xsdcheck.Checker{Models: set, Mode: mode}}
}

// projectModels is the set of versions a project at dir is judged by.
func projectModels(dir string) (*model.Set, error) {
	return model.ForProject(schemas.Bundled(), dir, true)
}

func (b *schemaChecker) Check(apiVersion, metadataType, path string, doc *xmldoc.Document) []diag.Problem {
	if b.err != nil {
		return []diag.Problem{{File: path, Severity: diag.Error, Rule: xsdcheck.RuleSchema, Message: b.err.Error()}}
	}
	if _, _, err := b.checker.ModelFor(apiVersion); err == nil && !b.checker.Has(apiVersion, metadataType) {
		b.skipped.Add(1)
		return nil
	}
	return b.checker.Check(apiVersion, metadataType, path, doc)
}
