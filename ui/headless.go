package ui

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"strings"

	"charm.land/glamour/v2"

	"github.com/coreography/coreography/experiment"
	"github.com/coreography/coreography/lessons"
	"github.com/coreography/coreography/timeline"
)

// PlayOptions shape headless play.
type PlayOptions struct {
	Width int  // columns for text and timelines; 0 means 100
	JSON  bool // one JSON record per experiment run (JSON Lines) instead of text
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
	p := &player{w: w, l: l, run: run, opt: opt, width: width, md: newPlainMarkdown(width)}
	return p.play(ctx)
}

type player struct {
	w          io.Writer
	l          *lessons.Lesson
	run        experiment.Runner
	opt        PlayOptions
	width      int
	md         func(string) string
	values     map[string]float64 // what the latest experiment measured, for {{…}}
	disagreed  []string
	writeError error
}

// printf writes text output (nothing in JSON mode), remembering the first write error.
func (p *player) printf(format string, args ...any) {
	if p.opt.JSON || p.writeError != nil {
		return
	}
	_, p.writeError = fmt.Fprintf(p.w, format, args...)
}

func (p *player) play(ctx context.Context) error {
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
		return fmt.Errorf("lesson %s: this machine measured something other than the script's answer:\n  %s",
			p.l.ID, strings.Join(p.disagreed, "\n  "))
	}
	return p.writeError
}

func (p *player) step(ctx context.Context, i int) error {
	st := p.l.Steps[i]
	p.printf("\n── Step %d of %d %s\n\n", i+1, len(p.l.Steps), strings.Repeat("─", max(0, p.width-16)))
	p.printf("%s", p.md(lessons.Fill(st.Text[:st.ExperimentAt], p.values)))
	if st.Predict != nil {
		p.printf("\nPredict: %s\n", lessons.Fill(st.Predict.Question, p.values))
		for ci, c := range st.Predict.Choices {
			p.printf("  %c) %s\n", 'a'+rune(ci%26), c.Text)
		}
	}
	var runs []timeline.Stats
	if st.Experiment != nil {
		var err error
		if runs, err = p.experiment(ctx, i, st.Experiment); err != nil {
			return err
		}
		values := make([]map[string]float64, len(runs))
		for ri, s := range runs {
			values[ri] = s.Values()
		}
		p.values = lessons.Measured(values)
		if st.Experiment.Notice != "" {
			p.printf("\n%s\n", p.wrap(lessons.Fill(st.Experiment.Notice, p.values)))
		}
	}
	verdict := p.verdict(i, st.Predict, len(runs) > 0)
	if p.opt.JSON && len(runs) > 0 {
		if err := p.records(i, runs, st.Predict, verdict); err != nil {
			return err
		}
	}
	if rest := strings.TrimSpace(st.Text[st.ExperimentAt:]); rest != "" {
		p.printf("\n%s", p.md(lessons.Fill(rest, p.values)))
	}
	for _, h := range st.Hints {
		p.printf("\nHint: %s\n", p.wrap(lessons.Fill(h, p.values)))
	}
	return nil
}

// experiment runs every spec of a step in turn and draws each.
func (p *player) experiment(ctx context.Context, step int, exp *lessons.Experiment) ([]timeline.Stats, error) {
	var runs []timeline.Stats
	for ri, spec := range exp.Runs {
		label := spec.Normalized().String()
		// RenderRun titles the run with its name; this line says which run and what it runs.
		p.printf("\nRun %d of %d · %s\n", ri+1, len(exp.Runs), label)
		where := fmt.Sprintf("lesson %s, step %d, run %d (%s)", p.l.ID, step+1, ri+1, label)
		trace, err := runUndisturbed(ctx, p.run, spec, where, func(s string) { p.printf("%s\n", p.wrap(s)) })
		var disturbed *DisturbedError
		switch {
		case ctx.Err() != nil:
			return nil, ctx.Err()
		case errors.As(err, &disturbed):
			return nil, err
		case err != nil:
			return nil, fmt.Errorf("%s: %w", where, err)
		}
		p.printf("%s", RenderRun(trace, p.width))
		runs = append(runs, timeline.Compute(trace))
	}
	return runs, nil
}

