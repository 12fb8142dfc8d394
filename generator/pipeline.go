package generator

// The commands, top to bottom. Each is a list of named steps over one run
// (the state below, filled in as the steps go); exec runs a list, checking
// for Ctrl-C between steps. Render and build differ in which steps run,
// never in a mode the steps are told:
//
//	render:   loadSpec openOutput renderFiles snapshotOutput layRendered validate(rendered) stageRendered planChanges apply
//	build:    loadSpec openOutput renderFiles snapshotOutput layRendered start(convertAndZip) validate(any) gateSecrets await(convertAndZip) gateBuilt stageRendered stageZips planChanges apply
//	package:  placeDist openProject openDist snapshotProject start(convertAndZip) validate(any) gateSecrets await(convertAndZip) gateBuilt stageZips planChanges apply
//	validate: openProject readProjectConfig streamValidate
//	fmt:      openProject readProjectConfig formatContext listMetaFiles formatFiles
//
// TestPipelineCommentListsTheSteps keeps these lines true. validate and
// fmt run their list once for each project directory among their targets
// (check.go, format.go); loose files and globs are read one by one without
// a workspace. validate(rendered) refuses only on the files render writes,
// validate(any) on any file; start(s) runs s in the background while the
// next steps run, until await(s).
//
// review, diff and doctor (generator/review, generator/diff,
// generator/doctor) are not lists here: each is two or three calls in its
// own package, none writes, and none needs a run's state. review is
// inspect.Load (a project through the same bounded reader,
// sfdx.ReadProjectContext, or a zip within the inspector's bounds) then
// the review of the loaded set; diff is inspect.Load of each side then
// the comparison; doctor is its own ordered list of checks (doctor.Run),
// each reporting pass, warn, fail or skip rather than stopping the run.
// Like openProject, inspect.Load takes a project's lock and finishes or
// undoes an interrupted run before reading (outdir.Open).
//
// The snapshot reads only what matters (sfdx-project.json, .forceignore,
// .gitignore, the package directories sfdx-project.json lists, the files
// byocpack owns) into memory; every later step works on that tree, so
// what is zipped is exactly what was validated, and nothing the process
// wrote is ever read back. A content file over tree.LazyOver (a large
// static resource or document) is hashed and scanned as it is read and
// held by that record only: the zip streams it from disk again and fails,
// naming it, when its digest differs. The apply is one journalled step
// (internal/outdir).
//
// A new command is a new list: reuse the steps below, add the ones it
// needs (a step does one thing to the run and says why), list it above,
// and test it over an fs.FS with the in-memory harness
// (memfs_test.go): set run.fsys and run the list up to planChanges.

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path"
	"path/filepath"
	"slices"
	"strings"
	"time"

	"github.com/byocpack/byocpack/generator/spec"
	"github.com/byocpack/byocpack/internal/diag"
	"github.com/byocpack/byocpack/internal/outdir"
	"github.com/byocpack/byocpack/internal/pack"
	"github.com/byocpack/byocpack/internal/render"
	"github.com/byocpack/byocpack/internal/secrets"
	"github.com/byocpack/byocpack/internal/sfdx"
	"github.com/byocpack/byocpack/internal/tree"
	"github.com/byocpack/byocpack/internal/validate"
	"github.com/byocpack/byocpack/internal/xmldoc"
	"github.com/byocpack/byocpack/internal/xsdcheck"
	"github.com/byocpack/byocpack/schemas"
)

var (
	renderSteps = []step{loadSpec, openOutput, renderFiles, snapshotOutput, layRendered, validateAll(refuseRendered),
		stageRendered, planChanges, apply}
	buildSteps = []step{loadSpec, openOutput, renderFiles, snapshotOutput, layRendered, start(convertAndZip), validateAll(refuseAny), gateSecrets, await(convertAndZip),
		gateBuilt, stageRendered, stageZips, planChanges, apply}
	packageSteps = []step{placeDist, openProject, openDist, snapshotProject, start(convertAndZip), validateAll(refuseAny), gateSecrets, await(convertAndZip),
		gateBuilt, stageZips, planChanges, apply}
)

