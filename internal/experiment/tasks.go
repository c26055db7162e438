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
	return s.Kind.String() + "(" + formatDuration(s.D) + ")"
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
			b.WriteString(" in=" + FormatSize(g.Task.In))
		}
		if g.Task.Out > 0 {
			b.WriteString(" out=" + FormatSize(g.Task.Out))
		}
		out.WriteString(b.String())
	}
	return out.String()
}

// NotationError says where a task notation went wrong. Col counts runes from 1.
type NotationError struct {
	Col int
	Msg string
}

func (e *NotationError) Error() string { return fmt.Sprintf("col %d: %s", e.Col, e.Msg) }

// ParseTasks reads the task notation:
//
//	8*cpu(100ms)                       eight CPU-bound tasks
//	50*http(50ms)                      fifty fetches from a slow loopback server
//	4*[io(20ms) cpu(5ms) io(20ms)]     a task made of several steps
//	100*cpu(10ms) in=1MB out=1KB       payloads sent to and from a worker process
//	8*cpu(100ms), 2*io(1s)             several groups
//	cpu(200ms) then 16*cpu(100ms)      phases: the second starts when the first is done
//	4*cpu(10ms), [cpu(20ms) fail]      a task that raises: it ends as failed
//	2*add(1000000)                     increments of one shared counter, no lock
//	2*add(1000000, lock)               … with a lock (or call, or shared: see Sync)
//	2*hash(100ms)                      C code that lets the GIL go while it computes
//
// Durations take ns, us (or µs), ms and s; sizes take B, KB, MB and GB (powers of 1024).
func ParseTasks(src string) (Tasks, error) {
	p := &parser{src: []rune(src)}
	ts, err := p.tasks()
	if err != nil {
		return Tasks{}, err
	}
	if n := ts.Count(); n > MaxTasks {
		return Tasks{}, &NotationError{Col: 1, Msg: fmt.Sprintf("%d tasks is more than the limit of %d", n, MaxTasks)}
	}
	return ts, nil
}

type parser struct {
	src []rune
	pos int
}

func (p *parser) fail(format string, args ...any) error {
	return &NotationError{Col: p.pos + 1, Msg: fmt.Sprintf(format, args...)}
}

func (p *parser) space() {
	for p.pos < len(p.src) && (p.src[p.pos] == ' ' || p.src[p.pos] == '\t') {
		p.pos++
	}
}

func (p *parser) peek() rune {
	if p.pos < len(p.src) {
		return p.src[p.pos]
	}
	return 0
}

// found describes what is at the cursor, for error messages.
func (p *parser) found() string {
	if p.pos >= len(p.src) {
		return "the end"
	}
	end := p.pos
	for end < len(p.src) && end-p.pos < 12 && !strings.ContainsRune(" ,()[]*=", p.src[end]) {
		end++
	}
	if end == p.pos {
		end++
	}
	return strconv.Quote(string(p.src[p.pos:end]))
}

func (p *parser) tasks() (Tasks, error) {
	var ts Tasks
	phase := 0
	for {
		p.space()
		g, err := p.group()
		if err != nil {
			return Tasks{}, err
		}
		g.Phase = phase
		ts.Groups = append(ts.Groups, g)
		p.space()
		switch p.peek() {
		case ',':
			p.pos++
		case 0:
			return ts, nil
		default:
			if !p.keyword("then") {
				return Tasks{}, p.fail("expected \",\" or the end after a task (or \"then\" before the next phase), found %s", p.found())
			}
			phase++
		}
	}
}

// keyword consumes word w when it is next, as a whole word.
func (p *parser) keyword(w string) bool {
	save := p.pos
	if p.word() == w {
		return true
	}
	p.pos = save
	return false
}

func (p *parser) group() (Group, error) {
	g := Group{Count: 1}
	if isDigit(p.peek()) {
		start := p.pos
		n, err := p.integer()
		if err != nil {
			return g, err
		}
		p.space()
		if p.peek() != '*' {
			return g, p.fail("expected \"*\" after the count %d, as in %d*cpu(10ms)", n, n)
		}
		if n < 1 || n > MaxTasks {
			p.pos = start
			return g, p.fail("count must be 1 to %d, got %d", MaxTasks, n)
		}
		p.pos++
		p.space()
		g.Count = n
	}
	if p.peek() == '[' {
		p.pos++
		for {
			p.space()
			if p.peek() == ']' {
				if len(g.Task.Steps) == 0 {
					return g, p.fail("expected a step such as cpu(10ms) inside [ ]")
				}
				p.pos++
				break
			}
			if p.peek() == 0 {
				return g, p.fail("expected \"]\" to close the task")
			}
			s, err := p.step()
			if err != nil {
				return g, err
			}
			g.Task.Steps = append(g.Task.Steps, s)
		}
	} else {
		s, err := p.step()
		if err != nil {
			return g, err
		}
		g.Task.Steps = []Step{s}
	}
	return g, p.payloads(&g.Task)
}

func (p *parser) payloads(t *Task) error {
	for {
		save := p.pos
		p.space()
		word := p.word()
		if word != "in" && word != "out" {
			p.pos = save
			return nil
		}
		if p.peek() != '=' {
			return p.fail("expected \"=\" after %q, as in %s=1KB", word, word)
		}
		p.pos++
		size, err := p.size()
		if err != nil {
			return err
		}
		if word == "in" {
			t.In = size
		} else {
			t.Out = size
		}
	}
}

