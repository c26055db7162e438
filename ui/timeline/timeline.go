package timeline

import (
	"slices"
	"time"

	"github.com/coreography/coreography/internal/timeline"
	"github.com/coreography/coreography/ui/common"
)

// Timeline is the timeline widget: which lanes, which stretch of time (zoom and pan,
// following "now" while a run is live or replaying), and the cores seen so far. The
// drawing itself is painter.draw, shared with headless output.
type Timeline struct {
	styles *common.Styles // nil: plain text
	pt     *painter       // styles as escape codes; made again when the theme changes
	mode   LaneMode
	zoom   float64 // 1: the whole run in view
	start  int64   // window start, ns since begin, once the learner has panned
	follow bool    // keep now in view instead of start
	domain int64   // the last frame's whole time axis
	window [2]int64
	cores  coreCache
	lens   lens // a slowed replay's narrow window, over the zoom
}

// minWindow is the narrowest window zoom reaches: a few µs still show a GIL
// hand-off's edges.
const minWindow = int64(10 * time.Microsecond)

// NewTimeline makes a timeline drawn with s; nil draws plain text.
func NewTimeline(s *common.Styles) *Timeline {
	return &Timeline{styles: s, pt: newPainter(s), zoom: 1, follow: true}
}

// painter is the painter for the current theme: a theme change (the terminal said
// its background is light) makes a new one, so the next frame is in the new palette.
func (t *Timeline) painter() *painter {
	if !t.pt.current(t.styles) {
		t.pt = newPainter(t.styles)
	}
	return t.pt
}

// Text paints s in tone tn, as the timeline's chrome is painted.
func (t *Timeline) Text(s string, tn common.Tone) string { return t.painter().text(s, tn) }

// RenderStats lays out the measured figures of runs drawn on one axis, width columns
// wide, in the timeline's colours.
func (t *Timeline) RenderStats(stats []timeline.Stats, width int) string {
	return renderStats(stats, width, t.painter())
}

// SetMode shows lanes as m says.
func (t *Timeline) SetMode(m LaneMode) { t.mode = m }

// Mode is which lanes are shown.
func (t *Timeline) Mode() LaneMode { return t.mode }

// CycleLanes shows cores and workers, then cores only, then workers only.
func (t *Timeline) CycleLanes() { t.mode = (t.mode + 1) % 3 }

// ZoomIn halves the window around its centre (or keeps following now).
func (t *Timeline) ZoomIn() {
	if t.lens.on() {
		t.lens.zoomIn()
		return
	}
	w := t.window[1] - t.window[0]
	if w/2 < minWindow {
		return
	}
	t.zoom *= 2
	t.start = t.window[0] + w/4
}

// ZoomOut doubles the window, back to the whole run.
func (t *Timeline) ZoomOut() {
	if t.lens.on() {
		t.lens.zoomOut(t.domain)
		return
	}
	if t.zoom <= 1 {
		return
	}
	w := t.window[1] - t.window[0]
	t.zoom /= 2
	t.start = t.window[0] - w/2
	if t.zoom <= 1 {
		t.zoom, t.follow = 1, true
	}
}

// PanLeft moves the window back in time by a screen, less a tenth kept for
// context; the learner now steers. (A quarter at a time took 500 presses to come
// back from 1.3 s at a 10 ms window.)
func (t *Timeline) PanLeft() {
	t.start = t.window[0] - panStep(t.window[1]-t.window[0])
	t.follow = false
}

// PanRight moves it forward by a screen; reaching the end follows now again.
func (t *Timeline) PanRight() {
	w := t.window[1] - t.window[0]
	t.start = t.window[0] + panStep(w)
	t.follow = t.start >= t.domain-w
}

// panStep is how far a pan moves a window w wide: a screen, keeping a tenth.
func panStep(w int64) int64 { return max(w-w/10, 1) }

// JumpStart shows the start of the run at the current zoom.
func (t *Timeline) JumpStart() { t.start, t.follow = 0, false }

// JumpEnd shows the end of the run (now, while live) at the current zoom.
func (t *Timeline) JumpEnd() { t.start, t.follow = t.domain, true }

// Follow resets the view to follow now, as for a fresh run or a replay.
func (t *Timeline) Follow() { t.follow = true }

// Window is the stretch of time the last frame showed, in ns since begin.
func (t *Timeline) Window() (from, to int64) { return t.window[0], t.window[1] }

// Reset shows the whole run again.
func (t *Timeline) Reset() { t.zoom, t.follow, t.start, t.lens = 1, true, 0, lens{} }

// Zoomed reports whether less than the whole run is in view.
func (t *Timeline) Zoomed() bool { return t.zoom > 1 || t.lens.narrows(t.domain) }

