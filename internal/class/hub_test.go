package class

import (
	"testing"
	"time"

	"github.com/coreography/coreography/internal/timeline"
	"github.com/coreography/coreography/lessons"
)

const voteLesson = "---\nid: v\ntitle: V\nminutes: 1\nsummary: s\n---\nIntro.\n---\nRun.\n\n```experiment\nmodel: serial\ntasks: 2*cpu(1ms)\n```\n\n```predict\nquestion: q?\nchoices: [a, b, c]\nanswer: a\n```\n"

func voting(t *testing.T) (*Hub, *lessons.Lesson) {
	t.Helper()
	l, errs := lessons.Parse("v.md", []byte(voteLesson))
	if len(errs) > 0 {
		t.Fatal(errs)
	}
	h := NewHub()
	t.Cleanup(h.End)
	h.Show(l, 0)
	if h.State().Phase != Reading {
		t.Fatalf("a step without a question: phase %v", h.State().Phase)
	}
	h.Show(l, 1)
	return h, l
}

// The vote: answers count while it is open (a changed answer once), students see how
// many answered but not what until the reveal, and the record keeps counts only.
func TestHubVote(t *testing.T) {
	h, _ := voting(t)
	a, b, c := h.Join(), h.Join(), h.Join()
	defer a.Leave()
	if st := h.State(); st.Phase != Voting || st.Students != 3 {
		t.Fatalf("phase %v, %d students; want voting, 3", st.Phase, st.Students)
	}
	if !a.Answer(0) || !b.Answer(2) || !b.Answer(1) || c.Answer(7) {
		t.Fatal("answers were refused, or an answer out of range was taken")
	}
	if st := h.State(); st.Answered != 2 || st.Tally != nil {
		t.Fatalf("while voting students see answered %d and tally %v; want 2 and none", st.Answered, st.Tally)
	}
	if got := h.Tally(); got[0] != 1 || got[1] != 1 || got[2] != 0 {
		t.Fatalf("the teacher's tally %v", got)
	}
	h.Reveal()
	if c.Answer(0) {
		t.Error("an answer after the reveal counted")
	}
	if st := h.State(); st.Phase != Revealed || st.Tally[0] != 1 || st.Tally[1] != 1 {
		t.Fatalf("after the reveal: phase %v tally %v", st.Phase, st.Tally)
	}
	frames := 0
	h.Live(func() []*timeline.Trace { frames++; return nil })
	if h.State().Phase != Running {
		t.Fatal("not running after Live")
	}
	h.Finish(nil, map[string]float64{"speedup": 1}, 1)
	st := h.State()
	if st.Phase != Finished || st.Right != 1 || st.Supported != 1 {
		t.Fatalf("after the run: phase %v right %d supported %d", st.Phase, st.Right, st.Supported)
	}
	if a.Mine() != 0 || b.Mine() != 1 || c.Mine() != -1 {
		t.Errorf("own answers %d %d %d, want 0 1 -1", a.Mine(), b.Mine(), c.Mine())
	}
	recs := h.Records()
	if len(recs) != 1 || recs[0].Answered != 2 || recs[0].Supported != "b" || recs[0].Right != 1 || recs[0].Step != 2 {
		t.Fatalf("records %+v", recs)
	}
	b.Leave()
	c.Leave()
	if h.State().Students != 1 {
		t.Errorf("%d students after two left, want 1", h.State().Students)
	}
}

// A seat holds one pending change however many happen: a slow screen skips to the
// latest state instead of queueing them.
func TestSeatKeepsOneChange(t *testing.T) {
	h, l := voting(t)
	s := h.Join()
	for range 1000 {
		h.Show(l, 0)
		h.Show(l, 1)
	}
	<-s.Changed()
	select {
	case <-s.Changed():
		t.Fatal("a second change was queued")
	default:
	}
	if h.State().Step != 1 {
		t.Error("the latest state is not the last shown")
	}
}

// The live run reaches seats at the frame rate, from the hub's own goroutine, and
// the rate falls when drawing costs more than the budget.
func TestLiveFramesPaced(t *testing.T) {
	h, _ := voting(t)
	s := h.Join()
	frames := make(chan struct{}, 100)
	h.Live(func() []*timeline.Trace {
		select {
		case frames <- struct{}{}:
		default:
		}
		return []*timeline.Trace{{}}
	})
	for range 3 {
		select {
		case <-frames:
		case <-time.After(5 * time.Second):
			t.Fatal("no frames while a run is live")
		}
	}
	if len(h.State().Traces) != 1 {
		t.Error("a frame's traces did not reach the state")
	}
	<-s.Changed()
	h.pace(time.Second, time.Second) // drawing took a whole core
	if h.FrameInterval() != 2*FastestFrame {
		t.Errorf("after a costly second the interval is %v, want %v", h.FrameInterval(), 2*FastestFrame)
	}
	for range 10 {
		h.pace(time.Second, time.Second)
	}
	if h.FrameInterval() != SlowestFrame {
		t.Errorf("the interval went to %v, want at most %v", h.FrameInterval(), SlowestFrame)
	}
	h.pace(0, time.Second)
	if h.FrameInterval() != SlowestFrame/2 {
		t.Errorf("after a cheap second the interval is %v, want %v", h.FrameInterval(), SlowestFrame/2)
	}
}
