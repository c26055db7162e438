//go:build unix

package class

import (
	"context"
	"syscall"
	"testing"
	"time"

	tea "charm.land/bubbletea/v2"

	"github.com/coreography/coreography/internal/timeline"
	"github.com/coreography/coreography/lessons"
	"github.com/coreography/coreography/ui"
)

// processCPU is the CPU time this process has used, user and system.
func processCPU(b *testing.B) time.Duration {
	var ru syscall.Rusage
	if err := syscall.Getrusage(syscall.RUSAGE_SELF, &ru); err != nil {
		b.Fatal(err)
	}
	return time.Duration(ru.Utime.Nano() + ru.Stime.Nano())
}

// gilLike appends what two GIL threads do to rec until ctx ends: run 5 ms, wait 5 ms,
// in turn, as a live run of the gil lesson would.
func gilLike(ctx context.Context, rec *timeline.Recorder) {
	lanes := []*timeline.Lane{rec.Lane("T1"), rec.Lane("T2")}
	tick := time.NewTicker(5 * time.Millisecond)
	defer tick.Stop()
	for turn := 0; ; turn++ {
		select {
		case <-ctx.Done():
			rec.Finish(timeline.Now())
			return
		case <-tick.C:
		}
		now := timeline.Now()
		for i, l := range lanes {
			st := timeline.WaitGIL
			if (turn+i)%2 == 0 {
				st = timeline.Running
			}
			l.Append(timeline.Event{T: now, CPUTime: timeline.NoCPUTime, Task: int32(turn / 20), PID: 1, TID: int32(i + 1), CPU: int16(i), State: st})
		}
	}
}

// BenchmarkThirtyStudentsWatch measures the class server's CPU while 30 students, each
// an SSH session at 100×30 drawing its own screen, watch a live GIL run: the cores it
// takes, the frames each student gets a second, and the frame interval pacing chose.
// The students' ssh clients run in this process too (they only read and decrypt), so
// the figure is an upper bound on the server's share.
func BenchmarkThirtyStudentsWatch(b *testing.B) {
	cat, _ := lessons.LoadCatalog(b.TempDir())
	gil, err := cat.Find("gil")
	if err != nil {
		b.Fatal(err)
	}
	key, err := LoadHostKey(b.TempDir())
	if err != nil {
		b.Fatal(err)
	}
	hub := NewHub()
	hub.Show(gil, 1)
	srv, err := NewServer(hub, Config{Code: "bench", MaxStudents: 30, HostKeyPEM: key,
		Student: func(seat *Seat) tea.Model { return ui.NewClassStudent(seat, nil) }})
	if err != nil {
		b.Fatal(err)
	}
	c := serve(b, srv)
	var students []*student
	for range 30 {
		s, err := join(c, "bench")
		if err != nil {
			b.Fatal(err)
		}
		students = append(students, s)
		if err := s.waitFor("Predict", 30*time.Second); err != nil {
			b.Fatal(err)
		}
	}
	rec := timeline.NewRecorder(timeline.Meta{Model: "gil", Workers: 2, Cores: 2, Tasks: 8})
	ctx, cancel := context.WithCancel(context.Background())
	go gilLike(ctx, rec)
	hub.Live(func() []*timeline.Trace { return []*timeline.Trace{rec.Snapshot()} })
	time.Sleep(time.Second) // pacing settles

	seq, cpu, start := hub.State().Seq, processCPU(b), time.Now()
	b.ResetTimer()
	for range b.N {
		time.Sleep(time.Second)
	}
	b.StopTimer()
	wall := time.Since(start)
	cores := float64(processCPU(b)-cpu) / float64(wall)
	frames := float64(hub.State().Seq-seq) / wall.Seconds()
	cancel()
	b.ReportMetric(cores, "cores")
	b.ReportMetric(frames, "frames/s")
	b.ReportMetric(float64(hub.FrameInterval().Milliseconds()), "ms/frame")
	b.Logf("30 students at 100×30 watching a live run: %.3f cores (server and clients), %.1f frames/s each, interval %v",
		cores, frames, hub.FrameInterval())
	srv.End(5 * time.Second)
}
