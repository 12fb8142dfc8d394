package render

import (
	"bytes"

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
//
// The parse is returned too when it is the parse of the bytes returned (the
// template wrote them in order already, as it does), so the validator need
// not parse them again; nil otherwise.
func retrieveLayout(apiVersion, metadataType string, data []byte) ([]byte, *xmldoc.Document) {
	out, doc, err := layout(apiVersion, metadataType, data)
	switch {
	case err != nil:
		return data, nil
	case bytes.Equal(out, data):
		// Format moved nothing: doc, parsed from data, is data's parse
		// (its lines too).
		return data, doc
	}
	return out, nil
}

func layout(apiVersion, metadataType string, data []byte) ([]byte, *xmldoc.Document, error) {
	m, err := schemas.Bundled().Get(apiVersion)
	if err != nil {
		return nil, nil, err
	}
	doc, err := xmldoc.Parse(data)
	if err != nil {
		return nil, nil, err
	}
	out, err := xsdcheck.Format(m, metadataType, doc)
	return out, doc, err
}
