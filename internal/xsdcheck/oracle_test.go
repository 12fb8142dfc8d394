package xsdcheck

import (
	"bytes"
	"context"
	"testing"

	"github.com/jacoelho/xsd"

	"github.com/byocpack/byocpack/schemas"
)

// TestJacoelhoOracle is the second oracle: the pure-Go XSD engine
// jacoelho/xsd, compiled here (never at run time) from the same XSDs
// xmllint reads, cut from the WSDLs, must give the XSD verdict of the content models on
// every mutant. It follows the XSD spec where libxml2 does not (the
// int-spaces mutants), so no difference is expected at all.
func TestJacoelhoOracle(t *testing.T) {
	c := &Checker{Models: schemas.Bundled(), Mode: XSD}
	engines := map[string]*xsd.Engine{}
	disagree := 0
	ms := allMutants(t, c.Models)
	for _, m := range ms {
		name := "v" + m.version + "/" + m.typ + ".xsd"
		eng, ok := engines[name]
		if !ok {
			data := cutXSD(t, name)
			var err error
			if eng, err = xsd.Compile(context.Background(), xsd.Bytes(name, data)); err != nil {
				t.Fatalf("%s does not compile: %v", name, err)
			}
			engines[name] = eng
		}
		oracleValid := eng.Validate(context.Background(), bytes.NewReader(m.data)) == nil
		if got := engineVerdict(c, m); got.valid != oracleValid {
			disagree++
			t.Errorf("%s: models say %v, jacoelho/xsd says valid=%v\n  problems: %v", m.id, got, oracleValid, check(c, m))
		}
	}
	if disagree == 0 {
		t.Logf("%d mutants: jacoelho/xsd agrees on every one", len(ms))
	}
}
