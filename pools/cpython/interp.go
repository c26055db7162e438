package cpython

import (
	"bytes"
	"context"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"sync"
	"time"

	"github.com/coreography/coreography/assets"
	"github.com/coreography/coreography/internal/experiment"
	"github.com/coreography/coreography/internal/procwatch"
	"github.com/coreography/coreography/internal/safefile"
)

// SetupError says the run could not start for a reason the user can fix (no
// interpreter, one too old): the command exits 2, and nothing was left running.
type SetupError struct{ Msg string }

func (e *SetupError) Error() string { return e.Msg }

// Is makes a SetupError an experiment.ErrUnavailable: a lesson step skips it.
func (e *SetupError) Is(target error) bool { return target == experiment.ErrUnavailable }

// DefaultPython is the interpreter the py-* models use unless told otherwise.
const DefaultPython = "python3"

// Interpreter is what the driver found out about a Python: version, build and how
// fast its pure-Python loop runs, cached per interpreter and version.
type Interpreter struct {
	Path           string   `json:"-"`
	Version        string   `json:"version"`
	FullVersion    string   `json:"full_version"`
	Implementation string   `json:"implementation"`
	Executable     string   `json:"-"` // the resolved path, never from a cache`
	GIL            bool     `json:"gil"`
	ItersPerNs     float64  `json:"iters_per_ns"`
	HashBytesPerNs float64  `json:"hash_bytes_per_ns"` // sha256's speed, for hash(d)
	StartMethods   []string `json:"start_methods"`
}

// installHint says how to get a Python on this kind of machine.
func installHint(name string) string {
	return fmt.Sprintf("install CPython 3.8 or newer (Debian/Ubuntu: apt install python3; macOS: brew install python; Windows: python.org), or pass --python with the path of %s", name)
}

// found remembers, for the life of the app, what each interpreter name turned out to
// be: a version manager's shim (pyenv's python3 is a shell script) can take a second
// or more to answer, and a lesson runs several py-* runs.
var found sync.Map // name → *Interpreter

// FindInterpreter locates name (python3 when empty) and probes it: on a cache hit one
// quick version query, otherwise a calibration too (about a second). Found once, an
// interpreter is not looked up again by this process.
func FindInterpreter(ctx context.Context, name string) (*Interpreter, error) {
	if name == "" {
		name = DefaultPython
	}
	if in, ok := found.Load(name); ok {
		return in.(*Interpreter), nil
	}
	in, err := findInterpreter(ctx, name)
	if err == nil {
		found.Store(name, in)
	}
	return in, err
}

// versionQueryLimit bounds the one version query each interpreter gets per process:
// a version manager's shim answers in a second or two; a wrapper that sleeps, or never
// answers, is given up on, its whole process group killed.
var versionQueryLimit = 10 * time.Second // a variable for tests

// probeLimit bounds the driver's probe: a calibration of about a second.
const probeLimit = 60 * time.Second

// findInterpreter resolves name on PATH (or as a path) on every run: the cache holds
// figures about an interpreter, never which program to run. The cache entry is keyed
// by the resolved file's path, size and modification time, and by what it says its
// version is, so a changed interpreter (or a shim now pointing elsewhere) is probed
// again.
func findInterpreter(ctx context.Context, name string) (*Interpreter, error) {
	path, err := exec.LookPath(name)
	if err != nil {
		return nil, &SetupError{fmt.Sprintf("py-* models need %s, and it was not found: %s", name, installHint(name))}
	}
	if abs, err := filepath.Abs(path); err == nil {
		path = abs
	}
	resolved, err := filepath.EvalSymlinks(path)
	if err != nil {
		return nil, &SetupError{fmt.Sprintf("%s (%s): %v: %s", name, path, err, installHint(name))}
	}
	st, err := os.Stat(resolved)
	if err != nil {
		return nil, &SetupError{fmt.Sprintf("%s (%s): %v: %s", name, path, err, installHint(name))}
	}
	v, err := queryVersion(ctx, name, path)
	if err != nil {
		return nil, err
	}
	key := sha256.Sum256(fmt.Appendf(nil, "%s\x00%d\x00%d\x00%s", resolved, st.Size(), st.ModTime().UnixNano(), v.line))
	cacheName := "cpython-" + hex.EncodeToString(key[:8]) + ".json"
	if in, ok := readInterpreter(cacheName, v); ok && !stale.Load() {
		in.Path, in.Executable = path, path
		return in, nil
	}
	out, err := probe(ctx, path, v)
	if err != nil {
		return nil, err
	}
	out.Path, out.Executable = path, path
	stale.Store(false)
	if data, err := json.Marshal(out); err == nil {
		safefile.WriteFile(cacheName, data, 0o600) // failing to cache only costs a probe next time
	}
	return out, nil
}

