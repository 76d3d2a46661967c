package jobs

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"time"

	"github.com/google/uuid"

	"github.com/bankapp/bankapp/internal/bank"
	"github.com/bankapp/bankapp/internal/ledger"
	"github.com/bankapp/bankapp/internal/store"
)

// KindScheduledTransfer is the job of one occurrence of a scheduled transfer.
const KindScheduledTransfer = "scheduled_transfer"

// Limits on standing orders.
const (
	MaxActiveSchedules = 100
	MaxScheduleHorizon = 5 * 366 * 24 * time.Hour // how far ahead start_date may be
)

// StatusCompleted is last_status of an occurrence that moved the money; a
// failed occurrence records its error code (insufficient_funds, …).
const StatusCompleted = "completed"

// IdempotencyOwner owns the idempotency keys of jobs. It is not a user id
// (those are UUIDs), so a customer's Idempotency-Key can never collide with
// a job's key.
const IdempotencyOwner = "jobs"

// ScheduleRequest is a customer's request for a standing order.
type ScheduleRequest struct {
	UserID          string
	FromAccountID   string
	ToAccountNumber string
	Amount          string // decimal string in the account's currency
	Description     string
	Frequency       string
	StartDate       string // YYYY-MM-DD, today or later (UTC)
	EndDate         string // optional, inclusive
	Now             time.Time
}

// invalid is a validation error whose message is a sentence a customer
// understands (it is shown under the form field and as the detail).
func invalid(field, msg string) error {
	return &ledger.Error{Code: "validation_failed", Msg: msg, Field: field}
}

// CreateSchedule validates the request, stores the standing order and queues
// its first occurrence, all in tx.
func CreateSchedule(ctx context.Context, tx *store.Tx, q ScheduleRequest) (store.ScheduledTransfer, error) {
	var s store.ScheduledTransfer
	switch q.Frequency {
	case Once, Weekly, Monthly:
	default:
		return s, invalid("frequency", "Choose how often: once, every week or every month.")
	}
	today := Day(q.Now)
	start, err := ParseDate(q.StartDate)
	if err != nil {
		return s, invalid("start_date", "Enter the first payment date, like 2027-01-15.")
	}
	if start.Before(today) {
		return s, invalid("start_date", "The first payment date has already passed. Pick today or a later date.")
	}
	if start.After(today.Add(MaxScheduleHorizon)) {
		return s, invalid("start_date", "The first payment must be within the next five years.")
	}
	var end time.Time
	if q.EndDate != "" {
		if end, err = ParseDate(q.EndDate); err != nil {
			return s, invalid("end_date", "Enter the last payment date, like 2027-12-15, or leave it empty.")
		}
		if end.Before(start) {
			return s, invalid("end_date", "The last payment can't be before the first one.")
		}
	}
	desc, err := bank.CleanDescription(q.Description)
	if err != nil {
		return s, err
	}
	if msg := ledger.AccountNumberProblem(q.ToAccountNumber); msg != "" {
		return s, invalid("to_account_number", msg)
	}
	from, err := tx.AccountByID(ctx, q.UserID, q.FromAccountID)
	if err != nil {
		return s, err
	}
	if from.Status == ledger.StatusClosed {
		return s, ledger.ErrAccountClosed
	}
	amt, err := ledger.ParseAmount(q.Amount, from.Currency)
	if err != nil {
		return s, err
	}
	to, err := tx.AccountByNumber(ctx, q.ToAccountNumber)
	if err != nil || to.Status == ledger.StatusClosed {
		return s, bank.ErrRecipientNotFound
	}
	if to.ID == from.ID {
		return s, bank.ErrSameAccount
	}
	if to.Currency != from.Currency {
		return s, ledger.ErrCurrencyMismatch
	}
	n, err := tx.CountActiveScheduledTransfers(ctx, q.UserID)
	if err != nil {
		return s, err
	}
	if n >= MaxActiveSchedules {
		return s, &ledger.Error{Code: "limit_exceeded", Msg: fmt.Sprintf("You can have at most %d active scheduled transfers. Cancel one to add another.", MaxActiveSchedules)}
	}
	s = store.ScheduledTransfer{ID: uuid.Must(uuid.NewV7()).String(), OwnerID: q.UserID, FromAccountID: from.ID, ToAccountNumber: to.Number,
		Amount: amt.Minor, Currency: from.Currency, Description: desc, Frequency: q.Frequency, StartDate: FormatDate(start),
		NextRunDate: FormatDate(start), Status: "active", CreatedAt: q.Now.UTC(), UpdatedAt: q.Now.UTC()}
	if !end.IsZero() {
		s.EndDate = FormatDate(end)
	}
	if err := tx.InsertScheduledTransfer(ctx, s); err != nil {
		return s, err
	}
	return s, enqueueOccurrence(ctx, tx, s.ID, start)
}

