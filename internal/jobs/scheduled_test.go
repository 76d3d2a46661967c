package jobs_test

import (
	"context"
	"errors"
	"strings"
	"testing"

	"github.com/bankapp/bankapp/internal/bank"
	"github.com/bankapp/bankapp/internal/jobs"
	"github.com/bankapp/bankapp/internal/ledger"
	"github.com/bankapp/bankapp/internal/store"
	"github.com/bankapp/bankapp/internal/store/storetest"
)

func TestMonthlyScheduleRunsOnMonthEndsAndRecordsFailures(t *testing.T) {
	storetest.Run(t, func(t *testing.T, db *store.DB) {
		f := newFixture(t, db, "2027-01-15T10:00:00Z")
		uid, from := f.customer(ledger.TypeChecking, 25_00)
		_, to := f.customer(ledger.TypeChecking, 0)
		s := f.schedule(bank.ScheduleRequest{UserID: uid, FromAccountID: from.ID, ToAccountNumber: to.Number, Amount: "10.00",
			Description: "rent", Frequency: bank.Monthly, StartDate: "2027-01-31", EndDate: "2027-04-30"})
		if s.NextRunDate != "2027-01-31" || s.Status != "active" {
			t.Fatalf("new schedule: %+v", s)
		}

		// The recipient's balance after the clock reaches each instant: paid
		// on Jan 31 (not before), once however often the runner looks, and
		// on the last day of February.
		for _, step := range []struct {
			at   string
			want int64
		}{
			{"2027-01-30T23:59:59Z", 0},
			{"2027-01-31T00:00:00Z", 10_00},
			{"2027-01-31T12:00:00Z", 10_00},
			{"2027-02-28T00:00:01Z", 20_00},
		} {
			f.at(step.at)
			if got := f.balance(to.ID); got != step.want {
				t.Fatalf("at %s: recipient %d, want %d", step.at, got, step.want)
			}
			if step.at == "2027-01-31T00:00:00Z" {
				if s = f.get(s.ID); s.NextRunDate != "2027-02-28" || s.LastStatus != jobs.StatusCompleted || s.Runs != 1 {
					t.Fatalf("after Jan 31: %+v", s)
				}
			}
		}
		// 5.00 left: March fails for insufficient funds, is recorded and audited, and the schedule moves on.
		f.at("2027-03-31T00:00:00Z")
		s = f.get(s.ID)
		if s.LastStatus != "insufficient_funds" || s.NextRunDate != "2027-04-30" || s.Status != "active" {
			t.Fatalf("after the failed March run: %+v", s)
		}
		if got := f.balance(from.ID); got != 5_00 {
			t.Fatalf("sender after a failed run: %d", got)
		}
		f.customerDeposit(from.ID, 10_00)
		f.at("2027-04-30T00:00:00Z")
		s = f.get(s.ID)
		if s.Status != "completed" || s.NextRunDate != "" || s.LastStatus != jobs.StatusCompleted || s.Runs != 4 {
			t.Fatalf("after the last run: %+v", s)
		}
		if got := f.balance(to.ID); got != 30_00 {
			t.Fatalf("recipient at the end: %d", got)
		}
		f.at("2027-05-31T00:00:00Z")
		if got := f.balance(to.ID); got != 30_00 {
			t.Fatalf("ran after the end date: %d", got)
		}

		ev := f.audits("scheduled_transfer")
		outcomes := map[string]int{}
		for _, e := range ev {
			outcomes[e.Outcome]++
			if e.ActorID != uid || !strings.HasPrefix(e.Detail, bank.OccurrenceKeyPrefix(s.ID)) {
				t.Fatalf("audit event %+v", e)
			}
		}
		if outcomes["success"] != 3 || outcomes["insufficient_funds"] != 1 || len(ev) != 4 {
			t.Fatalf("audit outcomes %v", outcomes)
		}
		f.verify()
		if got := f.metric("bankapp_jobs_run_total", "kind", bank.KindScheduledTransfer); got != 4 {
			t.Fatalf("jobs run metric = %v, want 4", got)
		}
	})
}

func TestWeeklyScheduleCatchesUpAndCancelStopsIt(t *testing.T) {
	storetest.Run(t, func(t *testing.T, db *store.DB) {
		f := newFixture(t, db, "2027-01-01T08:00:00Z")
		uid, from := f.customer(ledger.TypeChecking, 100_00)
		_, to := f.customer(ledger.TypeSavings, 0)
		s := f.schedule(bank.ScheduleRequest{UserID: uid, FromAccountID: from.ID, ToAccountNumber: to.Number, Amount: "1.00",
			Frequency: bank.Weekly, StartDate: "2027-01-01"})
		// Today's start is already due.
		f.at("2027-01-01T08:00:01Z")
		if got := f.balance(to.ID); got != 1_00 {
			t.Fatalf("start today: %d", got)
		}
		// Three weeks without a running instance: each missed occurrence runs once.
		f.at("2027-01-22T09:00:00Z")
		if got := f.balance(to.ID); got != 4_00 {
			t.Fatalf("catch-up: %d", got)
		}
		if s = f.get(s.ID); s.NextRunDate != "2027-01-29" {
			t.Fatalf("next after catch-up: %s", s.NextRunDate)
		}
		err := db.InTx(f.ctx, func(tx *store.Tx) error { return bank.CancelSchedule(f.ctx, tx, uid, s.ID, f.clk.Now()) })
		if err != nil {
			t.Fatal(err)
		}
		f.at("2027-02-26T00:00:00Z")
		if got := f.balance(to.ID); got != 4_00 {
			t.Fatalf("ran after cancel: %d", got)
		}
		j, err := db.JobByDedupeKey(f.ctx, "sched:"+s.ID+":2027-01-29")
		if err != nil || j.Status != store.JobCancelled {
			t.Fatalf("pending occurrence after cancel: %+v %v", j, err)
		}
		// Cancelling twice, or someone else's, is not found.
		err = db.InTx(f.ctx, func(tx *store.Tx) error { return bank.CancelSchedule(f.ctx, tx, uid, s.ID, f.clk.Now()) })
		if code(err) != "not_found" {
			t.Fatalf("second cancel: %v", err)
		}
		f.verify()
	})
}

