package store

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"slices"
	"strings"
	"time"

	"github.com/google/uuid"
)

// Job statuses.
const (
	JobPending   = "pending"
	JobRunning   = "running"
	JobDone      = "done"
	JobDead      = "dead"
	JobCancelled = "cancelled"
)

// Job is a row of the jobs table: a unit of background work that runs once.
type Job struct {
	ID          string
	Kind        string
	DedupeKey   string // unique forever: the same work is never queued twice
	Payload     []byte // JSON
	RunAt       time.Time
	Attempts    int
	MaxAttempts int
	Status      string
	LeaseUntil  time.Time
	LockedBy    string // claim token of the instance running it
	LastError   string
	CreatedAt   time.Time
	UpdatedAt   time.Time
}

const jobColumns = `id, kind, dedupe_key, payload, run_at, attempts, max_attempts, status, lease_until, locked_by, last_error, created_at, updated_at`

func scanJob(row interface{ Scan(...any) error }) (Job, error) {
	var j Job
	var payload string
	var runAt, lease, created, updated int64
	err := row.Scan(&j.ID, &j.Kind, &j.DedupeKey, &payload, &runAt, &j.Attempts, &j.MaxAttempts, &j.Status, &lease, &j.LockedBy,
		&j.LastError, &created, &updated)
	j.Payload = []byte(payload)
	j.RunAt, j.LeaseUntil, j.CreatedAt, j.UpdatedAt = fromMicros(runAt), fromMicros(lease), fromMicros(created), fromMicros(updated)
	return j, err
}

// EnqueueJob inserts a pending job unless a job with the same dedupe key
// exists (in any status); it reports whether the job was inserted. Its
// ID, CreatedAt and MaxAttempts default when empty.
func (tx *Tx) EnqueueJob(ctx context.Context, j Job) (bool, error) {
	return enqueueJob(ctx, tx.tx, j, tx.Now())
}

// EnqueueJob is Tx.EnqueueJob in a transaction of its own.
func (db *DB) EnqueueJob(ctx context.Context, j Job) (bool, error) {
	return enqueueJob(ctx, db.w, j, db.Now())
}

func enqueueJob(ctx context.Context, q querier, j Job, now time.Time) (bool, error) {
	if j.ID == "" {
		j.ID = uuid.Must(uuid.NewV7()).String()
	}
	if j.MaxAttempts <= 0 {
		j.MaxAttempts = 5
	}
	if len(j.Payload) == 0 {
		j.Payload = []byte("{}")
	}
	res, err := q.ExecContext(ctx, `INSERT INTO jobs (id, kind, dedupe_key, payload, run_at, max_attempts, created_at, updated_at)
		VALUES ($1, $2, $3, $4, $5, $6, $7, $7) ON CONFLICT (dedupe_key) DO NOTHING`,
		j.ID, j.Kind, j.DedupeKey, string(j.Payload), micros(j.RunAt), j.MaxAttempts, micros(now))
	if err != nil {
		return false, fmt.Errorf("store: enqueue job %s: %w", j.DedupeKey, err)
	}
	n, _ := res.RowsAffected()
	return n > 0, nil
}

// ClaimJobs marks up to limit due jobs as running under token until
// now+lease and returns them, oldest first. Due means pending with run_at at
// or before now, or running with an expired lease (its instance died). On
// PostgreSQL rows locked by another claimer or by a job being finished are
// skipped, so instances never wait for each other; on SQLite the single
// writer serialises claims.
func (db *DB) ClaimJobs(ctx context.Context, token string, now time.Time, lease time.Duration, limit int) ([]Job, error) {
	lock := ""
	if db.dialect == Postgres {
		lock = " FOR UPDATE SKIP LOCKED"
	}
	rows, err := db.w.QueryContext(ctx, `UPDATE jobs SET status = 'running', attempts = attempts + 1, lease_until = $2, locked_by = $3, updated_at = $1
		WHERE id IN (SELECT id FROM jobs
			WHERE (status = 'pending' AND run_at <= $1) OR (status = 'running' AND lease_until < $1)
			ORDER BY run_at, id LIMIT $4`+lock+`)
		RETURNING `+jobColumns, micros(now), micros(now.Add(lease)), token, limit)
	if err != nil {
		return nil, fmt.Errorf("store: claim jobs: %w", err)
	}
	defer rows.Close()
	var out []Job
	for rows.Next() {
		j, err := scanJob(rows)
		if err != nil {
			return nil, fmt.Errorf("store: claim jobs: %w", err)
		}
		out = append(out, j)
	}
	if err := rows.Err(); err != nil {
		return nil, fmt.Errorf("store: claim jobs: %w", err)
	}
	slices.SortFunc(out, func(a, b Job) int {
		if c := a.RunAt.Compare(b.RunAt); c != 0 {
			return c
		}
		return strings.Compare(a.ID, b.ID)
	})
	return out, nil
}

