package e2e

import (
	"fmt"
	"net"
	"os/exec"
	"strings"
	"testing"
	"time"
)

// freePort is a loopback port nothing listens on now.
func freePort(t *testing.T) int {
	t.Helper()
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	defer ln.Close()
	return ln.Addr().(*net.TCPAddr).Port
}

// laneLines are the screen's lines that draw a worker's lane of the run.
func laneLines(screen string) string {
	var out []string
	for _, l := range strings.Split(screen, "\n") {
		if f := strings.Fields(l); len(f) > 0 && (f[0] == "T1" || f[0] == "T2") {
			out = append(out, l)
		}
	}
	return strings.Join(out, "\n")
}

// lanesMoveWithin reports how a student's lanes failed to move within limit of now,
// or "" when every student's did.
func lanesMoveWithin(limit time.Duration, students map[string]*pane) string {
	start := time.Now()
	for name, s := range students {
		first := s.waitFor("student "+name+"'s lanes", 5*time.Second, func(sc string) bool { return laneLines(sc) != "" })
		s.waitFor("student "+name+"'s lanes moving", 5*time.Second, func(sc string) bool {
			return laneLines(sc) != "" && laneLines(sc) != laneLines(first)
		})
		if took := time.Since(start); took > limit {
			return fmt.Sprintf("student %s's lanes moved %v after r, want within %v", name, took.Round(time.Millisecond), limit)
		}
	}
	return ""
}

// A class over real OpenSSH clients: two students join with the code, a third gives
// a wrong one and is refused; the teacher opens gil and reaches its prediction; the
// students answer differently; the teacher's strip counts two answers; the teacher
// reveals and runs; each student's lanes move within a second, and each sees their
// own verdict after the run; q ends the class for everyone.
func TestClassOverSSH(t *testing.T) {
	if _, err := exec.LookPath("ssh"); err != nil {
		t.Skip("ssh is not installed (apt-get install openssh-client)")
	}
	teacher := newPane(t)
	port := freePort(t)
	teacher.typeLine(fmt.Sprintf("%q class --listen 127.0.0.1:%d --code test --json gil", binary, port))
	teacher.waitFor("the class's first step", 15*time.Second, contains("Threads and the GIL", "0 students"))

	join := func(code string) *pane {
		s := newPane(t)
		s.typeLine(fmt.Sprintf("ssh -o StrictHostKeyChecking=no -o UserKnownHostsFile=/dev/null -p %d class@127.0.0.1", port))
		s.waitFor("the join code prompt", 15*time.Second, func(sc string) bool {
			return strings.Contains(sc, "Join code:") || strings.Contains(sc, "password:")
		})
		s.typeLine(code)
		return s
	}
	a, b := join("test"), join("test")
	for _, s := range []*pane{a, b} {
		s.waitFor("the teacher's step on the student's screen", 15*time.Second, contains("Threads and the GIL"))
	}
	teacher.waitFor("two students in the strip", 10*time.Second, contains("2 students"))

	wrong := join("not-the-code")
	wrong.waitFor("the wrong code refused", 60*time.Second, func(sc string) bool {
		if strings.Contains(sc, "Permission denied") {
			return true
		}
		// OpenSSH asks again after a wrong code: give it wrong ones until it gives up.
		lines := strings.Split(strings.TrimRight(sc, "\n"), "\n")
		if last := lines[len(lines)-1]; strings.HasSuffix(last, "Join code:") || strings.HasSuffix(last, "password:") {
			wrong.typeLine("not-the-code")
		}
		return false
	})
	if strings.Contains(wrong.screen(), "Threads and the GIL") {
		t.Fatal("a wrong code reached the class")
	}

	teacher.keys("n")
	teacher.waitFor("the teacher at the prediction", 10*time.Second, contains("How much faster", "0 answered"))
	for _, s := range []*pane{a, b} {
		s.waitFor("the prediction on the student's screen", 10*time.Second, contains("How much faster", "1) about twice"))
	}
	a.keys("1")
	b.keys("3")
	a.waitFor("student A's own answer marked", 5*time.Second, contains("[1] about twice"))
	b.waitFor("student B's own answer marked", 5*time.Second, contains("[3] about the same"))
	teacher.waitFor("two answers in the teacher's strip", 10*time.Second, contains("2 answered"))

	teacher.keys("t")
	for _, s := range []*pane{a, b} {
		s.waitFor("the tally on the student's screen", 10*time.Second, contains("tally"))
	}
	// A frame a busy machine held back is a slow try: the teacher runs the step again,
	// three tries at most.
	for try := 1; ; try++ {
		teacher.keys("r")
		slow := lanesMoveWithin(time.Second, map[string]*pane{"A": a, "B": b})
		if slow == "" {
			break
		}
		if try == 3 {
			t.Errorf("%s, in each of three tries", slow)
			break
		}
		t.Logf("try %d: %s; running the step again", try, slow)
		teacher.waitFor("the run's end", 60*time.Second, contains("predicted right"))
	}
	for name, s := range map[string]*pane{"A": a, "B": b} {
		sc := s.waitFor("student "+name+"'s own verdict", 60*time.Second, contains("you said"))
		if strings.Contains(sc, "Ask the room") || strings.Contains(sc, "Let everyone answer") {
			t.Errorf("student %s saw the speaker notes", name)
		}
	}
	teacher.waitFor("the teacher's count of right predictions", 10*time.Second, contains("predicted right"))

	teacher.keys("q")
	for name, s := range map[string]*pane{"A": a, "B": b} {
		s.waitFor("student "+name+" told the class ended and disconnected", 15*time.Second, contains("class ended", "closed"))
	}
	teacher.waitForPrompt("the teacher's shell after q")
	// --json keeps the question's tally, counts only.
	teacher.waitFor("the tally as JSON", 5*time.Second, contains(`"answered": 2`, `"tally": [`))
}
