//go:build !linux

package procwatch

import (
	"context"
	"errors"
	"os/exec"

	"github.com/coreography/coreography/internal/timeline"
)

var errLinuxOnly = errors.New("watch needs Linux")

// attach is Linux only; Watch says so before it gets here.
func attach(context.Context, Options, *timeline.Recorder) (Watched, error) {
	return Watched{}, errLinuxOnly
}

// watchRun is Linux only.
type watchRun struct{}

func startRun(*exec.Cmd, Options, *timeline.Recorder) (*watchRun, error) { return nil, errLinuxOnly }

func (*watchRun) wait(context.Context) error { return errLinuxOnly }

func (*watchRun) finish() Watched { return Watched{} }

// eventsAllowed: the scheduler's events are read on Linux only.
func eventsAllowed() error { return errLinuxOnly }
