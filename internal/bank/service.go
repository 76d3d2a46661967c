package bank

import (
	"context"
	"log/slog"
	"time"

	"github.com/prometheus/client_golang/prometheus"

	"github.com/bankapp/bankapp/internal/audit"
	"github.com/bankapp/bankapp/internal/auth"
	"github.com/bankapp/bankapp/internal/blob"
	"github.com/bankapp/bankapp/internal/fx"
	"github.com/bankapp/bankapp/internal/ledger"
)

// Store is what the bank needs from the database. store.DB provides it
// (store.(*DB).Bank); the bank never sees SQL.
type Store interface {
	// InTx runs fn in one database transaction, committed when fn returns nil.
	InTx(ctx context.Context, fn func(Tx) error) error
	// MarkWrite tells read routing that userID has just written, so that
	// their next reads see it (read replica lag).
	MarkWrite(userID string)
	// RunTransferBatch runs one group-commit batch in a transaction: it
	// takes the locks, hands their state to apply and writes what apply
	// returns, then commits (PostgreSQL: in two pipelined round trips).
	// An error from apply rolls everything back.
	RunTransferBatch(ctx context.Context, locks BatchLocks, apply func(BatchState) (TransferWrites, error)) error

	AccountsByOwner(ctx context.Context, owner string) ([]ledger.Account, error)
	AccountByID(ctx context.Context, owner, id string) (ledger.Account, error)
	History(ctx context.Context, accountID string, f HistoryFilter) ([]HistoryEntry, error)
	BalanceBefore(ctx context.Context, accountID string, t time.Time) (balance, seq int64, err error)
	TransfersOfUser(ctx context.Context, userID, cursor string, limit int) ([]TransferView, error)
	TransferOfUser(ctx context.Context, userID, id string) (TransferView, error)
	Payees(ctx context.Context, owner string) ([]Payee, error)
	ScheduledTransfersOfUser(ctx context.Context, owner, before string, limit int) ([]ScheduledTransfer, error)
	UserByID(ctx context.Context, id string) (auth.User, error)
	AccountByNumber(ctx context.Context, number string) (ledger.Account, error)
	AdminUsers(ctx context.Context, q, cursor string, limit int) ([]UserWithCount, error)
	AuditEvents(ctx context.Context, f audit.Filter) ([]audit.Event, error)
	InsertAudit(ctx context.Context, e audit.Event) error
	VerifyLedger(ctx context.Context) (ledger.Report, error)
}

// Tx is what the bank's use cases need inside a transaction.
type Tx interface {
	ledger.Tx
	ledger.IdemTx
	accountTx
	transferTx
	scheduleTx
	fxTx
	CreatePayee(ctx context.Context, p Payee) error
	CountPayees(ctx context.Context, owner string) (int, error)
	DeletePayee(ctx context.Context, owner, id string) error
	InsertAudit(ctx context.Context, e audit.Event) error
	EntriesDuring(ctx context.Context, accountID string, from, to time.Time) ([]HistoryEntry, error)
}

type accountTx interface {
	CreateAccount(ctx context.Context, a ledger.Account) error
	AccountByID(ctx context.Context, owner, id string) (ledger.Account, error)
	AccountByIDForUpdate(ctx context.Context, owner, id string) (ledger.Account, error)
	AnyAccountByIDForUpdate(ctx context.Context, id string) (ledger.Account, error)
	AccountByNumber(ctx context.Context, number string) (ledger.Account, error)
	CountOpenAccounts(ctx context.Context, owner string) (int, error)
	SetAccountName(ctx context.Context, owner, id, name string) error
	SetAccountStatus(ctx context.Context, id, status string) error
	HasHoldings(ctx context.Context, accountID string) (bool, error)
	LockUser(ctx context.Context, id string) error
	CreateUser(ctx context.Context, u auth.User) error // the demo seed only
	UpdateUser(ctx context.Context, u auth.User) error // the demo seed only
}

// transferTx is what money movement and group commit need.
type transferTx interface {
	LockDayTotals(ctx context.Context, keys []DayKey) (map[DayKey]int64, error)
	SetDayTotals(ctx context.Context, totals map[DayKey]int64) error
	LockTransferAccounts(ctx context.Context, from []OwnerKey, numbers []string) ([]ledger.Account, error)
	WriteTransfers(ctx context.Context, w TransferWrites) error
	LockIdempotencyKeys(ctx context.Context, keys []OwnerKey) ([]bool, error)
	IdempotencyRecords(ctx context.Context, keys []OwnerKey) ([]*ledger.IdemRecord, error)
}

// scheduleTx is what standing orders need; the occurrences themselves are
// jobs the store queues and the job runner executes.
type scheduleTx interface {
	InsertScheduledTransfer(ctx context.Context, s ScheduledTransfer) error
	CountActiveScheduledTransfers(ctx context.Context, owner string) (int, error)
	ScheduledTransferForUpdate(ctx context.Context, owner, id string) (ScheduledTransfer, error)
	UpdateScheduledTransfer(ctx context.Context, s ScheduledTransfer, now time.Time) error
	// QueueOccurrence queues the occurrence of schedule id due on day.
	QueueOccurrence(ctx context.Context, o ScheduledRun) error
	// CancelOccurrences cancels the schedule's queued occurrences.
	CancelOccurrences(ctx context.Context, scheduleID string, now time.Time) error
}

