package panel

import (
	"charm.land/bubbles/v2/key"
	tea "charm.land/bubbletea/v2"

	uitimeline "github.com/coreography/coreography/ui/timeline"
)

// This file is what the run panel does with keys, and the help it shows for them.

func (p *RunPanel) key(msg tea.KeyPressMsg) tea.Cmd {
	k := p.c.Keys.Panel
	switch {
	case key.Matches(msg, k.ZoomIn):
		p.tl.ZoomIn()
	case key.Matches(msg, k.ZoomOut):
		p.tl.ZoomOut()
	case key.Matches(msg, k.PanLeft):
		p.tl.PanLeft()
	case key.Matches(msg, k.PanRight):
		p.tl.PanRight()
	case key.Matches(msg, k.Lanes):
		p.tl.CycleLanes()
	case key.Matches(msg, k.Start, k.End):
		p.jump(key.Matches(msg, k.End))
	case key.Matches(msg, k.Focus):
		p.focus = p.focus.next(p.closeUpShown)
	case key.Matches(msg, k.Speed):
		p.anchorReplay()
		p.speed = (p.speed + 1) % len(playbackSpeeds)
		p.asked = -1 // the learner chose this speed: it stays
	case key.Matches(msg, k.Replay):
		return p.replay()
	case key.Matches(msg, k.Pause):
		if !p.state.live() && !p.state.replay() {
			return nil
		}
		p.anchorReplay()
		p.state = p.state.pause()
		p.gen++
		if p.state == panelRunning && p.run != nil {
			p.traces = p.run.snapshot()
		}
		p.render()
		if p.state.moving() {
			return p.tick()
		}
		p.clock.halt()
		return nil
	default:
		return nil
	}
	p.render()
	return nil
}

// ShortHelp lists the panel's keys that do something now.
func (p *RunPanel) ShortHelp() []key.Binding {
	k := p.c.Keys.Panel
	if p.state.paused() { // space resumes now, and says so
		k.Pause.SetHelp(k.Pause.Help().Key, "resume")
	}
	switch {
	case p.state.live():
		return []key.Binding{k.Pause, k.ZoomIn, k.ZoomOut, k.Lanes}
	case len(p.traces) == 0:
		return nil // nothing recorded: nothing to zoom, pan or replay yet
	}
	var b []key.Binding
	if p.state.replay() {
		b = append(b, k.Pause, k.End) // end skips what is left of a slow replay
	}
	b = append(b, k.Replay, k.Speed, k.ZoomIn)
	if p.tl.Zoomed() {
		// Only a zoomed-in window can zoom out or move.
		b = append(b, k.ZoomOut, k.PanLeft, k.PanRight)
	}
	if _, ok := uitimeline.PickCloseUp(p.traces, max(p.width, 20), int64(p.focusWidth)); ok && p.state.finished() {
		b = append(b, k.Focus) // only a run with a close-up has one to show or hide
	}
	return append(b, k.Lanes)
}

// FullHelp lists every panel key that does something once there is a run to show.
func (p *RunPanel) FullHelp() [][]key.Binding {
	k := p.c.Keys.Panel
	if len(p.traces) == 0 && !p.state.live() {
		return [][]key.Binding{{k.Speed}}
	}
	return [][]key.Binding{{k.ZoomIn, k.ZoomOut, k.PanLeft, k.PanRight, k.Start, k.End, k.Lanes, k.Focus}, {k.Pause, k.Replay, k.Speed}}
}
