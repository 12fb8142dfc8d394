package sfdx

import (
	"fmt"
	"io/fs"
	"os"
	"path"
	"path/filepath"
	"regexp"
	"slices"
	"strings"

	"byocpack/internal/registry"
)

// Kind says what role a source file plays for its metadata type.
type Kind int

const (
	// NotMetadata files (README.md, dot-files, stray content) are skipped
	// silently, as the CLI does.
	NotMetadata Kind = iota
	// MetaXML is a type's "<name>.<suffix>-meta.xml" file.
	MetaXML
	// Content is a content file ("<name>.cls") of a type whose -meta.xml
	// sits beside it.
	Content
	// Child is a decomposed child file, such as
	// objects/<Object>/fields/<Field>.field-meta.xml.
	Child
	// InStrictFolder is any other file inside a folder owned by a
	// strict-directory type (a bundle's files, for example).
	InStrictFolder
)

// SourceFile is one file of a package directory with its inferred type.
type SourceFile struct {
	// Path is slash-separated and relative to the project root.
	Path string
	Kind Kind
	// Type is the file's metadata type; for a Child, the child type.
	Type *registry.Type
	// Parent is the decomposed parent type of a Child (CustomObject).
	Parent *registry.Type
	// FullName is the component's name: the base name without suffix, or
	// for a Child the child's own name.
	FullName string
	// ParentName is the parent component of a Child or of any file in an
	// object folder, e.g. "Account" for objects/Account/fields/X.field-meta.xml.
	ParentName string
}

// metaXML mirrors the CLI's (unanchored, greedy) "<name>.<suffix>-meta.xml"
// pattern, so the same names are taken apart the same way.
func metaXMLPattern() *regexp.Regexp { return regexp.MustCompile(`(.+)\.(.+)-meta\.xml`) }

// ListFiles returns the files of projectDir/pkgPath that .forceignore does
// not deny, as slash-separated paths relative to projectDir, sorted by byte
// order so results never depend on the file system.
func ListFiles(projectDir, pkgPath string, ign *ForceIgnore) ([]string, error) {
	root := filepath.Join(projectDir, filepath.FromSlash(pkgPath))
	var out []string
	err := filepath.WalkDir(root, func(p string, d fs.DirEntry, err error) error {
		if err != nil {
			return err
		}
		rel, err := filepath.Rel(projectDir, p)
		if err != nil {
			return err
		}
		rel = filepath.ToSlash(rel)
		if d.IsDir() {
			// The CLI never descends into node_modules it ignores.
			if d.Name() == "node_modules" && ign.Denies(rel+"/x") {
				return filepath.SkipDir
			}
			return nil
		}
		if d.Type()&fs.ModeSymlink != 0 {
			return fmt.Errorf("%s: symbolic links are not packaged reproducibly; replace it with the file", rel)
		}
		if !d.Type().IsRegular() {
			return nil
		}
		if ign.Denies(rel) {
			return nil
		}
		out = append(out, rel)
		return nil
	})
	if err != nil {
		return nil, err
	}
	slices.Sort(out)
	return out, nil
}

// TypeInferenceError is returned for a -meta.xml file whose suffix no
// metadata type has.
type TypeInferenceError struct {
	Path, Suffix, Suggestion string
}

func (e *TypeInferenceError) Error() string {
	msg := fmt.Sprintf("%s: could not infer a metadata type from the suffix %q", e.Path, "."+e.Suffix+"-meta.xml")
	if e.Suggestion != "" {
		return msg + fmt.Sprintf(`; suffixes are case-sensitive: did you mean ".%s-meta.xml"?`, e.Suggestion)
	}
	return msg + "; rename the file to <Name>.<suffix>-meta.xml with a suffix from the CLI's metadata registry"
}

