package procwatch

import "testing"

// The GIL counter's criterion, one sample at a time: a hand-off is a thread that runs
// after it was seen asleep in a timed wait, while another held the GIL last.
func TestGILCounterCountsTakeOversAfterAWait(t *testing.T) {
	const ran = ranAtLeast
	steps := []struct {
		name    string
		pid     int32
		threads []holder
		want    int64
	}{
		{"the first holder is no hand-off", 1, []holder{{tid: 1, ran: ran, running: true}}, 0},
		{"a running thread whose CPU is not counted yet", 1, []holder{{tid: 1, running: true}}, 0},
		{"taking over after a wait, as the last holder stops", 1, []holder{{tid: 1, ran: ran}, {tid: 2, ran: ran, waited: true, running: true}}, 1},
		{"the new holder's CPU arriving all at once", 1, []holder{{tid: 2, ran: 40 * ran, running: true}}, 0},
		{"back to the first after its wait", 1, []holder{{tid: 1, ran: ran, waited: true}, {tid: 2, ran: ran}}, 1},
		{"too short a run to have held it", 1, []holder{{tid: 2, ran: ran - 1, waited: true}}, 0},
		{"the last holder again after a wait of its own", 1, []holder{{tid: 1, ran: ran, waited: true, running: true}}, 0},
		{"two threads time-sliced on one core", 2, []holder{{tid: 3, ran: ran, running: true}}, 0},
		{"the other's turn on the core", 2, []holder{{tid: 3, ran: ran, running: true}, {tid: 4, ran: ran, running: true}}, 0},
		{"and back", 2, []holder{{tid: 3, ran: ran, running: true}}, 0},
	}
	var g gilCounter
	for _, s := range steps {
		if got := g.interval(s.pid, s.threads); got != s.want {
			t.Errorf("%s: %d hand-offs, want %d", s.name, got, s.want)
		}
	}
}