// place picks the window for a time axis of domain ns with now (or -1) marked.
func (t *Timeline) place(domain, now int64) (int64, int64) {
	domain = max(domain, 1)
	w := domain
	if f := float64(domain) / t.zoom; f < float64(domain) {
		w = int64(f) // only ever narrower: converting a float near 2^63 back may overflow
	}
	w = max(w, min(minWindow, domain))
	if t.lens.on() {
		w = min(t.lens.width(), domain)
	}
	start := t.start
	if t.follow && now >= 0 {
		start = now - w/20*17
	}
	start = max(min(start, domain-w), 0)
	t.domain, t.window = domain, [2]int64{start, start + w}
	return start, start + w
}

// Draw draws traces on one time axis of domain ns since each one's begin, width
// columns and at most lanes lines of lanes. now (or -1) is marked; clip (or -1) hides
// what happened after it, for replays.
func (t *Timeline) Draw(traces []*timeline.Trace, domain, now, clip int64, width, lanes int) Drawing {
	f := t.frameOf(traces)
	f.from, f.to = t.place(domain, now)
	f.now, f.clip, f.width, f.maxLanes = now, clip, width, lanes
	return t.painter().draw(f)
}

// DrawWindow draws traces over the window [from, to) ns since each one's begin, as
// it is, without zoom or a now marker: a close-up of a finished run, in at most lanes
// lines (<=0: every lane).
func (t *Timeline) DrawWindow(traces []*timeline.Trace, from, to int64, width, lanes int) Drawing {
	f := t.frameOf(traces)
	f.from, f.to, f.now, f.clip, f.width, f.maxLanes = from, to, -1, -1, width, lanes
	return t.painter().draw(f)
}

// LinesWanted is how many lines Draw needs to show every lane of traces, titles
// included, in the current lane mode.
func (t *Timeline) LinesWanted(traces []*timeline.Trace) int {
	f := t.frameOf(traces)
	return planLines(f, fullPlan(f, true))
}

// coreCache knows which cores each trace's workers were seen on, and how many of its
// tasks were under way at once. Lanes and results only grow, so it reads each event
// once however many frames are drawn, and sorts a trace's task edges again only when
// a task has ended since (never while a finished run is replayed or panned).
type coreCache struct{ traces []coreSeen }

type coreSeen struct {
	begin   int64
	scanned []int
	set     map[int]bool
	list    []int

	mostOf    *timeline.Result // the results most was worked out from: first one, and count
	mostCount int
	most      int
}

// mostAtOnce is, per trace, the most tasks under way at once (maxInflight). Call it
// after cpus, which keeps c.traces in step with traces.
func (c *coreCache) mostAtOnce(traces []*timeline.Trace) []int {
	out := make([]int, len(traces))
	for i, t := range traces {
		seen := &c.traces[i]
		var first *timeline.Result
		if len(t.Results) > 0 {
			first = &t.Results[0]
		}
		if seen.mostOf != first || seen.mostCount != len(t.Results) {
			seen.mostOf, seen.mostCount, seen.most = first, len(t.Results), maxInflight(t)
		}
		out[i] = seen.most
	}
	return out
}

// frameOf is a frame of traces with what the cache knows of them filled in.
func (t *Timeline) frameOf(traces []*timeline.Trace) frame {
	cpus := t.cores.cpus(traces)
	return frame{traces: traces, cpus: cpus, mostAtOnce: t.cores.mostAtOnce(traces), mode: t.mode, titles: len(traces) > 1}
}

func (c *coreCache) cpus(traces []*timeline.Trace) [][]int {
	if len(c.traces) > len(traces) {
		c.traces = c.traces[:len(traces)]
	}
	out := make([][]int, len(traces))
	for i, t := range traces {
		if i == len(c.traces) {
			c.traces = append(c.traces, coreSeen{})
		}
		seen := &c.traces[i]
		if seen.set == nil || seen.begin != t.Begin || len(seen.scanned) > len(t.Lanes) {
			*seen = coreSeen{begin: t.Begin, set: map[int]bool{}}
		}
		for len(seen.scanned) < len(t.Lanes) {
			seen.scanned = append(seen.scanned, 0)
		}
		grew := false
		for li, l := range t.Lanes {
			if seen.scanned[li] > len(l.Events) {
				seen.scanned[li] = 0 // a different trace with the same begin: start over
			}
			for _, e := range l.Events[seen.scanned[li]:] {
				if e.CPU >= 0 && !seen.set[int(e.CPU)] {
					seen.set[int(e.CPU)], grew = true, true
				}
			}
			seen.scanned[li] = len(l.Events)
		}
		if grew {
			seen.list = seen.list[:0]
			for c := range seen.set {
				seen.list = append(seen.list, c)
			}
			slices.Sort(seen.list)
		}
		out[i] = seen.list
	}
	return out
}
