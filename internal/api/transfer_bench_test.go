package api_test

import (
	"fmt"
	"slices"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/bankapp/bankapp/internal/app"
	"github.com/bankapp/bankapp/internal/store"
	"github.com/bankapp/bankapp/internal/store/storetest"
)

// BenchmarkTransfersHTTP measures POST /api/v1/transfers over real HTTP on
// PostgreSQL with exactly N concurrent clients (each transfer with its own
// Idempotency-Key, between 50 customers), reporting transfers/s and p50/p99.
// scripts/bench.sh runs it next to pgbench's TPC-B on the same cluster.
func BenchmarkTransfersHTTP(b *testing.B) {
	for _, clients := range []int{1, 8, 32, 64} {
		b.Run(fmt.Sprintf("clients=%d", clients), func(b *testing.B) {
			db := storetest.Open(b, store.Postgres)
			e := newEnvDeps(b, db, func(o *app.Options) { o.TracerProvider = benchTracer(b) })
			type cust struct {
				u       *user
				id, num string
			}
			cs := make([]cust, 50)
			for i := range cs {
				u := e.signUp(fmt.Sprintf("C%d", i))
				id, num := e.firstAccount(u)
				e.depositTo(u, id, "10000")
				cs[i] = cust{u, id, num}
			}
			lat := make([]time.Duration, b.N)
			var next atomic.Int64
			var failed atomic.Int64
			var wg sync.WaitGroup
			b.ResetTimer()
			start := time.Now()
			for w := 0; w < clients; w++ {
				wg.Add(1)
				go func(w int) {
					defer wg.Done()
					for {
						i := int(next.Add(1)) - 1
						if i >= b.N {
							return
						}
						from, to := cs[(w+i)%len(cs)], cs[(w+i+1+i%7)%len(cs)]
						t0 := time.Now()
						r := e.money(from.u, "/api/v1/transfers", map[string]any{"from_account_id": from.id, "to_account_number": to.num, "amount": "0.01"}, "")
						lat[i] = time.Since(t0)
						if r.Status != 201 {
							failed.Add(1)
						}
					}
				}(w)
			}
			wg.Wait()
			el := time.Since(start)
			b.StopTimer()
			if failed.Load() > 0 {
				b.Fatalf("%d transfers failed", failed.Load())
			}
			sortDurations(lat)
			b.ReportMetric(float64(b.N)/el.Seconds(), "transfers/s")
			b.ReportMetric(float64(lat[len(lat)/2].Microseconds())/1000, "p50-ms")
			b.ReportMetric(float64(lat[len(lat)*99/100].Microseconds())/1000, "p99-ms")
			e.verify()
		})
	}
}

func sortDurations(d []time.Duration) {
	// insertion sort is too slow for large N; use the standard library
	slicesSort(d)
}

func slicesSort(d []time.Duration) { slices.Sort(d) }