// CancelSchedule cancels the user's standing order and its queued
// occurrence. Another user's, or an already cancelled one, is not_found.
func CancelSchedule(ctx context.Context, tx *store.Tx, userID, id string, now time.Time) error {
	s, err := tx.ScheduledTransferForUpdate(ctx, userID, id)
	if err != nil || userID == "" {
		return &ledger.Error{Code: "not_found", Msg: "scheduled transfer not found"}
	}
	if s.Status == "cancelled" {
		return &ledger.Error{Code: "not_found", Msg: "scheduled transfer not found"}
	}
	s.Status, s.NextRunDate = "cancelled", ""
	if err := tx.UpdateScheduledTransfer(ctx, s, now); err != nil {
		return err
	}
	return tx.CancelPendingJobs(ctx, OccurrenceKeyPrefix(s.ID), now)
}

// OccurrenceKeyPrefix is the prefix of every occurrence key of a schedule.
func OccurrenceKeyPrefix(id string) string { return "sched:" + id + ":" }

// OccurrenceKey is the deterministic key of the occurrence of schedule id on
// day: the job's dedupe key and the transfer's idempotency key.
func OccurrenceKey(id string, day time.Time) string { return OccurrenceKeyPrefix(id) + FormatDate(day) }

type occurrence struct {
	ScheduleID string `json:"schedule_id"`
	Date       string `json:"date"`
}

// enqueueOccurrence queues the occurrence of a schedule on day, due at
// 00:00 UTC of that day.
func enqueueOccurrence(ctx context.Context, tx *store.Tx, id string, day time.Time) error {
	p, err := json.Marshal(occurrence{ScheduleID: id, Date: FormatDate(day)})
	if err != nil {
		return fmt.Errorf("jobs: occurrence payload: %w", err)
	}
	_, err = tx.EnqueueJob(ctx, store.Job{Kind: KindScheduledTransfer, DedupeKey: OccurrenceKey(id, day), Payload: p, RunAt: Day(day)})
	return err
}

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
	var occ occurrence
	if err := json.Unmarshal(j.Payload, &occ); err != nil {
		return Permanent(fmt.Errorf("jobs: occurrence payload: %w", err))
	}
	day, err := ParseDate(occ.Date)
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
	key := OccurrenceKey(s.ID, day)
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
	start, _ := ParseDate(s.StartDate)
	var end time.Time
	if s.EndDate != "" {
		end, _ = ParseDate(s.EndDate)
	}
	if next, ok := Next(s.Frequency, start, end, day); ok {
		s.NextRunDate = FormatDate(next)
		if err := enqueueOccurrence(ctx, tx, s.ID, next); err != nil {
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
func (r *Runner) occurrenceTransfer(ctx context.Context, tx *store.Tx, s store.ScheduledTransfer, key, jobID string, now time.Time) (outcome, error) {
	const sp = "occurrence"
	if err := tx.Savepoint(ctx, sp); err != nil {
		return outcome{}, err
	}
	amount := ledger.FormatMinor(s.Amount, s.Currency.Digits())
	t, _, err := bank.Transfer(ctx, tx, bank.Movement{UserID: s.OwnerID, AccountID: s.FromAccountID, ToAccountNumber: s.ToAccountNumber,
		Amount: amount, Description: s.Description, Now: now})
	ev := store.AuditEvent{ActorID: s.OwnerID, Action: "scheduled_transfer", RequestID: "job:" + jobID, At: now,
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
