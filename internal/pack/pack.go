// Package pack builds the artifacts of `sf package version create` without
// the CLI: package.zip (the Metadata API tree plus package.xml) and
// package-version-info.zip (package.zip plus package2-descriptor.json),
// reproducibly: the same project gives the same bytes on every machine,
// timezone and umask. It writes nothing; the caller stores the bytes.
package pack

import (
	"archive/zip"
	"bytes"
	"context"
	"crypto/sha256"
	"encoding/hex"
	"fmt"
	"io/fs"
	"path"
	"path/filepath"
	"slices"
	"strings"
	"time"

	"github.com/byocpack/byocpack/internal/castub"
	"github.com/byocpack/byocpack/internal/convert"
	"github.com/byocpack/byocpack/internal/registry"
	"github.com/byocpack/byocpack/internal/sfdx"
	"github.com/byocpack/byocpack/internal/tree"
)

// DefaultEpoch is the zip timestamp when no SOURCE_DATE_EPOCH is given:
// 1980-01-01T00:00:00Z, the earliest time a zip's DOS date can hold.
const DefaultEpoch int64 = 315532800

// lastZipTime is 2107-12-31T23:59:59Z, the latest time a zip's DOS date
// can hold; later times would wrap around silently.
const lastZipTime int64 = 4354819199

// Salesforce's deploy limits for one Metadata API zip: the package cannot
// be uploaded past them, so byocpack refuses to build it.
const (
	// MaxFiles is the most files one deploy or package version holds.
	MaxFiles = 10_000
	// MaxZipSize is the most a deploy zip may weigh compressed (39 MB,
	// about 50 MB once base64-encoded for the API).
	MaxZipSize = 39 << 20
	// MaxUnzippedSize is the most its files may weigh uncompressed.
	MaxUnzippedSize = 400 << 20
)

// checkLimits refuses a tree Salesforce would refuse to deploy.
func checkLimits(pd *sfdx.PackageDir, conv *convert.Result) error {
	if n := len(conv.Files) + 1; n > MaxFiles {
		return fmt.Errorf("%s converts to %d files, more than the %d one Salesforce deploy or package version takes: split the package or list files in .forceignore", pd.Path, n, MaxFiles)
	}
	var total int64
	for _, f := range conv.Files {
		total += f.Size()
	}
	if total > MaxUnzippedSize {
		return fmt.Errorf("%s converts to %d MiB of files, more than the %d MiB Salesforce unzips for one deploy: split the package or list large files in .forceignore", pd.Path, total>>20, MaxUnzippedSize>>20)
	}
	return nil
}

func checkZipSize(pd *sfdx.PackageDir, zip []byte) error {
	if len(zip) > MaxZipSize {
		return fmt.Errorf("%s zips to %d bytes, more than the %d MB Salesforce takes in one deploy zip: split the package or list large files in .forceignore", pd.Path, len(zip), MaxZipSize>>20)
	}
	return nil
}

// Options tune Package.
type Options struct {
	// SourceDateEpoch is the zip entries' time in Unix seconds, usually
	// from the SOURCE_DATE_EPOCH environment variable; nil means
	// DefaultEpoch. Times before 1980 are refused (zips cannot hold them).
	SourceDateEpoch *int64
	// PackageDir selects a package directory by its path or package name;
	// empty means the default one.
	PackageDir string
	// Registry defaults to registry.New().
	Registry *registry.Registry
	// CodeCoverage is sf package version create --code-coverage: the
	// unpackaged metadata is zipped and apexTestAccess becomes the test
	// user's permission sets.
	CodeCoverage bool
}

// Generation says which kind of managed package the zips are for.
type Generation int

const (
	// SecondGeneration: package.zip and package-version-info.zip, as
	// `sf package version create` builds them.
	SecondGeneration Generation = 2
	// FirstGeneration: one Metadata API zip whose package.xml names the
	// package (<fullName>), to deploy to the 1GP packaging org; there is
	// no version-info zip, the packaging org uploads versions itself.
	FirstGeneration Generation = 1
)

// Artifact is one built zip.
type Artifact struct {
	Name   string // file name, e.g. "package.zip"
	Data   []byte
	SHA256 string // hex
}

