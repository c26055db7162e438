package cpython

import (
	"context"
	"fmt"
	"strconv"
	"strings"
)

// Oldest CPython the driver supports: threading.get_native_id is 3.8's.
const minMajor, minMinor = 3, 8

// version is what the version query said.
type version struct {
	major, minor int
	line         string // the whole answer, part of the cache key
}

// versionMarker starts the version query's answer, so that a sitecustomize that
// prints, or a wrapper that talks, is not taken for the version.
const versionMarker = "coreography-version"

// versionQuery is Python 2 and 3 alike, so an old interpreter is named as what it is.
const versionQuery = `import sys; sys.stdout.write("\n` + versionMarker + ` %d %d %s\n" % (sys.version_info[0], sys.version_info[1], sys.version.split()[0]))`

// queryVersion asks path its version, within versionQueryLimit, and refuses one older
// than the driver supports.
func queryVersion(ctx context.Context, name, path string) (version, error) {
	ctx, cancel := context.WithTimeout(ctx, versionQueryLimit)
	defer cancel()
	out, err := boundedOutput(ctx, nil, path, "-c", versionQuery)
	if ctx.Err() == context.DeadlineExceeded {
		return version{}, &SetupError{fmt.Sprintf("%s (%s) did not say its version within %v: it was stopped; %s", name, path, versionQueryLimit, installHint(name))}
	}
	if err != nil && ctx.Err() != nil {
		return version{}, ctx.Err()
	}
	v, ok := parseVersion(out)
	switch {
	case err != nil:
		return version{}, &SetupError{fmt.Sprintf("%s (%s) did not run: %v: %s", name, path, err, installHint(name))}
	case !ok:
		return version{}, &SetupError{fmt.Sprintf("%s (%s) did not say its version (it printed %q): %s", name, path, lastLine(string(out)), installHint(name))}
	case v.major < minMajor || (v.major == minMajor && v.minor < minMinor):
		return version{}, &SetupError{fmt.Sprintf("%s is Python %d.%d, and py-* models need 3.8 or newer: %s", name, v.major, v.minor, installHint(name))}
	}
	return v, nil
}

// parseVersion finds the marked line among whatever else the interpreter printed.
func parseVersion(out []byte) (version, bool) {
	lines := strings.Split(string(out), "\n")
	for i := len(lines) - 1; i >= 0; i-- {
		f := strings.Fields(lines[i])
		if len(f) < 3 || f[0] != versionMarker {
			continue
		}
		major, err1 := strconv.Atoi(f[1])
		minor, err2 := strconv.Atoi(f[2])
		if err1 != nil || err2 != nil || major < 0 || minor < 0 {
			return version{}, false
		}
		return version{major: major, minor: minor, line: strings.Join(f, " ")}, true
	}
	return version{}, false
}
