package generator

import (
	"slices"
	"sync/atomic"

	"byocpack/generator/validate"
	"byocpack/internal/diag"
	"byocpack/internal/xsdcheck"
	"byocpack/schemas"
)

// The schema engine lives below the generator layer; this is where the two
// meet, so this is where the fit is checked.
var _ validate.SchemaChecker = (*bundledSchemas)(nil)

// bundledSchemas checks the metadata types byocpack ships schemas for and
// passes over the rest (Apex classes, layouts, ...): a project with other
// metadata is normal, and those files still get the BYOC rules. It counts
// what it passed over so the summary can say so.
type bundledSchemas struct {
	checker *xsdcheck.Checker
	skipped atomic.Int64
}

func newBundledSchemas() *bundledSchemas {
	return &bundledSchemas{checker: xsdcheck.New(schemas.FS)}
}

func (b *bundledSchemas) Check(apiVersion, metadataType, path string, data []byte) []diag.Problem {
	if slices.Contains(b.checker.Versions(), apiVersion) && !slices.Contains(b.checker.Types(apiVersion), metadataType) {
		b.skipped.Add(1)
		return nil
	}
	return b.checker.Check(apiVersion, metadataType, path, data)
}
