package generator

import (
	"context"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"strings"
	"time"

	"github.com/bmatcuk/doublestar/v4"

	"github.com/byocpack/byocpack/generator/spec"
	"github.com/byocpack/byocpack/internal/apiver"
	"github.com/byocpack/byocpack/internal/diag"
	"github.com/byocpack/byocpack/internal/registry"
	"github.com/byocpack/byocpack/internal/sfdx"
	"github.com/byocpack/byocpack/internal/tree"
	"github.com/byocpack/byocpack/internal/validate"
	"github.com/byocpack/byocpack/internal/xsdcheck"
	"github.com/byocpack/byocpack/schemas"
)

// ValidateOptions are the inputs of Validate.
type ValidateOptions struct {
	// Targets are project directories (holding sfdx-project.json), files,
	// or doublestar globs such as 'force-app/**/*-meta.xml', relative to
	// Dir. Empty means Dir itself.
	Targets []string
	// Dir is the directory relative targets are taken from, and whose
	// project (sfdx-project.json, .forceignore, byocpack-schemas/) gives
	// loose files their API version, namespace and package directories.
	// Empty means the process's working directory. Problems name files as
	// Dir joined with their target.
	Dir string
	// APIVersion overrides the projects' sourceApiVersion.
	APIVersion string
	// Now is the time certificates are checked against (zero: time.Now).
	Now time.Time
	// XSD gives the XSD's verdict alone: element order is an error, as
	// xmllint has it, and no BYOC rule runs.
	XSD bool
	// Disable silences rules by ID, on top of the list in each project's
	// sfdx-project.json (plugins.byocpack.disable).
	Disable []string
}

// ValidateResult holds every problem found and how many files were read.
type ValidateResult struct {
	Problems []Problem
	problems []diag.Problem
	Files    int
	// WithoutSchema counts metadata files of types byocpack has no content
	// model for: they got the BYOC rules only.
	WithoutSchema int
	// Silenced counts the problems of disabled rules, left out of Problems.
	Silenced int
	// Recovered says, per project, how an interrupted byocpack run there
	// was finished or undone before validating.
	Recovered []string
}

// UsageError is a bad invocation (an option's value, a target that does
// not exist, a glob that matches nothing), as opposed to a problem in a
// file. Option names the field of the call's options that is wrong
// ("APIVersion", "Disable"), so that a command line can say which of its
// flags it was; it is empty when the problem is not one option's.
type UsageError struct {
	Option string
	Value  string
	Msg    string
}

func (e *UsageError) Error() string {
	if e.Option == "" {
		return e.Msg
	}
	return e.Option + " " + e.Value + ": " + e.Msg
}

// Validate checks metadata trees and files against the content models of
// the Metadata API types (generated from the WSDL) and the BYOC rules. A
// project directory is validated as a whole, so rules that span files (the
// app a channel needs, event and vendor references) apply; loose files and
// globs are checked one by one. Files are streamed: each is read, checked
// and dropped by a bounded set of workers.
func Validate(ctx context.Context, opts ValidateOptions) (*ValidateResult, error) {
	if opts.APIVersion != "" {
		oldest, newest := modelRange()
		if v, err := apiver.Parse(opts.APIVersion); err != nil || v.Before(oldest) {
			return nil, &UsageError{Option: "APIVersion", Value: opts.APIVersion, Msg: fmt.Sprintf("not a supported API version; use %s to %s, or a newer version (judged by the newest, with warnings for what it does not know)", oldest, newest)}
		}
	}
	if err := checkRuleIDs(opts.Disable); err != nil {
		return nil, err
	}
	v := &validation{opts: opts, reg: registry.New(), res: &ValidateResult{}}
	loose, err := eachTarget(ctx, inDir(opts.Dir, opts.Targets), func(dir string) error { return v.project(ctx, dir) })
	if err != nil {
		return nil, withRecovered(err, v.res.Recovered...)
	}
	if len(loose) > 0 {
		if err := v.loose(ctx, loose); err != nil {
			return nil, err
		}
	}
	res := v.res
	res.Problems = diag.Sort(res.problems)
	return res, nil
}

