package termsafe

import (
	"fmt"
	"strings"
	"testing"
)

func TestStripLeavesNoEscape(t *testing.T) {
	in := "title \x1b]0;pwned\x07 \x1b]52;c;aGk=\x07 \x1b[2J \x1b[31mred\u009b31m\x7f\tok\nnext\xff"
	out := Strip(in)
	for _, r := range out {
		if IsControl(r) {
			t.Fatalf("Strip left %U in %q", r, out)
		}
	}
	if !strings.Contains(out, "\tok\nnext") {
		t.Errorf("Strip lost tab or newline: %q", out)
	}
	if Strip("plain — text") != "plain — text" {
		t.Error("Strip changed clean text")
	}
}

func TestFindPositions(t *testing.T) {
	var got []string
	Find("ab\x1b[2J\nµ\x07", func(line, col int, r rune) { got = append(got, fmt.Sprintf("%d:%d:%U", line, col, r)) })
	want := "1:3:U+001B 2:2:U+0007"
	if strings.Join(got, " ") != want {
		t.Errorf("Find = %v, want %s", got, want)
	}
}
