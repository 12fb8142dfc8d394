package generator

import (
	"archive/zip"
	"bytes"
	"fmt"
	"io"
	"path/filepath"
	"strings"

	"github.com/byocpack/byocpack/internal/convert"
	"github.com/byocpack/byocpack/internal/diag"
	"github.com/byocpack/byocpack/internal/pack"
	"github.com/byocpack/byocpack/internal/secrets"
	"github.com/byocpack/byocpack/internal/sfdx"
)

// RuleSecretGate is the rule of a secret found in what would be zipped.
const RuleSecretGate = "secret-in-package"

// secretsGate refuses a package directory that holds a private key, a
// consumer key or secret, or global OAuth settings, in any file whatever
// its suffix: these must never reach a package or a zip. It runs on the
// exact bytes that are zipped. memo holds what validation found clean:
// bytes scanned in this run are compared, not scanned again.
func secretsGate(snap *sfdx.Snapshot, shown, packageDir string, memo *secrets.Memo) error {
	pd := snap.Project.DefaultPackageDir()
	for i := range snap.Project.PackageDirectories {
		c := &snap.Project.PackageDirectories[i]
		if packageDir != "" && (c.Path == packageDir || c.Package == packageDir) {
			pd = c
		}
	}
	// What the version zips besides the package directory: the seed and
	// unpackaged metadata and the scratch org definition.
	paths := snap.Tree.Under(pd.Path)
	// The definition file is copied into the version whatever
	// .forceignore says: it is never skipped here either.
	var always string
	if in, err := pd.PackagingInputs(""); err == nil {
		for _, dir := range []string{in.SeedMetadata, in.UnpackagedMetadata} {
			if dir != "" {
				paths = append(paths, snap.Tree.Under(dir)...)
			}
		}
		if in.DefinitionFile != "" {
			always = in.DefinitionFile
			paths = append(paths, always)
		}
	}
	var found []diag.Problem
	var zipped []string
	for _, p := range paths {
		if p != always && snap.Ignore.Denies(p) {
			continue
		}
		zipped = append(zipped, p)
		var in []secrets.Finding
		if l := snap.Tree.Lazy(p); l != nil {
			in = l.Findings // scanned as it was read
		} else {
			data, _ := snap.Tree.Get(p)
			in = memo.Scan(p, data)
		}
		for _, f := range in {
			found = append(found, gated(filepath.ToSlash(filepath.Join(shown, p)), f, "it would be zipped into the package: remove it from "+pd.Path+", keep it outside the project, or in the non-packaged source-org directory where Salesforce says so"))
		}
	}
	// The names go into the zips and their package.xml files (the seed
	// and unpackaged metadata's too) as API names.
	found = append(found, nameFindings(zipped, func(i int) string { return filepath.ToSlash(filepath.Join(shown, zipped[i])) }, memo)...)
	if len(found) > 0 {
		return diag.List(diag.Sort(found))
	}
	return nil
}

// builtSecretsGate scans what the converter made rather than copied (a
// zipped static resource folder, the merged custom labels, recomposed
// objects) as it goes into package.zip: the gate above read their sources,
// this reads the exact bytes that are zipped.
func builtSecretsGate(built *pack.Result, memo *secrets.Memo) error {
	files, descriptor := built.Files, built.Descriptor
	var found []diag.Problem
	// package.xml, made from the components' names: two names each too
	// short to be a key may make one as Parent.Child.
	for _, s := range memo.Scan("package.xml", built.PackageXML) {
		found = append(found, gated("package.zip/package.xml", s, "package.xml names the components as their files and folders are named: rename them"))
	}
	// What the version zip holds besides package.zip and the descriptor
	// is made here too: the seed and unpackaged metadata's zips (their
	// package.xml from the files' names) and settings.zip (the definition
	// file's settings as metadata).
	found = append(found, versionInfoFindings(built.VersionInfo.Data, memo)...)
	// The descriptor carries sfdx-project.json's values (a version
	// description, say) to the Dev Hub.
	for _, s := range memo.Scan("package2-descriptor.json", descriptor) {
		found = append(found, gated("package-version-info.zip/package2-descriptor.json", s, "it comes from the package directory's entry in sfdx-project.json, which sf package version create uploads: remove it from there"))
	}
	// The file names go into package.zip and, as API names, into
	// package.xml: a consumer key written as a component's name ships too.
	names := make([]string, len(files))
	for i, f := range files {
		names[i] = f.Path
	}
	found = append(found, nameFindings(names, func(i int) string { return "package.zip/" + names[i] }, memo)...)
	for _, f := range files {
		if !f.Built {
			continue
		}
		// A zip the converter wrote is read from the bytes it deflated.
		var in []secrets.Finding
		if f.Zipped != nil {
			in = memo.ScanEntries(f.Path, secretsEntries(f.Zipped))
		} else {
			in = memo.Scan(f.Path, f.Data)
		}
		for _, s := range in {
			found = append(found, gated("package.zip/"+f.Path, s, "the converted file would carry it into the package: remove it from the source files this is built from"))
		}
	}
	if len(found) > 0 {
		return diag.List(diag.Sort(found))
	}
	return nil
}