// inDir resolves relative targets against dir (empty: the working
// directory); no target means dir itself.
func inDir(dir string, targets []string) []string {
	if dir == "" {
		return targets
	}
	if len(targets) == 0 {
		return []string{dir}
	}
	out := make([]string, len(targets))
	for i, t := range targets {
		out[i] = t
		if !filepath.IsAbs(t) {
			out[i] = filepath.Join(dir, t)
		}
	}
	return out
}

// base is the directory a call's loose files take their project from.
func base(dir string) string {
	if dir == "" {
		return "."
	}
	return dir
}

// relTo is name relative to dir as a slash path, as .forceignore and
// package directories match it; name itself when it lies outside dir.
func relToDir(dir, name string) string {
	if r, err := filepath.Rel(base(dir), name); err == nil && !strings.HasPrefix(r, "..") {
		return filepath.ToSlash(r)
	}
	return filepath.ToSlash(filepath.Clean(name))
}

// eachTarget calls dir for each target that is a directory, in order, and
// returns the files the other targets name: files as they are, globs
// expanded (sorted; links to directories not followed, see tree.Glob).
// No target means the current directory.
func eachTarget(ctx context.Context, targets []string, dir func(string) error) ([]string, error) {
	if len(targets) == 0 {
		targets = []string{"."}
	}
	var loose []string
	for _, t := range targets {
		info, err := os.Stat(t)
		switch {
		case err == nil && info.IsDir():
			if err := dir(t); err != nil {
				return nil, err
			}
		case err == nil:
			loose = append(loose, t)
		case errors.Is(err, fs.ErrNotExist) && doublestar.ValidatePathPattern(filepath.ToSlash(t)) && strings.ContainsAny(t, "*?[{"):
			matches, gerr := tree.Glob(ctx, t)
			if gerr != nil {
				return nil, gerr
			}
			if len(matches) == 0 {
				return nil, fmt.Errorf("%s matches no file; check the pattern (quote it so the shell does not expand it; folders that are symbolic links are not searched)", t)
			}
			loose = append(loose, matches...)
		default:
			return nil, fmt.Errorf("%s does not exist; pass a project directory, a file or a glob", t)
		}
	}
	return loose, nil
}

// validation is one Validate call.
type validation struct {
	opts ValidateOptions
	reg  *registry.Registry
	res  *ValidateResult
}

func (v *validation) mode() xsdcheck.Mode {
	if v.opts.XSD {
		return xsdcheck.XSD
	}
	return xsdcheck.Deploy
}

// run validates one input and adds its problems, and those found while
// reading it, to the result.
func (v *validation) run(ctx context.Context, in validate.Input, read input, checker *schemaChecker) error {
	in.Now = v.opts.Now
	var stats validate.Stats
	ps, err := validate.Run(ctx, in, validate.Options{Schema: checker, SchemaOnly: v.opts.XSD, Stats: &stats})
	if err != nil {
		return err
	}
	v.res.problems = append(v.res.problems, read.problems...)
	v.res.problems = append(v.res.problems, ps...)
	v.res.Files += stats.Files
	v.res.Silenced += stats.Silenced + read.silenced
	v.res.WithoutSchema += int(checker.skipped.Load())
	return nil
}

// project validates a project directory: it finishes or undoes an
// interrupted byocpack run there first, then lists the package
// directories and streams their files through the checks.
func (v *validation) project(ctx context.Context, dir string) error {
	r := &run{ctx: ctx, dir: dir, val: v}
	err := r.exec(validateSteps)
	if n := r.recoveredNote(); n != "" {
		v.res.Recovered = append(v.res.Recovered, dir+": "+n)
	}
	return publicError(err)
}

// validateSteps are validate's, for each project directory it is given.
var validateSteps = []step{openProject, readProjectConfig, streamValidate}

