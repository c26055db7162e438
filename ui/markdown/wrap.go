package markdown

import (
	"unicode"
	"unicode/utf8"

	"github.com/charmbracelet/x/ansi"
)

// wrapWords fills lines of at most width cells with words, as many as fit, one blank
// between two. A word that does not fit breaks after a hyphen inside it if its head
// fits ("speed-" / "up"), and a word longer than a whole line is cut into pieces.
// Each break looks at no more of a word than fits a line, so a word of a megabyte
// costs time in proportion to its length, not its square.
func wrapWords(words []word, width int) [][]span {
	var lines [][]span
	var line []span
	used := 0
	for _, w := range words {
		ww := w.width()
		switch {
		case len(line) == 0:
		case used+1+ww <= width:
			line = append(line, span{" ", w.blank})
			used++
		default:
			if head, hw, rest, ok := takeCells(w, width-used-1, true); ok {
				line = append(line, span{" ", w.blank})
				line = append(line, head...)
				w, ww = rest, ww-hw
			}
			lines = append(lines, line)
			line, used = nil, 0
		}
		for ww > width {
			head, hw, rest, ok := takeCells(w, width, true)
			if !ok {
				head, hw, rest, _ = takeCells(w, width, false)
			}
			lines = append(lines, head)
			w, ww = rest, ww-hw
		}
		line = append(line, w.spans...)
		used += ww
	}
	return append(lines, line)
}

// takeCells splits the head off w that takes at most room cells, and reports its
// width. atHyphen splits after the last hyphen in that head that lies between two
// letters or digits, and ok is false when there is none; otherwise the head is as
// long as fits, and at least one character, so a character wider than a line still
// moves on. It consumes w: the rest shares w's spans.
func takeCells(w word, room int, atHyphen bool) (head []span, width int, rest word, ok bool) {
	cutSpan, cutAt, cutWidth := -1, 0, 0
	used := 0
	var prev rune
walk:
	for i, s := range w.spans {
		for j, r := range s.text {
			rw := runeWidth(r)
			if used+rw > room {
				if !atHyphen && cutSpan < 0 {
					cutSpan, cutAt, cutWidth = i, j, used
					if used == 0 {
						cutAt, cutWidth = j+utf8.RuneLen(r), rw
					}
				}
				break walk
			}
			used += rw
			if atHyphen && r == '-' && isWordRune(prev) && isWordRune(nextRune(w.spans, i, j+1)) {
				cutSpan, cutAt, cutWidth = i, j+1, used
			}
			prev = r
		}
	}
	if cutSpan < 0 {
		if atHyphen {
			return nil, 0, w, false
		}
		return w.spans, used, word{blank: w.blank}, true
	}
	head = append(head, w.spans[:cutSpan]...)
	s := w.spans[cutSpan]
	if cutAt > 0 {
		head = append(head, span{s.text[:cutAt], s.kind})
	}
	tail := w.spans[cutSpan:]
	tail[0] = span{s.text[cutAt:], s.kind}
	if tail[0].text == "" {
		tail = tail[1:]
	}
	return head, cutWidth, word{spans: tail, blank: w.blank}, true
}

// nextRune is the rune at byte at of span i, or the first of a later span; 0 at the
// end of the word.
func nextRune(spans []span, i, at int) rune {
	for ; i < len(spans); i, at = i+1, 0 {
		if at < len(spans[i].text) {
			r, _ := utf8.DecodeRuneInString(spans[i].text[at:])
			return r
		}
	}
	return 0
}

func isWordRune(r rune) bool { return unicode.IsLetter(r) || unicode.IsDigit(r) }

// runeWidth is the cells r takes alone. A word is cut rune by rune, which counts a
// combining mark as a cell of its own: generous, so a cut piece is at worst shorter.
func runeWidth(r rune) int {
	if r >= 0x20 && r < 0x7f {
		return 1
	}
	return max(ansi.StringWidth(string(r)), 1)
}
