package generator

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"slices"
	"strings"

	"github.com/byocpack/byocpack/internal/apiver"
	"github.com/byocpack/byocpack/internal/fserr"
	"github.com/byocpack/byocpack/internal/fsutil"
	"github.com/byocpack/byocpack/internal/model"
	"github.com/byocpack/byocpack/internal/outdir"
	"github.com/byocpack/byocpack/internal/registry"
	"github.com/byocpack/byocpack/internal/sfdx"
	"github.com/byocpack/byocpack/internal/tree"
	"github.com/byocpack/byocpack/internal/xmldoc"
	"github.com/byocpack/byocpack/internal/xsdcheck"
)

// FormatOptions are the inputs of Format.
type FormatOptions struct {
	// Targets are project directories (their package directories are
	// formatted, .forceignore honoured), other directories (every
	// *-meta.xml below them), files or doublestar globs, relative to Dir.
	// Empty means Dir itself.
	Targets []string
	// Dir is the directory relative targets are taken from, and whose
	// project gives loose files their API version; empty means the
	// process's working directory.
	Dir string
	// Check reports what would change and writes nothing.
	Check bool
	// APIVersion overrides the projects' sourceApiVersion.
	APIVersion string
}

// FormatStatus is what Format did with one file.
type FormatStatus string

// Statuses of a formatted file.
const (
	// Formatted: rewritten (or, with Check, would be).
	Formatted FormatStatus = "formatted"
	// Unchanged: already in retrieve order and layout.
	Unchanged FormatStatus = "unchanged"
	// Left: not rewritten, for the reason given (comments, an element the
	// models do not know, a symbolic link); nothing is wrong with that.
	Left FormatStatus = "left"
	// Failed: not rewritten because it could not be read, parsed or
	// written.
	Failed FormatStatus = "failed"
)

// FormattedFile is one file Format looked at.
type FormattedFile struct {
	Path   string       `json:"path"`
	Status FormatStatus `json:"status"`
	Reason string       `json:"reason,omitempty"`
}

// FormatResult lists the files Format looked at, sorted by path.
type FormatResult struct {
	Files []FormattedFile
	// WithoutModel counts metadata files of types byocpack has no content
	// model for, found in directories and left as they are.
	WithoutModel int
	// NotFormattedTypes are the metadata types of the files found in
	// directories that fmt does not format, sorted: validate judges them,
	// but their retrieve order is not proven on real files yet.
	NotFormattedTypes []string
	Recovered         []string
}

// Count returns how many files have status s.
func (r *FormatResult) Count(s FormatStatus) int {
	n := 0
	for _, f := range r.Files {
		if f.Status == s {
			n++
		}
	}
	return n
}

// Format rewrites metadata files into the element order a Salesforce
// retrieve writes (the WSDL's sequence) and its layout (declaration,
// four-space indent, LF, final newline, empty elements self-closed), with
// the serializer render writes through: a reordered generated file comes
// back byte for byte as render wrote it. Every value is kept byte for
// byte. A file with comments, processing instructions or elements the
// models do not know is left as it is and reported; one that cannot be
// parsed is never touched. Only the files the targets name are written,
// each atomically (a temporary file in its directory, then a rename).
func Format(ctx context.Context, opts FormatOptions) (*FormatResult, error) {
	if opts.APIVersion != "" {
		if v, err := apiver.Parse(opts.APIVersion); err != nil || v.Before(apiver.Oldest()) {
			return nil, &UsageError{Option: "APIVersion", Value: opts.APIVersion, Msg: fmt.Sprintf("not a version byocpack can format for; use %s or newer", apiver.Oldest())}
		}
	}
	f := &formatter{opts: opts, reg: registry.New(), res: &FormatResult{}, dirs: map[string]bool{}}
	loose, err := eachTarget(ctx, inDir(opts.Dir, opts.Targets), func(dir string) error { return f.dir(ctx, dir) })
	if err != nil {
		return nil, err
	}
	if len(loose) > 0 {
		version, set, err := f.context(base(opts.Dir))
		if err != nil {
			return nil, err
		}
		for _, name := range loose {
			if err := ctx.Err(); err != nil {
				return nil, err
			}
			f.file(name, relToDir(opts.Dir, name), version, set, true)
		}
	}
	if !opts.Check {
		// A fmt killed between writing a file's new copy and renaming it
		// over the file left the copy (.X-meta.xml.byocpack-tmp-N): the
		// file itself is the old one or the new one, the copy is waste.
		for dir := range f.dirs {
			fsutil.RemoveStaleTemps(dir, func(base string) bool { return strings.HasSuffix(base, "-meta.xml") })
		}
	}
	slices.SortFunc(f.res.Files, func(a, b FormattedFile) int { return strings.Compare(a.Path, b.Path) })
	f.res.Files = slices.CompactFunc(f.res.Files, func(a, b FormattedFile) bool { return a.Path == b.Path })
	return f.res, nil
}

