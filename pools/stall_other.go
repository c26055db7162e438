//go:build !linux

package pools

// Without /proc, progress is output and chunks taken only.
func processCPUTime(int) (int64, bool) { return 0, false }

func processStateNote(int) string { return "" }
