// Package lessons owns lesson scripts: parsing and validating them, the catalog of
// built-in and user lessons, and the learner's progress through them.
package lessons

import (
	"time"

	"github.com/coreography/coreography/internal/experiment"
)

// Lesson is one parsed lesson script.
type Lesson struct {
	ID, Title, Summary, Level string
	Minutes                   int
	Tags                      []string
	Path                      string // file it came from ("builtin:gil.md" for embedded ones)
	Steps                     []Step
}

// Step is one screen of a lesson: what a `---` line separates.
type Step struct {
	Text       string      // the step's Markdown with the experiment/predict/hint blocks taken out
	Experiment *Experiment // nil when the step runs nothing
	Predict    *Predict    // nil when it asks nothing
	Hints      []string
	// Notes are the speaker notes: only the presenter sees them (class mode's teacher
	// screen, --present --notes), never a learner, a student or a handout.
	Notes []string
	// Claims are the conditions the step's text asserts about its runs (if blocks with
	// claim: true): play fails when a run contradicts one.
	Claims []Claim
	Line   int // line of the step's first line in the file
	// ExperimentAt is the byte offset in Text where the experiment block stood, so a
	// player can show Text[:ExperimentAt] before the run and the rest, which usually
	// quotes what was measured, after it. len(Text) when the step runs nothing.
	ExperimentAt int
}

// Experiment is what a step runs.
type Experiment struct {
	Runs   []experiment.Spec // the spec, then each `compare` spec: run one after another, drawn on one time axis
	Notice string            // shown after the run
	Focus  time.Duration     // the close-up's width; 0: picked from each run's trace (focus: auto)
	// Replay is the speed the runs are replayed at as soon as they end (replay:), one
	// of ReplaySpeeds, or ReplaySlow to pick it from the run's length; 0: no replay.
	Replay float64
}

// Predict is a question asked before the step's experiment runs.
type Predict struct {
	Question    string
	Choices     []Choice
	Answer      string // the choice text the script says is right
	Explanation string
}

// Choice is one answer a learner can pick.
type Choice struct {
	Text string
	When string // optional condition on measured stats, e.g. "speedup < 1.3"; "" = none

	cond condition // When, parsed
}

// AnswerIndex is the index of the choice the script says is right, or -1.
func (p *Predict) AnswerIndex() int {
	for i, c := range p.Choices {
		if c.Text == p.Answer {
			return i
		}
	}
	return -1
}

// Judge returns the index of the first choice whose condition the measured values
// satisfy, or -1 if none does; values are timeline.Stats.Values() of the last run (or
// Measured of all the step's runs). A choice without a condition is never picked.
func (p *Predict) Judge(values map[string]float64) int {
	for i, c := range p.Choices {
		if c.When == "" {
			continue
		}
		cond := c.cond
		if cond == nil {
			// A Predict built by hand rather than parsed: read the condition now.
			var err error
			if cond, err = parseCondition(c.When); err != nil {
				continue
			}
		}
		if cond.holds(values) {
			return i
		}
	}
	return -1
}

// Judged reports whether any choice carries a condition, so a run can settle the question.
func (p *Predict) Judged() bool {
	for _, c := range p.Choices {
		if c.When != "" {
			return true
		}
	}
	return false
}

// Status is how far a learner got through a lesson.
type Status int

const (
	New        Status = iota // no step seen yet
	InProgress               // some steps seen
	Done                     // every step seen
)

func (s Status) String() string {
	switch s {
	case InProgress:
		return "in progress"
	case Done:
		return "done"
	}
	return "new"
}

// Quotes lists, once each and in order, the measured values the choices' conditions
// read, so a player can show the numbers behind its verdict.
func (p *Predict) Quotes() []string {
	var out []string
	for _, c := range p.Choices {
		cond := c.cond
		if cond == nil && c.When != "" {
			cond, _ = parseCondition(c.When)
		}
		cond.names(func(name string, _ int) {
			for _, seen := range out {
				if seen == name {
					return
				}
			}
			out = append(out, name)
		})
	}
	return out
}
