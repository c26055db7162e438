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
	best, bestD := "", 0
	lw := strings.ToLower(word)
	for _, k := range known {
		d := editDistance(lw, strings.ToLower(k))
		if best == "" || d < bestD {
			best, bestD = k, d
		}
	}
	limit := max(1, min(3, utf8.RuneCountInString(word)/3))
	if best == "" || bestD > limit {
		return ""
	}
	return best
}

// editDistance is the Levenshtein distance between a and b, in runes.
func editDistance(a, b string) int {
	ra, rb := []rune(a), []rune(b)
	prev := make([]int, len(rb)+1)
	cur := make([]int, len(rb)+1)
	for j := range prev {
		prev[j] = j
	}
	for i := 1; i <= len(ra); i++ {
		cur[0] = i
		for j := 1; j <= len(rb); j++ {
			cost := 1
			if ra[i-1] == rb[j-1] {
				cost = 0
			}
			cur[j] = min(prev[j]+1, cur[j-1]+1, prev[j-1]+cost)
		}
		prev, cur = cur, prev
	}
	return prev[len(rb)]
}

func quote(s string) string { return `"` + s + `"` }
