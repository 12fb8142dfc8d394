package validate

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"io/fs"
	"runtime"
	"slices"
	"strings"
	"sync"
	"time"
	"unicode/utf8"

	"github.com/byocpack/byocpack/internal/apiver"
	"github.com/byocpack/byocpack/internal/castub"
	"github.com/byocpack/byocpack/internal/diag"
	"github.com/byocpack/byocpack/internal/fserr"
	"github.com/byocpack/byocpack/internal/registry"
	"github.com/byocpack/byocpack/internal/secrets"
	"github.com/byocpack/byocpack/internal/tree"
	"github.com/byocpack/byocpack/internal/xmldoc"
)

// Options configures a validation run.
type Options struct {
	// Schema checks documents against the Metadata API XSDs; nil skips
	// schema checks (the BYOC rules still run).
	Schema SchemaChecker
	// Workers bounds how many files are checked at once; 0 means
	// GOMAXPROCS.
	Workers int
	// SchemaOnly gives the XSD verdict alone (validate --xsd): the
	// content-model check and whether a file is XML at all, no BYOC rule.
	SchemaOnly bool
	// Stats, when set, receives counts of the run.
	Stats *Stats
	// Parsed, when set, returns a parse the caller already has of a
	// file's exact bytes (render's, for build), nil when it has none; Run
	// parses the rest itself. The document must not change.
	Parsed func(data []byte) *xmldoc.Document
	// Secrets, when set, remembers what the secrets scan found clean, for
	// the packaging gates that scan the same bytes after validation.
	Secrets *secrets.Memo
}

// sharedVersionKnowledge is built once per process: it depends on the
// generated knowledge alone and is only read.
var sharedVersionKnowledge = sync.OnceValue(newVersionKnowledge)

// RuleIO is a file that could not be read (it vanished, or permissions);
// the ID is the one generator reports for files it reads itself.
const RuleIO = "io"

// Stats are counts of one Run.
type Stats struct {
	// Files counts the files checked.
	Files int
	// Silenced counts the problems of rules in Input.Disabled.
	Silenced int
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
	version    apiver.Version
	versions   versionKnowledge
	reg        *registry.Registry
	schemaOnly bool
	certs      *certCache
	// parsed is Options.Parsed.
	parsed func([]byte) *xmldoc.Document
	// secrets is Options.Secrets.
	secrets *secrets.Memo
}

