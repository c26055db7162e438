package ui

import (
	"context"
	"strings"
	"sync"
	"testing"
	"time"

	tea "charm.land/bubbletea/v2"

	"github.com/coreography/coreography/internal/experiment"
	"github.com/coreography/coreography/internal/timeline"
	"github.com/coreography/coreography/lessons"
	"github.com/coreography/coreography/ui/internal/uitest"
	"github.com/coreography/coreography/ui/panel"
)

// classLesson asks, runs two GIL threads, and has notes for the presenter alone.
const classLesson = "---\nid: cl\ntitle: Class lesson\nminutes: 1\nsummary: s\n---\n# One\n\nIntro text.\n\n```notes\nPRESENTER ONLY: ask the room.\n```\n---\n# Two\n\nBefore the run.\n\n" +
	"```experiment\nmodel: gil\nworkers: 2\ntasks: 4*cpu(50ms)\n```\n\n" +
	"```predict\nquestion: How fast?\nchoices:\n  - text: twice\n    when: speedup >= 1.5\n  - text: the same\n    when: speedup < 1.5\nanswer: the same\n```\n\nAfter the run: {{speedup}}.\n"

// fakeRoom is a class the player teaches, recording what it was told.
type fakeRoom struct {
	mu        sync.Mutex
	state     ClassState
	shown     []int
	reveals   int
	source    func() []*timeline.Trace
	supported int
	finished  bool
	changed   chan struct{}
}

func newFakeRoom() *fakeRoom {
	return &fakeRoom{changed: make(chan struct{}, 1), supported: -2, state: ClassState{Supported: -1}}
}

func (r *fakeRoom) Show(l *lessons.Lesson, step int) {
	r.mu.Lock()
	defer r.mu.Unlock()
	r.shown = append(r.shown, step)
	r.state.Lesson, r.state.Step, r.state.Phase = l, step, ClassReading
	if st := r.state.StepData(); st != nil && st.Predict != nil {
		r.state.Phase = ClassVoting
	}
}
func (r *fakeRoom) Reveal() { r.mu.Lock(); r.reveals++; r.state.Phase = ClassRevealed; r.mu.Unlock() }
func (r *fakeRoom) Live(source func() []*timeline.Trace) {
	r.mu.Lock()
	r.source, r.state.Phase = source, ClassRunning
	r.mu.Unlock()
}
func (r *fakeRoom) Finish(_ []*timeline.Trace, _ map[string]float64, supported int) {
	r.mu.Lock()
	r.supported, r.finished, r.state.Phase, r.state.Right = supported, true, ClassFinished, 3
	r.state.Supported, r.state.Tally = supported, []int{2, 1}
	r.mu.Unlock()
}
func (r *fakeRoom) State() *ClassState {
	r.mu.Lock()
	defer r.mu.Unlock()
	st := r.state
	st.Students = 5
	return &st
}
func (r *fakeRoom) Tally() []int             { return []int{2, 1} }
func (r *fakeRoom) Changed() <-chan struct{} { return r.changed }

func classPlayer(t *testing.T, room *fakeRoom, notes bool) *lessonPlayer {
	t.Helper()
	p := newLessonPlayer(uitest.Common(&uitest.Runner{}), uitest.Lesson(t, classLesson), 0, nil)
	if room != nil {
		p.class = &ClassInfo{Room: room, Join: "ssh -p 2222 class@192.0.2.10", Code: "otter-42"}
	}
	p.notes = notes
	p.SetSize(100, 30)
	return p
}

// Speaker notes show to a presenter (--present --notes, or a class's teacher) and to
// nobody else: not in the player without --notes, not on a student's screen.
func TestNotesOnlyForThePresenter(t *testing.T) {
	if v := uitest.Plain(classPlayer(t, nil, false).View()); strings.Contains(v, "PRESENTER ONLY") {
		t.Errorf("the player without --notes shows the notes:\n%s", v)
	}
	if v := uitest.Plain(classPlayer(t, nil, true).View()); !strings.Contains(v, "PRESENTER ONLY") {
		t.Errorf("the player with --notes does not show them:\n%s", v)
	}
	seat := &fakeSeat{changed: make(chan struct{}, 1), mine: -1}
	seat.set(ClassState{Lesson: uitest.Lesson(t, classLesson), Students: 1, Supported: -1})
	m := NewClassStudent(seat, nil).(*classStudent)
	m.Update(tea.WindowSizeMsg{Width: 100, Height: 30})
	m.Update(classChangedMsg{})
	if v := uitest.Plain(m.screen()); !strings.Contains(v, "Intro text") || strings.Contains(v, "PRESENTER ONLY") {
		t.Errorf("a student's screen shows the notes, or not the step:\n%s", v)
	}
}

