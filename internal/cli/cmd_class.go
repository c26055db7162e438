package cli

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"net"
	"path/filepath"
	"strconv"
	"time"

	tea "charm.land/bubbletea/v2"
	"github.com/spf13/cobra"

	"github.com/coreography/coreography/internal/calibrate"
	"github.com/coreography/coreography/internal/class"
	"github.com/coreography/coreography/internal/experiment"
	"github.com/coreography/coreography/internal/timeline"
	"github.com/coreography/coreography/lessons"
	"github.com/coreography/coreography/sim"
	"github.com/coreography/coreography/ui"
)

// classFlags are class's own flags.
type classFlags struct {
	listen      string
	code        string
	maxStudents int
	json        bool
}

func classCommand(tf *tuiFlags) *cobra.Command {
	var f classFlags
	cmd := &cobra.Command{
		Use:   "class [LESSON]",
		Short: "Teach a class: students join over SSH and see your steps and runs",
		Long: `Serve the app to a classroom over SSH. Students join with a plain ssh client and
the join code, see your step and live run on their own screens, and answer its
predictions; you see how many answered and reveal the tally. q ends the class.`,
		Example: `  coreography class gil
  coreography class --listen 127.0.0.1:2222 --code otter-42 --max-students 30`,
		Args: cobra.MaximumNArgs(1),
		RunE: func(cmd *cobra.Command, args []string) error {
			return runClass(cmd, *tf, f, args)
		},
	}
	fl := cmd.Flags()
	fl.StringVar(&f.listen, "listen", class.DefaultListen, "address to serve students on: all interfaces by default, so the classroom's network reaches it")
	fl.StringVar(&f.code, "code", "", "the join code students type (default: a random one, such as otter-42)")
	fl.IntVar(&f.maxStudents, "max-students", class.DefaultMaxStudents, "students at once; one more is told the class is full")
	fl.BoolVar(&f.json, "json", false, "when the class ends, print each question's tally as JSON (counts only, no names)")
	return cmd
}

func runClass(cmd *cobra.Command, tf tuiFlags, f classFlags, args []string) error {
	if f.maxStudents < 1 || f.maxStudents > class.MaxStudentsLimit {
		return usageError("--max-students should be 1 to %d, got %d", class.MaxStudentsLimit, f.maxStudents)
	}
	code := f.code
	if code == "" {
		var err error
		if code, err = class.NewCode(); err != nil {
			return err
		}
	}
	stateDir := ""
	if p := lessons.DefaultProgressPath(); p != "" {
		stateDir = filepath.Dir(p)
	}
	key, err := class.LoadHostKey(stateDir)
	if err != nil {
		return &exitError{code: 1, err: err}
	}
	labSim := classSim{model: sim.New(calibrate.ProfileByName)}
	hub := class.NewHub()
	srv, err := class.NewServer(hub, class.Config{
		Code: code, MaxStudents: f.maxStudents, HostKeyPEM: key,
		Student: func(seat *class.Seat) tea.Model { return ui.NewClassStudent(seat, labSim) },
	})
	if err != nil {
		return usageError("%v", err)
	}
	ln, err := net.Listen("tcp", f.listen)
	if err != nil {
		return usageError("--listen %s: %v", f.listen, err)
	}
	join := joinLine(ln.Addr().(*net.TCPAddr))
	fmt.Fprintf(cmd.ErrOrStderr(), "students join with:  %s\njoin code:           %s\n", join, code)
	served := make(chan error, 1)
	go func() { served <- srv.Serve(ln) }()

	opt := ui.AppOptions{Class: &ui.ClassInfo{Room: hub, Join: join, Code: code}}
	tuiErr := runTUI(cmd, tf, opt, args...)
	srv.End(2 * time.Second)
	if err := <-served; err != nil && tuiErr == nil {
		tuiErr = &exitError{code: 1, err: fmt.Errorf("class server: %w", err)}
	}
	if f.json {
		enc := json.NewEncoder(cmd.OutOrStdout())
		enc.SetIndent("", "  ")
		if err := enc.Encode(struct {
			Questions []class.Record `json:"questions"`
		}{append([]class.Record{}, hub.Records()...)}); err != nil {
			return errors.Join(tuiErr, err)
		}
	}
	return tuiErr
}

// joinLine is the ssh command students type: the address they can reach, which for a
// server on all interfaces is this machine's first non-loopback one.
func joinLine(addr *net.TCPAddr) string {
	host := addr.IP.String()
	if addr.IP.IsUnspecified() {
		host = "127.0.0.1"
		if ifaces, err := net.InterfaceAddrs(); err == nil {
			for _, a := range ifaces {
				if ipn, ok := a.(*net.IPNet); ok && !ipn.IP.IsLoopback() && ipn.IP.To4() != nil {
					host = ipn.IP.String()
					break
				}
			}
		}
	}
	return "ssh -p " + strconv.Itoa(addr.Port) + " class@" + host
}

// classSim runs a student's lab on the model machine. It never measures this machine
// for the model, which would take the teacher's cores: until this machine has been
// measured (any sim run outside the class does it), the lab models CPython's costs.
type classSim struct{ model *sim.Runner }

func (c classSim) Run(ctx context.Context, spec experiment.Spec, rec *timeline.Recorder) error {
	if !spec.Sim {
		return errors.New("in a class the lab runs the model only")
	}
	if spec.Normalized().Profile == experiment.DefaultProfile && !calibrate.MeasuredThisMachine() {
		spec.Profile = "cpython"
		rec.SetNote("this machine is not measured yet: modelled with CPython's costs")
	}
	return c.model.Run(ctx, spec, rec)
}
