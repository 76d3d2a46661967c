package store_test

import (
	"context"
	"testing"
	"time"

	"github.com/google/uuid"

	"github.com/bankapp/bankapp/internal/auth"
	"github.com/bankapp/bankapp/internal/bank"
	"github.com/bankapp/bankapp/internal/ledger"
	"github.com/bankapp/bankapp/internal/store"
	"github.com/bankapp/bankapp/internal/store/storetest"
)

// TestDayTotalsMigrationBackfills builds a ledger on the schema before day
// totals existed (migration 5): deposits and transfers made by a customer
// on two days, plus a deposit the bank made (no user). Migrating to the
// latest schema computes the day totals from those transfers: ledger
// verify passes and the totals are the sums per user, kind, currency and
// UTC day.
func TestDayTotalsMigrationBackfills(t *testing.T) {
	for _, d := range storetest.Engines(t) {
		t.Run(string(d), func(t *testing.T) {
			ctx := context.Background()
			db := storetest.OpenEmpty(t, d)
			if err := db.MigrateUpTo(ctx, 5); err != nil {
				t.Fatal(err)
			}
			// Yesterday's last second and today's first (verify checks the
			// days whose totals are kept).
			day2 := time.Now().UTC().Truncate(24 * time.Hour).Add(time.Second)
			day1 := day2.Add(-2 * time.Second)
			uid, a, b := uuid.NewString(), uuid.NewString(), uuid.NewString()
			funding := ledger.SystemAccountID(ledger.SystemFunding, ledger.USD)
			move := func(tx *store.Tx, kind, by, from, to string, amount int64, at time.Time) error {
				return ledger.Post(ctx, tx, &ledger.Transfer{Kind: kind, Currency: ledger.USD, Amount: amount, FromAccount: from, ToAccount: to,
					CreatedBy: by, CreatedAt: at, Postings: []ledger.Posting{{AccountID: from, Amount: -amount}, {AccountID: to, Amount: amount}}})
			}
			err := db.InTx(ctx, func(tx *store.Tx) error {
				if err := tx.CreateUser(ctx, auth.User{ID: uid, Email: "old@example.com", PasswordHash: "x", FullName: "Old", Role: "customer", CreatedAt: day1}); err != nil {
					return err
				}
				for _, id := range []string{a, b} {
					if err := tx.CreateAccount(ctx, ledger.Account{ID: id, OwnerID: uid, Number: ledger.NewAccountNumber(), Type: ledger.TypeChecking,
						Currency: ledger.USD, Name: "c", Status: ledger.StatusActive, CreatedAt: day1}); err != nil {
						return err
					}
				}
				steps := []struct {
					kind, by, from, to string
					amount             int64
					at                 time.Time
				}{
					{ledger.KindDeposit, uid, funding, a, 1000_00, day1},
					{ledger.KindDeposit, uid, funding, a, 2500_00, day1},
					{ledger.KindDeposit, "", funding, b, 9_00, day1}, // the bank's, not the customer's
					{ledger.KindTransfer, uid, a, b, 700_00, day1},
					{ledger.KindTransfer, uid, a, b, 300_00, day2},
					{ledger.KindDeposit, uid, funding, b, 50_00, day2},
				}
				for _, s := range steps {
					if err := move(tx, s.kind, s.by, s.from, s.to, s.amount, s.at); err != nil {
						return err
					}
				}
				return nil
			})
			if err != nil {
				t.Fatal(err)
			}
			if _, err := db.MigrateUp(ctx); err != nil {
				t.Fatal(err)
			}
			rep, err := db.VerifyLedger(ctx)
			if err != nil || !rep.OK {
				t.Fatalf("verify after the migration: %+v %v", rep, err)
			}
			want := map[bank.DayKey]int64{
				{User: uid, Kind: ledger.KindDeposit, Currency: ledger.USD, Day: bank.DayOf(day1)}:  3500_00,
				{User: uid, Kind: ledger.KindTransfer, Currency: ledger.USD, Day: bank.DayOf(day1)}: 700_00,
				{User: uid, Kind: ledger.KindTransfer, Currency: ledger.USD, Day: bank.DayOf(day2)}: 300_00,
				{User: uid, Kind: ledger.KindDeposit, Currency: ledger.USD, Day: bank.DayOf(day2)}:  50_00,
			}
			keys := make([]bank.DayKey, 0, len(want))
			for k := range want {
				keys = append(keys, k)
			}
			err = db.InTx(ctx, func(tx *store.Tx) error {
				got, err := tx.LockDayTotals(ctx, keys)
				if err != nil {
					return err
				}
				for k, v := range want {
					if got[k] != v {
						t.Errorf("%+v: total %d, want %d", k, got[k], v)
					}
				}
				return nil
			})
			if err != nil {
				t.Fatal(err)
			}
			// A tampered total is what verify is for.
			err = db.InTx(ctx, func(tx *store.Tx) error {
				k := keys[0]
				return tx.SetDayTotals(ctx, map[bank.DayKey]int64{k: want[k] - 1})
			})
			if err != nil {
				t.Fatal(err)
			}
			rep, err = db.VerifyLedger(ctx)
			if err != nil || rep.OK || len(rep.Problems) != 1 || rep.Problems[0].Kind != "day_total_mismatch" {
				t.Fatalf("verify after tampering with a day total: %+v %v", rep, err)
			}
		})
	}
}