// The teacher's player tells the room each step, reveals on t, runs without a
// prediction of its own, sends the live run and says which choice it supported; the
// strip counts the students and the answers.
func TestPlayerTeachesClass(t *testing.T) {
	room := newFakeRoom()
	p := classPlayer(t, room, false)
	p.Init()
	p.Update(uitest.Key("n"))
	if len(room.shown) == 0 || room.shown[len(room.shown)-1] != 1 {
		t.Fatalf("the room was shown steps %v, want the second last", room.shown)
	}
	v := uitest.Plain(p.View())
	for _, want := range []string{"class: ssh -p 2222 class@192.0.2.10 · code otter-42 · 5 students", "3 answered", "1 ████████ 2"} {
		if !strings.Contains(v, want) {
			t.Errorf("the strip lacks %q:\n%s", want, v)
		}
	}
	p.Update(uitest.Key("t"))
	if room.reveals != 1 {
		t.Errorf("t revealed %d times, want 1", room.reveals)
	}
	cmd := p.Update(uitest.Key("r"))
	if room.source == nil {
		t.Fatal("r ran nothing for the room (the teacher predicts nothing, and must not be asked to)")
	}
	uitest.Pump(t, p.Update, cmd, func(msg tea.Msg) bool { return room.finished })
	if room.supported != 1 {
		t.Errorf("the run supported choice %d, want 1 (the fake GIL run is no faster)", room.supported)
	}
	if v := uitest.Plain(p.View()); !strings.Contains(v, "3 predicted right") {
		t.Errorf("after the run the strip does not count who was right:\n%s", v)
	}
}

// fakeSeat is a student's seat with a state set by the test.
type fakeSeat struct {
	mu      sync.Mutex
	st      ClassState
	changed chan struct{}
	mine    int
	drew    time.Duration
}

func (s *fakeSeat) set(st ClassState) {
	s.mu.Lock()
	s.st = st
	s.mu.Unlock()
	select {
	case s.changed <- struct{}{}:
	default:
	}
}
func (s *fakeSeat) State() *ClassState       { s.mu.Lock(); defer s.mu.Unlock(); st := s.st; return &st }
func (s *fakeSeat) Changed() <-chan struct{} { return s.changed }
func (s *fakeSeat) Answer(c int) bool {
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.st.Phase != ClassVoting {
		return false
	}
	s.mine = c
	return true
}
func (s *fakeSeat) Mine() int            { s.mu.Lock(); defer s.mu.Unlock(); return s.mine }
func (s *fakeSeat) Drew(d time.Duration) { s.mu.Lock(); s.drew += d; s.mu.Unlock() }

// A student answers with a key, sees the run drawn from the teacher's traces at their
// own size, then their own verdict; the class's end ends the program.
func TestStudentScreen(t *testing.T) {
	l := uitest.Lesson(t, classLesson)
	seat := &fakeSeat{changed: make(chan struct{}, 1), mine: -1}
	m := NewClassStudent(seat, nil).(*classStudent)
	m.Update(tea.WindowSizeMsg{Width: 80, Height: 24})
	show := func(st ClassState) string {
		t.Helper()
		st.Lesson, st.Step, st.Students = l, 1, 2
		seat.set(st)
		m.Update(classChangedMsg{})
		v := uitest.Plain(m.screen())
		uitest.CheckWidth(t, m.screen(), 80)
		if n := strings.Count(v, "\n") + 1; n > 24 {
			t.Errorf("%d lines on a 24-line screen:\n%s", n, v)
		}
		return v
	}
	v := show(ClassState{Phase: ClassVoting, Answered: 1, Supported: -1})
	for _, want := range []string{"Before the run", "How fast?", "1) twice", "2) the same", "1 of 2 answered"} {
		if !strings.Contains(v, want) {
			t.Errorf("voting: the screen lacks %q:\n%s", want, v)
		}
	}
	m.Update(uitest.Key("2"))
	if seat.Mine() != 1 || !strings.Contains(uitest.Plain(m.screen()), "[2] the same") {
		t.Errorf("the key 2 did not answer the second choice:\n%s", uitest.Plain(m.screen()))
	}
	trace := uitest.Trace(t, experiment.GIL, 2, "4*cpu(50ms)")
	live := *trace
	live.Live = true
	v = show(ClassState{Phase: ClassRunning, Tally: []int{0, 2}, Traces: []*timeline.Trace{&live}, Supported: -1})
	if !strings.Contains(v, "T1") || !strings.Contains(v, "tally") {
		t.Errorf("running: no lanes or no tally:\n%s", v)
	}
	if seat.drew <= 0 {
		t.Error("the student's drawing of a live frame was not reported to pace the frame rate")
	}
	v = show(ClassState{Phase: ClassFinished, Tally: []int{0, 2}, Traces: []*timeline.Trace{trace}, Supported: 1, Right: 2,
		Values: map[string]float64{"speedup": 1.01}})
	if !strings.Contains(v, "✓ right: you said \"the same\"") || !strings.Contains(v, "After the run: 1.01×") {
		t.Errorf("finished: no verdict of the student's own, or the text not filled:\n%s", v)
	}
	seat.set(ClassState{Ended: true})
	if _, cmd := m.Update(classChangedMsg{}); cmd == nil || cmd() != tea.Quit() {
		t.Error("the end of the class did not end the student's program")
	}
}

