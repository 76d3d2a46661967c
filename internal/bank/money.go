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

// Transfer moves money from the user's account to any open customer
// account by number, in the same currency, within the daily limit.
func Transfer(ctx context.Context, tx *store.Tx, m Movement) (ledger.Transfer, ledger.Account, error) {
	var to ledger.Account
	desc, err := CleanDescription(m.Description)
	if err != nil {
		return ledger.Transfer{}, to, err
	}
	if !ledger.ValidAccountNumber(m.ToAccountNumber) {
		return ledger.Transfer{}, to, &ledger.Error{Code: "validation_failed", Msg: "to_account_number must be a 12-digit account number", Field: "to_account_number"}
	}
	if err := tx.LockUser(ctx, m.UserID); err != nil {
		return ledger.Transfer{}, to, err
	}
	from, amt, err := ownAccount(ctx, tx, m)
	if err != nil {
		return ledger.Transfer{}, to, err
	}
	to, err = tx.AccountByNumber(ctx, m.ToAccountNumber)
	if err != nil || to.Status == ledger.StatusClosed {
		return ledger.Transfer{}, to, ErrRecipientNotFound
	}
	if to.ID == from.ID {
		return ledger.Transfer{}, to, ErrSameAccount
	}
	if to.Currency != from.Currency {
		return ledger.Transfer{}, to, ledger.ErrCurrencyMismatch
	}
	if from.Status == ledger.StatusFrozen {
		return ledger.Transfer{}, to, ledger.ErrAccountFrozen
	}
	sent, err := tx.SumTransfersSince(ctx, m.UserID, ledger.KindTransfer, from.Currency, dayStart(m.Now))
	if err != nil {
		return ledger.Transfer{}, to, err
	}
	if sent+amt.Minor > MaxTransfersSentDaily {
		return ledger.Transfer{}, to, &ledger.Error{Code: "limit_exceeded", Msg: fmt.Sprintf("transfers are limited to 50,000.00 sent a day; %s left today",
			ledger.FormatMinor(max(0, MaxTransfersSentDaily-sent), 2)), Field: "amount"}
	}
	t := ledger.Transfer{Kind: ledger.KindTransfer, Currency: from.Currency, Amount: amt.Minor, FromAccount: from.ID, ToAccount: to.ID,
		Description: desc, CreatedBy: m.UserID, CreatedAt: m.Now, Postings: []ledger.Posting{
			{AccountID: from.ID, Amount: -amt.Minor}, {AccountID: to.ID, Amount: amt.Minor}}}
	return t, to, ledger.Post(ctx, tx, &t)
}
