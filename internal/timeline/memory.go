package timeline

import "sync/atomic"

// Memory is what a run's processes held while its tasks waited: the proportional set
// size (PSS: each shared page split among the processes that map it, so a tree's
// figures add up) of the run's process tree, before the first task and at its largest,
// and how many tasks were in flight at once. Measured only on runs whose tasks only
// wait, where the difference is what waiting clients cost.
type Memory struct {
	Base     int64 `json:"base_bytes"`
	Peak     int64 `json:"peak_bytes"`
	InFlight int   `json:"in_flight"`
}

// PerTask is the memory each task in flight added, in bytes; 0 when unknown.
func (m *Memory) PerTask() float64 {
	if m == nil || m.InFlight <= 0 || m.Peak < m.Base {
		return 0
	}
	return float64(m.Peak-m.Base) / float64(m.InFlight)
}

// memory is the recorder's Memory, set once the run is over.
type memory struct{ p atomic.Pointer[Memory] }

// SetMemory records what the run's processes held (see Memory); engines call it once
// the run is over. Snapshots carry it in their Meta.
func (r *Recorder) SetMemory(m Memory) { r.mem.p.Store(&m) }
