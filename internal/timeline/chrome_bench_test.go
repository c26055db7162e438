package timeline

import (
	"bytes"
	"io"
	"runtime"
	"testing"
	"time"
	"unsafe"
)

// processCPUNow is ProcessCPU, 0 where it cannot be read: the benchmarks' CPU figures.
func processCPUNow() time.Duration {
	cpu, _ := ProcessCPU()
	return cpu
}

// TestProcessCPU: busy work shows as this process's CPU time, and no more of it than
// the wall clock allows on the cores there are.
func TestProcessCPU(t *testing.T) {
	before, ok := ProcessCPU()
	if !ok {
		t.Skip("this system's CPU time is not read")
	}
	start := time.Now()
	x := 0
	for time.Since(start) < 50*time.Millisecond {
		x++
	}
	after, _ := ProcessCPU()
	wall := time.Since(start)
	if used := after - before; used <= 0 || used > wall*time.Duration(runtime.NumCPU())+10*time.Millisecond {
		t.Fatalf("50 ms busy: %v of CPU over %v of wall time (%d)", used, wall, x)
	}
}

// The issue's trace: run --model threads --workers 2 --tasks '100000*cpu(1us)' records
// 200,000 worker events, about 25 MB of JSON.
func issueTrace() *Trace { return syntheticTrace(2, 50_000) }

// BenchmarkWriteChrome: export speed in MB/s (target ≥ 100) and what it allocates
// (B/op: a buffer, not the file).
func BenchmarkWriteChrome(b *testing.B) {
	t := issueTrace()
	var n countingWriter
	if err := WriteChrome(&n, t); err != nil {
		b.Fatal(err)
	}
	b.SetBytes(int64(n))
	b.ReportAllocs()
	cpu0 := processCPUNow()
	for b.Loop() {
		if err := WriteChrome(io.Discard, t); err != nil {
			b.Fatal(err)
		}
	}
	b.ReportMetric(float64(n)*float64(b.N)/1e6/(processCPUNow()-cpu0).Seconds(), "MB/cpu-s")
}

// BenchmarkReadChrome: import time of the 200,000-event trace and its retained heap
// (kept-MB: the trace as imported; alloc B/op: everything along the way).
func BenchmarkReadChrome(b *testing.B) {
	data, err := MarshalChrome(issueTrace())
	if err != nil {
		b.Fatal(err)
	}
	b.SetBytes(int64(len(data)))
	b.ReportAllocs()
	var t *Trace
	cpu0 := processCPUNow()
	for b.Loop() {
		if t, err = ReadChrome(bytes.NewReader(data)); err != nil {
			b.Fatal(err)
		}
	}
	b.ReportMetric(float64(processCPUNow()-cpu0)/float64(b.N)/1e6, "cpu-ms/op")
	kept := 0
	for _, l := range t.Lanes {
		kept += cap(l.Events) * int(unsafe.Sizeof(Event{}))
	}
	b.ReportMetric(float64(kept)/1e6, "kept-MB")
}

type countingWriter int

func (c *countingWriter) Write(p []byte) (int, error) {
	*c += countingWriter(len(p))
	return len(p), nil
}
