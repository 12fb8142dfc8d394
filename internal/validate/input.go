// Package validate checks Salesforce DX metadata files against the Metadata
// API schemas of their API version and against the BYOC rules that no schema
// expresses. It works on bytes handed to it, so the same checks run on a tree
// on disk (byocpack validate) and on a tree that render is about to write.
package validate

import (
	"time"

	"github.com/byocpack/byocpack/internal/diag"
	"github.com/byocpack/byocpack/internal/tree"
	"github.com/byocpack/byocpack/internal/xmldoc"
)

// File is one metadata file handed to the validator.
type File struct {
	// Path is the file's path as it appears in messages, slash-separated.
	Path string
	// Type is the metadata type inferred from the file's suffix (for
	// example "ExternalClientApplication"); empty when the suffix is unknown.
	Type string
	// Data is the file's content. When it is nil and Load is set, Run
	// reads the file with Load when a worker takes it up and drops the
	// bytes once the file is checked, so a large tree is streamed rather
	// than held in memory.
	Data []byte
	Load func() ([]byte, error)
	// Lazy, for a large content file the tree holds by its record, is
	// what its read found: the secrets scan of its bytes (Lazy.Findings)
	// is the file's, and Data stays nil (no other check reads a file
	// whose name does not end in .xml).
	Lazy *tree.Lazy
	// InPackage is true for files under a packaged package directory (one
	// with a "package" key in sfdx-project.json), where secrets and
	// Dev Hub-only metadata must never appear.
	InPackage bool
}

// Input is everything one validation run looks at.
type Input struct {
	Files []File
	// Feed, when set, hands Run more files as a listing finds them, after
	// Files, until it is closed; Run checks them as they come.
	Feed <-chan File
	// APIVersion is the project's sourceApiVersion, such as "66.0"; it picks
	// the schema and the field windows.
	APIVersion string
	// Now is the time certificates are checked against; the zero value means
	// time.Now().
	Now time.Time
	// Project is true when Files is a whole project tree. Rules that look
	// across files (event and vendor references, the app a channel needs,
	// the shared name prefix) only run then: a user who validates a few
	// files by glob would otherwise get errors about files they did not pass.
	Project bool
	// Namespace is the project's namespace (sfdx-project.json), empty when
	// it has none: a connected app stub's developerName must carry it.
	Namespace string
	// ProjectFile is sfdx-project.json as messages name it, where a
	// problem of the project's own settings is reported; empty for loose
	// files.
	ProjectFile string
	// Disabled lists rule IDs whose problems are silenced (the project's
	// list and the command line's); Run counts them in Stats.
	Disabled []string
}

// SchemaChecker checks one parsed document against the content model of
// its metadata type for an API version. Problems carry Rule "xsd" or
// "xsd-order" and the document's Path.
type SchemaChecker interface {
	Check(apiVersion, metadataType, path string, doc *xmldoc.Document) []diag.Problem
}
