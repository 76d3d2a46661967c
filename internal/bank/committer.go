package bank

import (
	"context"
	"hash/fnv"
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
	rc     *Receipt // the fresh receipt, so the first answer needs no decoding
	err    error
}

// committer runs lanes of group commit. A transfer goes to the lane of the
// user who sends it (a hash of the user id), so one customer's transfers,
// idempotency keys and day totals are only ever in one lane's batch, and
// the lanes' batches — one in flight per lane — never wait for each other
// on those rows. They can still meet on shared recipients (a merchant);
// every batch locks accounts in id order before any day total, so they
// queue there instead of deadlocking.
type committer struct {
	s      *Service
	lanes  []chan *transferJob
	max    int
	window time.Duration
	stop   chan struct{}
}

func newCommitter(s *Service, lanes, max int, window time.Duration) *committer {
	c := &committer{s: s, max: max, window: window, stop: make(chan struct{})}
	for range lanes {
		ch := make(chan *transferJob, 4096)
		c.lanes = append(c.lanes, ch)
		go c.work(ch)
	}
	return c
}

// lane is the queue of the user's transfers.
func (c *committer) lane(userID string) chan *transferJob {
	h := fnv.New32a()
	_, _ = h.Write([]byte(userID))
	return c.lanes[h.Sum32()%uint32(len(c.lanes))] // #nosec G115 -- lanes ≤ 64
}

func (c *committer) close() { close(c.stop) }

// submit queues a job and waits for its answer. A request that ends before
// a worker takes its job is refused (nothing was applied); once taken, the
// job's transfer may commit, so submit waits for the outcome.
func (c *committer) submit(j *transferJob) (ledger.Response, error) {
	j.done = make(chan struct{})
	select {
	case c.lane(j.caller.UserID) <- j:
	case <-j.ctx.Done():
		return ledger.Response{}, ErrUnavailable
	}
	<-j.done
	return j.res, j.err
}

func (c *committer) work(jobs chan *transferJob) {
	for {
		var first *transferJob
		select {
		case first = <-jobs:
		case <-c.stop:
			return
		}
		batch := c.collect(jobs, first)
		c.s.batch.Observe(float64(len(batch)))
		c.exec(batch)
	}
}

// collect gathers more queued jobs behind first, up to max, waiting at most
// window for them.
func (c *committer) collect(jobs chan *transferJob, first *transferJob) []*transferJob {
	batch := []*transferJob{first}
	var timeout <-chan time.Time
	if c.window > 0 {
		timer := time.NewTimer(c.window)
		defer timer.Stop()
		timeout = timer.C
	}
	for len(batch) < c.max {
		select {
		case j := <-jobs:
			batch = append(batch, j)
			continue
		default:
		}
		if timeout == nil {
			break
		}
		select {
		case j := <-jobs:
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
	live := batch[:0:0]
	for _, j := range batch {
		if j.ctx.Err() != nil {
			j.err = ErrUnavailable // ended before it was applied: the client may retry
			continue
		}
		live = append(live, j)
	}
	if len(live) > 0 {
		if err := c.run(ctx, live); err != nil {
			// The batch failed as a whole (a database error): run each
			// request alone, so that one bad request cannot fail the others.
			c.s.log.Warn("group commit: batch failed; running its requests one by one", "size", len(live), "err", err)
			span.SetAttributes(attribute.Bool("bankapp.batch.fallback", true))
			c.s.fallbacks.Inc()
			for _, j := range live {
				j.rc = nil
				j.res, j.err = c.s.transferAlone(j)
			}
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

// run applies a batch in one transaction (store.RunTransferBatch): the
// locks of every job, then, in memory, the replays and reused keys answered
// from their records and every other transfer checked against the locked
// balances and day totals in arrival order; then one write of everything.
func (c *committer) run(ctx context.Context, batch []*transferJob) error {
	ms := make([]Movement, len(batch))
	for i, j := range batch {
		ms[i] = j.m
	}
	pl := planTransfers(ms)
	locks := pl.locks
	for _, j := range batch {
		locks.Keys = append(locks.Keys, OwnerKey{Owner: j.caller.UserID, Key: j.idem.Key})
	}
	return c.s.store.RunTransferBatch(ctx, locks, func(st BatchState) (TransferWrites, error) {
		b := pl.build(st.Accounts, st.Totals, nil)
		var puts []ledger.IdemPut
		var events []audit.Event
		for i, j := range batch {
			j.res, j.rc, j.err = ledger.Response{}, nil, nil
			switch res, replay, err := ledger.Replay(st.Records[i], j.idem.Hash, st.Now); {
			case !st.Held[i]:
				j.err = ledger.ErrKeyInProgress
				continue
			case replay:
				j.res, j.err = res, err
				continue
			case pl.errs[i] != nil:
				j.err = pl.errs[i]
				continue
			}
			t, to, err := b.Apply(i)
			if err != nil {
				if !isDomain(err) {
					return TransferWrites{}, err
				}
				j.err = err
				continue
			}
			rc := receiptOf(t, to, j.caller.UserID)
			if j.res, err = rc.stored(); err != nil {
				return TransferWrites{}, err
			}
			j.rc = &rc
			puts = append(puts, ledger.IdemPut{Owner: j.caller.UserID, Key: j.idem.Key,
				Record: ledger.IdemRecord{RequestHash: j.idem.Hash, Response: j.res, CreatedAt: j.m.Now}})
			events = append(events, moneyEvent(j.caller, ledger.KindTransfer, t))
		}
		return b.writes(puts, events), nil
	})
}