type formatter struct {
	opts FormatOptions
	reg  *registry.Registry
	res  *FormatResult
	// dirs are the directories of the files looked at, where the
	// temporary files of a killed fmt are removed.
	dirs map[string]bool
}

// context is the API version and the models files under dir are formatted
// with: dir's sfdx-project.json and imports when it is a project, the
// working directory's otherwise.
func (f *formatter) context(dir string) (string, *model.Set, error) {
	source := ""
	if f.opts.APIVersion == "" {
		if p, err := sfdx.Load(dir); err == nil {
			source = p.SourceAPIVersion
		}
	}
	return f.contextAt(dir, source)
}

// contextAt is context for a project whose sourceApiVersion is source.
func (f *formatter) contextAt(dir, source string) (string, *model.Set, error) {
	set, err := projectModels(dir)
	if err != nil {
		return "", nil, err
	}
	version := versionOr(f.opts.APIVersion, source)
	// Like validate, a project older than the versions byocpack renders
	// is formatted by the newest models (the older models are there, for
	// the checks that will judge such projects by their own version).
	if _, _, ok := set.Resolve(version); !ok || olderThanRendered(version) {
		version = set.Newest()
	}
	return version, set, nil
}

// dir formats a project's package directories or, in a directory that is
// no project, every *-meta.xml below it.
func (f *formatter) dir(ctx context.Context, dir string) error {
	if _, err := os.Stat(filepath.Join(dir, sfdx.ProjectFile)); err != nil {
		version, set, err := f.context(base(f.opts.Dir))
		if err != nil {
			return err
		}
		return filepath.WalkDir(dir, func(p string, d fs.DirEntry, err error) error {
			if err != nil {
				return err
			}
			if cerr := ctx.Err(); cerr != nil {
				return cerr
			}
			if d.IsDir() {
				if base := d.Name(); p != dir && (base == ".git" || base == "node_modules" || base == outdir.StateDirName) {
					return filepath.SkipDir
				}
				return nil
			}
			if strings.HasSuffix(p, "-meta.xml") {
				f.file(p, filepath.ToSlash(p), version, set, false)
			}
			return nil
		})
	}
	// A project: finish or undo an interrupted byocpack run and hold the
	// lock, so fmt never races a render.
	r := &run{ctx: ctx, dir: dir, format: f}
	err := r.exec(fmtSteps)
	if n := r.recoveredNote(); n != "" {
		f.res.Recovered = append(f.res.Recovered, dir+": "+n)
	}
	return publicError(err)
}

// fmtSteps are fmt's, for each project directory it is given.
var fmtSteps = []step{openProject, readProjectConfig, formatContext, listMetaFiles, formatFiles}

// formatRun is what fmt's steps read of a project.
type formatRun struct {
	version string
	models  *model.Set
	listed  []string
}

// formatContext is the API version and models the project is formatted
// with: its sourceApiVersion (readProjectConfig read it) unless the call
// gives one.
var formatContext = step{"formatContext", func(r *run) (err error) {
	r.fmtRun.version, r.fmtRun.models, err = r.format.contextAt(r.dir, r.snap.Project.SourceAPIVersion)
	return err
}}

// listMetaFiles lists the *-meta.xml files of the package directories,
// honouring .forceignore.
var listMetaFiles = step{"listMetaFiles", func(r *run) error {
	rd := r.proj.reader(r.ctx)
	rd.ListOnly = true
	if err := sfdx.ReadPackageDirs(rd, r.snap.Project, r.snap.Ignore); err != nil {
		return err
	}
	for _, rel := range rd.Tree.Paths() {
		if !isState(rel) && strings.HasSuffix(rel, "-meta.xml") {
			r.fmtRun.listed = append(r.fmtRun.listed, rel)
		}
	}
	return nil
}}

// formatFiles formats each listed file, each written on its own
// (atomically) when it changes.
var formatFiles = step{"formatFiles", func(r *run) error {
	for _, rel := range r.fmtRun.listed {
		if err := r.ctx.Err(); err != nil {
			return err
		}
		r.format.file(filepath.Join(r.dir, filepath.FromSlash(rel)), rel, r.fmtRun.version, r.fmtRun.models, false)
	}
	return nil
}}

