package bank_test

import (
	"context"
	"errors"
	"testing"
	"time"

	"github.com/prometheus/client_golang/prometheus"

	"github.com/bankapp/bankapp/internal/audit"
	"github.com/bankapp/bankapp/internal/auth"
	"github.com/bankapp/bankapp/internal/bank"
	"github.com/bankapp/bankapp/internal/ledger"
	"github.com/bankapp/bankapp/internal/store"
	"github.com/bankapp/bankapp/internal/store/storetest"
)

// The bank's rules tested without HTTP, on both engines and with group
// commit on and off.

func newBank(t *testing.T, db *store.DB, groupCommit bool) (*bank.Service, audit.Caller, audit.Caller) {
	t.Helper()
	reg := prometheus.NewRegistry()
	s, err := bank.New(bank.Options{Store: db.Bank(), GroupCommit: groupCommit, Lanes: 2, MaxBatch: 64, Registerer: reg})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(s.Close)
	// A batch that fails as a whole still answers every request (one by
	// one), so only this counter shows that the batched path is broken.
	t.Cleanup(func() {
		if n := fallbacks(t, reg); n != 0 {
			t.Errorf("%v group-commit batches failed and fell back to one by one", n)
		}
	})
	users := make([]audit.Caller, 2)
	for i := range users {
		id := ledger.NewTransferID()
		err := db.InTx(context.Background(), func(tx *store.Tx) error {
			return tx.CreateUser(context.Background(), auth.User{ID: id, Email: id + "@example.com", PasswordHash: "x", FullName: "U",
				Role: auth.RoleCustomer, CreatedAt: time.Now(), UpdatedAt: time.Now()})
		})
		if err != nil {
			t.Fatal(err)
		}
		users[i] = audit.Caller{UserID: id, IP: "192.0.2.1", RequestID: "test"}
	}
	return s, users[0], users[1]
}

// fallbacks reads bankapp_group_commit_fallbacks_total from reg.
func fallbacks(t *testing.T, reg *prometheus.Registry) float64 {
	t.Helper()
	mfs, err := reg.Gather()
	if err != nil {
		t.Fatal(err)
	}
	for _, mf := range mfs {
		if mf.GetName() == "bankapp_group_commit_fallbacks_total" {
			return mf.GetMetric()[0].GetCounter().GetValue()
		}
	}
	t.Fatal("no bankapp_group_commit_fallbacks_total")
	return 0
}

func TestTransfersThroughTheService(t *testing.T) {
	for _, gc := range []bool{true, false} {
		name := map[bool]string{true: "group commit", false: "alone"}[gc]
		t.Run(name, func(t *testing.T) {
			storetest.Run(t, func(t *testing.T, db *store.DB) {
				ctx := context.Background()
				s, alice, bob := newBank(t, db, gc)
				from, err := s.OpenAccount(ctx, alice, ledger.TypeChecking, ledger.USD, "")
				if err != nil {
					t.Fatal(err)
				}
				to, err := s.OpenAccount(ctx, bob, ledger.TypeChecking, ledger.USD, "")
				if err != nil {
					t.Fatal(err)
				}
				if _, err := s.Deposit(ctx, alice, bank.Idem{Key: "d1", Hash: "h"}, bank.Movement{AccountID: from.ID, Amount: "100.00"}); err != nil {
					t.Fatal(err)
				}
				m := bank.Movement{AccountID: from.ID, ToAccountNumber: to.Number, Amount: "30.00"}
				rc, err := s.Transfer(ctx, alice, bank.Idem{Key: "t1", Hash: "h1"}, m)
				if err != nil || rc.Replayed || rc.Amount != 3000 || rc.ToAccountID != "" || rc.ToAccountNumber != to.Number {
					t.Fatalf("transfer: %+v %v (the recipient's account id must stay hidden)", rc, err)
				}
				again, err := s.Transfer(ctx, alice, bank.Idem{Key: "t1", Hash: "h1"}, m)
				if err != nil || !again.Replayed || again.ID != rc.ID {
					t.Fatalf("replay: %+v %v", again, err)
				}
				if _, err := s.Transfer(ctx, alice, bank.Idem{Key: "t1", Hash: "other"}, m); !errors.Is(err, ledger.ErrKeyReused) {
					t.Fatalf("same key, other request: %v", err)
				}
				// A request that has ended is refused before anything moves;
				// the client may retry with the same key.
				cancelled, cancel := context.WithCancel(ctx)
				cancel()
				if _, err := s.Transfer(cancelled, alice, bank.Idem{Key: "t2", Hash: "h2"}, m); err == nil {
					t.Fatal("a cancelled request moved money")
				}
				if _, err := s.Transfer(ctx, alice, bank.Idem{Key: "t2", Hash: "h2"}, m); err != nil {
					t.Fatalf("retry after cancel: %v", err)
				}
				a, err := s.Account(ctx, alice.UserID, from.ID)
				if err != nil || a.Balance != 4000 {
					t.Fatalf("balance %d, want 4000: %v", a.Balance, err)
				}
				rep, err := db.VerifyLedger(ctx)
				if err != nil || !rep.OK {
					t.Fatalf("verify: %+v %v", rep, err)
				}
			})
		})
	}
}
