package generator

import (
	"context"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"time"

	"github.com/bmatcuk/doublestar/v4"

	"byocpack/generator/spec"
	"byocpack/generator/validate"
	"byocpack/internal/diag"
	"byocpack/internal/fserr"
	"byocpack/internal/outdir"
	"byocpack/internal/registry"
	"byocpack/internal/sfdx"
	"byocpack/internal/tree"
)

// ValidateOptions are the inputs of Validate.
type ValidateOptions struct {
	// Targets are project directories (holding sfdx-project.json), files,
	// or doublestar globs such as 'force-app/**/*-meta.xml'. Empty means
	// the current directory.
	Targets []string
	// APIVersion overrides the projects' sourceApiVersion.
	APIVersion string
	// Now is the time certificates are checked against (zero: time.Now).
	Now time.Time
}

// ValidateResult holds every problem found and how many files were read.
type ValidateResult struct {
	Problems []Problem
	problems []diag.Problem
	Files    int
	// WithoutSchema counts metadata files of types byocpack ships no
	// schema for: they got the BYOC rules only.
	WithoutSchema int
	// Recovered says, per project, how an interrupted byocpack run there
	// was finished or undone before validating.
	Recovered []string
}

// UsageError is a bad invocation (a target that does not exist, a glob
// that matches nothing), as opposed to a problem in a file.
type UsageError struct{ Msg string }

func (e *UsageError) Error() string { return e.Msg }

// Validate checks metadata trees and files against the Metadata API
// schemas and the BYOC rules. A project directory is validated as a
// whole, so rules that span files (the app a channel needs, event and
// vendor references) apply; loose files and globs are checked one by one.
func Validate(ctx context.Context, opts ValidateOptions) (*ValidateResult, error) {
	if opts.APIVersion != "" && !slices.Contains(spec.SupportedAPIVersions(), opts.APIVersion) {
		return nil, &UsageError{fmt.Sprintf("--api-version %s is not supported; use one of %s", opts.APIVersion, strings.Join(spec.SupportedAPIVersions(), ", "))}
	}
	targets := opts.Targets
	if len(targets) == 0 {
		targets = []string{"."}
	}
	reg := registry.New()
	checker := newBundledSchemas()
	res := &ValidateResult{}
	var loose []string
	for _, t := range targets {
		info, err := os.Stat(t)
		switch {
		case err == nil && info.IsDir():
			in, problems, recovered, err := projectInput(reg, t, opts.APIVersion)
			if err != nil {
				return nil, publicError(err)
			}
			if recovered != "" {
				res.Recovered = append(res.Recovered, t+": "+recovered)
			}
			if err := res.add(ctx, in, opts.Now, problems, checker); err != nil {
				return nil, err
			}
		case err == nil:
			loose = append(loose, t)
		case errors.Is(err, fs.ErrNotExist) && doublestar.ValidatePathPattern(filepath.ToSlash(t)) && strings.ContainsAny(t, "*?[{"):
			matches, gerr := doublestar.FilepathGlob(t, doublestar.WithFilesOnly())
			if gerr != nil {
				return nil, &UsageError{fmt.Sprintf("bad glob %q: %v", t, gerr)}
			}
			if len(matches) == 0 {
				return nil, fmt.Errorf("%s matches no file; check the pattern (quote it so the shell does not expand it)", t)
			}
			slices.Sort(matches)
			loose = append(loose, matches...)
		default:
			return nil, fmt.Errorf("%s does not exist; pass a project directory, a file or a glob", t)
		}
	}
	if len(loose) > 0 {
		in, problems, err := looseInput(reg, loose, opts.APIVersion)
		if err != nil {
			return nil, err
		}
		if err := res.add(ctx, in, opts.Now, problems, checker); err != nil {
			return nil, err
		}
	}
	res.Problems = fromDiag(diag.Sort(res.problems))
	res.WithoutSchema = int(checker.skipped.Load())
	return res, nil
}

