package generator

import (
	"bytes"
	"context"
	"crypto/sha256"
	"encoding/hex"
	"fmt"
	"os"
	"path"
	"path/filepath"

	"github.com/byocpack/byocpack/internal/apiver"
	"github.com/byocpack/byocpack/internal/fserr"
	"github.com/byocpack/byocpack/internal/fsutil"
	"github.com/byocpack/byocpack/internal/model"
	"github.com/byocpack/byocpack/internal/schemagen"
	"github.com/byocpack/byocpack/internal/sfdx"
	"github.com/byocpack/byocpack/internal/tree"
	"github.com/byocpack/byocpack/schemas"
)

// ImportOptions are the inputs of ImportSchemas.
type ImportOptions struct {
	// WSDL is the path of the Metadata API WSDL (Setup → API → Generate
	// Metadata WSDL).
	WSDL string
	// ProjectDir is the project whose byocpack-schemas/ folder receives
	// the models ("" is the current directory).
	ProjectDir string
	// Cache writes into the user cache directory instead, for every
	// project on this machine.
	Cache bool
}

// ImportResult says what ImportSchemas wrote.
type ImportResult struct {
	Version string
	Path    string
	// SHA256 is the WSDL's digest, recorded in the models file.
	SHA256 string
	// Unchanged: the file already held these models.
	Unchanged bool
	// Bundled: byocpack has this version built in; the project's file
	// takes precedence for this project.
	Bundled bool
	// Roots are the metadata types the models cover.
	Roots []string
	// Size is the bytes of the models file: only what differs from Base.
	Size int
	// Base is the bundled version the file holds the changes against (the
	// newest byocpack bundles).
	Base string
}

// ImportSchemas generates, from a Metadata API WSDL of any version, the
// same content models `make schemas` bundles, as the changes against the
// newest bundled version (a delta), and writes them into the
// project (byocpack-schemas/v<api>.models, to be committed so every
// machine and CI judges alike) or the user cache. The file records the
// WSDL's SHA-256 and depends on nothing but the WSDL's bytes, so the
// same WSDL gives the same file everywhere. validate, render and fmt then
// judge and order files of that version by it.
func ImportSchemas(ctx context.Context, opts ImportOptions) (*ImportResult, error) {
	if err := ctx.Err(); err != nil {
		return nil, err
	}
	data, err := tree.ReadPath(opts.WSDL)
	if err != nil {
		return nil, &UsageError{Option: "WSDL", Value: opts.WSDL, Msg: fmt.Sprintf("cannot read the WSDL: %v", fserr.Cause(err))}
	}
	sum := sha256.Sum256(data)
	base, err := schemas.Bundled().BundledFile()
	if err != nil {
		return nil, err
	}
	version, roots, out, err := schemagen.ImportModels(data, []string{
		"Content models imported by `byocpack schemas import` from a Salesforce Metadata API WSDL",
		"(SHA-256 below): the types that differ from the bundled models of the base version named",
		"below. Do not edit: import the WSDL again to update them.",
		"", "Header of the source WSDL:", "",
	}, base)
	if err != nil {
		return nil, fmt.Errorf("%s: %w", filepath.ToSlash(opts.WSDL), err)
	}
	if err := checkImportVersion(version); err != nil {
		return nil, fmt.Errorf("%s: %w", filepath.ToSlash(opts.WSDL), err)
	}
	// root is the directory the user named (or the cache); nothing below
	// it is written through a link (a symlinked byocpack-schemas/ too).
	var root, rel string
	if opts.Cache {
		if root, err = model.CacheDir(); err != nil {
			return nil, fmt.Errorf("no user cache directory: %w", err)
		}
		rel = model.FileName(version)
	} else {
		project := opts.ProjectDir
		if project == "" {
			project = "."
		}
		if _, err := os.Stat(filepath.Join(project, sfdx.ProjectFile)); err != nil {
			return nil, &UsageError{Option: "ProjectDir", Value: project, Msg: fmt.Sprintf("is no Salesforce DX project (no %s); import into a project, or into the user cache instead", sfdx.ProjectFile)}
		}
		root, rel = project, path.Join(filepath.ToSlash(model.ProjectDir), model.FileName(version))
	}
	res := &ImportResult{Version: version, SHA256: hex.EncodeToString(sum[:]), Bundled: schemas.Bundled().Has(version), Roots: roots, Size: len(out), Base: schemas.Bundled().Newest()}
	res.Path = filepath.Join(root, filepath.FromSlash(rel))
	if old, err := tree.ReadFile(root, rel); err == nil && old != nil && bytes.Equal(old, out) {
		res.Unchanged = true
		return res, nil
	}
	if err := fsutil.WriteFile(root, rel, out, 0o644, true); err != nil {
		return nil, err
	}
	return res, nil
}

// importAhead is how many API versions past the newest bundled one a WSDL
// may name. Salesforce ships three a year, so six is two years of releases
// this byocpack has not seen; a WSDL further ahead is not a real one (or
// byocpack is too old to judge that project: upgrade it).
const importAhead = 6

// minImport is the oldest version a WSDL may name: the oldest Metadata
// API WSDL the content-model generator is tested on (Winter '20; the
// reference set holds 47.0 to the newest). Salesforce retires old
// versions (up to 30.0 in 2025), and a project that old has no
// ExternalClientApplication to package.
const minImport = "47.0"

// checkImportVersion bounds the version a WSDL names, from minImport to
// importAhead past the newest bundled version.
func checkImportVersion(s string) error {
	oldest, _ := apiver.Parse(minImport)
	newest := apiver.Latest()
	limit := newest
	for range importAhead {
		limit = limit.Next()
	}
	ahead := fmt.Errorf("the WSDL names API version %s, more than %d versions past %s, the newest byocpack bundles (Salesforce ships three a year); no such Metadata API exists yet: download the WSDL again from Setup, or upgrade byocpack", s, importAhead, newest)
	v, err := apiver.Parse(s)
	switch {
	case err != nil || limit.Before(v):
		return ahead
	case v.Before(oldest):
		return fmt.Errorf("the WSDL is of API version %s, older than %s, the oldest byocpack imports; use the WSDL of %s or later", v, oldest, oldest)
	}
	return nil
}

// ModelVersion is one API version byocpack can judge files by.
type ModelVersion struct {
	Version string `json:"version"`
	// Origin is "bundled", "project" or "cache".
	Origin string `json:"origin"`
	Path   string `json:"path,omitempty"`
}

// ModelVersions lists the versions a project at dir is judged by: the
// bundled ones, then those imported into it and into the user cache.
func ModelVersions(dir string) ([]ModelVersion, error) {
	set, err := projectModels(dir)
	if err != nil {
		return nil, err
	}
	var out []ModelVersion
	for _, o := range set.Origins() {
		out = append(out, ModelVersion{Version: o.Version, Origin: o.Kind, Path: o.Path})
	}
	return out, nil
}
