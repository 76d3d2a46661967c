package jobs

import (
	"context"
	"time"

	"github.com/bankapp/bankapp/internal/store"
)

// KindCleanup is the daily job that deletes old finished jobs.
const KindCleanup = "jobs_cleanup"

// cleanupBatch bounds one day's deletions, so the transaction stays short;
// a backlog shrinks by this much a day.
const cleanupBatch = 20_000

// runCleanup deletes done and cancelled jobs older than the retention. The
// retention must outlast the seeding window (the previous and the current
// month): a month-end job deleted while it can still be seeded would run
// again. Occurrence jobs are never re-enqueued for a past day.
func (r *Runner) runCleanup(ctx context.Context, tx *store.Tx, j store.Job) error {
	n, err := tx.DeleteFinishedJobs(ctx, r.now().Add(-r.o.Retention), cleanupBatch)
	if err != nil {
		return err
	}
	if n > 0 {
		r.log.Info("old jobs deleted", "count", n)
	}
	return nil
}

// seedCleanup queues today's cleanup at 03:00 UTC.
func (r *Runner) seedCleanup(ctx context.Context, now time.Time) error {
	_, err := r.db.EnqueueJob(ctx, store.Job{Kind: KindCleanup, DedupeKey: "cleanup:" + FormatDate(now), RunAt: Day(now).Add(3 * time.Hour)})
	return err
}
