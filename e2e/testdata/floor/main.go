// Command floor is what Bubble Tea itself costs to animate a screen at 30 frames a
// second: it draws nothing but ten bars that grow a column a frame, in the way
// coreography's lab draws a live run, so that the lab's own CPU can be set beside it.
// Like the lab during a processes run it holds one P, writes the terminal with raw
// system calls on a descriptor Go's poller does not watch, and draws each frame as
// soon as the renderer has written the one before (ui/common.Flushes). Whatever a program
// draws, Bubble Tea's renderer parses and diffs its frame and Go's poller wakes twice
// for each tick of the renderer's clock: the lab's figure can go no lower than this.
//
//	go run ./e2e/testdata/floor         in a terminal, until q
//	go run ./e2e/testdata/floor -json   1.2 s off-screen at 100×30: its CPU share, beside `coreography lab … --json`
//
// e2e's TestLabProcessesObserverCPU runs it in tmux beside the lab.
package main

import (
	"encoding/json"
	"flag"
	"fmt"
	"io"
	"os"
	"runtime"
	"strings"
	"time"
	"unsafe"

	tea "charm.land/bubbletea/v2"
	"github.com/charmbracelet/colorprofile"
	"golang.org/x/sys/unix"
)

func main() {
	offscreen := flag.Bool("json", false, "draw 1.2 s off-screen at 100×30 and print the CPU it took as JSON")
	flag.Parse()
	runtime.GOMAXPROCS(1)
	f := &floor{wrote: make(chan struct{}, 1)}
	opts := []tea.ProgramOption{tea.WithFPS(30)}
	if *offscreen {
		f.live = 1200 * time.Millisecond
		opts = append(opts, tea.WithInput(nil), tea.WithOutput(signalling{io.Discard, f.wrote}),
			tea.WithWindowSize(100, 30), tea.WithColorProfile(colorprofile.TrueColor))
	} else {
		out, err := rawStdout(f.wrote)
		if err != nil {
			fmt.Fprintln(os.Stderr, "floor:", err)
			os.Exit(1)
		}
		opts = append(opts, tea.WithOutput(out))
	}
	if _, err := tea.NewProgram(f, opts...).Run(); err != nil {
		fmt.Fprintln(os.Stderr, "floor:", err)
		os.Exit(1)
	}
	if *offscreen {
		wall := f.end.Sub(f.start)
		_ = json.NewEncoder(os.Stdout).Encode(map[string]float64{
			"cpu_share": float64(f.cpuEnd-f.cpuStart) / float64(wall),
			"fps":       float64(f.frames-1) / wall.Seconds(),
		})
	}
}

// floor is the program: a header, ten rows of bars, blank rows and a help line.
type floor struct {
	wrote            chan struct{} // a value after each write of the renderer
	live             time.Duration // off-screen: how long it draws; 0: until q
	frames           int
	start, end       time.Time
	cpuStart, cpuEnd time.Duration
}

type frameMsg struct{}

// next waits for the renderer's next write, then asks for a frame.
func (f *floor) next() tea.Cmd {
	return func() tea.Msg { <-f.wrote; return frameMsg{} }
}

func (f *floor) Init() tea.Cmd { return f.next() }

func (f *floor) Update(msg tea.Msg) (tea.Model, tea.Cmd) {
	switch msg := msg.(type) {
	case tea.KeyPressMsg:
		if msg.String() == "q" || msg.String() == "ctrl+c" {
			return f, tea.Quit
		}
	case frameMsg:
		if f.frames == 0 {
			f.start, f.cpuStart = time.Now(), cpuNow()
		}
		f.frames++
		if f.live > 0 && time.Since(f.start) >= f.live {
			f.end, f.cpuEnd = time.Now(), cpuNow()
			return f, tea.Quit
		}
		return f, f.next()
	}
	return f, nil
}

func (f *floor) View() tea.View {
	const green, grey, reset = "\x1b[38;2;95;215;95m", "\x1b[38;2;138;138;138m", "\x1b[m"
	var b strings.Builder
	fmt.Fprintf(&b, "%sBubble Tea's floor · frame %d%s\n", grey, f.frames, reset)
	for i := range 10 {
		fmt.Fprintf(&b, "%sworker %-12d%s%s%s\n", grey, i+1, green, strings.Repeat("█", f.frames%80), reset)
	}
	b.WriteString(strings.Repeat("\n", 18))
	b.WriteString(grey + "q quit" + reset)
	v := tea.NewView(b.String())
	v.AltScreen = true
	return v
}

func cpuNow() time.Duration {
	var ru unix.Rusage
	_ = unix.Getrusage(unix.RUSAGE_SELF, &ru)
	return time.Duration(ru.Utime.Nano() + ru.Stime.Nano())
}

// signalling is a writer that reports each write on wrote.
type signalling struct {
	io.Writer
	wrote chan struct{}
}

func (s signalling) Write(b []byte) (int, error) {
	n, err := s.Writer.Write(b)
	select {
	case s.wrote <- struct{}{}:
	default:
	}
	return n, err
}

// rawStdout writes the terminal as the app does (internal/tty/output_linux.go): raw write
// system calls on a non-blocking descriptor of its own; Fd, for the terminal's modes
// and size, is stdout's.
func rawStdout(wrote chan struct{}) (io.Writer, error) {
	fd, err := unix.Open("/proc/self/fd/1", unix.O_WRONLY|unix.O_NONBLOCK|unix.O_NOCTTY|unix.O_CLOEXEC, 0)
	if err != nil {
		return nil, err
	}
	return rawTerminal{File: os.Stdout, fd: fd, wrote: wrote}, nil
}

type rawTerminal struct {
	*os.File
	fd    int
	wrote chan struct{}
}

func (t rawTerminal) Write(b []byte) (int, error) {
	for written := 0; written < len(b); {
		n, _, e := unix.RawSyscall(unix.SYS_WRITE, uintptr(t.fd), uintptr(unsafe.Pointer(&b[written])), uintptr(len(b)-written))
		switch e {
		case 0:
			written += int(n)
		case unix.EINTR:
		case unix.EAGAIN:
			_, _ = unix.Poll([]unix.PollFd{{Fd: int32(t.fd), Events: unix.POLLOUT}}, -1)
		default:
			return written, e
		}
	}
	select {
	case t.wrote <- struct{}{}:
	default:
	}
	return len(b), nil
}
