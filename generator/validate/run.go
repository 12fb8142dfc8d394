package validate

import (
	"bytes"
	"context"
	"fmt"
	"runtime"
	"strings"
	"sync"
	"time"
	"unicode/utf8"

	"byocpack/internal/apiver"
	"byocpack/internal/diag"
	"byocpack/internal/registry"
)

// Options configures a validation run.
type Options struct {
	// Schema checks documents against the Metadata API XSDs; nil skips
	// schema checks (the BYOC rules still run).
	Schema SchemaChecker
	// Workers bounds how many files are checked at once; 0 means
	// GOMAXPROCS.
	Workers int
}

// doc is one file after the per-file checks, kept for the cross-file rules.
type doc struct {
	File
	Name string // component fullName from the path
	Root *node  // nil when the file is not a parsed XML document
}

// run holds what every rule needs during one Run; nothing in it outlives
// the call.
type run struct {
	in  Input
	now time.Time
	sev map[string]diag.Severity
	// version is in.APIVersion parsed, zero when it is not one.
	version  apiver.Version
	versions versionKnowledge
	reg      *registry.Registry
}

func (r *run) problem(rule string, f File, n *node, format string, args ...any) diag.Problem {
	p := diag.Problem{File: f.Path, Severity: r.sev[rule], Rule: rule, Message: fmt.Sprintf(format, args...)}
	if n != nil {
		p.Line, p.Col = n.Line, n.Col
	}
	return p
}

// Run validates every file of in and returns the problems found, sorted.
// Each file is checked on its own first (encoding, well-formedness, schema,
// single-file BYOC rules), concurrently; a broken file yields its problem
// and the run goes on. Cross-file rules then run over the parsed documents
// when in.Project is set. If ctx is cancelled, Run stops and returns
// ctx.Err() with the problems found so far.
func Run(ctx context.Context, in Input, opts Options) ([]diag.Problem, error) {
	r := &run{in: in, now: in.Now, sev: severities()}
	r.version, _ = apiver.Parse(in.APIVersion)
	r.versions = newVersionKnowledge()
	r.reg = registry.New()
	if r.now.IsZero() {
		r.now = time.Now()
	}
	workers := opts.Workers
	if workers <= 0 {
		workers = runtime.GOMAXPROCS(0)
	}

	docs := make([]doc, len(in.Files))
	perFile := make([][]diag.Problem, len(in.Files))
	jobs := make(chan int)
	var wg sync.WaitGroup
	for range min(workers, max(len(in.Files), 1)) {
		wg.Go(func() {
			for i := range jobs {
				docs[i], perFile[i] = r.checkFile(in.Files[i], opts.Schema)
			}
		})
	}
	var err error
feed:
	for i := range in.Files {
		select {
		case <-ctx.Done():
			err = ctx.Err()
			break feed
		case jobs <- i:
		}
	}
	close(jobs)
	wg.Wait()

	var out []diag.Problem
	for _, ps := range perFile {
		out = append(out, ps...)
	}
	if err != nil {
		return diag.Sort(out), err
	}
	if in.Project {
		out = append(out, r.crossFile(docs)...)
	}
	return diag.Sort(out), ctx.Err()
}

// isXMLPath reports whether a file is meant to be an XML document; other
// files (keys, READMEs) only get the secret scan.
func isXMLPath(p string) bool {
	return strings.HasSuffix(strings.ToLower(p), ".xml")
}

func (r *run) checkFile(f File, schema SchemaChecker) (doc, []diag.Problem) {
	// XML allows a UTF-8 byte-order mark (editors on Windows write one);
	// the decoders here would take it for text before the root.
	f.Data = bytes.TrimPrefix(f.Data, []byte("\xef\xbb\xbf"))
	d := doc{File: f, Name: fullName(f.Path)}
	if d.Type == "" {
		d.Type = typeOf(r.reg, f.Path)
	}
	var ps []diag.Problem
	if got, want, ok := caseMismatchSuffix(r.reg, f.Path); ok {
		ps = append(ps, r.problem(RuleSuffixCase, f, nil,
			"suffix %q is not a metadata suffix, sf fails with \"Could not infer a metadata type\"; rename the file to end in .%s-meta.xml",
			got, want))
	}
	if f.InPackage {
		ps = append(ps, r.secretScan(f)...)
	}
	if !isXMLPath(f.Path) {
		return d, ps
	}
	if len(bytes.TrimSpace(f.Data)) == 0 {
		return d, append(ps, r.problem(RuleEmptyFile, f, nil,
			"file is empty; write the metadata document or delete the file"))
	}
	if i := bytes.IndexByte(f.Data, 0); i >= 0 || !utf8.Valid(f.Data) {
		return d, append(ps, r.problem(RuleBinaryFile, f, nil,
			"file is binary (NUL bytes or invalid UTF-8), not a metadata document; save it as UTF-8 XML"))
	}
	root, err := parseXML(f.Data)
	if err != nil {
		pe := err.(*parseError)
		return d, append(ps, diag.Problem{File: f.Path, Line: pe.Line, Col: pe.Col, Severity: r.sev[RuleMalformedXML],
			Rule: RuleMalformedXML, Message: "not well-formed XML: " + pe.Msg + "; fix the syntax so sf can read the file"})
	}
	d.Root = root
	if schema != nil && d.Type != "" {
		ps = append(ps, schema.Check(r.in.APIVersion, d.Type, f.Path, f.Data)...)
	}
	return d, append(ps, r.fileRules(d)...)
}
