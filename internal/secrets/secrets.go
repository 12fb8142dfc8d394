// Package secrets finds what must never ship in a Salesforce package: private
// keys, OAuth consumer keys and secrets, and ExtlClntAppGlobalOauthSettings
// documents. It judges a file by its bytes, not by its name: a key renamed
// to logo.png, or zipped into a static resource, is found all the same.
//
// Scan is meant to run on every file that goes into a package. A plain
// metadata file costs a few substring searches and nothing is parsed unless
// one of them hits. Archives (zip and jar, tar, and gzip, bzip2, xz or zstd
// streams, so also .tar.gz and .tgz) are recognised by their content and
// opened in memory, to a bounded depth, with bounded entry counts and sizes.
// An archive that cannot be scanned within those bounds, or cannot be read
// at all, is itself a finding: what cannot be checked is refused, never
// waved through. Every finding is a reason to refuse the file; there are no
// warnings.
package secrets

import (
	"bytes"
	"fmt"
	"html"
	"regexp"
	"strconv"
	"strings"
	"sync"
)

// Kind says what was found. Its value is the BYOC rule ID under which
// byocpack reports it, so every caller (validate, package, build) reports a
// finding under the same ID.
type Kind string

const (
	// PrivateKey is a private key in any encoding: PEM (every "PRIVATE KEY"
	// block, OpenSSH, SSH2, PGP), DER (PKCS#1, PKCS#8, encrypted PKCS#8,
	// SEC 1, DSA), a bare base64 or base64url body of one (also split
	// across string literals), DER in hex, a JSON Web Key with its private
	// member, .NET RSAKeyValue XML with its private elements, PKCS#12 and
	// Java keystores, and PuTTY key files; in UTF-16 or UTF-32 text and in
	// zlib or deflate streams as well (encodings.go).
	PrivateKey Kind = "BYOC-NO-PRIVATE-KEY"
	// ConsumerKey is a consumerKey or consumerSecret element, the names
	// ConnectedApp oauthConfig, ExtlClntAppGlobalOauthSettings and
	// AuthProvider use in the Metadata API WSDL.
	ConsumerKey Kind = "BYOC-NO-CONSUMER-KEY"
	// GlobalOauth is a document whose root element is
	// ExtlClntAppGlobalOauthSettings, or a file named like one
	// (.ecaGlblOauth-meta.xml, .ecaGlblOauth).
	GlobalOauth Kind = "BYOC-NO-GLOBAL-OAUTH"
	// Unscannable is an archive that could not be scanned: larger than the
	// limits below, nested too deep, corrupt, encrypted, or in a format the
	// scanner does not open.
	Unscannable Kind = "BYOC-UNSCANNABLE-ARCHIVE"
)

// Kinds lists every Kind, for callers that keep a rule catalogue.
func Kinds() []Kind { return []Kind{PrivateKey, ConsumerKey, GlobalOauth, Unscannable} }

// The limits bound the work and memory one Scan may spend on a hostile
// file. Bytes held at any moment are at most the file itself plus
// MaxTotalSize (every decompressed byte counts once against it, and only
// one decompressor is open at a time), so a zip bomb costs at most that.
const (
	// MaxDepth is how many containers (an archive, or a compressed
	// stream) may be nested: a static resource zip holding a .tar.gz
	// (gzip, then tar) holding a zip is four. A fifth is refused, which
	// also stops a zip that contains itself.
	MaxDepth = 4
	// MaxEntries is how many archive entries one Scan visits, over all
	// levels. Web bundles shipped as static resources hold hundreds to a
	// few thousand files; more than this is refused rather than walked.
	MaxEntries = 10_000
	// MaxEntrySize is the most one entry, or one decompressed stream, may
	// expand to. Salesforce caps a static resource at 5 MB; a file of a
	// bundle that expands past 16 MiB is not web content.
	MaxEntrySize = 16 << 20
	// MaxTotalSize is the most all of one file's archives together may
	// expand to: a 5 MB static resource of text compresses about 3 to 10
	// times, so 64 MiB leaves room for any real one and refuses bombs.
	MaxTotalSize = 64 << 20
	// MaxFindings is how many findings one Scan returns; a file with more
	// is refused anyway, and listing a million copies of one key helps no
	// one.
	MaxFindings = 100
)

