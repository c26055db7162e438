package timeline

import "slices"

// Occupancy calls fn, in time order, for every stretch between two span edges of the
// trace, with how many of the spans match keeps were open during it. Spans that end
// where others begin leave no stretch between them: an end counts before a start at
// the same instant. What the run did is a sum over these stretches: how long no lane
// ran, how long more threads were runnable than there were cores.
func (t *Trace) Occupancy(match func(Span) bool, fn func(from, to int64, open int)) {
	type edge struct {
		t int64
		d int
	}
	var edges []edge
	for _, l := range t.Lanes {
		for i := range l.Events {
			if sp := l.Span(i, t.End); match(sp) {
				edges = append(edges, edge{sp.Start, +1}, edge{sp.End, -1})
			}
		}
	}
	slices.SortFunc(edges, func(a, b edge) int {
		if a.t != b.t {
			return int(min(max(a.t-b.t, -1), 1))
		}
		return a.d - b.d
	})
	open := 0
	for i, e := range edges {
		if i > 0 && e.t > edges[i-1].t {
			fn(edges[i-1].t, e.t, open)
		}
		open += e.d
	}
}
