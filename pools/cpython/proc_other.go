//go:build !linux

package cpython

import "os/exec"

// startTree starts cmd. Outside Linux there is no Pdeathsig and no pinning to cores: the driver's watchdog,
// which ends the tree when its stdin closes, is what stops it if the app dies.
func startTree(cmd *exec.Cmd, cores int) (wait func() error, err error) {
	setGroup(cmd)
	if err := cmd.Start(); err != nil {
		return nil, err
	}
	return cmd.Wait, nil
}
