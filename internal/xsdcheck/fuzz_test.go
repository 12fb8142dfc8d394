package xsdcheck

import (
	"runtime"
	"slices"
	"strings"
	"sync"
	"testing"

	"github.com/byocpack/byocpack/internal/diag"
	"github.com/byocpack/byocpack/internal/xmldoc"
	"github.com/byocpack/byocpack/schemas"
)

// FuzzCheck feeds arbitrary bytes to Parse, Check and Format. Whatever the
// input, nothing may panic; every problem names the file, a known rule
// and a message; the answer is the same twice; and a document Format
// rewrites formats to itself and keeps the verdict of the XSD mode but
// for order.
//
//	go test ./internal/xsdcheck -run x -fuzz FuzzCheck -fuzztime 60s
func FuzzCheck(f *testing.F) {
	set := schemas.Bundled()
	c := New(set)
	m66, err := set.Get("66.0")
	if err != nil {
		f.Fatal(err)
	}
	for _, m := range allMutants(f, set) {
		if strings.Contains(m.id, "v66.0/") {
			f.Add(m.typ, m.data)
		}
	}
	f.Fuzz(func(t *testing.T, typ string, data []byte) {
		if m66.Root(typ) == nil {
			typ = "ConnectedApp"
		}
		doc, err := xmldoc.Parse(data)
		if err != nil {
			if _, ok := err.(*xmldoc.SyntaxError); !ok {
				t.Fatalf("parse error of type %T", err)
			}
			return
		}
		ps := c.Check("66.0", typ, "f.xml", doc)
		for _, p := range ps {
			if p.File != "f.xml" || (p.Rule != RuleSchema && p.Rule != RuleOrder) || p.Message == "" || p.Line < 0 || p.Column < 0 {
				t.Fatalf("malformed problem %#v", p)
			}
		}
		if again := c.Check("66.0", typ, "f.xml", doc); !slices.Equal(ps, again) {
			t.Fatalf("not deterministic:\n%v\n%v", ps, again)
		}
		out, err := Format(m66, typ, doc)
		if err != nil {
			return
		}
		doc2, err := xmldoc.Parse(out)
		if err != nil {
			t.Fatalf("Format wrote what does not parse: %v\n%s", err, out)
		}
		again, err := Format(m66, typ, doc2)
		if err != nil || string(again) != string(out) {
			t.Fatalf("Format is not idempotent: %v\n%s\n%s", err, out, again)
		}
		if errs(ps, true) != errs(New(set).Check("66.0", typ, "f.xml", mustParse(t, out)), true) {
			t.Fatalf("Format changed the deploy verdict:\n%s\n%s", data, out)
		}
	})
}

func mustParse(t *testing.T, data []byte) *xmldoc.Document {
	doc, err := xmldoc.Parse(data)
	if err != nil {
		t.Fatal(err)
	}
	return doc
}

// errs counts the errors of ps, split-repeat errors left out when
// ignoreSplit (fmt regroups split repeats).
func errs(ps []diag.Problem, ignoreSplit bool) int {
	n := 0
	for _, p := range ps {
		if p.Severity == diag.Error && !(ignoreSplit && strings.Contains(p.Message, "is separated from")) {
			n++
		}
	}
	return n
}

// BenchmarkCheck10000 parses and checks 10,000 generated documents of
// mixed types across GOMAXPROCS goroutines, as validate does; one op is
// the whole batch.
func BenchmarkCheck10000(b *testing.B) {
	set := schemas.Bundled()
	c := New(set)
	var valid, invalid []mutant
	for _, m := range allMutants(b, set) {
		if strings.HasSuffix(m.id, "#original") {
			valid = append(valid, m)
		} else {
			invalid = append(invalid, m)
		}
	}
	// A real tree is mostly valid files; one in ten here is broken.
	batch := make([]mutant, 10000)
	for i := range batch {
		if i%10 == 9 {
			batch[i] = invalid[(i/10)%len(invalid)]
		} else {
			batch[i] = valid[i%len(valid)]
		}
	}
	workers := runtime.GOMAXPROCS(0)
	b.ReportAllocs()
	b.ResetTimer()
	for b.Loop() {
		var wg sync.WaitGroup
		next := make(chan int, len(batch))
		for i := range batch {
			next <- i
		}
		close(next)
		for range workers {
			wg.Go(func() {
				for i := range next {
					check(c, batch[i])
				}
			})
		}
		wg.Wait()
	}
	b.ReportMetric(float64(b.Elapsed().Nanoseconds())/float64(b.N)/float64(len(batch)), "ns/doc")
}
