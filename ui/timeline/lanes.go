package timeline

import (
	"fmt"
	"slices"
	"strings"

	"github.com/charmbracelet/x/ansi"

	"github.com/coreography/coreography/ui/common"
)

// This file plans the lanes: which lanes a frame shows, how they are labelled, and
// which lanes give way when they do not all fit.

// LaneMode chooses which lanes the timeline shows.
type LaneMode int

const (
	LanesBoth    LaneMode = iota // cores, then workers
	LanesCores                   // what each core did
	LanesWorkers                 // what each worker did
)

func (m LaneMode) String() string { return [...]string{"cores+workers", "cores", "workers"}[m] }

func (m LaneMode) cores() bool   { return m != LanesWorkers }
func (m LaneMode) workers() bool { return m != LanesCores }

// sectionPlan is how many lanes of one trace fit, and whether a line says how many
// are hidden.
type sectionPlan struct {
	cores, workers int
	notes          bool
	inflight       int  // > 0: an in-flight lane, ▇ standing for this many tasks
	results        bool // a results lane: where each task ended, and how
}

// planLanes fits the lanes into maxLanes lines, taking worker lanes away first (from
// the trace that shows most), then core lanes; a trace that loses lanes says so in a
// line. Hiding one lane behind a "… 1 more" line gains nothing, so a section is only
// cut where that saves a line. When the notes do not fit or cost core lanes, the plan
// without them wins: the lanes are what the learner came to see.
//
// An I/O run's core lanes give way before its worker lanes, which carry it; a trace
// with more tasks under way than worker lanes shown gets an in-flight lane.
func planLanes(f frame) []sectionPlan {
	f = f.withMostAtOnce()
	plan := fullPlan(f, true)
	if f.maxLanes <= 0 || planLines(f, plan) <= f.maxLanes {
		return plan
	}
	f.coresFirst = true
	for _, t := range f.traces {
		// A watched tree's lanes are found on the cores by their marks: its cores stay.
		f.coresFirst = f.coresFirst && mostlyOffCPU(t) && t.Model != watchModel
	}
	fit := func(plan []sectionPlan) {
		// A results lane gives way first: the lanes it sums up are what it is read beside.
		// Not where futures waited or were cancelled: the queue is then the point.
		for i := len(plan) - 1; i >= 0 && planLines(f, plan) > f.maxLanes; i-- {
			plan[i].results = plan[i].results && hasQueue(f.traces[i])
		}
		for planLines(f, plan) > f.maxLanes && shrinkOne(f, plan) {
		}
		wholeCores(f, plan)
		addInflight(f, plan)
	}
	fit(plan)
	bare := fullPlan(f, false)
	fit(bare)
	if planLines(f, plan) > f.maxLanes || lanesShown(f, bare) > lanesShown(f, plan) {
		return bare
	}
	return plan
}

// withMostAtOnce is f with the most tasks under way at once in each trace worked
// out, unless its Timeline's cache has already said: sorting every task's start and
// end is the costly part of planning, so at most once a frame, not once per plan tried.
func (f frame) withMostAtOnce() frame {
	if len(f.mostAtOnce) == len(f.traces) {
		return f
	}
	f.mostAtOnce = make([]int, len(f.traces))
	for i, t := range f.traces {
		f.mostAtOnce[i] = maxInflight(t)
	}
	return f
}

// fullPlan shows every lane; f comes from withMostAtOnce.
func fullPlan(f frame, notes bool) []sectionPlan {
	plan := make([]sectionPlan, len(f.traces))
	for i, t := range f.traces {
		plan[i] = sectionPlan{cores: len(f.cpus[i]), workers: len(t.Lanes), notes: notes,
			results: f.mode.workers() && !f.closeUp && showsResults(t)}
		if most := f.mostAtOnce[i]; f.mode.workers() && !f.closeUp && most > len(t.Lanes) {
			plan[i].inflight = most // coroutines: more under way than lanes
		}
	}
	return plan
}

// addInflight gives a section that hides several worker lanes an in-flight lane in
// place of one more of them, when more tasks were under way than its lanes show: a
// count of fifty threads says more than a fourth lane of them. It never costs a
// core lane, and reports whether it added any.
func addInflight(f frame, plan []sectionPlan) bool {
	added := false
	for i, t := range f.traces {
		p := &plan[i]
		if p.inflight > 0 || f.closeUp || !f.mode.workers() || p.workers < 1 || len(t.Lanes)-p.workers < minHiddenForInflight {
			continue
		}
		if most := f.mostAtOnce[i]; most > p.workers {
			p.inflight, added = most, true
			p.workers--
			if f.maxLanes > 0 && planLines(f, plan) > f.maxLanes {
				p.inflight, p.workers = 0, p.workers+1
			}
		}
	}
	return added
}

// minHiddenForInflight is how many worker lanes a section hides before an in-flight
// lane stands in for one: hiding one or two, the note says enough.
const minHiddenForInflight = 3

// lanesShown is how many lanes plan draws that say what the machine did: core
// lanes when the mode shows them, and the workers of pools too small to hide any
// (else worker lanes).
func lanesShown(f frame, plan []sectionPlan) int {
	n := 0
	for i, p := range plan {
		switch {
		case !f.mode.cores():
			n += p.workers
		case f.mode.workers() && len(f.traces[i].Lanes) <= SmallPool:
			n += p.cores + p.workers
		default:
			n += p.cores
		}
	}
	return n
}

