package experiment

import (
	"fmt"
	"math"
	"slices"
	"strconv"
	"sync/atomic"
	"time"
)

// Sync is how an add(N) step makes each increment of the run's shared counter.
type Sync uint8

const (
	Plain  Sync = iota // add(N): load, then store, no lock: updates are lost when threads interleave
	Lock               // add(N, lock): a lock around each increment (threading.Lock, sync.Mutex)
	Call               // add(N, call): a function call between the load and the store, where CPython can switch threads
	Shared             // add(N, shared): shared memory with a cross-process lock (multiprocessing.Value)
	numSyncs
)

var syncNames = [numSyncs]string{"", "lock", "call", "shared"}

func (s Sync) String() string {
	if s < numSyncs {
		return syncNames[s]
	}
	return "sync(" + strconv.Itoa(int(s)) + ")"
}

// MaxIncrements bounds one add(N): a billion increments already take seconds.
const MaxIncrements = 1_000_000_000

// incrementCosts is what one increment costs alone on one idle core, by Sync; set by
// the engines (pools measures it on this machine). Until then, figures of the order a
// laptop measures, so planned work is never zero.
var incrementCosts atomic.Pointer[func(Sync) time.Duration]

// SetIncrementCost tells the notation what an increment costs on this machine, for
// planned work (Task.Work, the limits). The command line calls it with
// pools.IncrementCost before it reads any spec; nothing calls it behind its back.
func SetIncrementCost(cost func(Sync) time.Duration) { incrementCosts.Store(&cost) }

func incrementCost(s Sync) time.Duration {
	if f := incrementCosts.Load(); f != nil {
		return (*f)(s)
	}
	return [numSyncs]time.Duration{Plain: 2, Lock: 15, Call: 4, Shared: 20}[min(s, numSyncs-1)]
}

// addArgs reads "(N)" or "(N, lock|call|shared)" after add.
func (p *parser) addArgs(s *Step) error {
	if p.peek() != '(' {
		return p.fail("expected \"(\" after add, as in add(1000) or add(1000, lock)")
	}
	p.pos++
	p.space()
	start := p.pos
	if !isDigit(p.peek()) {
		return p.fail("expected how many increments, as in add(1000), found %s", p.found())
	}
	n, err := p.integer()
	if err != nil {
		return err
	}
	if n < 1 || n > MaxIncrements {
		p.pos = start
		return p.fail("add takes 1 to %d increments, got %d", MaxIncrements, n)
	}
	s.N = int64(n)
	p.space()
	if p.peek() == ',' {
		p.pos++
		p.space()
		at := p.pos
		sync := slices.Index(syncNames[1:], p.word()) + 1 // "" is add(N) alone
		if sync == 0 {
			p.pos = at
			return p.fail("expected lock, call or shared after add(%d, …), found %s", n, p.found())
		}
		s.Sync = Sync(sync)
		p.space()
	}
	if p.peek() != ')' {
		return p.fail("expected \")\" to close add(…), found %s", p.found())
	}
	p.pos++
	return nil
}

// Increments is how many increments of the shared counter all tasks plan together.
func (ts Tasks) Increments() int64 {
	var n time.Duration // a count, saturating as durations do
	for _, g := range ts.Groups {
		n += min(satMul(int64(g.Count), time.Duration(g.Task.Increments())), math.MaxInt64-n)
	}
	return int64(n)
}

// HasAdd reports whether any task adds to the shared counter with the given Sync.
func (ts Tasks) HasAdd(sync Sync) bool {
	for _, g := range ts.Groups {
		for _, s := range g.Task.Steps {
			if s.Kind == Add && s.Sync == sync {
				return true
			}
		}
	}
	return false
}

// errIncrements explains a run with too many increments in all.
func errIncrements(n int64) string {
	return fmt.Sprintf("%d increments in all is more than the limit of %d", n, int64(MaxIncrements))
}

// validateOutcomes checks what fail, add and cancel-after ask for.
func (s Spec) validateOutcomes(bad func(field, format string, args ...any)) {
	if s.CancelAfter < 0 || s.CancelAfter > MaxPlannedWork {
		bad("cancel-after", "must be between 0 (never) and %s, got %s", MaxPlannedWork, s.CancelAfter)
	}
	if n := s.Tasks.Increments(); n > MaxIncrements || n < 0 {
		bad("tasks", "%s", errIncrements(n))
	}
	if !s.Sim {
		return
	}
	if s.CancelAfter > 0 {
		bad("cancel-after", "the model machine does not cancel tasks; run it for real")
	}
	for _, g := range s.Tasks.Groups {
		for _, st := range g.Task.Steps {
			if st.Kind == Fail || st.Kind == Add || st.Kind == Hash {
				bad("tasks", "the model machine does not run %s steps; run it for real", st.Kind)
				return
			}
		}
	}
}
