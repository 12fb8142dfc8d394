// Package xmlmerge merges three versions of a metadata file (the common
// ancestor and two branches) element by element instead of line by line:
// repeated groups are matched by their natural key (xmlkey), so two
// branches that each add an entry to a group (a fieldPermissions to a
// PermissionSet, a scope to a connected app) merge cleanly wherever the
// entries landed, and only an element both branches changed differently is
// a conflict, marked the way git marks one.
package xmlmerge

import (
	"bytes"
	"fmt"
	"slices"
	"strconv"
	"strings"

	"github.com/byocpack/byocpack/internal/model"
	"github.com/byocpack/byocpack/internal/xmldoc"
	"github.com/byocpack/byocpack/internal/xmlkey"
)

// Result is a merge: the merged root, and how many conflicts it holds.
type Result struct {
	Root      *xmldoc.Element
	Conflicts int
	conflicts map[*xmldoc.Element]conflict
}

// conflict is the two sides of one element the branches changed
// differently; nil is a side that deleted it.
type conflict struct{ ours, theirs *xmldoc.Element }

// Merge merges ours and theirs, which both descend from base (nil when
// the file was added on both branches). typ is the root's content model,
// which says which elements repeat (nil: see repeated). The roots must have the same name.
func Merge(base, ours, theirs *xmldoc.Element, typ *model.Complex) *Result {
	r := &Result{conflicts: map[*xmldoc.Element]conflict{}}
	m := &merger{res: r}
	root, bad := m.merge(base, ours, theirs, typ, false)
	if bad { // only an attribute of the root itself can get here
		root = m.placeholder(ours, theirs)
	}
	r.Root = root
	return r
}

type merger struct {
	res *Result
}

// placeholder stands for a conflict in the tree until Write replaces it
// with the marked sides.
func (m *merger) placeholder(ours, theirs *xmldoc.Element) *xmldoc.Element {
	p := &xmldoc.Element{Local: "byocpack-conflict-" + strconv.Itoa(len(m.res.conflicts))}
	m.res.conflicts[p] = conflict{ours, theirs}
	m.res.Conflicts++
	return p
}

// merge merges one element; bad says the branches changed it in ways
// that do not combine, and the caller marks the conflict. An entry of a
// repeated group (entry) is one unit: two different changes to it are a
// conflict even in different leaves, as a permission's editable and
// readable, or a layout assignment's layout and record type, only make
// sense together.
func (m *merger) merge(base, ours, theirs *xmldoc.Element, c *model.Complex, entry bool) (*xmldoc.Element, bool) {
	switch {
	case Equal(ours, theirs):
		return ours, false
	case base != nil && Equal(base, ours):
		return theirs, false
	case base != nil && Equal(base, theirs):
		return ours, false
	case entry || len(ours.Children) == 0 || len(theirs.Children) == 0 || !slices.Equal(ours.Attrs, theirs.Attrs):
		return nil, true
	}
	var baseKids []*xmldoc.Element
	if base != nil {
		baseKids = base.Children
	}
	repeats := repeated(c, baseKids, ours.Children, theirs.Children)
	b, o, t := ids(baseKids, repeats), ids(ours.Children, repeats), ids(theirs.Children, repeats)
	out := *ours
	out.Children = nil
	for _, id := range order(o.order, t.order) {
		cb, co, ct := b.byID[id], o.byID[id], t.byID[id]
		var child *xmldoc.Element
		switch {
		case co != nil && ct != nil:
			var kid *model.Complex
			if c != nil {
				if _, e := c.Lookup(co.Local); e != nil {
					kid = e.Complex()
				}
			}
			merged, bad := m.merge(cb, co, ct, kid, repeats[co.Local])
			if bad {
				merged = m.placeholder(co, ct)
			}
			child = merged
		case co != nil: // theirs deleted it, or never had it
			switch {
			case cb == nil:
				child = co
			case Equal(cb, co):
				continue
			default:
				child = m.placeholder(co, nil)
			}
		case ct != nil:
			switch {
			case cb == nil:
				child = ct
			case Equal(cb, ct):
				continue
			default:
				child = m.placeholder(nil, ct)
			}
		default: // both deleted it
			continue
		}
		out.Children = append(out.Children, child)
	}
	return &out, false
}

// repeated says which child names form repeated groups: those the model
// lets repeat; without a model (a type byocpack has none for, such as
// PermissionSet), those occurring twice somewhere and those whose entries
// have a key field (a fieldPermissions has its field).
func repeated(c *model.Complex, lists ...[]*xmldoc.Element) map[string]bool {
	out := map[string]bool{}
	for _, l := range lists {
		seen := map[string]int{}
		for _, e := range l {
			seen[e.Local]++
			if c != nil {
				if _, me := c.Lookup(e.Local); me != nil {
					out[e.Local] = out[e.Local] || me.Repeatable()
					continue
				}
			}
			if seen[e.Local] > 1 || (len(e.Children) > 0 && xmlkey.Key(e) != "") {
				out[e.Local] = true
			}
		}
	}
	return out
}

