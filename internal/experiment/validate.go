package experiment

import (
	"errors"
	"fmt"
	"runtime"
	"strings"
	"time"
)

// FieldError says which field of a spec is wrong, and for the task notation at
// which column, so a lesson file can point at file:line:col.
type FieldError struct {
	Field string // "model", "workers", "cores", "switch-interval", "chunk-size", "fresh", "tasks"
	Col   int    // tasks only: column in the notation, from 1; otherwise 0
	Msg   string
}

func (e *FieldError) Error() string {
	if e.Col > 0 {
		return fmt.Sprintf("%s: col %d: %s", e.Field, e.Col, e.Msg)
	}
	return e.Field + ": " + e.Msg
}

// ParseModel reads a model name.
func ParseModel(name string) (Model, error) {
	for _, m := range append(Models[:len(Models):len(Models)], CPythonModels...) {
		if string(m) == strings.ToLower(strings.TrimSpace(name)) {
			return m, nil
		}
	}
	var names []string
	for _, m := range append(Models[:len(Models):len(Models)], CPythonModels...) {
		names = append(names, string(m))
	}
	return "", &FieldError{Field: "model", Msg: fmt.Sprintf("unknown model %q: expected one of %s", name, strings.Join(names, ", "))}
}

// Validate reports every problem with the spec, joined; nil when it can run.
func (s Spec) Validate() error {
	var errs []error
	bad := func(field, format string, args ...any) {
		errs = append(errs, &FieldError{Field: field, Msg: fmt.Sprintf(format, args...)})
	}
	if _, err := ParseModel(string(s.Model)); err != nil {
		errs = append(errs, err)
	}
	n := s.Normalized()
	switch {
	case s.Workers < 0:
		bad("workers", "must be at least 1, got %d", s.Workers)
	case s.Model.OneWorker() && n.Workers != 1:
		bad("workers", "%s runs on exactly 1 worker, got %d", s.Model, s.Workers)
	case s.Sim && n.Workers > MaxSimWorkers:
		bad("workers", "at most %d simulated workers, got %d", MaxSimWorkers, n.Workers)
	case s.Sim: // the model machine has room for every worker up to MaxSimWorkers
	case (s.Model == Processes || s.Model == PyProcesses || s.Model == PyPool) && n.Workers > MaxProcesses:
		bad("workers", "at most %d processes, got %d", MaxProcesses, n.Workers)
	case n.Workers > MaxThreads:
		bad("workers", "at most %d threads, got %d", MaxThreads, n.Workers)
	}
	errs = append(errs, s.machineErrors()...)
	switch {
	case s.SwitchInterval != 0 && !s.Model.Switched():
		bad("switch-interval", "only the gil and py-threads models have a switch interval")
	case s.SwitchInterval < 0 || s.SwitchInterval > time.Second:
		bad("switch-interval", "must be between 1us and 1s, got %s", s.SwitchInterval)
	case s.SwitchInterval > 0 && s.SwitchInterval < time.Microsecond:
		bad("switch-interval", "must be between 1us and 1s, got %s", s.SwitchInterval)
	}
	switch {
	case s.ChunkSize != 0 && !s.Model.Chunked():
		bad("chunk-size", "only the processes model sends tasks in chunks")
	case s.ChunkSize < 0 || s.ChunkSize > MaxTasks:
		bad("chunk-size", "must be 1 to %d, or 0 for automatic, got %d", MaxTasks, s.ChunkSize)
	case s.Fresh && s.ChunkSize > 1:
		bad("chunk-size", "a fresh process runs exactly one task, so chunk-size must be 0 or 1")
	}
	errs = append(errs, s.validateCPython()...)
	s.validateOutcomes(bad)
	if s.Fresh && s.Model != Processes {
		bad("fresh", "only the processes model starts a fresh process per task")
	}
	switch count := s.Tasks.Count(); {
	case count == 0:
		bad("tasks", "no tasks: give at least one, such as 8*cpu(100ms)")
	case count > MaxTasks:
		bad("tasks", "%d tasks is more than the limit of %d", count, MaxTasks)
	default:
		if planned := n.PlannedWork(); planned > MaxPlannedWork {
			bad("tasks", "%s of planned work is more than the %s limit", plannedText(planned), MaxPlannedWork)
		}
	}
	s.validateLimits(bad)
	return errors.Join(errs...)
}

// PlannedWork estimates how long the run keeps the machine busy: all CPU work, plus
// the waits divided among the workers that can wait at once (every task, under asyncio).
func (s Spec) PlannedWork() time.Duration {
	waiting := satAdd(s.Tasks.WorkOf(IO), s.Tasks.WorkOf(HTTP))
	concurrent := s.Workers
	if s.Model == Asyncio || s.Model == PyAsyncio {
		concurrent = s.Tasks.Count()
	}
	return satAdd(s.Tasks.WorkOf(CPU), waiting/time.Duration(max(concurrent, 1)))
}

// plannedText spells planned work for a limit message; a saturated sum reads as what
// it is rather than as 2562047h.
func plannedText(d time.Duration) string {
	if d > 1000*time.Hour {
		return "more than 1000h"
	}
	return "about " + d.Round(time.Second).String()
}

// machineErrors checks the machine a spec runs on: this one's cores, or the model
// machine's (sim) and its profile.
func (s Spec) machineErrors() []error {
	var errs []error
	bad := func(field, format string, args ...any) {
		errs = append(errs, &FieldError{Field: field, Msg: fmt.Sprintf(format, args...)})
	}
	if cpus := runtime.NumCPU(); s.Sim && (s.Cores < 0 || s.Cores > MaxSimCores) {
		bad("cores", "the model machine has 1 to %d cores, got %d", MaxSimCores, s.Cores)
	} else if !s.Sim && (s.Cores < 0 || s.Cores > cpus) {
		bad("cores", "this machine has %d cores; cores must be 1 to %d, got %d", cpus, cpus, s.Cores)
	}
	if s.Profile != "" && !s.Sim {
		bad("profile", "only a simulated run (sim) has a cost profile")
	}
	return errs
}
