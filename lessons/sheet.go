package lessons

import (
	"fmt"
	"io"
	"regexp"
	"strings"
)

// WriteSheet writes a lesson's predictions as a page for a class, in plain text: with
// answers false a worksheet (each question with what introduces it and its choices,
// nothing a run measured, no answer), with answers true its answer key (each
// question, the right choice and why). Neither names a key of the app.
func WriteSheet(w io.Writer, l *Lesson, width int, answers bool) error {
	width = max(width, 40)
	kind := "worksheet"
	if answers {
		kind = "answer key"
	}
	title := l.Title + ": " + kind
	var b strings.Builder
	fmt.Fprintf(&b, "%s\n%s\n", title, strings.Repeat("=", min(len([]rune(title)), width)))
	if !answers && l.Summary != "" {
		b.WriteString(wrapPlain(l.Summary, width, "") + "\n")
	}
	n := 0
	for _, st := range l.Steps {
		if st.Predict == nil {
			continue
		}
		n++
		heading, intro := splitHeading(st.Text[:st.ExperimentAt])
		fmt.Fprintf(&b, "\n%d. %s\n", n, orElse(heading, "Question "+fmt.Sprint(n)))
		if !answers {
			if text := plainText(intro, width-3); text != "" {
				b.WriteString(indent(text, "   ") + "\n\n")
			}
		}
		b.WriteString(indent(wrapPlain(cleanInline(st.Predict.Question), width-3, ""), "   ") + "\n")
		right := st.Predict.AnswerIndex()
		for ci, c := range st.Predict.Choices {
			if answers && ci != right {
				continue
			}
			label := "   " + string(rune('a'+ci%26)) + ") "
			if answers {
				label = "   Answer: " + string(rune('a'+ci%26)) + ") "
			}
			b.WriteString(label + wrapPlain(cleanInline(c.Text), width-len(label), strings.Repeat(" ", len(label))) + "\n")
		}
		switch {
		case !answers:
			b.WriteString("\n   Your answer: ____   Why? ______________________________\n")
		case st.Predict.Explanation != "":
			if why := plainText(st.Predict.Explanation, width-8); why != "" {
				b.WriteString("   Why: " + strings.TrimLeft(indent(why, "        "), " ") + "\n")
			}
		}
	}
	if n == 0 {
		b.WriteString("\nThis lesson asks no questions.\n")
	}
	_, err := io.WriteString(w, b.String())
	return err
}

func orElse(s, otherwise string) string {
	if s == "" {
		return otherwise
	}
	return s
}

// splitHeading takes a step's level-1 heading off its text.
func splitHeading(text string) (heading, rest string) {
	text = strings.TrimLeft(text, "\n")
	if h, ok := strings.CutPrefix(text, "# "); ok {
		line, rest, _ := strings.Cut(h, "\n")
		return cleanInline(strings.TrimSpace(line)), rest
	}
	return "", text
}

var (
	codeSpan    = regexp.MustCompile("`([^`]*)`")
	strong      = regexp.MustCompile(`\*\*([^*]+)\*\*|__([^_]+)__`)
	emphasis    = regexp.MustCompile(`\*([^*\s][^*]*)\*`)
	link        = regexp.MustCompile(`\[([^\]]+)\]\(([^)\s]+)\)`)
	keyParen    = regexp.MustCompile("\\s*\\([^()]*`[^`\\s]`[^()]*\\)")
	sentenceEnd = regexp.MustCompile(`[.!?:;](\s+|$)`)
)

// cleanInline renders inline Markdown as plain text: code without its backticks,
// emphasis without its stars, a link as its text and address.
func cleanInline(s string) string {
	s = link.ReplaceAllString(s, "$1 ($2)")
	s = strong.ReplaceAllString(s, "$1$2")
	s = emphasis.ReplaceAllString(s, "$1")
	return codeSpan.ReplaceAllString(s, "$1")
}

