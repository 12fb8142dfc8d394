// Package generator is byocpack as a library: Render, Build, Package and
// Validate, each one flow over one in-memory project tree (pipeline.go
// reads top to bottom). It takes its inputs as values and filesystems,
// returns data and errors, and never prints or exits; the CLI in cmd/ is a
// thin shell over it.
package generator

import (
	"errors"
	"io/fs"
	"slices"
	"time"

	"github.com/byocpack/byocpack/generator/problem"
	"github.com/byocpack/byocpack/generator/spec"
	"github.com/byocpack/byocpack/internal/diag"
	"github.com/byocpack/byocpack/internal/outdir"
	"github.com/byocpack/byocpack/internal/render"
)

// Problem is one finding in a file: a spec error, a schema violation, a
// BYOC rule violation, a note on what was not checked. It is the one
// problem type of every layer (package problem); String formats it as
// "path:line:col: severity rule: message".
type Problem = problem.Problem

// Severity says whether a problem blocks the run: switch on SeverityError,
// SeverityWarning and SeverityInfo.
type Severity = problem.Severity

// The severities.
const (
	// SeverityError fails the run.
	SeverityError = problem.Error
	// SeverityWarning fails only a strict run.
	SeverityWarning = problem.Warning
	// SeverityInfo says what was not checked and why; it fails no run.
	SeverityInfo = problem.Info
)

// ProblemList is every problem that stopped a run, sorted; it is the
// error Render, Build and Package return when a spec or a file is refused.
type ProblemList = problem.List

// Count returns the number of errors and warnings (problem.Count also
// counts infos).
func Count(ps []Problem) (errs, warnings int) {
	errs, warnings, _ = problem.Count(ps)
	return errs, warnings
}

// HasErrors reports whether any problem is an error (strict: or a
// warning).
func HasErrors(ps []Problem, strict bool) bool { return problem.HasErrors(ps, strict) }

// ConflictError lists files byocpack will not overwrite or remove without
// Force: files it did not write, or that were edited since it did.
type ConflictError struct {
	Dir       string
	Conflicts []string
}

func (e *ConflictError) Error() string {
	return (&outdir.ConflictError{Dir: e.Dir, Conflicts: e.Conflicts}).Error()
}

// KeptError says a run wrote its files but found some the user edited
// while it replaced them: Kept says where each edited version now is.
type KeptError struct {
	Dir  string
	Kept []string
}

func (e *KeptError) Error() string { return (&outdir.KeptError{Dir: e.Dir, Kept: e.Kept}).Error() }

// BusyError says another byocpack run holds the output directory's lock
// for longer than the run was willing to wait.
type BusyError struct{ msg string }

func (e *BusyError) Error() string { return e.msg }

// publicError turns the errors of the layers below into the ones this
// package exports, so callers can match them with errors.As.
// RecoveredError is the error of a run that had first finished or undone
// an interrupted earlier run in its directory: Recovered says what that
// did, as a successful run's result says it.
type RecoveredError struct {
	Recovered []string
	Err       error
}

func (e *RecoveredError) Error() string { return e.Err.Error() }
func (e *RecoveredError) Unwrap() error { return e.Err }

// withRecovered keeps what a recovery did with the error of the run that
// followed it.
func withRecovered(err error, notes ...string) error {
	notes = slices.DeleteFunc(notes, func(n string) bool { return n == "" })
	if err == nil || len(notes) == 0 {
		return err
	}
	return &RecoveredError{Recovered: notes, Err: publicError(err)}
}

func publicError(err error) error {
	var list diag.List
	var conflict *outdir.ConflictError
	var busy *outdir.BusyError
	var kept *outdir.KeptError
	switch {
	case err == nil:
		return nil
	case errors.As(err, &list):
		return list
	case errors.As(err, &conflict):
		return &ConflictError{Dir: conflict.Dir, Conflicts: conflict.Conflicts}
	case errors.As(err, &busy):
		return &BusyError{msg: busy.Error()}
	case errors.As(err, &kept):
		return &KeptError{Dir: kept.Dir, Kept: kept.Kept}
	}
	return err
}

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
	// DryRun runs every step but writes nothing.
	DryRun bool
	// LockWait is how long to wait for another run on OutDir (0: 30s).
	LockWait time.Duration
}