// add validates one input and adds its problems, and those found while
// reading it, to the result.
func (res *ValidateResult) add(ctx context.Context, in validate.Input, now time.Time, readProblems []diag.Problem, checker validate.SchemaChecker) error {
	in.Now = now
	ps, err := validate.Run(ctx, in, validate.Options{Schema: checker})
	if err != nil {
		return err
	}
	res.problems = append(res.problems, readProblems...)
	res.problems = append(res.problems, ps...)
	res.Files += len(in.Files)
	return nil
}

// projectInput reads a project directory: it finishes or undoes an
// interrupted byocpack run there first, then snapshots the project.
func projectInput(reg *registry.Registry, dir, apiVersion string) (_ validate.Input, _ []diag.Problem, recovered string, _ error) {
	d, err := outdir.Open(dir, outdir.OpenOptions{})
	if err != nil {
		return validate.Input{}, nil, "", err
	}
	defer d.Close()
	in, problems, err := readProjectInput(reg, d, dir, apiVersion)
	return in, problems, d.Recovered, err
}

func readProjectInput(reg *registry.Registry, d *outdir.Dir, dir, apiVersion string) (validate.Input, []diag.Problem, error) {
	project, err := d.ReadFile(sfdx.ProjectFile)
	if err != nil {
		return validate.Input{}, nil, err
	}
	if project == nil {
		return validate.Input{}, nil, fmt.Errorf("%s has no sfdx-project.json; pass a Salesforce DX project directory, or files and globs", dir)
	}
	snap, err := snapshot(d, project)
	if err != nil {
		return validate.Input{}, nil, err
	}
	if err := snap.Project.CheckDirs(filepath.Join(dir, sfdx.ProjectFile), func(rel string) bool {
		fi, err := os.Stat(filepath.Join(dir, filepath.FromSlash(rel)))
		return err == nil && fi.IsDir()
	}); err != nil {
		return validate.Input{}, nil, err
	}
	in, problems := treeInput(reg, snap, dir, apiVersion)
	return in, problems, nil
}

// treeInput turns every file of every package directory of a snapshot
// into validator input, shown at its path under shown.
func treeInput(reg *registry.Registry, snap *sfdx.Snapshot, shown, apiVersion string) (validate.Input, []diag.Problem) {
	p := snap.Project
	in := validate.Input{APIVersion: versionOr(apiVersion, p.SourceAPIVersion), Project: true}
	var problems []diag.Problem
	if apiVersion == "" && !slices.Contains(spec.SupportedAPIVersions(), p.SourceAPIVersion) {
		in.APIVersion = spec.LatestAPIVersion()
		what := fmt.Sprintf("sourceApiVersion %q is outside the supported %s to %s", p.SourceAPIVersion, spec.SupportedAPIVersions()[0], spec.LatestAPIVersion())
		if p.SourceAPIVersion == "" {
			what = "sfdx-project.json sets no sourceApiVersion"
		}
		problems = append(problems, diag.Problem{File: display(shown, sfdx.ProjectFile), Severity: diag.Warning, Rule: RuleAPIVersion,
			Message: fmt.Sprintf("%s; validated against %s instead: set sourceApiVersion or pass --api-version", what, in.APIVersion)})
	}
	seen := map[string]bool{}
	for _, pd := range p.PackageDirectories {
		for _, rel := range snap.Tree.Under(pd.Path) {
			if seen[rel] || snap.Ignore.Denies(rel) || isState(rel) {
				continue
			}
			seen[rel] = true
			data, _ := snap.Tree.Get(rel)
			f, problem := typed(reg, data, display(shown, rel), rel)
			if problem != nil {
				problems = append(problems, *problem)
				continue
			}
			f.InPackage = pd.Package != ""
			in.Files = append(in.Files, f)
		}
	}
	return in, problems
}