// readProjectConfig reads the project's sfdx-project.json and
// .forceignore, and checks that its package directories exist.
var readProjectConfig = step{"readProjectConfig", func(r *run) error {
	project, err := r.proj.ReadFile(sfdx.ProjectFile)
	if err != nil {
		return err
	}
	if project == nil {
		return fmt.Errorf("%s has no sfdx-project.json; pass a Salesforce DX project directory, or files and globs", r.dir)
	}
	t := tree.New()
	t.Set(sfdx.ProjectFile, project)
	ignore, err := r.proj.ReadFile(sfdx.ForceIgnoreFile)
	if err != nil {
		return err
	}
	if ignore != nil {
		t.Set(sfdx.ForceIgnoreFile, ignore)
	}
	if r.snap, err = sfdx.ParseSnapshot(t, r.proj.path); err != nil {
		return err
	}
	return r.snap.Project.CheckDirs(filepath.Join(r.dir, sfdx.ProjectFile), r.proj.isDir)
}}

// streamValidate lists the package directories and streams their files
// through the checks. List, do not read: the workers start on the first
// files while the walk goes on, and each file is read by the worker that
// checks it, then dropped.
var streamValidate = step{"streamValidate", func(r *run) error {
	ctx, v, snap, dir := r.ctx, r.val, r.snap, r.dir
	o := inputOptions{apiVersion: v.opts.APIVersion, disable: v.opts.Disable}
	in, problems := projectHeader(snap, dir, o)
	feed := make(chan validate.File, 64)
	in.Feed = feed
	var walkErr error
	go func() {
		defer close(feed)
		seen := map[string]bool{}
		rd := r.proj.reader(ctx)
		rd.ListOnly = true
		rd.OnFile = func(rel, name string) error {
			if seen[rel] || isState(rel) {
				return nil
			}
			seen[rel] = true
			// The first package directory that holds the file, as
			// readProjectTree takes it.
			var pd sfdx.PackageDir
			for _, p := range snap.Project.PackageDirectories {
				if p.Path == "." || rel == p.Path || strings.HasPrefix(rel, strings.TrimSuffix(p.Path, "/")+"/") {
					pd = p
					break
				}
			}
			f, problem := listedFile(v.reg, rel, name, pd, r.proj.load(rel, name))
			if problem != nil {
				problems = append(problems, *problem)
				return nil
			}
			select {
			case feed <- f:
				return nil
			case <-ctx.Done():
				return ctx.Err()
			}
		}
		walkErr = sfdx.ReadPackageDirs(rd, snap.Project, snap.Ignore)
	}()
	checker := projectSchemas(dir, v.mode())
	if p := newerThanModels(checker, in.APIVersion, display(dir, sfdx.ProjectFile)); p != nil {
		problems = append(problems, *p)
	}
	err := v.run(ctx, in, input{}, checker)
	// Run has drained the feed, so the walk is over and its problems are
	// all there.
	if walkErr != nil {
		return walkErr
	}
	if err != nil {
		return err
	}
	kept, silenced := validate.Silence(problems, in.Disabled)
	v.res.problems = append(v.res.problems, kept...)
	v.res.Silenced += silenced
	return nil
}}

// input is what reading a tree found besides the files: problems of the
// reading itself, and how many of them were silenced.
type input struct {
	problems []diag.Problem
	silenced int
}

// inputOptions tune readTree.
type inputOptions struct {
	apiVersion string
	// lazyRoot, when set, is the directory the tree's files are read from
	// one at a time, when checked; otherwise the tree holds their bytes.
	lazyRoot string
	disable  []string
}

// treeInput turns every file of every package directory of a snapshot
// into validator input, shown at its path under shown, with the rules its
// sfdx-project.json disables.
func treeInput(reg *registry.Registry, snap *sfdx.Snapshot, shown, apiVersion string) (validate.Input, []diag.Problem) {
	in, read := readProjectTree(reg, snap, shown, inputOptions{apiVersion: apiVersion})
	return in, read.problems
}

