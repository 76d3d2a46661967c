package ledger_test

import (
	"context"
	"errors"
	"fmt"
	"math/rand/v2"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/google/uuid"

	"github.com/bankapp/bankapp/internal/auth"
	"github.com/bankapp/bankapp/internal/ledger"
	"github.com/bankapp/bankapp/internal/store"
	"github.com/bankapp/bankapp/internal/store/storetest"
)

// newAccounts creates a user with n USD checking accounts.
func newAccounts(t *testing.T, db *store.DB, n int, cur ledger.Currency) []string {
	t.Helper()
	return newAccountsOf(t, db, n, cur)
}

func newAccountsTB(b testing.TB, db *store.DB, n int) []string {
	b.Helper()
	return newAccountsOf(b, db, n, ledger.USD)
}

func newAccountsOf(t testing.TB, db *store.DB, n int, cur ledger.Currency) []string {
	t.Helper()
	ctx := context.Background()
	var ids []string
	err := db.InTx(ctx, func(tx *store.Tx) error {
		u := auth.User{ID: uuid.NewString(), Email: uuid.NewString() + "@example.com", PasswordHash: "x", FullName: "Test", Role: auth.RoleCustomer, CreatedAt: time.Now()}
		if err := tx.CreateUser(ctx, u); err != nil {
			return err
		}
		for i := 0; i < n; i++ {
			a := ledger.Account{ID: uuid.NewString(), OwnerID: u.ID, Number: ledger.NewAccountNumber(), Type: ledger.TypeChecking,
				Currency: cur, Name: fmt.Sprintf("acct %d", i), Status: ledger.StatusActive, CreatedAt: time.Now()}
			if err := tx.CreateAccount(ctx, a); err != nil {
				return err
			}
			ids = append(ids, a.ID)
		}
		return nil
	})
	if err != nil {
		t.Fatalf("create accounts: %v", err)
	}
	return ids
}

func post(ctx context.Context, db *store.DB, kind string, from, to string, amount int64, cur ledger.Currency) error {
	return db.InTx(ctx, func(tx *store.Tx) error {
		return ledger.Post(ctx, tx, &ledger.Transfer{Kind: kind, Currency: cur, Amount: amount, FromAccount: from, ToAccount: to,
			Postings: []ledger.Posting{{AccountID: from, Amount: -amount}, {AccountID: to, Amount: amount}}})
	})
}

func deposit(t *testing.T, db *store.DB, to string, amount int64) {
	t.Helper()
	if err := post(context.Background(), db, ledger.KindDeposit, ledger.SystemAccountID(ledger.SystemFunding, ledger.USD), to, amount, ledger.USD); err != nil {
		t.Fatalf("deposit: %v", err)
	}
}

func balance(t *testing.T, db *store.DB, id string) int64 {
	t.Helper()
	a, err := db.AnyAccountByID(context.Background(), id)
	if err != nil {
		t.Fatal(err)
	}
	return a.Balance
}

// mustVerify fails the test unless ledger verify finds nothing wrong and the
// books of every currency sum to zero.
func mustVerify(t *testing.T, db *store.DB) ledger.Report {
	t.Helper()
	rep, err := db.VerifyLedger(context.Background())
	if err != nil {
		t.Fatalf("verify: %v", err)
	}
	if !rep.OK {
		t.Fatalf("ledger verify found problems: %+v", rep.Problems)
	}
	for _, c := range []ledger.Currency{ledger.USD, ledger.EUR, ledger.GBP} {
		total, err := db.TotalBalance(context.Background(), c, false)
		if err != nil || total != 0 {
			t.Fatalf("%s books sum to %d (%v), want 0", c, total, err)
		}
	}
	return rep
}

func TestPost(t *testing.T) {
	storetest.Run(t, func(t *testing.T, db *store.DB) {
		ctx := context.Background()
		acc := newAccounts(t, db, 2, ledger.USD)
		eur := newAccounts(t, db, 1, ledger.EUR)
		deposit(t, db, acc[0], 10000)
		if got := balance(t, db, acc[0]); got != 10000 {
			t.Fatalf("balance after deposit = %d", got)
		}
		if err := post(ctx, db, ledger.KindTransfer, acc[0], acc[1], 2550, ledger.USD); err != nil {
			t.Fatal(err)
		}
		if a, b := balance(t, db, acc[0]), balance(t, db, acc[1]); a != 7450 || b != 2550 {
			t.Fatalf("balances = %d, %d", a, b)
		}
		if err := post(ctx, db, ledger.KindTransfer, acc[0], acc[1], 7451, ledger.USD); !errors.Is(err, ledger.ErrInsufficientFunds) {
			t.Fatalf("overdraft: err = %v, want insufficient_funds", err)
		}
		if err := post(ctx, db, ledger.KindTransfer, acc[0], eur[0], 100, ledger.USD); !errors.Is(err, ledger.ErrCurrencyMismatch) {
			t.Fatalf("cross-currency: err = %v, want currency_mismatch", err)
		}
		if err := post(ctx, db, ledger.KindTransfer, acc[0], "no-such-account", 100, ledger.USD); err == nil {
			t.Fatal("transfer to a missing account succeeded")
		}
		// A transfer whose postings do not sum to zero is refused.
		err := db.InTx(ctx, func(tx *store.Tx) error {
			return ledger.Post(ctx, tx, &ledger.Transfer{Kind: ledger.KindTransfer, Currency: ledger.USD, Amount: 1,
				Postings: []ledger.Posting{{AccountID: acc[0], Amount: -100}, {AccountID: acc[1], Amount: 99}}})
		})
		if err == nil {
			t.Fatal("unbalanced transfer accepted")
		}
		// A closed account takes no postings.
		if err := db.InTx(ctx, func(tx *store.Tx) error { return tx.SetAccountStatus(ctx, acc[1], ledger.StatusClosed) }); err != nil {
			t.Fatal(err)
		}
		if err := post(ctx, db, ledger.KindTransfer, acc[0], acc[1], 1, ledger.USD); !errors.Is(err, ledger.ErrAccountClosed) {
			t.Fatalf("to closed: err = %v", err)
		}
		rep := mustVerify(t, db)
		if rep.TransfersChecked != 2 {
			t.Fatalf("transfers checked = %d, want 2", rep.TransfersChecked)
		}
	})
}