// Result is what Package built.
type Result struct {
	Package     Artifact // package.zip
	VersionInfo Artifact // package-version-info.zip
	// Descriptor is package2-descriptor.json as stored in VersionInfo.
	Descriptor []byte
	// PackageXML is package.xml as stored in package.zip.
	PackageXML []byte
	// Files is the converted Metadata API tree (without package.xml).
	Files      []convert.File
	Components []convert.Component
	// Notes say what was left out because only the Dev Hub knows it.
	Notes []string
	// Generation is the package generation the zips were built for.
	Generation Generation
}

// Package reads the project at projectDir from disk and builds both zips.
func Package(ctx context.Context, projectDir string, opts Options) (*Result, error) {
	snap, err := sfdx.ReadProject(projectDir)
	if err != nil {
		return nil, err
	}
	return Snapshot(ctx, snap, opts)
}

// Snapshot converts the package directory of a project held in memory and
// builds both zips. What it zips is exactly the snapshot's bytes.
func Snapshot(ctx context.Context, snap *sfdx.Snapshot, opts Options) (*Result, error) {
	epoch := DefaultEpoch
	if opts.SourceDateEpoch != nil {
		epoch = *opts.SourceDateEpoch
	}
	if epoch > lastZipTime {
		return nil, fmt.Errorf("SOURCE_DATE_EPOCH %d is after 2107-12-31, which zip timestamps cannot hold: use %d or earlier", epoch, lastZipTime)
	}
	if epoch < DefaultEpoch {
		return nil, fmt.Errorf("SOURCE_DATE_EPOCH %d is before 1980-01-01, which zip timestamps cannot hold: use %d or later", epoch, DefaultEpoch)
	}
	mtime := time.Unix(epoch, 0).UTC()

	proj := snap.Project
	projectDir := proj.Dir
	pd, err := pickDir(proj, opts.PackageDir)
	if err != nil {
		return nil, err
	}
	if proj.SourceAPIVersion == "" {
		return nil, fmt.Errorf("%s: \"sourceApiVersion\" is required: without it the CLI asks an org for the API version, so the package.xml <version> would not be reproducible", filepath.Join(projectDir, sfdx.ProjectFile))
	}
	conv, err := convert.Tree(ctx, snap, pd, convert.Options{Registry: opts.Registry})
	if err != nil {
		return nil, err
	}
	if err := checkLimits(pd, conv); err != nil {
		return nil, err
	}
	projectFile := filepath.Join(projectDir, sfdx.ProjectFile)
	inputs, err := pd.PackagingInputs(projectFile)
	if err != nil {
		return nil, err
	}
	if err := refuseProfiles(snap, pd, inputs); err != nil {
		return nil, err
	}
	gen, local, why, stub := generationOf(conv)
	if gen == FirstGeneration {
		return firstGeneration(ctx, proj, pd, conv, mtime, why)
	}
	var def *definition
	if inputs.DefinitionFile != "" {
		data, ok, err := snap.Tree.Read(ctx, inputs.DefinitionFile)
		shown := filepath.Join(projectDir, filepath.FromSlash(inputs.DefinitionFile))
		if err != nil {
			return nil, err
		}
		if !ok {
			return nil, fmt.Errorf("%s:%d: \"definitionFile\" %s does not exist; create the scratch org definition or remove the key", projectFile, pd.Line, shown)
		}
		j, err := parseJS(data)
		if err != nil {
			return nil, fmt.Errorf("%s: not a scratch org definition: %v", shown, err)
		}
		def = &definition{path: shown, data: data, json: j}
	}
	desc, notes, err := descriptor(proj, pd, projectFile, def, opts.CodeCoverage)
	if err != nil {
		return nil, err
	}
	// The metadata zipped beside package.zip: converted as the package
	// directory is, each with its own package.xml (no Profile entry).
	extra := []entry{{name: "package2-descriptor.json", data: desc}}
	for _, side := range []struct {
		dir, zip, key string
		when          bool
	}{
		{inputs.SeedMetadata, "seed-metadata-package.zip", "seedMetadata", true},
		{inputs.UnpackagedMetadata, "unpackaged-metadata-package.zip", "unpackagedMetadata", opts.CodeCoverage},
	} {
		if side.dir == "" || !side.when {
			continue
		}
		z, err := sideZip(ctx, snap, side.dir, side.key, projectFile, pd.Line, opts.Registry, proj.SourceAPIVersion, mtime)
		if err != nil {
			return nil, err
		}
		extra = append(extra, entry{name: side.zip, data: z})
	}
	if def != nil {
		extra = append(extra, entry{name: "scratch-org-definition.json", data: def.data})
		if hasSettings(def.json) {
			z, err := settingsZip(ctx, def, proj.SourceAPIVersion, mtime)
			if err != nil {
				return nil, err
			}
			extra = append(extra, entry{name: "settings.zip", data: z})
		}
	}
	if inputs.UnpackagedMetadata != "" && !opts.CodeCoverage {
		notes = append(notes, "unpackagedMetadata ("+inputs.UnpackagedMetadata+") is zipped only with --code-coverage, as sf package version create does")
	}
	pkgXML := convert.PackageXML(conv.Components, convert.PackageXMLOptions{APIVersion: proj.SourceAPIVersion, ProfileEntry: true})

	conv.Files = withoutDotFiles(conv.Files)
	pkgZip, err := metadataZip(ctx, pkgXML, conv.Files, mtime)
	if err != nil {
		return nil, err
	}
	if err := checkZipSize(pd, pkgZip); err != nil {
		return nil, err
	}
	res := &Result{
		Package:    artifact("package.zip", pkgZip),
		Descriptor: desc,
		PackageXML: pkgXML,
		Files:      conv.Files,
		Components: conv.Components,
		Notes:      notes,
		Generation: SecondGeneration,
	}
	if stub != "" {
		res.Notes = append(res.Notes, stub)
	}
	if local != "" {
		// A Local app is for the org it was made in: no package version.
		res.Notes = append(res.Notes, local)
		return res, nil
	}
	info, err := writeZip(ctx, sortEntries(append([]entry{{name: "package.zip", data: pkgZip}}, extra...)), mtime)
	if err != nil {
		return nil, err
	}
	res.VersionInfo = artifact("package-version-info.zip", info)
	return res, nil
}

