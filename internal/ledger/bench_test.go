package ledger_test

import (
	"context"
	"fmt"
	"math/rand/v2"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/bankapp/bankapp/internal/ledger"
	"github.com/bankapp/bankapp/internal/store"
	"github.com/bankapp/bankapp/internal/store/storetest"
)

// BenchmarkTransfers measures committed transfers per second through the
// store on PostgreSQL with exactly N concurrent workers, each transfer one
// transaction (lock two accounts, insert transfer and postings, update two
// balances, commit). scripts/bench.sh runs it next to pgbench's TPC-B on
// the same cluster and writes docs/benchmarks.md.
func BenchmarkTransfers(b *testing.B) {
	for _, workers := range []int{1, 8, 32, 64} {
		b.Run(fmt.Sprintf("workers=%d", workers), func(b *testing.B) {
			db := storetest.Open(b, store.Postgres)
			acc := benchAccounts(b, db, 1000)
			ctx := context.Background()
			var next atomic.Int64
			var failed atomic.Int64
			b.ResetTimer()
			start := time.Now()
			var wg sync.WaitGroup
			for w := 0; w < workers; w++ {
				wg.Add(1)
				go func(seed uint64) {
					defer wg.Done()
					r := rand.New(rand.NewPCG(seed, 1))
					for next.Add(1) <= int64(b.N) {
						from, to := acc[r.IntN(len(acc))], acc[r.IntN(len(acc))]
						if from == to {
							to = acc[(r.IntN(len(acc)-1)+1+indexOf(acc, from))%len(acc)]
						}
						if err := post(ctx, db, ledger.KindTransfer, from, to, 1, ledger.USD); err != nil {
							failed.Add(1)
						}
					}
				}(uint64(w))
			}
			wg.Wait()
			el := time.Since(start)
			b.StopTimer()
			if failed.Load() > 0 {
				b.Fatalf("%d transfers failed", failed.Load())
			}
			b.ReportMetric(float64(b.N)/el.Seconds(), "transfers/s")
			rep, err := db.VerifyLedger(ctx)
			if err != nil || !rep.OK {
				b.Fatalf("verify: %+v %v", rep, err)
			}
		})
	}
}

func indexOf(s []string, v string) int {
	for i, x := range s {
		if x == v {
			return i
		}
	}
	return 0
}

// benchAccounts creates n funded accounts (as pgbench has 100,000 accounts
// per scale unit, contention stays low; 1,000 keeps it comparable at 64
// workers).
func benchAccounts(b *testing.B, db *store.DB, n int) []string {
	b.Helper()
	var ids []string
	for len(ids) < n {
		batch := newAccountsTB(b, db, 100)
		ids = append(ids, batch...)
	}
	ctx := context.Background()
	for _, id := range ids {
		if err := post(ctx, db, ledger.KindDeposit, ledger.SystemAccountID(ledger.SystemFunding, ledger.USD), id, 1_000_000_00, ledger.USD); err != nil {
			b.Fatal(err)
		}
	}
	return ids
}
