// Package handout plays a lesson without a screen: its text, runs, figures and
// judged predictions as plain text or JSON lines.
package handout

import (
	"context"
	"errors"
	"fmt"
	"io"
	"strings"

	"github.com/coreography/coreography/internal/experiment"
	"github.com/coreography/coreography/internal/timeline"
	"github.com/coreography/coreography/lessons"
	"github.com/coreography/coreography/ui/common"
	"github.com/coreography/coreography/ui/markdown"
	uitimeline "github.com/coreography/coreography/ui/timeline"
)

// PlayOptions shape headless play.
type PlayOptions struct {
	Width int  // columns for text and timelines; 0 means 100
	JSON  bool // one JSON record per experiment run (JSON Lines) instead of text
	// WhenDisturbed is what to do with a run that stays disturbed: Refuse (exit 3),
	// JudgeAnyway, or Reference (References must be set).
	WhenDisturbed string
	References    References // the lesson's reference runs; nil when it has none
}

// Play runs a lesson without a screen, for handouts and CI: each step's text for a
// plain terminal, each experiment run for real by run and drawn with RenderRun, and
// for each prediction the question, the choice the measurement supports (with the
// numbers) and the script's answer. It returns an error when a run fails, when ctx
// is cancelled (promptly: the runner gets ctx), or, after the whole lesson, when a
// run measured something other than a prediction's answer.
func Play(ctx context.Context, w io.Writer, l *lessons.Lesson, run experiment.Runner, opt PlayOptions) error {
	width := opt.Width
	if width <= 0 {
		width = 100
	}
	p := &handout{w: w, l: l, run: run, opt: opt, width: width}
	return p.play(ctx)
}

// handout is a lesson written out as text: the headless renderer of a lesson, for
// handouts and CI. (The TUI's lessonPlayer is the one player.)
type handout struct {
	w          io.Writer
	l          *lessons.Lesson
	run        experiment.Runner
	opt        PlayOptions
	width      int
	md         markdown.Cache
	values     map[string]float64 // what the latest experiment measured, for {{…}}
	disagreed  []string
	caveats    []string // this step's runs judged though disturbed, or stood in for
	writeError error
}

// printf writes text output (nothing in JSON mode), remembering the first write error.
func (p *handout) printf(format string, args ...any) {
	if p.opt.JSON || p.writeError != nil {
		return
	}
	_, p.writeError = fmt.Fprintf(p.w, format, args...)
}

func (p *handout) play(ctx context.Context) error {
	p.values = map[string]float64{}
	p.printf("%s\n%s\n", p.l.Title, strings.Repeat("=", min(p.width, max(len([]rune(p.l.Title)), 3))))
	if p.l.Summary != "" {
		p.printf("%s\n", p.wrap(p.l.Summary))
	}
	p.printf("(%s · about %d min · %d steps)\n", p.l.ID, p.l.Minutes, len(p.l.Steps))
	for i := range p.l.Steps {
		if err := ctx.Err(); err != nil {
			return err
		}
		if err := p.step(ctx, i); err != nil {
			return err
		}
		if p.writeError != nil {
			return p.writeError
		}
	}
	if len(p.disagreed) > 0 {
		return fmt.Errorf("lesson %s: this machine measured something other than the script's answer or claim:\n  %s",
			p.l.ID, strings.Join(p.disagreed, "\n  "))
	}
	return p.writeError
}

func (p *handout) step(ctx context.Context, i int) error {
	st := p.l.Steps[i]
	p.printf("\n── Step %d of %d %s\n\n", i+1, len(p.l.Steps), strings.Repeat("─", max(0, p.width-16)))
	p.printf("%s", p.markdown(lessons.Fill(st.Text[:st.ExperimentAt], p.values)))
	if st.Predict != nil {
		p.printf("\nPredict: %s\n", lessons.Fill(st.Predict.Question, p.values))
		for ci, c := range st.Predict.Choices {
			p.printf("  %c) %s\n", 'a'+rune(ci%26), c.Text)
		}
	}
	var runs []timeline.Stats
	if st.Experiment != nil {
		var err error
		p.caveats = nil
		runs, err = p.experiment(ctx, i, st.Experiment)
		switch {
		case errors.Is(err, experiment.ErrUnavailable):
			// Nothing ran, so nothing is judged: the step is skipped, and says why.
			p.printf("\nSkipped: %s\n", p.wrap(common.OneLine(err.Error())))
		case err != nil:
			return err
		}
		uitimeline.AgainstBaselines(st.Experiment.Runs, runs)
		values := make([]map[string]float64, len(runs))
		for ri, s := range runs {
			values[ri] = s.Values()
		}
		p.values = lessons.Measured(values)
		if plot := uitimeline.SpeedupPlot(runs, p.width, false); plot != "" {
			p.printf("\n%s", plot)
		}
		if bars := uitimeline.MemoryBars(runs, p.width); bars != "" {
			p.printf("\n%s\n", bars)
		}
		if st.Experiment.Notice != "" {
			p.printf("\n%s", p.markdown(lessons.Fill(st.Experiment.Notice, p.values)))
		}
	}
	verdict := p.verdict(i, st.Predict, len(runs) > 0)
	if st.Experiment != nil && len(runs) == len(st.Experiment.Runs) {
		for _, c := range st.Contradicted(p.values) {
			p.disagreed = append(p.disagreed, fmt.Sprintf("step %d: the text says %s, and the runs contradict it", i+1, c))
		}
	}
	if p.opt.JSON && len(runs) > 0 {
		if err := p.records(i, st.Experiment.Runs, runs, st.Predict, verdict); err != nil {
			return err
		}
	}
	if rest := strings.TrimSpace(st.Text[st.ExperimentAt:]); rest != "" {
		p.printf("\n%s", p.markdown(lessons.Fill(rest, p.values)))
	}
	for _, h := range st.Hints {
		p.printf("\n%s", p.markdown("Hint: "+lessons.Fill(h, p.values)))
	}
	return nil
}