// planLines is how many lines plan draws.
func planLines(f frame, plan []sectionPlan) int {
	n := 0
	for i, t := range f.traces {
		if f.titles {
			n++
		}
		if f.mode.cores() {
			n += sectionLines(plan[i].cores, len(f.cpus[i]), plan[i].notes)
			if len(f.cpus[i]) == 0 {
				n++ // the "no per-core data" note
			}
		}
		if f.mode.workers() {
			n += sectionLines(plan[i].workers, len(t.Lanes), plan[i].notes)
		}
		if plan[i].inflight > 0 {
			n++
		}
		if f.mode.workers() && len(t.Counter) > 0 {
			n++ // the counter lane
		}
		if plan[i].results {
			n++
			if hasQueue(t) {
				n++ // its queue lane
			}
		}
	}
	return n
}

// sectionLines is the lines of a section showing shown of all lanes.
func sectionLines(shown, all int, notes bool) int {
	if shown < all && notes {
		return shown + 1
	}
	return shown
}

// shrinkOne hides lanes of one section so that the plan draws fewer lines: worker
// lanes of the trace showing most of them first, then core lanes, and the worker
// lanes of a pool of one or two last of all: a pool that small has nothing to hide
// behind a marker, and its workers are what a comparison is read by (worker 2 of a
// process pool vanishing on a projector was met). An I/O run's cores go first. It
// reports false when no section can shrink.
func shrinkOne(f frame, plan []sectionPlan) bool {
	before := planLines(f, plan)
	passes := []shrinkPass{{workers: true, big: true}, {}, {workers: true}}
	if f.coresFirst {
		passes = []shrinkPass{{}, {workers: true}}
	}
	for _, pass := range passes {
		if (!pass.workers && !f.mode.cores()) || (pass.workers && !f.mode.workers()) {
			continue
		}
		count := func(i int) *int {
			if pass.workers {
				return &plan[i].workers
			}
			return &plan[i].cores
		}
		// Candidates by lanes shown, most first; the first whose cut saves a line wins.
		order := make([]int, 0, len(plan))
		for i := range plan {
			if !pass.big || len(f.traces[i].Lanes) > SmallPool {
				order = append(order, i)
			}
		}
		slices.SortStableFunc(order, func(a, b int) int { return *count(b) - *count(a) })
		for _, i := range order {
			n := count(i)
			was := *n
			for *n > 0 {
				*n--
				if planLines(f, plan) < before {
					return true
				}
			}
			*n = was
		}
	}
	return false
}

// wholeCores moves core lanes from the earlier traces to later ones whose cores are
// only partly shown. A run's cores are read together: "core 0" alone of two says
// nothing about whether both were busy, which is often the point. The later run gets
// them, as a comparison's point is usually its last run (no GIL after a GIL).
func wholeCores(f frame, plan []sectionPlan) {
	for to := len(plan) - 1; to > 0; to-- {
		for plan[to].cores > 0 && plan[to].cores < len(f.cpus[to]) {
			from := slices.IndexFunc(plan[:to], func(p sectionPlan) bool { return p.cores > 0 })
			if from < 0 {
				return
			}
			plan[from].cores--
			plan[to].cores++
			if planLines(f, plan) > f.maxLanes {
				plan[from].cores++
				plan[to].cores--
				return
			}
		}
	}
}

// shrinkPass is which lanes one pass of shrinkOne hides: core lanes, or worker
// lanes (of big pools only, or of any).
type shrinkPass struct{ workers, big bool }

// smallPool is the most workers a pool has for its worker lanes to outlast the
// core lanes.
const SmallPool = 2

// laneMark is the character a worker lane is known by on the core lanes.
func laneMark(lane int) rune {
	if lane < len(common.LaneMarks) {
		return rune(common.LaneMarks[lane])
	}
	return common.GlyphManyLanes
}

// laneLabel names a worker lane, prefixed by its mark when core lanes are drawn and
// may show it (a workers-only view has nothing the mark would match). Only a name
// that is the mark ("T1", "worker 2 · pid 4312") carries it: a number inside a name
// ("python3 · tid 4313") is no mark.
func laneLabel(lane int, name string, marked bool) string {
	head, _, _ := strings.Cut(name, " · ")
	if mark := string(laneMark(lane)); !marked || head == "T"+mark || head == "worker "+mark || strings.HasPrefix(name, "w"+mark+" ") {
		return name
	}
	return string(laneMark(lane)) + " " + name
}

// compactName is a lane's name in fewer columns on a screen narrower than
// roomyWidth: "worker 1 · pid 27714" as "w1 27714", "main · pid 4312" as "main 4312",
// so a process's lanes leave the timeline most of 80 columns. A watched tree's names
// keep their words, and are fitted by fitLabel instead, its pid whole.
func compactName(name string, width int, model string) string {
	if width >= roomyWidth || !strings.Contains(name, " · pid ") || model == watchModel {
		return name
	}
	if rest, ok := strings.CutPrefix(name, "worker "); ok {
		name = "w" + rest
	}
	return strings.Replace(name, " · pid ", " ", 1)
}

// roomyWidth is the screen width from which lane names are drawn in full.
const roomyWidth = 120

// coreLabel names a core lane.
func coreLabel(cpu int) string { return fmt.Sprintf("core %d", cpu) }

// maxLabel is the widest a lane label gets, however long a worker's name.
const maxLabel = 22

// labelWidth is the column lane labels take: the widest label, within bounds.
func labelWidth(f frame) int {
	w := len("core 00")
	for i, t := range f.traces {
		for _, c := range f.cpus[i] {
			w = max(w, ansi.StringWidth(coreLabel(c)))
		}
		if f.mode.workers() {
			for li, l := range t.Lanes {
				w = max(w, ansi.StringWidth(laneLabel(li, compactName(l.Name, f.width, t.Model), len(t.Lanes) > 1 && f.mode.cores())))
			}
		}
	}
	return min(w, maxLabel, max(f.width/4, 6))
}
