package procwatch

import (
	"testing"
	"time"
)

func TestParseProcessStat(t *testing.T) {
	line := []byte("1234 (a (weird) name) S 77 1234 1234 0 -1 4194304 10 0 0 0 150 25 0 0 20 0 3 0 100 0 0")
	p, ok := parseProcessStat(line)
	if !ok || p.ppid != 77 || p.cpu != 1750*time.Millisecond {
		t.Fatalf("got %+v %v, want ppid 77 and 1.75 s", p, ok)
	}
	if _, ok := parseProcessStat([]byte("1234 (cut")); ok {
		t.Fatal("a line without its fields parsed")
	}
}

// The app and everything it started are its own; every other process is other, new
// ones counted from zero.
func TestOthersBetweenLeavesOutTheAppsTree(t *testing.T) {
	before := map[int]procCPU{10: {cpu: time.Second, ppid: 1}, 20: {cpu: time.Second, ppid: 1}, 21: {ppid: 20}}
	after := map[int]procCPU{
		10: {cpu: 1300 * time.Millisecond, ppid: 1}, // another program: +300 ms
		20: {cpu: 3 * time.Second, ppid: 1},         // the app
		21: {cpu: time.Second, ppid: 20},            // its worker
		22: {cpu: time.Second, ppid: 21},            // the worker's child
		30: {cpu: 200 * time.Millisecond, ppid: 1},  // a program started meanwhile
	}
	if got := othersBetween(before, after, 20); got != 500*time.Millisecond {
		t.Fatalf("others = %v, want 500ms", got)
	}
}