func TestOnceScheduleFrozenAccountIsRecorded(t *testing.T) {
	storetest.Run(t, func(t *testing.T, db *store.DB) {
		f := newFixture(t, db, "2027-03-01T00:00:00Z")
		uid, from := f.customer(ledger.TypeChecking, 50_00)
		_, to := f.customer(ledger.TypeChecking, 0)
		s := f.schedule(bank.ScheduleRequest{UserID: uid, FromAccountID: from.ID, ToAccountNumber: to.Number, Amount: "5.00",
			Frequency: bank.Once, StartDate: "2027-03-02", EndDate: "2027-12-31"})
		err := db.InTx(f.ctx, func(tx *store.Tx) error { return tx.SetAccountStatus(f.ctx, from.ID, ledger.StatusFrozen) })
		if err != nil {
			t.Fatal(err)
		}
		f.at("2027-03-02T00:00:00Z")
		s = f.get(s.ID)
		if s.LastStatus != "account_frozen" || s.Status != "completed" || s.NextRunDate != "" {
			t.Fatalf("frozen once: %+v", s)
		}
		if f.balance(from.ID) != 50_00 {
			t.Fatal("money moved from a frozen account")
		}
	})
}

// TestCrashBetweenPaymentAndBookkeepingCannotPayTwice rewinds a schedule as
// if the occurrence's bookkeeping had been lost after the money moved, and
// queues the occurrence again under another job: the idempotency record of
// the occurrence key answers instead of a second payment.
func TestCrashBetweenPaymentAndBookkeepingCannotPayTwice(t *testing.T) {
	storetest.Run(t, func(t *testing.T, db *store.DB) {
		f := newFixture(t, db, "2027-03-01T00:00:00Z")
		uid, from := f.customer(ledger.TypeChecking, 50_00)
		_, to := f.customer(ledger.TypeChecking, 0)
		s := f.schedule(bank.ScheduleRequest{UserID: uid, FromAccountID: from.ID, ToAccountNumber: to.Number, Amount: "5.00",
			Frequency: bank.Monthly, StartDate: "2027-03-01"})
		f.at("2027-03-01T00:00:01Z")
		if f.balance(to.ID) != 5_00 {
			t.Fatalf("first run did not pay: %+v", f.get(s.ID))
		}
		key := bank.OccurrenceKey(s.ID, day(t, "2027-03-01"))
		rewind(t, db, s.ID, key)
		f.at("2027-03-01T00:05:00Z")
		if j, err := db.JobByDedupeKey(f.ctx, key+"#again"); err != nil || j.Status != store.JobDone {
			t.Fatalf("second job: %+v %v", j, err)
		}
		if got := f.balance(to.ID); got != 5_00 {
			t.Fatalf("paid twice: recipient %d", got)
		}
		if s = f.get(s.ID); s.LastStatus != jobs.StatusCompleted || s.NextRunDate != "2027-04-01" {
			t.Fatalf("after replay: %+v", s)
		}
		if n := len(f.audits("scheduled_transfer")); n != 1 {
			t.Fatalf("%d audit events, want 1", n)
		}
		f.verify()
	})
}

// rewind puts a schedule back to before its run on the key's day and queues
// that occurrence again under a new job.
func rewind(t *testing.T, db *store.DB, id, key string) {
	t.Helper()
	ctx := context.Background()
	err := db.InTx(ctx, func(tx *store.Tx) error {
		s, err := tx.ScheduledTransferForUpdate(ctx, "", id)
		if err != nil {
			return err
		}
		s.NextRunDate, s.Runs, s.LastStatus = key[len(key)-10:], s.Runs-1, ""
		return tx.UpdateScheduledTransfer(ctx, s, s.UpdatedAt)
	})
	if err != nil {
		t.Fatal(err)
	}
	j, err := db.JobByDedupeKey(ctx, key)
	if err != nil {
		t.Fatal(err)
	}
	j.ID, j.DedupeKey = "", key+"#again"
	if ok, err := db.EnqueueJob(ctx, j); err != nil || !ok {
		t.Fatalf("enqueue again: %v %v", ok, err)
	}
}

func code(err error) string {
	var c interface{ ErrorCode() string }
	if errors.As(err, &c) {
		return c.ErrorCode()
	}
	return ""
}
