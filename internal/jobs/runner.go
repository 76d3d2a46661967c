// Package jobs runs BankApp's background work — scheduled transfers, savings
// interest, monthly statements — exactly once however many instances run.
// A job is a row of the jobs table; an instance claims due rows under a
// lease, and commits each job's effects in the same transaction that marks
// it done, after checking its claim still holds. See docs/jobs.md.
package jobs

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"math/rand/v2"
	"os"
	"sync"
	"time"

	"github.com/google/uuid"
	"github.com/prometheus/client_golang/prometheus"
	"go.opentelemetry.io/otel/attribute"
	"go.opentelemetry.io/otel/trace"

	"github.com/bankapp/bankapp/internal/bank"
	"github.com/bankapp/bankapp/internal/blob"
	"github.com/bankapp/bankapp/internal/ledger"
	"github.com/bankapp/bankapp/internal/store"
	"github.com/bankapp/bankapp/internal/telemetry"
)

// Handler does one job inside tx, the transaction that also marks the job
// done: either both commit or neither. An error rolls everything back and
// the job is retried with backoff (or dead-lettered: see Permanent).
type Handler func(ctx context.Context, tx *store.Tx, j store.Job) error

// Options configures a Runner. Zero values get the defaults in brackets.
type Options struct {
	DB           *store.DB
	Now          func() time.Time      // [time.Now]
	Logger       *slog.Logger          // [discard]
	Registerer   prometheus.Registerer // metrics; nil registers nothing
	Instance     string                // names this instance in claim tokens [hostname-pid]
	PollInterval time.Duration         // [1s] how often an idle runner looks for due jobs
	Lease        time.Duration         // [15s] how long a claim holds before another instance may take the job
	BatchSize    int                   // [4] jobs claimed at once
	BackoffBase  time.Duration         // [5s] first retry delay, doubled per attempt
	BackoffMax   time.Duration         // [15m]
	InterestBPS  int64                 // annual savings rate in basis points; 0 pays no interest
	Blobs        blob.Store            // where monthly statements go; nil skips them
	Retention    time.Duration         // [100 days] how long done and cancelled jobs are kept; at least 70 days
	// TracerProvider gives each job run a root span "job.<kind>" (the
	// transaction's SQL, upstream calls and mail delivery beneath it);
	// nil: no spans.
	TracerProvider trace.TracerProvider
}

// Runner claims and runs due jobs.
type Runner struct {
	o        Options
	db       *store.DB
	log      *slog.Logger
	m        *metrics
	keys     *ledger.Keys
	handlers map[string]Handler
	redact   map[string]Redactor
	tracer   trace.Tracer // nil: tracing off

	mu   sync.Mutex
	stop chan struct{}
	done chan struct{}
	// lastStop and lastDone are the channels of the latest Start, kept
	// after Stop so tests can wait on them instead of sleeping.
	lastStop, lastDone chan struct{}
	lastSeed           time.Time
}

// New builds a runner with the built-in job kinds registered.
func New(o Options) (*Runner, error) {
	if o.DB == nil {
		return nil, errors.New("jobs: no database")
	}
	if o.Now == nil {
		o.Now = time.Now
	}
	if o.Logger == nil {
		o.Logger = slog.New(slog.DiscardHandler)
	}
	if o.Instance == "" {
		h, _ := os.Hostname()
		o.Instance = fmt.Sprintf("%s-%d", h, os.Getpid())
	}
	if o.PollInterval <= 0 {
		o.PollInterval = time.Second
	}
	if o.Lease <= 0 {
		o.Lease = 15 * time.Second
	}
	if o.BatchSize <= 0 {
		o.BatchSize = 4
	}
	if o.BackoffBase <= 0 {
		o.BackoffBase = 5 * time.Second
	}
	if o.BackoffMax <= 0 {
		o.BackoffMax = 15 * time.Minute
	}
	if o.Retention <= 0 {
		o.Retention = 100 * 24 * time.Hour
	}
	if o.Retention < 70*24*time.Hour {
		return nil, errors.New("jobs: retention must be at least 70 days (longer than the month-end seeding window)")
	}
	m, err := newMetrics(o.Registerer)
	if err != nil {
		return nil, err
	}
	r := &Runner{o: o, db: o.DB, log: o.Logger, m: m, keys: ledger.NewKeys(), handlers: map[string]Handler{}, redact: map[string]Redactor{}}
	if telemetry.Enabled(o.TracerProvider) {
		r.tracer = o.TracerProvider.Tracer(telemetry.TracerName)
	}
	r.Register(bank.KindScheduledTransfer, r.runScheduledTransfer)
	r.Register(KindInterestMonth, r.runInterestMonth)
	r.Register(KindInterestPay, r.runInterestPay)
	r.Register(KindStatementsMonth, r.runStatementsMonth)
	r.Register(KindStatement, r.runStatement)
	r.Register(KindCleanup, r.runCleanup)
	// Mail payloads hold addresses and live links; reset requests an
	// address (mail.go).
	r.Redact(KindMailSend, redactMail)
	r.Redact(KindPasswordResetRequest, redactAll)
	return r, nil
}

