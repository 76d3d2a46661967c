package store

import (
	"context"
	"database/sql"
	"encoding/json"
	"errors"
	"fmt"
	"time"

	"github.com/bankapp/bankapp/internal/bank"
	"github.com/bankapp/bankapp/internal/ledger"
)

const scheduledColumns = `id, owner_id, from_account_id, to_account_number, amount, currency, description, frequency, start_date,
	COALESCE(end_date, ''), COALESCE(next_run_date, ''), COALESCE(last_run_at, 0), COALESCE(last_status, ''), runs, status, created_at, updated_at`

func scanScheduled(row interface{ Scan(...any) error }) (bank.ScheduledTransfer, error) {
	var s bank.ScheduledTransfer
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
func (tx *Tx) InsertScheduledTransfer(ctx context.Context, s bank.ScheduledTransfer) error {
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
func (db *DB) ScheduledTransfersOfUser(ctx context.Context, owner, before string, limit int) ([]bank.ScheduledTransfer, error) {
	rows, err := db.w.QueryContext(ctx, `SELECT `+scheduledColumns+` FROM scheduled_transfers
		WHERE owner_id = $1 AND status <> 'cancelled' AND ($2 = '' OR id < $2) ORDER BY id DESC LIMIT $3`, owner, before, limit)
	if err != nil {
		return nil, fmt.Errorf("store: scheduled transfers: %w", err)
	}
	defer rows.Close()
	var out []bank.ScheduledTransfer
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
func (tx *Tx) ScheduledTransferForUpdate(ctx context.Context, owner, id string) (bank.ScheduledTransfer, error) {
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
func (tx *Tx) UpdateScheduledTransfer(ctx context.Context, s bank.ScheduledTransfer, now time.Time) error {
	var last any
	if !s.LastRunAt.IsZero() {
		last = micros(s.LastRunAt)
	}
	return execOne(ctx, tx.tx, `UPDATE scheduled_transfers SET next_run_date = $2, last_run_at = $3, last_status = $4, runs = $5,
		status = $6, updated_at = $7 WHERE id = $1`, s.ID, nullable(s.NextRunDate), last, nullable(s.LastStatus), s.Runs, s.Status, micros(now))
}

// QueueOccurrence implements bank's scheduleTx: the run is a job of kind
// bank.KindScheduledTransfer, due at 00:00 UTC of its day, deduplicated by
// its occurrence key.
func (tx *Tx) QueueOccurrence(ctx context.Context, o bank.ScheduledRun) error {
	day, err := bank.ParseDate(o.Date)
	if err != nil {
		return err
	}
	p, err := json.Marshal(o)
	if err != nil {
		return fmt.Errorf("store: occurrence payload: %w", err)
	}
	_, err = tx.EnqueueJob(ctx, Job{Kind: bank.KindScheduledTransfer, DedupeKey: bank.OccurrenceKey(o.ScheduleID, day), Payload: p, RunAt: day})
	return err
}

// CancelOccurrences implements bank's scheduleTx.
func (tx *Tx) CancelOccurrences(ctx context.Context, scheduleID string, now time.Time) error {
	return tx.CancelPendingJobs(ctx, bank.OccurrenceKeyPrefix(scheduleID), now)
}
