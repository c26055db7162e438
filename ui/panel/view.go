package panel

import (
	"fmt"
	"strings"
	"time"

	"github.com/charmbracelet/x/ansi"

	"github.com/coreography/coreography/internal/experiment"
	"github.com/coreography/coreography/ui/common"
	uitimeline "github.com/coreography/coreography/ui/timeline"
)

// minLaneLines is how many timeline lines the panel keeps before it gives the
// stats room.
const minLaneLines = 4

// render draws the panel into p.view. It runs on a tick, a key or a resize, never in
// View, so View costs nothing however often Bubble Tea calls it.
func (p *RunPanel) render() {
	width, height := max(p.width, 20), p.height
	if height <= 0 {
		height = 24
	}
	p.tl.SetLens(p.replayLens())
	var top []string
	top = append(top, p.header(width))
	if p.err != nil && outcome(p.err) == panelFailed {
		top = append(top, p.tl.Text(common.TruncateLine("failed: "+common.OneLine(p.err.Error()), width), common.ToneError))
	}
	if len(p.traces) == 0 {
		msg := "ready: nothing recorded yet"
		if p.state.live() {
			msg = "starting…"
		}
		top = append(top, p.tl.Text(msg, common.ToneSubtle))
		p.view = common.FitLines(top, width, height, common.GlyphEllipsis, false)
		return
	}

	if note := p.setupNote(); note != "" {
		top = append(top, p.tl.Text(common.TruncateLine(note, width), common.ToneSubtle))
	}
	stats := p.liveStats(width)
	if p.state != panelRunning && len(p.stats) > 0 {
		stats = strings.Split(p.tl.RenderStats(p.stats, width), "\n")
	}
	cu, hasCU := p.closeUp(width)
	p.closeUpShown = hasCU && p.focus == focusOnly
	if p.closeUpShown {
		p.view = common.FitLines(append(append(top, p.closeUpAlone(cu, width, height-len(top))...), stats...), width, height, common.GlyphEllipsis, false)
		return
	}
	fixed := len(top) + 2
	room := height - fixed
	if hasCU {
		// The close-up is what the learner came to see: the stats give way to it
		// first (a lesson's text quotes them anyway).
		stats = p.fitStats(stats, room-closeUpWanted(cu), p.tl.LinesWanted(p.traces))
	} else {
		stats = p.fitStats(stats, room, p.tl.LinesWanted(p.traces))
	}
	lanes := room - len(stats)
	var closeLines []string
	if hasCU {
		closeLines = p.closeUpLines(cu, width, p.closeUpRoom(cu, lanes))
		lanes -= len(closeLines)
		p.closeUpShown = len(closeLines) > 0
	}
	domain, now, clip := p.axisRange()
	d := p.tl.Draw(p.traces, domain, now, clip, width, max(lanes, 1))
	out := append(top, d.Lanes...)
	out = append(out, d.Axis, d.Legend)
	out = append(out, closeLines...)
	out = append(out, stats...)
	p.view = common.FitLines(out, width, height, common.GlyphEllipsis, false)
}

// fitStats cuts the stats so the lanes get what the header, axis and legend leave
// (room lines), as many as they want: the stats give way, down to their first two
// lines (a comparison's header and wall times) while the lanes keep a few, or
// entirely. A table header alone says nothing, so it never stays without a row.
func (p *RunPanel) fitStats(stats []string, room, want int) []string {
	if room-len(stats) >= want {
		return stats
	}
	keep := min(len(stats), max(room-want, 2))
	if room-keep < minLaneLines {
		keep = max(room-minLaneLines, 0)
	}
	if keep == 1 && len(p.stats) > 1 {
		keep = 0
	}
	if p.watchedTrace() != nil && room > 1 {
		keep = max(keep, 1) // a watched program's summary stays: its lanes give way first
	}
	return stats[:min(keep, len(stats))]
}

// axisRange is the time axis to draw on: while live it grows in round steps so the
// picture rescales now and then, not every frame; a replay draws up to its position.
func (p *RunPanel) axisRange() (domain, now, clip int64) {
	wall := p.wall()
	switch {
	case p.state.live():
		last := p.traces[len(p.traces)-1]
		elapsed := last.End - last.Begin
		return uitimeline.NiceCeil(max(wall, int64(10*time.Millisecond))), elapsed, -1
	case p.state.replay():
		pos := p.playPosition()
		return wall, pos, pos
	}
	return wall, -1, -1
}

