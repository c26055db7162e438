package procwatch

import (
	"bytes"
	"strconv"
	"testing"
)

// FuzzStatStateCore: the sampler's allocation-free reading of a /proc/…/stat line never
// panics, and where the line has the fields it agrees with splitting it (statFields).
func FuzzStatStateCore(f *testing.F) {
	f.Add([]byte("4242 (python3.11) R 1 4242 4242 0 -1 4194304 1 0 0 0 10 2 0 0 20 0 3 0 100 1000 200 18446744073709551615 1 1 0 0 0 0 0 16781312 2 0 0 0 17 1 0 0 0 0 0\n"))
	f.Add([]byte("7 (a (b) c) S 1 2 3"))
	f.Add([]byte(")("))
	f.Fuzz(func(t *testing.T, line []byte) {
		comm, state, core, ok := statStateCore(line)
		f := statFields(line)
		tail := bytes.TrimSuffix(line[bytes.LastIndexByte(line, ')')+1:], []byte("\n"))
		if !ok || len(f) < 37 || bytes.Contains(tail, []byte("  ")) || bytes.ContainsAny(tail, "\t\n\v\f\r\u0085\u00a0") {
			return // the kernel separates fields with one space
		}
		open := bytes.IndexByte(line, '(')
		want, err := strconv.ParseInt(string(f[36]), 10, 64)
		if err != nil || want < 0 || !bytes.Equal(f[0][:1], []byte{state}) || len(f[0]) != 1 || open < 0 {
			return // not a line the kernel writes: a single-letter state, a number for the core
		}
		if core != want || !bytes.Equal(comm, line[open+1:bytes.LastIndexByte(line, ')')]) {
			t.Errorf("%q: comm %q state %c core %d; splitting gives state %s core %d", line, comm, state, core, f[0], want)
		}
	})
}
