package e2e

import (
	"fmt"
	"strings"
	"testing"
	"time"
)

// TestGilCloseUpShowsHandOffs plays the built-in gil lesson as a new learner at
// 100×30 and 80×24: predict, run, and with no further key a thread lane of the
// close-up shows the GIL changing hands, at least three running and three waiting
// stretches each at least two columns wide. A disturbed run is drawn all the same,
// but other programs may have held a thread off its core for a whole close-up; the
// player then offers r, and the test takes it, twice at most. An undisturbed run
// must show the hand-offs.
func TestGilCloseUpShowsHandOffs(t *testing.T) {
	for _, size := range []struct{ w, h int }{{100, 30}, {80, 24}} {
		t.Run(fmt.Sprintf("%dx%d", size.w, size.h), func(t *testing.T) {
			p := newPane(t)
			p.tmux("resize-window", "-t", "e2e", "-x", fmt.Sprint(size.w), "-y", fmt.Sprint(size.h))
			p.typeLine(fmt.Sprintf("%q open gil", binary))
			p.waitFor("the lesson's first step", 10*time.Second, contains("Threads and the GIL", "step 1/"))
			p.keys("n")
			p.waitFor("the prediction", 5*time.Second, contains("step 2/", "3) about the same"))
			p.keys("3", "r")
			for try := 1; ; try++ {
				s := p.waitFor("the close-up after the run", 30*time.Second, contains("close up", "done in"))
				lane, ok := closeUpLane(s, "T1")
				if !ok {
					t.Fatalf("no T1 lane under the close-up title")
				}
				run, wait := stretches(lane, '█'), stretches(lane, '░')
				t.Logf("close-up T1: %d running and %d waiting stretches of 2+ columns: %s", run, wait, lane)
				if run >= 3 && wait >= 3 {
					break
				}
				if !strings.Contains(s, "was disturbed") {
					t.Errorf("the close-up's T1 shows %d running and %d waiting stretches of 2+ columns, want 3 each", run, wait)
					break
				}
				if try == 3 {
					p.quitAndCheck()
					t.Skip("every run was disturbed by other programs: its hand-offs are not the GIL's alone")
				}
				p.keys("r")
				p.waitFor("the run again", 10*time.Second, func(s string) bool { return !strings.Contains(s, "was disturbed") })
			}
			p.quitAndCheck()
		})
	}
}

// closeUpLane is the lane labelled label below the "close up" line of screen.
func closeUpLane(screen, label string) (string, bool) {
	_, below, ok := strings.Cut(screen, "close up")
	if !ok {
		return "", false
	}
	for _, l := range strings.Split(below, "\n") {
		if strings.HasPrefix(l, label+" ") {
			return l[len(label):], true
		}
	}
	return "", false
}

// stretches counts the runs of r at least two cells long in line.
func stretches(line string, r rune) int {
	n, run := 0, 0
	for _, c := range line + "\x00" {
		if c == r {
			run++
			continue
		}
		if run >= 2 {
			n++
		}
		run = 0
	}
	return n
}