// header says what runs and how it is going, in one line.
func (p *RunPanel) header(width int) string {
	title := p.title()
	status := p.status(true)
	if ansi.StringWidth(title)+2+ansi.StringWidth(status) > width {
		status = p.status(false) // the run's name matters more than the app's own cost or R's speed
	}
	room := width - ansi.StringWidth(status) - 2
	if room < 8 {
		return common.TruncateLine(title, width)
	}
	title = common.TruncateLine(title, room)
	gap := width - ansi.StringWidth(title) - ansi.StringWidth(status)
	return p.tl.Text(title, common.ToneHeader) + strings.Repeat(" ", gap) + p.tl.Text(status, p.statusStyle())
}

func (p *RunPanel) statusStyle() common.Tone {
	switch {
	case p.state == panelFailed:
		return common.ToneError
	case p.state.live():
		return common.ToneAccent
	}
	return common.ToneSubtle
}

func (p *RunPanel) title() string {
	if p.named != "" && !p.state.live() {
		return p.named
	}
	if len(p.specs) == 0 {
		if len(p.traces) == 1 {
			return p.traces[0].Title()
		}
		names := make([]string, len(p.traces))
		for i, t := range p.traces {
			names[i] = fmt.Sprintf("%s ×%d", t.Model, t.Workers)
		}
		return "compare: " + strings.Join(names, " vs ")
	}
	if len(p.specs) == 1 {
		if s := p.specs[0]; s.Tasks.Count() == 0 && s.Name != "" {
			return s.Name // a watched command has no tasks: its name is the command
		}
		title := RunTitle(p.specs[0])
		if len(p.traces) == 1 && p.traces[0].ProfileMeasured != "" {
			title += " · profile " + p.traces[0].ProfileMeasured // how far to trust the model
		}
		return title
	}
	return CompareTitles(p.specs)
}

// status is the run's state and progress, then, when extras, the app's own CPU and
// the speed R replays at.
func (p *RunPanel) status(extras bool) string {
	var parts []string
	switch {
	case p.state.replay():
		parts = append(parts, fmt.Sprintf("replay %s %s", formatSpeed(playbackSpeeds[p.speed]),
			experiment.FormatDuration(time.Duration(max(p.playPosition(), 0)), experiment.Short)))
	case p.state.live():
		parts = append(parts, "running")
		if n := len(p.traces); n > 0 {
			t := p.traces[n-1]
			progress := fmt.Sprintf("%d/%d tasks", t.TasksDone, t.Tasks)
			if p.watchedTrace() != nil {
				progress = processesAndThreads(t)
			}
			parts = append(parts, experiment.FormatDuration(time.Duration(t.End-t.Begin), experiment.Short), progress)
		}
	case p.state == panelDone:
		parts = append(parts, "done")
		if w := p.wall(); w > 0 && len(p.specs) <= 1 {
			parts[0] += " in " + experiment.FormatDuration(time.Duration(w), experiment.Short)
		}
		if t := p.watchedTrace(); t != nil {
			parts = append(parts, processesAndThreads(t))
		}
	default:
		parts = append(parts, p.state.String())
	}
	if p.state.paused() {
		parts = append(parts, "paused")
	}
	if p.state != panelReady && extras {
		if o := p.obs.String(); o != "" {
			parts = append(parts, o)
		}
	}
	if p.speed != 0 && !p.state.replay() && extras {
		parts = append(parts, fmt.Sprintf("R replays at %s", formatSpeed(playbackSpeeds[p.speed])))
	}
	return strings.Join(parts, " · ")
}

// setupNote is what a live run that has no lanes yet says it is doing first (the model
// measuring this machine, probe by probe); "" otherwise.
func (p *RunPanel) setupNote() string {
	if !p.state.live() {
		return ""
	}
	for _, t := range p.traces {
		if len(t.Lanes) == 0 && t.Note != "" {
			return t.Note
		}
	}
	return ""
}
