package cpython

import (
	"context"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/coreography/coreography/internal/experiment"
)

// Tests named TestHostileNN… are issue 28's hostile cases, NN its item number.

// Issue 28 #4: the interpreter cache holds figures, never what to execute. A cache
// entry whose "executable" names a script is ignored: the interpreter run is the one
// resolved from --python or PATH, and tampered figures are probed again.
func TestHostile04TamperedCacheNeverRuns(t *testing.T) {
	needPython(t)
	cache := t.TempDir()
	t.Setenv("XDG_CACHE_HOME", cache)
	found.Clear()
	defer found.Clear()
	in, err := FindInterpreter(context.Background(), "python3")
	if err != nil {
		t.Fatal(err)
	}
	marker := filepath.Join(t.TempDir(), "pwned")
	evil := filepath.Join(t.TempDir(), "evil.sh")
	os.WriteFile(evil, []byte("#!/bin/sh\ntouch "+marker+"\nexec python3 \"$@\"\n"), 0o755)
	entries, _ := filepath.Glob(filepath.Join(cache, "coreography", "cpython-*.json"))
	if len(entries) != 1 {
		t.Fatalf("cache entries %v", entries)
	}
	for _, tampered := range []string{
		`{"version":"` + in.Version + `","executable":"` + evil + `","iters_per_ns":0.05,"hash_bytes_per_ns":1,"gil":true,"start_methods":["fork"]}`,
		`{"version":"` + in.Version + `","iters_per_ns":1e300,"hash_bytes_per_ns":1,"gil":true,"start_methods":["fork"]}`,
		`{"version":"2.7.18","iters_per_ns":0.05,"hash_bytes_per_ns":1,"gil":true,"start_methods":["fork"]}`,
	} {
		os.WriteFile(entries[0], []byte(tampered), 0o600)
		found.Clear()
		got, err := FindInterpreter(context.Background(), "python3")
		if err != nil {
			t.Fatal(err)
		}
		if got.Executable != in.Path || !(got.ItersPerNs > minItersPerNs && got.ItersPerNs < maxItersPerNs) || got.Version != in.Version {
			t.Errorf("tampered cache %s gave %+v", tampered, got)
		}
		if _, err := run(t, context.Background(), spec(t, experiment.PySerial, 1, "2*cpu(1ms)")); err != nil {
			t.Fatal(err)
		}
		if _, err := os.Stat(marker); err == nil {
			t.Fatalf("the cache's executable ran")
		}
	}
}

// Issue 28 #17, #7: the version query reads Python 2.7 and a sitecustomize that prints
// for what they are, and a wrapper that never answers is stopped within its limit.
func TestHostile17VersionQuery(t *testing.T) {
	t.Setenv("XDG_CACHE_HOME", t.TempDir())
	old := versionQueryLimit
	versionQueryLimit = time.Second
	defer func() { versionQueryLimit = old }()
	chatty := fakePython(t, "3 11", "exit 1")
	os.WriteFile(chatty, []byte("#!/bin/sh\necho 'hello from sitecustomize'\nif [ \"$1\" = -c ]; then echo 'coreography-version 2 7 2.7.18'; fi\n"), 0o755)
	silent := fakePython(t, "3 11", "exit 1")
	os.WriteFile(silent, []byte("#!/bin/sh\necho '(2, 7, \"/usr/bin/python\")'\n"), 0o755)
	sleeper := fakePython(t, "3 11", "exit 1")
	os.WriteFile(sleeper, []byte("#!/bin/sh\n(sleep 300; echo late) &\nsleep 300\n"), 0o755)
	for _, c := range []struct{ python, want string }{
		{chatty, "is Python 2.7, and py-* models need 3.8"},
		{silent, `did not say its version (it printed "(2, 7, \"/usr/bin/python\")")`},
		{sleeper, "did not say its version within 1s: it was stopped"},
	} {
		start := time.Now()
		_, err := FindInterpreter(context.Background(), c.python)
		if err == nil || !strings.Contains(err.Error(), c.want) || !IsSetupError(err) {
			t.Errorf("%s: %v, want %q", c.python, err, c.want)
		}
		if took := time.Since(start); took > 5*time.Second {
			t.Errorf("%s: took %v", c.python, took)
		}
	}
}
