// Command coreography teaches concurrency vs parallelism by running it: real thread
// pools, a real GIL, real process pools and a real event loop, drawn live.
package main

import (
	"os"

	"github.com/coreography/coreography/internal/cli"
)

func main() { os.Exit(cli.Main()) }
