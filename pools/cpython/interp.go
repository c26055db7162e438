package cpython

import (
	"bytes"
	"context"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"sync"
	"time"

	"github.com/coreography/coreography/assets"
	"github.com/coreography/coreography/internal/experiment"
)

// SetupError says the run could not start for a reason the user can fix (no
// interpreter, one too old): the command exits 2, and nothing was left running.
type SetupError struct{ Msg string }

func (e *SetupError) Error() string { return e.Msg }

// Is makes a SetupError an experiment.ErrUnavailable: a lesson step skips it.
func (e *SetupError) Is(target error) bool { return target == experiment.ErrUnavailable }

// DefaultPython is the interpreter the py-* models use unless told otherwise.
const DefaultPython = "python3"

// Oldest CPython the driver supports: threading.get_native_id is 3.8's.
const minMajor, minMinor = 3, 8

// Interpreter is what the driver found out about a Python: version, build and how
// fast its pure-Python loop runs, cached per interpreter and version.
type Interpreter struct {
	Path           string   `json:"-"`
	Version        string   `json:"version"`
	FullVersion    string   `json:"full_version"`
	Implementation string   `json:"implementation"`
	Executable     string   `json:"executable"`
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

func findInterpreter(ctx context.Context, name string) (*Interpreter, error) {
	path, err := exec.LookPath(name)
	if err != nil {
		return nil, &SetupError{fmt.Sprintf("py-* models need %s, and it was not found: %s", name, installHint(name))}
	}
	ctx, cancel := context.WithTimeout(ctx, 60*time.Second)
	defer cancel()
	version, err := exec.CommandContext(ctx, path, "-c", "import sys; print(sys.version_info[0], sys.version_info[1], sys.executable, sys.version)").Output()
	if err != nil {
		return nil, &SetupError{fmt.Sprintf("%s (%s) did not run: %v: %s", name, path, err, installHint(name))}
	}
	var major, minor int
	var exe string
	fmt.Sscan(string(version), &major, &minor, &exe)
	if major < minMajor || (major == minMajor && minor < minMinor) {
		return nil, &SetupError{fmt.Sprintf("%s is Python %d.%d, and py-* models need 3.8 or newer: %s", name, major, minor, installHint(name))}
	}
	key := sha256.Sum256(version)
	cache := cachePath("cpython-" + hex.EncodeToString(key[:8]) + ".json")
	if in, ok := readInterpreter(cache); ok {
		in.Path = path
		return in, nil
	}
	out, err := probe(ctx, path)
	if err != nil {
		return nil, err
	}
	out.Path = path
	if cache != "" {
		if data, err := json.Marshal(out); err == nil {
			os.MkdirAll(filepath.Dir(cache), 0o755)
			os.WriteFile(cache, data, 0o644)
		}
	}
	return out, nil
}

func probe(ctx context.Context, path string) (*Interpreter, error) {
	script, err := DriverFile()
	if err != nil {
		return nil, err
	}
	var stderr bytes.Buffer
	cmd := exec.CommandContext(ctx, path, script, "probe")
	cmd.Stderr = &stderr
	data, err := cmd.Output()
	if err != nil {
		return nil, &SetupError{fmt.Sprintf("%s: the driver's probe failed: %v: %s", path, err, lastLine(stderr.String()))}
	}
	var in Interpreter
	if err := json.Unmarshal(data, &in); err != nil || in.ItersPerNs <= 0 {
		return nil, &SetupError{fmt.Sprintf("%s: the driver's probe said %q", path, lastLine(string(data)))}
	}
	return &in, nil
}

func readInterpreter(path string) (*Interpreter, bool) {
	if path == "" {
		return nil, false
	}
	data, err := os.ReadFile(path)
	if err != nil {
		return nil, false
	}
	var in Interpreter
	if json.Unmarshal(data, &in) != nil || in.ItersPerNs <= 0 || in.HashBytesPerNs <= 0 || in.Executable == "" {
		return nil, false
	}
	return &in, true
}

// cachePath is where coreography keeps name, or "" when there is no cache directory.
func cachePath(name string) string {
	dir, err := os.UserCacheDir()
	if err != nil {
		return ""
	}
	return filepath.Join(dir, "coreography", name)
}

// DriverFile writes the embedded driver where Python can import it by path (a spawned
// pool worker re-imports the main module from its file) and returns that path. The
// name carries the script's hash, so versions never overwrite each other.
func DriverFile() (string, error) {
	sum := sha256.Sum256(assets.CPythonDriver)
	name := "driver-" + hex.EncodeToString(sum[:6]) + ".py"
	path := cachePath(name)
	if path == "" {
		path = filepath.Join(os.TempDir(), "coreography-"+name)
	}
	if old, err := os.ReadFile(path); err == nil && bytes.Equal(old, assets.CPythonDriver) {
		return path, nil
	}
	if err := os.MkdirAll(filepath.Dir(path), 0o755); err != nil {
		return "", fmt.Errorf("writing the CPython driver: %w", err)
	}
	tmp, err := os.CreateTemp(filepath.Dir(path), name+".*")
	if err != nil {
		return "", fmt.Errorf("writing the CPython driver: %w", err)
	}
	_, err = tmp.Write(assets.CPythonDriver)
	err = errors.Join(err, tmp.Close())
	if err == nil {
		err = os.Rename(tmp.Name(), path)
	}
	if err != nil {
		os.Remove(tmp.Name())
		return "", fmt.Errorf("writing the CPython driver: %w", err)
	}
	return path, nil
}

func lastLine(s string) string {
	lines := strings.Split(strings.TrimSpace(s), "\n")
	return strings.TrimSpace(lines[len(lines)-1])
}
