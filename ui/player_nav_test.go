package ui

import (
	"testing"

	tea "charm.land/bubbletea/v2"

	"github.com/coreography/coreography/ui/common"
)

func TestNavigate(t *testing.T) {
	// A three-step lesson whose middle step runs an experiment and asks a
	// three-choice prediction.
	first := stepState{Step: 0, Steps: 3, Chosen: -1}
	asking := stepState{Step: 1, Steps: 3, HasExperiment: true, Choices: 3, Chosen: -1}
	chosen := asking
	chosen.Chosen = 1
	running := chosen
	running.Busy = true
	judged := chosen
	judged.Judged = true
	last := stepState{Step: 2, Steps: 3, Chosen: -1}
	plainRun := stepState{Step: 0, Steps: 1, HasExperiment: true, Chosen: -1}

	tests := []struct {
		name   string
		in     stepState
		act    navAction
		choice int
		want   stepState
		effect navEffect
	}{
		{"next from the first step", first, actNext, 0, stepState{Step: 1, Steps: 3, Chosen: -1}, effStep},
		{"prev on the first step stays", first, actPrev, 0, first, effNone},
		{"next on the last step ends the lesson", last, actNext, 0, last, effEnd},
		{"prev from the last step", last, actPrev, 0, stepState{Step: 1, Steps: 3, Chosen: -1}, effStep},
		{"leaving a running step forgets the run", running, actNext, 0, last, effStep},
		{"run before predicting asks for a prediction", asking, actRun, 0, asking, effNeedChoice},
		{"choose an answer", asking, actChoose, 1, chosen, effChose},
		{"choice beyond the list is ignored", asking, actChoose, 3, asking, effNone},
		{"negative choice is ignored", asking, actChoose, -1, asking, effNone},
		{"change of mind before the run", chosen, actChoose, 2, func() stepState { s := chosen; s.Chosen = 2; return s }(), effChose},
		{"no change of mind while measuring", running, actChoose, 0, running, effNone},
		{"no change of mind after judging", judged, actChoose, 0, judged, effNone},
		{"run after predicting", chosen, actRun, 0, running, effRun},
		{"re-run while running restarts", running, actRun, 0, running, effRun},
		{"re-run after judging", judged, actRun, 0, func() stepState { s := judged; s.Busy = true; return s }(), effRun},
		{"run finished: judge", running, actRunDone, 0, judged, effJudge},
		{"late result of a left step is ignored", last, actRunDone, 0, last, effNone},
		{"run on a step with nothing to run", first, actRun, 0, first, effNone},
		{"run a step without a prediction", plainRun, actRun, 0, func() stepState { s := plainRun; s.Busy = true; return s }(), effRun},
		{"a plain run finishing settles nothing", func() stepState { s := plainRun; s.Busy = true; return s }(), actRunDone, 0, plainRun, effJudge},
		{"choose on a step that asks nothing", first, actChoose, 0, first, effNone},
		{"no action", chosen, actNone, 0, chosen, effNone},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, eff := navigate(tt.in, tt.act, tt.choice)
			if got != tt.want || eff != tt.effect {
				t.Errorf("navigate(%+v, %v, %d)\n got  %+v, effect %v\n want %+v, effect %v", tt.in, tt.act, tt.choice, got, eff, tt.want, tt.effect)
			}
		})
	}
}

func TestPlayerAction(t *testing.T) {
	keys := common.DefaultKeyMap()
	tests := []struct {
		key    tea.KeyPressMsg
		act    navAction
		choice int
	}{
		{tea.KeyPressMsg{Code: 'n', Text: "n"}, actNext, 0},
		{tea.KeyPressMsg{Code: tea.KeyRight}, actNext, 0},
		{tea.KeyPressMsg{Code: 'p', Text: "p"}, actPrev, 0},
		{tea.KeyPressMsg{Code: tea.KeyLeft}, actPrev, 0},
		{tea.KeyPressMsg{Code: 'r', Text: "r"}, actRun, 0},
		{tea.KeyPressMsg{Code: '1', Text: "1"}, actChoose, 0},
		{tea.KeyPressMsg{Code: '9', Text: "9"}, actChoose, 8},
		{tea.KeyPressMsg{Code: 'x', Text: "x"}, actNone, 0},
		{tea.KeyPressMsg{Code: ' ', Text: " "}, actNone, 0}, // the panel's pause
	}
	for _, tt := range tests {
		act, choice := playerAction(tt.key, keys.Player)
		if act != tt.act || choice != tt.choice {
			t.Errorf("key %q: got action %v choice %d, want %v %d", tt.key.String(), act, choice, tt.act, tt.choice)
		}
	}
}