func TestVerifyFindsTampering(t *testing.T) {
	storetest.Run(t, func(t *testing.T, db *store.DB) {
		acc := newAccounts(t, db, 1, ledger.USD)
		deposit(t, db, acc[0], 500)
		mustVerify(t, db)
		ctx := context.Background()
		if err := db.InTx(ctx, func(tx *store.Tx) error {
			return tx.SetBalances(ctx, map[string]int64{acc[0]: 600})
		}); err != nil {
			t.Fatal(err)
		}
		rep, err := db.VerifyLedger(ctx)
		if err != nil {
			t.Fatal(err)
		}
		kinds := map[string]bool{}
		for _, p := range rep.Problems {
			kinds[p.Kind] = true
		}
		if rep.OK || !kinds["balance_mismatch"] || !kinds["balance_after_mismatch"] {
			t.Fatalf("verify after tampering = %+v", rep)
		}
	})
}

// TestConcurrentTransfers runs 32 workers moving random amounts among 10
// accounts; afterwards every invariant holds and no money appeared or vanished.
func TestConcurrentTransfers(t *testing.T) {
	storetest.Run(t, func(t *testing.T, db *store.DB) {
		const accounts, workers = 10, 32
		acc := newAccounts(t, db, accounts, ledger.USD)
		for _, id := range acc {
			deposit(t, db, id, 100000)
		}
		ctx := context.Background()
		deadline := time.Now().Add(2 * time.Second)
		var ok, refused atomic.Int64
		var wg sync.WaitGroup
		errs := make(chan error, workers)
		for w := 0; w < workers; w++ {
			wg.Add(1)
			go func(seed uint64) {
				defer wg.Done()
				r := rand.New(rand.NewPCG(seed, 42))
				for n := 0; n < 500 && time.Now().Before(deadline); n++ {
					from, to := acc[r.IntN(accounts)], acc[r.IntN(accounts)]
					if from == to {
						continue
					}
					err := post(ctx, db, ledger.KindTransfer, from, to, 1+r.Int64N(30000), ledger.USD)
					switch {
					case err == nil:
						ok.Add(1)
					case errors.Is(err, ledger.ErrInsufficientFunds):
						refused.Add(1)
					default:
						errs <- err
						return
					}
				}
			}(uint64(w))
		}
		wg.Wait()
		close(errs)
		for err := range errs {
			t.Fatalf("unexpected error: %v", err)
		}
		t.Logf("%d transfers, %d refused for funds", ok.Load(), refused.Load())
		if ok.Load() < workers {
			t.Fatalf("only %d transfers succeeded", ok.Load())
		}
		total, err := db.TotalBalance(ctx, ledger.USD, true)
		if err != nil || total != accounts*100000 {
			t.Fatalf("customer total = %d, %v; want %d", total, err, accounts*100000)
		}
		rep := mustVerify(t, db)
		if want := int(ok.Load()) + accounts; rep.TransfersChecked != want {
			t.Fatalf("transfers in ledger = %d, want %d", rep.TransfersChecked, want)
		}
	})
}

// TestDoubleSpend races 20 transfers of 30.00 from an account holding 100.00:
// exactly three fit.
func TestDoubleSpend(t *testing.T) {
	storetest.Run(t, func(t *testing.T, db *store.DB) {
		acc := newAccounts(t, db, 2, ledger.USD)
		deposit(t, db, acc[0], 10000)
		var ok, refused atomic.Int64
		var wg sync.WaitGroup
		start := make(chan struct{})
		for i := 0; i < 20; i++ {
			wg.Add(1)
			go func() {
				defer wg.Done()
				<-start
				err := post(context.Background(), db, ledger.KindTransfer, acc[0], acc[1], 3000, ledger.USD)
				if err == nil {
					ok.Add(1)
				} else if errors.Is(err, ledger.ErrInsufficientFunds) {
					refused.Add(1)
				} else {
					t.Error(err)
				}
			}()
		}
		close(start)
		wg.Wait()
		if ok.Load() != 3 || refused.Load() != 17 {
			t.Fatalf("succeeded %d, refused %d; want 3 and 17", ok.Load(), refused.Load())
		}
		if got := balance(t, db, acc[0]); got != 1000 {
			t.Fatalf("balance = %d, want 1000", got)
		}
		mustVerify(t, db)
	})
}

