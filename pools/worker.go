package pools

// IsWorker reports whether this process was started as a process-pool worker. (STUB)
func IsWorker() bool { return false }

// WorkerMain serves tasks on stdin/stdout until EOF and returns the exit status. (STUB)
func WorkerMain() int { return 0 }