// experiment runs every spec of a step in turn and draws each.
func (p *handout) experiment(ctx context.Context, step int, exp *lessons.Experiment) ([]timeline.Stats, error) {
	var runs []timeline.Stats
	for ri, spec := range exp.Runs {
		label := spec.Normalized().String()
		// RenderRun titles the run with its name; this line says which run and what it runs.
		p.printf("\nRun %d of %d · %s\n", ri+1, len(exp.Runs), label)
		where := fmt.Sprintf("lesson %s, step %d, run %d (%s)", p.l.ID, step+1, ri+1, label)
		trace, caveat, err := p.runUndisturbed(ctx, spec, step+1, ri+1, where)
		if caveat != "" {
			p.caveats = append(p.caveats, fmt.Sprintf("run %d %s", ri+1, caveat))
		}
		var disturbed *DisturbedError
		switch {
		case ctx.Err() != nil:
			return nil, ctx.Err()
		case errors.As(err, &disturbed):
			return nil, err
		case err != nil:
			return nil, fmt.Errorf("%s: %w", where, err)
		}
		if c := trace.Clock; c != nil && c.Recalibrated {
			p.printf("%s\n", p.wrap(uitimeline.ClockNote(*c)))
		}
		p.printf("%s", uitimeline.RenderRun(trace, p.width))
		runs = append(runs, timeline.Compute(trace))
		if strings.HasPrefix(caveat, referenceCaveat) {
			// A step's runs are compared with each other: a reference run beside a
			// live one would compare two machines, so every run is the reference's.
			return p.allReferences(step, exp)
		}
	}
	return runs, nil
}

// allReferences is a step's runs, every one of them the lesson's reference run.
func (p *handout) allReferences(step int, exp *lessons.Experiment) ([]timeline.Stats, error) {
	runs := make([]timeline.Stats, len(exp.Runs))
	p.caveats = p.caveats[:0]
	for ri := range exp.Runs {
		t, label, err := p.opt.References(step+1, ri+1)
		if err != nil {
			return nil, fmt.Errorf("lesson %s, step %d, run %d: its reference run: %w", p.l.ID, step+1, ri+1, err)
		}
		runs[ri] = timeline.Compute(t)
		p.caveats = append(p.caveats, fmt.Sprintf("run %d %s%s", ri+1, referenceCaveat, label))
	}
	p.printf("%s\n", p.wrap("Every run of this step is shown as the lesson's reference run, so that they compare runs of one machine."))
	return runs, nil
}

// judgement is what a run said about a prediction.
type judgement struct {
	judged   bool   // the choices carry conditions and something ran
	measured string // the choice the run supports; "" when none
	ok       bool   // measured is the script's answer
}

// verdict prints the prediction's outcome and records a disagreement.
func (p *handout) verdict(step int, pr *lessons.Predict, ran bool) judgement {
	if pr == nil {
		return judgement{}
	}
	var j judgement
	if truth, measured := pr.Truth(p.values); measured && ran {
		j.judged = true
		if truth >= 0 {
			j.measured = pr.Choices[truth].Text
		}
		j.ok = pr.Agrees(p.values)
		// The reader is told the figures in words; the author, whose condition
		// disagreed, by the names the script uses.
		var said, nums []string
		for _, name := range pr.Quotes() {
			said = append(said, lessons.Say(p.values, name))
			nums = append(nums, name+" "+lessons.FormatValue(p.values, name))
		}
		measured := j.measured
		if measured == "" {
			measured = "none of the choices"
		}
		p.printf("\nMeasured: %s → %q\n", strings.Join(said, ", "), measured)
		if !j.ok {
			p.disagreed = append(p.disagreed, fmt.Sprintf("step %d: %q answers %q, but the run measured %s (%s)",
				step+1, pr.Question, pr.Answer, measuredOrNone(j.measured), strings.Join(nums, ", ")))
		}
	}
	mark := ""
	if j.judged {
		mark = "  " + common.GlyphRight + " the run agrees"
		if !j.ok {
			mark = "  " + common.GlyphWrong + " this run disagrees"
		}
	}
	if j.judged && len(p.caveats) > 0 {
		mark += " (" + strings.Join(p.caveats, "; ") + ")"
	}
	p.printf("Answer: %s%s\n", pr.Answer, mark)
	if pr.Explanation != "" {
		p.printf("%s", p.markdown(lessons.Fill(pr.Explanation, p.values)))
	}
	return j
}

func measuredOrNone(s string) string {
	if s == "" {
		return "none of the choices"
	}
	return fmt.Sprintf("%q", s)
}

// markdown renders Markdown for a plain terminal, ending in a newline; nothing for
// blank text. Step text, notices, explanations and hints all go through it, as they
// do on the screen, so none of them prints **emphasis** as source.
func (p *handout) markdown(text string) string {
	if strings.TrimSpace(text) == "" {
		return ""
	}
	// On paper no key of the app does anything: the sentences that name one go.
	return p.md.Render(lessons.WithoutKeys(text), p.width, markdown.Plain) + "\n"
}

// wrap wraps prose to the page width.
func (p *handout) wrap(s string) string { return strings.Join(common.WrapText(s, p.width, ""), "\n") }
