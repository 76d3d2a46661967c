package jobs

import (
	"context"
	"time"

	"github.com/bankapp/bankapp/internal/bank"
	"github.com/bankapp/bankapp/internal/ledger"
	"github.com/bankapp/bankapp/internal/store"
)

// KindCleanup is the daily job that deletes old finished jobs, expired
// idempotency keys and day totals no limit needs any more.
const KindCleanup = "jobs_cleanup"

// DeviceMemory is how long a device unseen is remembered for the
// new-device notice: a sign-in after a longer absence counts as new.
const DeviceMemory = 400 * 24 * time.Hour

// cleanupBatch bounds one run's deletions of each kind, so its transaction
// stays short; a run that deletes a full batch queues the next run at once.
var cleanupBatch = 20_000

// runCleanup deletes done and cancelled jobs older than the retention,
// idempotency keys past their TTL (a replay after it runs as a new request
// anyway), day totals older than bank.DayTotalsKept days and stale
// sign-in failure counts, at most
// cleanupBatch of each. The retention must outlast the seeding window (the
// previous and the current month): a month-end job deleted while it can
// still be seeded would run again. Occurrence jobs are never re-enqueued
// for a past day.
func (r *Runner) runCleanup(ctx context.Context, tx *store.Tx, j store.Job) error {
	now := r.now()
	n, err := tx.DeleteFinishedJobs(ctx, now.Add(-r.o.Retention), cleanupBatch)
	if err != nil {
		return err
	}
	keys, err := tx.DeleteExpiredIdempotencyKeys(ctx, now.Add(-ledger.IdempotencyTTL), cleanupBatch)
	if err != nil {
		return err
	}
	days, err := tx.DeleteOldDayTotals(ctx, bank.DayOf(now)-(bank.DayTotalsKept-1), cleanupBatch)
	if err != nil {
		return err
	}
	// Sign-in failure counts untouched for a day and not locked: a count
	// that old no longer matters (a lock lasts 15 minutes), and unknown
	// emails tried by an attacker would otherwise pile up.
	attempts, err := tx.DeleteStaleLoginAttempts(ctx, now.Add(-24*time.Hour), now, cleanupBatch)
	if err != nil {
		return err
	}
	// Emailed tokens a week past their expiry (kept that long so that a
	// late click still finds "expired", not "unknown", in the audit trail
	// of support), limit buckets untouched for a day (every window is an
	// hour), devices unseen for DeviceMemory.
	tokens, err := tx.DeleteExpiredAuthTokens(ctx, now.Add(-7*24*time.Hour), cleanupBatch)
	if err != nil {
		return err
	}
	buckets, err := tx.DeleteStaleRateLimits(ctx, now.Add(-24*time.Hour), cleanupBatch)
	if err != nil {
		return err
	}
	devices, err := tx.DeleteStaleDevices(ctx, now.Add(-DeviceMemory), cleanupBatch)
	if err != nil {
		return err
	}
	if n+keys+days+attempts+tokens+buckets+devices > 0 {
		r.log.Info("cleanup", "jobs", n, "idempotency_keys", keys, "day_totals", days, "login_attempts", attempts,
			"auth_tokens", tokens, "rate_limits", buckets, "known_devices", devices)
	}
	if max(n, keys, days, attempts, tokens, buckets, devices) < int64(cleanupBatch) {
		return nil
	}
	// A full batch: there is more. Another run goes next, in its own short
	// transaction, until the backlog is gone.
	_, err = tx.EnqueueJob(ctx, store.Job{Kind: KindCleanup, DedupeKey: j.DedupeKey + "+", RunAt: now})
	return err
}

// seedCleanup queues today's cleanup at 03:00 UTC.
func (r *Runner) seedCleanup(ctx context.Context, now time.Time) error {
	_, err := r.db.EnqueueJob(ctx, store.Job{Kind: KindCleanup, DedupeKey: "cleanup:" + bank.FormatDate(now), RunAt: bank.Day(now).Add(3 * time.Hour)})
	return err
}
