package store

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"slices"
	"time"

	"github.com/google/uuid"

	"github.com/bankapp/bankapp/internal/ledger"
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
		return compareStrings(a.ID, b.ID)
	})
	return out, nil
}

func compareStrings(a, b string) int {
	switch {
	case a < b:
		return -1
	case a > b:
		return 1
	}
	return 0
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

// FailJob records a failed attempt of a job still claimed by token: back to
// pending at retryAt, or dead when dead is set. It reports whether the claim
// still held.
func (db *DB) FailJob(ctx context.Context, id, token string, now, retryAt time.Time, reason string, dead bool) (bool, error) {
	st := JobPending
	if dead {
		st = JobDead
	}
	if len(reason) > 2000 {
		reason = reason[:2000]
	}
	res, err := db.w.ExecContext(ctx, `UPDATE jobs SET status = $3, run_at = $4, last_error = $5, lease_until = 0, updated_at = $6
		WHERE id = $1 AND locked_by = $2 AND status = 'running'`, id, token, st, micros(retryAt), reason, micros(now))
	if err != nil {
		return false, fmt.Errorf("store: fail job %s: %w", id, err)
	}
	n, _ := res.RowsAffected()
	return n > 0, nil
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

// Savepoint starts a savepoint, so that part of a transaction can be undone
// (a failed occurrence of a scheduled transfer) while the rest commits.
func (tx *Tx) Savepoint(ctx context.Context, name string) error {
	if _, err := tx.tx.ExecContext(ctx, `SAVEPOINT `+name); err != nil {
		return fmt.Errorf("store: savepoint: %w", err)
	}
	return nil
}

// RollbackToSavepoint undoes everything since the savepoint.
func (tx *Tx) RollbackToSavepoint(ctx context.Context, name string) error {
	if _, err := tx.tx.ExecContext(ctx, `ROLLBACK TO SAVEPOINT `+name); err != nil {
		return fmt.Errorf("store: rollback to savepoint: %w", err)
	}
	return nil
}

// ReleaseSavepoint keeps what was done since the savepoint.
func (tx *Tx) ReleaseSavepoint(ctx context.Context, name string) error {
	if _, err := tx.tx.ExecContext(ctx, `RELEASE SAVEPOINT `+name); err != nil {
		return fmt.Errorf("store: release savepoint: %w", err)
	}
	return nil
}

// ScheduledTransfer is a customer's standing order. Dates are UTC calendar
// days "YYYY-MM-DD"; "" means none.
type ScheduledTransfer struct {
	ID              string
	OwnerID         string
	FromAccountID   string
	ToAccountNumber string
	Amount          int64
	Currency        ledger.Currency
	Description     string
	Frequency       string
	StartDate       string
	EndDate         string
	NextRunDate     string
	LastRunAt       time.Time // zero: never ran
	LastStatus      string
	Runs            int
	Status          string // active, completed, cancelled
	CreatedAt       time.Time
	UpdatedAt       time.Time
}

const scheduledColumns = `id, owner_id, from_account_id, to_account_number, amount, currency, description, frequency, start_date,
	COALESCE(end_date, ''), COALESCE(next_run_date, ''), COALESCE(last_run_at, 0), COALESCE(last_status, ''), runs, status, created_at, updated_at`

func scanScheduled(row interface{ Scan(...any) error }) (ScheduledTransfer, error) {
	var s ScheduledTransfer
	var cur string
	var last, created, updated int64
	err := row.Scan(&s.ID, &s.OwnerID, &s.FromAccountID, &s.ToAccountNumber, &s.Amount, &cur, &s.Description, &s.Frequency, &s.StartDate,
		&s.EndDate, &s.NextRunDate, &last, &s.LastStatus, &s.Runs, &s.Status, &created, &updated)
	s.Currency = ledger.Currency(cur)
	if last != 0 {
		s.LastRunAt = fromMicros(last)
	}
	s.CreatedAt, s.UpdatedAt = fromMicros(created), fromMicros(updated)
	return s, err
}

// InsertScheduledTransfer stores a new standing order.
func (tx *Tx) InsertScheduledTransfer(ctx context.Context, s ScheduledTransfer) error {
	_, err := tx.tx.ExecContext(ctx, `INSERT INTO scheduled_transfers (id, owner_id, from_account_id, to_account_number, amount, currency,
		description, frequency, start_date, end_date, next_run_date, status, created_at, updated_at)
		VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $13)`,
		s.ID, s.OwnerID, s.FromAccountID, s.ToAccountNumber, s.Amount, string(s.Currency), s.Description, s.Frequency, s.StartDate,
		nullable(s.EndDate), nullable(s.NextRunDate), s.Status, micros(s.CreatedAt))
	if err != nil {
		return fmt.Errorf("store: insert scheduled transfer: %w", err)
	}
	return nil
}

// CountActiveScheduledTransfers counts the owner's active standing orders.
func (tx *Tx) CountActiveScheduledTransfers(ctx context.Context, owner string) (int, error) {
	var n int
	err := tx.tx.QueryRowContext(ctx, `SELECT COUNT(*) FROM scheduled_transfers WHERE owner_id = $1 AND status = 'active'`, owner).Scan(&n)
	if err != nil {
		return 0, fmt.Errorf("store: count scheduled transfers: %w", err)
	}
	return n, nil
}

// ScheduledTransfersOfUser pages the owner's standing orders that are not
// cancelled, newest first, before the cursor id ("" = from the newest).
func (db *DB) ScheduledTransfersOfUser(ctx context.Context, owner, before string, limit int) ([]ScheduledTransfer, error) {
	rows, err := db.w.QueryContext(ctx, `SELECT `+scheduledColumns+` FROM scheduled_transfers
		WHERE owner_id = $1 AND status <> 'cancelled' AND ($2 = '' OR id < $2) ORDER BY id DESC LIMIT $3`, owner, before, limit)
	if err != nil {
		return nil, fmt.Errorf("store: scheduled transfers: %w", err)
	}
	defer rows.Close()
	var out []ScheduledTransfer
	for rows.Next() {
		s, err := scanScheduled(rows)
		if err != nil {
			return nil, fmt.Errorf("store: scheduled transfers: %w", err)
		}
		out = append(out, s)
	}
	return out, rows.Err()
}

// ScheduledTransferForUpdate returns and locks a standing order; owner ""
// matches any owner (the job runner).
func (tx *Tx) ScheduledTransferForUpdate(ctx context.Context, owner, id string) (ScheduledTransfer, error) {
	q := `SELECT ` + scheduledColumns + ` FROM scheduled_transfers WHERE id = $1 AND ($2 = '' OR owner_id = $2)` + tx.dialect.forUpdate()
	s, err := scanScheduled(tx.tx.QueryRowContext(ctx, q, id, owner))
	if errors.Is(err, sql.ErrNoRows) {
		return s, notFound("scheduled transfer")
	}
	if err != nil {
		return s, fmt.Errorf("store: scheduled transfer: %w", err)
	}
	return s, nil
}

// UpdateScheduledTransfer writes a standing order's run state: next run,
// last run and its status, run count and status.
func (tx *Tx) UpdateScheduledTransfer(ctx context.Context, s ScheduledTransfer, now time.Time) error {
	var last any
	if !s.LastRunAt.IsZero() {
		last = micros(s.LastRunAt)
	}
	return execOne(ctx, tx.tx, `UPDATE scheduled_transfers SET next_run_date = $2, last_run_at = $3, last_status = $4, runs = $5,
		status = $6, updated_at = $7 WHERE id = $1`, s.ID, nullable(s.NextRunDate), last, nullable(s.LastStatus), s.Runs, s.Status, micros(now))
}

// CustomerAccountsAfter pages every customer account by id (jobs that visit
// all accounts: interest, statements).
func (tx *Tx) CustomerAccountsAfter(ctx context.Context, after string, limit int) ([]ledger.Account, error) {
	return accountsWhere(ctx, tx.tx, `type <> 'system' AND id > $1 ORDER BY id LIMIT $2`, after, limit)
}

// BalancePoint is an account's balance right after a posting.
type BalancePoint struct {
	At      time.Time
	Balance int64
}

// BalancesDuring returns the account's balance before from and its balance
// after each posting in [from, to), in posting order, read in the
// transaction (the primary), so nothing committed before is missed.
func (tx *Tx) BalancesDuring(ctx context.Context, accountID string, from, to time.Time) (int64, []BalancePoint, error) {
	var opening sql.NullInt64
	err := tx.tx.QueryRowContext(ctx, `SELECT balance_after FROM postings WHERE account_id = $1 AND created_at < $2
		ORDER BY seq DESC LIMIT 1`, accountID, micros(from)).Scan(&opening)
	if err != nil && !errors.Is(err, sql.ErrNoRows) {
		return 0, nil, fmt.Errorf("store: opening balance: %w", err)
	}
	rows, err := tx.tx.QueryContext(ctx, `SELECT created_at, balance_after FROM postings
		WHERE account_id = $1 AND created_at >= $2 AND created_at < $3 ORDER BY seq`, accountID, micros(from), micros(to))
	if err != nil {
		return 0, nil, fmt.Errorf("store: balances: %w", err)
	}
	defer rows.Close()
	var out []BalancePoint
	for rows.Next() {
		var at int64
		var p BalancePoint
		if err := rows.Scan(&at, &p.Balance); err != nil {
			return 0, nil, fmt.Errorf("store: balances: %w", err)
		}
		p.At = fromMicros(at)
		out = append(out, p)
	}
	return opening.Int64, out, rows.Err()
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

// EntriesDuring returns the account's postings in [from, to), oldest first,
// with the customer on the other side, read in the transaction (the
// statements job, which must not wait for a second connection while it
// holds one: SQLite has a single writer connection).
func (tx *Tx) EntriesDuring(ctx context.Context, accountID string, from, to time.Time) ([]HistoryEntry, error) {
	return history(ctx, tx.tx, accountID, HistoryFilter{From: from, To: to, Ascending: true, Limit: 1_000_000})
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

// CustomerAccount reads a customer account whoever owns it, without locking
// it (jobs that only read, such as statements).
func (tx *Tx) CustomerAccount(ctx context.Context, id string) (ledger.Account, error) {
	return oneAccount(ctx, tx.tx, `id = $1 AND type <> 'system'`, id)
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
