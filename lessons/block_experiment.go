package lessons

import (
	"errors"
	"fmt"
	"runtime"
	"strings"
	"time"

	"github.com/coreography/coreography/internal/experiment"
)

// specKeys spell an experiment.Spec in a lesson; an experiment block adds compare and notice.
var specKeys = []string{"name", "model", "workers", "cores", "switch-interval", "chunk-size", "fresh", "cancel-after", "tasks", "sim", "profile"}

var experimentKeys = append(append([]string{}, specKeys...), "compare", "notice", "focus", "replay")

// readExperiment reads an experiment block: a spec, then each compare entry, which
// inherits every key it does not give from the main spec.
func readExperiment(f *fence, p *problems) *Experiment {
	b := &block{src: strings.Join(f.content, "\n"), line: f.line + 1, col: f.indent + 1, fenceLine: f.line, name: "experiment", problems: p}
	n := b.parse()
	if n == nil {
		return nil
	}
	if n.kind == nullNode {
		p.add(f.line, f.indent+1, "empty experiment: give at least model: and tasks:")
		return nil
	}
	fields := b.fields(n, "an experiment", experimentKeys)
	exp := &Experiment{}
	main, ok := b.spec(fields, nil, nil, "", f.indent+1)
	if !ok {
		return nil
	}
	exp.Runs = append(exp.Runs, main)
	if k, has := fields["compare"]; has {
		entries := k.val.items
		if k.val.kind != listNode || len(entries) == 0 {
			p.add(k.val.line, k.val.col, "compare should be a list of specs, each starting with -, such as - model: threads")
			return nil
		}
		for i, e := range entries {
			where := fmt.Sprintf("compare %d: ", i+1)
			ef := b.fields(e, "a compare entry", specKeys)
			spec, ok := b.spec(ef, &main, fields, where, 0)
			if !ok {
				return nil
			}
			exp.Runs = append(exp.Runs, spec)
		}
	}
	if k, has := fields["notice"]; has {
		exp.Notice, _ = b.str(k)
		checkPlaceholders(exp.Notice, k.val.line, k.val.col-1, len(exp.Runs), p)
	}
	if k, has := fields["focus"]; has {
		// focus: auto (the default) or the close-up's width, such as 30ms.
		if v, isStr := b.str(k); !isStr || strings.TrimSpace(v) != "auto" {
			if d, ok := b.duration(k); ok && d <= 0 {
				p.add(k.val.line, k.val.col, "focus should be auto or a close-up's width such as 30ms, found %q", v)
			} else {
				exp.Focus = d
			}
		}
	}
	if k, has := fields["replay"]; has {
		exp.Replay = b.readReplay(k)
	}
	var planned time.Duration
	for _, s := range exp.Runs {
		planned = experiment.SatAdd(planned, s.Normalized().PlannedWork())
	}
	if planned > experiment.MaxPlannedWork {
		p.add(f.line, f.indent+1, "the runs of this experiment plan about %s of work, more than the %s limit: use fewer or shorter tasks", planned.Round(time.Second), experiment.MaxPlannedWork)
	}
	return exp
}

// spec reads one spec's keys over base (nil for the main spec, whose keys are mainFields),
// validates it and reports each problem at the key it came from. where prefixes
// messages about a compare entry.
func (b *block) spec(fields map[string]keyed, base *experiment.Spec, mainFields map[string]keyed, where string, fenceCol int) (experiment.Spec, bool) {
	var s experiment.Spec
	if base != nil {
		s = *base
	}
	before := b.problems.added
	if k, ok := fields["name"]; ok {
		s.Name, _ = b.str(k)
	} else if base != nil {
		s.Name = "" // a name belongs to one run
	}
	if k, ok := fields["model"]; ok {
		if v, ok := b.str(k); ok {
			m, err := experiment.ParseModel(v)
			if err != nil {
				b.problems.add(k.val.line, k.val.col, "%smodel: %s", where, fieldMsg(err))
			}
			s.Model = m
		}
	} else if base == nil {
		b.problems.add(b.fenceLine, fenceCol, "an experiment needs model: (serial, threads, gil, processes or asyncio)")
	}
	b.poolKeys(fields, &s)
	b.simKeys(fields, mainFields, &s)
	if k, ok := fields["tasks"]; ok {
		s.Tasks, _ = b.tasks(k, where)
	} else if base == nil {
		b.problems.add(b.fenceLine, fenceCol, "an experiment needs tasks:, such as tasks: 8*cpu(100ms)")
	}
	if b.problems.added > before {
		return s, false // Validate would only repeat what is already reported
	}
	if err := s.Validate(); err != nil {
		b.invalid(err, fields, mainFields, where, fenceCol)
		return s, false
	}
	return s, true
}

