package ui

import (
	"time"

	"github.com/coreography/coreography/internal/timeline"
	"github.com/coreography/coreography/lessons"
)

// This file is what the class screens (the teacher's strip, a student's screen) need
// from a class: internal/class implements it, and serves the screens over SSH.

// ClassPhase is where the class is in a step.
type ClassPhase int

const (
	ClassReading  ClassPhase = iota // a step with no question open
	ClassVoting                     // the step's prediction is open: students answer
	ClassRevealed                   // the vote is closed and the tally shown; the run comes next
	ClassRunning                    // the teacher's run is live
	ClassFinished                   // the run ended: each student sees their own verdict
)

// ClassState is what every screen in a class shows, the same for all: a new value is
// made for each change and never modified, so screens share it without copying.
type ClassState struct {
	Seq    uint64
	Lesson *lessons.Lesson // the teacher's lesson; nil before one is open
	Step   int             // index into Lesson.Steps
	Phase  ClassPhase
	// Answered counts the answers while voting; Tally, per choice, is shown once
	// revealed (the choices stay hidden until then, so nobody follows the room).
	Answered  int
	Tally     []int
	Supported int                // the choice the run supports, once finished; -1 when none
	Right     int                // students who predicted it
	Values    map[string]float64 // what the run measured, once finished (lessons.Measured)
	Traces    []*timeline.Trace  // the teacher's run: live snapshots, then the finished runs
	Students  int
	Ended     bool
}

// StepData is the step on screen, or nil.
func (s *ClassState) StepData() *lessons.Step {
	if s == nil || s.Lesson == nil || s.Step < 0 || s.Step >= len(s.Lesson.Steps) {
		return nil
	}
	return &s.Lesson.Steps[s.Step]
}

// ClassSeat is one student's place in a class: what their screen draws, and the only
// thing a student can send, an answer.
type ClassSeat interface {
	State() *ClassState
	Changed() <-chan struct{} // receives when the state has changed since it last did
	Answer(choice int) bool
	Mine() int               // the student's answer to the open question, or -1
	Drew(took time.Duration) // how long a frame of the run took to draw: paces the frame rate
}

// ClassRoom is the class the teacher's player drives.
type ClassRoom interface {
	Show(l *lessons.Lesson, step int)
	Reveal()
	Live(source func() []*timeline.Trace)
	Finish(traces []*timeline.Trace, values map[string]float64, supported int)
	State() *ClassState
	Tally() []int // the open question's answers so far, per choice: the teacher sees them
	Changed() <-chan struct{}
}

// ClassInfo is a class the app's player serves: the room, and what students type to join.
type ClassInfo struct {
	Room ClassRoom
	Join string // "ssh -p 2222 class@192.0.2.10"
	Code string
}
