package jobs

import (
	"context"
	"encoding/json"
	"fmt"
	"math/big"
	"time"

	"github.com/bankapp/bankapp/internal/audit"
	"github.com/bankapp/bankapp/internal/bank"
	"github.com/bankapp/bankapp/internal/ledger"
	"github.com/bankapp/bankapp/internal/store"
)

// Job kinds of savings interest: one per month that fans out one payment
// job per savings account.
const (
	KindInterestMonth = "interest_month"
	KindInterestPay   = "interest_pay"
)

// accountPage is how many accounts a fan-out reads at a time.
const accountPage = 500

type monthPayload struct {
	Month string `json:"month"`
}

type accountMonth struct {
	AccountID string `json:"account_id"`
	Month     string `json:"month"`
}

// InterestKey is the deterministic key of an account's interest for a month
// ("YYYY-MM"): the job's dedupe key and the payment's idempotency key.
func InterestKey(accountID, month string) string { return "interest:" + accountID + ":" + month }

// MonthlyInterest is the interest earned in month (any time in it) at an
// annual rate of bps basis points: every day's closing balance earns
// balance·bps/10000/days-in-year, and the month's exact sum is rounded down
// to the minor unit: the bank never pays a fraction of a cent it did not owe. opening is the balance before the month;
// points are the balances after each posting of the month, in order.
func MonthlyInterest(opening int64, points []bank.BalancePoint, month time.Time, bps int64) int64 {
	start := bank.MonthStart(month)
	days := bank.DaysIn(start.Year(), start.Month())
	yearDays := 365
	if bank.DaysIn(start.Year(), time.February) == 29 {
		yearDays = 366
	}
	sum := new(big.Int)
	bal, i := opening, 0
	for d := 1; d <= days; d++ {
		dayEnd := start.AddDate(0, 0, d)
		for i < len(points) && points[i].At.Before(dayEnd) {
			bal = points[i].Balance
			i++
		}
		sum.Add(sum, big.NewInt(bal))
	}
	num := sum.Mul(sum, big.NewInt(bps))
	den := big.NewInt(int64(10_000 * yearDays))
	return new(big.Int).Div(num, den).Int64() // num, den ≥ 0: Div floors
}

// runInterestMonth queues one payment job per savings account that existed
// in the month.
func (r *Runner) runInterestMonth(ctx context.Context, tx *store.Tx, j store.Job) error {
	var p monthPayload
	if err := json.Unmarshal(j.Payload, &p); err != nil {
		return Permanent(fmt.Errorf("jobs: interest payload: %w", err))
	}
	start, err := bank.ParsePeriod(p.Month)
	if err != nil {
		return Permanent(err)
	}
	end := start.AddDate(0, 1, 0)
	return forEachAccount(ctx, tx, func(a ledger.Account) error {
		if a.Type != ledger.TypeSavings || a.Status == ledger.StatusClosed || !a.CreatedAt.Before(end) {
			return nil
		}
		b, _ := json.Marshal(accountMonth{AccountID: a.ID, Month: p.Month})
		_, err := tx.EnqueueJob(ctx, store.Job{Kind: KindInterestPay, DedupeKey: InterestKey(a.ID, p.Month), Payload: b, RunAt: end})
		return err
	})
}

func forEachAccount(ctx context.Context, tx *store.Tx, fn func(ledger.Account) error) error {
	after := ""
	for {
		list, err := tx.CustomerAccountsAfter(ctx, after, accountPage)
		if err != nil {
			return err
		}
		for _, a := range list {
			if err := fn(a); err != nil {
				return err
			}
		}
		if len(list) < accountPage {
			return nil
		}
		after = list[len(list)-1].ID
	}
}

// runInterestPay pays one account's interest for one month from the
// interest expense account, as a transfer of kind interest.
func (r *Runner) runInterestPay(ctx context.Context, tx *store.Tx, j store.Job) error {
	var p accountMonth
	if err := json.Unmarshal(j.Payload, &p); err != nil {
		return Permanent(fmt.Errorf("jobs: interest payload: %w", err))
	}
	start, err := bank.ParsePeriod(p.Month)
	if err != nil {
		return Permanent(err)
	}
	end, now := start.AddDate(0, 1, 0), r.now()
	if now.Before(end) {
		return fmt.Errorf("jobs: interest for %s is not due before %s", p.Month, end.Format(time.RFC3339))
	}
	a, err := tx.AnyAccountByIDForUpdate(ctx, p.AccountID)
	if err != nil {
		return Permanent(fmt.Errorf("jobs: interest account %s: %w", p.AccountID, err))
	}
	if a.Type != ledger.TypeSavings || a.Status == ledger.StatusClosed || r.o.InterestBPS <= 0 {
		return nil
	}
	opening, points, err := tx.BalancesDuring(ctx, a.ID, start, end)
	if err != nil {
		return err
	}
	minor := MonthlyInterest(opening, points, start, r.o.InterestBPS)
	if minor <= 0 {
		return nil
	}
	key := InterestKey(a.ID, p.Month)
	_, err = ledger.Idempotent(ctx, r.keys, sameTx(tx), IdempotencyOwner, key, key, func(tx *store.Tx) (ledger.Response, error) {
		t := ledger.Transfer{Kind: ledger.KindInterest, Currency: a.Currency, Amount: minor, ToAccount: a.ID,
			Description: "Interest for " + start.Format("January 2006"), CreatedAt: now, Postings: []ledger.Posting{
				{AccountID: ledger.SystemAccountID(ledger.SystemInterest, a.Currency), Amount: -minor},
				{AccountID: a.ID, Amount: minor}}}
		if err := ledger.Post(ctx, tx, &t); err != nil {
			return ledger.Response{}, err
		}
		amount := ledger.FormatMinor(minor, a.Currency.Digits())
		if err := tx.InsertAudit(ctx, audit.Event{Action: "interest", Target: "transfer:" + t.ID, Outcome: "success", At: now,
			RequestID: "job:" + j.ID, Detail: key + " " + amount + " " + string(a.Currency)}); err != nil {
			return ledger.Response{}, err
		}
		b, err := json.Marshal(outcome{Status: StatusCompleted, TransferID: t.ID})
		return ledger.Response{Status: 200, Body: b}, err
	})
	return err
}
