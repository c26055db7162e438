package pools

// runSerial is the baseline: one thread, lane "main", doing the tasks in order, as a
// plain loop over the jobs would. It is a pool of one, so its overhead per task is the
// same as the threads engine's and any difference between them is parallelism.
func runSerial(r *run) error { return pull(r, []string{"main"}) }