// Finding is one thing that must not ship.
type Finding struct {
	// Name is the name Scan was given; for something inside an archive it
	// goes on with "!" and the entry's path for each level, as in
	// "staticresources/x.resource!certs/key.pem".
	Name string
	// Entry is the part of Name inside archives, "" for the file itself.
	// Compressed content that is not an archive is named by its format,
	// such as "(gzip content)".
	Entry string
	// Line and Column (1-based, in bytes) locate the finding in the
	// innermost entry's content, or in the file when Entry is ""; 0 when
	// there is no meaningful position (binary encodings, whole files).
	Line, Column int
	Kind         Kind
	// Message says what was found and how to fix it.
	Message string
}

// Detail is the message with the archive entry and position in front when
// the finding is inside an archive, so a caller that reports the outer file
// (which is what goes into a package) still says where to look.
func (f Finding) Detail() string {
	if f.Entry == "" {
		return f.Message
	}
	return "archive entry " + f.Entry + f.pos() + ": " + f.Message
}

// String formats the finding as "name:line:col: KIND: message".
func (f Finding) String() string {
	return f.Name + f.pos() + ": " + string(f.Kind) + ": " + f.Message
}

// pos is ":line:col", ":line" or "", as much as is known.
func (f Finding) pos() string {
	switch {
	case f.Line > 0 && f.Column > 0:
		return fmt.Sprintf(":%d:%d", f.Line, f.Column)
	case f.Line > 0:
		return fmt.Sprintf(":%d", f.Line)
	}
	return ""
}

// Scan returns what in data must not ship, in the order found (archive
// entries in archive order). name is used in findings only and, beyond
// that, only to recognise a global OAuth settings file by its suffix; the
// content decides everything else. Scan never fails: a file it cannot read
// as the archive it claims to be is an Unscannable finding. It is safe for
// concurrent use.
func Scan(name string, data []byte) []Finding {
	return scanWith(defaultLimits, name, data)
}

// limits is the set of bounds a scan runs under; tests shrink them.
type limits struct {
	depth, entries int
	entry, total   int64
	findings       int
}

var defaultLimits = limits{depth: MaxDepth, entries: MaxEntries, entry: MaxEntrySize, total: MaxTotalSize, findings: MaxFindings}

// scanner is the state of one Scan.
type scanner struct {
	lim      limits
	name     string
	findings []Finding
	entries  int   // archive entries visited so far
	budget   int64 // bytes that may still be decompressed
	stopped  bool  // a whole-scan limit was hit; no more work
	memo     *Memo // contents scanned clean before in this run; nil for none
	b64Read  int   // bytes collectB64 went over, which tests hold linear
}

func scanWith(lim limits, name string, data []byte) []Finding {
	s := &scanner{lim: lim, name: name, budget: lim.total}
	s.file("", data, 0, "")
	return s.findings
}

func (s *scanner) full() bool { return len(s.findings) >= s.lim.findings }

// add records a finding; off is a byte offset into content, or -1.
func (s *scanner) add(entry string, content []byte, off int, kind Kind, format string, args ...any) {
	if s.full() {
		return
	}
	f := Finding{Name: s.name, Entry: entry, Kind: kind, Message: fmt.Sprintf(format, args...)}
	if entry != "" {
		f.Name += "!" + entry
	}
	if off >= 0 {
		f.Line, f.Column = lineCol(content, off)
	}
	s.findings = append(s.findings, f)
}

// refuse records an Unscannable finding for a whole entry or file.
func (s *scanner) refuse(entry, format string, args ...any) {
	s.add(entry, nil, -1, Unscannable, format+"; byocpack refuses what it cannot check for private keys and OAuth secrets: ship the files unarchived, or as a smaller plain zip", args...)
}

