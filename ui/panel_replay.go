package ui

import "github.com/coreography/coreography/experiment"

// This file is the panel's replay clock: a finished run drawn again as it happened,
// at a chosen speed.

// playPosition is how far the replay has got, in ns since begin.
func (p *RunPanel) playPosition() int64 {
	if !p.state.replay() {
		return -1
	}
	pos := p.playPos
	if p.state == panelReplaying {
		pos += int64(float64(p.now().Sub(p.playAt)) * playbackSpeeds[p.speed])
	}
	return min(pos, p.wall())
}

// anchorReplay restarts the replay clock from where it is, before speed or pause change.
func (p *RunPanel) anchorReplay() {
	if p.state.replay() {
		p.playPos, p.playAt = p.playPosition(), p.now()
	}
}

func (p *RunPanel) advanceReplay() {
	if p.state == panelReplaying && p.playPosition() >= p.wall() {
		p.state = outcome(p.err) // back to how the run set ended
	}
}

// wall is the longest trace's duration: the whole time axis once runs are over.
func (p *RunPanel) wall() int64 {
	var w int64
	for _, t := range p.traces {
		w = max(w, t.End-t.Begin)
	}
	return w
}

// formatSpeed spells a playback speed: 1×, 0.5×, 0.01×.
func formatSpeed(x float64) string { return experiment.FormatDecimal(x, 2) + "×" }

// jump goes to the end of the run, or its start: a replay's playhead moves there,
// and a zoomed window shows it.
func (p *RunPanel) jump(toEnd bool) {
	if p.state.replay() {
		p.playPos, p.playAt = 0, p.now()
		if toEnd {
			p.playPos = p.wall()
		}
	}
	if toEnd {
		p.tl.JumpEnd()
	} else {
		p.tl.JumpStart()
	}
}

// replayLens is the window a slowed replay follows its playhead in (see
// timeline_lens.go): 0 while nothing replays, or at full speed.
func (p *RunPanel) replayLens() int64 {
	if !p.state.replay() {
		return 0
	}
	if w := lensWidth(playbackSpeeds[p.speed]); w < p.wall() {
		return w
	}
	return 0 // the whole run crosses the screen slowly enough already
}