func readProjectTree(reg *registry.Registry, snap *sfdx.Snapshot, shown string, o inputOptions) (validate.Input, input) {
	in, problems := projectHeader(snap, shown, o)
	seen := map[string]bool{}
	for _, pd := range snap.Project.SourceDirs() {
		for _, rel := range snap.Tree.Under(pd.Path) {
			if seen[rel] || snap.Ignore.Denies(rel) || isState(rel) {
				continue
			}
			seen[rel] = true
			data, _ := snap.Tree.Get(rel)
			f, problem := projectFile(reg, data, shown, rel, pd, o.lazyRoot)
			if problem != nil {
				problems = append(problems, *problem)
				continue
			}
			f.Lazy = snap.Tree.Lazy(rel)
			in.Files = append(in.Files, f)
		}
	}
	kept, silenced := validate.Silence(problems, in.Disabled)
	return in, input{problems: kept, silenced: silenced}
}

// projectHeader is a project's input without its files: API version,
// disabled rules, and the problems of its sfdx-project.json.
func projectHeader(snap *sfdx.Snapshot, shown string, o inputOptions) (validate.Input, []diag.Problem) {
	p := snap.Project
	in := validate.Input{APIVersion: versionOr(o.apiVersion, p.SourceAPIVersion), Namespace: p.Namespace, Project: true,
		ProjectFile: display(shown, sfdx.ProjectFile)}
	projectData, _ := snap.Tree.Get(sfdx.ProjectFile)
	disabled, problems := projectConfig(projectData, display(shown, sfdx.ProjectFile))
	in.Disabled = append(disabled, o.disable...)
	if o.apiVersion == "" {
		if w := versionWarning(shown, p.SourceAPIVersion); w != nil {
			in.APIVersion = w.use
			problems = append(problems, w.Problem)
		}
	}
	return in, problems
}

// projectFile is one file of package directory pd, typed; data is nil
// when the file is read when checked, from lazyRoot.
// listedFile is projectFile for a file the walk listed, named by the
// system as name under the directory the user gave: shown and read by
// that name, without joining the two paths again for each file.
func listedFile(reg *registry.Registry, rel, name string, pd sfdx.PackageDir, load func() ([]byte, error)) (validate.File, *diag.Problem) {
	f, problem := typed(reg, nil, filepath.ToSlash(name), rel)
	if problem != nil {
		return f, problem
	}
	f.Load = load
	f.InPackage = pd.Package != ""
	return f, nil
}

func projectFile(reg *registry.Registry, data []byte, shown, rel string, pd sfdx.PackageDir, lazyRoot string) (validate.File, *diag.Problem) {
	f, problem := typed(reg, data, display(shown, rel), rel)
	if problem != nil {
		return f, problem
	}
	if lazyRoot != "" {
		// The listing refused links and special files; the read is
		// bounded as every read is, without checking every parent again
		// for a link (validate only reads).
		name := filepath.Join(lazyRoot, filepath.FromSlash(rel))
		f.Load = func() ([]byte, error) { return tree.ReadPath(name) }
	}
	f.InPackage = pd.Package != ""
	return f, nil
}

// versionWarning says when a project's sourceApiVersion is missing or
// malformed (a warning; validated against the newest models) or older
// than every version byocpack has models for (an info; validated against
// the oldest, 47.0, whose elements a project of 46.0 or older mostly
// uses). A version newer than all of them is newerThanModels' to say.
func versionWarning(shown, sourceAPIVersion string) *versionNote {
	oldest, newest := modelRange()
	v, err := apiver.Parse(sourceAPIVersion)
	if err == nil && !v.Before(oldest) {
		return nil
	}
	file := display(shown, sfdx.ProjectFile)
	if err == nil {
		return &versionNote{sourceAPIVersion, diag.Problem{File: file, Severity: diag.Info, Rule: RuleAPIVersion,
			Message: fmt.Sprintf("sourceApiVersion %s is older than every API version byocpack has models for (%s to %s); its files were judged by %s, the oldest: an element that version lacks may still deploy at %s", sourceAPIVersion, oldest, newest, oldest, sourceAPIVersion)}}
	}
	what := fmt.Sprintf("sourceApiVersion %q is not an API version", sourceAPIVersion)
	if sourceAPIVersion == "" {
		what = "sfdx-project.json sets no sourceApiVersion"
	}
	return &versionNote{newest.String(), diag.Problem{File: file, Severity: diag.Warning, Rule: RuleAPIVersion,
		Message: fmt.Sprintf("%s; validated against %s instead: set sourceApiVersion or pass --api-version", what, newest)}}
}

