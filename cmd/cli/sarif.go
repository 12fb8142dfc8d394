package cli

import (
	"crypto/sha256"
	"encoding/hex"
	"io"
	"net/url"
	"os"
	"path/filepath"
	"regexp"
	"slices"
	"strings"

	"github.com/byocpack/byocpack/docs"
	"github.com/byocpack/byocpack/generator"
)

// SARIF 2.1.0 as GitHub code scanning takes it: every location a URI
// relative to the checkout (uriBaseId SRCROOT, the working directory, which
// upload-sarif's checkout_path is), every rule in rules[] with its page of
// the docs as helpUri, fingerprints that survive lines moving. Nothing
// machine-specific is written (no absolute checkout path, no time), so the
// same findings give the same bytes anywhere.
const (
	sarifVersion = "2.1.0"
	sarifSchema  = "https://json.schemastore.org/sarif-2.1.0.json"
	projectHome  = "https://github.com/byocpack/byocpack"
	docsBase     = projectHome + "/blob/main/docs/"
	srcRoot      = "SRCROOT"
)

// finding is one result of validate, review or diff, before it becomes a
// SARIF result.
type finding struct {
	Rule, Severity, Message, Fix string
	// File as the command reports it: a path, or OUTER!inner for a file
	// inside an archive or rendered from a spec.
	File      string
	Line, Col int
}

// sarifOptions say where results in files outside the checkout point.
type sarifOptions struct {
	// Spec is the spec the validated files were built from (--spec):
	// a finding in a file outside the working directory points at the
	// part of the spec that produced it.
	Spec string
	// Roots are the targets the files were found under; an outside file
	// is fingerprinted by its path below its root, so the fingerprint does
	// not depend on where the build went.
	Roots []string
}

// sarifRuleOf describes rule id from its section (or table row) of the
// docs, linked by its heading's anchor. A rule the docs lack (none
// should) is linked to rules.md.
func sarifRuleOf(id string) sarifRule {
	d, ok := docs.Lookup(id)
	if !ok {
		d = docs.Rule{Page: "rules.md", Anchor: docs.Slug(id), Summary: id, Description: id, Markdown: id}
	}
	uri := docsBase + d.Page + "#" + d.Anchor
	return sarifRule{ID: id, ShortDescription: sarifText{Text: d.Summary}, FullDescription: sarifText{Text: d.Description}, HelpURI: uri,
		Help: sarifText{Text: d.Description + "\n" + uri, Markdown: d.Markdown + "\n\n[" + id + "](" + uri + ")"}}
}

func sarifLevel(severity string) string {
	switch severity {
	case "error", "warning":
		return severity
	}
	return "note"
}

type sarifLog struct {
	Schema  string     `json:"$schema"`
	Version string     `json:"version"`
	Runs    []sarifRun `json:"runs"`
}

type sarifRun struct {
	Tool    sarifTool     `json:"tool"`
	Results []sarifResult `json:"results"`
}

type sarifTool struct {
	Driver sarifDriver `json:"driver"`
}

type sarifDriver struct {
	Name           string      `json:"name"`
	Version        string      `json:"version,omitempty"`
	Semantic       string      `json:"semanticVersion,omitempty"`
	InformationURI string      `json:"informationUri"`
	Rules          []sarifRule `json:"rules"`
}

type sarifText struct {
	Text     string `json:"text"`
	Markdown string `json:"markdown,omitempty"`
}

type sarifRule struct {
	ID               string    `json:"id"`
	ShortDescription sarifText `json:"shortDescription"`
	FullDescription  sarifText `json:"fullDescription"`
	HelpURI          string    `json:"helpUri"`
	Help             sarifText `json:"help"`
}

type sarifResult struct {
	RuleID              string            `json:"ruleId"`
	RuleIndex           int               `json:"ruleIndex"`
	Level               string            `json:"level"`
	Message             sarifText         `json:"message"`
	Locations           []sarifLocation   `json:"locations"`
	PartialFingerprints map[string]string `json:"partialFingerprints"`
}

type sarifLocation struct {
	PhysicalLocation sarifPhysical `json:"physicalLocation"`
}

type sarifPhysical struct {
	ArtifactLocation sarifArtifact `json:"artifactLocation"`
	Region           *sarifRegion  `json:"region"`
}

type sarifArtifact struct {
	URI       string `json:"uri"`
	URIBaseID string `json:"uriBaseId,omitempty"`
}

type sarifRegion struct {
	StartLine   int `json:"startLine"`
	StartColumn int `json:"startColumn,omitempty"`
}

// fingerprintKey names the fingerprint's recipe; a change of recipe gets a
// new key, so GitHub does not match old alerts against new hashes.
const fingerprintKey = "byocpackElement/v1"

