package bank_test

import (
	"context"
	"testing"
	"time"

	"github.com/bankapp/bankapp/internal/bank"
	"github.com/bankapp/bankapp/internal/ledger"
	"github.com/bankapp/bankapp/internal/store"
	"github.com/bankapp/bankapp/internal/store/storetest"
)

// TestSeedDemo: the demo has an investor with stocks and crypto bought over
// six months, a saver with a EUR account, every account's entries in time
// order (each balance follows from the one before it in time) and nothing
// dated after now; the ledger verifies.
func TestSeedDemo(t *testing.T) {
	ctx := context.Background()
	db := storetest.Open(t, store.SQLite)
	now := time.Date(2026, 12, 2, 10, 30, 0, 0, time.UTC)
	if _, created, err := bank.SeedDemo(ctx, db.Bank(), now); err != nil || !created {
		t.Fatalf("seed: created=%v err=%v", created, err)
	}
	if rep, err := db.VerifyLedger(ctx); err != nil || !rep.OK {
		t.Fatalf("ledger verify: %+v %v", rep, err)
	}
	owners := map[string]string{}
	for _, email := range []string{"alice@demo.bankapp.test", "bob@demo.bankapp.test", "carol@demo.bankapp.test", "dan@demo.bankapp.test"} {
		u, err := db.UserByEmail(ctx, email)
		if err != nil {
			t.Fatal(err)
		}
		if !u.EmailVerified {
			t.Errorf("%s: a demo user's email is not verified (the app would show the unconfirmed-email banner on every demo page)", email)
		}
		owners[email] = u.ID
	}
	var symbols = map[string]bool{}
	var orders, months = 0, map[time.Month]bool{}
	for email, id := range owners {
		accts, err := db.AccountsByOwner(ctx, id)
		if err != nil {
			t.Fatal(err)
		}
		var brokerage []string
		var eur bool
		for _, a := range accts {
			if a.Type == ledger.TypeBrokerage {
				brokerage = append(brokerage, a.ID)
			}
			eur = eur || a.Currency == ledger.EUR && a.Balance > 0
			entries, err := db.History(ctx, a.ID, bank.HistoryFilter{Limit: 10_000, Ascending: true})
			if err != nil {
				t.Fatal(err)
			}
			var bal int64
			var last time.Time
			for _, e := range entries {
				if e.CreatedAt.Before(last) {
					t.Errorf("%s %s: entry %q at %s comes after one at %s", email, a.Name, e.Description, e.CreatedAt, last)
				}
				if e.CreatedAt.After(now) {
					t.Errorf("%s %s: entry %q is dated %s, after now", email, a.Name, e.Description, e.CreatedAt)
				}
				if bal+e.Amount != e.BalanceAfter {
					t.Errorf("%s %s: %q: %d + %d != balance after %d", email, a.Name, e.Description, bal, e.Amount, e.BalanceAfter)
				}
				bal, last = e.BalanceAfter, e.CreatedAt
			}
			if bal != a.Balance {
				t.Errorf("%s %s: entries end at %d, balance is %d", email, a.Name, bal, a.Balance)
			}
		}
		if email == "bob@demo.bankapp.test" && !eur {
			t.Errorf("the saver has no EUR savings with money in it")
		}
		if email != "alice@demo.bankapp.test" {
			continue
		}
		os, err := db.OrdersByAccounts(ctx, brokerage)
		if err != nil {
			t.Fatal(err)
		}
		for _, o := range os {
			orders++
			symbols[o.Symbol] = true
			months[o.CreatedAt.Month()] = true
		}
		hs, err := db.HoldingsByAccounts(ctx, brokerage)
		if err != nil || len(hs) < 4 {
			t.Fatalf("investor holdings: %v %v", hs, err)
		}
	}
	if !symbols["BTC-USD"] || !symbols["ETH-USD"] || !symbols["VTI"] || !symbols["AAPL"] || orders < 20 || len(months) < 6 {
		t.Errorf("investor: %d orders of %v over %d months; want stocks and crypto over six months", orders, symbols, len(months))
	}
}
