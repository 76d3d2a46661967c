package bank

import (
	"context"
	"fmt"
	"strings"
	"time"
	"unicode/utf8"

	"github.com/bankapp/bankapp/internal/ledger"
	"github.com/bankapp/bankapp/internal/store"
)

// Limits on simulated external funding and on money sent, in minor units
// (all supported currencies have two minor digits), per user and UTC day.
const (
	MaxDepositMinor       int64 = 10_000_00
	MaxDepositsPerDay     int64 = 25_000_00
	MaxTransfersSentDaily int64 = 50_000_00
	MaxDescriptionLen           = 140
)

// Errors of money movement.
var (
	ErrSameAccount       = &ledger.Error{Code: "same_account", Msg: "the sending and receiving accounts are the same"}
	ErrRecipientNotFound = &ledger.Error{Code: "recipient_not_found", Msg: "no open account has that number", Field: "to_account_number"}
)

// Movement is a customer's request to move money. Amount is a decimal
// string, parsed against the account's currency.
type Movement struct {
	UserID          string
	AccountID       string // deposits and withdrawals: the account; transfers: the sender
	ToAccountNumber string // transfers only
	Amount          string
	Description     string
	Now             time.Time
}

// CleanDescription trims a description and checks its length.
func CleanDescription(s string) (string, error) {
	s = strings.TrimSpace(s)
	if utf8.RuneCountInString(s) > MaxDescriptionLen || strings.ContainsAny(s, "\x00\r\n") {
		return "", &ledger.Error{Code: "validation_failed", Msg: fmt.Sprintf("description must be at most %d characters on one line", MaxDescriptionLen), Field: "description"}
	}
	return s, nil
}

func dayStart(t time.Time) time.Time {
	y, m, d := t.UTC().Date()
	return time.Date(y, m, d, 0, 0, 0, 0, time.UTC)
}

// ownAccount loads the user's account and parses the amount in its currency.
func ownAccount(ctx context.Context, tx *store.Tx, m Movement) (ledger.Account, ledger.Amount, error) {
	a, err := tx.AccountByID(ctx, m.UserID, m.AccountID)
	if err != nil {
		return a, ledger.Amount{}, err
	}
	amt, err := ledger.ParseAmount(m.Amount, a.Currency)
	if err != nil {
		return a, amt, err
	}
	if a.Status == ledger.StatusClosed {
		return a, amt, ledger.ErrAccountClosed
	}
	return a, amt, nil
}

// Deposit simulates external funding into the user's account.
func Deposit(ctx context.Context, tx *store.Tx, m Movement) (ledger.Transfer, error) {
	desc, err := CleanDescription(m.Description)
	if err != nil {
		return ledger.Transfer{}, err
	}
	if err := tx.LockUser(ctx, m.UserID); err != nil {
		return ledger.Transfer{}, err
	}
	a, amt, err := ownAccount(ctx, tx, m)
	if err != nil {
		return ledger.Transfer{}, err
	}
	if amt.Minor > MaxDepositMinor {
		return ledger.Transfer{}, &ledger.Error{Code: "limit_exceeded", Msg: "a single deposit may be at most 10,000.00", Field: "amount"}
	}
	today, err := tx.SumTransfersSince(ctx, m.UserID, ledger.KindDeposit, a.Currency, dayStart(m.Now))
	if err != nil {
		return ledger.Transfer{}, err
	}
	if today+amt.Minor > MaxDepositsPerDay {
		return ledger.Transfer{}, &ledger.Error{Code: "limit_exceeded", Msg: fmt.Sprintf("deposits are limited to 25,000.00 a day; %s left today",
			ledger.FormatMinor(max(0, MaxDepositsPerDay-today), 2)), Field: "amount"}
	}
	t := ledger.Transfer{Kind: ledger.KindDeposit, Currency: a.Currency, Amount: amt.Minor, ToAccount: a.ID, Description: desc,
		CreatedBy: m.UserID, CreatedAt: m.Now, Postings: []ledger.Posting{
			{AccountID: ledger.SystemAccountID(ledger.SystemFunding, a.Currency), Amount: -amt.Minor},
			{AccountID: a.ID, Amount: amt.Minor}}}
	return t, ledger.Post(ctx, tx, &t)
}

// Withdraw sends money out of the bank from the user's account.
func Withdraw(ctx context.Context, tx *store.Tx, m Movement) (ledger.Transfer, error) {
	desc, err := CleanDescription(m.Description)
	if err != nil {
		return ledger.Transfer{}, err
	}
	if err := tx.LockUser(ctx, m.UserID); err != nil {
		return ledger.Transfer{}, err
	}
	a, amt, err := ownAccount(ctx, tx, m)
	if err != nil {
		return ledger.Transfer{}, err
	}
	t := ledger.Transfer{Kind: ledger.KindWithdrawal, Currency: a.Currency, Amount: amt.Minor, FromAccount: a.ID, Description: desc,
		CreatedBy: m.UserID, CreatedAt: m.Now, Postings: []ledger.Posting{
			{AccountID: a.ID, Amount: -amt.Minor},
			{AccountID: ledger.SystemAccountID(ledger.SystemCashOut, a.Currency), Amount: amt.Minor}}}
	return t, ledger.Post(ctx, tx, &t)
}

