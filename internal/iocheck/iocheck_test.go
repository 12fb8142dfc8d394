package iocheck

import (
	"bufio"
	"fmt"
	"go/ast"
	"go/parser"
	"go/token"
	"io/fs"
	"os"
	"path/filepath"
	"sort"
	"strconv"
	"strings"
	"testing"
)

// guarded are the calls that open, create or move a file by name: what the
// reader and writer packages exist to do safely.
var guarded = map[string]map[string]bool{
	"os": {"ReadFile": true, "Open": true, "OpenFile": true, "Create": true,
		"CreateTemp": true, "WriteFile": true, "Rename": true},
	"io/ioutil": {"ReadFile": true, "WriteFile": true, "TempFile": true},
}

// owners are the reader and writer packages; the calls in them are the
// machinery itself.
var owners = []string{"internal/tree/", "internal/fsutil/", "internal/outdir/"}

// use is one guarded call: the file it is in and the call, "os.ReadFile".
type use struct{ file, call string }

// moduleRoot is two directories up from this package.
func moduleRoot(t *testing.T) string {
	t.Helper()
	root, err := filepath.Abs(filepath.Join("..", ".."))
	if err != nil {
		t.Fatal(err)
	}
	if _, err := os.Stat(filepath.Join(root, "go.mod")); err != nil {
		t.Fatalf("module root not found: %v", err)
	}
	return root
}

// scan lists every guarded call in the module's non-test Go files outside
// the owners, with the line of each for the failure message.
func scan(t *testing.T, root string) (map[use]int, map[use][]string) {
	t.Helper()
	count, where := map[use]int{}, map[use][]string{}
	fset := token.NewFileSet()
	err := filepath.WalkDir(root, func(p string, d fs.DirEntry, err error) error {
		if err != nil {
			return err
		}
		rel := filepath.ToSlash(strings.TrimPrefix(p, root+string(filepath.Separator)))
		if d.IsDir() {
			name := d.Name()
			if p != root && (strings.HasPrefix(name, ".") || name == "testdata" || name == "node_modules") {
				return filepath.SkipDir
			}
			return nil
		}
		if !strings.HasSuffix(rel, ".go") || strings.HasSuffix(rel, "_test.go") {
			return nil
		}
		for _, o := range owners {
			if strings.HasPrefix(rel, o) {
				return nil
			}
		}
		f, err := parser.ParseFile(fset, p, nil, parser.SkipObjectResolution)
		if err != nil {
			return err
		}
		names := map[string]string{} // local name → import path
		for _, im := range f.Imports {
			ip, _ := strconv.Unquote(im.Path.Value)
			if guarded[ip] == nil {
				continue
			}
			local := ip[strings.LastIndex(ip, "/")+1:]
			if im.Name != nil {
				local = im.Name.Name
			}
			names[local] = ip
		}
		ast.Inspect(f, func(n ast.Node) bool {
			sel, ok := n.(*ast.SelectorExpr)
			if !ok {
				return true
			}
			id, ok := sel.X.(*ast.Ident)
			if !ok || !guarded[names[id.Name]][sel.Sel.Name] {
				return true
			}
			pkg := names[id.Name]
			u := use{rel, pkg[strings.LastIndex(pkg, "/")+1:] + "." + sel.Sel.Name}
			count[u]++
			where[u] = append(where[u], fmt.Sprintf("%s:%d", rel, fset.Position(sel.Pos()).Line))
			return true
		})
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	return count, where
}

// readAllowlist reads allowlist.txt: one line per allowed call,
// "path os.Call  reason", a call used twice in a file listed twice.
func readAllowlist(t *testing.T) map[use]int {
	t.Helper()
	f, err := os.Open("allowlist.txt")
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	allowed := map[use]int{}
	sc := bufio.NewScanner(f)
	for n := 1; sc.Scan(); n++ {
		line := strings.TrimSpace(sc.Text())
		if line == "" || strings.HasPrefix(line, "#") {
			continue
		}
		fields := strings.Fields(line)
		if len(fields) < 3 {
			t.Errorf("allowlist.txt:%d: want \"path os.Call reason\", got %q", n, line)
			continue
		}
		allowed[use{fields[0], fields[1]}]++
	}
	if err := sc.Err(); err != nil {
		t.Fatal(err)
	}
	return allowed
}

// TestFileAccessGoesThroughReaderAndWriter fails on a guarded call outside
// internal/tree, internal/fsutil and internal/outdir that allowlist.txt
// does not list, and on an allowlist line no call needs any more (so the
// list only shrinks).
func TestFileAccessGoesThroughReaderAndWriter(t *testing.T) {
	count, where := scan(t, moduleRoot(t))
	allowed := readAllowlist(t)
	var bad []string
	for u, n := range count {
		if n > allowed[u] {
			bad = append(bad, fmt.Sprintf("%s: %d× %s, allowlist.txt lists %d (read through internal/tree, write through internal/fsutil, or list it with a reason)",
				strings.Join(where[u], ", "), n, u.call, allowed[u]))
		}
	}
	for u, n := range allowed {
		if count[u] < n {
			bad = append(bad, fmt.Sprintf("allowlist.txt lists %s in %s %d×, the code has %d: remove the stale line", u.call, u.file, n, count[u]))
		}
	}
	sort.Strings(bad)
	for _, b := range bad {
		t.Error(b)
	}
}
