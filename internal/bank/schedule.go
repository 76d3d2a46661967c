package bank

import (
	"context"
	"fmt"
	"time"

	"github.com/bankapp/bankapp/internal/audit"
	"github.com/bankapp/bankapp/internal/ledger"
	"github.com/google/uuid"
)

// Limits on standing orders.
const (
	MaxActiveSchedules = 100
	MaxScheduleHorizon = 5 * 366 * 24 * time.Hour // how far ahead start_date may be
)

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
func CreateSchedule(ctx context.Context, tx Tx, q ScheduleRequest) (ScheduledTransfer, error) {
	var s ScheduledTransfer
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
	desc, err := CleanDescription(q.Description)
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
		return s, ErrRecipientNotFound
	}
	if to.ID == from.ID {
		return s, ErrSameAccount
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
	s = ScheduledTransfer{ID: uuid.Must(uuid.NewV7()).String(), OwnerID: q.UserID, FromAccountID: from.ID, ToAccountNumber: to.Number,
		Amount: amt.Minor, Currency: from.Currency, Description: desc, Frequency: q.Frequency, StartDate: FormatDate(start),
		NextRunDate: FormatDate(start), Status: "active", CreatedAt: q.Now.UTC(), UpdatedAt: q.Now.UTC()}
	if !end.IsZero() {
		s.EndDate = FormatDate(end)
	}
	if err := tx.InsertScheduledTransfer(ctx, s); err != nil {
		return s, err
	}
	return s, tx.QueueOccurrence(ctx, ScheduledRun{ScheduleID: s.ID, Date: FormatDate(start)})
}

// CancelSchedule cancels the user's standing order and its queued
// occurrence. Another user's, or an already cancelled one, is not_found.
func CancelSchedule(ctx context.Context, tx Tx, userID, id string, now time.Time) error {
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
	return tx.CancelOccurrences(ctx, s.ID, now)
}

// OccurrenceKeyPrefix is the prefix of every occurrence key of a schedule.
func OccurrenceKeyPrefix(id string) string { return "sched:" + id + ":" }

// OccurrenceKey is the deterministic key of the occurrence of schedule id on
// day: the job's dedupe key and the transfer's idempotency key.
func OccurrenceKey(id string, day time.Time) string { return OccurrenceKeyPrefix(id) + FormatDate(day) }

// ScheduledRun is one run of a standing order: the payload of its job.
type ScheduledRun struct {
	ScheduleID string `json:"schedule_id"`
	Date       string `json:"date"` // YYYY-MM-DD
}

// KindScheduledTransfer is the job kind of an occurrence.
const KindScheduledTransfer = "scheduled_transfer"

// Schedule creates a standing order for the caller and queues its first
// occurrence.
func (s *Service) Schedule(ctx context.Context, c audit.Caller, q ScheduleRequest) (ScheduledTransfer, error) {
	q.UserID, q.Now = c.UserID, s.now()
	var st ScheduledTransfer
	err := s.store.InTx(ctx, func(tx Tx) error {
		var err error
		if st, err = CreateSchedule(ctx, tx, q); err != nil {
			return err
		}
		return tx.InsertAudit(ctx, event(c, "scheduled_transfer_create", "scheduled_transfer:"+st.ID))
	})
	return st, err
}

// Schedules pages the owner's standing orders.
func (s *Service) Schedules(ctx context.Context, owner, cursor string, limit int) ([]ScheduledTransfer, error) {
	return s.store.ScheduledTransfersOfUser(ctx, owner, cursor, limit)
}

// CancelScheduled cancels one of the caller's standing orders and its
// queued occurrence.
func (s *Service) CancelScheduled(ctx context.Context, c audit.Caller, id string) error {
	return s.store.InTx(ctx, func(tx Tx) error {
		if err := CancelSchedule(ctx, tx, c.UserID, id, s.now()); err != nil {
			return err
		}
		return tx.InsertAudit(ctx, event(c, "scheduled_transfer_cancel", "scheduled_transfer:"+id))
	})
}
