package uitest

import (
	"time"

	"github.com/coreography/coreography/internal/timeline"
)

// ProcessCPUNow is this process's CPU time so far, user and system; 0 where it
// cannot be read.
func ProcessCPUNow() time.Duration {
	cpu, _ := timeline.ProcessCPU()
	return cpu
}
