package timeline

import (
	"math"
	"slices"
	"time"

	"github.com/coreography/coreography/internal/experiment"
	"github.com/coreography/coreography/internal/timeline"
	"github.com/coreography/coreography/ui/common"
)

// This file picks a run's close-up: the stretch of a finished trace where what the
// run is about (GIL hand-offs, OS time slices, transfers, loop steps) can be seen,
// because every state span in it is at least focusCols columns wide. The headless
// renderer and the TUI's run panel both draw the close-up this picks.

// focusCols is how many columns the typical span gets in a close-up: two would be
// the least to read a stretch, and a span rarely starts on a cell's edge.
const focusCols = 3

// minFocusSpans is how many whole, resolvable spans a picked close-up must show:
// three stretches each way on one lane, or the run has no alternation to show.
const minFocusSpans = 6

// focusCandidates is how many places along the run are tried for the close-up.
const focusCandidates = 48

// focusSample caps how many spans the typical short span is taken from, so a run of
// millions of hand-offs costs no more than a few thousand.
const focusSample = 4096

// focusWindow picks the close-up of t drawn cols columns wide: [from, to) ns since
// its begin. ok is false when the whole run already shows its short spans at least
// two columns wide (no close-up needed), or t has nothing to show.
// A width > 0 (a lesson's focus:) fixes the window's width; only where it goes is
// picked then.
func focusWindow(t *timeline.Trace, cols int, width int64) (from, to int64, ok bool) {
	if t == nil || t.End <= t.Begin || cols < 8 {
		return 0, 0, false
	}
	wall := t.End - t.Begin
	w := width
	if w <= 0 {
		short := shortSpan(t)
		if short <= 0 || float64(short)*float64(cols)/float64(wall) >= 2 {
			return 0, 0, false
		}
		w = max(niceFloor(short*int64(cols)/focusCols), minWindow)
	}
	if w >= wall {
		return 0, 0, false
	}
	from, good := bestFocusStart(t, w, cols)
	if width <= 0 && good < minFocusSpans {
		return 0, 0, false // nothing alternates: long waits, one span a lane
	}
	return from, from + w, true
}

// shortSpan is the run's typical span: the median of its worker lanes' spans,
// leaving out each lane's last (cut by the end of the run). The median, not the
// shortest, so the blips of a few preemptions on a busy machine do not shrink the
// close-up to one hand-off.
func shortSpan(t *timeline.Trace) int64 {
	total := 0
	for _, l := range t.Lanes {
		total += max(len(l.Events)-1, 0)
	}
	stride := max(total/focusSample, 1)
	var d []int64
	for _, l := range t.Lanes {
		for i := 0; i+1 < len(l.Events); i += stride {
			if s := l.Span(i, t.End); s.State != timeline.Off && s.Duration() > 0 {
				d = append(d, s.Duration())
			}
		}
	}
	if len(d) == 0 {
		return 0
	}
	slices.Sort(d)
	return d[len(d)/2]
}

// bestFocusStart tries windows w ns wide along the run and keeps the one that shows
// the most spans at least two columns wide, each span narrower than that counting
// against it three times over (a blur of preemptions is not a close-up); nearer the
// middle of the run wins a tie.
func bestFocusStart(t *timeline.Trace, w int64, cols int) (start int64, good int) {
	wall := t.End - t.Begin
	need := 2 * w / int64(cols)
	best, bestScore, bestGood, bestOff := int64(0), math.MinInt, 0, int64(math.MaxInt64)
	for c := range focusCandidates {
		s := (wall - w) * int64(c) / (focusCandidates - 1)
		s = snapToEvent(t, s, w)
		good, blurred := windowSpans(t, s, s+w, need)
		score := good - 3*blurred
		off := abs64(s + w/2 - wall/2)
		if score > bestScore || score == bestScore && off < bestOff {
			best, bestScore, bestGood, bestOff = s, score, good, off
		}
	}
	return best, bestGood
}

