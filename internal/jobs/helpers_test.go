package jobs_test

import (
	"context"
	"sync"
	"testing"
	"time"

	"github.com/google/uuid"
	"github.com/prometheus/client_golang/prometheus"

	"github.com/bankapp/bankapp/internal/audit"
	"github.com/bankapp/bankapp/internal/auth"
	"github.com/bankapp/bankapp/internal/bank"
	"github.com/bankapp/bankapp/internal/jobs"
	"github.com/bankapp/bankapp/internal/ledger"
	"github.com/bankapp/bankapp/internal/store"
)

// clock is a controllable time source shared by the store and the runner.
type clock struct {
	mu sync.Mutex
	t  time.Time
}

func (c *clock) Now() time.Time { c.mu.Lock(); defer c.mu.Unlock(); return c.t }
func (c *clock) Set(t time.Time) {
	c.mu.Lock()
	c.t = t
	c.mu.Unlock()
}

// fixture is a database, a clock and a runner on them.
type fixture struct {
	t   *testing.T
	ctx context.Context
	db  *store.DB
	clk *clock
	r   *jobs.Runner
	reg *prometheus.Registry
}

func newFixture(t *testing.T, db *store.DB, start string, mod ...func(*jobs.Options)) *fixture {
	t.Helper()
	at, err := time.Parse(time.RFC3339, start)
	if err != nil {
		t.Fatal(err)
	}
	clk := &clock{t: at}
	db.SetClock(clk.Now)
	reg := prometheus.NewRegistry()
	o := jobs.Options{DB: db, Now: clk.Now, Registerer: reg, Instance: "test", BackoffBase: time.Minute}
	for _, m := range mod {
		m(&o)
	}
	r, err := jobs.New(o)
	if err != nil {
		t.Fatal(err)
	}
	return &fixture{t: t, ctx: context.Background(), db: db, clk: clk, r: r, reg: reg}
}

// at moves the clock to an RFC 3339 time and runs every due job.
func (f *fixture) at(ts string) int {
	f.t.Helper()
	at, err := time.Parse(time.RFC3339, ts)
	if err != nil {
		f.t.Fatal(err)
	}
	f.clk.Set(at)
	n, err := f.r.RunDue(f.ctx)
	if err != nil {
		f.t.Fatal(err)
	}
	return n
}

// customer creates a user with an account of the type holding balance
// (minor units, deposited now).
func (f *fixture) customer(typ string, balance int64) (string, ledger.Account) {
	f.t.Helper()
	uid := uuid.Must(uuid.NewV7()).String()
	var a ledger.Account
	err := f.db.InTx(f.ctx, func(tx *store.Tx) error {
		now := f.clk.Now()
		if err := tx.CreateUser(f.ctx, auth.User{ID: uid, Email: uid + "@example.com", PasswordHash: "x", FullName: "Customer " + uid[len(uid)-4:],
			Role: "customer", CreatedAt: now}); err != nil {
			return err
		}
		var err error
		if a, err = bank.OpenAccount(f.ctx, tx, uid, typ, ledger.USD, "", now); err != nil {
			return err
		}
		if balance == 0 {
			return nil
		}
		t := ledger.Transfer{Kind: ledger.KindDeposit, Currency: ledger.USD, Amount: balance, ToAccount: a.ID, CreatedAt: now,
			Postings: []ledger.Posting{{AccountID: ledger.SystemAccountID(ledger.SystemFunding, ledger.USD), Amount: -balance}, {AccountID: a.ID, Amount: balance}}}
		return ledger.Post(f.ctx, tx, &t)
	})
	if err != nil {
		f.t.Fatal(err)
	}
	return uid, a
}

func (f *fixture) balance(id string) int64 {
	f.t.Helper()
	a, err := f.db.AnyAccountByID(f.ctx, id)
	if err != nil {
		f.t.Fatal(err)
	}
	return a.Balance
}

func (f *fixture) schedule(q bank.ScheduleRequest) bank.ScheduledTransfer {
	f.t.Helper()
	q.Now = f.clk.Now()
	var s bank.ScheduledTransfer
	err := f.db.InTx(f.ctx, func(tx *store.Tx) error {
		var err error
		s, err = bank.CreateSchedule(f.ctx, tx, q)
		return err
	})
	if err != nil {
		f.t.Fatal(err)
	}
	return s
}

func (f *fixture) get(id string) bank.ScheduledTransfer {
	f.t.Helper()
	var s bank.ScheduledTransfer
	err := f.db.InTx(f.ctx, func(tx *store.Tx) error {
		var err error
		s, err = tx.ScheduledTransferForUpdate(f.ctx, "", id)
		return err
	})
	if err != nil {
		f.t.Fatal(err)
	}
	return s
}

func (f *fixture) verify() {
	f.t.Helper()
	rep, err := f.db.VerifyLedger(f.ctx)
	if err != nil {
		f.t.Fatal(err)
	}
	if !rep.OK {
		f.t.Fatalf("ledger verify: %+v", rep.Problems)
	}
}

// audits returns the audit events of an action.
func (f *fixture) audits(action string) []audit.Event {
	f.t.Helper()
	ev, err := f.db.AuditEvents(f.ctx, audit.Filter{Action: action, Limit: 10_000})
	if err != nil {
		f.t.Fatal(err)
	}
	return ev
}

// customerDeposit adds money to an account from the funding account.
func (f *fixture) customerDeposit(id string, amount int64) {
	f.t.Helper()
	err := f.db.InTx(f.ctx, func(tx *store.Tx) error {
		t := ledger.Transfer{Kind: ledger.KindDeposit, Currency: ledger.USD, Amount: amount, ToAccount: id, CreatedAt: f.clk.Now(),
			Postings: []ledger.Posting{{AccountID: ledger.SystemAccountID(ledger.SystemFunding, ledger.USD), Amount: -amount}, {AccountID: id, Amount: amount}}}
		return ledger.Post(f.ctx, tx, &t)
	})
	if err != nil {
		f.t.Fatal(err)
	}
}

// metric sums the samples of a counter whose label has the value.
func (f *fixture) metric(name, label, value string) float64 {
	f.t.Helper()
	mfs, err := f.reg.Gather()
	if err != nil {
		f.t.Fatal(err)
	}
	sum := 0.0
	for _, mf := range mfs {
		if mf.GetName() != name {
			continue
		}
		for _, m := range mf.GetMetric() {
			for _, l := range m.GetLabel() {
				if l.GetName() == label && l.GetValue() == value {
					sum += m.GetCounter().GetValue()
				}
			}
		}
	}
	return sum
}