func (p *parser) step() (Step, error) {
	start := p.pos
	word := p.word()
	var s Step
	switch word {
	case "cpu":
		s.Kind = CPU
	case "io":
		s.Kind = IO
	case "http":
		s.Kind = HTTP
	case "hash":
		s.Kind = Hash
	case "fail":
		s.Kind = Fail
		return s, nil
	case "add":
		s.Kind = Add
		return s, p.addArgs(&s)
	default:
		p.pos = start
		return s, p.fail("expected a step cpu(…), io(…), http(…), hash(…), fail or add(…), found %s", p.found())
	}
	if p.peek() != '(' {
		return s, p.fail("expected \"(\" after %s, as in %s(10ms)", word, word)
	}
	p.pos++
	p.space()
	d, err := p.duration()
	if err != nil {
		return s, err
	}
	p.space()
	if p.peek() != ')' {
		return s, p.fail("expected \")\" after the duration, found %s", p.found())
	}
	p.pos++
	s.D = d
	return s, nil
}

func (p *parser) word() string {
	start := p.pos
	for p.pos < len(p.src) && (p.src[p.pos] >= 'a' && p.src[p.pos] <= 'z' || p.src[p.pos] >= 'A' && p.src[p.pos] <= 'Z' || p.src[p.pos] == 'µ') {
		p.pos++
	}
	return strings.ToLower(string(p.src[start:p.pos]))
}

func (p *parser) integer() (int, error) {
	start := p.pos
	for isDigit(p.peek()) {
		p.pos++
	}
	n, err := strconv.Atoi(string(p.src[start:p.pos]))
	if err != nil {
		p.pos = start
		return 0, p.fail("number %s is too large", p.found())
	}
	return n, nil
}

// number reads a decimal such as 1, 2.5 or .5.
func (p *parser) number() (float64, bool) {
	start := p.pos
	for isDigit(p.peek()) || p.peek() == '.' {
		p.pos++
	}
	f, err := strconv.ParseFloat(string(p.src[start:p.pos]), 64)
	if err != nil || f < 0 {
		p.pos = start
		return 0, false
	}
	return f, true
}

var (
	durationUnits = map[string]float64{"ns": 1, "us": 1e3, "µs": 1e3, "ms": 1e6, "s": 1e9}
	sizeUnits     = map[string]float64{"b": 1, "kb": 1 << 10, "mb": 1 << 20, "gb": 1 << 30}
)

// MaxPayload bounds one payload (and one frame's): enough to make copying hurt, not
// enough to hurt the machine. See limits.go for the totals.
const MaxPayload = 64 << 20

func (p *parser) duration() (time.Duration, error) {
	ns, err := p.quantity(durationUnits, "a duration such as 100ms", "ns, us, ms or s", "a step", float64(MaxPlannedWork), MaxPlannedWork.String())
	return time.Duration(ns), err
}

func (p *parser) size() (int64, error) {
	n, err := p.quantity(sizeUnits, "a size such as 1KB", "B, KB, MB or GB", "a payload", MaxPayload, FormatSize(MaxPayload))
	return int64(n), err
}

// quantity reads a number and its unit, as in 1.5ms or 10MB, in the units' base
// (ns, bytes), refusing more than limit with an error at the number's column.
func (p *parser) quantity(units map[string]float64, example, unitNames, what string, limit float64, limitText string) (float64, error) {
	start := p.pos
	f, ok := p.number()
	if !ok {
		return 0, p.fail("expected %s, found %s", example, p.found())
	}
	unitAt := p.pos
	unit, known := units[p.word()] // word lowercases
	if !known {
		p.pos = unitAt
		return 0, p.fail("expected a unit %s after %g, found %s", unitNames, f, p.found())
	}
	if v := f * unit; v > limit {
		text := string(p.src[start:p.pos])
		p.pos = start
		return 0, p.fail("%s of %s is more than the %s limit", what, text, limitText)
	}
	return f * unit, nil
}

func isDigit(r rune) bool { return r >= '0' && r <= '9' }

// unit is one named power in a formatting scale, largest first.
type unit struct {
	name string
	size int64
}

var (
	sizeScale     = []unit{{"GB", 1 << 30}, {"MB", 1 << 20}, {"KB", 1 << 10}, {"B", 1}}
	durationScale = []unit{{"s", int64(time.Second)}, {"ms", int64(time.Millisecond)}, {"us", int64(time.Microsecond)}, {"ns", 1}}
)

// formatScaled spells n in the largest unit that divides it, so it reads back exactly;
// failing that, as a decimal of the largest unit below n.
func formatScaled(n int64, scale []unit) string {
	for _, u := range scale {
		if n >= u.size && n%u.size == 0 {
			return strconv.FormatInt(n/u.size, 10) + u.name
		}
	}
	for _, u := range scale {
		if n >= u.size {
			return strconv.FormatFloat(float64(n)/float64(u.size), 'g', 6, 64) + u.name
		}
	}
	return "0" + scale[len(scale)-1].name
}

// FormatSize spells a byte count the way the notation reads it.
func FormatSize(n int64) string { return formatScaled(n, sizeScale) }

func formatDuration(d time.Duration) string { return formatScaled(int64(d), durationScale) }