// versionNote is what versionWarning says and the version the files are
// judged by instead.
type versionNote struct {
	use string
	diag.Problem
}

// modelRange is the oldest and newest API versions byocpack bundles
// content models for: validate judges a project at its own version
// between the two.
func modelRange() (oldest, newest apiver.Version) {
	vs := schemas.Bundled().Versions()
	oldest, _ = apiver.Parse(vs[0])
	newest, _ = apiver.Parse(vs[len(vs)-1])
	return oldest, newest
}

// newerThanModels is the one info a run gives when a project is newer
// than every version its models have (bundled and imported): it is judged
// by the newest, and what those do not know is a warning at the element.
// An info, so --strict still passes a clean project.
func newerThanModels(c *schemaChecker, version, file string) *diag.Problem {
	use, newer, ok := c.checker.Models.Resolve(version)
	if !ok || !newer {
		return nil
	}
	return &diag.Problem{File: file, Severity: diag.Info, Rule: RuleAPIVersion,
		Message: fmt.Sprintf("API %s is newer than every version byocpack has content models for; its files were judged by %s, the newest, and elements or values %s does not know are warnings: import the %s WSDL (Setup → API → Generate Metadata WSDL) with `byocpack schemas import metadata.wsdl` to judge them", version, use, use, version)}
}

// loose validates files named on the command line. If the working
// directory is a project, its sourceApiVersion, package directories,
// .forceignore, disabled rules and imported models still apply.
func (v *validation) loose(ctx context.Context, files []string) error {
	in := validate.Input{APIVersion: v.opts.APIVersion}
	var read input
	var pkgDirs []string
	var ign *sfdx.ForceIgnore
	root := base(v.opts.Dir)
	if p, err := sfdx.Load(root); err == nil {
		in.APIVersion, in.Namespace = versionOr(v.opts.APIVersion, p.SourceAPIVersion), p.Namespace
		for _, pd := range p.PackageDirectories {
			if pd.Package != "" {
				pkgDirs = append(pkgDirs, pd.Path)
			}
		}
		if ign, err = sfdx.LoadForceIgnore(root); err != nil {
			return err
		}
		data, _ := tree.ReadPath(filepath.Join(root, sfdx.ProjectFile))
		in.Disabled, read.problems = projectConfig(data, display(v.opts.Dir, sfdx.ProjectFile))
	}
	in.Disabled = append(in.Disabled, v.opts.Disable...)
	if _, err := apiver.Parse(in.APIVersion); err != nil {
		in.APIVersion = versionOr(v.opts.APIVersion, spec.LatestAPIVersion())
	}
	for _, name := range files {
		rel := relToDir(v.opts.Dir, name)
		if ign != nil && ign.Denies(rel) {
			continue
		}
		f, problem := typed(v.reg, nil, filepath.ToSlash(name), rel)
		if problem != nil {
			read.problems = append(read.problems, *problem)
			continue
		}
		f.Load = func() ([]byte, error) { return tree.ReadPath(name) }
		if f.Type == "" && validate.TypeOf(rel) == "" && !strings.HasSuffix(rel, "-meta.xml") {
			// Named explicitly, so say it was not checked rather than
			// count it as clean.
			read.problems = append(read.problems, diag.Problem{File: f.Path, Severity: diag.Warning, Rule: RuleNotMetadata,
				Message: "not a metadata file (no <Name>.<suffix>-meta.xml name), so only the secret scan applied; pass metadata files or a project directory"})
		}
		for _, d := range pkgDirs {
			if strings.HasPrefix(rel, strings.TrimSuffix(d, "/")+"/") {
				f.InPackage = true
			}
		}
		in.Files = append(in.Files, f)
	}
	checker := projectSchemas(root, v.mode())
	if p := newerThanModels(checker, in.APIVersion, sfdx.ProjectFile); p != nil && len(files) > 0 {
		read.problems = append(read.problems, *p)
	}
	read.problems, read.silenced = validate.Silence(read.problems, in.Disabled)
	return v.run(ctx, in, read, checker)
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
