package xsdcheck

import (
	"runtime"
	"slices"
	"strings"
	"sync"
	"testing"

	"byocpack/internal/diag"
	"byocpack/schemas"
)

// FuzzCheck feeds arbitrary bytes to Check. Whatever the input, Check must
// not panic, must tie every problem to the file with a known rule and a
// message, must report at most one problem for a file that is not XML, and
// must give the same answer twice.
//
//	go test ./internal/xsdcheck -run x -fuzz FuzzCheck -fuzztime 60s
func FuzzCheck(f *testing.F) {
	c := New(schemas.FS)
	for _, m := range allMutants(f, c) {
		if strings.Contains(m.id, "v66.0/") {
			f.Add(m.typ, m.data)
		}
	}
	f.Fuzz(func(t *testing.T, typ string, data []byte) {
		if !slices.Contains(c.Types("66.0"), typ) {
			typ = "ConnectedApp"
		}
		ps := c.Check("66.0", typ, "f.xml", data)
		for _, p := range ps {
			if p.File != "f.xml" || p.Severity != diag.Error || (p.Rule != "xml" && p.Rule != "xsd") || p.Message == "" || p.Line < 0 || p.Col < 0 {
				t.Fatalf("malformed problem %#v", p)
			}
			if p.Rule == "xml" && len(ps) != 1 {
				t.Fatalf("an xml problem must come alone, got %v", ps)
			}
		}
		if again := c.Check("66.0", typ, "f.xml", data); !slices.Equal(ps, again) {
			t.Fatalf("not deterministic:\n%v\n%v", ps, again)
		}
	})
}

// BenchmarkCheck10000 validates 10,000 generated documents of mixed types
// across GOMAXPROCS goroutines, as the validate command does; one op is the
// whole batch.
func BenchmarkCheck10000(b *testing.B) {
	c := New(schemas.FS)
	var valid, invalid []mutant
	for _, m := range allMutants(b, c) {
		c.Check(m.version, m.typ, m.id, m.data) // compile outside the timed loop
		if strings.HasSuffix(m.id, "#original") {
			valid = append(valid, m)
		} else {
			invalid = append(invalid, m)
		}
	}
	// A real tree is mostly valid files; one in ten here is broken, so the
	// slower explaining path is part of the measurement.
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
					m := batch[i]
					c.Check(m.version, m.typ, m.id, m.data)
				}
			})
		}
		wg.Wait()
	}
	b.ReportMetric(float64(b.Elapsed().Nanoseconds())/float64(b.N)/float64(len(batch)), "ns/doc")
}
