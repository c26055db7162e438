package ui

import (
	"cmp"
	"fmt"
	"slices"
	"strings"

	"charm.land/bubbles/v2/key"
	tea "charm.land/bubbletea/v2"

	"github.com/coreography/coreography/internal/timeline"
	"github.com/coreography/coreography/ui/common"
	uitimeline "github.com/coreography/coreography/ui/timeline"
)

// refuseDisturbed reports whether a finished step's runs must not be judged (nor
// their figures filled into the text) because other programs disturbed one, and
// tells the learner so, with by how much and the keys that go on from there: run
// it again, judge it anyway, or see the lesson's reference run.
func (p *lessonPlayer) refuseDisturbed(stats []timeline.Stats) bool {
	note := disturbedNote(stats, p.c.Keys.Player.Run.Help().Key)
	if note == "" {
		return false
	}
	k := p.c.Keys.Player
	note = strings.TrimSuffix(note, ".") + ", " + k.JudgeAnyway.Help().Key + " to judge it anyway"
	if p.c.References != nil {
		note += ", or " + k.Reference.Help().Key + " for the lesson's reference run, recorded on a quiet machine"
	}
	p.notice, p.bad = note+".", true
	return true
}

// disturbedKeys are the keys that go on from a run set left unjudged for being
// disturbed; none otherwise.
func (p *lessonPlayer) disturbedKeys() []key.Binding {
	if p.memory[p.state.Step].refused == nil || p.panel.Busy() {
		return nil
	}
	k := p.c.Keys.Player
	if p.c.References == nil {
		return []key.Binding{k.JudgeAnyway}
	}
	return []key.Binding{k.JudgeAnyway, k.Reference}
}

// disturbedKey handles the keys that go on from a run set left unjudged for being
// disturbed: judge it anyway, its verdict marked with what others took, or show and
// judge the lesson's reference runs instead, labelled with where and when they were
// recorded. ok is false for any other key.
func (p *lessonPlayer) disturbedKey(msg tea.KeyPressMsg) (tea.Cmd, bool) {
	keys := p.disturbedKeys()
	mem := &p.memory[p.state.Step]
	var stats []timeline.Stats
	switch {
	case len(keys) > 0 && key.Matches(msg, keys[0]):
		worst := slices.MaxFunc(mem.refused, func(a, b timeline.Stats) int {
			return cmp.Compare(uitimeline.LostPercent(a), uitimeline.LostPercent(b))
		})
		stats, mem.caveat = mem.refused, fmt.Sprintf("on a disturbed run: others took %d%%", uitimeline.LostPercent(worst))
	case len(keys) > 1 && key.Matches(msg, keys[1]):
		var ok bool
		if stats, ok = p.showReference(mem); !ok {
			p.layout()
			return nil, true
		}
	default:
		return nil, false
	}
	p.state.Judged = p.state.Chosen >= 0
	mem.refused = nil
	p.notice, p.bad = "Judged "+mem.caveat+".", false
	p.settle(mem, stats)
	p.layout()
	return nil, true
}

// showReference puts the lesson's reference runs of this step in the panel and
// returns their stats; ok is false, and the notice says why, when a run has none.
func (p *lessonPlayer) showReference(mem *stepMemory) (stats []timeline.Stats, ok bool) {
	runs := len(p.step().Experiment.Runs)
	traces := make([]*timeline.Trace, runs)
	label := ""
	for i := range runs {
		t, l, err := p.c.References(p.lesson.ID, p.state.Step+1, i+1)
		if err != nil {
			p.notice, p.bad = "No reference run to show: "+common.OneLine(err.Error()), true
			return nil, false
		}
		traces[i], label = t, l
		stats = append(stats, timeline.Compute(t))
	}
	p.panel.ShowNamed("reference run, "+label, traces)
	mem.caveat = "on the lesson's reference run, " + label
	return stats, true
}

// disturbedNote names the disturbed runs of a step (a step of one run has no "run 1"
// to speak of) and how much the first of them lost; "" when none was.
func disturbedNote(stats []timeline.Stats, runKey string) string {
	var runs []string
	first := -1
	for i, s := range stats {
		if s.Disturbed {
			runs = append(runs, fmt.Sprint(i+1))
			if first < 0 {
				first = i
			}
		}
	}
	switch {
	case len(runs) == 0:
		return ""
	case len(stats) == 1:
		return fmt.Sprintf("The run was disturbed: %s, so it is not judged. Press %s to run it again.",
			uitimeline.DisturbanceSep(stats[0], uitimeline.NoBreakSpace), runKey)
	case len(runs) == 1:
		return fmt.Sprintf("Run %s was disturbed: %s, so it is not judged. Press %s to run it again.",
			runs[0], uitimeline.DisturbanceSep(stats[first], uitimeline.NoBreakSpace), runKey)
	}
	list := strings.Join(runs[:len(runs)-1], ", ") + " and " + runs[len(runs)-1]
	return fmt.Sprintf("Runs %s were disturbed (run %d: %s), so they are not judged. Press %s to run them again.",
		list, first+1, uitimeline.DisturbanceSep(stats[first], uitimeline.NoBreakSpace), runKey)
}

// disturbedTag marks a kept run whose figures other programs disturbed, for the
// lab's list of recent runs; "" for any other run.
func disturbedTag(s timeline.Stats) string {
	if !s.Disturbed {
		return ""
	}
	return fmt.Sprintf(" · disturbed (others took %d%%)", uitimeline.LostPercent(s))
}
