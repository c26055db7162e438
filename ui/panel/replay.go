package panel

import (
	"time"

	tea "charm.land/bubbletea/v2"

	"github.com/coreography/coreography/internal/experiment"
	"github.com/coreography/coreography/lessons"
	uitimeline "github.com/coreography/coreography/ui/timeline"
)

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
		p.endAskedSpeed()
	}
}

// endAskedSpeed puts the speed back to the learner's own once a replay a lesson
// asked for is over, so the next step's R does not crawl at the last one's pace.
func (p *RunPanel) endAskedSpeed() {
	if p.asked >= 0 {
		p.speed, p.asked = p.asked, -1
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
// ui/timeline lens.go): 0 while nothing replays, or at full speed.
func (p *RunPanel) replayLens() int64 {
	if !p.state.replay() {
		return 0
	}
	if w := uitimeline.LensWidth(playbackSpeeds[p.speed]); w < p.wall() {
		return w
	}
	return 0 // the whole run crosses the screen slowly enough already
}

// replay draws the finished runs again from their start, at the chosen speed.
func (p *RunPanel) replay() tea.Cmd {
	if p.state.live() || len(p.traces) == 0 {
		return nil
	}
	p.state, p.playPos, p.playAt = panelReplaying, 0, p.now()
	p.tl.Follow()
	p.gen++
	p.render()
	return p.tick()
}

// ReplayAt replays the finished runs at speed, one of lessons.ReplaySpeeds, or
// lessons.ReplaySlow to pick one from how long they took: as a lesson asks for
// runs too short to follow live. It does nothing while a run is live.
func (p *RunPanel) ReplayAt(speed float64) tea.Cmd {
	if speed == lessons.ReplaySlow {
		speed = slowSpeed(time.Duration(p.wall()))
	}
	if speed >= 1 || p.state.live() || len(p.traces) == 0 {
		return nil // long enough to have been watched live, or nothing to replay
	}
	before := p.speed
	for i, s := range playbackSpeeds {
		if s == speed {
			p.speed = i
		}
	}
	cmd := p.replay()
	p.asked = before
	return cmd
}

// longestSlowReplay is how long a replay: slow may take: the slowest speed whose
// replay of the run fits in it is picked, so 100 ms of hand-offs play at 0.01× and
// a 700 ms run at 0.1×.
const longestSlowReplay = 20 * time.Second

// slowSpeed is the speed replay: slow plays a run wall long at.
func slowSpeed(wall time.Duration) float64 {
	speed := playbackSpeeds[0]
	for _, s := range playbackSpeeds[1:] {
		if float64(wall) <= s*float64(longestSlowReplay) {
			speed = s
		}
	}
	return speed
}