// withoutDotFiles drops the files whose name, or a folder of whose path,
// starts with a dot (lwc/cmp/.eslintrc.json): the packaging library zips the
// converted tree with a glob that skips them, so sf package version create
// never uploads them, though sf project convert source writes them.
func withoutDotFiles(files []convert.File) []convert.File {
	return slices.DeleteFunc(slices.Clone(files), func(f convert.File) bool {
		return slices.ContainsFunc(strings.Split(f.Path, "/"), func(s string) bool { return strings.HasPrefix(s, ".") })
	})
}

// sortEntries orders a zip's entries by name, as the library's zipDir
// lists its folder.
func sortEntries(es []entry) []entry {
	slices.SortFunc(es, func(a, b entry) int { return strings.Compare(a.name, b.name) })
	return es
}

// sideZip converts the seed or unpackaged metadata directory as the
// package directory is converted and zips it with its own package.xml.
func sideZip(ctx context.Context, snap *sfdx.Snapshot, dir, key, projectFile string, line int, reg *registry.Registry, api string, mtime time.Time) ([]byte, error) {
	if len(snap.Tree.Under(dir)) == 0 {
		return nil, fmt.Errorf("%s:%d: %q %s holds no file (the CLI's %sDirectoryDoesNotExist); create it or remove the key", projectFile, line, key, dir, map[string]string{"seedMetadata": "seedMD", "unpackagedMetadata": "unpackagedMD"}[key])
	}
	conv, err := convert.Tree(ctx, snap, &sfdx.PackageDir{Path: dir}, convert.Options{Registry: reg})
	if err != nil {
		return nil, err
	}
	// The same zipDir, the same glob: dot-files stay out here too.
	return metadataZip(ctx, convert.PackageXML(conv.Components, convert.PackageXMLOptions{APIVersion: api}), withoutDotFiles(conv.Files), mtime)
}

// metadataZip zips a Metadata API tree: package.xml, the files, and a
// directory entry for every folder.
func metadataZip(ctx context.Context, pkgXML []byte, files []convert.File, mtime time.Time) ([]byte, error) {
	entries := []entry{{name: "package.xml", data: pkgXML}}
	for _, f := range files {
		entries = append(entries, entry{name: f.Path, data: f.Data, lazy: f.Lazy})
	}
	return writeZip(ctx, withDirs(entries), mtime)
}

