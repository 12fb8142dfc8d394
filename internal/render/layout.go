package render

import (
	"github.com/byocpack/byocpack/internal/xmldoc"
	"github.com/byocpack/byocpack/internal/xsdcheck"
	"github.com/byocpack/byocpack/schemas"
)

// retrieveLayout passes a rendered document through the serializer that
// byocpack fmt uses (xsdcheck.Format over xmldoc.Write), in the element
// order of apiVersion's content model: whatever the template wrote, the
// bytes on disk are the ones fmt would write, so a reordered generated
// file formats back to exactly what render writes. A document the
// formatter would leave alone (a template bug) is kept as the template
// wrote it, for the validator to report.
func retrieveLayout(apiVersion, metadataType string, data []byte) []byte {
	if out, err := layout(apiVersion, metadataType, data); err == nil {
		return out
	}
	return data
}

func layout(apiVersion, metadataType string, data []byte) ([]byte, error) {
	m, err := schemas.Bundled().Get(apiVersion)
	if err != nil {
		return nil, err
	}
	doc, err := xmldoc.Parse(data)
	if err != nil {
		return nil, err
	}
	return xsdcheck.Format(m, metadataType, doc)
}
