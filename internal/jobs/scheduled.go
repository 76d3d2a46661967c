package jobs

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"time"

	"github.com/bankapp/bankapp/internal/audit"
	"github.com/bankapp/bankapp/internal/bank"
	"github.com/bankapp/bankapp/internal/ledger"
	"github.com/bankapp/bankapp/internal/store"
)

// StatusCompleted is last_status of an occurrence that moved the money; a
// failed occurrence records its error code (insufficient_funds, …).
const StatusCompleted = "completed"

// IdempotencyOwner owns the idempotency keys of jobs. It is not a user id
// (those are UUIDs), so a customer's Idempotency-Key can never collide with
// a job's key.
const IdempotencyOwner = "jobs"

// sameTx lets ledger.Idempotent run inside the job's transaction.
func sameTx(tx *store.Tx) func(context.Context, func(*store.Tx) error) error {
	return func(_ context.Context, fn func(*store.Tx) error) error { return fn(tx) }
}

type outcome struct {
	Status     string `json:"status"`
	TransferID string `json:"transfer_id,omitempty"`
}

// runScheduledTransfer executes one occurrence: the transfer (or the record
// of why it failed), its audit event, the schedule's new state and the next
// occurrence's job commit together with the job itself.
func (r *Runner) runScheduledTransfer(ctx context.Context, tx *store.Tx, j store.Job) error {
	var occ bank.ScheduledRun
	if err := json.Unmarshal(j.Payload, &occ); err != nil {
		return Permanent(fmt.Errorf("jobs: occurrence payload: %w", err))
	}
	day, err := bank.ParseDate(occ.Date)
	if err != nil {
		return Permanent(err)
	}
	s, err := tx.ScheduledTransferForUpdate(ctx, "", occ.ScheduleID)
	if err != nil {
		return Permanent(fmt.Errorf("jobs: schedule %s: %w", occ.ScheduleID, err))
	}
	if s.Status != "active" || s.NextRunDate != occ.Date {
		return nil // cancelled, or an occurrence already accounted for
	}
	now := r.now()
	key := bank.OccurrenceKey(s.ID, day)
	res, err := ledger.Idempotent(ctx, r.keys, sameTx(tx), IdempotencyOwner, key, key, func(tx *store.Tx) (ledger.Response, error) {
		out, err := r.occurrenceTransfer(ctx, tx, s, key, j.ID, now)
		if err != nil {
			return ledger.Response{}, err
		}
		b, err := json.Marshal(out)
		return ledger.Response{Status: 200, Body: b}, err
	})
	if err != nil {
		return fmt.Errorf("jobs: occurrence %s: %w", key, err)
	}
	var out outcome
	if err := json.Unmarshal(res.Body, &out); err != nil {
		return Permanent(fmt.Errorf("jobs: stored outcome of %s: %w", key, err))
	}
	s.LastRunAt, s.LastStatus, s.Runs = now, out.Status, s.Runs+1
	start, _ := bank.ParseDate(s.StartDate)
	var end time.Time
	if s.EndDate != "" {
		end, _ = bank.ParseDate(s.EndDate)
	}
	if next, ok := bank.Next(s.Frequency, start, end, day); ok {
		s.NextRunDate = bank.FormatDate(next)
		if err := tx.QueueOccurrence(ctx, bank.ScheduledRun{ScheduleID: s.ID, Date: bank.FormatDate(next)}); err != nil {
			return err
		}
	} else {
		s.NextRunDate, s.Status = "", "completed"
	}
	return tx.UpdateScheduledTransfer(ctx, s, now)
}

// occurrenceTransfer moves the money through bank.Transfer, with the same
// checks and limits as a customer's own transfer. A refusal (insufficient
// funds, frozen, limit…) is an outcome, not an error: it is recorded and
// audited and the schedule moves on. Other errors roll back and retry.
func (r *Runner) occurrenceTransfer(ctx context.Context, tx *store.Tx, s bank.ScheduledTransfer, key, jobID string, now time.Time) (outcome, error) {
	const sp = "occurrence"
	if err := tx.Savepoint(ctx, sp); err != nil {
		return outcome{}, err
	}
	amount := ledger.FormatMinor(s.Amount, s.Currency.Digits())
	t, _, err := bank.Transfer(ctx, tx, bank.Movement{UserID: s.OwnerID, AccountID: s.FromAccountID, ToAccountNumber: s.ToAccountNumber,
		Amount: amount, Description: s.Description, Now: now})
	ev := audit.Event{ActorID: s.OwnerID, Action: "scheduled_transfer", RequestID: "job:" + jobID, At: now,
		Detail: key + " " + amount + " " + string(s.Currency)}
	var out outcome
	if err != nil {
		var c interface{ ErrorCode() string }
		if !errors.As(err, &c) {
			return outcome{}, err
		}
		if err := tx.RollbackToSavepoint(ctx, sp); err != nil {
			return outcome{}, err
		}
		out = outcome{Status: c.ErrorCode()}
		ev.Target, ev.Outcome = "scheduled_transfer:"+s.ID, out.Status
		r.log.Info("scheduled transfer refused", "key", key, "code", out.Status)
	} else {
		out = outcome{Status: StatusCompleted, TransferID: t.ID}
		ev.Target, ev.Outcome = "transfer:"+t.ID, "success"
	}
	if err := tx.ReleaseSavepoint(ctx, sp); err != nil {
		return outcome{}, err
	}
	return out, tx.InsertAudit(ctx, ev)
}
