package timeline

import "time"

// This file is the slow-motion lens: while a replay runs slowed down, the timeline
// shows a window narrow enough for the playhead to cross in a few seconds, so a
// replay at 0.01× draws about 30 ms across the screen and a 5 ms GIL hand-off takes
// a sixth of it, instead of keeping the whole run in view where each hand-off is
// narrower than a column. When the replay ends, or goes back to 1×, the zoom and pan
// the learner had come back.

// lensCrossing is how long the playhead takes to cross a slowed replay's window:
// long enough to follow a hand-off with the eye, short enough that the picture
// keeps moving. At 0.01× the window is 30 ms, at 0.1× 300 ms.
const lensCrossing = 3 * time.Second

// lensWidth is the window a replay at speed shows, in ns: 0 (no lens) at full speed.
func LensWidth(speed float64) int64 {
	if speed >= 1 || speed <= 0 {
		return 0
	}
	return max(int64(float64(lensCrossing)*speed), minWindow)
}

// lens is a window width laid over the timeline's zoom while a slowed replay runs,
// and the zoom and pan it put aside.
type lens struct {
	base  int64   // the width the replay's speed asks for; 0: no lens
	scale float64 // the learner's zoom on top of it: 2 is half as wide
	saved struct {
		start  int64
		follow bool
	}
}

func (l *lens) on() bool { return l.base > 0 }

// width is the window the lens shows, never narrower than zoom reaches.
func (l *lens) width() int64 { return max(int64(float64(l.base)/l.scale), minWindow) }

// narrows reports whether the lens shows less than a domain ns run.
func (l *lens) narrows(domain int64) bool { return l.on() && l.width() < domain }

func (l *lens) zoomIn() {
	if l.width()/2 >= minWindow {
		l.scale *= 2
	}
}

func (l *lens) zoomOut(domain int64) {
	if l.width() < domain {
		l.scale /= 2
	}
}

// SetLens lays a window width ns wide over the zoom, following now, for a slowed
// replay; 0 takes it away and brings back the window the learner had. Setting the
// width it already has changes nothing, so the learner's zoom within it stays.
func (t *Timeline) SetLens(width int64) {
	switch {
	case width == t.lens.base:
		return
	case width <= 0:
		t.start, t.follow = t.lens.saved.start, t.lens.saved.follow
		t.lens = lens{}
		return
	case !t.lens.on():
		t.lens.saved.start, t.lens.saved.follow = t.start, t.follow
		t.follow = true
	}
	t.lens.base, t.lens.scale = width, 1
}