// run is one command's state: what it was given, then what its steps
// make, in the order they make it.
type run struct {
	ctx context.Context

	// What the command was given.
	dir                   string // the directory the command reads: OUT (render, build) or the project
	specFS                fs.FS
	specPath, specDisplay string
	force, dryRun         bool
	now                   time.Time
	lockWait              time.Duration
	pack                  pack.Options // build, package
	distDir               string       // package: where the zips go ("": DIR/dist)
	// fsys, set by tests only, holds the project instead of dir on disk:
	// the in-memory harness (workspace).
	fsys fs.FS

	// What the steps make.
	ran       []string // the names of the steps that ran, in order
	closers   []func()
	recovered []string // what each open did about an interrupted run
	pending   map[string]func() error
	// memo holds what validation's secrets scan found clean: the gates
	// after it compare those bytes rather than scan them again.
	memo *secrets.Memo

	spec        *spec.Spec
	newRenderer func() (*render.Renderer, error)
	proj        *workspace // the project read
	out         *workspace // where the run writes: proj, or package's dist directory
	// distRel is where the zips go inside out; projectRel is the project
	// as out's manifest names it; createProject says the project is
	// written to (and made when missing).
	distRel, projectRel string
	createProject       bool
	project, gitignore  []byte // as read, before any merge
	files               []render.File
	rendered            map[string]bool
	before, snap        *sfdx.Snapshot // the tree on disk, and the tree validated and zipped
	reported            []diag.Problem // what did not refuse the run
	built               *pack.Result
	inputs              string // inputsDigest of snap, made with the zips
	writes              []outdir.File
	stale               []string
	plan                *outdir.Plan

	// validate and fmt: the call the run is part of, and what they read
	// of each project (check.go, format.go).
	val    *validation
	format *formatter
	fmtRun formatRun
}

// step is one named thing a command does to its run.
type step struct {
	name string
	do   func(*run) error
}

// exec runs steps in order until one fails or the context is canceled
// (checked between steps; long steps check it too), then closes what
// they opened.
func (r *run) exec(steps []step) error {
	// A step started in the background (start) stops when the run does.
	ctx, cancel := context.WithCancel(r.ctx)
	defer cancel()
	r.ctx = ctx
	if r.memo == nil {
		r.memo = secrets.NewMemo()
	}
	defer r.close()
	for _, s := range steps {
		if err := r.ctx.Err(); err != nil {
			return err
		}
		r.ran = append(r.ran, s.name)
		if err := s.do(r); err != nil {
			return err
		}
	}
	return nil
}

func (r *run) close() {
	for i := len(r.closers) - 1; i >= 0; i-- {
		r.closers[i]()
	}
	r.closers = nil
}

// start runs s in the background while the next steps run; await(s)
// waits for it and fails with its error. s must write only what no step
// between the two reads or writes.
func start(s step) step {
	return step{"start(" + s.name + ")", func(r *run) error {
		wait := async(func() (struct{}, error) { return struct{}{}, s.do(r) })
		if r.pending == nil {
			r.pending = map[string]func() error{}
		}
		r.pending[s.name] = func() error { _, err := wait(); return err }
		return nil
	}}
}

func await(s step) step {
	return step{"await(" + s.name + ")", func(r *run) error { return r.pending[s.name]() }}
}

// Render turns a spec into a Salesforce DX project in opts.OutDir. Nothing
// is written when the spec is invalid or a rendered file breaks a schema
// or a BYOC rule: those come back as a ProblemList.
func Render(ctx context.Context, opts RenderOptions) (*RenderResult, error) {
	r := specRun(ctx, opts)
	if err := r.exec(renderSteps); err != nil {
		return nil, publicError(withRecovered(err, r.recovered...))
	}
	return r.renderResult(), nil
}

