package render

import (
	"fmt"

	"github.com/byocpack/byocpack/internal/apiver"
)

// doc is embedded in every template's data: it knows the metadata type
// and API version being rendered, so templates can ask whether a field
// exists. The answer comes from the knowledge generated from the WSDLs.
type doc struct {
	typ     string
	version apiver.Version
}

// Has reports whether the field exists in this type at this API version;
// a field no supported version has is a template bug, and an error stops
// the render rather than leave the element out unnoticed.
func (d doc) Has(field string) (bool, error) {
	if apiver.FieldWindows(d.typ, field) == nil {
		return false, fmt.Errorf("%s has no field %q in any supported API version", d.typ, field)
	}
	return apiver.HasField(d.typ, field, d.version), nil
}
