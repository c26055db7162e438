package cpython

import (
	"context"
	"os"
	"testing"

	"github.com/coreography/coreography/internal/experiment"
	"github.com/coreography/coreography/internal/timeline"
)

// What a waiting client costs, on CPython: a coroutine less than a thread, a thread
// far less than a process. Only runs whose tasks only wait measure it.
func TestMemoryPerWaitingClient(t *testing.T) {
	needPython(t)
	if _, ok := treePSS(os.Getpid()); !ok {
		t.Skip("no /proc/PID/smaps_rollup here: memory is not measured")
	}
	per := func(model experiment.Model, workers int, tasks string) float64 {
		tr, err := run(t, context.Background(), spec(t, model, workers, tasks))
		if err != nil {
			t.Fatal(err)
		}
		v, ok := timeline.Compute(tr).Values()["memory_per_task_bytes"]
		if !ok {
			t.Fatalf("%s %s: no memory measured", model, tasks)
		}
		return v
	}
	coroutine := per(experiment.PyAsyncio, 1, "2000*io(400ms)") // many: the allocator grows in arenas of a megabyte
	thread := per(experiment.PyThreads, 100, "100*io(400ms)")
	process := per(experiment.PyProcesses, 4, "4*io(400ms)")
	t.Logf("per waiting client: coroutine %.0f B, thread %.0f B, process %.0f B", coroutine, thread, process)
	if !(coroutine < thread && thread*10 < process && process > 1<<20) {
		t.Errorf("coroutine %.0f B, thread %.0f B, process %.0f B: want coroutine < thread, a process over ten threads and a megabyte", coroutine, thread, process)
	}
	tr, err := run(t, context.Background(), spec(t, experiment.PyThreads, 2, "2*[io(50ms) cpu(5ms)]"))
	if err != nil {
		t.Fatal(err)
	}
	if tr.Memory != nil {
		t.Errorf("a run that computes measured memory %+v", tr.Memory)
	}
}
