package handout

import (
	"context"
	"fmt"

	"github.com/coreography/coreography/internal/experiment"
	"github.com/coreography/coreography/internal/timeline"
	"github.com/coreography/coreography/internal/undisturbed"
	uitimeline "github.com/coreography/coreography/ui/timeline"
)

// policy is how play runs a disturbed run again: the app's one policy (a variable
// so that tests need not wait out its pauses).
var policy = undisturbed.Default

// What play does with a run that stays disturbed through every try.
const (
	// Refuse: it is not judged, and play exits 3 (the default).
	Refuse = ""
	// JudgeAnyway: the last try is judged, its verdict marked with what others took.
	JudgeAnyway = "judge"
	// Reference: the lesson's reference run, recorded on a quiet machine, stands in
	// for it, labelled with where and when it was recorded.
	Reference = "reference"
)

// referenceCaveat starts the caveat of a verdict judged on the reference run.
const referenceCaveat = "on the lesson's reference run, "

// References finds the reference run of a step's run (both from 1) and says where
// and when it was recorded.
type References func(step, run int) (trace *timeline.Trace, label string, err error)

// DisturbedError says a run stayed disturbed through every try, so its prediction
// was not judged: a busy machine, not a wrong answer. `play` exits 3 on it.
type DisturbedError struct {
	Where string // "lesson gil, step 2, run 1 (threads ×2)"
	Tries int
	Stats timeline.Stats // the last try's
}

func (e *DisturbedError) Error() string {
	return fmt.Sprintf("%s: disturbed in all %d tries (%s); not judged — play it again on a quieter machine, "+
		"or with --disturbed=judge or --disturbed=reference", e.Where, e.Tries, uitimeline.Disturbance(e.Stats))
}

// runUndisturbed runs spec by the app's policy, printing why each retry happens. A
// run that stays disturbed is a *DisturbedError, unless the options say to judge it
// anyway or to show the lesson's reference run instead; the trace returned is then
// that run, and caveat says so for the verdict.
func (p *handout) runUndisturbed(ctx context.Context, spec experiment.Spec, step, run int, where string) (trace *timeline.Trace, caveat string, err error) {
	note := func(next int, s timeline.Stats) {
		p.printf("%s\n", p.wrap(fmt.Sprintf("Disturbed: %s; not judging it, running it again in %v (try %d of %d).",
			uitimeline.Disturbance(s), policy.Pause, next, policy.Tries)))
	}
	res, err := undisturbed.Run(ctx, p.run, spec, policy.WithNote(note))
	if err != nil || !res.Stats.Disturbed {
		return res.Trace, "", err
	}
	refused := &DisturbedError{Where: where, Tries: res.Tries, Stats: res.Stats}
	switch p.opt.WhenDisturbed {
	case JudgeAnyway:
		caveat = fmt.Sprintf("on a disturbed run: others took %d%%", uitimeline.LostPercent(res.Stats))
		p.printf("%s\n", p.wrap(fmt.Sprintf("Judged anyway, %s.", caveat)))
		return res.Trace, caveat, nil
	case Reference:
		if p.opt.References == nil {
			return nil, "", fmt.Errorf("%w; and this lesson has no reference runs", refused)
		}
		ref, label, rerr := p.opt.References(step, run)
		if rerr != nil {
			return nil, "", fmt.Errorf("%w; and its reference run: %v", refused, rerr)
		}
		caveat = referenceCaveat + label
		p.printf("%s\n", p.wrap(fmt.Sprintf("This machine stayed busy (%s), so here is the lesson's reference run, %s.",
			uitimeline.Disturbance(res.Stats), label)))
		return ref, caveat, nil
	}
	return nil, "", refused
}
