package secrets

import (
	"bytes"
	"hash/maphash"
	"path"
	"strings"
	"sync"
)

// Memo remembers the contents scans of one run found nothing in, so that
// the next scan of the same bytes is a comparison rather than a scan:
// package scans each file when validating it, again at the secrets gate
// before converting, and a third time inside the static resource zips the
// converter builds from those files. A hit needs the very bytes (compared
// in full, not only by hash), so what passes is exactly what was scanned.
//
// Only results that do not depend on where the bytes sit are kept: content
// that is no archive and in which no compressed stream was opened (whose
// scan reads nothing but its own bytes, whatever the depth or the bytes
// left to decompress), scanned above the depth limit (where a raw deflate
// stream would be passed over), under a name that does not mark global
// OAuth settings. A nil *Memo remembers nothing. A Memo is safe for concurrent
// use and lives as long as the run that made it.
type Memo struct {
	seed  maphash.Seed
	mu    sync.RWMutex
	clean map[memoKey][]byte
}

type memoKey struct {
	sum uint64
	n   int
}

// NewMemo returns an empty Memo.
func NewMemo() *Memo {
	return &Memo{seed: maphash.MakeSeed(), clean: map[memoKey][]byte{}}
}

// Scan is the package's Scan, with the memo: the same findings, in the
// same order.
func (m *Memo) Scan(name string, data []byte) []Finding {
	s := &scanner{lim: defaultLimits, name: name, budget: defaultLimits.total, memo: m}
	s.file("", data, 0, "")
	return s.findings
}

// Entry is a file an archive is about to hold: its path there and its
// bytes.
type Entry struct {
	Name string
	Data []byte
}

// ScanEntries is Scan of a zip that holds entries, in their order, and
// nothing else (no comment, no bytes between entries), as a zip byocpack
// writes itself does: the entries are scanned as Scan scans a zip's
// entries, from the bytes that were deflated rather than by inflating
// them again, and the entry names as the zip's raw bytes show them. A
// folder's entry ends with "/" and has no data.
func (m *Memo) ScanEntries(name string, entries []Entry) []Finding {
	s := &scanner{lim: defaultLimits, name: name, budget: defaultLimits.total, memo: m}
	var names bytes.Buffer
	for _, e := range entries {
		s.entries++
		if s.entries > s.lim.entries {
			s.stopped = true
			s.refuse("", "archive holds more than %d entries", s.lim.entries)
			break
		}
		names.WriteString(e.Name + "\n")
		if strings.HasSuffix(e.Name, "/") {
			continue
		}
		sub := clean(e.Name)
		if b, ok := s.read(sub, "the entry", bytes.NewReader(e.Data)); ok {
			s.file(sub, b, 1, "")
		}
		if s.stopped || s.full() {
			break
		}
	}
	// The names, as a scan of the zip's raw bytes reads them.
	s.raw("", names.Bytes(), 0)
	return s.findings
}

func (m *Memo) key(data []byte) memoKey {
	return memoKey{maphash.Bytes(m.seed, data), len(data)}
}

// passed reports whether data, named name, was scanned clean before.
func (m *Memo) passed(name string, data []byte) bool {
	if m == nil || oauthNamed(name) {
		return false
	}
	k := m.key(data)
	m.mu.RLock()
	seen, ok := m.clean[k]
	m.mu.RUnlock()
	return ok && bytes.Equal(seen, data)
}

// pass records data as scanned clean.
func (m *Memo) pass(data []byte) {
	if m == nil {
		return
	}
	k := m.key(data)
	m.mu.Lock()
	if _, ok := m.clean[k]; !ok {
		m.clean[k] = data
	}
	m.mu.Unlock()
}

// oauthNamed reports whether a file or entry name alone marks global
// OAuth settings, a finding no memory of the content may skip.
func oauthNamed(name string) bool { return oauthSuffix(name) != "" }

// oauthSuffix is the suffix of global OAuth settings name ends with, or "".
func oauthSuffix(name string) string {
	base := path.Base(name)
	for _, suf := range globalOauthSuffixes {
		if strings.HasSuffix(base, suf) {
			return suf
		}
	}
	return ""
}
