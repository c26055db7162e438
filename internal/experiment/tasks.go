package experiment

import (
	"fmt"
	"math"
	"strconv"
	"strings"
	"time"

	"github.com/coreography/coreography/internal/timeline"
)

// Kind is what one step of a task does.
type Kind uint8

const (
	CPU  Kind = iota // computation calibrated to take D on one idle core
	IO               // blocking wait for D (a sleep, as a disk or socket wait)
	HTTP             // GET from a loopback server that answers after D
	Fail             // the task raises: it ends as failed, its later steps never run
	Add              // N read-modify-write increments of the run's shared counter (counter.go)
	Hash             // computation in C code that lets the GIL go (hashlib over a buffer), calibrated to take D
)

var kindNames = [...]string{CPU: "cpu", IO: "io", HTTP: "http", Fail: "fail", Add: "add", Hash: "hash"}

func (k Kind) String() string { return kindNames[k] }

// Step is one piece of a task: cpu(100ms), io(20ms), http(50ms), fail, add(1000, lock),
// hash(100ms).
type Step struct {
	Kind Kind
	D    time.Duration // cpu, io, http, hash; 0 for fail and add
	N    int64         // add: how many increments
	Sync Sync          // add: how each increment is made
}

func (s Step) String() string {
	switch s.Kind {
	case Fail:
		return "fail"
	case Add:
		if s.Sync == Plain {
			return "add(" + strconv.FormatInt(s.N, 10) + ")"
		}
		return "add(" + strconv.FormatInt(s.N, 10) + ", " + s.Sync.String() + ")"
	}
	return s.Kind.String() + "(" + FormatDuration(s.D, Exact) + ")"
}

// Work is what the step takes alone on one idle core: D, or for add(N) N increments
// at the cost this machine measured for one (see IncrementCost).
func (s Step) Work() time.Duration {
	if s.Kind == Add {
		return satMul(s.N, incrementCost(s.Sync))
	}
	return s.D
}

// Task is what one submitted job does, with the payload sizes that cross a
// process boundary when the model has one.
type Task struct {
	Steps []Step
	In    int64 // bytes sent to the worker with the task
	Out   int64 // bytes the worker sends back
}

// Work is the task's calibrated duration: what it takes alone on one idle core.
func (t Task) Work() time.Duration {
	var d time.Duration
	for _, s := range t.Steps {
		d = satAdd(d, s.Work())
	}
	return d
}

// Increments is how many times the task adds to the shared counter: the N of its add
// steps up to its first fail, which ends it.
func (t Task) Increments() int64 {
	var n int64
	for _, s := range t.Steps {
		if s.Kind == Fail {
			break
		}
		if s.Kind == Add {
			n += min(s.N, math.MaxInt64-n) // saturates: a limit check must see a huge sum, not a wrapped one
		}
	}
	return n
}

// Group is Count copies of one task: the "8*cpu(100ms)" of the notation.
type Group struct {
	Count int
	Task  Task
	Phase int // from 0: groups after the k-th "then" start once every earlier task is done
}

// Tasks is a parsed task notation: groups separated by commas.
type Tasks struct {
	Groups []Group
}

// Count is how many tasks there are.
func (ts Tasks) Count() int {
	n := 0
	for _, g := range ts.Groups {
		n = int(satAdd(time.Duration(n), time.Duration(g.Count)))
	}
	return n
}

// Work is the ideal serial time: every task's calibrated work, added up.
func (ts Tasks) Work() time.Duration {
	var d time.Duration
	for _, g := range ts.Groups {
		d = satAdd(d, satMul(g.Count, g.Task.Work()))
	}
	return d
}

// Planned is each task's calibrated time alone, group by group in task order: what a
// task's wall time inside a pool is measured against.
func (ts Tasks) Planned() []timeline.Planned {
	out := make([]timeline.Planned, 0, len(ts.Groups))
	for _, g := range ts.Groups {
		out = append(out, timeline.Planned{Count: g.Count, Each: g.Task.Work()})
	}
	return out
}

// WorkOf sums the steps of one kind over all tasks.
func (ts Tasks) WorkOf(k Kind) time.Duration {
	var d time.Duration
	for _, g := range ts.Groups {
		for _, s := range g.Task.Steps {
			if s.Kind == k || (k == CPU && (s.Kind == Add || s.Kind == Hash)) { // increments and hashing are CPU work
				d = satAdd(d, satMul(g.Count, s.Work()))
			}
		}
	}
	return d
}

// List expands the groups into one Task per submitted job, in submission order.
// Copies share their Steps, so a list of 100,000 tasks stays small.
func (ts Tasks) List() []Task {
	out := make([]Task, 0, ts.Count())
	for _, g := range ts.Groups {
		for range g.Count {
			out = append(out, g.Task)
		}
	}
	return out
}

// Phases is how many sequential phases the tasks have: one more than the "then"s.
func (ts Tasks) Phases() int {
	if len(ts.Groups) == 0 {
		return 1
	}
	return ts.Groups[len(ts.Groups)-1].Phase + 1
}

// PhaseStarts is the index in List of each phase's first task. A task of phase k may
// start only when every task before PhaseStarts()[k] is done: that is the "then".
func (ts Tasks) PhaseStarts() []int {
	starts := []int{0}
	n := 0
	for i, g := range ts.Groups {
		if i > 0 && g.Phase != ts.Groups[i-1].Phase {
			starts = append(starts, n)
		}
		n += g.Count
	}
	return starts
}

// String spells the tasks in the notation ParseTasks reads.
func (ts Tasks) String() string {
	var out strings.Builder
	for i, g := range ts.Groups {
		var b strings.Builder
		switch {
		case i == 0:
		case g.Phase != ts.Groups[i-1].Phase:
			out.WriteString(" then ")
		default:
			out.WriteString(", ")
		}
		if g.Count != 1 {
			fmt.Fprintf(&b, "%d*", g.Count)
		}
		if len(g.Task.Steps) == 1 {
			b.WriteString(g.Task.Steps[0].String())
		} else {
			b.WriteByte('[')
			for j, s := range g.Task.Steps {
				if j > 0 {
					b.WriteByte(' ')
				}
				b.WriteString(s.String())
			}
			b.WriteByte(']')
		}
		if g.Task.In > 0 {
			b.WriteString(" in=" + FormatSize(g.Task.In, Exact))
		}
		if g.Task.Out > 0 {
			b.WriteString(" out=" + FormatSize(g.Task.Out, Exact))
		}
		out.WriteString(b.String())
	}
	return out.String()
}