// FenceJob locks the job row for the rest of the transaction and reports
// whether the claim token still holds it as running. A job whose lease
// expired and was claimed by another instance fails the fence, so its work
// is never committed twice.
func (tx *Tx) FenceJob(ctx context.Context, id, token string) (bool, error) {
	var st string
	err := tx.tx.QueryRowContext(ctx, `SELECT status FROM jobs WHERE id = $1 AND locked_by = $2 AND status = 'running'`+tx.dialect.forUpdate(),
		id, token).Scan(&st)
	if errors.Is(err, sql.ErrNoRows) {
		return false, nil
	}
	if err != nil {
		return false, fmt.Errorf("store: fence job %s: %w", id, err)
	}
	return true, nil
}

// CompleteJob marks a fenced job done, in the transaction of its work.
func (tx *Tx) CompleteJob(ctx context.Context, id string, now time.Time) error {
	return execOne(ctx, tx.tx, `UPDATE jobs SET status = 'done', lease_until = 0, last_error = '', updated_at = $2 WHERE id = $1`, id, micros(now))
}

// ReplaceJobPayload overwrites a fenced job's payload in the transaction
// that finishes it: what a job that carried a secret keeps afterwards
// (jobs.Runner.Redact).
func (tx *Tx) ReplaceJobPayload(ctx context.Context, id string, payload []byte) error {
	return execOne(ctx, tx.tx, `UPDATE jobs SET payload = $2 WHERE id = $1`, id, string(payload))
}

// FailJob records a failed attempt of a job still claimed by token: back to
// pending at retryAt, or dead when dead is set. A non-nil payload replaces
// the job's (a dead job that carried a secret). It reports whether the
// claim still held.
func (db *DB) FailJob(ctx context.Context, id, token string, now, retryAt time.Time, reason string, dead bool, payload []byte) (bool, error) {
	st := JobPending
	if dead {
		st = JobDead
	}
	if len(reason) > 2000 {
		reason = reason[:2000]
	}
	res, err := db.w.ExecContext(ctx, `UPDATE jobs SET status = $3, run_at = $4, last_error = $5, lease_until = 0, updated_at = $6,
		payload = COALESCE($7, payload)
		WHERE id = $1 AND locked_by = $2 AND status = 'running'`, id, token, st, micros(retryAt), reason, micros(now), nullableBytes(payload))
	if err != nil {
		return false, fmt.Errorf("store: fail job %s: %w", id, err)
	}
	n, _ := res.RowsAffected()
	return n > 0, nil
}

// nullableBytes is NULL for nil, else the bytes as text.
func nullableBytes(b []byte) any {
	if b == nil {
		return nil
	}
	return string(b)
}

// CancelPendingJobs cancels the pending jobs whose dedupe key starts with
// prefix (a schedule's future occurrences).
func (tx *Tx) CancelPendingJobs(ctx context.Context, prefix string, now time.Time) error {
	_, err := tx.tx.ExecContext(ctx, `UPDATE jobs SET status = 'cancelled', updated_at = $2
		WHERE status = 'pending' AND dedupe_key LIKE $1 ESCAPE '\'`, likeEscape(prefix)+"%", micros(now))
	if err != nil {
		return fmt.Errorf("store: cancel jobs: %w", err)
	}
	return nil
}