// judgement is what a run said about a prediction.
type judgement struct {
	judged   bool   // the choices carry conditions and something ran
	measured string // the choice the run supports; "" when none
	ok       bool   // measured is the script's answer
}

// verdict prints the prediction's outcome and records a disagreement.
func (p *player) verdict(step int, pr *lessons.Predict, ran bool) judgement {
	if pr == nil {
		return judgement{}
	}
	var j judgement
	if pr.Judged() && ran {
		j.judged = true
		if k := pr.Judge(p.values); k >= 0 {
			j.measured = pr.Choices[k].Text
		}
		j.ok = j.measured == pr.Answer
		var nums []string
		for _, name := range pr.Quotes() {
			nums = append(nums, name+" "+lessons.Fill("{{"+name+"}}", p.values))
		}
		measured := j.measured
		if measured == "" {
			measured = "none of the choices"
		}
		p.printf("\nMeasured: %s → %q\n", strings.Join(nums, ", "), measured)
		if !j.ok {
			p.disagreed = append(p.disagreed, fmt.Sprintf("step %d: %q answers %q, but the run measured %s (%s)",
				step+1, pr.Question, pr.Answer, measuredOrNone(j.measured), strings.Join(nums, ", ")))
		}
	}
	mark := ""
	if j.judged {
		mark = "  ✓ the run agrees"
		if !j.ok {
			mark = "  ✗ this run disagrees"
		}
	}
	p.printf("Answer: %s%s\n", pr.Answer, mark)
	if pr.Explanation != "" {
		p.printf("%s\n", p.wrap(lessons.Fill(pr.Explanation, p.values)))
	}
	return j
}

func measuredOrNone(s string) string {
	if s == "" {
		return "none of the choices"
	}
	return fmt.Sprintf("%q", s)
}

// records writes one JSON line per run: lesson, step and run (from 1), the fields of
// `run --json`, and on the step's last run the prediction's outcome.
func (p *player) records(step int, runs []timeline.Stats, pr *lessons.Predict, j judgement) error {
	for ri, stats := range runs {
		raw, err := stats.MarshalJSON()
		if err != nil {
			return err
		}
		var rec map[string]any
		if err := json.Unmarshal(raw, &rec); err != nil {
			return err
		}
		rec["lesson"], rec["step"], rec["run"] = p.l.ID, step+1, ri+1
		if ri == len(runs)-1 && j.judged {
			rec["predicted_ok"] = j.ok
			rec["answer"] = pr.Answer
			rec["measured_choice"] = j.measured
		}
		var buf bytes.Buffer
		enc := json.NewEncoder(&buf)
		enc.SetEscapeHTML(false)
		if err := enc.Encode(rec); err != nil {
			return err
		}
		if _, err := p.w.Write(buf.Bytes()); err != nil {
			return err
		}
	}
	return nil
}

// newPlainMarkdown renders Markdown for a plain terminal: glamour's notty style, no
// colour, wrapped to width; the raw text if glamour cannot.
func newPlainMarkdown(width int) func(string) string {
	r, err := glamour.NewTermRenderer(glamour.WithStandardStyle("notty"), glamour.WithWordWrap(width))
	return func(text string) string {
		if strings.TrimSpace(text) == "" {
			return ""
		}
		if err == nil {
			if out, rerr := r.Render(joinSoftBreaks(text)); rerr == nil {
				return trimLineEnds(strings.Trim(out, "\n")) + "\n"
			}
		}
		return strings.TrimSpace(text) + "\n"
	}
}

// wrap wraps prose to the page width.
func (p *player) wrap(s string) string { return strings.Join(wrapText(s, p.width, ""), "\n") }
