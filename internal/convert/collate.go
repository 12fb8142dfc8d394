package convert

import "fmt"

// asciiCollationOrder is the order in which JavaScript's
// String.prototype.localeCompare (ICU root collation, as in Node 22 under
// en-US) ranks printable ASCII. Letters differ only by case at the primary
// level; lower case sorts first at the tertiary level. The CLI sorts a
// recomposed object's children (fields, list views, ...) with localeCompare,
// so byte order would put "Zeta__c" before "alpha__c" where the CLI does not.
const asciiCollationOrder = " _-,;:!?.'\"()[]{}@*/\\&#%`^+<=>|~$0123456789aAbBcCdDeEfFgGhHiIjJkKlLmMnNoOpPqQrRsStTuUvVwWxXyYzZ"

type collationWeights struct {
	primary   [128]int
	tertiary  [128]int
	supported [128]bool
}

func newCollationWeights() *collationWeights {
	w := &collationWeights{}
	rank := 0
	for i := 0; i < len(asciiCollationOrder); i++ {
		c := asciiCollationOrder[i]
		lower := c >= 'A' && c <= 'Z'
		if lower {
			// Upper case shares the primary weight of the lower-case letter
			// just before it in the order.
			w.primary[c] = rank - 1
			w.tertiary[c] = 1
		} else {
			w.primary[c] = rank
			rank++
		}
		w.supported[c] = true
	}
	return w
}

// compare orders two strings like localeCompare for printable ASCII; any
// other character is an error, since reproducing ICU for it is out of scope.
func (w *collationWeights) compare(a, b string) (int, error) {
	for _, s := range []string{a, b} {
		for i := 0; i < len(s); i++ {
			if s[i] >= 128 || !w.supported[s[i]] {
				return 0, fmt.Errorf("%q holds a character other than printable ASCII, whose order the CLI takes from ICU; use an ASCII API name", s)
			}
		}
	}
	if c := w.level(a, b, w.primary[:]); c != 0 {
		return c, nil
	}
	return w.level(a, b, w.tertiary[:]), nil
}

func (w *collationWeights) level(a, b string, weights []int) int {
	for i := 0; i < len(a) && i < len(b); i++ {
		if x, y := weights[a[i]], weights[b[i]]; x != y {
			if x < y {
				return -1
			}
			return 1
		}
	}
	switch {
	case len(a) < len(b):
		return -1
	case len(a) > len(b):
		return 1
	}
	return 0
}
