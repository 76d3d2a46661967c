package jobs_test

import (
	"context"
	"errors"
	"fmt"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"github.com/bankapp/bankapp/internal/bank"
	"github.com/bankapp/bankapp/internal/jobs"
	"github.com/bankapp/bankapp/internal/ledger"
	"github.com/bankapp/bankapp/internal/store"
	"github.com/bankapp/bankapp/internal/store/storetest"
)

func (f *fixture) enqueue(kind, key, runAt string) {
	f.t.Helper()
	at, err := time.Parse(time.RFC3339, runAt)
	if err != nil {
		f.t.Fatal(err)
	}
	if _, err := f.db.EnqueueJob(f.ctx, store.Job{Kind: kind, DedupeKey: key, RunAt: at, MaxAttempts: 3}); err != nil {
		f.t.Fatal(err)
	}
}

func (f *fixture) job(key string) store.Job {
	f.t.Helper()
	j, err := f.db.JobByDedupeKey(f.ctx, key)
	if err != nil {
		f.t.Fatal(err)
	}
	return j
}

func TestRetryBackoffAndDeadLetter(t *testing.T) {
	storetest.Run(t, func(t *testing.T, db *store.DB) {
		f := newFixture(t, db, "2027-01-01T00:00:00Z")
		var calls atomic.Int32
		f.r.Register("flaky", func(ctx context.Context, tx *store.Tx, j store.Job) error {
			calls.Add(1)
			return errors.New("upstream timeout")
		})
		f.r.Register("broken", func(ctx context.Context, tx *store.Tx, j store.Job) error {
			return jobs.Permanent(errors.New("payload names no account"))
		})
		f.enqueue("flaky", "flaky:1", "2027-01-01T00:00:00Z")
		f.enqueue("broken", "broken:1", "2027-01-01T00:00:00Z")
		// Enqueueing the same key again is a no-op.
		f.enqueue("flaky", "flaky:1", "2027-01-05T00:00:00Z")

		f.at("2027-01-01T00:00:00Z")
		j := f.job("flaky:1")
		if j.Status != store.JobPending || j.Attempts != 1 || j.LastError != "upstream timeout" {
			t.Fatalf("after one failure: %+v", j)
		}
		// Backoff: base 1 min ±20 %, then doubling.
		if d := j.RunAt.Sub(f.clk.Now()); d < 48*time.Second || d > 72*time.Second {
			t.Fatalf("first retry in %s, want about 1m", d)
		}
		if b := f.job("broken:1"); b.Status != store.JobDead || b.Attempts != 1 || !strings.Contains(b.LastError, "names no account") {
			t.Fatalf("permanent error: %+v", b)
		}
		// Not due yet: nothing runs.
		f.at("2027-01-01T00:00:40Z")
		if calls.Load() != 1 {
			t.Fatalf("retried early: %d calls", calls.Load())
		}
		f.at("2027-01-01T00:01:30Z")
		j = f.job("flaky:1")
		if d := j.RunAt.Sub(f.clk.Now()); j.Attempts != 2 || d < 96*time.Second || d > 144*time.Second {
			t.Fatalf("second retry: attempts %d in %s, want about 2m", j.Attempts, d)
		}
		f.at("2027-01-01T00:10:00Z")
		j = f.job("flaky:1")
		if j.Status != store.JobDead || j.Attempts != 3 || calls.Load() != 3 {
			t.Fatalf("after max attempts: %+v (%d calls)", j, calls.Load())
		}
		f.at("2027-02-01T00:00:00Z")
		if calls.Load() != 3 {
			t.Fatal("a dead job ran again")
		}
		if got := f.metric("bankapp_jobs_failed_total", "outcome", "dead"); got != 2 {
			t.Fatalf("dead metric = %v", got)
		}
		if got := f.metric("bankapp_jobs_failed_total", "outcome", "retry"); got != 2 {
			t.Fatalf("retry metric = %v", got)
		}
		// An operator requeues the dead job once the cause is fixed.
		f.r.Register("flaky", func(ctx context.Context, tx *store.Tx, j store.Job) error { return nil })
		if err := db.RequeueJob(f.ctx, j.ID, f.clk.Now()); err != nil {
			t.Fatal(err)
		}
		f.at("2027-02-01T00:00:01Z")
		if j = f.job("flaky:1"); j.Status != store.JobDone {
			t.Fatalf("requeued job: %+v", j)
		}
	})
}

