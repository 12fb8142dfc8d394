package generator

import (
	"context"
	"errors"
	"fmt"
	"slices"

	"github.com/byocpack/byocpack/internal/model"
	"github.com/byocpack/byocpack/internal/registry"
	"github.com/byocpack/byocpack/internal/sfdx"
	"github.com/byocpack/byocpack/internal/xmldoc"
	"github.com/byocpack/byocpack/internal/xmlmerge"
	"github.com/byocpack/byocpack/internal/xsdcheck"
)

// MergeOptions are the three versions of one file that git's merge driver
// is given, and the file's path in the repository.
type MergeOptions struct {
	// Path is where the file is in the repository (git's %P); its folder
	// and suffix give its type.
	Path string
	// Base is the common ancestor (empty when both branches added the
	// file), Ours and Theirs the two branches' versions.
	Base, Ours, Theirs []byte
	// MarkerSize is the length of conflict markers (git's %L; 0: 7).
	MarkerSize int
}

// MergeResult is a merge of one file.
type MergeResult struct {
	// Handled is false when the file is not one fmt knows: not a metadata
	// type with a content model, or not well-formed XML in one of the
	// versions. Reason says which; the caller merges it as text.
	Handled bool
	Reason  string
	// Data is the merged file: formatted as a retrieve writes it when
	// clean, with git's conflict markers around each element the
	// branches changed differently otherwise.
	Data      []byte
	Conflicts int
}

// Merge merges a metadata file element by element: repeated groups are
// matched by their natural key (a fieldPermissions by its field, a scope
// by its value), so entries two branches added to one group both land,
// and order and layout differences (one branch formatted, the other not)
// are no conflict. The API version and models are the working directory's
// project's, as for fmt; a type without a content model (PermissionSet,
// Profile) is merged the same way, its repeated groups recognised by
// their key fields, and written in the retrieve layout without
// reordering.
func Merge(ctx context.Context, opts MergeOptions) (*MergeResult, error) {
	if err := ctx.Err(); err != nil {
		return nil, err
	}
	if opts.MarkerSize <= 0 {
		opts.MarkerSize = 7
	}
	f := &formatter{reg: registry.New()}
	version, set, err := f.context(".")
	if err != nil {
		return nil, err
	}
	m, typ, reason := modelFor(f.reg, set, version, opts.Path)
	if reason != "" && m == nil && typ == "" {
		return &MergeResult{Reason: reason}, nil
	}
	var roots [3]*xmldoc.Element
	for i, data := range [][]byte{opts.Base, opts.Ours, opts.Theirs} {
		if i == 0 && len(data) == 0 {
			continue
		}
		doc, err := normalized(m, typ, data)
		if err != nil {
			return &MergeResult{Reason: fmt.Sprintf("%s: %s", [3]string{"the common ancestor", "ours", "theirs"}[i], asSyntax(err))}, nil
		}
		if n := countElements(doc.Root); n > maxMergeElements {
			// The keyed merge grows faster than the file; git's text merge
			// does not, and a hostile branch must not hang git merge.
			return &MergeResult{Reason: fmt.Sprintf("%s holds %d elements, more than the %d a keyed merge takes", [3]string{"the common ancestor", "ours", "theirs"}[i], n, maxMergeElements)}, nil
		}
		roots[i] = doc.Root
	}
	if roots[1].Local != roots[2].Local || (roots[0] != nil && roots[0].Local != roots[1].Local) {
		return &MergeResult{Reason: "the versions have different root elements"}, nil
	}
	var root *model.Complex
	if m != nil {
		root = m.Root(typ)
	}
	res := xmlmerge.Merge(roots[0], roots[1], roots[2], root)
	out := &MergeResult{Handled: true, Conflicts: res.Conflicts, Data: res.Write(opts.MarkerSize)}
	if res.Conflicts == 0 && m != nil {
		if formatted, err := xsdcheck.Format(m, typ, &xmldoc.Document{Root: res.Root}); err == nil {
			out.Data = formatted
		}
	}
	return out, nil
}

// maxMergeElements bounds a keyed merge, whose cost grows faster than the
// file: a large retrieved profile (thousands of field permissions, five
// elements each) is well inside it, and a merge of that size takes
// seconds. Larger files merge as text.
const maxMergeElements = 200000

func countElements(e *xmldoc.Element) int {
	n := 1
	for _, c := range e.Children {
		n += countElements(c)
	}
	return n
}

// FormatData formats data, the content of the file at path (which need
// not exist: git's clean filter passes content on stdin), the way fmt
// formats that file. A file fmt leaves alone comes back as it is, with
// the reason.
func FormatData(ctx context.Context, path string, data []byte) ([]byte, string, error) {
	if err := ctx.Err(); err != nil {
		return nil, "", err
	}
	f := &formatter{reg: registry.New()}
	version, set, err := f.context(".")
	if err != nil {
		return nil, "", err
	}
	m, typ, reason := modelFor(f.reg, set, version, path)
	if m == nil {
		return data, reason, nil
	}
	doc, err := xmldoc.Parse(data)
	if err != nil {
		return data, "not well-formed XML: " + asSyntax(err), nil
	}
	out, err := xsdcheck.Format(m, typ, doc)
	var nf *xsdcheck.NotFormatted
	if errors.As(err, &nf) {
		return data, nf.Reason, nil
	}
	if err != nil {
		return nil, "", err
	}
	return out, "", nil
}

// modelFor is the metadata type of the file at path and its content
// model; without a model (a type byocpack has none for) the type and the
// reason, without a type ("" ) only the reason.
func modelFor(reg *registry.Registry, set *model.Set, version, path string) (*model.Model, string, string) {
	sf, err := sfdx.Infer(reg, path)
	if err != nil || sf.Type == nil || (sf.Kind != sfdx.MetaXML && sf.Kind != sfdx.Child) {
		return nil, "", "its type could not be inferred from its name"
	}
	use, _, _ := set.Resolve(version)
	m, err := set.Get(use)
	if err != nil {
		return nil, sf.Type.Name, err.Error()
	}
	if m.Root(sf.Type.Name) == nil {
		return nil, sf.Type.Name, fmt.Sprintf("API %s has no content model for %s", m.Version, sf.Type.Name)
	}
	return m, sf.Type.Name, ""
}

// normalized parses data and, with a model, puts it in retrieve order, so
// that the merge compares content, not layout; a file fmt leaves alone
// (unknown elements) is merged as written. What the merged file could not
// keep (comments, processing instructions, text beside elements) makes it
// a text merge.
func normalized(m *model.Model, typ string, data []byte) (*xmldoc.Document, error) {
	doc, err := xmldoc.Parse(data)
	if err != nil {
		return nil, err
	}
	if doc.Comments || doc.PIs || mixed(doc.Root) {
		return nil, errors.New("it holds comments, processing instructions or text beside elements, which an element merge would drop")
	}
	if m == nil {
		return doc, nil
	}
	formatted, err := xsdcheck.Format(m, typ, doc)
	if err != nil {
		return xmldoc.Parse(data)
	}
	return xmldoc.Parse(formatted)
}

// mixed reports whether an element with children also holds text.
func mixed(e *xmldoc.Element) bool {
	if len(e.Children) == 0 {
		return false
	}
	if e.HasText() {
		return true
	}
	return slices.ContainsFunc(e.Children, mixed)
}