// TestIdempotentReplayConcurrent sends the same key from 10 goroutines at
// once: the money moves once; the others are told the key is in progress or
// get the first response replayed.
func TestIdempotentReplayConcurrent(t *testing.T) {
	storetest.Run(t, func(t *testing.T, db *store.DB) {
		acc := newAccounts(t, db, 2, ledger.USD)
		deposit(t, db, acc[0], 10000)
		keys := ledger.NewKeys()
		ctx := context.Background()
		owner := "user-1"
		var applied, replayed, busy atomic.Int64
		run := func() (ledger.Response, error) {
			return ledger.Idempotent(ctx, keys, db.InTx, owner, "key-1", "hash-a", func(tx *store.Tx) (ledger.Response, error) {
				tr := &ledger.Transfer{Kind: ledger.KindTransfer, Currency: ledger.USD, Amount: 100,
					Postings: []ledger.Posting{{AccountID: acc[0], Amount: -100}, {AccountID: acc[1], Amount: 100}}}
				if err := ledger.Post(ctx, tx, tr); err != nil {
					return ledger.Response{}, err
				}
				applied.Add(1)
				return ledger.Response{Status: 201, Body: []byte(`{"id":"` + tr.ID + `"}`)}, nil
			})
		}
		var wg sync.WaitGroup
		start := make(chan struct{})
		for i := 0; i < 10; i++ {
			wg.Add(1)
			go func() {
				defer wg.Done()
				<-start
				for {
					res, err := run()
					if errors.Is(err, ledger.ErrKeyInProgress) {
						busy.Add(1)
						time.Sleep(time.Millisecond)
						continue // a real client retries with the same key
					}
					if err != nil {
						t.Error(err)
						return
					}
					if res.Replayed {
						replayed.Add(1)
					}
					return
				}
			}()
		}
		close(start)
		wg.Wait()
		if applied.Load() != 1 || replayed.Load() != 9 {
			t.Fatalf("applied %d, replayed %d (busy %d); want 1 and 9", applied.Load(), replayed.Load(), busy.Load())
		}
		if got := balance(t, db, acc[1]); got != 100 {
			t.Fatalf("recipient balance = %d, want 100", got)
		}
		// Same key, different request: refused.
		_, err := ledger.Idempotent(ctx, keys, db.InTx, owner, "key-1", "hash-b", func(tx *store.Tx) (ledger.Response, error) {
			t.Fatal("reused key ran again")
			return ledger.Response{}, nil
		})
		if !errors.Is(err, ledger.ErrKeyReused) {
			t.Fatalf("reused key: err = %v", err)
		}
		// The key is scoped to its owner: another user may use it.
		res, err := ledger.Idempotent(ctx, keys, db.InTx, "user-2", "key-1", "hash-b", func(tx *store.Tx) (ledger.Response, error) {
			return ledger.Response{Status: 201, Body: []byte("{}")}, nil
		})
		if err != nil || res.Replayed {
			t.Fatalf("other owner: %+v, %v", res, err)
		}
		mustVerify(t, db)
	})
}

// cancellingTx cancels the request's context after the transfer rows are
// written and before the balances are, as a dropped client would.
type cancellingTx struct {
	*store.Tx
	cancel context.CancelFunc
}

func (c cancellingTx) SetBalances(ctx context.Context, b map[string]int64) error {
	c.cancel()
	return c.Tx.SetBalances(ctx, b)
}

func TestCancelledTransferLeavesNoTrace(t *testing.T) {
	storetest.Run(t, func(t *testing.T, db *store.DB) {
		acc := newAccounts(t, db, 2, ledger.USD)
		deposit(t, db, acc[0], 5000)
		ctx, cancel := context.WithCancel(context.Background())
		err := db.InTx(ctx, func(tx *store.Tx) error {
			return ledger.Post(ctx, cancellingTx{tx, cancel}, &ledger.Transfer{Kind: ledger.KindTransfer, Currency: ledger.USD, Amount: 1000,
				Postings: []ledger.Posting{{AccountID: acc[0], Amount: -1000}, {AccountID: acc[1], Amount: 1000}}})
		})
		if err == nil {
			t.Fatal("cancelled transfer committed")
		}
		if a, b := balance(t, db, acc[0]), balance(t, db, acc[1]); a != 5000 || b != 0 {
			t.Fatalf("balances after cancel = %d, %d", a, b)
		}
		if rep := mustVerify(t, db); rep.TransfersChecked != 1 {
			t.Fatalf("transfers = %d, want only the deposit", rep.TransfersChecked)
		}
	})
}
