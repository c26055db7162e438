package class

import (
	"sync"
	"sync/atomic"
	"time"

	"github.com/coreography/coreography/internal/timeline"
	"github.com/coreography/coreography/lessons"
	"github.com/coreography/coreography/ui"
)

// State is what every screen in the class shows; Phase is where the class is in a step.
type (
	State = ui.ClassState
	Phase = ui.ClassPhase
)

const (
	Reading  = ui.ClassReading
	Voting   = ui.ClassVoting
	Revealed = ui.ClassRevealed
	Running  = ui.ClassRunning
	Finished = ui.ClassFinished
)

// Record is one question's result, kept for the teacher's --json: counts only, never
// who answered what.
type Record struct {
	Lesson    string   `json:"lesson"`
	Step      int      `json:"step"`
	Question  string   `json:"question"`
	Choices   []string `json:"choices"`
	Tally     []int    `json:"tally"`
	Answered  int      `json:"answered"`
	Supported string   `json:"supported,omitempty"` // the choice the run supported
	Right     int      `json:"right"`
}

// Hub is the class: the state every screen shows, the students' answers, and the
// teacher's live run, sent to students no faster than their drawing can afford.
type Hub struct {
	mu      sync.Mutex
	state   *State
	seats   map[*Seat]struct{}
	answers map[*Seat]int // the open question's answers
	records []Record
	source  func() []*timeline.Trace // the live run's traces; nil when none is live
	teacher *Seat                    // the teacher's screen: told of every change, no student
	wake    chan struct{}            // a run began
	done    chan struct{}

	drawn    atomic.Int64 // ns students spent drawing frames since the last look
	interval atomic.Int64 // ns between the students' frames of a live run
}

// Frame rates of the students' view of a live run: the fastest, and the slowest it
// falls to when drawing for every student costs more than DrawBudget.
const (
	FastestFrame = time.Second / 15
	SlowestFrame = time.Second
	// DrawBudget is the share of one core the students' drawing may take while the
	// teacher's run is live; over it, the frame rate halves, so the measured run keeps
	// its cores.
	DrawBudget = 0.25
)

// NewHub starts a class with nothing on screen.
func NewHub() *Hub {
	h := &Hub{
		state:   &State{Supported: -1},
		seats:   map[*Seat]struct{}{},
		answers: map[*Seat]int{},
		wake:    make(chan struct{}, 1),
		done:    make(chan struct{}),
	}
	h.teacher = &Seat{hub: h, changed: make(chan struct{}, 1)}
	h.seats[h.teacher] = struct{}{}
	h.interval.Store(int64(FastestFrame))
	go h.broadcast()
	return h
}

// State is the latest state.
func (h *Hub) State() *State {
	h.mu.Lock()
	defer h.mu.Unlock()
	return h.state
}

// publish replaces the state with change applied to a copy and tells every seat.
// Called with h.mu held.
func (h *Hub) publish(change func(s *State)) {
	next := *h.state
	next.Seq++
	change(&next)
	next.Students = h.students()
	h.state = &next
	for s := range h.seats {
		s.poke()
	}
}

// Show puts step of lesson on every screen. A step with a prediction and a run
// opens the vote; coming back to the step on screen changes nothing.
func (h *Hub) Show(lesson *lessons.Lesson, step int) {
	h.mu.Lock()
	defer h.mu.Unlock()
	if h.state.Ended || (h.state.Lesson == lesson && h.state.Step == step) {
		return
	}
	h.source = nil
	clear(h.answers)
	h.publish(func(s *State) {
		s.Lesson, s.Step, s.Phase = lesson, step, Reading
		s.Tally, s.Answered, s.Supported, s.Right, s.Traces, s.Values = nil, 0, -1, 0, nil, nil
		if st := s.StepData(); st != nil && st.Predict != nil && st.Experiment != nil {
			s.Phase = Voting
		}
	})
}

