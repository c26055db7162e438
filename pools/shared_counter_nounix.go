//go:build !unix

package pools

import (
	"errors"
	"os"
)

// sharedCounter needs mmap; without it add(N, shared) cannot run.
type sharedCounter struct{ file *os.File }

var errNoShared = errors.New("add(N, shared): shared memory between processes is not supported on this system")

func newSharedCounter() (*sharedCounter, error)         { return nil, errNoShared }
func mapSharedCounter(*os.File) (*sharedCounter, error) { return nil, errNoShared }
func (*sharedCounter) increment()                       {}
func (*sharedCounter) racyIncrement()                   {}
func (*sharedCounter) load() int64                      { return 0 }
func (*sharedCounter) close()                           {}
func (*sharedCounter) fileOf() *os.File                 { return nil }