func probe(ctx context.Context, path string, v version) (*Interpreter, error) {
	script, err := DriverFile()
	if err != nil {
		return nil, err
	}
	ctx, cancel := context.WithTimeout(ctx, probeLimit)
	defer cancel()
	var stderr bytes.Buffer
	data, err := boundedOutput(ctx, &stderr, path, script, "probe")
	if err != nil {
		if ctx.Err() == context.DeadlineExceeded {
			return nil, &SetupError{fmt.Sprintf("%s: the driver's probe did not finish within %v: it was stopped", path, probeLimit)}
		}
		return nil, &SetupError{fmt.Sprintf("%s: the driver's probe failed: %v: %s", path, err, lastLine(stderr.String()))}
	}
	var in Interpreter
	if err := json.Unmarshal([]byte(lastLine(string(data))), &in); err != nil || plausible(&in, v) != nil {
		return nil, &SetupError{fmt.Sprintf("%s: the driver's probe said %q", path, lastLine(string(data)))}
	}
	return &in, nil
}

// boundedOutput runs path with args in a process group of its own and returns its
// stdout. When ctx ends the whole group is killed, and the pipes are given up on a
// second later even if a grandchild still holds them.
func boundedOutput(ctx context.Context, stderr *bytes.Buffer, path string, args ...string) ([]byte, error) {
	cmd := exec.CommandContext(ctx, path, args...)
	procwatch.SetGroup(cmd)
	cmd.Cancel = func() error { procwatch.KillTree(cmd.Process.Pid); return nil }
	cmd.WaitDelay = time.Second
	if stderr != nil {
		cmd.Stderr = stderr
	}
	out, err := cmd.Output()
	if cmd.Process != nil {
		procwatch.KillTree(cmd.Process.Pid) // what the interpreter left behind goes with it
	}
	return out, err
}

// Bounds on what a cached or probed interpreter may say of itself: outside them it is
// probed again. A pure-Python loop step takes tens of nanoseconds.
const (
	minItersPerNs = 1e-5
	maxItersPerNs = 10.0
	// sha256 runs at about a byte a nanosecond, give or take a few times.
	minHashBytesPerNs = 1e-4
	maxHashBytesPerNs = 100.0
)

// plausible checks an interpreter's facts against its version query and the bounds.
func plausible(in *Interpreter, v version) error {
	switch {
	case !(in.ItersPerNs >= minItersPerNs && in.ItersPerNs <= maxItersPerNs):
		return fmt.Errorf("iters_per_ns %v is outside %g to %g", in.ItersPerNs, minItersPerNs, maxItersPerNs)
	case !(in.HashBytesPerNs >= minHashBytesPerNs && in.HashBytesPerNs <= maxHashBytesPerNs):
		return fmt.Errorf("hash_bytes_per_ns %v is outside %g to %g", in.HashBytesPerNs, minHashBytesPerNs, maxHashBytesPerNs)
	case !strings.HasPrefix(in.Version, fmt.Sprintf("%d.%d.", v.major, v.minor)):
		return fmt.Errorf("version %q is not %d.%d", in.Version, v.major, v.minor)
	case len(in.StartMethods) == 0 || len(in.StartMethods) > 3:
		return fmt.Errorf("start methods %v", in.StartMethods)
	}
	for _, m := range in.StartMethods {
		if m != "fork" && m != "spawn" && m != "forkserver" {
			return fmt.Errorf("start method %q", m)
		}
	}
	return nil
}

// readInterpreter reads cached facts about an interpreter from the private cache,
// checked against what it said its version was and the bounds.
func readInterpreter(name string, v version) (*Interpreter, bool) {
	data, err := safefile.ReadFile(name, 64<<10)
	if err != nil {
		return nil, false
	}
	var in Interpreter
	if json.Unmarshal(data, &in) != nil || plausible(&in, v) != nil {
		return nil, false
	}
	return &in, true
}

// driverName carries the script's hash, so versions never overwrite each other.
var driverName = func() string {
	sum := sha256.Sum256(assets.CPythonDriver)
	return "driver-" + hex.EncodeToString(sum[:6]) + ".py"
}()

// DriverFile writes the embedded driver where Python can import it by path (a spawned
// pool worker re-imports the main module from its file) and returns that path: in the
// app's private cache directory, or a private temporary one (see safefile). No other
// user can write there, so the file checked is the file run.
func DriverFile() (string, error) {
	if path, ok := safefile.Find(driverName, int64(len(assets.CPythonDriver)), assets.CPythonDriver); ok {
		return path, nil
	}
	path, err := safefile.WriteFile(driverName, assets.CPythonDriver, 0o600)
	if err != nil {
		return "", fmt.Errorf("writing the CPython driver: %w", err)
	}
	return path, nil
}

func lastLine(s string) string {
	lines := strings.Split(strings.TrimSpace(s), "\n")
	return strings.TrimSpace(lines[len(lines)-1])
}