func TestHandlerErrorRollsBackItsWrites(t *testing.T) {
	storetest.Run(t, func(t *testing.T, db *store.DB) {
		f := newFixture(t, db, "2027-01-01T00:00:00Z")
		f.r.Register("half", func(ctx context.Context, tx *store.Tx, j store.Job) error {
			if _, err := tx.EnqueueJob(ctx, store.Job{Kind: "child", DedupeKey: "child:1", RunAt: j.RunAt}); err != nil {
				return err
			}
			panic("crash after a write")
		})
		f.enqueue("half", "half:1", "2027-01-01T00:00:00Z")
		f.at("2027-01-01T00:00:00Z")
		if _, err := db.JobByDedupeKey(f.ctx, "child:1"); err == nil {
			t.Fatal("the write of a failed job was committed")
		}
		if j := f.job("half:1"); j.Status != store.JobPending || !strings.Contains(j.LastError, "crash after a write") {
			t.Fatalf("after a panic: %+v", j)
		}
	})
}

// TestExpiredLeaseIsTakenOverAndTheOldClaimFenced simulates an instance
// that claimed a job and died: after the lease another instance runs it,
// and the dead claim can no longer complete or fail it.
func TestExpiredLeaseIsTakenOverAndTheOldClaimFenced(t *testing.T) {
	storetest.Run(t, func(t *testing.T, db *store.DB) {
		f := newFixture(t, db, "2027-01-01T00:00:00Z", func(o *jobs.Options) { o.Lease = 30 * time.Second })
		var runs atomic.Int32
		f.r.Register("work", func(ctx context.Context, tx *store.Tx, j store.Job) error { runs.Add(1); return nil })
		f.enqueue("work", "work:1", "2027-01-01T00:00:00Z")
		claimed, err := db.ClaimJobs(f.ctx, "dead-instance/1", f.clk.Now(), 30*time.Second, 10)
		if err != nil || len(claimed) != 1 {
			t.Fatalf("claim: %v %v", claimed, err)
		}
		// Within the lease nobody else takes it.
		f.at("2027-01-01T00:00:29Z")
		if runs.Load() != 0 {
			t.Fatal("a leased job was taken over early")
		}
		f.at("2027-01-01T00:00:31Z")
		if j := f.job("work:1"); runs.Load() != 1 || j.Status != store.JobDone || j.Attempts != 2 {
			t.Fatalf("after the lease: %d runs, %+v", runs.Load(), j)
		}
		// The dead instance wakes up: its claim is fenced off.
		err = db.InTx(f.ctx, func(tx *store.Tx) error {
			ok, err := tx.FenceJob(f.ctx, claimed[0].ID, "dead-instance/1")
			if ok {
				t.Error("old claim still passes the fence")
			}
			return err
		})
		if err != nil {
			t.Fatal(err)
		}
		if ok, err := db.FailJob(f.ctx, claimed[0].ID, "dead-instance/1", f.clk.Now(), f.clk.Now(), "late", true, nil); ok || err != nil {
			t.Fatalf("old claim failed the job: %v %v", ok, err)
		}
		if j := f.job("work:1"); j.Status != store.JobDone {
			t.Fatalf("job after the stale claim: %+v", j)
		}
	})
}

func TestJobThatKillsEveryInstanceIsDeadLettered(t *testing.T) {
	storetest.Run(t, func(t *testing.T, db *store.DB) {
		f := newFixture(t, db, "2027-01-01T00:00:00Z", func(o *jobs.Options) { o.Lease = 10 * time.Second })
		f.r.Register("poison", func(ctx context.Context, tx *store.Tx, j store.Job) error { return nil })
		f.enqueue("poison", "poison:1", "2027-01-01T00:00:00Z")
		// Three instances claim it in turn and die (max attempts 3).
		at := f.clk.Now()
		for i := 0; i < 3; i++ {
			if c, err := db.ClaimJobs(f.ctx, "doomed", at, 10*time.Second, 1); err != nil || len(c) != 1 {
				t.Fatalf("claim %d: %v %v", i, c, err)
			}
			at = at.Add(11 * time.Second)
		}
		f.at(at.Format(time.RFC3339))
		if j := f.job("poison:1"); j.Status != store.JobDead || !strings.Contains(j.LastError, "instances stopped mid-job") {
			t.Fatalf("poison job: %+v", j)
		}
	})
}