// secretsEntries are a zip's entries as the secrets scan takes them.
func secretsEntries(files []convert.ZipFile) []secrets.Entry {
	es := make([]secrets.Entry, len(files))
	for i, f := range files {
		es[i] = secrets.Entry{Name: f.Header.Name, Data: f.Data}
	}
	return es
}

// nameFindings scans file names as the lines of one text: what a name
// carries ships as the name of a zip entry and, in package.xml, of a
// component. shown names the i-th file in a problem.
func nameFindings(names []string, shown func(i int) string, memo *secrets.Memo) []diag.Problem {
	var found []diag.Problem
	for _, s := range memo.Scan("file names", []byte(strings.Join(names, "\n")+"\n")) {
		file := "file names"
		if s.Line > 0 && s.Line <= len(names) {
			file = shown(s.Line - 1)
		}
		s.Line, s.Column = 0, 0 // the line is the name's, in the list
		p := gated(file, s, "names go into the package, and into package.xml as API names, as they are: rename the component or file")
		p.Message = "in the file's name: " + p.Message
		found = append(found, p)
	}
	return found
}

// versionInfoFindings scans the entries of package-version-info.zip that
// the gates have not read as zipped: all but package.zip and the
// descriptor.
func versionInfoFindings(data []byte, memo *secrets.Memo) []diag.Problem {
	if data == nil {
		return nil
	}
	zr, err := zip.NewReader(bytes.NewReader(data), int64(len(data)))
	if err != nil {
		return []diag.Problem{{File: "package-version-info.zip", Severity: diag.Error, Rule: RuleSecretGate, Message: "the zip just built cannot be read back (" + err.Error() + "); report this as a byocpack bug"}}
	}
	var found []diag.Problem
	for _, f := range zr.File {
		if f.Name == "package.zip" || f.Name == "package2-descriptor.json" || strings.HasSuffix(f.Name, "/") {
			continue
		}
		rc, err := f.Open()
		if err == nil {
			var b []byte
			b, err = io.ReadAll(io.LimitReader(rc, secrets.MaxEntrySize+1))
			rc.Close()
			for _, s := range memo.Scan(f.Name, b) {
				found = append(found, gated("package-version-info.zip/"+f.Name, s, "the packaging library builds it from the project (seed or unpackaged metadata, the definition file's settings): remove it from the files this is built from"))
			}
		}
		if err != nil {
			found = append(found, diag.Problem{File: "package-version-info.zip/" + f.Name, Severity: diag.Error, Rule: RuleSecretGate, Message: "cannot be read back (" + err.Error() + "); report this as a byocpack bug"})
		}
	}
	return found
}

// gated is the gate's problem for finding s in file: what was found, then
// why it would ship and what to do.
func gated(file string, s secrets.Finding, why string) diag.Problem {
	return diag.Problem{File: file, Line: s.Line, Column: s.Column, Severity: diag.Error, Rule: RuleSecretGate,
		Message: fmt.Sprintf("%s (%s); %s", s.Detail(), s.Kind, why)}
}
