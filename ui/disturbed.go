package ui

import (
	"fmt"
	"strings"

	"github.com/coreography/coreography/internal/timeline"
	uitimeline "github.com/coreography/coreography/ui/timeline"
)

// refuseDisturbed reports whether a finished step's runs must not be judged (nor
// their figures filled into the text) because other programs disturbed one, and
// tells the learner so, with by how much and the key that runs it again.
func (p *lessonPlayer) refuseDisturbed(stats []timeline.Stats) bool {
	note := disturbedNote(stats, p.c.Keys.Player.Run.Help().Key)
	if note == "" {
		return false
	}
	p.notice, p.bad = note, true
	return true
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