// Build renders the spec, validates the whole next tree (rendered files
// and the user's), zips its package directory, and writes the project and
// the zips (under dist/) in one step. Nothing is written when any step
// fails.
func Build(ctx context.Context, opts BuildOptions) (*BuildResult, error) {
	r := specRun(ctx, opts.Render)
	r.pack.SourceDateEpoch = opts.SourceDateEpoch
	if err := r.exec(buildSteps); err != nil {
		return nil, publicError(withRecovered(err, r.recovered...))
	}
	res := r.renderResult()
	return &BuildResult{Render: res, Package: r.packageResult(res.Changes)}, nil
}

// Package validates a project's tree as it is on disk, converts its
// package directory to Metadata API format and writes package.zip and
// package-version-info.zip, reproducibly. Nothing is written when any file
// is refused.
func Package(ctx context.Context, opts PackageOptions) (*PackageResult, error) {
	r := &run{ctx: ctx, dir: opts.ProjectDir, distDir: opts.DistDir, force: opts.Force, dryRun: opts.DryRun, now: opts.Now, lockWait: opts.LockWait,
		pack: pack.Options{SourceDateEpoch: opts.SourceDateEpoch, PackageDir: opts.PackageDir, CodeCoverage: opts.CodeCoverage}}
	if err := r.exec(packageSteps); err != nil {
		return nil, publicError(withRecovered(err, r.recovered...))
	}
	return r.packageResult(changesOf(r.plan.Result, nil)), nil
}

func specRun(ctx context.Context, opts RenderOptions) *run {
	return &run{ctx: ctx, dir: opts.OutDir, specFS: opts.SpecFS, specPath: opts.SpecPath, specDisplay: opts.SpecDisplay,
		force: opts.Force, dryRun: opts.DryRun, now: opts.Now, lockWait: opts.LockWait, distRel: DistDirName, projectRel: "."}
}

func (r *run) renderResult() *RenderResult {
	res := &RenderResult{Spec: r.spec, Files: renderedFiles(r.files), Problems: r.reported, DryRun: r.dryRun, Recovered: r.recoveredNote()}
	for _, f := range r.files {
		if f.Path == sfdx.ProjectFile {
			res.ProjectChanges = f.Changes
		}
	}
	res.Changes = changesOf(r.plan.Result, removedOnly(r.stale, r.plan.Result.Removed))
	return res
}

func (r *run) packageResult(changes Changes) *PackageResult {
	return packageResult(r.built, r.out.path, r.distRel, r.reported, changes, r.dryRun, r.recoveredNote())
}

func (r *run) recoveredNote() string {
	return strings.Join(slices.DeleteFunc(slices.Clone(r.recovered), func(s string) bool { return s == "" }), " ")
}

// beforePlan, set by tests only, runs between render's read of the
// output directory and the plan: where a user's edit during a run lands.
var beforePlan func()

// beforeZip, set by tests only, runs after the snapshot was read (and its
// large content hashed and scanned) and before the zips are made.
var beforeZip func()

// loadSpec loads the spec and plans its components; no disk beyond the
// spec. The templates parse meanwhile, and the spec's content model
// decodes while the output directory opens: each is a millisecond of a
// cold start, and none depends on the others.
var loadSpec = step{"loadSpec", func(r *run) error {
	r.newRenderer = async(render.New)
	s, err := spec.Load(r.specFS, r.specPath, r.specDisplay)
	if err != nil {
		return err
	}
	go schemas.Bundled().Get(s.Package.APIVersion) // render and validate wait for it
	r.spec = s
	// byocpack's own package directory, by its package name: the user may
	// mark another one default.
	r.pack.PackageDir = s.Package.Name
	return nil
}}

