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
	ID          string
	Kind        string
	Currency    Currency
	Amount      int64  // the amount moved, positive, for display
	FromAccount string // the debited customer account, if any
	ToAccount   string // the credited customer account, if any
	Description string
	CreatedBy   string // user id, or "" for the system
	CreatedAt   time.Time
	Postings    []Posting
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
	// InsertTransfer stores the transfer and its entries.
	InsertTransfer(ctx context.Context, t *Transfer, entries []Entry) error
	// SetBalance writes an account's new balance.
	SetBalances(ctx context.Context, balances map[string]int64) error
}

// NewTransferID returns a new time-ordered transfer ID.
func NewTransferID() string { return uuid.Must(uuid.NewV7()).String() }

// Post applies the transfer inside tx: it locks the accounts in a fixed order
// (so concurrent transfers cannot deadlock), checks that the postings sum to
// zero per currency, that every account exists, is open and holds the
// posting's currency, and that no customer account goes below zero; then it
// writes the transfer, its postings and the new balances. Callers commit tx.
func Post(ctx context.Context, tx Tx, t *Transfer) error {
	if len(t.Postings) < 2 {
		return fmt.Errorf("ledger: transfer needs at least two postings, got %d", len(t.Postings))
	}
	ids := make([]string, 0, len(t.Postings))
	for _, p := range t.Postings {
		if p.Amount == 0 {
			return fmt.Errorf("ledger: zero posting on %s", p.AccountID)
		}
		ids = append(ids, p.AccountID)
	}
	slices.Sort(ids)
	ids = slices.Compact(ids)
	accounts, err := tx.LockAccounts(ctx, ids)
	if err != nil {
		return fmt.Errorf("ledger: lock accounts: %w", err)
	}
	byID := make(map[string]*Account, len(accounts))
	for i := range accounts {
		byID[accounts[i].ID] = &accounts[i]
	}
	return apply(ctx, tx, t, byID)
}

// apply validates and writes t against accounts already locked in byID,
// updating their balances in place so that a batch of transfers can be
// applied one after another against the same locked rows.
func apply(ctx context.Context, tx Tx, t *Transfer, byID map[string]*Account) error {
	sums := map[Currency]int64{}
	next := make(map[string]int64, len(t.Postings))
	for _, p := range t.Postings {
		a, ok := byID[p.AccountID]
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
		if t.Currency != "" && a.Currency != t.Currency {
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
		if nb < 0 && !byID[id].IsSystem() {
			return ErrInsufficientFunds
		}
	}
	if t.ID == "" {
		t.ID = NewTransferID()
	}
	if t.CreatedAt.IsZero() {
		t.CreatedAt = time.Now().UTC()
	}
	entries := make([]Entry, 0, len(t.Postings))
	running := map[string]int64{}
	for _, p := range t.Postings {
		a := byID[p.AccountID]
		bal, seen := running[a.ID]
		if !seen {
			bal = a.Balance
		}
		bal += p.Amount
		running[a.ID] = bal
		entries = append(entries, Entry{TransferID: t.ID, AccountID: a.ID, Amount: p.Amount, BalanceAfter: bal, Currency: a.Currency, CreatedAt: t.CreatedAt})
	}
	if err := tx.InsertTransfer(ctx, t, entries); err != nil {
		return fmt.Errorf("ledger: insert transfer: %w", err)
	}
	if err := tx.SetBalances(ctx, next); err != nil {
		return fmt.Errorf("ledger: set balances: %w", err)
	}
	for id, nb := range next {
		byID[id].Balance = nb
	}
	return nil
}

func addChecked(a, b int64) (int64, bool) {
	s := a + b
	if (b > 0 && s < a) || (b < 0 && s > a) {
		return 0, false
	}
	return s, true
}
