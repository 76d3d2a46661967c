package bank

import (
	"time"

	"github.com/bankapp/bankapp/internal/audit"
	"github.com/bankapp/bankapp/internal/auth"
	"github.com/bankapp/bankapp/internal/ledger"
)

// HistoryEntry is one posting on an account with its transfer and the
// customer on the other side, if any.
type HistoryEntry struct {
	Seq                 int64
	TransferID          string
	TransferKind        string
	Amount              int64
	Currency            string
	BalanceAfter        int64
	Description         string
	CreatedAt           time.Time
	CounterpartyName    string
	CounterpartyNumber  string
	CounterpartyAccount string
}

// HistoryFilter narrows an account's history. Kind is an entry kind of the
// contract (deposit, transfer_in, trade_buy, …).
type HistoryFilter struct {
	From, To  time.Time // [From, To); zero = open
	Kind      string
	Query     string
	BeforeSeq int64 // cursor
	AfterSeq  int64 // statements: entries after this seq, oldest first
	Limit     int
	Ascending bool
}

// TransferView is a transfer as a customer sees it.
type TransferView struct {
	ledger.Transfer
	ToAccountNumber string
	FromOwner       string
	ToOwner         string
}

// Payee is a saved recipient.
type Payee struct {
	ID, OwnerID, Name, AccountNumber string
	CreatedAt                        time.Time
}

// ScheduledTransfer is a customer's standing order. Dates are UTC calendar
// days "YYYY-MM-DD"; "" means none.
type ScheduledTransfer struct {
	ID              string
	OwnerID         string
	FromAccountID   string
	ToAccountNumber string
	Amount          int64
	Currency        ledger.Currency
	Description     string
	Frequency       string
	StartDate       string
	EndDate         string
	NextRunDate     string
	LastRunAt       time.Time // zero: never ran
	LastStatus      string
	Runs            int
	Status          string // active, completed, cancelled
	CreatedAt       time.Time
	UpdatedAt       time.Time
}

// BalancePoint is an account's balance right after a posting.
type BalancePoint struct {
	At      time.Time
	Balance int64
}

// OwnerKey is an idempotency key with the user it belongs to.
type OwnerKey struct{ Owner, Key string }

// DayKey names a day total: a user's movements of one kind (deposit or
// transfer sent) in one currency on one UTC day.
type DayKey struct {
	User     string
	Kind     string // ledger.KindDeposit or ledger.KindTransfer
	Currency ledger.Currency
	Day      int64 // days since 1970-01-01, UTC
}

// TransferWrites is everything a batch of transfers writes: the transfers
// and their postings, the accounts' new balances, the senders' new day
// totals, the idempotency records and the audit events.
type TransferWrites struct {
	Transfers []*ledger.Transfer
	Entries   []ledger.Entry
	Balances  map[string]int64
	DayTotals map[DayKey]int64
	Idem      []ledger.IdemPut
	Audits    []audit.Event
}

// UserWithCount is a user and how many accounts they hold.
type UserWithCount struct {
	User         auth.User
	AccountCount int
}

// DayOf is the UTC day number of t.
func DayOf(t time.Time) int64 { return t.UnixMicro() / 86_400_000_000 }

// DayTotalsKept is how many UTC days of day totals are kept (today
// included): the limits need only today's, the rest are for looking back;
// the daily cleanup job deletes older ones and `ledger verify` checks these
// days only.
const DayTotalsKept = 7
