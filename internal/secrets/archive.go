package secrets

import (
	"bytes"
	"context"
	"fmt"
	"io"
	"io/fs"
	"unicode/utf8"

	"github.com/klauspost/compress/zip"
	"github.com/klauspost/compress/zstd"
	"github.com/mholt/archives"
	fastxz "github.com/mikelolasagasti/xz"

	"github.com/byocpack/byocpack/generator/escape"
)

// maxWindow is the most history a decompressor may allocate. xz's default
// preset (-6) and zstd up to level 19 need at most 8 MiB; a stream that
// declares more is refused, since a few bytes can declare gigabytes and
// the decoder would allocate them before producing any output.
const maxWindow = 8 << 20

// format is what a file's first bytes say it is.
type format int

const (
	plain format = iota
	zipFormat
	tarFormat
	gzipFormat
	bzip2Format
	xzFormat
	zstdFormat
	otherFormat // an archive format the scanner does not open
)

// unopened are archive and compression formats whose readers allocate what
// the input declares (7z and rar dictionaries, lzip's LZMA window) or that
// static resources never use. Their magic numbers (as archives matches
// them) are checked so that such a file is refused rather than taken for
// plain bytes.
var unopened = []struct {
	name  string
	magic []byte
}{
	{"7z", []byte("7z\xbc\xaf\x27\x1c")},
	{"rar", []byte("Rar!\x1a\x07")},
	{"lz4", []byte{0x04, 0x22, 0x4d, 0x18}},
	{"lzip", []byte("LZIP")},
	{"snappy", []byte("\xff\x06\x00\x00sNaPpY")},
	{"minlz", []byte("\xff\x06\x00\x00MinLz")},
}

// identify looks at content only, never at a name: a static resource is a
// ".resource" whatever it holds. The checks are prefix comparisons except
// for tar, which is tried only on data with a NUL in its first block (no
// text file has one) and a zip found by its end record, tried only when a
// 0x05 byte (no text has one either) is near the end.
func identify(data []byte) (format, string) {
	switch {
	case bytes.HasPrefix(data, []byte("PK\x03\x04")), bytes.HasPrefix(data, []byte("PK\x05\x06")), bytes.HasPrefix(data, []byte("PK\x07\x08")):
		return zipFormat, "zip"
	case bytes.HasPrefix(data, []byte{0x1f, 0x8b, 0x08}):
		return gzipFormat, "gzip"
	case isBzip2(data):
		return bzip2Format, "bzip2"
	case bytes.HasPrefix(data, []byte{0xfd, '7', 'z', 'X', 'Z', 0}):
		return xzFormat, "xz"
	case bytes.HasPrefix(data, []byte{0x28, 0xb5, 0x2f, 0xfd}):
		return zstdFormat, "zstd"
	}
	for _, f := range unopened {
		if bytes.HasPrefix(data, f.magic) {
			return otherFormat, f.name
		}
	}
	if len(data) >= 512 && bytes.IndexByte(data[:512], 0) >= 0 {
		if m, err := (archives.Tar{}).Match(context.Background(), "", bytes.NewReader(data)); err == nil && m.ByStream {
			return tarFormat, "tar"
		}
	}
	if embeddedZip(data) {
		return zipFormat, "zip"
	}
	return plain, ""
}

// isBzip2 wants the stream header and the magic of a first block or of
// the end of stream, not just "BZh", which text can start with.
func isBzip2(b []byte) bool {
	return len(b) >= 10 && bytes.HasPrefix(b, []byte("BZh")) && b[3] >= '1' && b[3] <= '9' &&
		(bytes.Equal(b[4:10], []byte{0x31, 0x41, 0x59, 0x26, 0x53, 0x59}) || bytes.Equal(b[4:10], []byte{0x17, 0x72, 0x45, 0x38, 0x50, 0x90}))
}

// embeddedZip finds a zip with something in front of it (a self-extracting
// stub, a zip appended to an image): zip readers start from the end
// record, so such a file is a working zip all the same.
func embeddedZip(data []byte) bool {
	tail := data[max(0, len(data)-(1<<16+22)):]
	if bytes.IndexByte(tail, 0x05) < 0 || !bytes.Contains(tail, []byte("PK\x05\x06")) {
		return false
	}
	zr, err := zip.NewReader(bytes.NewReader(data), int64(len(data)))
	return err == nil && len(zr.File) > 0
}

// container scans data as an archive or a compressed stream and reports
// true, or reports false when data is neither.
func (s *scanner) container(entry string, data []byte, depth int) bool {
	f, name := identify(data)
	if f == plain {
		return false
	}
	if depth >= s.lim.depth {
		s.refuse(entry, "%s archive inside %d levels of archives, deeper than byocpack scans", name, depth)
		return true
	}
	switch f {
	case zipFormat:
		s.walk(entry, data, depth, archives.Zip{}, name)
	case tarFormat:
		s.walk(entry, data, depth, archives.Tar{}, name)
	case otherFormat:
		s.refuse(entry, "%s archive, a format byocpack does not open", name)
	default:
		s.decompress(entry, data, depth, f, name)
	}
	return true
}

