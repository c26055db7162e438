//go:build !unix

package pools

func openFileLimit() (uint64, bool) { return 0, false }
