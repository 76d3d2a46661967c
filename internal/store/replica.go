package store

import (
	"context"
	"database/sql"
	"sync"
	"sync/atomic"
	"time"

	"github.com/bankapp/bankapp/internal/audit"
)

// Read-replica routing. Read-only queries (history, statements, transfer
// lists, admin lists) go to DATABASE_READ_URL when it is set, except:
//   - read-your-writes: for ReadYourWritesFor after a user's transaction
//     commits on this instance, that user's reads go to the primary;
//   - the replica is behind the primary by more than MaxReplicaLag, or does
//     not answer: every read goes to the primary until it catches up.
// Across instances, staleness is bounded by MaxReplicaLag (and the load
// balancer's stickiness keeps a user on one instance).

// Routing bounds.
const (
	ReadYourWritesFor = 5 * time.Second
	MaxReplicaLag     = 2 * time.Second
	replicaPoll       = 250 * time.Millisecond
)

// WithUser marks ctx as acting for a user, so the store can route that
// user's reads (read-your-writes). The HTTP layer does the same through
// audit.WithCaller.
func WithUser(ctx context.Context, userID string) context.Context {
	return audit.WithCaller(ctx, audit.Caller{UserID: userID})
}

func userOf(ctx context.Context) string { return audit.CallerFrom(ctx).UserID }

// replica tracks whether the read pool may be used.
type replica struct {
	ok      atomic.Bool // caught up within MaxReplicaLag and answering
	lag     atomic.Int64
	mu      sync.Mutex
	writes  map[string]time.Time // user → last commit on this instance
	stop    chan struct{}
	samples []lsnSample
}

type lsnSample struct {
	at  time.Time
	lsn string
}

// reader picks the pool for a read-only query.
func (db *DB) reader(ctx context.Context) *sql.DB {
	if db.rep == nil || !db.rep.ok.Load() {
		return db.w
	}
	if u := userOf(ctx); u != "" {
		db.rep.mu.Lock()
		at, wrote := db.rep.writes[u]
		db.rep.mu.Unlock()
		if wrote && db.now().Sub(at) < ReadYourWritesFor {
			return db.w
		}
	}
	return db.r
}

// noteWrite records that ctx's user committed a write.
func (db *DB) noteWrite(ctx context.Context) { db.MarkWrite(userOf(ctx)) }

// MarkWrite records that the user's write just committed, so that their
// reads use the primary for ReadYourWritesFor.
func (db *DB) MarkWrite(u string) {
	if db.rep == nil || u == "" {
		return
	}
	now := db.now()
	db.rep.mu.Lock()
	if len(db.rep.writes) > 50_000 {
		for k, at := range db.rep.writes {
			if now.Sub(at) >= ReadYourWritesFor {
				delete(db.rep.writes, k)
			}
		}
	}
	db.rep.writes[u] = now
	db.rep.mu.Unlock()
}

// ReplicaStatus reports whether reads may use the replica and its last
// measured lag (for /metrics and tests).
func (db *DB) ReplicaStatus() (configured, usable bool, lag time.Duration) {
	if db.rep == nil {
		return false, false, 0
	}
	return true, db.rep.ok.Load(), time.Duration(db.rep.lag.Load())
}

// watchReplica polls the primary's WAL position and the replica's replay
// position. The replica's staleness is how long ago the primary was at the
// position the replica has replayed; past MaxReplicaLag, or on any error,
// reads fall back to the primary.
func (db *DB) watchReplica() {
	t := time.NewTicker(replicaPoll)
	defer t.Stop()
	for {
		db.checkReplica()
		select {
		case <-t.C:
		case <-db.rep.stop:
			return
		}
	}
}

func (db *DB) checkReplica() {
	ctx, cancel := context.WithTimeout(context.Background(), time.Second)
	defer cancel()
	now := time.Now()
	var primary string
	if err := db.w.QueryRowContext(ctx, `SELECT pg_current_wal_lsn()::text`).Scan(&primary); err != nil {
		db.rep.ok.Store(false)
		return
	}
	r := db.rep
	r.samples = append(r.samples, lsnSample{at: now, lsn: primary})
	if len(r.samples) > 64 {
		r.samples = r.samples[len(r.samples)-64:]
	}
	var caughtUp bool
	err := db.r.QueryRowContext(ctx, `SELECT pg_last_wal_replay_lsn() >= $1::pg_lsn`, primary).Scan(&caughtUp)
	if err != nil {
		r.ok.Store(false)
		return
	}
	if caughtUp {
		r.lag.Store(0)
		r.ok.Store(true)
		return
	}
	// Find the newest sample the replica has replayed: the replica is as
	// stale as that sample is old.
	var replayed string
	if err := db.r.QueryRowContext(ctx, `SELECT COALESCE(pg_last_wal_replay_lsn()::text, '0/0')`).Scan(&replayed); err != nil {
		r.ok.Store(false)
		return
	}
	lag := now.Sub(r.samples[0].at)
	for i := len(r.samples) - 1; i >= 0; i-- {
		var done bool
		if err := db.w.QueryRowContext(ctx, `SELECT $1::pg_lsn >= $2::pg_lsn`, replayed, r.samples[i].lsn).Scan(&done); err == nil && done {
			lag = now.Sub(r.samples[i].at)
			break
		}
	}
	r.lag.Store(int64(lag))
	r.ok.Store(lag <= MaxReplicaLag)
}

// ReadsFromReplica reports whether a read-only query made with ctx would go
// to the replica now.
func (db *DB) ReadsFromReplica(ctx context.Context) bool { return db.reader(ctx) != db.w }
