package timeline

import (
	"encoding/json"
	"slices"
	"time"
)

// Stats are the measured figures of a run. CPU time is the threads' own CPU clock, not
// the time they spent in the running state, so two threads sharing one core add up to
// one core's worth, as they should.
type Stats struct {
	Meta
	TasksDone       int64
	Wall            time.Duration
	CPU             time.Duration
	Parallelism     float64 // CPU ÷ wall: how many cores were busy on average
	Speedup         float64 // ideal serial ÷ wall, or a measured one-worker wall ÷ wall (SpeedupVs)
	SpeedupVs       string  // what Speedup is against: SpeedupPlanned or SpeedupMeasured
	GILSwitches     int64
	GILSwitchesPerS float64
	GILWait         time.Duration // summed over threads
	IPCBytes        int64
	IPC             time.Duration // time in the transfer state, summed over workers
	Startup         time.Duration // time in the starting state, summed over workers
	PerCore         []CoreBusy
	SamplerCPU      time.Duration // the /proc sampler's own CPU, when one watched the run
	Unattributed    time.Duration // CPU of a watched tree on no lane, inside CPU (see Trace)
	TaskWallP50     time.Duration // median of each task's wall time inside the pool
	TaskWallMax     time.Duration
	TaskSlowdownP50 float64 // median of each task's wall inside ÷ its planned time alone
	Disturbed       bool    // the run lost more than DisturbedShare of its cores (Lost)
	Lost            *Lost   // what the run lost to others, in its parts; nil: not measured
	Outcomes                // tasks_failed, tasks_cancelled, completion_order, the counter
}

// Outcomes are how the tasks ended and what the shared counter read (results.go).
type Outcomes struct {
	TasksFailed     int64   `json:"tasks_failed"`
	TasksCancelled  int64   `json:"tasks_cancelled"`
	CompletionOrder []int32 `json:"completion_order"` // task indices, from 0, in the order they finished
	FirstDone       int32   `json:"first_done"`       // the first task to finish running (done or failed); -1 for none
	// When, after the run began, as_completed would yield its first computed result,
	// and map its first (task 0's, in submission order): a few tasks' runs, 0 for none.
	FirstResult     float64 `json:"first_result_s"`
	MapFirst        float64 `json:"map_first_result_s"`
	CounterExpected int64   `json:"counter_expected"` // increments made: the counter if no update were lost
	CounterFinal    int64   `json:"counter_final"`    // what the run's counter read at the end
	CounterLost     int64   `json:"counter_lost"`     // expected − final: the updates lost
}

// CoreBusy is the CPU time workers spent on one core.
type CoreBusy struct {
	CPU  int           `json:"cpu"`
	Busy time.Duration `json:"-"`
	// Placed is the part of Busy no lane draws: a watched tree's unattributed CPU,
	// placed on this core by the kernel's per-core counters (Trace.UnattributedOn).
	Placed time.Duration `json:"-"`
}

// Compute measures a trace. It walks every event once.
func Compute(t *Trace) Stats {
	s := Stats{
		Meta:        t.Meta,
		TasksDone:   t.TasksDone,
		Wall:        time.Duration(t.End - t.Begin),
		GILSwitches: t.GILSwitches,
		IPCBytes:    t.IPCBytes, SamplerCPU: time.Duration(t.SamplerCPU),
		CPU:          time.Duration(t.UnattributedCPU), // a watched tree's CPU on no lane is the run's too
		Unattributed: time.Duration(t.UnattributedCPU),
	}
	s.TasksFailed, s.TasksCancelled, s.CompletionOrder = t.Outcomes()
	s.FirstDone, s.FirstResult, s.MapFirst = t.firsts()
	s.CounterExpected, s.CounterFinal = t.CounterExpected, t.CounterFinal
	s.CounterLost = s.CounterExpected - s.CounterFinal
	perCore := map[int]time.Duration{}
	for _, l := range t.Lanes {
		for i := range l.Events {
			sp := l.Span(i, t.End)
			d := time.Duration(sp.Duration())
			switch sp.State {
			case WaitGIL:
				s.GILWait += d
			case Transfer:
				s.IPC += d
			case Starting:
				s.Startup += d
			}
			cpu := time.Duration(sp.CPUTime)
			if sp.CPUTime < 0 {
				// Not measured (an imported or modelled trace): an on-CPU span counts whole.
				if cpu = 0; sp.State.OnCPU() {
					cpu = d
				}
			}
			s.CPU += cpu
			if sp.CPU >= 0 && cpu > 0 {
				perCore[int(sp.CPU)] += cpu
			}
		}
	}
	s.PerCore = coresBusy(perCore, t.UnattributedOn)
	s.TaskWallP50, s.TaskWallMax, s.TaskSlowdownP50 = taskTimes(t)
	s.IdealSerial = max(s.IdealSerial-neverRan(t), 0)
	s.Lost = lostOf(t, s.Wall)
	switch {
	case s.Lost != nil:
		s.Disturbed = s.Lost.Disturbed()
	case s.Others != nil: // a trace from before the run's own queue was measured
		s.Disturbed = s.Others.Disturbed()
	}
	if s.Wall > 0 {
		s.Parallelism = s.CPU.Seconds() / s.Wall.Seconds()
		s.Speedup, s.SpeedupVs = s.IdealSerial.Seconds()/s.Wall.Seconds(), SpeedupPlanned
		s.GILSwitchesPerS = float64(s.GILSwitches) / s.Wall.Seconds()
	}
	return s
}

