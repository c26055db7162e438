package markdown

import (
	"fmt"
	"strings"
	"testing"
	"unicode/utf8"

	"github.com/charmbracelet/x/ansi"

	"github.com/coreography/coreography/ui/common"
)

var (
	testDark  = ScreenLook(common.NewStyles(common.Theme{Dark: true}))
	testLight = ScreenLook(common.NewStyles(common.Theme{Dark: false}))
)

// A list item wrapped in the source is one item: on a wide screen it is one line, not
// the source's lines (Glamour kept soft breaks in list items as newlines).
func TestMarkdownListItemReflows(t *testing.T) {
	src := "- You are halfway through dinner. You **finish eating, then\n  call back**: neither.\n- Second\n  item.\n"
	var md Cache
	out := ansi.Strip(md.Render(src, 200, testDark))
	var lines []string
	for _, l := range strings.Split(out, "\n") {
		if strings.TrimSpace(l) != "" {
			lines = append(lines, strings.TrimSpace(l))
		}
	}
	want := []string{"• You are halfway through dinner. You finish eating, then call back: neither.", "• Second item."}
	if strings.Join(lines, "\n") != strings.Join(want, "\n") {
		t.Errorf("rendered at 200 columns:\n%s\nwant:\n%s", strings.Join(lines, "\n"), strings.Join(want, "\n"))
	}
}

// Headless play wraps list items as the TUI does; a soft break inside bold text once
// came out as "**finish eating,**** then ****call back**".
func TestPlainMarkdownListItemReflows(t *testing.T) {
	var md Cache
	out := md.Render("- You **finish eating, then\n  call back**: neither.\n", 200, Plain)
	if strings.Contains(out, "****") || !strings.Contains(out, "finish eating, then call back") {
		t.Errorf("plain rendering:\n%s", out)
	}
}

// Inline code is not padded: without colour the pads were blanks, "( cores: 1 )". On a
// screen the colour marks the code; in plain text its backticks do. Emphasis in plain
// text is words, not Markdown source.
func TestMarkdownInlineCodeAndEmphasis(t *testing.T) {
	src := "Run with (`cores: 1`), **bold** and *italic* words.\n"
	var md Cache
	for _, look := range []Look{testDark, testLight} {
		out := ansi.Strip(md.Render(src, 80, look))
		if !strings.Contains(out, "with (cores: 1), bold and italic words.") {
			t.Errorf("look %v without colour: %q", look, out)
		}
	}
	out := md.Render(src, 80, Plain)
	if !strings.Contains(out, "Run with (cores: 1), bold and italic words.") {
		t.Errorf("plain: %q", out)
	}
}

// What each piece of Markdown a lesson may use looks like in plain text, at 40
// columns (36 inside the margins).
func TestMarkdownPlain(t *testing.T) {
	for _, tc := range []struct{ name, in, want string }{
		{"soft breaks are blanks", "one\ntwo\n", "  one two"},
		{"hard break by spaces", "one  \ntwo\n", "  one\n  two"},
		{"hard break by backslash", "one\\\ntwo\n", "  one\n  two"},
		{"paragraphs", "a\n\nb\n", "  a\n\n  b"},
		{"wrapped", "aaaa bbbb cccc dddd eeee ffff gggg hhhh iiii\n", "  aaaa bbbb cccc dddd eeee ffff gggg\n  hhhh iiii"},
		{"hyphen", "aaaa bbbb cccc dddd eeee ffff free-threaded\n", "  aaaa bbbb cccc dddd eeee ffff free-\n  threaded"},
		{"long word", strings.Repeat("x", 40) + "\n", "  " + strings.Repeat("x", 36) + "\n  xxxx"},
		{"headings", "# T\ntext\n## Sub\n", "  T\n  =\n\n  text\n\n  Sub\n  ---"},
		{"code spans", "run `cpu(1ms)` now\n", "  run cpu(1ms) now"},
		{"crlf", "one\r\ntwo\r\n", "  one two"},
		{"bullets hang", "- aaaa bbbb cccc dddd eeee ffff gggg hhhh\n- b\n", "  • aaaa bbbb cccc dddd eeee ffff gggg\n    hhhh\n  • b"},
		{"nested list", "- a\n  - b\n- c\n", "  • a\n    • b\n  • c"},
		{"loose list", "- a\n\n- b\n", "  • a\n\n  • b"},
		{"ordered list", "9. a\n10. b\n", "   9. a\n  10. b"},
		{"quote", "> a\n> b\n>\n> c\n", "  | a b\n  |\n  | c"},
		{"list in a quote", "> - a\n>   b\n", "  | • a b"},
		{"rule", "a\n\n---\n\nb\n", "  a\n\n  --------\n\n  b"},
		{"fenced code", "```python\nif x:\n\ty = 1\n```\n", "    if x:\n        y = 1"},
		{"indented code", "text\n\n    a\n    b\n", "  text\n\n    a\n    b"},
		{"link", "see [the docs](https://x.org/d).\n", "  see the docs (https://x.org/d)."},
		{"link that is its address", "[https://x.org](https://x.org)\n", "  https://x.org"},
		{"autolink", "<https://x.org>\n", "  https://x.org"},
		{"escapes and entities", "\\*a\\* &amp; &#x41;\n", "  *a* & A"},
		{"inline html", "a <kbd>b</kbd> c\n", "  a b c"},
		{"html block", "<div>\nsome <i>text</i>\n</div>\n", "  some text"},
		{"html comment", "a\n\n<!-- note -->\n\nb\n", "  a\n\n  b"},
		{"pipe table", "| a | b |\n|---|---|\n| 1 | 2 |\n", "  | a | b |\n  |---|---|\n  | 1 | 2 |"},
		{"control bytes", "a\x1b[2Jb \x07c\n", "  a\ufffd[2Jb \ufffdc"},
		{"entity control byte", "a&#27;[31mb\n", "  a\ufffd[31mb"},
		{"empty", "", ""},
	} {
		t.Run(tc.name, func(t *testing.T) {
			var md Cache
			if got := md.Render(tc.in, 40, Plain); got != tc.want {
				t.Errorf("Render(%q) =\n%s\nwant:\n%s", tc.in, got, tc.want)
			}
		})
	}
}

