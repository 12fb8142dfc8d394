// Package schemas embeds what `make schemas` generates from the Metadata API
// WSDLs (see internal/tools/schemagen): the content models byocpack checks
// and formats files with, one file per API version, and, for the test
// oracles, one standalone XSD per metadata root type and API version.
// Nothing is compiled at run time.
package schemas

import (
	"embed"
	"sync"

	"github.com/byocpack/byocpack/internal/model"
)

// Models holds the content models as models/v<api>.models (internal/model
// reads them).
//
//go:embed models/*.models
var Models embed.FS

// FS holds the XSDs as v<api>/<Type>.xsd. byocpack itself never reads
// them: xmllint and jacoelho/xsd validate against them in the differential
// tests that prove the content models give the XSD's verdict.
//
//go:embed v*
var FS embed.FS

// Bundled returns the set of the embedded models, shared by the whole
// process so each version is decoded at most once.
var Bundled = sync.OnceValue(func() *model.Set { return model.NewSet(Models, "models") })