// file scans one file or entry. label names compressed content that turns
// out not to be an archive (a gzip of a single file has no entry names).
func (s *scanner) file(entry string, data []byte, depth int, label string) {
	if s.stopped || s.full() {
		return
	}
	if s.memo.passed(s.nameOf(entry), data) {
		return
	}
	before, budget := len(s.findings), s.budget
	if s.container(entry, data, depth) {
		// An archive's raw bytes can hold what its entries do not (a zip
		// comment, bytes between entries).
		s.raw(entry, data, before)
		return
	}
	if label != "" {
		entry = join(entry, label)
	}
	s.deflated(entry, data, depth)
	s.content(entry, data)
	s.decoded(entry, data, before)
	// Remembered only when the scan read the bytes as it would at any
	// depth and with the whole budget: at the depth limit a raw deflate
	// stream is passed over, so bytes that are clean there may hold a key
	// one level up; a stream inside them is read only as far as the budget
	// left allows.
	if len(s.findings) == before && s.budget == budget && !s.stopped && depth < s.lim.depth && budget >= s.lim.entry {
		s.memo.pass(data)
	}
}

// decoded scans text as the program reading it sees it: an XML parser
// hands Salesforce a value written with character references (&#45; for
// "-", &#10; for a line break), split by a comment (<!-- -->) or wrapped
// in CDATA as the plain text; a JSON or JavaScript string written with
// \uXXXX escapes is the plain text to its reader. A key spelled so is a
// key. It runs only when the file holds such a spelling and nothing was
// found in its raw bytes; findings carry no line (the offsets are the
// decoded text's).
func (s *scanner) decoded(entry string, data []byte, before int) {
	if len(s.findings) > before || s.full() {
		return
	}
	text := data
	if bytes.Contains(text, []byte("<!--")) {
		text = xmlComment().ReplaceAll(text, nil)
	}
	if bytes.Contains(text, []byte("<![CDATA[")) {
		text = bytes.ReplaceAll(bytes.ReplaceAll(text, []byte("<![CDATA["), nil), []byte("]]>"), nil)
	}
	if bytes.Contains(text, []byte("&#")) {
		text = []byte(html.UnescapeString(string(text)))
	}
	if bytes.Contains(text, []byte(`\u`)) {
		text = unicodeEscape().ReplaceAllFunc(text, func(m []byte) []byte {
			r, _ := strconv.ParseUint(string(m[2:]), 16, 32)
			return []byte(string(rune(r)))
		})
	}
	if bytes.Equal(text, data) {
		return
	}
	sub := &scanner{lim: s.lim, name: s.name}
	sub.content(join(entry, "(as its reader decodes it)"), text)
	for _, f := range sub.findings {
		f.Line, f.Column = 0, 0
		if !s.full() {
			s.findings = append(s.findings, f)
		}
	}
}

// join appends one level to an entry path.
func join(entry, name string) string {
	if entry == "" {
		return name
	}
	return entry + "!" + name
}

// lineCol turns a byte offset into a 1-based line and byte column.
func lineCol(data []byte, off int) (int, int) {
	before := data[:off]
	return bytes.Count(before, []byte{'\n'}) + 1, off - bytes.LastIndexByte(before, '\n')
}

// xmlComment matches an XML comment; unicodeEscape a \uXXXX escape.
var (
	xmlComment    = sync.OnceValue(func() *regexp.Regexp { return regexp.MustCompile(`(?s)<!--.*?-->`) })
	unicodeEscape = sync.OnceValue(func() *regexp.Regexp { return regexp.MustCompile(`\\u[0-9A-Fa-f]{4}`) })
)

// nameOf is the name the global OAuth check reads for entry: the entry's
// own inside an archive, the file's at the top.
func (s *scanner) nameOf(entry string) string {
	if entry == "" {
		return s.name
	}
	return entry[strings.LastIndexByte(entry, '!')+1:]
}

// raw scans an archive's own bytes (or what stands for them) and keeps
// what they show only for kinds its entries, found since before, did not
// already report.
func (s *scanner) raw(entry string, data []byte, before int) {
	seen := map[Kind]bool{}
	for _, f := range s.findings[before:] {
		seen[f.Kind] = true
	}
	raw := &scanner{lim: s.lim, name: s.name}
	raw.content(entry, data)
	for _, f := range raw.findings {
		if !seen[f.Kind] && !s.full() {
			s.findings = append(s.findings, f)
		}
	}
}
