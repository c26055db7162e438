//go:build !unix

package sim

// processCPU is not measured here; benchmarks report events per wall second only.
func processCPU() float64 { return 0 }
