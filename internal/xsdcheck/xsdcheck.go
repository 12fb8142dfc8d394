// Package xsdcheck validates Salesforce metadata documents against the
// per-type XSDs in schemas/ (see internal/schemagen) with the pure-Go
// github.com/jacoelho/xsd engine, and turns the engine's terse findings into
// problems a release engineer can act on: the element, its path, the allowed
// enumeration values, the elements the sequence expects.
//
// The engine is proven against xmllint by the differential test in this
// package; known disagreements are listed there with their reasons.
package xsdcheck

import (
	"bytes"
	"cmp"
	"context"
	"errors"
	"fmt"
	"io/fs"
	"path"
	"slices"
	"strings"
	"sync"
	"unicode/utf8"

	"github.com/jacoelho/xsd"
	"github.com/jacoelho/xsd/xsderrors"

	"byocpack/internal/apiver"
	"byocpack/internal/diag"
)

// MetadataNamespace is the namespace every Metadata API document's root
// element must be in.
const MetadataNamespace = "http://soap.sforce.com/2006/04/metadata"

const (
	ruleXSD = "xsd"
	ruleXML = "xml"
)

// Schema identifies one schema the Checker can use.
type Schema struct {
	Version string // API version, such as "66.0"
	Type    string // metadata type, such as "CustomObject"
}

// Checker validates documents against schemas read from an fs.FS laid out as
// v<api>/<Type>.xsd (schemas.FS). Each schema is compiled at most once, on
// first use; a Checker is safe for concurrent use.
type Checker struct {
	fsys fs.FS

	catalogOnce sync.Once
	catalog     []Schema

	mu      sync.Mutex
	entries map[Schema]*entry
}

// entry holds one compiled schema. once guards the compile so concurrent
// first uses of the same schema wait for one compile instead of racing.
type entry struct {
	once  sync.Once
	eng   *xsd.Engine
	model *model
	err   error
}

// New returns a Checker over fsys, usually schemas.FS.
func New(fsys fs.FS) *Checker {
	return &Checker{fsys: fsys, entries: map[Schema]*entry{}}
}

// Supported lists every (version, type) with a schema, ordered by version
// (numerically) and then type.
func (c *Checker) Supported() []Schema {
	c.catalogOnce.Do(func() {
		if c.fsys == nil {
			return
		}
		type parsed struct {
			v apiver.Version
			s Schema
		}
		var found []parsed
		files, _ := fs.Glob(c.fsys, "v*/*.xsd")
		for _, f := range files {
			dir, file := path.Split(f)
			v, err := apiver.Parse(strings.TrimPrefix(strings.TrimSuffix(dir, "/"), "v"))
			if err != nil {
				continue // not a directory schemagen writes
			}
			found = append(found, parsed{v, Schema{Version: v.String(), Type: strings.TrimSuffix(file, ".xsd")}})
		}
		// By the parsed version, so v100.0 comes after v62.0.
		slices.SortFunc(found, func(a, b parsed) int { return cmp.Or(a.v.Compare(b.v), strings.Compare(a.s.Type, b.s.Type)) })
		for _, p := range found {
			c.catalog = append(c.catalog, p.s)
		}
	})
	return slices.Clone(c.catalog)
}

// Versions lists the API versions with at least one schema, oldest first.
func (c *Checker) Versions() []string {
	var out []string
	for _, s := range c.Supported() {
		if len(out) == 0 || out[len(out)-1] != s.Version {
			out = append(out, s.Version)
		}
	}
	return out
}

// Types lists the metadata types with a schema at apiVersion ("66.0"),
// sorted.
func (c *Checker) Types(apiVersion string) []string {
	var out []string
	for _, s := range c.Supported() {
		if s.Version == apiVersion {
			out = append(out, s.Type)
		}
	}
	return out
}

// lookup finds the schema of metadataType at apiVersion, written as
// Salesforce writes it ("66.0", see apiver.Parse): the catalogue holds
// parsed versions written back, so no other spelling matches.
func (c *Checker) lookup(apiVersion, metadataType string) (*entry, bool) {
	key := Schema{Version: apiVersion, Type: metadataType}
	if !slices.Contains(c.Supported(), key) {
		return nil, false
	}
	c.mu.Lock()
	e, ok := c.entries[key]
	if !ok {
		e = &entry{}
		c.entries[key] = e
	}
	c.mu.Unlock()
	e.once.Do(func() {
		name := "v" + key.Version + "/" + key.Type + ".xsd"
		data, err := fs.ReadFile(c.fsys, name)
		if err != nil {
			e.err = err
			return
		}
		if e.model, err = parseModel(data); err != nil {
			e.err = fmt.Errorf("schema %s: %w", name, err)
			return
		}
		if e.eng, err = xsd.Compile(context.Background(), xsd.Bytes(name, data)); err != nil {
			e.err = fmt.Errorf("schema %s does not compile: %w", name, err)
		}
	})
	return e, true
}

// Check validates data, the content of the file at path, against the schema
// of metadataType at apiVersion. It never panics on bad input: an empty,
// binary or malformed file yields one "xml" problem, a wrong root one "xsd"
// problem, and schema violations one "xsd" problem each.
func (c *Checker) Check(apiVersion, metadataType, path string, data []byte) []diag.Problem {
	e, ok := c.lookup(apiVersion, metadataType)
	if !ok {
		return []diag.Problem{problem(path, 0, 0, ruleXSD, c.noSchemaMessage(apiVersion, metadataType))}
	}
	if e.err != nil {
		return []diag.Problem{problem(path, 0, 0, ruleXSD, e.err.Error())}
	}
	if len(bytes.TrimSpace(data)) == 0 {
		return []diag.Problem{problem(path, 0, 0, ruleXML, "file is empty; expected a <"+metadataType+"> document")}
	}
	if i := bytes.IndexByte(data, 0); i >= 0 || !utf8.Valid(data) {
		return []diag.Problem{problem(path, 0, 0, ruleXML, "file is binary or not UTF-8 text; Metadata API files are UTF-8 XML")}
	}
	err := e.eng.Validate(context.Background(), bytes.NewReader(data))
	if err == nil {
		return nil
	}
	return explain(e.model, metadataType, path, data, engineErrors(err))
}

func (c *Checker) noSchemaMessage(apiVersion, metadataType string) string {
	versions := c.Versions()
	if len(versions) == 0 {
		return "no XSD schemas are available (the schema file system is empty)"
	}
	if types := c.Types(apiVersion); len(types) > 0 {
		return fmt.Sprintf("no XSD schema for metadata type %q at API version %s; types with schemas: %s",
			metadataType, apiVersion, strings.Join(types, ", "))
	}
	return fmt.Sprintf("no XSD schemas for API version %q; supported versions: %s", apiVersion, strings.Join(versions, ", "))
}

func problem(file string, line, col int, rule, msg string) diag.Problem {
	return diag.Problem{File: file, Line: max(line, 0), Col: max(col, 0), Severity: diag.Error, Rule: rule, Message: msg}
}

// engineErrors flattens what Validate returned into structured errors.
func engineErrors(err error) []*xsderrors.Error {
	var out []*xsderrors.Error
	var walk func(error)
	walk = func(err error) {
		if err == nil {
			return
		}
		if es, ok := err.(xsderrors.Errors); ok {
			for _, e := range es {
				walk(e)
			}
			return
		}
		if x, ok := errors.AsType[*xsderrors.Error](err); ok && x != nil {
			out = append(out, x)
			return
		}
		out = append(out, &xsderrors.Error{Category: xsderrors.CategoryInternal, Message: err.Error()})
	}
	walk(err)
	return out
}
