//go:build !linux

package cli

// startLimits has nothing to check outside Linux, where the thread limit is counted
// differently (or not at all).
func startLimits() error { return nil }
