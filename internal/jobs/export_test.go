package jobs

// SetCleanupBatch lets a test use a small cleanup batch; the returned
// function restores the default.
func SetCleanupBatch(n int) (restore func()) {
	old := cleanupBatch
	cleanupBatch = n
	return func() { cleanupBatch = old }
}
