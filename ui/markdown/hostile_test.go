package markdown

import (
	"strings"
	"testing"
	"time"
)

// Tests named TestHostileNN… are issue 28's hostile cases, NN its item number.

// renderBudget is the time a megabyte of any Markdown may take to render: linear work
// runs it in well under a second, while the quadratic nestings of issue 28 took
// minutes. Generous, for a machine shared with other work.
const renderBudget = 10 * time.Second

// renderWithin renders src and fails if it takes longer than budget.
func renderWithin(t *testing.T, name, src string, budget time.Duration) {
	t.Helper()
	if raceDetector {
		// Rendering is one goroutine's work: the race detector has nothing to find
		// in it, and slows it past any budget. The plain test run keeps the budget.
		t.Skip("a time budget means nothing under the race detector")
	}
	done := make(chan time.Duration, 1)
	go func() {
		start := time.Now()
		renderMarkdown(src, 80, Plain)
		done <- time.Since(start)
	}()
	select {
	case took := <-done:
		t.Logf("%s (%d KB): %v", name, len(src)>>10, took)
	case <-time.After(budget):
		t.Fatalf("%s (%d KB): still rendering after %v", name, len(src)>>10, budget)
	}
}

// Issue 28 #5, #8: nesting (quotes, lists, indentation), unclosed links, emphasis and
// brackets render in time linear in the text: a 990 KB blockquote, 100,000 unclosed
// links.
func TestHostile05NestingRendersInLinearTime(t *testing.T) {
	if testing.Short() {
		t.Skip("renders megabytes")
	}
	var indent strings.Builder
	for i := range 1400 {
		indent.WriteString(strings.Repeat(" ", i) + "- x\n")
	}
	for name, src := range map[string]string{
		"990 KB blockquote":      strings.Repeat(">", 990000) + " hi\n",
		"100,000 unclosed links": strings.Repeat("[a](", 100000) + "\n",
		"links over lines":       strings.Repeat("[a](\n", 100000),
		"list markers":           strings.Repeat("- ", 200000) + "x\n",
		"indented lists":         indent.String(),
		"emphasis":               strings.Repeat("*_", 200000) + "x\n",
		"quotes over lines":      strings.Repeat(strings.Repeat(">", 900)+" x\n", 1000),
	} {
		renderWithin(t, name, src, renderBudget)
	}
}

// Text within the bounds is left as written; past them, the nesting is capped.
func TestTameKeepsOrdinaryMarkdown(t *testing.T) {
	for _, src := range []string{
		"# T\n\n> q\n> > qq\n\n- a\n  - b\n    1. c\n\n[l](u) [m](v)\n\n```\n" + strings.Repeat("[", 300) + "\n```\n",
		"    code\n\n* x\n+ y\n",
	} {
		if got := tame(src); got != src {
			t.Errorf("tame changed ordinary Markdown:\n%q\n%q", src, got)
		}
	}
	if got := tame(strings.Repeat(">", 1000) + " hi"); got != strings.Repeat(">", maxContainerMarks)+" hi" {
		t.Errorf("a deep quote tamed to %q", got)
	}
	if got := tame(strings.Repeat("[", 300)); strings.Count(got, `\[`) != 300-maxBracketsPerBlock {
		t.Errorf("brackets past the bound not escaped: %d escaped", strings.Count(got, `\[`))
	}
}

// FuzzRenderWithinBudget: any snippet repeated to 64 KB, on one line or many, renders
// within a time budget: the fuzzer looks for a pattern whose cost grows faster than
// its length.
func FuzzRenderWithinBudget(f *testing.F) {
	for _, s := range []string{">", "[a](", "- ", "*_", "  - x\n", "<a ", "`a ", "[", "1. ", "> - ", "**a", "![a](", "&#"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, snippet string) {
		if snippet == "" || len(snippet) > 64 {
			return
		}
		src := strings.Repeat(snippet, 64<<10/len(snippet))
		renderWithin(t, "snippet "+snippet, src, renderBudget/4)
	})
}