// openOutput opens the output directory: waits for its lock, finishes or
// undoes an interrupted run, reads the manifest.
var openOutput = step{"openOutput", func(r *run) (err error) {
	r.out, err = r.open(r.dir, !r.dryRun)
	r.proj = r.out
	return err
}}

// renderFiles renders into memory, merging the user's sfdx-project.json
// and .gitignore.
var renderFiles = step{"renderFiles", func(r *run) error {
	renderer, err := r.newRenderer()
	if err != nil {
		return err
	}
	if r.project, err = r.out.ReadFile(sfdx.ProjectFile); err != nil {
		return err
	}
	if r.gitignore, err = r.out.ReadFile(".gitignore"); err != nil {
		return err
	}
	if r.files, err = renderer.Render(r.spec, r.project, r.gitignore); err != nil {
		return err
	}
	r.rendered = map[string]bool{}
	for _, f := range r.files {
		r.rendered[f.Path] = true
	}
	return nil
}}

// snapshotOutput reads what matters in the output directory as it is.
var snapshotOutput = step{"snapshotOutput", func(r *run) (err error) {
	r.before, err = snapshot(r.ctx, r.out, r.project, map[string][]byte{".gitignore": r.gitignore})
	return err
}}

// layRendered lays the rendered files over the snapshot: the tree as it
// will be, with the rendered files of an earlier run that this one no
// longer makes taken out (the plan removes them).
var layRendered = step{"layRendered", func(r *run) error {
	next := r.before.Tree.Clone()
	for _, f := range r.files {
		if f.Path == sfdx.ProjectFile {
			next.Set(f.Path, f.Data)
		}
	}
	snap, same, err := nextSnapshot(r.before, next, r.dir)
	if err != nil {
		return err
	}
	// A project that lists other package directories than the one on
	// disk (the first build, say) has folders the snapshot did not read.
	if !same {
		if err := readPackageDirs(r.ctx, r.out, snap); err != nil {
			return err
		}
	}
	for _, e := range r.out.Owned() {
		if e.Role == outdir.RoleRendered && !e.Merged && !r.rendered[e.Path] {
			next.Delete(e.Path)
		}
	}
	for _, f := range r.files {
		next.Set(f.Path, f.Data)
	}
	r.snap = snap
	return nil
}}

// refusal says which of validation's errors stop a run.
type refusal struct {
	name    string
	refuses func(r *run, p diag.Problem) bool
}

var (
	// refuseAny: a run that zips the tree refuses on any file's error.
	refuseAny = refusal{"any", func(*run, diag.Problem) bool { return true }}
	// refuseRendered: render refuses only on the files it writes (and on
	// what it cannot place); the user's own files are theirs to fix.
	refuseRendered = refusal{"rendered", func(r *run, p diag.Problem) bool {
		if p.File == r.spec.File {
			return true // a rendered file's problem, moved to its cause
		}
		rel, ok := relTo(r.dir, p.File)
		return !ok || r.rendered[rel]
	}}
)

// validateAll validates the whole tree the run holds: what is zipped is
// what was validated. A rendered file's problem is moved to the spec key
// that caused it. Errors that refuse stop the run; the rest is reported.
func validateAll(refuse refusal) step {
	return step{"validate(" + refuse.name + ")", func(r *run) error {
		var parsed func([]byte) *xmldoc.Document
		if r.files != nil {
			parsed = renderedParses(r.files)
		}
		problems, err := validateTree(r.ctx, r.snap, r.dir, r.now, parsed, r.memo)
		if err != nil {
			return err
		}
		var refused []diag.Problem
		if r.spec != nil {
			r.reported = append(r.reported, r.spec.Notes...)
		}
		for _, p := range problems {
			if rel, ok := relTo(r.dir, p.File); ok && r.rendered[rel] {
				p = atSpec(r.spec, p, rel)
			}
			if p.Severity == diag.Error && refuse.refuses(r, p) {
				refused = append(refused, p)
			} else {
				r.reported = append(r.reported, p)
			}
		}
		if len(refused) > 0 {
			return diag.List(diag.Sort(refused))
		}
		return nil
	}}
}

