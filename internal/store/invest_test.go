package store_test

import (
	"context"
	"testing"
	"time"

	"github.com/google/uuid"
	"github.com/shopspring/decimal"

	"github.com/bankapp/bankapp/internal/auth"
	"github.com/bankapp/bankapp/internal/invest"
	"github.com/bankapp/bankapp/internal/ledger"
	"github.com/bankapp/bankapp/internal/store"
	"github.com/bankapp/bankapp/internal/store/storetest"
)

// TestInvestQueries runs the investing queries on both engines: holdings
// round-trip exact quantities, BalanceHistory starts at the balance in
// effect and lists later changes, and HasHoldings ignores sold-out rows.
func TestInvestQueries(t *testing.T) {
	storetest.Run(t, func(t *testing.T, db *store.DB) {
		ctx := context.Background()
		t0 := time.Date(2026, 3, 1, 12, 0, 0, 0, time.UTC)
		user, acct := uuid.NewString(), uuid.NewString()
		funding := ledger.SystemAccountID(ledger.SystemFunding, ledger.USD)
		deposit := func(tx *store.Tx, amount int64, at time.Time) error {
			return ledger.Post(ctx, tx, &ledger.Transfer{Kind: ledger.KindDeposit, Currency: ledger.USD, Amount: amount, ToAccount: acct, CreatedAt: at,
				Postings: []ledger.Posting{{AccountID: funding, Amount: -amount}, {AccountID: acct, Amount: amount}}})
		}
		err := db.InTx(ctx, func(tx *store.Tx) error {
			if err := tx.CreateUser(ctx, auth.User{ID: user, Email: user + "@example.com", PasswordHash: "x", FullName: "T", Role: auth.RoleCustomer, CreatedAt: t0}); err != nil {
				return err
			}
			if err := tx.CreateAccount(ctx, ledger.Account{ID: acct, OwnerID: user, Number: ledger.NewAccountNumber(), Type: ledger.TypeBrokerage,
				Currency: ledger.USD, Name: "B", Status: ledger.StatusActive, CreatedAt: t0}); err != nil {
				return err
			}
			for i, at := range []time.Time{t0, t0.Add(time.Hour), t0.Add(2 * time.Hour)} {
				if err := deposit(tx, int64(100*(i+1)), at); err != nil {
					return err
				}
			}
			big := decimal.RequireFromString("123456789012.12345678") // beyond int64 in 1e-8 units
			if err := tx.PutHolding(ctx, invest.Holding{AccountID: acct, Symbol: "SHIB-USD", Quantity: big, CostBasis: 100, UpdatedAt: t0}); err != nil {
				return err
			}
			h, err := tx.HoldingForUpdate(ctx, acct, "SHIB-USD")
			if err != nil || !h.Quantity.Equal(big) || h.CostBasis != 100 {
				t.Errorf("holding = %+v, %v", h, err)
			}
			if none, err := tx.HoldingForUpdate(ctx, acct, "AAPL"); err != nil || !none.Quantity.IsZero() {
				t.Errorf("missing holding = %+v, %v", none, err)
			}
			if has, err := tx.HasHoldings(ctx, acct); err != nil || !has {
				t.Errorf("HasHoldings = %v, %v", has, err)
			}
			if err := tx.PutHolding(ctx, invest.Holding{AccountID: acct, Symbol: "SHIB-USD", RealizedPL: -5, UpdatedAt: t0}); err != nil {
				return err
			}
			if has, err := tx.HasHoldings(ctx, acct); err != nil || has {
				t.Errorf("HasHoldings after selling out = %v, %v", has, err)
			}
			return nil
		})
		if err != nil {
			t.Fatal(err)
		}
		hs, err := db.HoldingsByAccounts(ctx, []string{acct})
		if err != nil || len(hs) != 1 || hs[0].RealizedPL != -5 || !hs[0].Quantity.IsZero() {
			t.Fatalf("HoldingsByAccounts = %+v, %v", hs, err)
		}

		from := t0.Add(90 * time.Minute)
		got, err := db.BalanceHistory(ctx, []string{acct}, from)
		if err != nil {
			t.Fatal(err)
		}
		want := []invest.CashChange{{AccountID: acct, At: from, Balance: 300}, {AccountID: acct, At: t0.Add(2 * time.Hour), Balance: 600}}
		if len(got) != len(want) {
			t.Fatalf("BalanceHistory = %+v, want %+v", got, want)
		}
		for i := range want {
			if got[i].AccountID != want[i].AccountID || !got[i].At.Equal(want[i].At) || got[i].Balance != want[i].Balance {
				t.Fatalf("BalanceHistory[%d] = %+v, want %+v", i, got[i], want[i])
			}
		}
		if got, err := db.BalanceHistory(ctx, []string{acct}, t0.Add(-time.Hour)); err != nil || len(got) != 3 {
			t.Fatalf("BalanceHistory before the first posting = %+v, %v", got, err)
		}
	})
}