// Infer works out the type of one file (slash path relative to the project
// root) with the CLI's rules: a strict type folder first (objects/...), then
// a -meta.xml suffix, then a content file's extension inside its type's
// folder. Suffix matching is case-sensitive.
func Infer(reg *registry.Registry, rel string) (SourceFile, error) {
	sf := SourceFile{Path: rel}
	parts := strings.Split(rel, "/")
	base := parts[len(parts)-1]
	m := metaXMLPattern().FindStringSubmatch(base)

	for _, t := range reg.StrictFolderTypes() {
		i := lastIndex(parts[:len(parts)-1], t.DirectoryName)
		if i < 0 {
			continue
		}
		if t.InFolder && len(parts) >= 2 && parts[len(parts)-2] == t.DirectoryName {
			continue
		}
		switch t.Strategies.Adapter {
		case "mixedContent", "bundle", "uiBundles":
			sf.Kind, sf.Type = InStrictFolder, t
			return sf, nil
		}
		if hasSuffix(rel, t.Suffix) || hasSuffix(rel, t.LegacySuffix) {
			sf.Type = t
			if m != nil {
				sf.Kind, sf.FullName = MetaXML, m[1]
			} else {
				sf.Kind = InStrictFolder
			}
			if t.Children != nil && i+1 < len(parts)-1 {
				sf.ParentName = parts[i+1]
			}
			return sf, nil
		}
		if t.Children != nil {
			for ci := range t.Children.Types {
				c := &t.Children.Types[ci]
				if hasSuffix(rel, c.Suffix) || hasSuffix(rel, c.LegacySuffix) {
					sf.Kind, sf.Type, sf.Parent = Child, c, t
					if m != nil {
						sf.FullName = m[1]
					} else {
						sf.Kind = InStrictFolder
					}
					if i+1 < len(parts)-1 {
						sf.ParentName = parts[i+1]
					}
					return sf, nil
				}
			}
		}
	}

	if m != nil {
		t, ok := reg.BySuffix(m[2])
		if !ok {
			e := &TypeInferenceError{Path: rel, Suffix: m[2]}
			e.Suggestion, _ = reg.SuggestSuffix(m[2])
			return sf, e
		}
		sf.Kind, sf.Type, sf.FullName = MetaXML, t, m[1]
		return sf, nil
	}

	ext := path.Ext(base)
	if ext == "" || strings.HasPrefix(base, ".") {
		return sf, nil
	}
	t, ok := reg.BySuffix(ext[1:])
	if !ok || !slices.Contains(parts[:len(parts)-1], t.DirectoryName) {
		return sf, nil
	}
	sf.Kind, sf.Type, sf.FullName = Content, t, strings.TrimSuffix(base, ext)
	return sf, nil
}

func hasSuffix(p, suffix string) bool {
	return suffix != "" && (strings.HasSuffix(p, suffix) || strings.HasSuffix(p, suffix+"-meta.xml"))
}

func lastIndex(parts []string, s string) int {
	for i := len(parts) - 1; i >= 0; i-- {
		if parts[i] == s {
			return i
		}
	}
	return -1
}

// PackageFiles loads .forceignore, lists the package directory and infers
// every file's type. The first file whose type cannot be inferred is an
// error naming it.
func PackageFiles(reg *registry.Registry, projectDir string, pd *PackageDir) ([]SourceFile, error) {
	ign, err := LoadForceIgnore(projectDir)
	if err != nil {
		return nil, err
	}
	files, err := ListFiles(projectDir, pd.Path, ign)
	if err != nil {
		return nil, err
	}
	out := make([]SourceFile, 0, len(files))
	for _, f := range files {
		sf, err := Infer(reg, f)
		if err != nil {
			return nil, err
		}
		out = append(out, sf)
	}
	return out, nil
}

// ReadFile reads a file named by a SourceFile path.
func ReadFile(projectDir, rel string) ([]byte, error) {
	return os.ReadFile(filepath.Join(projectDir, filepath.FromSlash(rel)))
}