// gateSecrets refuses a package directory that holds a secret, on the
// exact bytes that are zipped (gate.go). After validation, whose scan of
// the same bytes it shares (run.memo).
var gateSecrets = step{"gateSecrets", func(r *run) error {
	return secretsGate(r.snap, r.dir, r.pack.PackageDir, r.memo)
}}

// convertAndZip converts the package directory and zips both zips in
// memory. Build and package start it while they validate: nothing is
// taken from the zips unless validation and the gates let the tree
// through, and nothing is written before apply.
var convertAndZip = step{"convertAndZip", func(r *run) error {
	if beforeZip != nil {
		beforeZip()
	}
	built, err := pack.Snapshot(r.ctx, r.snap, r.pack)
	if err != nil {
		return fmt.Errorf("package %s: %w", r.dir, err)
	}
	r.built, r.inputs = built, inputsDigest(r.snap)
	return nil
}}

// gateBuilt scans what the converter made rather than copied, as it goes
// into the zips (gate.go).
var gateBuilt = step{"gateBuilt", func(r *run) error {
	return builtSecretsGate(r.built, r.memo)
}}

// stageRendered adds the rendered files to what the run writes. A merged
// file is made from the user's file as renderFiles read it: one edited
// since is a conflict, never overwritten.
var stageRendered = step{"stageRendered", func(r *run) error {
	for _, f := range r.files {
		of := outdir.File{Path: f.Path, Data: f.Data, Merged: f.Merged}
		switch {
		case f.Merged && f.Path == sfdx.ProjectFile:
			of.Base = outdir.BaseOf(r.project)
		case f.Merged && f.Path == ".gitignore":
			of.Base = outdir.BaseOf(r.gitignore)
		}
		r.writes = append(r.writes, of)
	}
	return nil
}}

// stageZips adds the zips to what the run writes, each recording the
// digest of the tree it was built from.
var stageZips = step{"stageZips", func(r *run) error {
	r.writes = append(r.writes, zipFiles(r.built, r.distRel, r.projectRel, r.inputs)...)
	return nil
}}

// planChanges plans the writes against the manifest: rendered files
// replace the earlier ones; zips of this project replace the earlier ones
// when the run makes zips, and otherwise are stale, and removed, when the
// tree they were built from is not the tree this run leaves.
var planChanges = step{"planChanges", func(r *run) (err error) {
	inputs, staleInputs := "", ""
	replaces := func(e outdir.Entry) bool {
		switch {
		case e.Role == outdir.RoleRendered:
			return r.spec != nil
		case e.Role == outdir.RoleZip && e.Project == r.projectRel:
			if r.built != nil {
				return true
			}
			if inputs == "" {
				inputs, staleInputs = inputsDigest(r.snap), inputsDigest(r.before)
			}
			if e.Inputs == inputs || (e.Inputs == "" && staleInputs == inputs) {
				return false
			}
			r.stale = append(r.stale, e.Path)
			return true
		}
		return false
	}
	if beforePlan != nil {
		beforePlan()
	}
	r.plan, err = r.out.dir.Plan(r.writes, outdir.PlanOptions{Force: r.force, Replaces: replaces, Read: r.readEarlier()})
	return err
}}

// apply writes files, removals, zips and the manifest as one step.
var apply = step{"apply", func(r *run) error {
	if r.dryRun {
		return nil
	}
	return r.out.dir.Apply(r.plan)
}}

