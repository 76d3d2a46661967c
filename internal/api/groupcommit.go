package api

import (
	"context"
	"encoding/json"
	"errors"
	"net/http"
	"time"

	"github.com/bankapp/bankapp/internal/bank"
	"github.com/bankapp/bankapp/internal/ledger"
	"github.com/bankapp/bankapp/internal/store"
)

// Group commit: concurrent transfer requests on this instance are gathered
// (whatever is queued when a worker is free, up to max, optionally waiting
// up to window for more) and committed in one database transaction. Each
// request keeps its own idempotency record, audit event and answer; a
// transfer refused for funds or limits is answered with its own error and
// does not affect the others. Durability is unchanged: nobody is answered
// before the commit that holds their transfer.

type transferJob struct {
	ctx  context.Context
	r    *http.Request
	p    principal
	key  string
	hash string
	req  *transferRequest
	now  time.Time
	done chan ledger.Response
	err  error
}

type committer struct {
	s      *Server
	jobs   chan *transferJob
	max    int
	window time.Duration
	stop   chan struct{}
}

func newCommitter(s *Server, workers, max int, window time.Duration) *committer {
	c := &committer{s: s, jobs: make(chan *transferJob, 4096), max: max, window: window, stop: make(chan struct{})}
	for i := 0; i < workers; i++ {
		go c.work()
	}
	return c
}

// submit queues a job and waits for its answer.
func (c *committer) submit(j *transferJob) (ledger.Response, error) {
	j.done = make(chan ledger.Response, 1)
	c.jobs <- j
	res := <-j.done
	return res, j.err
}

func (c *committer) work() {
	for {
		var first *transferJob
		select {
		case first = <-c.jobs:
		case <-c.stop:
			return
		}
		batch := []*transferJob{first}
		var timeout <-chan time.Time
		var timer *time.Timer
		if c.window > 0 {
			timer = time.NewTimer(c.window)
			timeout = timer.C
		}
	collect:
		for len(batch) < c.max {
			select {
			case j := <-c.jobs:
				batch = append(batch, j)
			default:
				if timeout == nil {
					break collect
				}
				select {
				case j := <-c.jobs:
					batch = append(batch, j)
				case <-timeout:
					break collect
				}
			}
		}
		if timer != nil {
			timer.Stop()
		}
		c.s.metrics.batchSize.Observe(float64(len(batch)))
		c.exec(batch)
	}
}

type outcome struct {
	resp ledger.Response
	err  error
	set  bool
}

// isDomain reports whether err is an answer for the client (a coded error)
// rather than a failure of the database.
func isDomain(err error) bool {
	var c coder
	return errors.As(err, &c)
}

func (c *committer) exec(batch []*transferJob) {
	out := make([]outcome, len(batch))
	ctx, cancel := context.WithTimeout(context.Background(), 15*time.Second)
	defer cancel()
	err := c.s.db.InTx(ctx, func(tx *store.Tx) error {
		clear(out)
		return c.apply(ctx, tx, batch, out)
	})
	if err != nil {
		// The batch failed as a whole (a database error): run each request
		// alone, so that one bad request cannot fail the others.
		c.s.log.Warn("group commit: batch failed; running its requests one by one", "size", len(batch), "err", err)
		for i, j := range batch {
			out[i].resp, out[i].err = c.s.transferAlone(j)
		}
	}
	for i, j := range batch {
		if out[i].err == nil {
			c.s.db.MarkWrite(j.p.UserID)
		}
		j.err = out[i].err
		j.done <- out[i].resp
	}
}

