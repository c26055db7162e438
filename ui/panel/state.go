package panel

import (
	"context"
	"errors"
)

// panelState is everything the run panel is doing, in one value: nothing yet, a run
// live (or frozen on screen while it goes on), a finished run set and how it ended,
// or a replay of one (or a paused replay).
type panelState int

const (
	panelReady        panelState = iota // specs set, nothing recorded
	panelRunning                        // a run set is live
	panelRunPaused                      // live, the frame frozen
	panelDone                           // finished, or recorded runs shown
	panelFailed                         // an engine failed
	panelStopped                        // stopped before the end
	panelReplaying                      // a finished run set drawn again as it happened
	panelReplayPaused                   //
)

func (s panelState) String() string {
	return [...]string{"ready", "running", "running", "done", "failed", "stopped", "replay", "replay"}[s]
}

// live reports whether a run set is going, shown or not.
func (s panelState) live() bool { return s == panelRunning || s == panelRunPaused }

// replay reports whether a replay is under way, paused or not.
func (s panelState) replay() bool { return s == panelReplaying || s == panelReplayPaused }

// paused reports whether the frame is frozen while something goes on.
func (s panelState) paused() bool { return s == panelRunPaused || s == panelReplayPaused }

// moving reports whether the next frame would differ from this one.
func (s panelState) moving() bool { return s == panelRunning || s == panelReplaying }

// finished reports whether a run set has ended (or recorded runs are shown).
func (s panelState) finished() bool { return s == panelDone || s == panelFailed || s == panelStopped }

// pause is the state after the pause key: paused, or going again.
func (s panelState) pause() panelState {
	switch s {
	case panelRunning:
		return panelRunPaused
	case panelRunPaused:
		return panelRunning
	case panelReplaying:
		return panelReplayPaused
	case panelReplayPaused:
		return panelReplaying
	}
	return s
}

// outcome is how a run set that returned err ended.
func outcome(err error) panelState {
	switch {
	case err == nil:
		return panelDone
	case errors.Is(err, context.Canceled):
		return panelStopped
	}
	return panelFailed
}
