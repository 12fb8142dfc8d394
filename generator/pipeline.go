package generator

// The pipeline, top to bottom. Every command is this one flow, started
// from a spec or from a tree on disk and stopped at a different point:
//
//	render:   spec → plan+render → open OUT → snapshot → next tree → validate (refuse on rendered files) → apply
//	build:    spec → plan+render → open OUT → snapshot → next tree → validate (refuse on any file) → secrets gate → convert+zip → apply (files and zips)
//	package:  open PROJECT → snapshot → validate (refuse on any file) → secrets gate → convert+zip → apply (zips)
//	validate: open PROJECT (finishing an interrupted run) → snapshot → validate
//
// The snapshot reads only what matters (sfdx-project.json, .forceignore,
// .gitignore, the package directories sfdx-project.json lists, the files
// byocpack owns) into memory; every later stage works on that tree, so
// what is zipped is exactly what was validated, and nothing the process
// wrote is ever read back. The apply is one journalled step (internal/outdir).

import (
	"bytes"
	"context"
	"errors"
	"fmt"
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

// Render turns a spec into a Salesforce DX project in opts.OutDir. Nothing
// is written when the spec is invalid or a rendered file breaks a schema
// or a BYOC rule: those come back as a ProblemList.
func Render(ctx context.Context, opts RenderOptions) (*RenderResult, error) {
	res, _, err := fromSpec(ctx, opts, nil)
	return res, publicError(err)
}

// Build renders the spec, validates the whole next tree (rendered files
// and the user's), zips its package directory, and writes the project and
// the zips (under dist/) in one step. Nothing is written when any step
// fails.
func Build(ctx context.Context, opts BuildOptions) (*BuildResult, error) {
	epoch := opts.SourceDateEpoch
	r, p, err := fromSpec(ctx, opts.Render, &zipping{epoch: epoch})
	if err != nil {
		return nil, publicError(err)
	}
	return &BuildResult{Render: r, Package: p}, nil
}

// beforePlan, set by tests only, runs between render's read of the
// output directory and the plan: where a user's edit during a run lands.
var beforePlan func()

// zipping asks fromSpec to package the tree too.
type zipping struct{ epoch *int64 }

func fromSpec(ctx context.Context, opts RenderOptions, z *zipping) (_ *RenderResult, _ *PackageResult, err error) {
	// Build zips in the background (step 5); a refusal stops it.
	ctx, cancel := context.WithCancel(ctx)
	defer cancel()
	// 1. Load the spec and plan its components; no disk beyond the spec.
	// The templates parse meanwhile, and the spec's content model decodes
	// while the output directory opens: each is a millisecond of a cold
	// start, and none depends on the others.
	newRenderer := async(render.New)
	s, err := spec.Load(opts.SpecFS, opts.SpecPath, opts.SpecDisplay)
	if err != nil {
		return nil, nil, err
	}
	go schemas.Bundled().Get(s.Package.APIVersion) // render and validate wait for it

	// 2. Open the output directory: wait for its lock, finish or undo an
	// interrupted run, read the manifest.
	out, err := outdir.Open(opts.OutDir, outdir.OpenOptions{Create: !opts.DryRun, LockWait: opts.LockWait, Done: ctx.Done()})
	if err != nil {
		return nil, nil, err
	}
	defer out.Close()
	defer func() { err = withRecovered(err, out.Recovered) }()
	renderer, err := newRenderer()
	if err != nil {
		return nil, nil, err
	}

	// 3. Render into memory, merging the user's sfdx-project.json and
	// .gitignore.
	project, err := out.ReadFile(sfdx.ProjectFile)
	if err != nil {
		return nil, nil, err
	}
	gitignore, err := out.ReadFile(".gitignore")
	if err != nil {
		return nil, nil, err
	}
	files, err := renderer.Render(s, project, gitignore)
	if err != nil {
		return nil, nil, err
	}

	// 4. Snapshot what matters on disk and lay the rendered files over it:
	// the tree as it will be.
	rendered := map[string]bool{}
	for _, f := range files {
		rendered[f.Path] = true
	}
	before, err := snapshot(ctx, out, project)
	if err != nil {
		return nil, nil, err
	}
	next := before.Tree.Clone()
	for _, f := range files {
		if f.Path == sfdx.ProjectFile {
			next.Set(f.Path, f.Data)
		}
	}
	nextSnap, err := nextSnapshot(before, next, opts.OutDir)
	if err != nil {
		return nil, nil, err
	}
	if err := readPackageDirs(ctx, out, nextSnap); err != nil {
		return nil, nil, err
	}
	for _, e := range out.Owned() {
		if e.Role == outdir.RoleRendered && !e.Merged && !rendered[e.Path] {
			next.Delete(e.Path) // stale: the plan removes it
		}
	}
	for _, f := range files {
		next.Set(f.Path, f.Data)
	}

	// 5. Validate the next tree. Render refuses only on the files it
	// writes; build zips the tree, so it refuses on any file. Build zips
	// the same tree meanwhile (step 6 takes the zips only if validation
	// lets the tree through; nothing is written before step 8).
	memo := secrets.NewMemo()
	var zipped func() (*pack.Result, error)
	if z != nil {
		// byocpack's own package directory, by its package name: the user
		// may mark another one default.
		zipped = startZip(ctx, nextSnap, opts.OutDir, pack.Options{SourceDateEpoch: z.epoch, PackageDir: s.Package.Name})
	}
	problems, err := validateTree(ctx, nextSnap, opts.OutDir, opts.Now, renderedParses(files), memo)
	if err != nil {
		return nil, nil, err
	}
	blocking := func(p diag.Problem) bool {
		if p.Severity != diag.Error {
			return false
		}
		if p.File == s.File {
			return true // a rendered file's problem, moved to its cause
		}
		rel, ok := relTo(opts.OutDir, p.File)
		return z != nil || !ok || rendered[rel]
	}
	var refused, reported []diag.Problem
	reported = append(reported, s.Notes...)
	for _, p := range problems {
		if rel, ok := relTo(opts.OutDir, p.File); ok && rendered[rel] {
			p = atSpec(s, p, rel)
		}
		if blocking(p) {
			refused = append(refused, p)
		} else {
			reported = append(reported, p)
		}
	}
	if len(refused) > 0 {
		return nil, nil, diag.List(diag.Sort(refused))
	}
	res := &RenderResult{Spec: s, Files: renderedFiles(files), Problems: reported, DryRun: opts.DryRun, Recovered: out.Recovered}
	for _, f := range files {
		if f.Path == sfdx.ProjectFile {
			res.ProjectChanges = f.Changes
		}
	}

	// 6. For build: the secrets gate, then convert and zip in memory.
	plan := make([]outdir.File, 0, len(files)+2)
	for _, f := range files {
		of := outdir.File{Path: f.Path, Data: f.Data, Merged: f.Merged}
		// A merged file is made from the user's file as step 3 read it:
		// one edited since is a conflict, never overwritten.
		switch {
		case f.Merged && f.Path == sfdx.ProjectFile:
			of.Base = outdir.BaseOf(project)
		case f.Merged && f.Path == ".gitignore":
			of.Base = outdir.BaseOf(gitignore)
		}
		plan = append(plan, of)
	}
	inputs := inputsDigest(nextSnap)
	var built *pack.Result
	if z != nil {
		if built, err = gateZip(nextSnap, opts.OutDir, s.Package.Name, memo, zipped); err != nil {
			return nil, nil, err
		}
		plan = append(plan, zipFiles(built, DistDirName, ".", inputs)...)
	}

	// 7. Plan against the manifest: rendered files replace the earlier
	// ones; a zip of this project is stale when the tree it was built from
	// is not the tree this run leaves.
	staleInputs := inputsDigest(before)
	var stale []string
	replaces := func(e outdir.Entry) bool {
		switch {
		case e.Role == outdir.RoleRendered:
			return true
		case e.Role == outdir.RoleZip && e.Project == ".":
			if z != nil {
				return true
			}
			if e.Inputs == inputs || (e.Inputs == "" && staleInputs == inputs) {
				return false
			}
			stale = append(stale, e.Path)
			return true
		}
		return false
	}
	if beforePlan != nil {
		beforePlan()
	}
	changes, err := out.Plan(plan, outdir.PlanOptions{Force: opts.Force, Replaces: replaces})
	if err != nil {
		return nil, nil, err
	}

	// 8. Apply: files, removals, zips and the manifest, as one step.
	if !opts.DryRun {
		if err := out.Apply(changes); err != nil {
			return nil, nil, err
		}
	}
	res.Changes = changesOf(changes.Result, removedOnly(stale, changes.Result.Removed))
	if built == nil {
		return res, nil, nil
	}
	return res, packageResult(built, opts.OutDir, DistDirName, reported, res.Changes, opts.DryRun, out.Recovered), nil
}

// Package validates a project's tree as it is on disk, converts its
// package directory to Metadata API format and writes package.zip and
// package-version-info.zip, reproducibly. Nothing is written when any file
// is refused.
func Package(ctx context.Context, opts PackageOptions) (*PackageResult, error) {
	res, err := packageProject(ctx, opts)
	return res, publicError(err)
}

func packageProject(ctx context.Context, opts PackageOptions) (_ *PackageResult, err error) {
	// The zips are made in the background (step 4); a refusal stops them.
	ctx, cancel := context.WithCancel(ctx)
	defer cancel()
	// 1. Where the zips go decides who owns them: the project's manifest
	// when they land inside the project, else the dist directory's own.
	dist := opts.DistDir
	if dist == "" {
		dist = filepath.Join(opts.ProjectDir, DistDirName)
	}
	// Compare where the paths really lead: a link must not smuggle the
	// zips into a package directory.
	distRel, inside := relTo(realPath(opts.ProjectDir), filepath.ToSlash(realPath(dist)))
	ownerDir, projectRel := opts.ProjectDir, "."
	if !inside {
		ownerDir, distRel = dist, "."
		r, err := filepath.Rel(absPath(dist), absPath(opts.ProjectDir))
		if err != nil {
			return nil, fmt.Errorf("%s: %v", opts.ProjectDir, err)
		}
		projectRel = filepath.ToSlash(r)
	}

	if fi, err := os.Stat(opts.ProjectDir); err != nil || !fi.IsDir() {
		return nil, fmt.Errorf("%s is not a directory; pass the directory that holds sfdx-project.json", opts.ProjectDir)
	}

	// 2. Open the project (and the dist directory, when it is another).
	proj, err := outdir.Open(opts.ProjectDir, outdir.OpenOptions{Create: inside && !opts.DryRun, LockWait: opts.LockWait, Done: ctx.Done()})
	if err != nil {
		return nil, err
	}
	defer proj.Close()
	var ownerRecovered string
	defer func() { err = withRecovered(err, proj.Recovered, ownerRecovered) }()
	if proj.Missing() {
		return nil, fmt.Errorf("%s does not exist; pass the directory that holds sfdx-project.json", opts.ProjectDir)
	}
	owner := proj
	if !inside {
		if owner, err = outdir.Open(ownerDir, outdir.OpenOptions{Create: !opts.DryRun, LockWait: opts.LockWait, Done: ctx.Done()}); err != nil {
			return nil, err
		}
		defer owner.Close()
		ownerRecovered = owner.Recovered
	}

	// 3. Snapshot the project.
	project, err := proj.ReadFile(sfdx.ProjectFile)
	if err != nil {
		return nil, err
	}
	if project == nil {
		return nil, fmt.Errorf("%s: not found: a Salesforce DX project needs %s at its root", filepath.Join(opts.ProjectDir, sfdx.ProjectFile), sfdx.ProjectFile)
	}
	snap, err := snapshot(ctx, proj, project)
	if err != nil {
		return nil, err
	}
	if inside {
		for _, pd := range snap.Project.PackageDirectories {
			// Without letter case: macOS and Windows disks fold it.
			if d, p := strings.ToLower(distRel), strings.ToLower(pd.Path); d == p || strings.HasPrefix(d, p+"/") || p == "." {
				return nil, &UsageError{Option: "DistDir", Value: dist, Msg: fmt.Sprintf("is inside the package directory %q: the zips would be packaged into the next version; write them outside it (the default is %s)", pd.Path, filepath.Join(opts.ProjectDir, DistDirName))}
			}
		}
	}

	// 4. Validate all of it: what is zipped is what was validated. The
	// zips are made in memory meanwhile; step 5 takes them only if
	// validation and the secrets gates let the tree through.
	memo := secrets.NewMemo()
	zipped := startZip(ctx, snap, opts.ProjectDir, pack.Options{SourceDateEpoch: opts.SourceDateEpoch, PackageDir: opts.PackageDir, CodeCoverage: opts.CodeCoverage})
	problems, err := validateTree(ctx, snap, opts.ProjectDir, opts.Now, nil, memo)
	if err != nil {
		return nil, err
	}
	if diag.HasErrors(problems, false) {
		var errs []diag.Problem
		for _, p := range problems {
			if p.Severity == diag.Error {
				errs = append(errs, p)
			}
		}
		return nil, diag.List(errs)
	}

	// 5. The secrets gate, then the zips.
	built, err := gateZip(snap, opts.ProjectDir, opts.PackageDir, memo, zipped)
	if err != nil {
		return nil, err
	}

	// 6. Plan and apply the zips in the owner's manifest; earlier zips of
	// this project elsewhere in it are stale.
	changes, err := owner.Plan(zipFiles(built, distRel, projectRel, inputsDigest(snap)), outdir.PlanOptions{
		Force:    opts.Force,
		Replaces: func(e outdir.Entry) bool { return e.Role == outdir.RoleZip && e.Project == projectRel },
	})
	if err != nil {
		return nil, err
	}
	if !opts.DryRun {
		if err := owner.Apply(changes); err != nil {
			return nil, err
		}
	}
	return packageResult(built, ownerDir, distRel, problems, changesOf(changes.Result, nil), opts.DryRun, strings.TrimSpace(proj.Recovered+" "+owner.Recovered)), nil
}

// snapshot reads the project in d whose sfdx-project.json holds project:
// the project files and every package directory, honouring .forceignore.
// A directory that does not exist yet gives an empty tree.
func snapshot(ctx context.Context, d *outdir.Dir, project []byte) (*sfdx.Snapshot, error) {
	t := tree.New()
	for _, name := range []string{sfdx.ForceIgnoreFile, ".gitignore"} {
		b, err := d.ReadFile(name)
		if err != nil {
			return nil, err
		}
		if b != nil {
			t.Set(name, b)
		}
	}
	if project == nil {
		return &sfdx.Snapshot{Project: &sfdx.Project{Dir: d.Path}, Ignore: &sfdx.ForceIgnore{}, Tree: t}, nil
	}
	t.Set(sfdx.ProjectFile, project)
	snap, err := sfdx.ParseSnapshot(t, d.Path)
	if err != nil {
		return nil, err
	}
	return snap, readPackageDirs(ctx, d, snap)
}

// readPackageDirs adds to the snapshot's tree the files on disk in its
// package directories that it does not hold yet.
func readPackageDirs(ctx context.Context, d *outdir.Dir, snap *sfdx.Snapshot) error {
	if d.Missing() {
		return nil
	}
	r := tree.NewReader(d.Path)
	r.Ctx = ctx
	if err := sfdx.ReadPackageDirs(r, snap.Project, snap.Ignore); err != nil {
		return err
	}
	for _, p := range r.Tree.Paths() {
		if _, ok := snap.Tree.Get(p); !ok && !isState(p) {
			b, _ := r.Tree.Get(p)
			snap.Tree.Set(p, b)
		}
	}
	return nil
}

func isState(p string) bool {
	return p == outdir.ManifestName || p == outdir.StateDirName || strings.HasPrefix(p, outdir.StateDirName+"/") || strings.Contains(p, "/"+outdir.StateDirName+"/")
}

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

// startZip converts the tree's package directory and builds both zips in
// memory, in the background: they wait for gateZip, and nothing of them
// leaves the process before it lets them through.
func startZip(ctx context.Context, snap *sfdx.Snapshot, shown string, opts pack.Options) func() (*pack.Result, error) {
	return async(func() (*pack.Result, error) {
		built, err := pack.Snapshot(ctx, snap, opts)
		if err != nil {
			return nil, fmt.Errorf("package %s: %w", shown, err)
		}
		return built, nil
	})
}

// gateZip runs the secrets gate on the package directory that goes into
// the zips, then waits for them and runs the gate on what the converter
// built. memo holds what validation found clean.
func gateZip(snap *sfdx.Snapshot, shown, packageDir string, memo *secrets.Memo, zipped func() (*pack.Result, error)) (*pack.Result, error) {
	if err := secretsGate(snap, shown, packageDir, memo); err != nil {
		return nil, err
	}
	built, err := zipped()
	if err != nil {
		return nil, err
	}
	if err := builtSecretsGate(built.Files, built.Descriptor, memo); err != nil {
		return nil, err
	}
	return built, nil
}

func zipFiles(built *pack.Result, dir, project, inputs string) []outdir.File {
	var out []outdir.File
	for _, a := range artifacts(built) {
		out = append(out, outdir.File{Path: path.Join(dir, a.Name), Data: a.Data, Role: outdir.RoleZip, Project: project, Inputs: inputs})
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
		if data, ok := snap.Tree.Get(p); ok {
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
// (a rebuild), that parse is taken rather than made again.
func nextSnapshot(before *sfdx.Snapshot, next *tree.Tree, shown string) (*sfdx.Snapshot, error) {
	same := func(name string) bool {
		b, bok := before.Tree.Get(name)
		n, nok := next.Get(name)
		return bok == nok && bytes.Equal(b, n)
	}
	if _, parsed := before.Tree.Get(sfdx.ProjectFile); parsed && same(sfdx.ProjectFile) && same(sfdx.ForceIgnoreFile) {
		p := *before.Project
		p.Dir = shown
		return &sfdx.Snapshot{Project: &p, Ignore: before.Ignore, Tree: next}, nil
	}
	return sfdx.ParseSnapshot(next, shown)
}
