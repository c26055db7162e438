//go:build !linux

package procwatch

import (
	"errors"
	"time"

	"github.com/coreography/coreography/internal/timeline"
)

// SamplerAvailable says whether thread states and cores can be read from /proc here.
const SamplerAvailable = false

// Sampler is Linux only: elsewhere there is no /proc to read.
type Sampler struct{}

// StartSampler fails: per-thread states and cores need Linux's /proc.
func StartSampler(int, *timeline.Recorder, Observer) (*Sampler, error) {
	return nil, errors.New("per-core lanes need Linux: its /proc is where thread states and cores are read")
}

// SetBegin does nothing.
func (*Sampler) SetBegin(int64) {}

// Stop does nothing.
func (*Sampler) Stop() time.Duration { return 0 }

// PIDs lists nothing.
func (*Sampler) PIDs() []int32 { return nil }

// RootExec sees nothing.
func (*Sampler) RootExec() (int64, string, time.Duration, bool) { return 0, "", 0, false }
