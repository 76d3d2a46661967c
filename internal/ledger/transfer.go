package ledger

import (
	"context"
	"fmt"
	"slices"
	"time"

	"github.com/google/uuid"
)

// Transfer kinds.
const (
	KindDeposit    = "deposit"
	KindWithdrawal = "withdrawal"
	KindTransfer   = "transfer"
	KindTrade      = "trade"
	KindInterest   = "interest"
	KindFee        = "fee"
	// KindExchange is a currency exchange between two of a customer's
	// accounts (four postings through the bank's position accounts).
	KindExchange = "exchange"
)

// Posting is one leg of a transfer: a signed amount of minor units on one
// account (negative leaves the account, positive enters it).
type Posting struct {
	AccountID string
	Amount    int64
}

// Transfer is one movement of money: two or more postings that sum to zero
// per currency. Transfers and postings are append-only; a correction is a new
// transfer.
type Transfer struct {
	ID   string
	Kind string
	// Currency and Amount are what moved, for display; for a transfer that
	// converts (CrossCurrency), the customer's side in its account's
	// currency (an exchange: what was sold).
	Currency    Currency
	Amount      int64  // the amount moved, positive, for display
	FromAccount string // the debited customer account, if any
	ToAccount   string // the credited customer account, if any
	Description string
	CreatedBy   string // user id, or "" for the system
	CreatedAt   time.Time
	Postings    []Posting
	// CrossCurrency lets the postings be in several currencies (an
	// exchange, or an order that converts through the position accounts):
	// each account is then checked against its own currency only, and the
	// postings must still sum to zero per currency. Otherwise every account
	// must be in Currency.
	CrossCurrency bool
}

// Entry is a posting as stored: with its position and the account's balance
// right after it.
type Entry struct {
	Seq          int64
	TransferID   string
	AccountID    string
	Amount       int64
	BalanceAfter int64
	Currency     Currency
	CreatedAt    time.Time
}

// Tx is what the ledger needs from a database transaction. The store
// implements it; PostgreSQL locks rows, SQLite has a single writer.
type Tx interface {
	// LockAccounts returns the accounts with the given IDs (sorted, no
	// duplicates), locking them for the rest of the transaction in that order.
	LockAccounts(ctx context.Context, ids []string) ([]Account, error)
	// InsertTransfers stores transfers and their entries (multi-row).
	InsertTransfers(ctx context.Context, ts []*Transfer, entries []Entry) error
	// SetBalances writes accounts' new balances.
	SetBalances(ctx context.Context, balances map[string]int64) error
}

// NewTransferID returns a new time-ordered transfer ID.
func NewTransferID() string { return uuid.Must(uuid.NewV7()).String() }

// Post applies one transfer inside tx: it locks the accounts in a fixed order
// (so concurrent transfers cannot deadlock), applies the transfer to them
// and writes it. Callers commit tx.
func Post(ctx context.Context, tx Tx, t *Transfer) error {
	ids := make([]string, 0, len(t.Postings))
	for _, p := range t.Postings {
		ids = append(ids, p.AccountID)
	}
	b, err := Lock(ctx, tx, ids)
	if err != nil {
		return err
	}
	if err := b.Apply(t); err != nil {
		return err
	}
	return b.Flush(ctx, tx)
}

// Book is a set of accounts locked in one transaction, with the transfers
// applied to them so far and not yet written. Applying many transfers to one
// Book and flushing once is how group commit writes a whole batch with a few
// multi-row statements and one commit.
type Book struct {
	accounts map[string]*Account
	pending  []*Transfer
	entries  []Entry
	dirty    map[string]struct{}
}

// Lock locks the accounts (in sorted id order, whatever order ids come in)
// and returns a Book over them. Missing accounts are simply absent: applying
// a transfer that touches one fails with not_found.
func Lock(ctx context.Context, tx Tx, ids []string) (*Book, error) {
	ids = slices.Clone(ids)
	slices.Sort(ids)
	ids = slices.Compact(ids)
	accounts, err := tx.LockAccounts(ctx, ids)
	if err != nil {
		return nil, fmt.Errorf("ledger: lock accounts: %w", err)
	}
	return NewBook(accounts), nil
}