// apply runs a batch inside tx with a fixed number of statements whatever
// its size (PostgreSQL): take the idempotency keys' locks, read their
// records, lock the accounts, lock the senders' day totals, write everything.
func (c *committer) apply(ctx context.Context, tx *store.Tx, batch []*transferJob, out []outcome) error {
	var live []int
	var keys []store.OwnerKey
	for i, j := range batch {
		if j.ctx.Err() != nil {
			out[i] = outcome{err: errCode("unavailable", "the request was cancelled"), set: true}
			continue
		}
		live = append(live, i)
		keys = append(keys, store.OwnerKey{Owner: j.p.UserID, Key: j.key})
	}
	got, err := tx.LockIdempotencyKeys(ctx, keys)
	if err != nil {
		return err
	}
	held, heldKeys := live[:0:0], keys[:0:0]
	for k, i := range live {
		if !got[k] {
			out[i] = outcome{err: ledger.ErrKeyInProgress, set: true}
			continue
		}
		held, heldKeys = append(held, i), append(heldKeys, keys[k])
	}
	recs, err := tx.IdempotencyRecords(ctx, heldKeys)
	if err != nil {
		return err
	}
	var idx []int
	var ms []bank.Movement
	for k, i := range held {
		j := batch[i]
		if rec := recs[k]; rec != nil && !rec.CreatedAt.Before(j.now.Add(-ledger.IdempotencyTTL)) {
			if rec.RequestHash != j.hash {
				out[i] = outcome{err: ledger.ErrKeyReused, set: true}
			} else {
				r := rec.Response
				r.Replayed = true
				out[i] = outcome{resp: r, set: true}
			}
			continue
		}
		idx = append(idx, i)
		ms = append(ms, j.movement())
	}
	if len(ms) == 0 {
		return nil
	}
	b, errs, err := bank.BeginTransfers(ctx, tx, ms)
	if err != nil {
		return err
	}
	var puts []store.IdemPut
	var audits []store.AuditEvent
	for k, i := range idx {
		j := batch[i]
		if errs[k] != nil {
			if !isDomain(errs[k]) {
				return errs[k]
			}
			out[i] = outcome{err: errs[k], set: true}
			continue
		}
		t, to, err := b.Apply(k)
		if err != nil {
			if !isDomain(err) {
				return err
			}
			out[i] = outcome{err: err, set: true}
			continue
		}
		body, err := json.Marshal(map[string]any{"transfer": viewTransfer(t, to.Number, j.p.UserID, to.OwnerID, j.p.UserID)})
		if err != nil {
			return err
		}
		resp := ledger.Response{Status: http.StatusCreated, Body: body}
		out[i] = outcome{resp: resp, set: true}
		puts = append(puts, store.IdemPut{Owner: j.p.UserID, Key: j.key, Record: ledger.IdemRecord{RequestHash: j.hash, Response: resp, CreatedAt: j.now}})
		audits = append(audits, c.s.moneyAuditFor(j.r, j.p.UserID, "transfer", t))
	}
	return b.Write(ctx, puts, audits)
}

func (j *transferJob) movement() bank.Movement {
	return bank.Movement{UserID: j.p.UserID, AccountID: j.req.FromAccountID, ToAccountNumber: j.req.ToAccountNumber,
		Amount: j.req.Amount.s, Description: j.req.Description, Now: j.now}
}

// transferAlone runs one transfer in its own transaction (no group commit);
// the caller already holds the key in s.keys.
func (s *Server) transferAlone(j *transferJob) (ledger.Response, error) {
	return ledger.RunIdempotent(j.ctx, s.db.InTx, j.p.UserID, j.key, j.hash, func(tx *store.Tx) (ledger.Response, error) {
		t, to, err := bank.Transfer(j.ctx, tx, j.movement())
		if err != nil {
			return ledger.Response{}, err
		}
		if err := tx.InsertAudit(j.ctx, s.moneyAuditFor(j.r, j.p.UserID, "transfer", t)); err != nil {
			return ledger.Response{}, err
		}
		body, err := json.Marshal(map[string]any{"transfer": viewTransfer(t, to.Number, j.p.UserID, to.OwnerID, j.p.UserID)})
		if err != nil {
			return ledger.Response{}, err
		}
		return ledger.Response{Status: http.StatusCreated, Body: body}, nil
	})
}
