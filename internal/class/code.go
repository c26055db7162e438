package class

import (
	"crypto/rand"
	"crypto/subtle"
	"fmt"
	"math/big"
)

// codeWords are short animal names a teacher can read out and a student can type
// without spelling them: the join code is one of them and a number, such as otter-42.
var codeWords = []string{
	"otter", "heron", "badger", "falcon", "lynx", "marten", "puffin", "walrus",
	"bison", "gecko", "ibis", "koala", "lemur", "moose", "newt", "osprey",
	"panda", "quail", "raven", "stoat", "tapir", "viper", "wombat", "yak",
	"zebra", "camel", "dingo", "egret", "ferret", "gibbon", "hyena", "jackal",
}

// NewCode is a random join code: a word and a number from 10 to 99, about 11 bits.
// That is enough only because wrong codes are rate-limited per address (see limiter).
func NewCode() (string, error) {
	w, err := rand.Int(rand.Reader, big.NewInt(int64(len(codeWords))))
	if err != nil {
		return "", fmt.Errorf("join code: %w", err)
	}
	n, err := rand.Int(rand.Reader, big.NewInt(90))
	if err != nil {
		return "", fmt.Errorf("join code: %w", err)
	}
	return fmt.Sprintf("%s-%d", codeWords[w.Int64()], 10+n.Int64()), nil
}

// codeMatches compares in constant time, so timing does not tell a guess's prefix.
func codeMatches(code, given string) bool {
	return subtle.ConstantTimeCompare([]byte(code), []byte(given)) == 1
}