// poolKeys reads the keys that shape the pool: workers, cores, the switch interval,
// the chunk size, fresh processes and cancel-after.
func (b *block) poolKeys(fields map[string]keyed, s *experiment.Spec) {
	readKey(fields, "workers", b.integer, &s.Workers)
	readKey(fields, "cores", b.integer, &s.Cores)
	readKey(fields, "switch-interval", b.duration, &s.SwitchInterval)
	if k, ok := fields["chunk-size"]; ok {
		if v, isStr := b.str(k); isStr && strings.TrimSpace(v) == "auto" {
			s.ChunkSize = 0
		} else if isStr {
			s.ChunkSize, _ = b.integer(k)
		}
	}
	readKey(fields, "fresh", b.boolean, &s.Fresh)
	readKey(fields, "cancel-after", b.duration, &s.CancelAfter)
}

// readKey sets *dst to what read makes of fields[name], when the key is there; read
// reports any problem itself.
func readKey[T any](fields map[string]keyed, name string, read func(keyed) (T, bool), dst *T) {
	if k, ok := fields[name]; ok {
		*dst, _ = read(k)
	}
}

// invalid reports what Validate found, each at the key it is about (the run's own,
// else the main experiment's), or at the fence when no key says it.
func (b *block) invalid(err error, fields, mainFields map[string]keyed, where string, fenceCol int) {
	for _, e := range experiment.Errors(err) {
		var fe *experiment.FieldError
		if !errors.As(e, &fe) {
			b.problems.add(b.fenceLine, fenceCol, "%s%v", where, e)
			continue
		}
		k, ok := fields[fe.Field]
		if !ok {
			k, ok = mainFields[fe.Field]
		}
		switch {
		case !ok:
			b.problems.add(b.fenceLine, fenceCol, "%s%s: %s", where, fe.Field, fe.Msg)
		case fe.Col > 0:
			line, col := inside(k.val, fe.Col)
			b.problems.add(line, col, "%s%s: %s", where, fe.Field, fe.Msg)
		default:
			b.problems.add(k.val.line, k.val.col, "%s%s: %s", where, fe.Field, fe.Msg)
		}
	}
}

// tasks reads the task notation, pointing a notation error at its column in the file.
func (b *block) tasks(k keyed, where string) (experiment.Tasks, bool) {
	if k.val.kind == listNode {
		b.problems.add(k.val.line, k.val.col, `%stasks: a value starting with [ reads as a YAML list; quote it, as in tasks: "[io(20ms) cpu(5ms)]"`, where)
		return experiment.Tasks{}, false
	}
	src, ok := b.str(k)
	if !ok {
		return experiment.Tasks{}, false
	}
	ts, err := experiment.ParseTasks(src)
	if err != nil {
		var ne *experiment.NotationError
		if errors.As(err, &ne) {
			line, col := inside(k.val, ne.Col)
			b.problems.add(line, col, "%stasks: %s", where, ne.Msg)
		} else {
			b.problems.add(k.val.line, k.val.col, "%stasks: %v", where, err)
		}
		return experiment.Tasks{}, false
	}
	return ts, true
}

// fieldMsg is a FieldError's message without its field name, which the caller gives.
func fieldMsg(err error) string {
	var fe *experiment.FieldError
	if errors.As(err, &fe) {
		return fe.Msg
	}
	return err.Error()
}

// simKeys reads sim: and profile:. sim: true runs the spec on sim's model machine;
// sim: auto does so only when this machine has fewer cores than the spec's workers,
// as the scale command does, giving the model machine one core per worker. A compare
// entry without sim: decides anew from the main spec's, for its own workers.
func (b *block) simKeys(fields, mainFields map[string]keyed, s *experiment.Spec) {
	k, ok := fields["sim"]
	if !ok {
		k, ok = mainFields["sim"]
	}
	if ok {
		if v, isStr := b.str(k); isStr && strings.TrimSpace(v) == "auto" {
			s.Sim = s.Workers > runtime.NumCPU()
			if s.Sim && s.Cores == 0 {
				s.Cores = min(s.Workers, experiment.MaxSimCores)
			}
		} else {
			s.Sim, _ = b.boolean(k)
		}
	}
	if k, ok := fields["profile"]; ok {
		s.Profile, _ = b.str(k)
	}
}