// On a screen every line closes the styles it opens: the viewport shows any line
// alone, and a line cut to the width must not colour what is drawn after it.
func TestMarkdownLinesCloseTheirStyles(t *testing.T) {
	src := "# A long **heading** that wraps\n\n**Bold text that runs over a line** and *italics over a line too*, " +
		"`code over a line` and [a link over a line](https://example.org/a/long/path).\n\n> quoted **bold\n> text**\n"
	var md Cache
	for _, l := range strings.Split(md.Render(src, 20, testDark), "\n") {
		if i := strings.LastIndex(l, "\x1b["); i >= 0 && !strings.HasPrefix(l[i:], "\x1b[m") && !strings.HasPrefix(l[i:], "\x1b[0m") {
			t.Errorf("line ends with a style open: %q", l)
		}
	}
}

// A theme change redraws the text in the new colours, though Styles is changed in
// place (the app keeps one *Styles).
func TestMarkdownFollowsTheTheme(t *testing.T) {
	s := common.NewStyles(common.Theme{Dark: true})
	var md Cache
	dark := md.Render("`code`", 40, ScreenLook(s))
	*s = *common.NewStyles(common.Theme{Dark: false})
	if light := md.Render("`code`", 40, ScreenLook(s)); light == dark {
		t.Errorf("the light theme drew the dark one's colours: %q", light)
	}
}

// FuzzMarkdown: whatever the text, rendering does not panic, a screen look's lines fit
// the width, and nothing but SGR escapes reaches the terminal.
func FuzzMarkdown(f *testing.F) {
	for _, s := range []string{
		"# T\n\ntext **bold** *it* `code`\n\n- a\n  - b\n\n> q\n\n```\ncode\n```\n",
		"1. a\n2. b\n\n---\n\n[l](u) <http://x> ![i](p)\n\n<div>x</div>\n",
		"| a | b |\n|---|---|\n", "a\x1b]0;t\x07b &#27; &#x9b;\t\tc", strings.Repeat("日本語の文章", 8),
	} {
		f.Add(s, 40)
	}
	f.Fuzz(func(t *testing.T, src string, width int) {
		if len(src) > 4096 || width < 0 || width > 300 {
			return
		}
		var md Cache
		for _, look := range []Look{testDark, testLight, Plain} {
			out := md.Render(src, width, look)
			for _, l := range strings.Split(out, "\n") {
				if look != Plain && common.LineWidth(l) > max(width, 10) {
					t.Fatalf("width %d: line of %d cells: %q", width, common.LineWidth(l), l)
				}
				if l != strings.TrimRight(l, " ") {
					t.Fatalf("line ends in blanks: %q", l)
				}
				if bad := controlOtherThanSGR(l); bad != "" {
					t.Fatalf("%s in %q", bad, l)
				}
			}
		}
	})
}

// controlOtherThanSGR names the first control character of s that is not part of an
// SGR escape (ESC [ digits ; : m); "" when there is none.
func controlOtherThanSGR(s string) string {
	for i := 0; i < len(s); {
		r, n := utf8.DecodeRuneInString(s[i:])
		if r == 0x1b {
			j := i + 1
			if j < len(s) && s[j] == '[' {
				for j++; j < len(s) && (s[j] >= '0' && s[j] <= '9' || s[j] == ';' || s[j] == ':'); j++ {
				}
				if j < len(s) && s[j] == 'm' {
					i = j + 1
					continue
				}
			}
			return "an escape other than SGR"
		}
		if r < 0x20 || r == 0x7f || (r >= 0x80 && r <= 0x9f) {
			return fmt.Sprintf("control character %U", r)
		}
		i += n
	}
	return ""
}