// placeDist works out where package's zips go, which decides who owns
// them: the project's manifest when they land inside the project, else
// the dist directory's own.
var placeDist = step{"placeDist", func(r *run) error {
	dist := r.distDir
	if dist == "" {
		dist = filepath.Join(r.dir, DistDirName)
	}
	r.distDir = dist
	// Compare where the paths really lead: a link must not smuggle the
	// zips into a package directory.
	distRel, inside := relTo(realPath(r.dir), filepath.ToSlash(realPath(dist)))
	r.distRel, r.projectRel, r.createProject = distRel, ".", inside && !r.dryRun
	if !inside {
		rel, err := filepath.Rel(absPath(dist), absPath(r.dir))
		if err != nil {
			return fmt.Errorf("%s: %v", r.dir, err)
		}
		r.distRel, r.projectRel = ".", filepath.ToSlash(rel)
	}
	return nil
}}

// openProject opens the project directory: waits for its lock and
// finishes or undoes an interrupted byocpack run there.
var openProject = step{"openProject", func(r *run) (err error) {
	if !r.isDirectory(r.dir) {
		return fmt.Errorf("%s is not a directory; pass the directory that holds sfdx-project.json", r.dir)
	}
	if r.proj, err = r.open(r.dir, r.createProject); err != nil {
		return err
	}
	if r.proj.Missing() {
		return fmt.Errorf("%s does not exist; pass the directory that holds sfdx-project.json", r.dir)
	}
	r.out = r.proj
	return nil
}}

// isDirectory reports whether dir is a directory (the root of an fs.FS
// always is).
func (r *run) isDirectory(dir string) bool {
	if r.fsys != nil {
		return true
	}
	fi, err := os.Stat(dir)
	return err == nil && fi.IsDir()
}

// openDist opens package's dist directory when it lies outside the
// project.
var openDist = step{"openDist", func(r *run) (err error) {
	if r.projectRel != "." {
		r.out, err = r.open(r.distDir, !r.dryRun)
	}
	return err
}}

// snapshotProject reads the project as it is; the zips must not land in
// one of its package directories.
var snapshotProject = step{"snapshotProject", func(r *run) error {
	project, err := r.proj.ReadFile(sfdx.ProjectFile)
	if err != nil {
		return err
	}
	if project == nil {
		return fmt.Errorf("%s: not found: a Salesforce DX project needs %s at its root", filepath.Join(r.dir, sfdx.ProjectFile), sfdx.ProjectFile)
	}
	if r.snap, err = snapshot(r.ctx, r.proj, project, nil); err != nil {
		return err
	}
	if r.projectRel != "." {
		return nil // the zips go outside the project
	}
	for _, pd := range r.snap.Project.PackageDirectories {
		// Without letter case: macOS and Windows disks fold it.
		if d, p := strings.ToLower(r.distRel), strings.ToLower(pd.Path); d == p || strings.HasPrefix(d, p+"/") || p == "." {
			return &UsageError{Option: "DistDir", Value: r.distDir, Msg: fmt.Sprintf("is inside the package directory %q: the zips would be packaged into the next version; write them outside it (the default is %s)", pd.Path, filepath.Join(r.dir, DistDirName))}
		}
	}
	return nil
}}

// validateTree runs the checks `byocpack validate` runs on every file of
// every package directory of the tree, reporting them at the paths they
// have (or will have) on disk under shown.
// parsed, when set, hands over parses render already made.
// memo receives what the secrets scan found clean, for the gates.
func validateTree(ctx context.Context, snap *sfdx.Snapshot, shown string, now time.Time, parsed func([]byte) *xmldoc.Document, memo *secrets.Memo) ([]diag.Problem, error) {
	in, problems := treeInput(registryOf(), snap, shown, "")
	in.Now = now
	ps, err := validate.Run(ctx, in, validate.Options{Schema: projectSchemas(shown, xsdcheck.Deploy), Parsed: parsed, Secrets: memo})
	if err != nil {
		if errors.Is(err, context.Canceled) || errors.Is(err, context.DeadlineExceeded) {
			return nil, err
		}
		return nil, fmt.Errorf("validate %s: %w", shown, err)
	}
	return diag.Sort(append(problems, ps...)), nil
}

