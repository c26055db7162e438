package panel

import (
	"fmt"
	"strings"

	"github.com/coreography/coreography/internal/timeline"
)

// This file is what the panel does differently for a watched program (`coreography
// watch`): its header counts processes and threads, and its summary line (wall,
// CPU, parallelism) stays on screen while it runs, the lanes giving way first.

// liveEvery is how often, in ns of the run, a live watch's summary is measured again:
// measuring walks every event, which a frame need not pay for.
const liveEvery = int64(250e6)

// liveSummary is a watched run's measured figures so far, kept between frames.
type liveSummary struct {
	at    int64 // the run's End when measured
	stats timeline.Stats
}

// watchedTrace is the one trace being shown when it is a watched program's, else nil.
func (p *RunPanel) watchedTrace() *timeline.Trace {
	if len(p.traces) != 1 || p.traces[0].Model != "watch" {
		return nil
	}
	return p.traces[0]
}

// processesAndThreads counts a watched trace's processes and threads, one lane per thread.
func processesAndThreads(t *timeline.Trace) string {
	pids := map[int32]bool{}
	for _, l := range t.Lanes {
		if len(l.Events) > 0 {
			pids[l.Events[0].PID] = true
		}
	}
	return fmt.Sprintf("%d %s · %d %s", len(pids), plural(len(pids), "process", "processes"),
		len(t.Lanes), plural(len(t.Lanes), "thread", "threads"))
}

func plural(n int, one, many string) string {
	if n == 1 {
		return one
	}
	return many
}

// liveStats is the summary line of a watched program still running (its first line
// of figures, measured again every liveEvery of the run), and the note that says
// where its states come from.
func (p *RunPanel) liveStats(width int) []string {
	t := p.watchedTrace()
	if t == nil || !p.state.live() {
		return nil
	}
	if p.live.at == 0 || t.End-p.live.at >= liveEvery {
		p.live = liveSummary{at: t.End, stats: timeline.Compute(t)}
	}
	lines := strings.Split(p.tl.RenderStats([]timeline.Stats{p.live.stats}, width), "\n")
	if note := lines[len(lines)-1]; len(lines) > 1 && p.live.stats.Note != "" {
		return []string{lines[0], note} // where the states come from: events or samples
	}
	return lines[:1]
}
