package timeline

// CounterSample is the shared counter of add(N) steps at one moment of a run: what
// it read, and how many increments the threads had made by then. Made − Value is the
// updates lost so far; a jump in it is where they were lost.
type CounterSample struct {
	T     int64 // CLOCK_MONOTONIC ns
	Value int64
	Made  int64
}

// maxCounterSamples bounds the samples a run keeps: enough for a lane of any width.
const maxCounterSamples = 1 << 16

// SampleCounter records the counter as it is now. Engines whose threads share it call
// it every so many increments; past maxCounterSamples further samples are dropped.
func (r *Recorder) SampleCounter(s CounterSample) {
	r.res.mu.Lock()
	if len(r.res.counter) < maxCounterSamples {
		r.res.counter = append(r.res.counter, s)
	}
	r.res.mu.Unlock()
}
