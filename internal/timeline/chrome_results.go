package timeline

import (
	"fmt"
	"iter"
	"math"
	"strconv"
)

// Task outcomes in Chrome trace JSON. otherData.results keeps what Import needs: the
// results in completion order, each [task, outcome, submit, start, end] in ns since the
// run began (start -1 for a task that never started), and the shared counter. For
// Perfetto, each finished task is also an instant event on a "results" track
// (process 3), named by its task and outcome.

const chromeResultsPid = 3

// resultRow is r as otherData.results keeps it.
func resultRow(t *Trace, r Result) [5]int64 {
	start := int64(-1)
	if r.Start != 0 {
		start = r.Start - t.Begin
	}
	return [5]int64{int64(r.Task), int64(r.Outcome), r.Submit - t.Begin, start, r.End - t.Begin}
}

// appendResults adds ,"results":{…} to otherData when t has results or a counter.
func appendResults(b []byte, t *Trace) []byte {
	if len(t.Results) == 0 && t.CounterExpected == 0 && t.CounterFinal == 0 {
		return b
	}
	b = append(b, ',')
	b = appendKey(b, "results")
	b = append(b, `{"tasks":[`...)
	for i, r := range t.Results {
		if i > 0 {
			b = append(b, ',')
		}
		b = append(b, '[')
		for k, v := range resultRow(t, r) {
			if k > 0 {
				b = append(b, ',')
			}
			b = strconv.AppendInt(b, v, 10)
		}
		b = append(b, ']')
	}
	b = append(b, `],"counter_expected":`...)
	b = strconv.AppendInt(b, t.CounterExpected, 10)
	b = append(b, `,"counter_final":`...)
	b = strconv.AppendInt(b, t.CounterFinal, 10)
	return append(b, '}')
}

// resultMarks writes each finished task as an instant event on the results track.
func (c *chromeWriter) resultMarks(t *Trace) {
	if len(t.Results) == 0 {
		return
	}
	c.name(chromeResultsPid, 0, "process_name", "results (completion order)")
	for k, r := range t.Results {
		b := append(c.next(), `{"name":"task `...)
		b = strconv.AppendInt(b, int64(r.Task), 10)
		b = append(b, ' ')
		b = append(b, r.Outcome.String()...)
		b = append(b, `","ph":"i","s":"p","pid":3,"tid":0,"ts":`...)
		b = appendMicros(b, r.End-c.begin)
		b = append(b, `,"args":{"task":`...)
		b = strconv.AppendInt(b, int64(r.Task), 10)
		b = append(b, `,"order":`...)
		b = strconv.AppendInt(b, int64(k), 10)
		c.buf = append(b, "}}"...)
		if len(c.buf) > 32<<10 {
			c.flush()
		}
	}
}

// maxImportResults bounds otherData.tasks, and so what otherData.results can make an
// import allocate: more than any run has tasks (experiment.MaxTasks).
const maxImportResults = 1 << 20

// chromeResults is otherData.results as read: rows of [task, outcome, submit, start,
// end], kept in fixed chunks as a lane's slices are (importChunk), so reading 100,000
// of them copies none. A growing slice copied each row several times, and each new
// array was fresh memory to fault in, a large part of replay's start-up.
type chromeResults struct {
	chunks                        [][][5]int64
	n                             int
	CounterExpected, CounterFinal int64
}

func (c *chromeResults) add(row [5]int64) {
	if k := len(c.chunks); k == 0 || len(c.chunks[k-1]) == cap(c.chunks[k-1]) {
		c.chunks = append(c.chunks, make([][5]int64, 0, min(16<<min(k, 8), importChunk))) // 16, 32, … 4096
	}
	k := len(c.chunks) - 1
	c.chunks[k] = append(c.chunks[k], row)
	c.n++
}

// results reads otherData.results with the scanner; restore checks it once the trace
// is built.
func (d *chromeReader) results() *chromeResults {
	c := &chromeResults{}
	d.s.object(func(key []byte) {
		switch string(key) {
		case "counter_expected":
			c.CounterExpected = d.s.int()
		case "counter_final":
			c.CounterFinal = d.s.int()
		case "tasks":
			d.resultRows(c)
		default:
			d.s.skip(3)
		}
	})
	return c
}

// resultRows reads otherData.results.tasks into c: each row exactly [task, outcome,
// submit, start, end], and no more rows than maxImportResults.
func (d *chromeReader) resultRows(c *chromeResults) {
	d.s.array(func() {
		var r [5]int64
		k := 0
		d.s.array(func() {
			if k < len(r) {
				r[k] = d.s.int()
			} else {
				d.s.int()
			}
			k++
		})
		if k != len(r) || c.n >= maxImportResults {
			d.fail("otherData.results.tasks[%d]: want [task, outcome, submit, start, end] for at most %d tasks", c.n, maxImportResults)
			return
		}
		c.add(r)
	})
}

// restore puts imported results into t, checking each against the trace: a known
// outcome, a task index below the run's task count, submit ≤ start ≤ end within
// reason, and no task twice.
func (c *chromeResults) restore(t *Trace) error {
	if c == nil {
		return nil
	}
	if c.n > t.Tasks {
		return fmt.Errorf("otherData.results: %d results for %d tasks", c.n, t.Tasks)
	}
	seen := make([]bool, t.Tasks)   // at most maxImportResults; a map cost more than the rest of restoring
	const limit = math.MaxInt64 / 4 // far past any run, far from overflowing Begin+x
	t.Results = make([]Result, 0, c.n)
	for i, r := range c.rows() {
		task, outcome, submit, start, end := r[0], Outcome(r[1]), r[2], r[3], r[4]
		switch {
		case task < 0 || task >= int64(t.Tasks) || seen[task]:
			return fmt.Errorf("otherData.results.tasks[%d]: task %d is out of range or repeated", i, task)
		case outcome < Done || outcome > Cancelled:
			return fmt.Errorf("otherData.results.tasks[%d]: unknown outcome %d", i, r[1])
		case math.Abs(float64(submit)) > limit || math.Abs(float64(end)) > limit || start > limit || start < -1:
			return fmt.Errorf("otherData.results.tasks[%d]: times out of range", i)
		case start >= 0 && (start < submit || end < start) || start < 0 && outcome != Cancelled:
			return fmt.Errorf("otherData.results.tasks[%d]: submit %d, start %d, end %d are out of order", i, submit, start, end)
		}
		seen[task] = true
		res := Result{Task: int32(task), Outcome: outcome, Submit: t.Begin + submit, End: t.Begin + end}
		if start >= 0 {
			res.Start = t.Begin + start
		}
		t.Results = append(t.Results, res)
	}
	t.CounterExpected, t.CounterFinal = c.CounterExpected, c.CounterFinal
	return nil
}

// rows are the rows read, in order, each with its index.
func (c *chromeResults) rows() iter.Seq2[int, [5]int64] {
	return func(yield func(int, [5]int64) bool) {
		i := 0
		for _, chunk := range c.chunks {
			for _, r := range chunk {
				if !yield(i, r) {
					return
				}
				i++
			}
		}
	}
}