func zipFiles(built *pack.Result, dir, project, inputs string) []outdir.File {
	var out []outdir.File
	for _, a := range artifacts(built) {
		out = append(out, outdir.File{Path: path.Join(dir, a.Name), Data: a.Data, SHA256: a.SHA256, Role: outdir.RoleZip, Project: project, Inputs: inputs})
	}
	return out
}

func packageResult(built *pack.Result, dir, rel string, problems []diag.Problem, changes Changes, dryRun bool, recovered string) *PackageResult {
	res := &PackageResult{Components: len(built.Components), Notes: built.Notes, Problems: problems, Changes: changes, DryRun: dryRun, Recovered: recovered}
	for _, a := range artifacts(built) {
		res.Artifacts = append(res.Artifacts, Artifact{Name: a.Name, Path: filepath.Join(dir, filepath.FromSlash(path.Join(rel, a.Name))), SHA256: a.SHA256, Size: len(a.Data)})
	}
	return res
}

// inputsDigest is the digest of what a zip is built from: the project
// files and every packaged package directory.
func inputsDigest(snap *sfdx.Snapshot) string {
	var b strings.Builder
	add := func(p string) {
		if l := snap.Tree.Lazy(p); l != nil {
			fmt.Fprintf(&b, "%s\x00%s\n", p, l.Digest())
		} else if data, ok := snap.Tree.Get(p); ok {
			fmt.Fprintf(&b, "%s\x00%s\n", p, outdir.Digest(data))
		}
	}
	add(sfdx.ProjectFile)
	add(sfdx.ForceIgnoreFile)
	for _, pd := range snap.Project.PackageDirectories {
		if pd.Package == "" {
			continue
		}
		for _, p := range snap.Tree.Under(pd.Path) {
			add(p)
		}
	}
	return outdir.Digest([]byte(b.String()))
}

// relTo returns p (slash-separated, as shown in messages) relative to dir,
// and whether it lies inside dir.
func relTo(dir, p string) (string, bool) {
	r, err := filepath.Rel(absPath(dir), absPath(filepath.FromSlash(p)))
	if err != nil {
		return "", false
	}
	r = filepath.ToSlash(r)
	if r == ".." || strings.HasPrefix(r, "../") {
		return "", false
	}
	return r, true
}

func absPath(p string) string {
	a, err := filepath.Abs(p)
	if err != nil {
		return filepath.Clean(p)
	}
	return a
}

func removedOnly(candidates, removed []string) []string {
	var out []string
	for _, c := range candidates {
		if slices.Contains(removed, c) {
			out = append(out, c)
		}
	}
	slices.Sort(out)
	return out
}

// artifacts are the zips built: a first-generation package, or a Local
// app, has no version-info zip.
func artifacts(built *pack.Result) []pack.Artifact {
	out := []pack.Artifact{built.Package}
	if built.VersionInfo.Data != nil {
		out = append(out, built.VersionInfo)
	}
	return out
}

// specCauses names the spec key whose value a rule judges in a rendered
// file: such a problem is the spec's, so it is reported there, at the
// key's line and column, with the file it would have reached.
func specCauses() map[string]string {
	return map[string]string{
		"BYOC-CERT":                "app.certificate",
		"BYOC-CERT-VALIDITY":       "app.certificate",
		"BYOC-JWT-NAMED-USER":      "app.certificate",
		"BYOC-API-VERSION-FIELD":   "package.apiVersion",
		"BYOC-SCOPES":              "app.scopes",
		"BYOC-SCOPE-TOKEN":         "app.scopes",
		"BYOC-REFRESH-TOKEN":       "app.scopes",
		"BYOC-ECA-PACKAGED":        "app.distributionState",
		"BYOC-CONNECTED-APP-1GP":   "app.type",
		"BYOC-CCD-CONSENT-ROUTING": "channel.consentOwner",
		"BYOC-CCD-DOUBLE-OPT-IN":   "channel.features.doubleOptInConsent",
		"BYOC-ORG-SCOPED-ID":       "app.orgScopedExternalApp",
	}
}