// file formats one file; named says the user named it, so a type without
// a model is reported rather than counted.
func (f *formatter) file(name, rel, version string, set *model.Set, named bool) {
	shown := filepath.ToSlash(name)
	add := func(s FormatStatus, reason string) {
		f.res.Files = append(f.res.Files, FormattedFile{Path: shown, Status: s, Reason: reason})
	}
	typ := ""
	if sf, err := sfdx.Infer(f.reg, rel); err == nil && sf.Type != nil && (sf.Kind == sfdx.MetaXML || sf.Kind == sfdx.Child) {
		typ = sf.Type.Name
	}
	use, newer, _ := set.Resolve(version)
	m, err := set.Get(use)
	if err != nil {
		add(Failed, err.Error())
		return
	}
	if typ == "" || !xsdcheck.Formatted(typ) || m.Root(typ) == nil {
		switch {
		case named && typ == "":
			add(Left, "its type could not be inferred from its name")
		case named && m.Root(typ) == nil:
			add(Left, fmt.Sprintf("API %s has no content model for %s", m.Version, typ))
		case named:
			add(Left, fmt.Sprintf("fmt does not format %s files: their retrieve order is not proven on real files (docs/rules.md, \"What fmt formats\"); validate still judges them", typ))
		case typ != "":
			f.res.WithoutModel++
			if i, found := slices.BinarySearch(f.res.NotFormattedTypes, typ); !found {
				f.res.NotFormattedTypes = slices.Insert(f.res.NotFormattedTypes, i, typ)
			}
		}
		return
	}
	fi, err := os.Lstat(name)
	if err != nil {
		add(Failed, fmt.Sprintf("cannot read it: %v", fserr.Cause(err)))
		return
	}
	f.dirs[filepath.Dir(name)] = true
	if fi.Mode()&fs.ModeSymlink != 0 {
		add(Left, "it is a symbolic link; fmt rewrites only regular files")
		return
	}
	data, err := tree.ReadPath(name)
	if err != nil {
		add(Failed, fmt.Sprintf("cannot read it: %v", fserr.Cause(err)))
		return
	}
	doc, err := xmldoc.Parse(data)
	if err != nil {
		add(Failed, "not well-formed XML, so it was not touched: "+asSyntax(err))
		return
	}
	out, err := xsdcheck.Format(m, typ, doc)
	var nf *xsdcheck.NotFormatted
	if errors.As(err, &nf) {
		reason := nf.Reason
		if nf.Line > 0 {
			reason = fmt.Sprintf("line %d: %s", nf.Line, reason)
		}
		if newer {
			reason += fmt.Sprintf(" (the project is at %s, newer than every version byocpack has: import its WSDL with `byocpack schemas import metadata.wsdl`)", version)
		}
		add(Left, reason)
		return
	}
	if err != nil {
		add(Failed, err.Error())
		return
	}
	if bytes.Equal(out, data) {
		add(Unchanged, "")
		return
	}
	if !f.opts.Check {
		if beforeFormatWrite != nil {
			beforeFormatWrite(name)
		}
		if !stillAsRead(name, fi, data) {
			add(Failed, "it changed while fmt ran, so it was left as it is: run fmt again")
			return
		}
		if err := fsutil.WriteFile(filepath.Dir(name), filepath.Base(name), out, fi.Mode().Perm(), true); err != nil {
			add(Failed, fmt.Sprintf("cannot write it: %v", fserr.Cause(err)))
			return
		}
	}
	add(Formatted, "")
}

func asSyntax(err error) string {
	if se, ok := err.(*xmldoc.SyntaxError); ok {
		return fmt.Sprintf("line %d: %s", se.Line, se.Msg)
	}
	return err.Error()
}

// beforeFormatWrite, set by tests only, runs between fmt's read of a file
// and its write: where a user's edit during a run lands.
var beforeFormatWrite func(name string)

// stillAsRead reports whether name is still the file fmt read (fi, data):
// the same file, size and time, with the same bytes. An edit made since
// is never overwritten with the formatted old content.
func stillAsRead(name string, fi fs.FileInfo, data []byte) bool {
	now, err := os.Lstat(name)
	if err != nil || !os.SameFile(fi, now) || now.Size() != fi.Size() || !now.ModTime().Equal(fi.ModTime()) {
		return false
	}
	cur, err := tree.ReadPath(name)
	return err == nil && bytes.Equal(cur, data)
}

// olderThanRendered reports whether v is a version older than every one
// byocpack renders (apiver.Oldest).
func olderThanRendered(v string) bool {
	pv, err := apiver.Parse(v)
	return err == nil && pv.Before(apiver.Oldest())
}
