package sim

import (
	"math"

	"github.com/coreography/coreography/internal/timeline"
)

// pcParent: the pool's parent thread finished its current job.
const pcParent = 150

// parentJob is one piece of the pool parent's work: encoding and writing a chunk to
// worker w (w non-nil; the chunk arrives when it is done), or reading a chunk's
// results and its tasks' events back (w nil).
type parentJob struct {
	w     *procWorker
	first int // the chunk sent
	cost  int64
}

// parent is the process pool's parent: one thread, with no lane (as in pools, where
// it is the app itself), that needs a core for its work like any other thread. On a
// machine whose cores the workers keep busy it takes its share from them.
type parent struct {
	m    *machine
	th   *thread
	jobs []parentJob
	head int // jobs[head:] are waiting
	cur  parentJob
	busy bool
}

func newParent(m *machine) *parent {
	th := m.newHiddenThread()
	th.pc = pcParent
	return &parent{m: m, th: th}
}

// send books chunk first for w; it arrives once the parent has written it.
func (pa *parent) send(w *procWorker, first int, cost int64) {
	pa.push(parentJob{w: w, first: first, cost: cost})
}

// read books reading a finished chunk's results back.
func (pa *parent) read(cost int64) {
	if cost > 0 {
		pa.push(parentJob{cost: cost})
	}
}

func (pa *parent) push(j parentJob) {
	pa.jobs = append(pa.jobs, j)
	if !pa.busy {
		pa.next()
	}
}

// next starts the next job, if any.
func (pa *parent) next() {
	if pa.head == len(pa.jobs) {
		pa.jobs, pa.head, pa.busy = pa.jobs[:0], 0, false
		return
	}
	pa.cur, pa.busy = pa.jobs[pa.head], true
	pa.head++
	pa.m.compute(pa.th, pa.cur.cost, timeline.Running, timeline.NoTask)
}

// done finishes the current job: a chunk sent arrives at its worker now.
func (pa *parent) done() {
	if j := pa.cur; pa.busy && j.w != nil {
		for i := range j.w.queue {
			if c := &j.w.queue[i]; c.first == j.first && c.arrives == notYet {
				c.arrives = pa.m.now
				pa.m.schedule(pa.m.now, j.w.th, evWake, 0)
				break
			}
		}
	}
	pa.next()
}

// notYet is the arrival time of a chunk the parent has not written yet.
const notYet = math.MaxInt64