// What a speed-up is against.
const (
	// SpeedupPlanned: the planned serial time, from the calibration (an error in the
	// calibration flows into the speed-up).
	SpeedupPlanned = "planned"
	// SpeedupMeasured: a one-worker run of the same kind, measured in the same sitting.
	SpeedupMeasured = "measured"
)

// AgainstMeasured makes the speed-up base ÷ wall, base being the wall time of a
// measured one-worker run of the same kind: both measured in the same sitting, no
// calibration stands between them.
func (s *Stats) AgainstMeasured(base time.Duration) {
	if base > 0 && s.Wall > 0 {
		s.Speedup, s.SpeedupVs = base.Seconds()/s.Wall.Seconds(), SpeedupMeasured
	}
}

// coresBusy lists each core's busy time, in core order: what the lanes ran there and
// what was placed there without a lane.
func coresBusy(onLanes map[int]time.Duration, placed map[int]int64) []CoreBusy {
	for c, ns := range placed {
		onLanes[c] += time.Duration(ns)
	}
	var out []CoreBusy
	for c, busy := range onLanes {
		out = append(out, CoreBusy{CPU: c, Busy: busy, Placed: time.Duration(placed[c])})
	}
	slices.SortFunc(out, func(a, b CoreBusy) int { return a.CPU - b.CPU })
	return out
}

// MarshalJSON writes the fields `coreography run --json` promises, in seconds.
func (s Stats) MarshalJSON() ([]byte, error) {
	type core struct {
		CPU    int     `json:"cpu"`
		Busy   float64 `json:"busy_s"`
		Placed float64 `json:"placed_s,omitempty"` // inside busy_s: see CoreBusy
	}
	var others *float64
	if s.Others != nil {
		v := s.Others.CPU.Seconds()
		others = &v
	}
	perCore := make([]core, len(s.PerCore))
	for i, c := range s.PerCore {
		perCore[i] = core{c.CPU, c.Busy.Seconds(), c.Placed.Seconds()}
	}
	return json.Marshal(struct {
		Name            string   `json:"name,omitempty"`
		Model           string   `json:"model"`
		Workers         int      `json:"workers"`
		Cores           int      `json:"cores"`
		Tasks           int      `json:"tasks"`
		TasksDone       int64    `json:"tasks_done"`
		Wall            float64  `json:"wall_s"`
		CPU             float64  `json:"cpu_s"`
		Parallelism     float64  `json:"parallelism"`
		IdealSerial     float64  `json:"ideal_serial_s"`
		Speedup         float64  `json:"speedup"`
		SpeedupVs       string   `json:"speedup_vs,omitempty"`
		GILSwitches     int64    `json:"gil_switches"`
		GILSwitchesPerS float64  `json:"gil_switches_per_s"`
		GILWait         float64  `json:"gil_wait_s"`
		IPCBytes        int64    `json:"ipc_bytes"`
		IPC             float64  `json:"ipc_s"`
		Startup         float64  `json:"startup_s"`
		PerCore         []core   `json:"per_core"`
		PerTask         float64  `json:"per_task_s"` // wall ÷ tasks: what one task cost, overheads included
		SamplerCPU      float64  `json:"sampler_cpu_s"`
		TaskWallP50     float64  `json:"task_wall_p50_s"`
		TaskWallMax     float64  `json:"task_wall_max_s"`
		TaskSlowdownP50 float64  `json:"task_slowdown_p50"`
		OthersCPU       *float64 `json:"others_cpu_s"`                    // null: not measured (see Others)
		MemPerTask      *float64 `json:"memory_per_task_bytes,omitempty"` // absent: not measured (see Memory)
		*lostJSON
		Disturbed bool        `json:"disturbed"`
		Clock     *ClockProbe `json:"clock_probe,omitempty"` // this machine's speed probed before the run
		Source    string      `json:"source,omitempty"`
		Profile   string      `json:"profile,omitempty"`
		Outcomes
	}{
		s.Name, s.Model, s.Workers, s.Cores, s.Tasks, s.TasksDone,
		s.Wall.Seconds(), s.CPU.Seconds(), s.Parallelism, s.IdealSerial.Seconds(), s.Speedup, s.SpeedupVs,
		s.GILSwitches, s.GILSwitchesPerS, s.GILWait.Seconds(),
		s.IPCBytes, s.IPC.Seconds(), s.Startup.Seconds(), perCore,
		s.Wall.Seconds() / float64(max(s.Tasks, 1)), s.SamplerCPU.Seconds(),
		s.TaskWallP50.Seconds(), s.TaskWallMax.Seconds(), s.TaskSlowdownP50, others, s.memPerTask(), s.lostJSON(), s.Disturbed,
		s.Clock, s.Source, s.Profile, s.Outcomes,
	})
}