// writeSARIF writes findings as one SARIF run of byocpack version.
func writeSARIF(w io.Writer, version string, findings []finding, opts sarifOptions) error {
	l := newLocator(opts)
	var ids []string
	for _, f := range findings {
		ids = append(ids, f.Rule)
	}
	slices.Sort(ids)
	ids = slices.Compact(ids)
	run := sarifRun{Tool: sarifTool{Driver: sarifDriver{Name: "byocpack", InformationURI: projectHome, Rules: []sarifRule{}}}, Results: []sarifResult{}}
	// git describe's v1.2.3-4-gabc: version takes the dotted numbers a
	// SARIF consumer compares, semanticVersion the rest; a build without
	// a tag ("dev") has neither.
	if m := releaseVersion.FindStringSubmatch(version); m != nil {
		run.Tool.Driver.Version, run.Tool.Driver.Semantic = m[1], strings.TrimPrefix(version, "v")
	}
	for _, id := range ids {
		run.Tool.Driver.Rules = append(run.Tool.Driver.Rules, sarifRuleOf(id))
	}
	for _, f := range findings {
		loc, fpPath, element := l.locate(f)
		msg := f.Message
		if f.Fix != "" {
			msg += "\nFix: " + f.Fix
		}
		if element == "" {
			element = "message:" + digits.ReplaceAllString(f.Message, "#")
		}
		sum := sha256.Sum256([]byte(f.Rule + "\x00" + fpPath + "\x00" + element))
		idx, _ := slices.BinarySearch(ids, f.Rule)
		run.Results = append(run.Results, sarifResult{RuleID: f.Rule, RuleIndex: idx, Level: sarifLevel(f.Severity), Message: sarifText{Text: msg},
			Locations: []sarifLocation{loc}, PartialFingerprints: map[string]string{fingerprintKey: hex.EncodeToString(sum[:16])}})
	}
	return writeJSON(w, sarifLog{Schema: sarifSchema, Version: sarifVersion, Runs: []sarifRun{run}})
}

var releaseVersion = regexp.MustCompile(`^v?([0-9]+(?:\.[0-9]+)*)`)

// digits are left out of a message that stands in for an element path:
// counts and positions in it change when nothing else does.
var digits = regexp.MustCompile(`[0-9]+`)

// locator turns a finding's file into a SARIF location.
type locator struct {
	opts    sarifOptions
	cwd     string
	sources *generator.Sources
}

func newLocator(opts sarifOptions) *locator {
	cwd, _ := os.Getwd()
	return &locator{opts: opts, cwd: cwd, sources: generator.NewSources()}
}

// locate returns where f is, the path its fingerprint uses and the path
// of the element it is about ("" when unknown).
func (l *locator) locate(f finding) (sarifLocation, string, string) {
	if outer, inner, ok := strings.Cut(f.File, "!"); ok {
		if isSpecFile(outer) {
			return l.inSpec(outer, inner), l.shown(outer) + "!" + inner, ""
		}
		return l.at(outer, 0, 0), l.shown(outer) + "!" + inner, ""
	}
	element := l.sources.ElementPath(f.File, f.Line)
	if rel, inside := l.relative(f.File); inside || l.opts.Spec == "" {
		return l.at(f.File, f.Line, f.Col), rel, element
	}
	below := l.belowRoot(f.File)
	return l.inSpec(l.opts.Spec, below), "spec!" + below, element
}

func isSpecFile(name string) bool {
	switch strings.ToLower(filepath.Ext(name)) {
	case ".yaml", ".yml", ".json":
		return true
	}
	return false
}

// relative returns name relative to the working directory, slash-separated,
// and whether it is inside it.
func (l *locator) relative(name string) (string, bool) {
	abs, err := filepath.Abs(name)
	if err != nil {
		return filepath.ToSlash(name), false
	}
	rel, err := filepath.Rel(l.cwd, abs)
	if err != nil || rel == ".." || strings.HasPrefix(rel, ".."+string(filepath.Separator)) {
		return filepath.ToSlash(abs), false
	}
	return filepath.ToSlash(rel), true
}

func (l *locator) shown(name string) string {
	rel, _ := l.relative(name)
	return rel
}

// belowRoot is name's path below the target it was found under.
func (l *locator) belowRoot(name string) string {
	abs, _ := filepath.Abs(name)
	for _, r := range l.opts.Roots {
		ra, err := filepath.Abs(r)
		if err != nil {
			continue
		}
		if rel, err := filepath.Rel(ra, abs); err == nil && !strings.HasPrefix(rel, "..") && rel != "." {
			return filepath.ToSlash(rel)
		}
	}
	return filepath.Base(name)
}

// at is a location in name: relative to SRCROOT inside the checkout, an
// absolute file URI outside it (GitHub cannot show that one; --spec says
// where it came from).
func (l *locator) at(name string, line, col int) sarifLocation {
	// A finding on a whole project (diff's namespace) is one on its
	// sfdx-project.json, where the namespace and versions are.
	if fi, err := os.Stat(name); err == nil && fi.IsDir() {
		name = filepath.Join(name, generator.ProjectFile)
	}
	var a sarifArtifact
	if rel, inside := l.relative(name); inside {
		a = sarifArtifact{URI: (&url.URL{Path: rel}).String(), URIBaseID: srcRoot}
	} else {
		a = sarifArtifact{URI: (&url.URL{Scheme: "file", Path: rel}).String()}
	}
	// GitHub places every alert on a line: one about the whole file goes
	// on the first.
	return sarifLocation{PhysicalLocation: sarifPhysical{ArtifactLocation: a, Region: &sarifRegion{StartLine: max(line, 1), StartColumn: col}}}
}

// inSpec is the line of specFile that produced the rendered file inner
// (its path below the output directory), or the spec's first line.
func (l *locator) inSpec(specFile, inner string) sarifLocation {
	return l.at(specFile, l.sources.SpecLine(specFile, inner), 0)
}
