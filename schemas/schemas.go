// Package schemas embeds what `make schemas` generates from the Metadata
// API WSDLs (see internal/tools/schemagen): the content models byocpack
// checks and formats files with, every metadata type of every API version
// from 47.0 in one file. Nothing is compiled at run time. (The standalone
// XSDs the test oracles read are cut from the WSDLs by the tests.)
package schemas

import (
	_ "embed" // the models file
	"sync"

	"github.com/byocpack/byocpack/internal/model"
)

// Models is models/bundled.models (internal/model reads it; its format is
// described in internal/model/bundle.go). A string, so the binary's copy
// is read in place: nothing is copied or decoded at start-up.
//
//go:embed models/bundled.models
var Models string

// Bundled returns the set of the embedded models, shared by the whole
// process so each type of each version is decoded at most once.
var Bundled = sync.OnceValue(func() *model.Set { return model.NewBundledSet("bundled models", Models) })
