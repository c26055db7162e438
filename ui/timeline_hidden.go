package ui

import "github.com/coreography/coreography/timeline"

// hiddenNames says which worker lanes a "… N more" note stands for, so a page that
// shows the first lanes of a hundred says which ones it left out: " (T17–T101)".
func hiddenNames(hidden []timeline.LaneData) string {
	switch len(hidden) {
	case 0:
		return ""
	case 1:
		return " (" + hidden[0].Name + ")"
	}
	return " (" + hidden[0].Name + "–" + hidden[len(hidden)-1].Name + ")"
}

// A page is read top to bottom, not scrolled like a screen: a run of a hundred threads
// drawn lane by lane was most of a 327-line handout, and its close-up drew all hundred
// again. The overview keeps the cores and the first workers; the close-up, which is
// there to show hand-offs, needs only a few lanes to show them.
const (
	plainMaxLanes     = 20 // lines of lanes in a plain overview, the "… N more" note included
	plainCloseUpLanes = 8  // lines of worker lanes in its close-up
)

// activeLanes is traces cut down, for a close-up of [from, to) ns since each one's
// begin, to at most n worker lanes that do something other than idle in it. A
// close-up is there to show hand-offs; the first lanes of a hundred are often done
// long before the window, and drawing every lane again repeats the overview.
func activeLanes(traces []*timeline.Trace, from, to int64, n int) []*timeline.Trace {
	out := make([]*timeline.Trace, len(traces))
	for i, t := range traces {
		cut := *t
		cut.Lanes = nil
		for _, l := range t.Lanes {
			if len(cut.Lanes) < n && busyIn(l, t.Begin+from, t.Begin+to) {
				cut.Lanes = append(cut.Lanes, l)
			}
		}
		out[i] = &cut
	}
	return out
}

// busyIn reports whether the lane is in any state but idle somewhere in [from, to).
func busyIn(l timeline.LaneData, from, to int64) bool {
	busy := false
	l.Spans(from, to, func(s timeline.Span) bool {
		busy = s.State != timeline.Idle
		return !busy
	})
	return busy
}
