package sfdx

import (
	"context"
	"fmt"
	"path"
	"path/filepath"
	"regexp"
	"slices"
	"strings"
	"sync"

	"github.com/byocpack/byocpack/internal/registry"
	"github.com/byocpack/byocpack/internal/tree"
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
// metaXMLPattern is the CLI's pattern for a -meta.xml name. Infer runs
// per file, so matchMetaXML does what it does without the backtracking
// (a test holds the two equal); the pattern stays for names with line
// breaks, which '.' does not match.
var metaXMLPattern = sync.OnceValue(func() *regexp.Regexp { return regexp.MustCompile(`(.+)\.(.+)-meta\.xml`) })

// matchMetaXML returns what metaXMLPattern().FindStringSubmatch(base)
// returns: the match begins at 0, the first group is the longest prefix
// before a '.' that a non-empty second group and "-meta.xml" follow, and
// the second group runs to the last "-meta.xml" after it.
func matchMetaXML(base string) []string {
	if strings.ContainsRune(base, '\n') {
		return metaXMLPattern().FindStringSubmatch(base)
	}
	for i := len(base) - 1; i >= 1; i-- {
		if base[i] != '.' {
			continue
		}
		rest := base[i+1:]
		if j := strings.LastIndex(rest, "-meta.xml"); j >= 1 {
			return []string{base[:i+1+j+len("-meta.xml")], base[:i], rest[:j]}
		}
	}
	return nil
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
	m := matchMetaXML(base)

	for _, t := range reg.StrictFolderTypesIn(parts[:len(parts)-1]) {
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

// PackageFiles lists the files of package directory pd in t that ign does
// not deny, and infers every file's type. The first file whose type
// cannot be inferred is an error naming it.
func PackageFiles(reg *registry.Registry, t *tree.Tree, pd *PackageDir, ign *ForceIgnore) ([]SourceFile, error) {
	var out []SourceFile
	for _, f := range t.Under(pd.Path) {
		if ign.Denies(f) {
			continue
		}
		sf, err := Infer(reg, f)
		if err != nil {
			return nil, err
		}
		out = append(out, sf)
	}
	return out, nil
}

// SkipDir reports whether a walk of a package directory prunes rel: the
// CLI never descends into a node_modules it ignores, nor into .git.
func SkipDir(ign *ForceIgnore, rel string) bool {
	base := path.Base(rel)
	return base == ".git" || (base == "node_modules" && ign.Denies(rel+"/x"))
}

// ReadPackageDirs adds to r every package directory of p that ign does not
// deny, as the CLI would read them, and what the packaging library reads
// with them (PackagingInputs).
func ReadPackageDirs(r *tree.Reader, p *Project, ign *ForceIgnore) error {
	for _, pd := range p.PackageDirectories {
		err := r.Dir(pd.Path, func(rel string) bool { return !ign.Denies(rel) }, func(rel string) bool { return SkipDir(ign, rel) })
		if err != nil {
			return err
		}
	}
	return readPackagingInputs(r, p, ign, filepath.Join(p.Dir, ProjectFile))
}

// Snapshot is a project read into memory: its sfdx-project.json,
// .forceignore and package directories, nothing else (never .git or the
// rest of a large repository).
type Snapshot struct {
	Project *Project
	Ignore  *ForceIgnore
	Tree    *tree.Tree
}

// ReadProject reads the project at dir into memory, bounded as tree.Reader
// bounds it.
func ReadProject(dir string) (*Snapshot, error) { return ReadProjectContext(context.Background(), dir) }

// ReadProjectContext is ReadProject stopped by ctx's cancellation.
func ReadProjectContext(ctx context.Context, dir string) (*Snapshot, error) {
	p, err := Load(dir)
	if err != nil {
		return nil, err
	}
	ign, err := LoadForceIgnore(dir)
	if err != nil {
		return nil, err
	}
	r := tree.NewReader(dir)
	r.Ctx = ctx
	for _, name := range []string{ProjectFile, ForceIgnoreFile} {
		if err := r.File(name); err != nil {
			return nil, err
		}
	}
	if err := ReadPackageDirs(r, p, ign); err != nil {
		return nil, err
	}
	return &Snapshot{Project: p, Ignore: ign, Tree: r.Tree}, nil
}

// ParseSnapshot reads the project held in t (sfdx-project.json and
// .forceignore at its root); shown is how the project's root is named in
// messages.
func ParseSnapshot(t *tree.Tree, shown string) (*Snapshot, error) {
	file := filepath.Join(shown, ProjectFile)
	data, ok := t.Get(ProjectFile)
	if !ok {
		return nil, fmt.Errorf("%s: not found: a Salesforce DX project needs %s at its root", file, ProjectFile)
	}
	p, err := Parse(data, file)
	if err != nil {
		return nil, err
	}
	p.Dir = shown
	ign := &ForceIgnore{}
	if b, ok := t.Get(ForceIgnoreFile); ok {
		if ign, err = ParseForceIgnore(filepath.Join(shown, ForceIgnoreFile), string(b)); err != nil {
			return nil, err
		}
	}
	return &Snapshot{Project: p, Ignore: ign, Tree: t}, nil
}
