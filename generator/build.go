package generator

import (
	"context"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path"
	"path/filepath"

	"byocpack/generator/pack"
	"byocpack/internal/outdir"
)

// DistDirName is where build writes the zips inside the output directory.
const DistDirName = "dist"

// PackageOptions are the inputs of Package.
type PackageOptions struct {
	// ProjectDir holds sfdx-project.json.
	ProjectDir string
	// DistDir receives the zips; empty means <ProjectDir>/dist.
	DistDir string
	// PackageDir picks a package directory by path or package name; empty
	// means the default one.
	PackageDir string
	// SourceDateEpoch fixes the zip timestamps (the SOURCE_DATE_EPOCH
	// convention); nil means 1980-01-01.
	SourceDateEpoch *int64
	// Force replaces zips byocpack did not write.
	Force bool
}

// Artifact is one zip written to disk.
type Artifact struct {
	Name   string `json:"name"`
	Path   string `json:"path"`
	SHA256 string `json:"sha256"`
	Size   int    `json:"size"`
}

// PackageResult says what Package or Build wrote.
type PackageResult struct {
	Artifacts []Artifact
	// Components counts the metadata components in package.zip.
	Components int
	// Notes say what was left out because only the Dev Hub knows it.
	Notes []string
}

// Package converts a project's package directory to Metadata API format
// and writes package.zip and package-version-info.zip, reproducibly.
func Package(ctx context.Context, opts PackageOptions) (*PackageResult, error) {
	built, err := pack.Package(ctx, opts.ProjectDir, pack.Options{SourceDateEpoch: opts.SourceDateEpoch, PackageDir: opts.PackageDir})
	if err != nil {
		return nil, err
	}
	dist := opts.DistDir
	if dist == "" {
		dist = filepath.Join(opts.ProjectDir, DistDirName)
	}
	files := []outdir.File{
		{Path: built.Package.Name, Data: built.Package.Data},
		{Path: built.VersionInfo.Name, Data: built.VersionInfo.Data},
	}
	if _, err := outdir.Commit(dist, files, outdir.Options{Force: opts.Force}); err != nil {
		return nil, err
	}
	return packageResult(built, dist, ""), nil
}

func packageResult(built *pack.Result, dir, prefix string) *PackageResult {
	res := &PackageResult{Components: len(built.Components), Notes: built.Notes}
	for _, a := range []pack.Artifact{built.Package, built.VersionInfo} {
		res.Artifacts = append(res.Artifacts, Artifact{Name: a.Name, Path: filepath.Join(dir, filepath.FromSlash(path.Join(prefix, a.Name))), SHA256: a.SHA256, Size: len(a.Data)})
	}
	return res
}

// BuildOptions are the inputs of Build.
type BuildOptions struct {
	Render          RenderOptions
	SourceDateEpoch *int64
}

// BuildResult says what Build produced.
type BuildResult struct {
	Render  *RenderResult
	Package *PackageResult
}

// Build renders the spec, validates the files, packages them together with
// whatever else the output directory's package directory holds, and then
// writes the project and the zips (under dist/) in one step. Nothing is
// written when any step fails.
func Build(ctx context.Context, opts BuildOptions) (*BuildResult, error) {
	ro := opts.Render
	ro.DryRun = true
	rendered, err := Render(ctx, ro)
	if err != nil {
		return nil, err
	}

	// Package a copy of the project as it will be, so that a failure here
	// leaves the output directory untouched.
	// It is only read back, so the system's temporary directory will do.
	stage, err := os.MkdirTemp("", "byocpack-build-")
	if err != nil {
		return nil, fmt.Errorf("stage the build of %s: %w", ro.OutDir, err)
	}
	defer os.RemoveAll(stage)
	if err := copyTree(ro.OutDir, stage); err != nil {
		return nil, err
	}
	for _, f := range rendered.Files {
		p := filepath.Join(stage, filepath.FromSlash(f.Path))
		if err := os.MkdirAll(filepath.Dir(p), 0o755); err != nil {
			return nil, err
		}
		if err := os.WriteFile(p, f.Data, 0o644); err != nil {
			return nil, err
		}
	}
	built, err := pack.Package(ctx, stage, pack.Options{SourceDateEpoch: opts.SourceDateEpoch})
	if err != nil {
		return nil, fmt.Errorf("package %s: %w", ro.OutDir, err)
	}

	files := make([]outdir.File, 0, len(rendered.Files)+2)
	for _, f := range rendered.Files {
		files = append(files, outdir.File{Path: f.Path, Data: f.Data, Merged: f.Merged})
	}
	for _, a := range []pack.Artifact{built.Package, built.VersionInfo} {
		files = append(files, outdir.File{Path: path.Join(DistDirName, a.Name), Data: a.Data})
	}
	if rendered.Commit, err = outdir.Commit(ro.OutDir, files, outdir.Options{Force: ro.Force}); err != nil {
		return nil, err
	}
	return &BuildResult{Render: rendered, Package: packageResult(built, ro.OutDir, DistDirName)}, nil
}

// copyTree copies the regular files of src into dst, leaving out the
// zips of an earlier build. A missing src copies nothing.
func copyTree(src, dst string) error {
	err := filepath.WalkDir(src, func(p string, d fs.DirEntry, err error) error {
		if err != nil {
			return err
		}
		rel, _ := filepath.Rel(src, p)
		if d.IsDir() {
			if rel == DistDirName {
				return filepath.SkipDir
			}
			return os.MkdirAll(filepath.Join(dst, rel), 0o755)
		}
		if !d.Type().IsRegular() {
			return nil
		}
		data, err := os.ReadFile(p)
		if err != nil {
			return err
		}
		return os.WriteFile(filepath.Join(dst, rel), data, 0o644)
	})
	if errors.Is(err, fs.ErrNotExist) {
		return nil
	}
	return err
}