// looseInput reads files named on the command line. If the working
// directory is a project, its sourceApiVersion, package directories and
// .forceignore still apply.
func looseInput(reg *registry.Registry, files []string, apiVersion string) (validate.Input, []diag.Problem, error) {
	in := validate.Input{APIVersion: apiVersion}
	var pkgDirs []string
	var ign *sfdx.ForceIgnore
	if p, err := sfdx.Load("."); err == nil {
		in.APIVersion = versionOr(apiVersion, p.SourceAPIVersion)
		for _, pd := range p.PackageDirectories {
			if pd.Package != "" {
				pkgDirs = append(pkgDirs, pd.Path)
			}
		}
		if ign, err = sfdx.LoadForceIgnore("."); err != nil {
			return in, nil, err
		}
	}
	if in.APIVersion == "" || !slices.Contains(spec.SupportedAPIVersions(), in.APIVersion) {
		in.APIVersion = versionOr(apiVersion, spec.LatestAPIVersion())
	}
	var problems []diag.Problem
	for _, name := range files {
		rel := filepath.ToSlash(filepath.Clean(name))
		if ign != nil && ign.Denies(rel) {
			continue
		}
		f, problem := readForValidation(reg, name, filepath.ToSlash(name), rel)
		if problem != nil {
			problems = append(problems, *problem)
			continue
		}
		if f.Type == "" && validate.TypeOf(rel) == "" && !strings.HasSuffix(rel, "-meta.xml") {
			// Named explicitly, so say it was not checked rather than
			// count it as clean.
			problems = append(problems, diag.Problem{File: f.Path, Severity: diag.Warning, Rule: RuleNotMetadata,
				Message: "not a metadata file (no <Name>.<suffix>-meta.xml name), so only the secret scan applied; pass metadata files or a project directory"})
		}
		for _, d := range pkgDirs {
			if strings.HasPrefix(rel, strings.TrimSuffix(d, "/")+"/") {
				f.InPackage = true
			}
		}
		in.Files = append(in.Files, f)
	}
	return in, problems, nil
}

// readForValidation reads one file the user named and infers its type
// from the suffix. A file that cannot be read becomes a problem of that
// file.
func readForValidation(reg *registry.Registry, name, shown, rel string) (validate.File, *diag.Problem) {
	data, err := tree.ReadPath(name)
	if err != nil {
		fix := "; check its permissions"
		if tree.IsNotRegular(err) {
			fix = "; pass metadata files, not pipes or devices"
		}
		return validate.File{}, &diag.Problem{File: shown, Severity: diag.Error, Rule: RuleIO,
			Message: fmt.Sprintf("cannot read the file: %v%s", fserr.Cause(err), fix)}
	}
	return typed(reg, data, shown, rel)
}

// typed infers a file's type from its suffix, as sf does.
func typed(reg *registry.Registry, data []byte, shown, rel string) (validate.File, *diag.Problem) {
	f := validate.File{Path: shown, Data: data}
	sf, err := sfdx.Infer(reg, rel)
	var tie *sfdx.TypeInferenceError
	switch {
	case errors.As(err, &tie) && tie.Suggestion == "":
		// The same failure sf package version create would stop on. A
		// suffix that is only in the wrong case is BYOC-SUFFIX-CASE's.
		return f, &diag.Problem{File: shown, Severity: diag.Error, Rule: RuleTypeInference,
			Message: fmt.Sprintf("could not infer a metadata type from the suffix %q, so sf cannot deploy or package this file; rename it to <Name>.<suffix>-meta.xml with a suffix of the Salesforce CLI's registry", "."+tie.Suffix+"-meta.xml")}
	case err == nil && sf.Type != nil && (sf.Kind == sfdx.MetaXML || sf.Kind == sfdx.Child):
		f.Type = sf.Type.Name
	}
	return f, nil
}

func registryOf() *registry.Registry { return registry.New() }

// Rule IDs of problems found while reading files, before any check runs.
const (
	RuleTypeInference = "type-inference"
	RuleNotMetadata   = "not-metadata"
	RuleIO            = "io"
	RuleAPIVersion    = "api-version"
)

func display(dir, rel string) string {
	return filepath.ToSlash(filepath.Join(dir, filepath.FromSlash(rel)))
}

func versionOr(override, v string) string {
	if override != "" {
		return override
	}
	return v
}