// JobByDedupeKey returns the job with the key.
func (db *DB) JobByDedupeKey(ctx context.Context, key string) (Job, error) {
	j, err := scanJob(db.w.QueryRowContext(ctx, `SELECT `+jobColumns+` FROM jobs WHERE dedupe_key = $1`, key))
	if errors.Is(err, sql.ErrNoRows) {
		return j, notFound("job")
	}
	if err != nil {
		return j, fmt.Errorf("store: job: %w", err)
	}
	return j, nil
}

// JobsByStatus lists up to limit jobs in a status, oldest run_at first.
func (db *DB) JobsByStatus(ctx context.Context, status string, limit int) ([]Job, error) {
	rows, err := db.w.QueryContext(ctx, `SELECT `+jobColumns+` FROM jobs WHERE status = $1 ORDER BY run_at, id LIMIT $2`, status, limit)
	if err != nil {
		return nil, fmt.Errorf("store: jobs: %w", err)
	}
	defer rows.Close()
	var out []Job
	for rows.Next() {
		j, err := scanJob(rows)
		if err != nil {
			return nil, fmt.Errorf("store: jobs: %w", err)
		}
		out = append(out, j)
	}
	return out, rows.Err()
}

// JobCounts counts jobs per status.
func (db *DB) JobCounts(ctx context.Context) (map[string]int, error) {
	rows, err := db.w.QueryContext(ctx, `SELECT status, COUNT(*) FROM jobs GROUP BY status`)
	if err != nil {
		return nil, fmt.Errorf("store: job counts: %w", err)
	}
	defer rows.Close()
	out := map[string]int{}
	for rows.Next() {
		var st string
		var n int
		if err := rows.Scan(&st, &n); err != nil {
			return nil, fmt.Errorf("store: job counts: %w", err)
		}
		out[st] = n
	}
	return out, rows.Err()
}

// OldestDueJob is the run_at of the oldest pending job due at now, for the
// lag gauge; ok is false when none is due.
func (db *DB) OldestDueJob(ctx context.Context, now time.Time) (time.Time, bool, error) {
	var v sql.NullInt64
	err := db.w.QueryRowContext(ctx, `SELECT MIN(run_at) FROM jobs WHERE status = 'pending' AND run_at <= $1`, micros(now)).Scan(&v)
	if err != nil {
		return time.Time{}, false, fmt.Errorf("store: oldest due job: %w", err)
	}
	return fromMicros(v.Int64), v.Valid, nil
}

// RequeueJob puts a dead job back in the queue as pending at runAt with its
// attempts reset: how an operator retries a dead-lettered job once its cause
// is fixed. Only dead jobs qualify: none of their attempts committed
// anything, so running one again cannot repeat its effects. A done job
// stays done.
func (db *DB) RequeueJob(ctx context.Context, id string, runAt time.Time) error {
	return execOne(ctx, db.w, `UPDATE jobs SET status = 'pending', attempts = 0, run_at = $2, lease_until = 0, locked_by = '', updated_at = $3
		WHERE id = $1 AND status = 'dead'`, id, micros(runAt), micros(db.Now()))
}

// DeleteFinishedJobs deletes up to limit done or cancelled jobs that
// finished before before, and reports how many. Dead jobs stay for an
// operator to look at.
func (tx *Tx) DeleteFinishedJobs(ctx context.Context, before time.Time, limit int) (int64, error) {
	res, err := tx.tx.ExecContext(ctx, `DELETE FROM jobs WHERE id IN (SELECT id FROM jobs
		WHERE status IN ('done', 'cancelled') AND updated_at < $1 ORDER BY updated_at LIMIT $2)`, micros(before), limit)
	if err != nil {
		return 0, fmt.Errorf("store: delete finished jobs: %w", err)
	}
	return res.RowsAffected()
}

// ReleaseJob hands a claimed job that was never started back to the queue
// (an instance shutting down): pending again, the attempt not counted.
func (db *DB) ReleaseJob(ctx context.Context, id, token string) error {
	_, err := db.w.ExecContext(ctx, `UPDATE jobs SET status = 'pending', attempts = attempts - 1, lease_until = 0, updated_at = $3
		WHERE id = $1 AND locked_by = $2 AND status = 'running'`, id, token, micros(db.Now()))
	if err != nil {
		return fmt.Errorf("store: release job %s: %w", id, err)
	}
	return nil
}