// open --watch: a reloaded lesson replaces the text on the same step; a broken one
// shows its errors; a fixed one comes back.
func TestPlayerReloads(t *testing.T) {
	p := classPlayer(t, nil, false)
	p.Update(uitest.Key("n"))
	p.Update(LessonReloadedMsg{Lesson: uitest.Lesson(t, strings.Replace(classLesson, "Before the run.", "Rewritten before the run.", 1))})
	if v := uitest.Plain(p.View()); !strings.Contains(v, "Rewritten before the run.") || !strings.Contains(v, "step 2/2") {
		t.Errorf("after a reload:\n%s", v)
	}
	_, errs := lessons.Parse("my.md", []byte(strings.Replace(classLesson, "model: gil", "model: gill", 1)))
	p.Update(LessonReloadedMsg{Errs: errs})
	if v := uitest.Plain(p.View()); !strings.Contains(v, "my.md:20:8") {
		t.Errorf("a broken save does not show file:line:col:\n%s", v)
	}
	p.Update(LessonReloadedMsg{Lesson: uitest.Lesson(t, classLesson)})
	if v := uitest.Plain(p.View()); !strings.Contains(v, "Before the run.") || !strings.Contains(v, "step 2/2") {
		t.Errorf("after the fix:\n%s", v)
	}
}

// countingRunner records whether it was asked for a real run.
type countingRunner struct {
	uitest.Runner
	mu         sync.Mutex
	sims, real int
}

func (r *countingRunner) Run(ctx context.Context, spec experiment.Spec, rec *timeline.Recorder) error {
	r.mu.Lock()
	if spec.Sim {
		r.sims++
	} else {
		r.real++
	}
	r.mu.Unlock()
	return r.Runner.Run(ctx, spec, rec)
}

// Between the teacher's runs a student's lab runs the model only: a real run is
// refused before it reaches any engine, and the teacher's run closes the lab.
func TestStudentLabModelOnly(t *testing.T) {
	l := uitest.Lesson(t, classLesson)
	seat := &fakeSeat{changed: make(chan struct{}, 1), mine: -1}
	sim := &countingRunner{}
	m := NewClassStudent(seat, sim).(*classStudent)
	m.Update(tea.WindowSizeMsg{Width: 100, Height: 30})
	seat.set(ClassState{Lesson: l, Step: 1, Phase: ClassFinished, Supported: -1, Students: 1})
	m.Update(classChangedMsg{})
	m.Update(uitest.Key("L"))
	if m.lab == nil || !strings.Contains(uitest.Plain(m.screen()), "your lab: the model only") {
		t.Fatalf("L did not open the student's lab:\n%s", uitest.Plain(m.screen()))
	}
	update := func(msg tea.Msg) tea.Cmd { _, cmd := m.Update(msg); return cmd }
	uitest.Pump(t, update, update(uitest.Key("r")), func(msg tea.Msg) bool { _, ok := msg.(panel.RunsDoneMsg); return ok })
	update(uitest.Key("S")) // to a real run
	uitest.Pump(t, update, update(uitest.Key("r")), func(msg tea.Msg) bool { _, ok := msg.(panel.RunsDoneMsg); return ok })
	if sim.sims != 1 || sim.real != 0 {
		t.Errorf("the lab ran %d model runs and %d real ones; want 1 and none", sim.sims, sim.real)
	}
	if v := uitest.Plain(m.screen()); !strings.Contains(v, "model only") {
		t.Errorf("a refused real run does not say why:\n%s", v)
	}
	seat.set(ClassState{Lesson: l, Step: 1, Phase: ClassRunning, Supported: -1, Students: 1})
	m.Update(classChangedMsg{})
	if m.lab != nil {
		t.Error("the teacher's run left the student in the lab")
	}
}