func TestStartStopRunsDueJobsInTheBackground(t *testing.T) {
	storetest.Run(t, func(t *testing.T, db *store.DB) {
		f := newFixture(t, db, "2027-01-01T00:00:00Z", func(o *jobs.Options) { o.PollInterval = 20 * time.Millisecond })
		done := make(chan struct{}, 10)
		f.r.Register("bg", func(ctx context.Context, tx *store.Tx, j store.Job) error { done <- struct{}{}; return nil })
		f.r.Start(f.ctx)
		f.enqueue("bg", "bg:1", "2027-01-01T00:00:00Z")
		select {
		case <-done:
		case <-time.After(5 * time.Second):
			t.Fatal("the background loop did not run a due job")
		}
		ctx, cancel := context.WithTimeout(f.ctx, 5*time.Second)
		defer cancel()
		if err := f.r.Stop(ctx); err != nil {
			t.Fatal(err)
		}
		// Stopped: the loop has returned, so nothing picks up a new due job.
		select {
		case <-f.r.LoopDone():
		default:
			t.Fatal("Stop returned while the background loop still runs")
		}
		f.enqueue("bg", "bg:2", "2027-01-01T00:00:00Z")
		if j := f.job("bg:2"); j.Status != store.JobPending {
			t.Fatalf("ran after Stop: %+v", j)
		}
		if err := f.r.Stop(ctx); err != nil {
			t.Fatalf("second Stop: %v", err)
		}
	})
}

// TestStopFinishesTheJobInHandAndReturnsTheRest: on SIGTERM the job being
// run commits, and jobs claimed with it but not started go back to pending
// at once instead of waiting out their lease.
func TestStopFinishesTheJobInHandAndReturnsTheRest(t *testing.T) {
	storetest.Run(t, func(t *testing.T, db *store.DB) {
		f := newFixture(t, db, "2027-01-01T00:00:00Z", func(o *jobs.Options) { o.PollInterval = 10 * time.Millisecond; o.BatchSize = 4 })
		started, release := make(chan string, 4), make(chan struct{})
		f.r.Register("slow", func(ctx context.Context, tx *store.Tx, j store.Job) error {
			started <- j.DedupeKey
			<-release
			return nil
		})
		for i := 1; i <= 4; i++ {
			f.enqueue("slow", "slow:"+string(rune('0'+i)), "2027-01-01T00:00:00Z")
		}
		f.r.Start(f.ctx)
		var first string
		select {
		case first = <-started:
		case <-time.After(5 * time.Second):
			t.Fatal("no job started")
		}
		stopped := make(chan error, 1)
		go func() { stopped <- f.r.Stop(context.Background()) }()
		<-f.r.StopSignalled() // Stop has told the loop to stop and waits for the job in hand
		close(release)
		if err := <-stopped; err != nil {
			t.Fatal(err)
		}
		if j := f.job(first); j.Status != store.JobDone {
			t.Fatalf("job in hand: %+v", j)
		}
		for i := 1; i <= 4; i++ {
			k := "slow:" + string(rune('0'+i))
			if k == first {
				continue
			}
			if j := f.job(k); j.Status != store.JobPending || !j.RunAt.Equal(f.clk.Now()) || j.Attempts != 0 || j.LockedBy == "" {
				t.Fatalf("claimed job not handed back: %+v", j)
			}
		}
	})
}

