//go:build !linux

package procwatch

import "os/exec"

// StartTree starts cmd. Outside Linux there is no Pdeathsig and no pinning to cores: the driver's watchdog,
// which ends the tree when its stdin closes, is what stops it if the app dies.
func StartTree(cmd *exec.Cmd, cores int) (wait func() error, err error) {
	SetGroup(cmd)
	if err := cmd.Start(); err != nil {
		return nil, err
	}
	return cmd.Wait, nil
}
