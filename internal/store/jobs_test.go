package store_test

import (
	"context"
	"fmt"
	"sync"
	"testing"
	"time"

	"github.com/bankapp/bankapp/internal/store"
	"github.com/bankapp/bankapp/internal/store/storetest"
)

// TestConcurrentClaimsNeverShareAJob has eight claimers race over 200 due
// jobs: every job is claimed exactly once (SKIP LOCKED on PostgreSQL, the
// single writer on SQLite), none that is not yet due, and leases hold.
func TestConcurrentClaimsNeverShareAJob(t *testing.T) {
	storetest.Run(t, func(t *testing.T, db *store.DB) {
		ctx := context.Background()
		now := time.Date(2027, 1, 1, 0, 0, 0, 0, time.UTC)
		const n = 200
		for i := 0; i < n; i++ {
			if ok, err := db.EnqueueJob(ctx, store.Job{Kind: "k", DedupeKey: fmt.Sprintf("k:%d", i), RunAt: now.Add(-time.Duration(i) * time.Second)}); err != nil || !ok {
				t.Fatalf("enqueue: %v %v", ok, err)
			}
		}
		if ok, err := db.EnqueueJob(ctx, store.Job{Kind: "k", DedupeKey: "k:0", RunAt: now}); ok || err != nil {
			t.Fatalf("duplicate dedupe key inserted: %v %v", ok, err)
		}
		if _, err := db.EnqueueJob(ctx, store.Job{Kind: "k", DedupeKey: "future", RunAt: now.Add(time.Minute)}); err != nil {
			t.Fatal(err)
		}
		var mu sync.Mutex
		seen := map[string]string{}
		var wg sync.WaitGroup
		errs := make(chan error, 8)
		for w := 0; w < 8; w++ {
			wg.Add(1)
			go func(w int) {
				defer wg.Done()
				token := fmt.Sprintf("w%d", w)
				for {
					batch, err := db.ClaimJobs(ctx, token, now, time.Minute, 7)
					if err != nil {
						errs <- err
						return
					}
					if len(batch) == 0 {
						return
					}
					mu.Lock()
					for _, j := range batch {
						if prev, dup := seen[j.DedupeKey]; dup {
							errs <- fmt.Errorf("%s claimed by %s and %s", j.DedupeKey, prev, token)
						}
						seen[j.DedupeKey] = token
						if j.Status != store.JobRunning || j.Attempts != 1 || j.LockedBy != token || !j.LeaseUntil.Equal(now.Add(time.Minute)) {
							errs <- fmt.Errorf("claimed row %+v", j)
						}
					}
					mu.Unlock()
				}
			}(w)
		}
		wg.Wait()
		close(errs)
		for err := range errs {
			t.Fatal(err)
		}
		if len(seen) != n {
			t.Fatalf("%d jobs claimed, want %d", len(seen), n)
		}
		if _, ok := seen["future"]; ok {
			t.Fatal("a job not yet due was claimed")
		}
		// Within the lease nothing is claimable; after it, everything is again.
		if b, err := db.ClaimJobs(ctx, "late", now.Add(59*time.Second), time.Minute, 1000); err != nil || len(b) != 0 {
			t.Fatalf("claimed %d leased jobs: %v", len(b), err)
		}
		b, err := db.ClaimJobs(ctx, "late", now.Add(61*time.Second), time.Minute, 1000)
		if err != nil || len(b) != n+1 {
			t.Fatalf("after the lease (and the future job falling due): %d claimed, %v", len(b), err)
		}
		for i := 1; i < len(b); i++ {
			if b[i].RunAt.Before(b[i-1].RunAt) {
				t.Fatal("claims are not oldest first")
			}
		}
		counts, err := db.JobCounts(ctx)
		if err != nil || counts[store.JobRunning] != n+1 {
			t.Fatalf("counts %v %v", counts, err)
		}
	})
}