// Options configures a Service.
type Options struct {
	Store Store
	Keys  *ledger.Keys // in-flight idempotency keys, shared with every money use case of this instance
	Blobs blob.Store   // statements of past months are kept here; nil = render every time
	// FX prices exchanges and values the overview (nil: both answer
	// market_data_unavailable); Spread is the bank's margin (FX_SPREAD_BPS).
	FX     FXMarket
	Spread fx.Spread
	// Investments values brokerage holdings for the overview (nil: none).
	Investments Investments
	Now         func() time.Time
	Logger      *slog.Logger
	// Registerer receives the group-commit metrics (nil = not registered).
	Registerer prometheus.Registerer
	// Group commit of transfers (docs/benchmarks.md): Lanes batches in
	// flight at once, a user's transfers always in the same lane.
	GroupCommit bool
	Lanes       int
	MaxBatch    int
	Window      time.Duration
}

// Service is the bank's customer-facing use cases: accounts, money
// movement with its limits and idempotency, history and statements,
// payees, standing orders, and the operator's view.
type Service struct {
	store  Store
	keys   *ledger.Keys
	blobs  blob.Store
	fx     FXMarket
	spread fx.Spread
	// investments values holdings for the overview.
	investments Investments
	now         func() time.Time
	log         *slog.Logger
	commit      *committer // nil when group commit is off
	batch       prometheus.Histogram
	fallbacks   prometheus.Counter
	// lookups are the per-user buckets of recipient lookups.
	lookups *lookupLimiter
}

// New builds the Service.
func New(o Options) (*Service, error) {
	if o.Now == nil {
		o.Now = time.Now
	}
	if o.Logger == nil {
		o.Logger = slog.New(slog.DiscardHandler)
	}
	if o.Keys == nil {
		o.Keys = ledger.NewKeys()
	}
	s := &Service{store: o.Store, keys: o.Keys, blobs: o.Blobs, fx: o.FX, spread: o.Spread, investments: o.Investments,
		now: func() time.Time { return o.Now().UTC() }, log: o.Logger, lookups: newLookupLimiter()}
	s.batch = prometheus.NewHistogram(prometheus.HistogramOpts{Name: "bankapp_group_commit_batch_size",
		Help: "Transfers committed per group-commit transaction.", Buckets: []float64{1, 2, 4, 8, 16, 32, 64, 128, 256}})
	s.fallbacks = prometheus.NewCounter(prometheus.CounterOpts{Name: "bankapp_group_commit_fallbacks_total",
		Help: "Group-commit batches that failed as a whole and ran their transfers one by one (a database error; never expected)."})
	lanes := prometheus.NewGauge(prometheus.GaugeOpts{Name: "bankapp_group_commit_lanes",
		Help: "Group-commit batches that may be in flight at once (GROUP_COMMIT_LANES; 0 = group commit off)."})
	if o.GroupCommit {
		lanes.Set(float64(max(o.Lanes, 1)))
	}
	if o.Registerer != nil {
		for _, c := range []prometheus.Collector{s.batch, s.fallbacks, lanes} {
			if err := o.Registerer.Register(c); err != nil {
				return nil, err
			}
		}
	}
	if o.GroupCommit {
		s.commit = newCommitter(s, max(o.Lanes, 1), max(o.MaxBatch, 1), o.Window)
	}
	return s, nil
}

// Close stops the group-commit workers. Call it once no request can reach
// the service any more.
func (s *Service) Close() {
	if s.commit != nil {
		s.commit.close()
	}
}

// event is a successful audit event of the caller (the store stamps it).
func event(c audit.Caller, action, target string) audit.Event {
	return c.Event(action, target, "success")
}

// BatchLocks are the rows a batch of transfers locks, in this order: the
// idempotency keys (try-locks: a key busy elsewhere is not waited for),
// every account involved (senders' only for their owner, recipients by
// number) in id order, then the senders' day totals in key order. Every
// batch and every single transfer takes its locks in that global order, so
// they queue instead of deadlocking.
type BatchLocks struct {
	Keys    []OwnerKey // the batch's idempotency keys
	From    []OwnerKey // senders: (owner, account id)
	Numbers []string   // recipients' account numbers
	Days    []DayLock  // the senders' day totals
}

// DayLock names a sender's day total before the account's currency is
// known: the store resolves it from the (owned) account.
type DayLock struct {
	User, AccountID, Kind string
	Day                   int64
}

// BatchState is what the locks found.
type BatchState struct {
	Held     []bool               // per key: this transaction holds it
	Records  []*ledger.IdemRecord // per key: its stored record, if any (held keys only)
	Accounts []ledger.Account     // locked, in id order
	Totals   map[DayKey]int64     // locked day totals
	Now      time.Time            // the transaction's clock
}
