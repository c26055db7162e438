package ui

import (
	"fmt"
	"slices"

	"charm.land/bubbles/v2/key"
	tea "charm.land/bubbletea/v2"

	"github.com/coreography/coreography/ui/common"
)

// stepState is where the learner is in a lesson and what the current step allows:
// everything the player's navigation depends on, so navigation is a pure function of
// it and an action (tested by a table, as maaslalani/slides does).
type stepState struct {
	Step, Steps   int
	HasExperiment bool
	Choices       int  // choices of the step's prediction; 0 when it asks nothing
	Chosen        int  // index of the learner's choice, -1 before they chose
	Busy          bool // the step's experiment is running
	Judged        bool // a run finished after the choice: the prediction is settled
}

// navAction is what a key asks the player to do.
type navAction int

const (
	actNone navAction = iota
	actNext
	actPrev
	actRun
	actChoose // with a 0-based choice index
	actRunDone
)

// navEffect is what the player must do after a navigation step.
type navEffect int

const (
	effNone       navEffect = iota
	effStep                 // the step changed: stop any run, load the step
	effEnd                  // next on the last step: the lesson is finished
	effChose                // a prediction was made: save it
	effRun                  // start (or restart) the experiment
	effNeedChoice           // run was asked before the prediction was answered
	effJudge                // a run finished: judge the prediction, fill the text
)

// navigate is the player's navigation: the new state and what to do, for an action
// in a state. It never has side effects.
func navigate(s stepState, a navAction, choice int) (stepState, navEffect) {
	switch a {
	case actNext:
		if s.Step+1 >= s.Steps {
			return s, effEnd
		}
		return enterStep(s, s.Step+1), effStep
	case actPrev:
		if s.Step == 0 {
			return s, effNone
		}
		return enterStep(s, s.Step-1), effStep
	case actChoose:
		// A settled prediction stays settled, and one cannot change one's mind while
		// the answer is being measured.
		if choice < 0 || choice >= s.Choices || s.Judged || s.Busy {
			return s, effNone
		}
		s.Chosen = choice
		return s, effChose
	case actRun:
		if !s.HasExperiment {
			return s, effNone
		}
		if s.Choices > 0 && s.Chosen < 0 {
			return s, effNeedChoice
		}
		s.Busy = true
		return s, effRun
	case actRunDone:
		if !s.Busy {
			return s, effNone // a run of a step the learner already left
		}
		s.Busy = false
		s.Judged = s.Chosen >= 0
		return s, effJudge
	}
	return s, effNone
}

// enterStep is the state on arriving at step: nothing chosen or running yet. The player
// then restores what it remembers of that step.
func enterStep(s stepState, step int) stepState {
	return stepState{Step: step, Steps: s.Steps, Chosen: -1}
}

// playerAction maps a key to a navigation action; choice is the 0-based choice for
// actChoose.
func playerAction(msg tea.KeyPressMsg, k common.PlayerKeys) (a navAction, choice int) {
	switch {
	case key.Matches(msg, k.Next):
		return actNext, 0
	case key.Matches(msg, k.Prev):
		return actPrev, 0
	case key.Matches(msg, k.Run):
		return actRun, 0
	case key.Matches(msg, k.Choose):
		return actChoose, slices.Index(k.Choose.Keys(), msg.String()) // the first key chooses the first choice
	}
	return actNone, 0
}

// chooseKey is the choose binding cut to a step's n choices, with help to match:
// "1-3" for three, "1" for one.
func chooseKey(all key.Binding, n int) key.Binding {
	n = min(max(n, 1), len(all.Keys()))
	b := all
	b.SetKeys(all.Keys()[:n]...)
	label := "1"
	if n > 1 {
		label = fmt.Sprintf("1-%d", n)
	}
	b.SetHelp(label, all.Help().Desc)
	return b
}