// Register adds (or replaces) the handler of a job kind. Call it before Start.
func (r *Runner) Register(kind string, h Handler) { r.handlers[kind] = h }

// Redactor says what the payload of a job becomes when the job leaves the
// queue — done (dead false) or dead-lettered (dead true) — or ok false to
// keep it. The new payload is written in the transaction that marks the job
// done or dead, so a payload that carried a secret outlives its job's
// attempts in no row.
type Redactor func(payload []byte, dead bool) (redacted []byte, ok bool)

// Redact sets the redactor of a job kind. Call it before Start.
func (r *Runner) Redact(kind string, f Redactor) { r.redact[kind] = f }

// redactAll replaces any finished payload by {"redacted": true}.
func redactAll([]byte, bool) ([]byte, bool) { return []byte(`{"redacted":true}`), true }

func (r *Runner) now() time.Time { return r.o.Now().UTC() }

// Start runs the poll loop in the background until Stop.
func (r *Runner) Start(ctx context.Context) {
	r.mu.Lock()
	defer r.mu.Unlock()
	if r.stop != nil {
		return
	}
	r.stop, r.done = make(chan struct{}), make(chan struct{})
	r.lastStop, r.lastDone = r.stop, r.done
	go r.loop(ctx, r.stop, r.done)
	r.log.Info("job runner started", "instance", r.o.Instance, "lease", r.o.Lease.String(), "poll", r.o.PollInterval.String())
}

// Stop asks the loop to finish the job in hand and waits for it (or for ctx).
// Jobs claimed but not started are left to expire and be taken over.
func (r *Runner) Stop(ctx context.Context) error {
	r.mu.Lock()
	stop, done := r.stop, r.done
	r.stop = nil
	r.mu.Unlock()
	if stop == nil {
		return nil
	}
	close(stop)
	select {
	case <-done:
		r.log.Info("job runner stopped")
		return nil
	case <-ctx.Done():
		return fmt.Errorf("jobs: stop: %w", ctx.Err())
	}
}

func (r *Runner) loop(ctx context.Context, stop <-chan struct{}, done chan<- struct{}) {
	defer close(done)
	for {
		if err := r.seedIfDue(ctx); err != nil {
			r.log.Warn("jobs: seeding periodic jobs failed", "err", err)
		}
		if _, err := r.drain(ctx, stop); err != nil && ctx.Err() == nil {
			r.log.Warn("jobs: claim failed", "err", err)
		}
		r.observeOldest(ctx)
		// Jitter spreads the instances' polls.
		wait := r.o.PollInterval/2 + rand.N(r.o.PollInterval) // #nosec G404 -- poll jitter, not a secret
		select {
		case <-stop:
			return
		case <-ctx.Done():
			return
		case <-time.After(wait):
		}
	}
}

// RunDue runs due jobs until none is left and returns how many attempts it
// made. Tests call it with a controlled clock instead of Start.
func (r *Runner) RunDue(ctx context.Context) (int, error) {
	if err := r.Seed(ctx); err != nil {
		return 0, err
	}
	return r.drain(ctx, nil)
}

// drain claims batches until a claim comes back empty or stop closes.
func (r *Runner) drain(ctx context.Context, stop <-chan struct{}) (int, error) {
	total := 0
	for {
		select {
		case <-stop:
			return total, nil
		default:
		}
		token := r.o.Instance + "/" + uuid.NewString()
		batch, err := r.db.ClaimJobs(ctx, token, r.now(), r.o.Lease, r.o.BatchSize)
		if err != nil {
			return total, err
		}
		if len(batch) == 0 {
			return total, nil
		}
		for i, j := range batch {
			select {
			case <-stop:
				// Give the rest back at once rather than after the lease.
				for _, rest := range batch[i:] {
					if err := r.db.ReleaseJob(context.WithoutCancel(ctx), rest.ID, token); err != nil {
						r.log.Warn("jobs: handing back a claim failed; it returns when its lease ends", "job", rest.ID, "err", err)
					}
				}
				return total, nil
			default:
			}
			r.execute(ctx, token, j)
			total++
		}
	}
}

// errFenced means another instance took the job over.
var errFenced = errors.New("jobs: claim lost")

// Span attributes of a job run.
const (
	attrJobKind    = attribute.Key("bankapp.job.kind")
	attrJobID      = attribute.Key("bankapp.job.id")
	attrJobAttempt = attribute.Key("bankapp.job.attempt")
	attrJobOutcome = attribute.Key("bankapp.job.outcome")
)

