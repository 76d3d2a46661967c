package bank

import (
	"context"
	"time"

	"go.opentelemetry.io/otel/attribute"
	"go.opentelemetry.io/otel/trace"

	"github.com/bankapp/bankapp/internal/audit"
	"github.com/bankapp/bankapp/internal/ledger"
	"github.com/bankapp/bankapp/internal/telemetry"
)

// Group commit: concurrent transfers of this instance are gathered
// (whatever is queued when a worker is free, up to max, optionally waiting
// up to window for more) and committed in one database transaction. Each
// keeps its own idempotency record, audit event and answer; a transfer
// refused for funds or limits is answered with its own error and does not
// affect the others. Durability is unchanged: nobody is answered before the
// commit that holds their transfer.

type transferJob struct {
	ctx    context.Context
	caller audit.Caller
	idem   Idem
	m      Movement
	done   chan struct{}
	res    ledger.Response
	err    error
}

type committer struct {
	s      *Service
	jobs   chan *transferJob
	max    int
	window time.Duration
	stop   chan struct{}
}

func newCommitter(s *Service, workers, max int, window time.Duration) *committer {
	c := &committer{s: s, jobs: make(chan *transferJob, 4096), max: max, window: window, stop: make(chan struct{})}
	for range workers {
		go c.work()
	}
	return c
}

func (c *committer) close() { close(c.stop) }

// submit queues a job and waits for its answer. A request that ends before
// a worker takes its job is refused (nothing was applied); once taken, the
// job's transfer may commit, so submit waits for the outcome.
func (c *committer) submit(j *transferJob) (ledger.Response, error) {
	j.done = make(chan struct{})
	select {
	case c.jobs <- j:
	case <-j.ctx.Done():
		return ledger.Response{}, ErrUnavailable
	}
	<-j.done
	return j.res, j.err
}

func (c *committer) work() {
	for {
		var first *transferJob
		select {
		case first = <-c.jobs:
		case <-c.stop:
			return
		}
		batch := c.collect(first)
		c.s.batch.Observe(float64(len(batch)))
		c.exec(batch)
	}
}

// collect gathers more queued jobs behind first, up to max, waiting at most
// window for them.
func (c *committer) collect(first *transferJob) []*transferJob {
	batch := []*transferJob{first}
	var timeout <-chan time.Time
	if c.window > 0 {
		timer := time.NewTimer(c.window)
		defer timer.Stop()
		timeout = timer.C
	}
	for len(batch) < c.max {
		select {
		case j := <-c.jobs:
			batch = append(batch, j)
			continue
		default:
		}
		if timeout == nil {
			break
		}
		select {
		case j := <-c.jobs:
			batch = append(batch, j)
			continue
		case <-timeout:
		}
		break
	}
	return batch
}

func (c *committer) exec(batch []*transferJob) {
	ctx, cancel := context.WithTimeout(context.Background(), 15*time.Second)
	defer cancel()
	ctx, span := batchSpan(ctx, batch)
	defer span.End()
	err := c.s.store.InTx(ctx, func(tx Tx) error {
		for _, j := range batch {
			j.res, j.err = ledger.Response{}, nil
		}
		return c.apply(ctx, tx, batch)
	})
	if err != nil {
		// The batch failed as a whole (a database error): run each request
		// alone, so that one bad request cannot fail the others.
		c.s.log.Warn("group commit: batch failed; running its requests one by one", "size", len(batch), "err", err)
		span.SetAttributes(attribute.Bool("bankapp.batch.fallback", true))
		for _, j := range batch {
			j.res, j.err = c.s.transferAlone(j)
		}
	}
	for _, j := range batch {
		if j.err == nil {
			c.s.store.MarkWrite(j.caller.UserID)
		}
		close(j.done)
	}
}

// batchSpan starts the batch's span (telemetry.StartBatch: a child of the
// first sampled request, linked from and to each sampled request's span, its
// size as bankapp.batch.size), so that the SQL of the batch shows under
// each transfer's trace. With no sampled request in the batch it allocates
// nothing and returns a span that does nothing.
func batchSpan(ctx context.Context, batch []*transferJob) (context.Context, trace.Span) {
	for _, j := range batch {
		if trace.SpanFromContext(j.ctx).IsRecording() {
			members := make([]context.Context, len(batch))
			for i, m := range batch {
				members[i] = m.ctx
			}
			return telemetry.StartBatch(ctx, "groupcommit.batch", members)
		}
	}
	return ctx, trace.SpanFromContext(ctx)
}

// apply runs a batch inside tx with a fixed number of statements whatever
// its size: take the idempotency keys' locks, read their records (a replay
// or a reused key is answered from them), lock the accounts and the
// senders' day totals, apply each transfer in memory, write everything.
func (c *committer) apply(ctx context.Context, tx Tx, batch []*transferJob) error {
	fresh, err := c.claimKeys(ctx, tx, batch)
	if err != nil || len(fresh) == 0 {
		return err
	}
	ms := make([]Movement, len(fresh))
	for k, j := range fresh {
		ms[k] = j.m
	}
	b, errs, err := BeginTransfers(ctx, tx, ms)
	if err != nil {
		return err
	}
	var puts []ledger.IdemPut
	var events []audit.Event
	for k, j := range fresh {
		if errs[k] != nil {
			j.err = errs[k]
			if !isDomain(errs[k]) {
				return errs[k]
			}
			continue
		}
		t, to, err := b.Apply(k)
		if err != nil {
			j.err = err
			if !isDomain(err) {
				return err
			}
			continue
		}
		if j.res, err = receiptOf(t, to, j.caller.UserID).stored(); err != nil {
			return err
		}
		puts = append(puts, ledger.IdemPut{Owner: j.caller.UserID, Key: j.idem.Key,
			Record: ledger.IdemRecord{RequestHash: j.idem.Hash, Response: j.res, CreatedAt: j.m.Now}})
		events = append(events, moneyEvent(j.caller, ledger.KindTransfer, t))
	}
	return b.Write(ctx, puts, events)
}

// claimKeys takes the batch's idempotency keys and answers, from their
// records, the jobs that are replays or reuse a key (and those whose
// request has ended); it returns the jobs left to apply.
func (c *committer) claimKeys(ctx context.Context, tx Tx, batch []*transferJob) ([]*transferJob, error) {
	var live []*transferJob
	var keys []OwnerKey
	for _, j := range batch {
		if j.ctx.Err() != nil {
			j.err = ErrUnavailable
			continue
		}
		live = append(live, j)
		keys = append(keys, OwnerKey{Owner: j.caller.UserID, Key: j.idem.Key})
	}
	got, err := tx.LockIdempotencyKeys(ctx, keys)
	if err != nil {
		return nil, err
	}
	held, heldKeys := live[:0:0], keys[:0:0]
	for k, j := range live {
		if !got[k] {
			j.err = ledger.ErrKeyInProgress
			continue
		}
		held, heldKeys = append(held, j), append(heldKeys, keys[k])
	}
	recs, err := tx.IdempotencyRecords(ctx, heldKeys)
	if err != nil {
		return nil, err
	}
	var fresh []*transferJob
	for k, j := range held {
		if res, ok, err := ledger.Replay(recs[k], j.idem.Hash, tx.Now()); ok {
			j.res, j.err = res, err
			continue
		}
		fresh = append(fresh, j)
	}
	return fresh, nil
}