// refuseProfiles refuses a project whose package version would carry
// profiles: the library rewrites each profile found in the project's
// package directories (all of them, less the unpackaged metadata ones, or
// only this one with scopeProfiles) to keep only what references the
// package's components, which byocpack does not reproduce.
func refuseProfiles(snap *sfdx.Snapshot, pd *sfdx.PackageDir, inputs sfdx.PackagingInputs) error {
	scoped := false
	for _, m := range pd.Members {
		if m.Key == "scopeProfiles" && string(bytes.TrimSpace(m.Value)) == "true" {
			scoped = true
		}
	}
	var excluded []string
	for i := range snap.Project.PackageDirectories {
		other := &snap.Project.PackageDirectories[i]
		switch {
		case scoped && other.Path != pd.Path:
			excluded = append(excluded, other.Path)
		case !scoped && other.Package != "":
			if in, err := other.PackagingInputs(""); err == nil && in.UnpackagedMetadata != "" {
				excluded = append(excluded, in.UnpackagedMetadata)
			}
		}
	}
	for _, dir := range snap.Project.PackageDirectories {
		for _, f := range snap.Tree.Under(dir.Path) {
			if !strings.HasSuffix(f, ".profile-meta.xml") || snap.Ignore.Denies(f) || slices.ContainsFunc(excluded, func(x string) bool { return f == x || strings.HasPrefix(f, x+"/") }) {
				continue
			}
			return fmt.Errorf("%s: sf package version create rewrites every profile of the project's package directories into the package (keeping only what references its components), which byocpack does not reproduce; move the profile out of the package directories (into unpackagedMetadata, say), list it in .forceignore, or set \"scopeProfiles\": true on %s so that only its own profiles count", filepath.Join(snap.Project.Dir, filepath.FromSlash(f)), pd.Path)
		}
	}
	return nil
}

// generationOf reads from the files what the package can be: a connected
// app packages only in a first-generation package, unless the file is the
// stub (developerName, label, version) that references one released in a
// first-generation package of the namespace, which is what a 2GP package
// carries (internal/castub; judged by content, so a hand-written stub in a
// project without a spec counts too); an external client app whose
// distributionState is Local cannot go into a managed package at all (its
// Metadata API zip still deploys to one's own org).
func generationOf(conv *convert.Result) (gen Generation, local, why, stub string) {
	gen = SecondGeneration
	var stubs []string
	for _, f := range conv.Files {
		name, ok := strings.CutPrefix(f.Path, "connectedApps/")
		name = strings.TrimSuffix(name, ".connectedApp")
		switch {
		case ok && castub.Detect(f.Data):
			stubs = append(stubs, name)
		case ok:
			gen = FirstGeneration
			why = fmt.Sprintf("connected app %s packages only in a first-generation managed package", name)
		}
		if strings.HasPrefix(f.Path, "externalClientApps/") && bytes.Contains(f.Data, []byte("<distributionState>Local</distributionState>")) {
			local = fmt.Sprintf("no package-version-info.zip: %s has distributionState Local (app.distributionState in the spec), which cannot go into a managed package; package.zip still deploys it to your own org with sf project deploy start --metadata-zip dist/package.zip --single-package; set distributionState to Packaged to build a package version", strings.TrimSuffix(path.Base(f.Path), ".eca"))
		}
	}
	if len(stubs) > 0 {
		stub = "the package carries the stub of the connected app " + strings.Join(stubs, ", ") + ", which references the app released in the first-generation managed package of the same namespace: that package version must be promoted to released before sf package version create"
	}
	return gen, local, why, stub
}

