package store_test

import (
	"context"
	"database/sql"
	"net/url"
	"os"
	"testing"
	"time"

	"github.com/bankapp/bankapp/internal/audit"
	"github.com/bankapp/bankapp/internal/bank"
	"github.com/bankapp/bankapp/internal/ledger"
	"github.com/bankapp/bankapp/internal/store"
	"github.com/bankapp/bankapp/internal/store/storetest"
)

// replicaURL is the same database on the streaming replica that make test
// starts (scripts/pg.sh replica).
func replicaURL(t *testing.T, primary string) string {
	t.Helper()
	r := os.Getenv("TEST_REPLICA_URL")
	if r == "" {
		if os.Getenv("BANKAPP_REQUIRE_PG") == "1" {
			t.Fatal("TEST_REPLICA_URL is not set; make test starts a replica")
		}
		t.Skip("needs TEST_REPLICA_URL (a streaming replica of TEST_DATABASE_URL)")
	}
	p, _ := url.Parse(primary)
	u, _ := url.Parse(r)
	u.Path = p.Path
	return u.String()
}

func waitFor(t *testing.T, what string, limit time.Duration, cond func() bool) {
	t.Helper()
	deadline := time.Now().Add(limit)
	for !cond() {
		if time.Now().After(deadline) {
			t.Fatalf("timed out after %s waiting for %s", limit, what)
		}
		time.Sleep(50 * time.Millisecond)
	}
}

// TestReplicaRouting runs against a real streaming replica: reads go to the
// replica, a user who just wrote reads the primary, a replica whose replay
// is paused falls behind and is dropped until it catches up, and a replica
// that does not answer is never used.
func TestReplicaRouting(t *testing.T) {
	primary := storetest.NewDatabaseURL(t)
	rurl := replicaURL(t, primary)
	waitFor(t, "the new database on the replica", 20*time.Second, func() bool {
		c, err := sql.Open("pgx", rurl)
		if err != nil {
			return false
		}
		defer c.Close()
		var n int
		return c.QueryRow(`SELECT COUNT(*) FROM goose_db_version`).Scan(&n) == nil && n > 0
	})
	ctx := context.Background()
	db, err := store.Open(ctx, store.Options{URL: primary, ReadURL: rurl})
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	waitFor(t, "the replica to be usable", 5*time.Second, func() bool { _, ok, _ := db.ReplicaStatus(); return ok })

	alice := store.WithUser(ctx, "alice")
	bob := store.WithUser(ctx, "bob")
	if !db.ReadsFromReplica(alice) || !db.ReadsFromReplica(bob) {
		t.Fatal("reads do not use a healthy replica")
	}
	// Alice writes: her reads go to the primary for a while, Bob's do not.
	if err := db.InTx(alice, func(tx *store.Tx) error {
		return tx.SetBalances(alice, map[string]int64{ledger.SystemAccountID(ledger.SystemFees, ledger.USD): 0})
	}); err != nil {
		t.Fatal(err)
	}
	if db.ReadsFromReplica(alice) {
		t.Fatal("a user who just wrote reads the replica (no read-your-writes)")
	}
	if !db.ReadsFromReplica(bob) {
		t.Fatal("another user's reads left the replica")
	}
	if _, err := db.History(bob, "none", bank.HistoryFilter{Limit: 10}); err != nil {
		t.Fatalf("read through the replica: %v", err)
	}

	// Pause replay: the replica falls behind while the primary moves on.
	rep, err := sql.Open("pgx", rurl)
	if err != nil {
		t.Fatal(err)
	}
	defer rep.Close()
	if _, err := rep.Exec(`SELECT pg_wal_replay_pause()`); err != nil {
		t.Fatal(err)
	}
	defer rep.Exec(`SELECT pg_wal_replay_resume()`) //nolint:errcheck
	stopWrites := make(chan struct{})
	go func() {
		for {
			select {
			case <-stopWrites:
				return
			case <-time.After(100 * time.Millisecond):
				_ = db.InTx(ctx, func(tx *store.Tx) error {
					return tx.InsertAudit(ctx, audit.Event{Action: "tick", Outcome: "success"})
				})
			}
		}
	}()
	waitFor(t, "the lagging replica to be dropped", store.MaxReplicaLag+3*time.Second, func() bool { return !db.ReadsFromReplica(bob) })
	if _, lag := replicaLag(db); lag <= store.MaxReplicaLag {
		t.Fatalf("dropped with lag %s", lag)
	}
	if _, err := rep.Exec(`SELECT pg_wal_replay_resume()`); err != nil {
		t.Fatal(err)
	}
	waitFor(t, "the replica to catch up and be used again", 10*time.Second, func() bool { return db.ReadsFromReplica(bob) })
	close(stopWrites)

	// A replica that does not answer is never used; reads still work.
	dead, err := store.Open(ctx, store.Options{URL: primary, ReadURL: "postgres://bankapp@127.0.0.1:1/none?sslmode=disable&connect_timeout=1"})
	if err != nil {
		t.Fatal(err)
	}
	defer dead.Close()
	if dead.ReadsFromReplica(bob) {
		t.Fatal("an unreachable replica is used")
	}
	if _, err := dead.History(bob, "none", bank.HistoryFilter{Limit: 10}); err != nil {
		t.Fatalf("read with the replica down: %v", err)
	}
}

func replicaLag(db *store.DB) (bool, time.Duration) {
	_, ok, lag := db.ReplicaStatus()
	return ok, lag
}
