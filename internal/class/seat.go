package class

import "time"

// Seat is one screen's place in the class: a student's, or the teacher's own view of
// the room (which counts as no student). It holds at most one pending change, never a queue: a slow screen skips
// to the latest state, so what a seat holds stays bounded however far it falls behind.
type Seat struct {
	hub     *Hub
	student bool
	changed chan struct{}
}

// Join seats a student; Leave gives the seat up.
func (h *Hub) Join() *Seat {
	s := &Seat{hub: h, student: true, changed: make(chan struct{}, 1)}
	h.mu.Lock()
	defer h.mu.Unlock()
	h.seats[s] = struct{}{}
	h.publish(func(*State) {}) // the count of students changed
	return s
}

// Students is how many students are seated.
func (h *Hub) students() int {
	n := 0
	for s := range h.seats {
		if s.student {
			n++
		}
	}
	return n
}

func (s *Seat) poke() {
	select {
	case s.changed <- struct{}{}:
	default: // one change is pending already: the state read then will be the latest
	}
}

// Changed receives when the state has changed since it last did.
func (s *Seat) Changed() <-chan struct{} { return s.changed }

// State is the class's latest state.
func (s *Seat) State() *State { return s.hub.State() }

// Answer records the student's choice while the vote is open, replacing an earlier
// one; it reports whether it counted.
func (s *Seat) Answer(choice int) bool {
	h := s.hub
	h.mu.Lock()
	defer h.mu.Unlock()
	st := h.state.StepData()
	if !s.student || h.state.Phase != Voting || st == nil || st.Predict == nil || choice < 0 || choice >= len(st.Predict.Choices) {
		return false
	}
	h.answers[s] = choice
	h.publish(func(x *State) { x.Answered = len(h.answers) })
	return true
}

// Mine is the student's answer to the question on screen, or -1.
func (s *Seat) Mine() int {
	h := s.hub
	h.mu.Lock()
	defer h.mu.Unlock()
	if c, ok := h.answers[s]; ok {
		return c
	}
	return -1
}

// Drew tells the hub how long the seat's screen took to draw a frame of the run: what
// the students' frame rate is paced by.
func (s *Seat) Drew(d time.Duration) { s.hub.drawn.Add(int64(d)) }

// Leave gives the seat up; an answer given stays counted. Changed is closed then.
func (s *Seat) Leave() {
	h := s.hub
	h.mu.Lock()
	defer h.mu.Unlock()
	if _, ok := h.seats[s]; !ok {
		return
	}
	delete(h.seats, s)
	close(s.changed) // a screen waiting on it stops waiting; nothing pokes it now
	if s.student && !h.state.Ended {
		h.publish(func(*State) {})
	}
}

// broadcast sends a live run's frames to every seat at the current frame interval,
// and paces that interval by what drawing them costs.
func (h *Hub) broadcast() {
	for {
		select {
		case <-h.done:
			return
		case <-h.wake:
		}
		h.stream()
	}
}

// stream sends frames while a run is live.
func (h *Hub) stream() {
	paced := time.Now()
	h.drawn.Store(0)
	for {
		interval := time.Duration(h.interval.Load())
		select {
		case <-h.done:
			return
		case <-time.After(interval):
		}
		if since := time.Since(paced); since >= time.Second {
			h.pace(time.Duration(h.drawn.Swap(0)), since)
			paced = time.Now()
		}
		h.mu.Lock()
		source := h.source
		h.mu.Unlock()
		if source == nil {
			return
		}
		traces := source() // outside the lock: snapshots are cheap but not free
		h.mu.Lock()
		if h.source != nil && h.state.Phase == Running {
			h.publish(func(s *State) { s.Traces = traces })
		}
		h.mu.Unlock()
	}
}

// pace halves the frame rate when the students' drawing took more than DrawBudget of
// a core over elapsed, and doubles it back when it took under a third of that.
func (h *Hub) pace(drawn, elapsed time.Duration) {
	share := float64(drawn) / float64(elapsed)
	iv := time.Duration(h.interval.Load())
	switch {
	case share > DrawBudget:
		iv = min(iv*2, SlowestFrame)
	case share < DrawBudget/3:
		iv = max(iv/2, FastestFrame)
	}
	h.interval.Store(int64(iv))
}

// FrameInterval is the time between the students' frames of a live run now.
func (h *Hub) FrameInterval() time.Duration { return time.Duration(h.interval.Load()) }