// firstGeneration builds the Metadata API zip of a first-generation
// package: package.xml names the package, so deploying the zip to the
// packaging org adds the components to it, as `sf project convert source
// --package-name` writes it.
func firstGeneration(ctx context.Context, proj *sfdx.Project, pd *sfdx.PackageDir, conv *convert.Result, mtime time.Time, why string) (*Result, error) {
	if pd.Package == "" {
		return nil, fmt.Errorf("%s:%d: the package directory %q has no \"package\": add the first-generation package's name", filepath.Join(proj.Dir, sfdx.ProjectFile), pd.Line, pd.Path)
	}
	pkgXML := convert.PackageXML(conv.Components, convert.PackageXMLOptions{APIVersion: proj.SourceAPIVersion, FullName: pd.Package})
	pkgZip, err := metadataZip(ctx, pkgXML, conv.Files, mtime)
	if err != nil {
		return nil, err
	}
	if err := checkZipSize(pd, pkgZip); err != nil {
		return nil, err
	}
	return &Result{
		Package:    artifact("package.zip", pkgZip),
		PackageXML: pkgXML,
		Files:      conv.Files,
		Components: conv.Components,
		Generation: FirstGeneration,
		Notes: []string{
			why + ", so no package-version-info.zip was built: deploy package.zip to the first-generation packaging org with sf project deploy start --metadata-zip dist/package.zip --single-package --target-org <packaging org>; its package.xml names the package \"" + pd.Package + "\", so the components join it. Deploying creates the connected app through the Metadata API, which since Spring '26 Salesforce blocks unless Support has enabled connected-app creation for that org; prefer an external client app (app.type: ExternalClientApplication) in a second-generation package",
		},
	}, nil
}

func pickDir(proj *sfdx.Project, want string) (*sfdx.PackageDir, error) {
	if want == "" {
		return proj.DefaultPackageDir(), nil
	}
	for i := range proj.PackageDirectories {
		pd := &proj.PackageDirectories[i]
		if pd.Path == path.Clean(want) || pd.Package == want {
			return pd, nil
		}
	}
	return nil, fmt.Errorf("%s: no package directory has path or package %q", filepath.Join(proj.Dir, sfdx.ProjectFile), want)
}

func artifact(name string, data []byte) Artifact {
	sum := sha256.Sum256(data)
	return Artifact{Name: name, Data: data, SHA256: hex.EncodeToString(sum[:])}
}

type entry struct {
	name string
	data []byte
	// lazy, set instead of data, is a large file streamed into the zip
	// and checked to be the bytes validated (tree.Lazy.Open).
	lazy *tree.Lazy
	dir  bool
}

// withDirs adds a directory entry for every folder, as the CLI's zips
// have ("classes/" before "classes/A.cls"), and sorts by name.
func withDirs(files []entry) []entry {
	seen := map[string]bool{}
	out := slices.Clone(files)
	for _, f := range files {
		for d := path.Dir(f.name); d != "." && !seen[d]; d = path.Dir(d) {
			seen[d] = true
			out = append(out, entry{name: d + "/", dir: true})
		}
	}
	slices.SortFunc(out, func(a, b entry) int { return strings.Compare(a.name, b.name) })
	return out
}

// fixedInfo gives every entry the same time and permissions, so neither
// the clock, the timezone nor the umask reaches the zip.
type fixedInfo struct {
	e     entry
	mtime time.Time
}

func (f fixedInfo) Name() string       { return path.Base(strings.TrimSuffix(f.e.name, "/")) }
func (f fixedInfo) Size() int64        { return convert.File{Data: f.e.data, Lazy: f.e.lazy}.Size() }
func (f fixedInfo) ModTime() time.Time { return f.mtime }
func (f fixedInfo) IsDir() bool        { return f.e.dir }
func (f fixedInfo) Sys() any           { return nil }
func (f fixedInfo) Mode() fs.FileMode {
	if f.e.dir {
		return fs.ModeDir | 0o755
	}
	return 0o644
}

// writeZip stores the entries in the given order with DEFLATE.
func writeZip(ctx context.Context, entries []entry, mtime time.Time) ([]byte, error) {
	files := make([]convert.ZipFile, 0, len(entries))
	for _, e := range entries {
		h, err := zip.FileInfoHeader(fixedInfo{e: e, mtime: mtime})
		if err != nil {
			return nil, fmt.Errorf("writing zip: %s: %w", e.name, err)
		}
		h.Name, h.Method = e.name, convert.ZipMethod(e.data)
		if e.dir {
			h.Method = zip.Store
		}
		zf := convert.ZipFile{Header: h, Data: e.data}
		if e.lazy != nil {
			h.Method, zf.Open = convert.LazyZipMethod(e.lazy), e.lazy.Open
		}
		files = append(files, zf)
	}
	var buf bytes.Buffer
	if err := convert.WriteZip(ctx, &buf, files); err != nil {
		if ctx.Err() != nil {
			return nil, err
		}
		return nil, fmt.Errorf("writing zip: %w", err)
	}
	return buf.Bytes(), nil
}