// Prepared is a transfer request checked as far as it can be before any
// lock is taken: the sender's account belongs to the user, the recipient
// exists, same currency, a valid amount and description.
type Prepared struct {
	Movement Movement
	From, To ledger.Account
	Amount   ledger.Amount
	Desc     string
}

// PrepareTransfer checks a transfer request without locking anything.
func PrepareTransfer(ctx context.Context, tx *store.Tx, m Movement) (*Prepared, error) {
	desc, err := CleanDescription(m.Description)
	if err != nil {
		return nil, err
	}
	if !ledger.ValidAccountNumber(m.ToAccountNumber) {
		return nil, &ledger.Error{Code: "validation_failed", Msg: "to_account_number must be a 12-digit account number", Field: "to_account_number"}
	}
	from, amt, err := ownAccount(ctx, tx, m)
	if err != nil {
		return nil, err
	}
	to, err := tx.AccountByNumber(ctx, m.ToAccountNumber)
	if err != nil || to.Status == ledger.StatusClosed {
		return nil, ErrRecipientNotFound
	}
	if to.ID == from.ID {
		return nil, ErrSameAccount
	}
	if to.Currency != from.Currency {
		return nil, ledger.ErrCurrencyMismatch
	}
	return &Prepared{Movement: m, From: from, To: to, Amount: amt, Desc: desc}, nil
}

// TransferBatch applies prepared transfers inside one transaction: the
// senders' user rows and all the accounts are locked once, in a fixed order
// (users by id, then accounts by id), each transfer is checked in turn
// against the locked balances and the daily limits, and Flush writes them
// all. A refused transfer does not affect the others.
type TransferBatch struct {
	tx   *store.Tx
	book *ledger.Book
	sent map[string]int64 // user|currency → sent today, including this batch
}

// LockForTransfers takes the locks for the prepared transfers.
func LockForTransfers(ctx context.Context, tx *store.Tx, preps []*Prepared) (*TransferBatch, error) {
	users := make([]string, 0, len(preps))
	ids := make([]string, 0, 2*len(preps))
	for _, p := range preps {
		users = append(users, p.Movement.UserID)
		ids = append(ids, p.From.ID, p.To.ID)
	}
	if err := tx.LockUsers(ctx, users); err != nil {
		return nil, err
	}
	book, err := ledger.Lock(ctx, tx, ids)
	if err != nil {
		return nil, err
	}
	return &TransferBatch{tx: tx, book: book, sent: map[string]int64{}}, nil
}

// Apply checks one prepared transfer against the locked state and applies
// it in memory.
func (b *TransferBatch) Apply(ctx context.Context, p *Prepared) (ledger.Transfer, error) {
	from, ok := b.book.Account(p.From.ID)
	if !ok {
		return ledger.Transfer{}, ErrAccountNotFound
	}
	if to, ok := b.book.Account(p.To.ID); !ok || to.Status == ledger.StatusClosed {
		return ledger.Transfer{}, ErrRecipientNotFound
	}
	switch from.Status {
	case ledger.StatusFrozen:
		return ledger.Transfer{}, ledger.ErrAccountFrozen
	case ledger.StatusClosed:
		return ledger.Transfer{}, ledger.ErrAccountClosed
	}
	m := p.Movement
	k := m.UserID + "|" + string(from.Currency)
	sent, ok := b.sent[k]
	if !ok {
		var err error
		if sent, err = b.tx.SumTransfersSince(ctx, m.UserID, ledger.KindTransfer, from.Currency, dayStart(m.Now)); err != nil {
			return ledger.Transfer{}, err
		}
	}
	if sent+p.Amount.Minor > MaxTransfersSentDaily {
		b.sent[k] = sent
		return ledger.Transfer{}, &ledger.Error{Code: "limit_exceeded", Msg: fmt.Sprintf("transfers are limited to 50,000.00 sent a day; %s left today",
			ledger.FormatMinor(max(0, MaxTransfersSentDaily-sent), 2)), Field: "amount"}
	}
	t := ledger.Transfer{Kind: ledger.KindTransfer, Currency: from.Currency, Amount: p.Amount.Minor, FromAccount: from.ID, ToAccount: p.To.ID,
		Description: p.Desc, CreatedBy: m.UserID, CreatedAt: m.Now, Postings: []ledger.Posting{
			{AccountID: from.ID, Amount: -p.Amount.Minor}, {AccountID: p.To.ID, Amount: p.Amount.Minor}}}
	if err := b.book.Apply(&t); err != nil {
		b.sent[k] = sent
		return ledger.Transfer{}, err
	}
	b.sent[k] = sent + p.Amount.Minor
	return t, nil
}

// Flush writes every applied transfer.
func (b *TransferBatch) Flush(ctx context.Context) error { return b.book.Flush(ctx, b.tx) }

// Transfer moves money from the user's account to any open customer
// account by number, in the same currency, within the daily limit.
func Transfer(ctx context.Context, tx *store.Tx, m Movement) (ledger.Transfer, ledger.Account, error) {
	p, err := PrepareTransfer(ctx, tx, m)
	if err != nil {
		return ledger.Transfer{}, ledger.Account{}, err
	}
	b, err := LockForTransfers(ctx, tx, []*Prepared{p})
	if err != nil {
		return ledger.Transfer{}, p.To, err
	}
	t, err := b.Apply(ctx, p)
	if err != nil {
		return t, p.To, err
	}
	return t, p.To, b.Flush(ctx)
}
