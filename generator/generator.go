// Package generator is byocpack as a library: one call per job, each a
// pipeline that reads top to bottom — load the spec, plan and render the
// components, validate them, write them, and (for Build) convert and zip.
// It takes its inputs as values and filesystems, returns data and errors,
// and never prints or exits; the CLI in cmd/ is a thin shell over it.
package generator

import (
	"context"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"time"

	"byocpack/generator/render"
	"byocpack/generator/spec"
	"byocpack/generator/validate"
	"byocpack/internal/diag"
	"byocpack/internal/outdir"
)

// RenderOptions are the inputs of Render.
type RenderOptions struct {
	// SpecFS holds the spec and the files it references (the certificate).
	SpecFS fs.FS
	// SpecPath is the spec's path within SpecFS.
	SpecPath string
	// SpecDisplay is the spec's path as the user wrote it, for messages.
	SpecDisplay string
	// OutDir is the output directory on disk.
	OutDir string
	// Force replaces or removes files byocpack did not write, or that were
	// edited since it wrote them.
	Force bool
	// Now is the time certificates are checked against (zero: time.Now).
	Now time.Time
	// DryRun renders and validates but writes nothing.
	DryRun bool
}

// RenderResult says what Render produced.
type RenderResult struct {
	Spec  *spec.Spec
	Files []render.File
	// Warnings are problems that did not stop the render.
	Warnings []diag.Problem
	// Commit says what was written, left unchanged and removed; on a dry
	// run, what would be.
	Commit *outdir.Result
	DryRun bool
}

// Render turns a spec into a Salesforce DX project in opts.OutDir. Nothing
// is written when the spec is invalid or the rendered files break a schema
// or a BYOC rule: those come back as a diag.List.
func Render(ctx context.Context, opts RenderOptions) (*RenderResult, error) {
	s, err := spec.Load(opts.SpecFS, opts.SpecPath, opts.SpecDisplay)
	if err != nil {
		return nil, err
	}

	if info, err := os.Stat(opts.OutDir); err == nil && !info.IsDir() {
		return nil, fmt.Errorf("%s is a file, not a directory; choose another output directory", opts.OutDir)
	}

	r, err := render.New()
	if err != nil {
		return nil, err
	}
	project, err := outdir.ReadFile(opts.OutDir, "sfdx-project.json")
	if err != nil {
		return nil, err
	}
	gitignore, err := outdir.ReadFile(opts.OutDir, ".gitignore")
	if err != nil {
		return nil, err
	}
	files, err := r.Render(s, project, gitignore)
	if err != nil {
		return nil, err
	}

	problems, err := validateRendered(ctx, s, files, opts.OutDir, opts.Now)
	if err != nil {
		return nil, err
	}
	res := &RenderResult{Spec: s, Files: files}
	for _, p := range problems {
		if p.Severity != diag.Error {
			res.Warnings = append(res.Warnings, p)
		}
	}
	if diag.HasErrors(problems, false) {
		return nil, diag.List(problems)
	}
	out := make([]outdir.File, len(files))
	for i, f := range files {
		out[i] = outdir.File{Path: f.Path, Data: f.Data, Merged: f.Merged}
	}
	// Render leaves the zips of an earlier build alone.
	commitOpts := outdir.Options{Force: opts.Force, Keep: []string{DistDirName + "/"}}
	if opts.DryRun {
		res.DryRun = true
		res.Commit, err = outdir.Plan(opts.OutDir, out, commitOpts)
	} else {
		res.Commit, err = outdir.Commit(opts.OutDir, out, commitOpts)
	}
	if err != nil {
		return nil, err
	}
	return res, nil
}

// validateRendered runs the same checks `byocpack validate` runs, on the
// files before they are written, and reports them at the paths they will
// have on disk.
func validateRendered(ctx context.Context, s *spec.Spec, files []render.File, outDir string, now time.Time) ([]diag.Problem, error) {
	in := validate.Input{APIVersion: s.Package.APIVersion, Now: now, Project: true}
	for _, f := range files {
		if f.Type == "" {
			continue
		}
		in.Files = append(in.Files, validate.File{
			Path:      filepath.ToSlash(filepath.Join(outDir, f.Path)),
			Type:      f.Type,
			Data:      f.Data,
			InPackage: f.InPackage,
		})
	}
	problems, err := validate.Run(ctx, in, validate.Options{Schema: newBundledSchemas()})
	if err != nil {
		if errors.Is(err, context.Canceled) || errors.Is(err, context.DeadlineExceeded) {
			return nil, err
		}
		return nil, fmt.Errorf("validate rendered files: %w", err)
	}
	return problems, nil
}
