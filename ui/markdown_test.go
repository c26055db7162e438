package ui

import (
	"strings"
	"testing"

	"github.com/charmbracelet/x/ansi"
)

// A list item wrapped in the source is one item: on a wide screen it is one line, not
// the source's lines (Glamour keeps soft breaks in list items as newlines).
func TestMarkdownListItemReflows(t *testing.T) {
	src := "- You are halfway through dinner. You **finish eating, then\n  call back**: neither.\n- Second\n  item.\n"
	var md markdownCache
	out := ansi.Strip(md.Render(src, 200, lookDark))
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

func TestJoinSoftBreaks(t *testing.T) {
	for _, tc := range []struct{ name, in, want string }{
		{"paragraph", "one\ntwo\n", "one two\n"},
		{"list item with indent", "- one\n  two\n", "- one two\n"},
		{"inside emphasis", "- **a\n  b**\n", "- **a b**\n"},
		{"hard break by spaces", "one  \ntwo\n", "one  \ntwo\n"},
		{"hard break by backslash", "one\\\ntwo\n", "one\\\ntwo\n"},
		{"code block", "```\na\nb\n```\n", "```\na\nb\n```\n"},
		{"indented code", "    a\n    b\n", "    a\n    b\n"},
		{"blockquote continuation", "> a\n> b\n", "> a b\n"},
		{"list in a blockquote", "> - a\n>   b\n", "> - a b\n"},
		{"paragraphs stay apart", "a\n\nb\n", "a\n\nb\n"},
		{"heading then text", "# T\ntext\n", "# T\ntext\n"},
		{"crlf", "one\r\ntwo\r\n", "one two\r\n"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			if got := joinSoftBreaks(tc.in); got != tc.want {
				t.Errorf("joinSoftBreaks(%q) = %q, want %q", tc.in, got, tc.want)
			}
		})
	}
}

// Headless play wraps list items as the TUI does; a soft break inside bold text once
// came out as "**finish eating,**** then ****call back**".
func TestPlainMarkdownListItemReflows(t *testing.T) {
	var md markdownCache
	out := md.Render("- You **finish eating, then\n  call back**: neither.\n", 200, lookPlain)
	if strings.Contains(out, "****") || !strings.Contains(out, "finish eating, then call back") {
		t.Errorf("plain rendering:\n%s", out)
	}
}
