package jobs

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"time"

	"github.com/bankapp/bankapp/internal/bank"
	"github.com/bankapp/bankapp/internal/ledger"
	"github.com/bankapp/bankapp/internal/statement"
	"github.com/bankapp/bankapp/internal/store"
)

// Job kinds of monthly statements: one per month that fans out one job per
// account.
const (
	KindStatementsMonth = "statements_month"
	KindStatement       = "statement"
)

// StatementKey is the blob key of an account's PDF statement for a month,
// the key the statements endpoint reads before generating one itself.
func StatementKey(accountID, month string) string {
	return "statements/" + accountID + "/" + month + ".pdf"
}

// runStatementsMonth queues a statement job for every account that was open
// during the month and is not closed.
func (r *Runner) runStatementsMonth(ctx context.Context, tx *store.Tx, j store.Job) error {
	var p monthPayload
	if err := json.Unmarshal(j.Payload, &p); err != nil {
		return Permanent(fmt.Errorf("jobs: statements payload: %w", err))
	}
	start, err := bank.ParsePeriod(p.Month)
	if err != nil {
		return Permanent(err)
	}
	end := start.AddDate(0, 1, 0)
	return forEachAccount(ctx, tx, func(a ledger.Account) error {
		if a.Status == ledger.StatusClosed || !a.CreatedAt.Before(end) {
			return nil
		}
		b, _ := json.Marshal(accountMonth{AccountID: a.ID, Month: p.Month})
		_, err := tx.EnqueueJob(ctx, store.Job{Kind: KindStatement, DedupeKey: "statement:" + a.ID + ":" + p.Month, Payload: b, RunAt: end})
		return err
	})
}

// runStatement renders one account's statement for a month as PDF into the
// blob store. Writing the same key twice stores the same statement, so a
// retry after a crash is harmless.
func (r *Runner) runStatement(ctx context.Context, tx *store.Tx, j store.Job) error {
	if r.o.Blobs == nil {
		return nil
	}
	var p accountMonth
	if err := json.Unmarshal(j.Payload, &p); err != nil {
		return Permanent(fmt.Errorf("jobs: statement payload: %w", err))
	}
	start, err := bank.ParsePeriod(p.Month)
	if err != nil {
		return Permanent(err)
	}
	end := start.AddDate(0, 1, 0)
	a, err := tx.CustomerAccount(ctx, p.AccountID)
	if err != nil {
		return Permanent(fmt.Errorf("jobs: statement account %s: %w", p.AccountID, err))
	}
	u, err := tx.UserByID(ctx, a.OwnerID)
	if err != nil {
		return err
	}
	opening, _, err := tx.BalancesDuring(ctx, a.ID, start, start)
	if err != nil {
		return err
	}
	list, err := tx.EntriesDuring(ctx, a.ID, start, end)
	if err != nil {
		return err
	}
	st := bank.BuildStatement(a, u.FullName, statement.Period{Year: start.Year(), Month: start.Month()}, opening, list, r.now())
	var buf bytes.Buffer
	if err := statement.PDF(&buf, st); err != nil {
		return Permanent(fmt.Errorf("jobs: render statement: %w", err))
	}
	return r.o.Blobs.Put(ctx, StatementKey(a.ID, p.Month), bytes.NewReader(buf.Bytes()), "application/pdf")
}

// seedMonthly queues the month-end jobs of the previous and the current
// month (each due on the 1st of the following month at 00:00 UTC). The
// dedupe keys make this safe to repeat on every instance.
func (r *Runner) seedMonthly(ctx context.Context, now time.Time) error {
	cur := bank.MonthStart(now)
	for _, m := range []time.Time{cur.AddDate(0, -1, 0), cur} {
		month := bank.Period(m)
		b, _ := json.Marshal(monthPayload{Month: month})
		due := m.AddDate(0, 1, 0)
		if r.o.InterestBPS > 0 {
			if _, err := r.db.EnqueueJob(ctx, store.Job{Kind: KindInterestMonth, DedupeKey: "interest:" + month, Payload: b, RunAt: due}); err != nil {
				return err
			}
		}
		if r.o.Blobs != nil {
			if _, err := r.db.EnqueueJob(ctx, store.Job{Kind: KindStatementsMonth, DedupeKey: "statements:" + month, Payload: b, RunAt: due}); err != nil {
				return err
			}
		}
	}
	return nil
}

// Seed queues the periodic jobs due around now.
func (r *Runner) Seed(ctx context.Context) error {
	now := r.now()
	if err := r.seedCleanup(ctx, now); err != nil {
		return err
	}
	return r.seedMonthly(ctx, now)
}

// seedIfDue seeds at most once a minute.
func (r *Runner) seedIfDue(ctx context.Context) error {
	now := r.now()
	if now.Sub(r.lastSeed) < time.Minute && !r.lastSeed.IsZero() {
		return nil
	}
	r.lastSeed = now
	return r.Seed(ctx)
}