func (r *run) problem(rule string, f File, n *node, format string, args ...any) diag.Problem {
	p := diag.Problem{File: f.Path, Severity: r.sev[rule], Rule: rule, Message: fmt.Sprintf(format, args...)}
	if n != nil {
		p.Line, p.Column = n.Line, n.Col
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
	r := &run{in: in, now: in.Now, sev: severities(), certs: &certCache{}}
	r.version, _ = apiver.Parse(in.APIVersion)
	r.versions = sharedVersionKnowledge()
	r.reg = registry.New()
	if r.now.IsZero() {
		r.now = time.Now()
	}
	workers := opts.Workers
	if workers <= 0 {
		workers = runtime.GOMAXPROCS(0)
	}

	r.schemaOnly = opts.SchemaOnly
	r.parsed = opts.Parsed
	r.secrets = opts.Secrets
	// One slot per file, in the order the files came, so the cross-file
	// rules see them in that order whichever worker finished first.
	type slot struct {
		f  File
		d  doc
		ps []diag.Problem
	}
	var slots []*slot
	jobs := make(chan *slot)
	var wg sync.WaitGroup
	n := workers
	if in.Feed == nil {
		n = min(workers, max(len(in.Files), 1))
	}
	for range n {
		wg.Go(func() {
			for s := range jobs {
				s.d, s.ps = r.checkFile(s.f, opts.Schema)
				s.ps = capFile(s.f.Path, s.ps)
				// What the cross-file rules need is the tree; the bytes
				// go, so a large tree is never held whole.
				s.d.Data, s.d.Load, s.f = nil, nil, File{}
				if s.d.Type != "" && !crossFileTypes()[s.d.Type] {
					// No cross-file rule reads a Flow's or a Profile's
					// tree: holding 10,000 of them was most of the
					// memory of a large repository's run.
					s.d.Root = nil
				}
			}
		})
	}
	var err error
	send := func(f File) bool {
		s := &slot{f: f}
		select {
		case <-ctx.Done():
			err = ctx.Err()
			return false
		case jobs <- s:
			slots = append(slots, s)
			return true
		}
	}
	ok := true
	for _, f := range in.Files {
		if ok = send(f); !ok {
			break
		}
	}
	if in.Feed != nil {
		for f := range in.Feed {
			if ok && !send(f) {
				ok = false
			}
		}
	}
	close(jobs)
	wg.Wait()
	if opts.Stats != nil {
		opts.Stats.Files += len(slots)
	}

	docs := make([]doc, len(slots))
	var out []diag.Problem
	for i, s := range slots {
		docs[i] = s.d
		out = append(out, s.ps...)
	}
	if err == nil && in.Project && !opts.SchemaOnly {
		out = append(out, r.crossFile(docs)...)
	}
	out, silenced := Silence(out, in.Disabled)
	if opts.Stats != nil {
		opts.Stats.Silenced += silenced
	}
	if err != nil {
		return diag.Sort(out), err
	}
	return diag.Sort(out), ctx.Err()
}

// maxFileProblems bounds what one file reports: a file of 100,000
// repeated elements gave 100,000 problems and 75 MB of JSON.
const maxFileProblems = 200

// capFile keeps maxFileProblems problems of a file, errors before
// warnings so that no error hides behind them, and says how many more
// there were, as an error when any of those is one: a cut must never
// turn a refused file into a passing one.
func capFile(file string, ps []diag.Problem) []diag.Problem {
	if len(ps) <= maxFileProblems {
		return ps
	}
	rank := func(s diag.Severity) int {
		switch s {
		case diag.Error:
			return 0
		case diag.Warning:
			return 1
		}
		return 2
	}
	ps = diag.Sort(ps)
	slices.SortStableFunc(ps, func(a, b diag.Problem) int { return rank(a.Severity) - rank(b.Severity) })
	kept, dropped := ps[:maxFileProblems:maxFileProblems], ps[maxFileProblems:]
	summary := diag.Problem{File: file, Severity: dropped[0].Severity, Rule: dropped[0].Rule,
		Message: fmt.Sprintf("%d more problems in this file are not shown (the first %d are); fix those and validate again", len(dropped), maxFileProblems)}
	return diag.Sort(append(kept, summary))
}

// Silence drops the problems of the disabled rules and says how many it
// dropped.
func Silence(ps []diag.Problem, disabled []string) ([]diag.Problem, int) {
	if len(disabled) == 0 {
		return ps, 0
	}
	var kept []diag.Problem
	for _, p := range ps {
		if !slices.Contains(disabled, p.Rule) {
			kept = append(kept, p)
		}
	}
	return kept, len(ps) - len(kept)
}

// isXMLPath reports whether a file is meant to be an XML document; other
// files (keys, READMEs) only get the secret scan.
func isXMLPath(p string) bool {
	return len(p) >= 4 && strings.EqualFold(p[len(p)-4:], ".xml")
}

func (r *run) checkFile(f File, schema SchemaChecker) (doc, []diag.Problem) {
	d := doc{File: f, Name: fullName(f.Path)}
	if d.Type == "" {
		d.Type = typeOf(r.reg, f.Path)
	}
	if f.Data == nil && f.Load != nil {
		data, err := f.Load()
		if err != nil {
			msg := fmt.Sprintf("cannot read the file: %v", fserr.Cause(err))
			switch {
			case tree.IsNotRegular(err):
				msg += "; pass metadata files, not pipes or devices"
			case errors.Is(err, fs.ErrPermission):
				msg += "; check its permissions"
			}
			return d, []diag.Problem{{File: f.Path, Severity: diag.Error, Rule: RuleIO, Message: msg}}
		}
		f.Data = data
		d.Data = data
	}
	// XML allows a UTF-8 byte-order mark (editors on Windows write one);
	// the checks below would take it for text before the root.
	f.Data = bytes.TrimPrefix(f.Data, []byte("\xef\xbb\xbf"))
	var ps []diag.Problem
	if !r.schemaOnly {
		// A file of a known type has the right suffix by definition.
		if d.Type == "" {
			if got, want, ok := caseMismatchSuffix(r.reg, f.Path); ok {
				ps = append(ps, r.problem(RuleSuffixCase, f, nil,
					"suffix %q is not a metadata suffix, sf fails with \"Could not infer a metadata type\"; rename the file to end in .%s-meta.xml",
					got, want))
			}
		}
		if f.InPackage {
			ps = append(ps, r.secretScan(f)...)
		} else if d.Type == "" {
			// Keys sit in files of their own (server.key); the metadata
			// files of such a directory are what it is for.
			ps = append(ps, r.keyOutsidePackage(f)...)
		}
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
	// One parse feeds the content-model check and every rule.
	parsed, err := r.parse(f.Data)
	if err != nil {
		pe := asParseError(err)
		return d, append(ps, diag.Problem{File: f.Path, Line: pe.Line, Column: pe.Col, Severity: r.sev[RuleMalformedXML],
			Rule: RuleMalformedXML, Message: "not well-formed XML: " + pe.Msg + "; fix the syntax so sf can read the file"})
	}
	if schema != nil && d.Type != "" {
		// A connected app stub has elements no ConnectedApp XSD has:
		// BYOC-CA-STUB judges it. --xsd says it did not judge a
		// well-formed one, and judges one that mixes in a full app's
		// elements.
		switch stub := d.Type == typeConnectedApp && castub.MeantDocument(parsed); {
		case stub && !r.schemaOnly:
		case stub && castub.IsDocument(parsed):
			ps = append(ps, r.stubNotJudged(f))
		default:
			ps = append(ps, schema.Check(r.in.APIVersion, d.Type, f.Path, parsed)...)
		}
	}
	d.Root = nodeOf(parsed.Root)
	if r.schemaOnly {
		return d, ps
	}
	return d, append(ps, r.fileRules(d)...)
}

// crossFileTypes are the types whose trees the cross-file rules read: the
// types byocpack renders (apiver.Types).
var crossFileTypes = sync.OnceValue(func() map[string]bool {
	out := map[string]bool{}
	for _, t := range apiver.Types() {
		out[t] = true
	}
	return out
})

// parse is the caller's parse of data when it has one, else a new one.
func (r *run) parse(data []byte) (*xmldoc.Document, error) {
	if r.parsed != nil {
		if d := r.parsed(data); d != nil {
			return d, nil
		}
	}
	return xmldoc.Parse(data)
}