func TestCleanupDeletesOldFinishedJobsOnly(t *testing.T) {
	storetest.Run(t, func(t *testing.T, db *store.DB) {
		f := newFixture(t, db, "2027-01-01T00:00:00Z")
		f.r.Register("ok", func(ctx context.Context, tx *store.Tx, j store.Job) error { return nil })
		f.r.Register("bad", func(ctx context.Context, tx *store.Tx, j store.Job) error { return jobs.Permanent(errors.New("no")) })
		f.enqueue("ok", "old-done", "2027-01-01T00:00:00Z")
		f.enqueue("bad", "old-dead", "2027-01-01T00:00:00Z")
		f.at("2027-01-01T00:00:00Z")
		f.enqueue("ok", "recent-done", "2027-04-05T00:00:00Z")
		f.at("2027-04-05T00:00:00Z")
		// An idempotency key a day and a half old and one an hour old; day
		// totals of 8 days ago (no longer kept) and of 6 days ago.
		cleanupAt := time.Date(2027, 4, 11, 3, 0, 0, 0, time.UTC)
		oldDay := bank.DayKey{User: "u1", Kind: ledger.KindTransfer, Currency: ledger.USD, Day: bank.DayOf(cleanupAt) - 7}
		keptDay := bank.DayKey{User: "u1", Kind: ledger.KindTransfer, Currency: ledger.USD, Day: bank.DayOf(cleanupAt) - 6}
		err := db.InTx(f.ctx, func(tx *store.Tx) error {
			for key, at := range map[string]time.Time{"old-key": cleanupAt.Add(-36 * time.Hour), "new-key": cleanupAt.Add(-time.Hour)} {
				rec := ledger.IdemRecord{RequestHash: "h", Response: ledger.Response{Status: 201, Body: []byte(`{}`)}, CreatedAt: at}
				if err := tx.PutIdempotencyRecord(f.ctx, "u1", key, rec); err != nil {
					return err
				}
			}
			if _, err := tx.LockDayTotals(f.ctx, []bank.DayKey{oldDay, keptDay}); err != nil {
				return err
			}
			return tx.SetDayTotals(f.ctx, map[bank.DayKey]int64{oldDay: 500, keptDay: 700})
		})
		if err != nil {
			t.Fatal(err)
		}
		// 100 days after the first jobs finished, the day's cleanup at 03:00 runs.
		f.at("2027-04-11T03:00:00Z")
		err = db.InTx(f.ctx, func(tx *store.Tx) error {
			recs, err := tx.IdempotencyRecords(f.ctx, []bank.OwnerKey{{Owner: "u1", Key: "old-key"}, {Owner: "u1", Key: "new-key"}})
			if err != nil {
				return err
			}
			if recs[0] != nil || recs[1] == nil {
				t.Errorf("idempotency keys after cleanup: old %v, new %v (want only the new one)", recs[0] != nil, recs[1] != nil)
			}
			totals, err := tx.LockDayTotals(f.ctx, []bank.DayKey{oldDay, keptDay}) // a deleted total comes back at 0
			if err != nil {
				return err
			}
			if totals[oldDay] != 0 || totals[keptDay] != 700 {
				t.Errorf("day totals after cleanup: 8 days ago %d (want deleted), 6 days ago %d (want 700)", totals[oldDay], totals[keptDay])
			}
			return errors.New("rollback") // leave nothing behind
		})
		if err == nil || err.Error() != "rollback" {
			t.Fatal(err)
		}
		if _, err := db.JobByDedupeKey(f.ctx, "old-done"); code(err) != "not_found" {
			t.Fatalf("old done job kept: %v", err)
		}
		if j := f.job("old-dead"); j.Status != store.JobDead {
			t.Fatalf("dead job: %+v", j)
		}
		if j := f.job("recent-done"); j.Status != store.JobDone {
			t.Fatalf("recent job: %+v", j)
		}
		if j := f.job("cleanup:2027-04-11"); j.Status != store.JobDone {
			t.Fatalf("cleanup job: %+v", j)
		}
		if _, err := jobs.New(jobs.Options{DB: db, Retention: 30 * 24 * time.Hour}); err == nil {
			t.Fatal("a retention shorter than the seeding window was accepted")
		}
	})
}

// TestCleanupWorksOffABacklogInShortRuns: with a batch of 2, five expired
// idempotency keys are deleted by three runs of the cleanup job — each run
// that deleted a full batch queues the next — and a live key stays.
func TestCleanupWorksOffABacklogInShortRuns(t *testing.T) {
	defer jobs.SetCleanupBatch(2)()
	storetest.Run(t, func(t *testing.T, db *store.DB) {
		f := newFixture(t, db, "2027-01-01T00:00:00Z")
		at := time.Date(2027, 1, 3, 3, 0, 0, 0, time.UTC)
		err := db.InTx(f.ctx, func(tx *store.Tx) error {
			for i, created := range []time.Time{at.Add(-48 * time.Hour), at.Add(-47 * time.Hour), at.Add(-46 * time.Hour), at.Add(-45 * time.Hour), at.Add(-30 * time.Hour), at.Add(-time.Hour)} {
				rec := ledger.IdemRecord{RequestHash: "h", Response: ledger.Response{Status: 201, Body: []byte(`{}`)}, CreatedAt: created}
				if err := tx.PutIdempotencyRecord(f.ctx, "u1", fmt.Sprintf("k%d", i), rec); err != nil {
					return err
				}
			}
			return nil
		})
		if err != nil {
			t.Fatal(err)
		}
		f.at("2027-01-03T03:00:00Z")
		keys := make([]bank.OwnerKey, 6)
		for i := range keys {
			keys[i] = bank.OwnerKey{Owner: "u1", Key: fmt.Sprintf("k%d", i)}
		}
		err = db.InTx(f.ctx, func(tx *store.Tx) error {
			recs, err := tx.IdempotencyRecords(f.ctx, keys)
			if err != nil {
				return err
			}
			for i, r := range recs {
				if (r != nil) != (i == 5) {
					t.Errorf("key k%d present=%v after cleanup (only k5, an hour old, should be)", i, r != nil)
				}
			}
			return nil
		})
		if err != nil {
			t.Fatal(err)
		}
		for _, k := range []string{"cleanup:2027-01-03", "cleanup:2027-01-03+", "cleanup:2027-01-03++"} {
			if j := f.job(k); j.Status != store.JobDone {
				t.Fatalf("%s: %+v", k, j)
			}
		}
		if _, err := db.JobByDedupeKey(f.ctx, "cleanup:2027-01-03+++"); code(err) != "not_found" {
			t.Fatalf("a fourth run was queued after a short batch: %v", err)
		}
	})
}