// plainText renders a step's Markdown for paper: paragraphs and list items wrapped,
// code blocks indented as written, quotations indented; it leaves out every sentence
// that names a key of the app (a one-character code span: `v`, `f`), quotes a
// measurement ({{…}}) or depends on one (an if block).
func plainText(md string, width int) string {
	var out []string
	var para []string
	flush := func() {
		if len(para) > 0 {
			prefix := ""
			switch {
			case strings.HasPrefix(para[0], "- "):
				prefix = "  "
			case strings.HasPrefix(para[0], "> "):
				prefix = "> "
			}
			if text := withoutKeys(strings.Join(para, " "), true); text != "" {
				out = append(out, wrapPlain(cleanInline(text), width-len(prefix), prefix))
			}
			para = nil
		}
	}
	var code []string
	inCode := false
	for _, line := range strings.Split(md, "\n") {
		trimmed := strings.TrimSpace(line)
		switch {
		case strings.HasPrefix(trimmed, "```") || strings.HasPrefix(trimmed, "~~~"):
			flush()
			if inCode && len(code) > 0 {
				out = append(out, strings.Join(code, "\n"))
				code = nil
			}
			inCode = !inCode
		case inCode:
			code = append(code, strings.TrimRight("    "+line, " "))
		case trimmed == "" || strings.ContainsRune(line, ifOpen):
			flush()
		case strings.HasPrefix(trimmed, "#"):
			flush()
			out = append(out, cleanInline(strings.TrimSpace(strings.TrimLeft(trimmed, "#"))))
		case strings.HasPrefix(trimmed, "- ") || strings.HasPrefix(trimmed, "* "):
			flush()
			para = append(para, "- "+trimmed[2:])
		case strings.HasPrefix(trimmed, ">"):
			if len(para) > 0 && !strings.HasPrefix(para[0], "> ") {
				flush()
			}
			if len(para) == 0 {
				para = append(para, "> ")
			}
			para = append(para, strings.TrimSpace(strings.TrimPrefix(trimmed, ">")))
		default:
			para = append(para, trimmed)
		}
	}
	flush()
	return strings.TrimSpace(strings.Join(out, "\n\n"))
}

// hasKey reports whether s names a key: a code span of one character, or "press".
func hasKey(s string) bool {
	for _, m := range codeSpan.FindAllStringSubmatch(s, -1) {
		if len([]rune(m[1])) == 1 {
			return true
		}
	}
	return strings.Contains(strings.ToLower(s), "press ")
}

// wrapPlain wraps s to width, continuing lines with prefix.
func wrapPlain(s string, width int, prefix string) string {
	words := strings.Fields(s)
	var lines []string
	line := ""
	for _, w := range words {
		switch {
		case line == "":
			line = w
		case len([]rune(line))+1+len([]rune(w)) > width:
			lines = append(lines, line)
			line = w
		default:
			line += " " + w
		}
	}
	if line != "" {
		lines = append(lines, line)
	}
	return strings.Join(lines, "\n"+prefix)
}

// indent puts prefix before every non-empty line.
func indent(s, prefix string) string {
	lines := strings.Split(s, "\n")
	for i, l := range lines {
		if l != "" {
			lines[i] = prefix + l
		}
	}
	return strings.Join(lines, "\n")
}

// WithoutKeys is lesson Markdown for paper: every parenthesis and sentence that names a
// key of the app (a one-character code span, or "press") left out of its paragraphs;
// code blocks, headings and list marks as written.
func WithoutKeys(md string) string {
	var out, para []string
	flush := func() {
		if len(para) == 0 {
			return
		}
		lead := ""
		if t := strings.TrimLeft(para[0], " "); strings.HasPrefix(t, "- ") || strings.HasPrefix(t, "* ") || strings.HasPrefix(t, "> ") {
			lead, para[0] = para[0][:len(para[0])-len(t)+2], t[2:]
		}
		if text := withoutKeys(strings.Join(para, " "), false); text != "" {
			out = append(out, lead+text)
		}
		para = nil
	}
	inCode := false
	for _, line := range strings.Split(md, "\n") {
		trimmed := strings.TrimSpace(line)
		fence := strings.HasPrefix(trimmed, "```") || strings.HasPrefix(trimmed, "~~~")
		switch {
		case fence || inCode:
			flush()
			if fence {
				inCode = !inCode
			}
			out = append(out, line)
		case trimmed == "" || strings.HasPrefix(trimmed, "#") || strings.HasPrefix(trimmed, "- ") || strings.HasPrefix(trimmed, "* ") || strings.HasPrefix(trimmed, ">"):
			flush()
			if trimmed == "" || strings.HasPrefix(trimmed, "#") {
				out = append(out, line)
			} else {
				para = append(para, line)
			}
		default:
			para = append(para, line)
		}
	}
	flush()
	return strings.Join(out, "\n")
}

// withoutKeys drops the parentheses of s that name a key, then every sentence that
// still names one and, with figures, every sentence that quotes a measurement.
func withoutKeys(s string, figures bool) string {
	s = keyParen.ReplaceAllString(s, "")
	var kept []string
	for len(s) > 0 {
		end := len(s)
		if m := sentenceEnd.FindStringIndex(s); m != nil {
			end = m[1]
		}
		sentence := s[:end]
		if !hasKey(sentence) && !(figures && strings.Contains(sentence, "{{")) {
			kept = append(kept, strings.TrimSpace(sentence))
		}
		s = s[end:]
	}
	return strings.Join(kept, " ")
}