type idList struct {
	order []string
	byID  map[string]*xmldoc.Element
}

// ids names each child: a repeated one by its natural key (its position
// among its namesakes when it has none), any other by its name; a second
// element with the same identity gets a count.
func ids(children []*xmldoc.Element, repeats map[string]bool) idList {
	l := idList{byID: map[string]*xmldoc.Element{}}
	pos := map[string]int{}
	for _, e := range children {
		pos[e.Local]++
		id := e.Local
		if repeats[e.Local] {
			if k := xmlkey.Key(e); k != "" {
				id += "\x00" + k
			} else {
				id += "\x00#" + strconv.Itoa(pos[e.Local])
			}
		}
		for n, first := 2, id; l.byID[id] != nil; n++ {
			id = first + "\x01" + strconv.Itoa(n)
		}
		l.order = append(l.order, id)
		l.byID[id] = e
	}
	return l
}

// order is ours' order with what only theirs has inserted: among its
// namesakes at its key's place when ours keeps them sorted by key (as a
// retrieve writes fieldPermissions, sorted by field), otherwise after the
// element theirs has it after.
func order(ours, theirs []string) []string {
	out := slices.Clone(ours)
	for i, id := range theirs {
		if slices.Contains(out, id) {
			continue
		}
		name, _, keyed := strings.Cut(id, "\x00")
		if at, ok := sortedPlace(out, name, id); keyed && ok {
			out = slices.Insert(out, at, id)
			continue
		}
		at := 0
		for j := i - 1; j >= 0; j-- {
			if k := slices.Index(out, theirs[j]); k >= 0 {
				at = k + 1
				break
			}
		}
		out = slices.Insert(out, at, id)
	}
	return out
}

// sortedPlace is where id goes among the entries named name in ids, when
// there are some and they are in key order.
func sortedPlace(ids []string, name, id string) (int, bool) {
	var same []int
	for i, x := range ids {
		if n, _, _ := strings.Cut(x, "\x00"); n == name {
			same = append(same, i)
		}
	}
	if len(same) == 0 || !slices.IsSortedFunc(same, func(a, b int) int { return strings.Compare(ids[a], ids[b]) }) {
		return 0, false
	}
	for _, i := range same {
		if ids[i] > id {
			return i, true
		}
	}
	return same[len(same)-1] + 1, true
}

// Equal reports whether two elements are the same content: names,
// attributes, leaf text as written and children, positions ignored.
func Equal(a, b *xmldoc.Element) bool {
	if a == nil || b == nil {
		return a == b
	}
	if a.Local != b.Local || a.Space != b.Space || !slices.Equal(a.Attrs, b.Attrs) || len(a.Children) != len(b.Children) || !bytes.Equal(a.Raw, b.Raw) {
		return false
	}
	for i := range a.Children {
		if !Equal(a.Children[i], b.Children[i]) {
			return false
		}
	}
	return true
}

// Write serializes the merge in the retrieve layout, each conflict as
// git marks one: markers of markerSize characters around each side.
func (r *Result) Write(markerSize int) []byte {
	out := xmldoc.Write(r.Root)
	if r.Conflicts == 0 {
		return out
	}
	marker := func(c byte) string { return strings.Repeat(string(c), markerSize) }
	var b bytes.Buffer
	for _, line := range bytes.SplitAfter(out, []byte("\n")) {
		trimmed := strings.TrimSpace(string(line))
		var hit *conflict
		for p, c := range r.conflicts {
			if trimmed == "<"+p.Local+"/>" {
				hit = &c
				break
			}
		}
		if hit == nil {
			b.Write(line)
			continue
		}
		indent := strings.Repeat(xmldoc.Indent, (len(line)-len(bytes.TrimLeft(line, " ")))/len(xmldoc.Indent))
		fmt.Fprintf(&b, "%s ours\n", marker('<'))
		writeSide(&b, hit.ours, indent)
		fmt.Fprintf(&b, "%s\n", marker('='))
		writeSide(&b, hit.theirs, indent)
		fmt.Fprintf(&b, "%s theirs\n", marker('>'))
	}
	return b.Bytes()
}

// writeSide writes e (nothing for a deleted side) at indent.
func writeSide(b *bytes.Buffer, e *xmldoc.Element, indent string) {
	if e == nil {
		return
	}
	_, body, _ := bytes.Cut(xmldoc.Write(e), []byte("\n"))
	for _, line := range bytes.SplitAfter(body, []byte("\n")) {
		if len(line) > 0 {
			b.WriteString(indent)
			b.Write(line)
		}
	}
}