// execute runs one claimed job and records its outcome, in a span of its
// own when tracing is on.
func (r *Runner) execute(ctx context.Context, token string, j store.Job) {
	if r.tracer != nil {
		var span trace.Span
		ctx, span = r.tracer.Start(ctx, "job."+j.Kind, trace.WithNewRoot(), trace.WithSpanKind(trace.SpanKindInternal),
			trace.WithAttributes(attrJobKind.String(j.Kind), attrJobID.String(j.ID), attrJobAttempt.Int(j.Attempts)))
		defer span.End()
	}
	start := r.now()
	r.m.lag.WithLabelValues(j.Kind).Observe(max(0, start.Sub(j.RunAt).Seconds()))
	log := r.log.With("job", j.ID, "kind", j.Kind, "key", j.DedupeKey, "attempt", j.Attempts)
	if j.Attempts > j.MaxAttempts {
		// Every attempt so far died with its instance (the lease ran out).
		r.fail(ctx, log, token, j, Permanent(fmt.Errorf("gave up after %d attempts whose instances stopped mid-job", j.MaxAttempts)))
		return
	}
	h, ok := r.handlers[j.Kind]
	if !ok {
		r.fail(ctx, log, token, j, Permanent(fmt.Errorf("no handler for job kind %q", j.Kind)))
		return
	}
	err := r.runInTx(ctx, token, j, h)
	switch {
	case err == nil:
		r.m.run.WithLabelValues(j.Kind).Inc()
		trace.SpanFromContext(ctx).SetAttributes(attrJobOutcome.String("done"))
		log.DebugContext(ctx, "job done", "ms", r.now().Sub(start).Milliseconds())
	case errors.Is(err, errFenced):
		r.m.fenced.WithLabelValues(j.Kind).Inc()
		trace.SpanFromContext(ctx).SetAttributes(attrJobOutcome.String("fenced"))
		log.InfoContext(ctx, "job taken over by another instance; attempt dropped")
	default:
		r.fail(ctx, log, token, j, err)
	}
}

func (r *Runner) runInTx(ctx context.Context, token string, j store.Job, h Handler) (err error) {
	defer func() {
		if p := recover(); p != nil {
			err = fmt.Errorf("jobs: panic: %v", p)
		}
	}()
	return r.db.InTx(ctx, func(tx *store.Tx) error {
		ok, err := tx.FenceJob(ctx, j.ID, token)
		if err != nil {
			return err
		}
		if !ok {
			return errFenced
		}
		if err := h(ctx, tx, j); err != nil {
			return err
		}
		if f := r.redact[j.Kind]; f != nil {
			if p, ok := f(j.Payload, false); ok {
				if err := tx.ReplaceJobPayload(ctx, j.ID, p); err != nil {
					return err
				}
			}
		}
		return tx.CompleteJob(ctx, j.ID, r.now())
	})
}

// fail records a failed attempt: retry after backoff, or dead-letter when
// the error is permanent or the attempts are used up.
func (r *Runner) fail(ctx context.Context, log *slog.Logger, token string, j store.Job, cause error) {
	now := r.now()
	dead := IsPermanent(cause) || j.Attempts >= j.MaxAttempts
	retryAt := now.Add(r.backoff(j.Attempts))
	if dead {
		retryAt = j.RunAt
	}
	span := trace.SpanFromContext(ctx)
	outcome := "retry"
	if dead {
		outcome = "dead"
	}
	span.SetAttributes(attrJobOutcome.String(outcome))
	telemetry.MarkFailed(span, cause)
	var payload []byte
	if f := r.redact[j.Kind]; f != nil && dead {
		if p, ok := f(j.Payload, true); ok {
			payload = p
		}
	}
	ok, err := r.db.FailJob(context.WithoutCancel(ctx), j.ID, token, now, retryAt, cause.Error(), dead, payload)
	if err != nil {
		log.ErrorContext(ctx, "jobs: recording a failure failed", "err", err, "cause", cause)
		return
	}
	if !ok {
		r.m.fenced.WithLabelValues(j.Kind).Inc()
		return
	}
	if dead {
		r.m.failed.WithLabelValues(j.Kind, "dead").Inc()
		log.ErrorContext(ctx, "job dead-lettered", "err", cause)
		return
	}
	r.m.failed.WithLabelValues(j.Kind, "retry").Inc()
	log.WarnContext(ctx, "job failed; will retry", "err", cause, "retry_at", retryAt)
}

// backoff is the delay before attempt n+1: base·2^(n-1), capped, ±20 %.
func (r *Runner) backoff(n int) time.Duration {
	d := r.o.BackoffBase
	for i := 1; i < n && d < r.o.BackoffMax; i++ {
		d *= 2
	}
	d = min(d, r.o.BackoffMax)
	return d - d/5 + rand.N(d/5*2+1) // #nosec G404 -- backoff jitter, not a secret
}

func (r *Runner) observeOldest(ctx context.Context) {
	now := r.now()
	at, ok, err := r.db.OldestDueJob(ctx, now)
	if err != nil || !ok {
		r.m.oldest.Set(0)
		return
	}
	r.m.oldest.Set(max(0, now.Sub(at).Seconds()))
}

// permanent marks an error that retrying cannot fix.
type permanent struct{ err error }

func (p permanent) Error() string { return p.err.Error() }
func (p permanent) Unwrap() error { return p.err }

// Permanent wraps err so that the job is dead-lettered at once.
func Permanent(err error) error { return permanent{err} }

// IsPermanent reports whether err was wrapped by Permanent.
func IsPermanent(err error) bool { var p permanent; return errors.As(err, &p) }