// NewBook returns a Book over accounts the caller has already locked in this
// transaction (in id order, like Lock).
func NewBook(accounts []Account) *Book {
	b := &Book{accounts: make(map[string]*Account, len(accounts)), dirty: map[string]struct{}{}}
	for i := range accounts {
		a := accounts[i]
		b.accounts[a.ID] = &a
	}
	return b
}

// Account returns the locked account with its balance after the transfers
// applied so far.
func (b *Book) Account(id string) (Account, bool) {
	a, ok := b.accounts[id]
	if !ok {
		return Account{}, false
	}
	return *a, true
}

// Apply checks the transfer against the book's current balances — at least
// two postings, each non-zero; summing to zero per currency; every account
// present, open and in the transfer's currency (unless CrossCurrency); a frozen account only
// receiving; no customer account below zero — and, if it passes, applies it
// in memory. A refused transfer changes nothing.
func (b *Book) Apply(t *Transfer) error {
	if len(t.Postings) < 2 {
		return fmt.Errorf("ledger: transfer needs at least two postings, got %d", len(t.Postings))
	}
	sums := map[Currency]int64{}
	next := make(map[string]int64, len(t.Postings))
	for _, p := range t.Postings {
		if p.Amount == 0 {
			return fmt.Errorf("ledger: zero posting on %s", p.AccountID)
		}
		a, ok := b.accounts[p.AccountID]
		if !ok {
			return &Error{Code: "not_found", Msg: "account not found"}
		}
		if a.Status == StatusClosed {
			return ErrAccountClosed
		}
		if a.Status == StatusFrozen && p.Amount < 0 && !a.IsSystem() {
			// A frozen account can receive but not send.
			return ErrAccountFrozen
		}
		if t.Currency != "" && a.Currency != t.Currency && !t.CrossCurrency {
			return ErrCurrencyMismatch
		}
		bal, seen := next[a.ID]
		if !seen {
			bal = a.Balance
		}
		nb, ok := addChecked(bal, p.Amount)
		if !ok {
			return &Error{Code: "limit_exceeded", Msg: "the balance would overflow"}
		}
		next[a.ID] = nb
		sums[a.Currency] += p.Amount
	}
	for c, s := range sums {
		if s != 0 {
			return fmt.Errorf("ledger: postings of transfer sum to %d %s, not zero", s, c)
		}
	}
	for id, nb := range next {
		if nb < 0 && !b.accounts[id].IsSystem() {
			return ErrInsufficientFunds
		}
	}
	if t.ID == "" {
		t.ID = NewTransferID()
	}
	if t.CreatedAt.IsZero() {
		t.CreatedAt = time.Now().UTC()
	}
	for _, p := range t.Postings {
		a := b.accounts[p.AccountID]
		a.Balance += p.Amount
		b.dirty[a.ID] = struct{}{}
		b.entries = append(b.entries, Entry{TransferID: t.ID, AccountID: a.ID, Amount: p.Amount, BalanceAfter: a.Balance, Currency: a.Currency, CreatedAt: t.CreatedAt})
	}
	b.pending = append(b.pending, t)
	return nil
}

// Flush writes the applied transfers, their postings and the new balances.
func (b *Book) Flush(ctx context.Context, tx Tx) error {
	ts, entries, bal := b.Take()
	if len(ts) == 0 {
		return nil
	}
	if err := tx.InsertTransfers(ctx, ts, entries); err != nil {
		return fmt.Errorf("ledger: insert transfers: %w", err)
	}
	if err := tx.SetBalances(ctx, bal); err != nil {
		return fmt.Errorf("ledger: set balances: %w", err)
	}
	return nil
}

// Take returns what Flush would write — the applied transfers, their
// postings in the order applied, and the new balances of the accounts they
// changed — and forgets it, for a caller that writes it together with other
// rows (group commit).
func (b *Book) Take() ([]*Transfer, []Entry, map[string]int64) {
	bal := make(map[string]int64, len(b.dirty))
	for id := range b.dirty {
		bal[id] = b.accounts[id].Balance
	}
	ts, entries := b.pending, b.entries
	b.pending, b.entries, b.dirty = nil, nil, map[string]struct{}{}
	return ts, entries, bal
}

func addChecked(a, b int64) (int64, bool) {
	s := a + b
	if (b > 0 && s < a) || (b < 0 && s > a) {
		return 0, false
	}
	return s, true
}
