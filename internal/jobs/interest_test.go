package jobs_test

import (
	"bytes"
	"io"
	"testing"

	"github.com/bankapp/bankapp/internal/bank"
	"github.com/bankapp/bankapp/internal/blob"
	"github.com/bankapp/bankapp/internal/jobs"
	"github.com/bankapp/bankapp/internal/ledger"
	"github.com/bankapp/bankapp/internal/store"
	"github.com/bankapp/bankapp/internal/store/storetest"
)

func TestMonthEndInterestAndStatements(t *testing.T) {
	storetest.Run(t, func(t *testing.T, db *store.DB) {
		blobs, err := blob.NewLocal(t.TempDir())
		if err != nil {
			t.Fatal(err)
		}
		f := newFixture(t, db, "2026-10-20T12:00:00Z", func(o *jobs.Options) { o.InterestBPS = 200; o.Blobs = blobs })
		_, sav := f.customer(ledger.TypeSavings, 1_000_000)
		_, chk := f.customer(ledger.TypeChecking, 1_000_000)
		f.at("2026-10-20T12:00:01Z")
		f.at("2026-10-31T23:59:59Z")
		if got := f.balance(sav.ID); got != 1_000_000 {
			t.Fatalf("interest before the month ended: %d", got)
		}

		// October: 12 days (20th–31st) of 10,000.00 at 2 %:
		// 1,000,000·200·12 / (10,000·365) = 657.53… → 657 cents (rounded down).
		f.at("2026-11-01T00:00:00Z")
		if got := f.balance(sav.ID); got != 1_000_657 {
			t.Fatalf("savings after October interest: %d", got)
		}
		if got := f.balance(chk.ID); got != 1_000_000 {
			t.Fatalf("checking earned interest: %d", got)
		}
		if got := f.balance(ledger.SystemAccountID(ledger.SystemInterest, ledger.USD)); got != -657 {
			t.Fatalf("interest expense account: %d", got)
		}
		h, err := db.History(f.ctx, sav.ID, bank.HistoryFilter{Kind: "interest", Limit: 10})
		if err != nil || len(h) != 1 || h[0].Amount != 657 || h[0].TransferKind != ledger.KindInterest || h[0].Description != "Interest for October 2026" {
			t.Fatalf("history: %+v %v", h, err)
		}
		ev := f.audits("interest")
		if len(ev) != 1 || ev[0].Detail != jobs.InterestKey(sav.ID, "2026-10")+" 6.57 USD" {
			t.Fatalf("interest audit: %+v", ev)
		}
		for _, a := range []ledger.Account{sav, chk} {
			rc, _, err := blobs.Get(f.ctx, jobs.StatementKey(a.ID, "2026-10"))
			if err != nil {
				t.Fatalf("statement of %s: %v", a.Type, err)
			}
			b, _ := io.ReadAll(rc)
			rc.Close()
			if !bytes.HasPrefix(b, []byte("%PDF")) {
				t.Fatalf("statement is not a PDF: %q", b[:min(len(b), 20)])
			}
		}
		if _, _, err := blobs.Get(f.ctx, jobs.StatementKey(sav.ID, "2026-09")); err == nil {
			t.Fatal("statement for a month before the account existed")
		}

		// Later runs in November pay nothing more for October.
		f.at("2026-11-01T06:00:00Z")
		f.at("2026-11-15T00:00:00Z")
		if got := f.balance(sav.ID); got != 1_000_657 {
			t.Fatalf("October interest paid twice: %d", got)
		}
		// November, all 30 days on 10,006.57: 1,000,657·200·30/3,650,000 = 1644.91 → 1644.
		f.at("2026-12-01T00:00:00Z")
		if got := f.balance(sav.ID); got != 1_000_657+1644 {
			t.Fatalf("savings after November interest: %d", got)
		}
		if n := len(f.audits("interest")); n != 2 {
			t.Fatalf("%d interest payments, want 2", n)
		}
		f.verify()
	})
}

func TestNoInterestWhenTheRateIsZero(t *testing.T) {
	storetest.Run(t, func(t *testing.T, db *store.DB) {
		f := newFixture(t, db, "2026-10-20T12:00:00Z")
		_, sav := f.customer(ledger.TypeSavings, 1_000_000)
		f.at("2026-10-20T12:00:01Z")
		f.at("2026-11-01T00:00:00Z")
		if got := f.balance(sav.ID); got != 1_000_000 {
			t.Fatalf("interest at a zero rate: %d", got)
		}
	})
}