// Changes says what a run wrote, left and removed in its output
// directory; on a dry run, what it would.
type Changes struct {
	Written   []string `json:"written"`
	Unchanged []string `json:"unchanged"`
	Removed   []string `json:"removed"`
	// Yours are files that already held exactly what byocpack would write
	// but that it did not write: they stay yours, never removed by it.
	Yours []string `json:"yours"`
	// StaleZips are the zips of an earlier build or package that no
	// longer match the tree, removed (they are also in Removed).
	StaleZips []string `json:"staleZips"`
}

func changesOf(r outdir.Result, stale []string) Changes {
	nz := func(s []string) []string {
		if s == nil {
			return []string{}
		}
		return s
	}
	return Changes{Written: nz(r.Written), Unchanged: nz(r.Unchanged), Removed: nz(r.Removed), Yours: nz(r.Yours), StaleZips: nz(stale)}
}

// RenderedFile is one file of the project Render produced.
type RenderedFile struct {
	// Path is relative to the output directory, slash-separated.
	Path string
	Data []byte
	// Type is the metadata type, empty for project files.
	Type string
	// FullName is the component's name as package.xml lists it, empty for
	// project files.
	FullName string
	// InPackage is true under the packaged package directory.
	InPackage bool
	// Merged files (sfdx-project.json, .gitignore) may hold the user's own
	// content: byocpack updates them in place and never removes them.
	Merged bool
}

func renderedFiles(files []render.File) []RenderedFile {
	out := make([]RenderedFile, len(files))
	for i, f := range files {
		out[i] = RenderedFile{Path: f.Path, Data: f.Data, Type: f.Type, FullName: f.FullName, InPackage: f.InPackage, Merged: f.Merged}
	}
	return out
}

// RenderResult says what Render produced.
type RenderResult struct {
	Spec  *spec.Spec
	Files []RenderedFile
	// ProjectChanges lists each key render changed in an sfdx-project.json
	// that was there before ("sourceApiVersion: \"65.0\" → \"66.0\"").
	ProjectChanges []string
	// Problems did not stop the run: warnings, and errors in files the
	// run does not write (render refuses only on its own files).
	Problems []Problem
	Changes  Changes
	DryRun   bool
	// Recovered says how an earlier, interrupted run was finished or
	// undone first; empty when there was none.
	Recovered string
}

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
	// CodeCoverage builds the zip sf package version create --code-coverage
	// uploads: with the unpackagedMetadata zip and the apexTestAccess
	// permission sets.
	CodeCoverage bool
	// SourceDateEpoch fixes the zip timestamps (the SOURCE_DATE_EPOCH
	// convention); nil means 1980-01-01.
	SourceDateEpoch *int64
	// Force replaces zips byocpack did not write.
	Force bool
	// DryRun validates and builds the zips in memory but writes nothing.
	DryRun bool
	// Now is the time certificates are checked against (zero: time.Now).
	Now time.Time
	// LockWait is how long to wait for another run (0: 30s).
	LockWait time.Duration
}

// Artifact is one zip.
type Artifact struct {
	Name   string `json:"name"`
	Path   string `json:"path"`
	SHA256 string `json:"sha256"`
	Size   int    `json:"size"`
}

// PackageResult says what Package or Build zipped.
type PackageResult struct {
	Artifacts []Artifact
	// Components counts the metadata components in package.zip.
	Components int
	// Notes say what was left out because only the Dev Hub knows it.
	Notes []string
	// Problems are the warnings of validating the tree that was zipped.
	Problems  []Problem
	Changes   Changes
	DryRun    bool
	Recovered string
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
