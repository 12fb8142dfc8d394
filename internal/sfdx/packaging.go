package sfdx

import (
	"encoding/json"
	"fmt"
	"path"
	"strings"

	"github.com/byocpack/byocpack/internal/tree"
)

// PackagingInputs are the paths besides the package directory itself that
// `sf package version create` reads for one package directory: metadata
// deployed before the package's tests run (seedMetadata), metadata used
// only for code coverage (unpackagedMetadata), and the scratch org
// definition the validation org is built from (definitionFile).
//
// The packaging library resolves the two metadata paths against its
// working directory; byocpack resolves them against the project root,
// where sf runs in CI, and keeps all three inside the project.
type PackagingInputs struct {
	SeedMetadata       string
	UnpackagedMetadata string
	DefinitionFile     string
}

// PackagingInputs reads seedMetadata.path, unpackagedMetadata.path and
// definitionFile from the entry as written. file names sfdx-project.json
// in messages.
func (pd *PackageDir) PackagingInputs(file string) (PackagingInputs, error) {
	var in PackagingInputs
	for _, m := range pd.Members {
		var dst *string
		var v string
		switch m.Key {
		case "seedMetadata", "unpackagedMetadata":
			var obj struct {
				Path *string `json:"path"`
			}
			if err := json.Unmarshal(m.Value, &obj); err != nil || obj.Path == nil || *obj.Path == "" {
				return in, fmt.Errorf("%s:%d: %q must be an object with a \"path\", such as {\"path\": \"%s\"}", file, pd.Line, m.Key, map[string]string{"seedMetadata": "seed-md", "unpackagedMetadata": "unpackaged"}[m.Key])
			}
			v = *obj.Path
			dst = &in.SeedMetadata
			if m.Key == "unpackagedMetadata" {
				dst = &in.UnpackagedMetadata
			}
		case "definitionFile":
			if err := json.Unmarshal(m.Value, &v); err != nil || v == "" {
				return in, fmt.Errorf("%s:%d: \"definitionFile\" must be the path of a scratch org definition, such as \"config/project-scratch-def.json\"", file, pd.Line)
			}
			dst = &in.DefinitionFile
		default:
			continue
		}
		clean := path.Clean(strings.ReplaceAll(v, "\\", "/"))
		if path.IsAbs(clean) || clean == "." || clean == ".." || strings.HasPrefix(clean, "../") {
			return in, fmt.Errorf("%s:%d: %q %q must be a relative path inside the project", file, pd.Line, m.Key, v)
		}
		*dst = clean
	}
	return in, nil
}

// readPackagingInputs adds to r what PackagingInputs names for every
// package directory of p, honouring ign, so that the seed and unpackaged
// metadata and the definition file are read, validated and scanned like
// the package directories they ship with.
func readPackagingInputs(r *tree.Reader, p *Project, ign *ForceIgnore, file string) error {
	for i := range p.PackageDirectories {
		in, err := p.PackageDirectories[i].PackagingInputs(file)
		if err != nil {
			return err
		}
		for _, dir := range []string{in.SeedMetadata, in.UnpackagedMetadata} {
			if dir == "" {
				continue
			}
			if err := r.Dir(dir, func(rel string) bool { return !ign.Denies(rel) }, func(rel string) bool { return SkipDir(ign, rel) }); err != nil {
				return err
			}
		}
		if in.DefinitionFile != "" {
			if err := r.File(in.DefinitionFile); err != nil {
				return err
			}
		}
	}
	return nil
}

// SourceDirs lists the package directories and, after them, the seed and
// unpackaged metadata directories they name (as directories without a
// package): everything sf converts for a package version, which byocpack
// validates and scans for secrets. Entries with unreadable packaging keys
// are left to PackagingInputs' callers to report.
func (p *Project) SourceDirs() []PackageDir {
	out := append([]PackageDir(nil), p.PackageDirectories...)
	for i := range p.PackageDirectories {
		in, err := p.PackageDirectories[i].PackagingInputs("")
		if err != nil {
			continue
		}
		for _, dir := range []string{in.SeedMetadata, in.UnpackagedMetadata} {
			if dir != "" {
				out = append(out, PackageDir{Path: dir, Line: p.PackageDirectories[i].Line})
			}
		}
	}
	return out
}