func atSpec(s *spec.Spec, p diag.Problem, rel string) diag.Problem {
	key, ok := specCauses()[p.Rule]
	if !ok {
		return p
	}
	line, col := s.Position(key)
	if line == 0 {
		// A default the spec did not write: the key's parent, or the top.
		line, col = 1, 1
	}
	p.File, p.Line, p.Column = s.File, line, col
	p.Message = fmt.Sprintf("%s: %s (in the generated %s)", key, p.Message, rel)
	return p
}

// realPath resolves the links of p's deepest existing ancestor and keeps
// the rest as written, so a directory not made yet still compares.
func realPath(p string) string {
	abs := absPath(p)
	rest := ""
	for cur := abs; ; cur = filepath.Dir(cur) {
		if r, err := filepath.EvalSymlinks(cur); err == nil {
			return filepath.Join(r, rest)
		}
		if filepath.Dir(cur) == cur {
			return abs
		}
		rest = filepath.Join(filepath.Base(cur), rest)
	}
}

// async runs f in a goroutine and returns a function that waits for its
// result, for steps that depend on nothing running meanwhile.
func async[T any](f func() (T, error)) func() (T, error) {
	done := make(chan struct{})
	var v T
	var err error
	go func() {
		defer close(done)
		v, err = f()
	}()
	return func() (T, error) {
		<-done
		return v, err
	}
}

// renderedParses looks up render's parse of a file by its bytes: the very
// slice render made (same first byte, same length), which the tree hands
// on to the validator unchanged, so no rendered file is parsed twice.
// Bytes from anywhere else (the user's own files) find nothing.
func renderedParses(files []render.File) func([]byte) *xmldoc.Document {
	type key struct {
		first *byte
		n     int
	}
	docs := map[key]*xmldoc.Document{}
	for _, f := range files {
		if f.Doc != nil && len(f.Data) > 0 {
			docs[key{&f.Data[0], len(f.Data)}] = f.Doc
		}
	}
	return func(data []byte) *xmldoc.Document {
		if len(data) == 0 {
			return nil
		}
		return docs[key{&data[0], len(data)}]
	}
}

// nextSnapshot parses the tree as it will be. When its sfdx-project.json
// and .forceignore are the very bytes already parsed for the tree on disk
// (a rebuild), that parse is taken rather than made again, and same says
// so: the package directories are the ones the snapshot read.
func nextSnapshot(before *sfdx.Snapshot, next *tree.Tree, shown string) (_ *sfdx.Snapshot, same bool, _ error) {
	unchanged := func(name string) bool {
		b, bok := before.Tree.Get(name)
		n, nok := next.Get(name)
		return bok == nok && bytes.Equal(b, n)
	}
	if _, parsed := before.Tree.Get(sfdx.ProjectFile); parsed && unchanged(sfdx.ProjectFile) && unchanged(sfdx.ForceIgnoreFile) {
		p := *before.Project
		p.Dir = shown
		return &sfdx.Snapshot{Project: &p, Ignore: before.Ignore, Tree: next}, true, nil
	}
	snap, err := sfdx.ParseSnapshot(next, shown)
	return snap, false, err
}

// readEarlier gives the plan the bytes the snapshot read of a file in the
// output directory, so that a rebuild does not read its files again to
// plan (outdir.PlanOptions.Read).
func (r *run) readEarlier() func(string) ([]byte, bool) {
	disk := r.before
	if disk == nil {
		disk = r.snap // package: the project as read, nothing laid over it
	}
	if disk == nil || r.out != r.proj && r.spec == nil {
		return nil // the zips go to a directory the run did not read
	}
	return func(rel string) ([]byte, bool) { return disk.Tree.Get(rel) }
}