// Reveal closes the vote and shows its tally on every screen.
func (h *Hub) Reveal() {
	h.mu.Lock()
	defer h.mu.Unlock()
	if h.state.Phase != Voting {
		return
	}
	h.publish(func(s *State) {
		s.Phase = Revealed
		s.Tally = h.tally()
	})
}

// Tally is the open question's answers so far, per choice: the teacher's strip shows
// them while students see only how many answered.
func (h *Hub) Tally() []int {
	h.mu.Lock()
	defer h.mu.Unlock()
	return h.tally()
}

// Changed receives when the state has changed since it last did: the teacher's screen.
func (h *Hub) Changed() <-chan struct{} { return h.teacher.changed }

func (h *Hub) tally() []int {
	st := h.state.StepData()
	if st == nil || st.Predict == nil {
		return nil
	}
	t := make([]int, len(st.Predict.Choices))
	for _, c := range h.answers {
		if c >= 0 && c < len(t) {
			t[c]++
		}
	}
	return t
}

// Live says the teacher's run has begun; source returns its traces so far and is
// called from the hub's own goroutine, at the students' frame rate.
func (h *Hub) Live(source func() []*timeline.Trace) {
	h.mu.Lock()
	defer h.mu.Unlock()
	if h.state.Ended {
		return
	}
	h.source = source
	h.publish(func(s *State) {
		if s.Phase == Voting {
			s.Tally = h.tally() // running closes the vote too
		}
		s.Phase, s.Traces = Running, source()
	})
	select {
	case h.wake <- struct{}{}:
	default:
	}
}

// Finish says the run ended with traces, measuring values and supporting choice
// supported (-1: none, or a run not judged), and keeps the question's record.
func (h *Hub) Finish(traces []*timeline.Trace, values map[string]float64, supported int) {
	h.mu.Lock()
	defer h.mu.Unlock()
	if h.state.Ended {
		return
	}
	h.source = nil
	right := 0
	for _, c := range h.answers {
		if supported >= 0 && c == supported {
			right++
		}
	}
	h.publish(func(s *State) {
		if s.Tally == nil {
			s.Tally = h.tally()
		}
		s.Phase, s.Traces, s.Values, s.Supported, s.Right = Finished, traces, values, supported, right
	})
	h.keep()
}

// keep records the question on screen, once it has a tally. Called with h.mu held.
func (h *Hub) keep() {
	s := h.state
	st := s.StepData()
	if st == nil || st.Predict == nil || s.Tally == nil {
		return
	}
	r := Record{Lesson: s.Lesson.ID, Step: s.Step + 1, Question: st.Predict.Question, Tally: s.Tally, Right: s.Right}
	for _, c := range st.Predict.Choices {
		r.Choices = append(r.Choices, c.Text)
	}
	for _, n := range s.Tally {
		r.Answered += n
	}
	if s.Supported >= 0 && s.Supported < len(r.Choices) {
		r.Supported = r.Choices[s.Supported]
	}
	for i, old := range h.records {
		if old.Lesson == r.Lesson && old.Step == r.Step {
			h.records[i] = r // asked again: the later answer stands
			return
		}
	}
	h.records = append(h.records, r)
}

// Records are the questions asked so far, in order.
func (h *Hub) Records() []Record {
	h.mu.Lock()
	defer h.mu.Unlock()
	return append([]Record(nil), h.records...)
}

// End ends the class: every screen shows it, and the hub stops.
func (h *Hub) End() {
	h.mu.Lock()
	defer h.mu.Unlock()
	if h.state.Ended {
		return
	}
	h.source = nil
	h.publish(func(s *State) { s.Ended = true })
	close(h.done)
}

// Done is closed when the class has ended.
func (h *Hub) Done() <-chan struct{} { return h.done }

var _ ui.ClassRoom = (*Hub)(nil)
var _ ui.ClassSeat = (*Seat)(nil)
