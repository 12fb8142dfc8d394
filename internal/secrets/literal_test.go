package secrets

import (
	"math/rand/v2"
	"slices"
	"strings"
	"testing"
)

// literalSecrets finds exactly what the whole pattern finds, on inputs
// built from the pieces a match is made of and the near misses around
// them.
func TestLiteralSecretsAgreeWithThePattern(t *testing.T) {
	pieces := []string{
		"client", "Client", "CLIENT", "consumer", "Consumer", "cOnSuMeR", "secret", "Secret", "SECRET", "sEcReT",
		"_", "-", ".", " ", "__c", `"`, "'", ":", "=", "=>", ">", "</value>", "<value>", "</a:b>\n  <c:d x=\"1\">",
		"abcdefghijklmnop", "ABCDEFGHIJKLMNOPQRSTUVWX0123", "short", "\n", "\t", "isConsumerSecretOptional",
		"<consumerSecret>", "clientsecret", "x", "ſecret", "é",
		// Other bytes: the Kelvin sign folds to k, İ lowers to two bytes,
		// invalid UTF-8.
		"\u212a", "İ", "\xff", "ß", "conſumer", "CONſUMER",
	}
	rng := rand.New(rand.NewPCG(1, 2))
	cases := []string{
		"String clientSecret = 'abcdefghijklmnopqrstuvwx';",
		"<isConsumerSecretOptional>false</isConsumerSecretOptional>",
		"client_secret: ABCDEFGHIJKLMNOP1234 consumer-secret=>\"abcdefghijklmnopq\"",
		"clientsecret=consumersecret=abcdefghijklmnopqrst",
		"client ſecret = abcdefghijklmnopqrst",
	}
	for range 20000 {
		var b strings.Builder
		for range 1 + rng.IntN(12) {
			b.WriteString(pieces[rng.IntN(len(pieces))])
		}
		cases = append(cases, b.String())
	}
	for _, c := range cases {
		var want []int
		for _, m := range literalSecretRE().FindAllIndex([]byte(c), 20) {
			want = append(want, m[0])
		}
		if got := literalSecrets([]byte(c), 20); !slices.Equal(got, want) {
			t.Fatalf("%q: literalSecrets = %v, the pattern finds %v", c, got, want)
		}
	}
}
