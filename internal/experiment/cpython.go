package experiment

import (
	"errors"
	"fmt"
)

// ErrUnavailable marks a run this machine cannot do (no Python interpreter for a py-*
// model, say): a lesson skips the step, saying what to install, instead of failing.
var ErrUnavailable = errors.New("not available on this machine")

// The CPython models run the same task notation on a real CPython interpreter
// (Spec.Python, default python3 on PATH), observed from outside.
const (
	PySerial    Model = "py-serial"    // one Python thread, tasks in order
	PyThreads   Model = "py-threads"   // concurrent.futures.ThreadPoolExecutor
	PyProcesses Model = "py-processes" // concurrent.futures.ProcessPoolExecutor, map's chunksize (default 1)
	PyPool      Model = "py-pool"      // multiprocessing.Pool.map, with its automatic chunk size
	PyAsyncio   Model = "py-asyncio"   // asyncio.gather on one event loop
)

// CPythonModels lists the real-CPython models, each beside the Go model it mirrors.
var CPythonModels = []Model{PySerial, PyThreads, PyProcesses, PyPool, PyAsyncio}

// StartMethods are multiprocessing's ways to start a worker process.
var StartMethods = []string{"fork", "spawn", "forkserver"}

// IsCPython reports whether the model runs on a real CPython interpreter.
func (m Model) IsCPython() bool {
	for _, c := range CPythonModels {
		if m == c {
			return true
		}
	}
	return false
}

// Chunked reports whether the model sends tasks to workers in chunks: a chunk size
// means something only there.
func (m Model) Chunked() bool { return m == Processes || m == PyProcesses || m == PyPool }

// Switched reports whether the model's threads take turns on a GIL every switch
// interval: a switch interval means something only there.
func (m Model) Switched() bool { return m == GIL || m == PyThreads }

// Counterpart is the Go model that mirrors a CPython one, and the other way round;
// "" when there is none.
func (m Model) Counterpart() Model {
	pairs := map[Model]Model{PySerial: Serial, PyThreads: GIL, PyProcesses: Processes, PyPool: Processes, PyAsyncio: Asyncio}
	if g, ok := pairs[m]; ok {
		return g
	}
	for py, g := range pairs {
		if g == m && py != PyPool {
			return py
		}
	}
	return ""
}

// normalizeCPython fills in what a CPython model's defaults are: ProcessPoolExecutor.map
// sends one task at a time unless told otherwise, Pool.map chooses four chunks per worker.
func (s Spec) normalizeCPython() Spec {
	switch {
	case s.Model == PyProcesses && s.ChunkSize == 0:
		s.ChunkSize = 1
	case s.Model == PyPool && s.ChunkSize == 0:
		s.ChunkSize = AutoChunkSize(s.Tasks.Count(), s.Workers)
	}
	return s
}

// validateCPython checks the fields only CPython models have.
func (s Spec) validateCPython() []error {
	var errs []error
	if s.StartMethod != "" {
		ok := false
		for _, m := range StartMethods {
			ok = ok || m == s.StartMethod
		}
		switch {
		case s.Model != PyProcesses && s.Model != PyPool:
			errs = append(errs, &FieldError{Field: "start-method", Msg: "only py-processes and py-pool start worker processes"})
		case !ok:
			errs = append(errs, &FieldError{Field: "start-method", Msg: fmt.Sprintf("unknown start method %q: expected fork, spawn or forkserver", s.StartMethod)})
		}
	}
	if s.Sim && s.Model.IsCPython() {
		errs = append(errs, &FieldError{Field: "model", Msg: fmt.Sprintf("%s runs the real CPython; --sim models the Go engines (try %s)", s.Model, s.Model.Counterpart())})
	}
	if s.Model == PyPool && s.CancelAfter > 0 {
		errs = append(errs, &FieldError{Field: "cancel-after", Msg: "multiprocessing.Pool cannot cancel a queued task; py-processes (ProcessPoolExecutor) can"})
	}
	if s.Python != "" && !s.Model.IsCPython() {
		errs = append(errs, &FieldError{Field: "python", Msg: "only the py-* models run on a Python interpreter"})
	}
	return errs
}
