package lessons

import "strings"

// dropTitleHeading takes out a step's opening level-1 heading when it repeats the
// lesson's title. The TUI's title bar and the handout's header already show the
// lesson title, and neither shows a step's own title, so the first step's "# Title"
// was the same words drawn twice while later steps' headings were the only place
// their titles appear; those stay. Doing it here, once, means every player of a
// lesson agrees. ExperimentAt moves with the text.
func (st *Step) dropTitleHeading(title string) {
	first, rest, _ := strings.Cut(st.Text, "\n")
	heading, ok := h1Text(first)
	if !ok || !sameWords(heading, title) {
		return
	}
	rest = strings.TrimLeft(rest, "\n")
	cut := len(st.Text) - len(rest)
	st.Text = rest
	st.ExperimentAt = max(st.ExperimentAt-cut, 0)
}

// h1Text is the words of an ATX level-1 heading line ("# Title", "# Title #"), up to
// three spaces of indentation allowed as CommonMark does.
func h1Text(line string) (string, bool) {
	trimmed := strings.TrimLeft(line, " ")
	if len(line)-len(trimmed) > 3 {
		return "", false
	}
	words, ok := strings.CutPrefix(trimmed, "# ")
	if !ok {
		return "", false
	}
	words = strings.TrimSpace(words)
	if closing := strings.TrimRight(words, "#"); closing != words && strings.HasSuffix(closing, " ") {
		words = strings.TrimSpace(closing)
	}
	return words, true
}

// sameWords compares two titles as a reader would: case, spacing and Markdown
// emphasis marks aside.
func sameWords(a, b string) bool {
	norm := func(s string) string {
		return strings.ToLower(strings.Join(strings.Fields(emphasisMarks.Replace(s)), " "))
	}
	na := norm(a)
	return na != "" && na == norm(b)
}

// emphasisMarks drops Markdown's emphasis marks. Built once: every lesson's steps are
// compared as the app starts.
var emphasisMarks = strings.NewReplacer("*", "", "_", "", "`", "")
