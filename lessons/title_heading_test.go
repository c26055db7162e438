package lessons

import (
	"strings"
	"testing"
)

// A step's opening H1 that repeats the lesson title is said once, by the title bar;
// other headings, and a title heading further down, stay. The experiment's place
// moves with the text.
func TestTitleHeadingDropped(t *testing.T) {
	src := "---\nid: t\ntitle: Threads are *for* waiting\nminutes: 1\nsummary: s\n---\n" +
		"# Threads are for   WAITING #\n\nFirst words.\n\n```experiment\nmodel: threads\nworkers: 1\ntasks: cpu(1ms)\n```\n\nAfter.\n" +
		"\n---\n\n# Threads are for waiting, again\n\nSecond.\n" +
		"\n---\n\nThird.\n\n# Threads are for waiting\n"
	l, errs := Parse("t.md", []byte(src))
	if len(errs) > 0 {
		t.Fatal(errs)
	}
	st := l.Steps[0]
	if strings.Contains(st.Text, "# ") || !strings.HasPrefix(st.Text, "First words.") {
		t.Errorf("step 1 text %q still opens with the title", st.Text)
	}
	if before := st.Text[:st.ExperimentAt]; strings.TrimSpace(before) != "First words." {
		t.Errorf("step 1 before the experiment: %q", before)
	}
	if after := strings.TrimSpace(st.Text[st.ExperimentAt:]); after != "After." {
		t.Errorf("step 1 after the experiment: %q", after)
	}
	if !strings.HasPrefix(l.Steps[1].Text, "# Threads are for waiting, again") {
		t.Errorf("step 2 lost its own heading: %q", l.Steps[1].Text)
	}
	if !strings.Contains(l.Steps[2].Text, "# Threads are for waiting") {
		t.Errorf("a title heading that does not open the step went: %q", l.Steps[2].Text)
	}
}

func TestH1Text(t *testing.T) {
	for _, tc := range []struct {
		line, want string
		ok         bool
	}{
		{"# A", "A", true}, {"   # A ##", "A", true}, {"    # A", "", false},
		{"## A", "", false}, {"#A", "", false}, {"# C#", "C#", true},
	} {
		if got, ok := h1Text(tc.line); got != tc.want || ok != tc.ok {
			t.Errorf("h1Text(%q) = %q, %v; want %q, %v", tc.line, got, ok, tc.want, tc.ok)
		}
	}
}