// walk scans every regular file of a zip or tar archive.
func (s *scanner) walk(entry string, data []byte, depth int, ex archives.Extractor, name string) {
	err := ex.Extract(context.Background(), bytes.NewReader(data), func(_ context.Context, fi archives.FileInfo) error {
		s.entries++
		if s.entries > s.lim.entries {
			s.stopped = true
			s.refuse("", "archive holds more than %d entries", s.lim.entries)
			return fs.SkipAll
		}
		// An entry marked a folder, link or device is skipped only when it
		// holds nothing: what it holds is unpacked as a file by extractors
		// that ignore the mark (an attacker trial marked a key so).
		if (fi.IsDir() || !fi.Mode().IsRegular()) && fi.Size() == 0 {
			return nil
		}
		sub := join(entry, clean(fi.NameInArchive))
		if h, ok := fi.Header.(zip.FileHeader); ok {
			if h.Flags&0x1 != 0 {
				s.refuse(sub, "encrypted archive entry, which cannot be scanned")
				return nil
			}
			if h.Method != zip.Store && h.Method != zip.Deflate && h.Method != archives.ZipMethodBzip2 {
				s.refuse(sub, "archive entry compressed with zip method %d; byocpack opens stored, deflate and bzip2 entries only", h.Method)
				return nil
			}
		}
		rc, err := fi.Open()
		if err != nil {
			s.refuse(sub, "archive entry could not be opened (%s)", clean(err.Error()))
			return nil
		}
		defer rc.Close()
		if b, ok := s.read(sub, "the entry", rc); ok || len(b) > 0 {
			s.file(sub, b, depth+1, "")
		}
		if s.stopped || s.full() {
			return fs.SkipAll
		}
		return nil
	})
	if err != nil && !s.stopped {
		s.refuse(entry, "%s archive could not be read (%s)", name, clean(err.Error()))
	}
}

// decompress scans the content of a gzip, bzip2, xz or zstd stream.
func (s *scanner) decompress(entry string, data []byte, depth int, f format, name string) {
	var rc io.ReadCloser
	var err error
	in := bytes.NewReader(data)
	switch f {
	case gzipFormat:
		rc, err = archives.Gz{}.OpenReader(in)
	case bzip2Format:
		rc, err = archives.Bz2{}.OpenReader(in)
	case zstdFormat:
		rc, err = archives.Zstd{DecoderOptions: []zstd.DOption{
			zstd.WithDecoderConcurrency(1),
			zstd.WithDecoderLowmem(true),
			zstd.WithDecoderMaxWindow(maxWindow),
			zstd.WithDecoderMaxMemory(uint64(s.lim.entry) + 1),
		}}.OpenReader(in)
	case xzFormat:
		// archives.Xz allows a 64 MiB dictionary; the reader under it
		// takes the bound directly.
		var xr *fastxz.Reader
		if xr, err = fastxz.NewReader(in, maxWindow); err == nil {
			rc = io.NopCloser(xr)
		}
	}
	if err != nil {
		s.refuse(entry, "%s stream could not be read (%s)", name, clean(err.Error()))
		return
	}
	defer rc.Close()
	if b, ok := s.read(entry, name+" stream", rc); ok || len(b) > 0 {
		s.file(entry, b, depth+1, "("+name+" content)")
	}
}

// read reads one entry or stream within the entry and total limits. It
// reports false, with what it did read, when a limit was hit or the data
// was corrupt; either is a refusal, already recorded.
func (s *scanner) read(entry, what string, r io.Reader) ([]byte, bool) {
	limit := min(s.lim.entry, s.budget)
	b, err := io.ReadAll(io.LimitReader(r, limit+1))
	s.budget -= int64(len(b))
	switch {
	case int64(len(b)) > limit && limit < s.lim.entry:
		s.stopped = true
		s.refuse("", "archive expands to more than %s in all, too large to scan (a zip bomb looks like this)", mib(s.lim.total))
		return nil, false
	case int64(len(b)) > limit:
		s.refuse(entry, "%s expands to more than %s uncompressed, too large to scan", what, mib(s.lim.entry))
		return nil, false
	case err != nil:
		s.refuse(entry, "%s could not be read (%s)", what, clean(err.Error()))
		return b, false
	}
	return b, true
}

func mib(n int64) string {
	if n >= 1<<20 && n%(1<<20) == 0 {
		return fmt.Sprintf("%d MiB", n>>20)
	}
	return fmt.Sprintf("%d bytes", n)
}

// clean makes a name or message from inside an archive safe to print:
// escaped as every printed value is (package escape), so a hostile entry
// name cannot forge lines of output, and cut at 200 bytes.
func clean(s string) string {
	const maxLen = 200
	if len(s) > maxLen {
		cut := maxLen
		for cut > 0 && !utf8.RuneStart(s[cut]) {
			cut--
		}
		s = s[:cut] + "…"
	}
	if s == "" {
		return "?"
	}
	return escape.Line(s)
}