// snapToEvent moves s to the first state change at or after it on the busiest lane,
// so the close-up opens on a whole span; it stays put when none comes soon enough.
func snapToEvent(t *timeline.Trace, s, w int64) int64 {
	busiest := -1
	for i, l := range t.Lanes {
		if busiest < 0 || len(l.Events) > len(t.Lanes[busiest].Events) {
			busiest = i
		}
	}
	if busiest < 0 {
		return s
	}
	l := t.Lanes[busiest]
	i := l.Search(t.Begin+s-1) + 1
	if i < len(l.Events) {
		if at := l.Events[i].T - t.Begin; at >= s && at < s+w/4 && at+w <= t.End-t.Begin {
			return at
		}
	}
	return s
}

// windowSpans counts the worker spans wholly inside [from, to) ns since begin that
// change state from the span before them, at least need ns long (good) and shorter
// (blurred). Idle spans count too: they draw as much as any. A state that goes on
// (one task after another, all running) is no hand-off and counts for nothing.
func windowSpans(t *timeline.Trace, from, to, need int64) (good, blurred int) {
	for _, l := range t.Lanes {
		prev := timeline.NumStates
		l.Spans(t.Begin+from, t.Begin+to, func(s timeline.Span) bool {
			changed := s.State != prev
			prev = s.State
			switch {
			case !changed, s.Start <= t.Begin+from || s.End >= t.Begin+to:
			case s.Duration() >= need:
				good++
			default:
				blurred++
			}
			return true
		})
	}
	return good, blurred
}

// niceFloor rounds a duration down to 1, 2 or 5 × 10^k.
func niceFloor(ns int64) int64 {
	if ns <= 1 {
		return max(ns, 1)
	}
	p := math.Pow(10, math.Floor(math.Log10(float64(ns))))
	for _, m := range []float64{5, 2, 1} {
		if m*p <= float64(ns) {
			return int64(m * p)
		}
	}
	return int64(p)
}

func abs64(v int64) int64 {
	if v < 0 {
		return -v
	}
	return v
}

// closeUp is a run's close-up: which trace, and the window.
type CloseUp struct {
	Trace    *timeline.Trace
	from, to int64
}

// pickCloseUp picks the close-up of the first of traces that wants one, drawn width
// columns wide with worker lanes only, fixed ns wide if fixed > 0; ok is false when
// none does.
func PickCloseUp(traces []*timeline.Trace, width int, fixed int64) (CloseUp, bool) {
	// Threads taking turns are what a close-up is for: a run of several workers first,
	// so a serial run that other programs preempted does not take its place.
	for _, several := range []bool{true, false} {
		for _, t := range traces {
			if (len(t.Lanes) >= 2) != several {
				continue
			}
			f := frame{traces: []*timeline.Trace{t}, cpus: [][]int{nil}, mode: LanesWorkers, width: width}
			if from, to, ok := focusWindow(t, width-labelWidth(f)-1, fixed); ok {
				return CloseUp{Trace: t, from: from, to: to}, true
			}
		}
	}
	return CloseUp{}, false
}

// title is the line above the close-up.
func (c CloseUp) Title(multi bool) string {
	s := "close up, " + experiment.FormatDuration(time.Duration(c.from), experiment.Short) + " to " + experiment.FormatDuration(time.Duration(c.to), experiment.Short)
	if multi {
		of := c.Trace.Model
		if c.Trace.Name != "" {
			of = c.Trace.Name // the runs of a comparison may share a model
		}
		s = "close up of " + of + ", " + s[len("close up, "):]
	}
	return s + ":"
}

// Draw draws the close-up's worker lanes, at most lanes of them (<=0: all). The rows
// that sum the workers up stay in the overview: in the close-up they would take the
// room of the threads whose turns it is there to show.
func (c CloseUp) Draw(styles *common.Styles, width, lanes int) Drawing {
	tl := NewTimeline(styles)
	tl.SetMode(LanesWorkers)
	traces := []*timeline.Trace{c.Trace}
	return tl.painter().draw(frame{
		traces: traces, cpus: tl.cores.cpus(traces), from: c.from, to: c.to, now: -1, clip: -1,
		mode: LanesWorkers, width: width, maxLanes: lanes, closeUp: true,
	})
}
