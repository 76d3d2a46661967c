package jobs

// SetCleanupBatch lets a test use a small cleanup batch; the returned
// function restores the default.
func SetCleanupBatch(n int) (restore func()) {
	old := cleanupBatch
	cleanupBatch = n
	return func() { cleanupBatch = old }
}

// StopSignalled is closed once Stop has told the loop to stop.
func (r *Runner) StopSignalled() <-chan struct{} {
	r.mu.Lock()
	defer r.mu.Unlock()
	return r.lastStop
}

// LoopDone is closed once the background loop has returned.
func (r *Runner) LoopDone() <-chan struct{} {
	r.mu.Lock()
	defer r.mu.Unlock()
	return r.lastDone
}