// Values are the stats by their JSON names (wall_s, speedup, gil_switches_per_s, …),
// for lesson text and prediction conditions that quote what was measured.
// TestValuesAreTheJSONFigures keeps the two in step.
func (s Stats) Values() map[string]float64 {
	v := map[string]float64{
		"workers": float64(s.Workers), "cores": float64(s.Cores), "tasks": float64(s.Tasks),
		"tasks_done": float64(s.TasksDone), "wall_s": s.Wall.Seconds(), "cpu_s": s.CPU.Seconds(),
		"parallelism": s.Parallelism, "ideal_serial_s": s.IdealSerial.Seconds(), "speedup": s.Speedup,
		"gil_switches": float64(s.GILSwitches), "gil_switches_per_s": s.GILSwitchesPerS,
		"gil_wait_s": s.GILWait.Seconds(), "ipc_bytes": float64(s.IPCBytes), "ipc_s": s.IPC.Seconds(),
		"startup_s": s.Startup.Seconds(), "task_wall_p50_s": s.TaskWallP50.Seconds(),
		"task_wall_max_s": s.TaskWallMax.Seconds(), "task_slowdown_p50": s.TaskSlowdownP50,
		"tasks_failed": float64(s.TasksFailed), "tasks_cancelled": float64(s.TasksCancelled),
		"counter_expected": float64(s.CounterExpected), "counter_final": float64(s.CounterFinal),
		"counter_lost": float64(s.CounterLost), "first_done": float64(s.FirstDone),
		"first_result_s": s.FirstResult, "map_first_result_s": s.MapFirst,
		"per_task_s": s.Wall.Seconds() / float64(max(s.Tasks, 1)), "sampler_cpu_s": s.SamplerCPU.Seconds(),
	}
	if s.Others != nil { // unknown is absent, never 0: a condition on it then fails
		v["others_cpu_s"] = s.Others.CPU.Seconds()
	}
	if m := s.memPerTask(); m != nil {
		v["memory_per_task_bytes"] = *m
	}
	if l := s.lostJSON(); l != nil {
		v["lost_s"], v["lost_share"] = l.Total, l.Share
		v["lost_queue_s"], v["lost_own_s"], v["lost_bound_s"] = l.Queue, l.Own, l.Bound
		v["lost_steal_s"], v["lost_slow_cpu_s"] = l.Steal, l.SlowCPU
	}
	return v
}

// memPerTask is Memory.PerTask, or nil when the run did not measure it.
func (s Stats) memPerTask() *float64 {
	if s.Memory == nil || s.Memory.PerTask() <= 0 {
		return nil
	}
	v := s.Memory.PerTask()
	return &v
}

// lostJSON is Lost in seconds, as run --json writes it; nil when not measured.
type lostJSON struct {
	Total   float64 `json:"lost_s"`          // what others cost the run: the sum of the parts below
	Share   float64 `json:"lost_share"`      // lost_s ÷ (cores used × wall)
	Queue   float64 `json:"lost_queue_s"`    // the run's threads waiting for a core
	Own     float64 `json:"lost_own_s"`      // of which the run's own threads explain (not counted)
	Bound   float64 `json:"lost_bound_s"`    // the most others can have taken: their CPU on the run's cores
	Steal   float64 `json:"lost_steal_s"`    // the hypervisor's steal on the run's cores
	SlowCPU float64 `json:"lost_slow_cpu_s"` // cpu(d) work that ran well over d
}

func (s Stats) lostJSON() *lostJSON {
	if s.Lost == nil {
		return nil
	}
	l := s.Lost
	return &lostJSON{l.Total().Seconds(), l.Share(), l.Queue.Seconds(), min(l.Own, l.Queue).Seconds(), l.Bound.Seconds(),
		l.Steal.Seconds(), l.SlowCPU.Seconds()}
}
