package timeline

import (
	"slices"

	"github.com/coreography/coreography/internal/timeline"
)

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
// begin, to the n worker lanes that change state most in it (in lane order), leaving
// out lanes idle throughout. A close-up is there to show hand-offs: the first lanes of
// a hundred are often done, or waiting the whole window through, and drawing every
// lane again repeats the overview.
func activeLanes(traces []*timeline.Trace, from, to int64, n int) []*timeline.Trace {
	out := make([]*timeline.Trace, len(traces))
	for i, t := range traces {
		changes := make([]int, len(t.Lanes))
		var busy []int
		for li, l := range t.Lanes {
			if changes[li] = spansIn(l, t.Begin+from, t.Begin+to); changes[li] > 0 {
				busy = append(busy, li)
			}
		}
		slices.SortStableFunc(busy, func(a, b int) int { return changes[b] - changes[a] })
		busy = busy[:min(len(busy), n)]
		slices.Sort(busy)
		cut := *t
		cut.Lanes = nil
		for _, li := range busy {
			cut.Lanes = append(cut.Lanes, t.Lanes[li])
		}
		out[i] = &cut
	}
	return out
}

// spansIn counts the lane's spans in [from, to); 0 when it is idle (or not alive)
// throughout.
func spansIn(l timeline.LaneData, from, to int64) int {
	n, idle := 0, true
	l.Spans(from, to, func(s timeline.Span) bool {
		n++
		idle = idle && s.State == timeline.Idle
		return true
	})
	if idle {
		return 0
	}
	return n
}
