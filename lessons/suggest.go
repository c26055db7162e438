package lessons

import (
	"strings"
	"unicode/utf8"
)

// didYouMean returns ": did you mean "x"?" for the known word closest to word, or ""
// when none is close enough to be a likely typo.
func didYouMean(word string, known []string) string {
	if best := closest(word, known); best != "" {
		return ": did you mean " + quote(best) + "?"
	}
	return ""
}

// closest is the known word within a typo's reach of word, or "".
func closest(word string, known []string) string {
	if utf8.RuneCountInString(word) < 3 {
		return "" // any one-letter word is a typo of any other
	}
	best, bestD := "", 0
	lw := strings.ToLower(word)
	for _, k := range known {
		d := editDistance(lw, strings.ToLower(k))
		if best == "" || d < bestD {
			best, bestD = k, d
		}
	}
	n := utf8.RuneCountInString(word)
	limit := 1
	if n > 3 {
		limit = max(2, min(3, n/3))
	}
	if best != "" && bestD > limit && n >= 4 {
		// A cut-short name ("explain" for "explanation") is a likely typo too.
		for _, k := range known {
			if strings.HasPrefix(strings.ToLower(k), lw) {
				return k
			}
		}
	}
	if best == "" || bestD > limit {
		return ""
	}
	return best
}

// editDistance is the optimal-string-alignment distance between a and b, in runes:
// insertions, deletions, substitutions and swaps of neighbours ("modle") cost 1.
func editDistance(a, b string) int {
	ra, rb := []rune(a), []rune(b)
	// d[i][j] is the distance between ra[:i] and rb[:j].
	d := make([][]int, len(ra)+1)
	for i := range d {
		d[i] = make([]int, len(rb)+1)
		d[i][0] = i
	}
	for j := range d[0] {
		d[0][j] = j
	}
	for i := 1; i <= len(ra); i++ {
		for j := 1; j <= len(rb); j++ {
			cost := 1
			if ra[i-1] == rb[j-1] {
				cost = 0
			}
			d[i][j] = min(d[i-1][j]+1, d[i][j-1]+1, d[i-1][j-1]+cost)
			if i > 1 && j > 1 && ra[i-1] == rb[j-2] && ra[i-2] == rb[j-1] {
				d[i][j] = min(d[i][j], d[i-2][j-2]+1)
			}
		}
	}
	return d[len(ra)][len(rb)]
}

func quote(s string) string { return `"` + s + `"` }
