// Package bank is the customer-facing side of BankApp: opening and closing
// accounts, deposits, withdrawals, transfers, payees, limits and statements.
// Every money movement goes through the ledger.
package bank

import (
	"context"
	"fmt"
	"strings"
	"time"
	"unicode/utf8"

	"github.com/google/uuid"

	"github.com/bankapp/bankapp/internal/audit"
	"github.com/bankapp/bankapp/internal/ledger"
)

// MaxOpenAccounts is how many accounts a customer may have open at once.
const MaxOpenAccounts = 10

// Errors of account management.
var (
	ErrTooManyAccounts = &ledger.Error{Code: "limit_exceeded", Msg: fmt.Sprintf("You can have at most %d open accounts. Close one to open another.", MaxOpenAccounts)}
	ErrBalanceNotZero  = &ledger.Error{Code: "balance_not_zero", Msg: "Only an account with a zero balance can be closed. Move the money out first."}
	ErrAccountNotFound = &ledger.Error{Code: "not_found", Msg: "account not found"}
	ErrAlreadyClosed   = &ledger.Error{Code: "account_closed", Msg: "the account is closed"}
	errInvalidType     = &ledger.Error{Code: "validation_failed", Msg: "Choose checking, savings or brokerage.", Field: "type"}
	errInvalidName     = &ledger.Error{Code: "validation_failed", Msg: "Give the account a name of 1 to 60 characters.", Field: "name"}
)

// DefaultName is the name an account gets when the customer gives none.
func DefaultName(typ string) string {
	switch typ {
	case ledger.TypeSavings:
		return "Savings"
	case ledger.TypeBrokerage:
		return "Brokerage"
	}
	return "Checking"
}

// CleanName trims and checks an account or payee name.
func CleanName(s string) (string, bool) {
	s = strings.TrimSpace(s)
	n := utf8.RuneCountInString(s)
	if n < 1 || n > 60 {
		return "", false
	}
	for _, r := range s {
		if r < 0x20 || r == 0x7f {
			return "", false
		}
	}
	return s, true
}

// OpenAccount opens an account for owner inside tx, enforcing the open
// account limit. currency "" means USD; name "" means the type's default.
func OpenAccount(ctx context.Context, tx Tx, owner, typ string, cur ledger.Currency, name string, now time.Time) (ledger.Account, error) {
	switch typ {
	case ledger.TypeChecking, ledger.TypeSavings, ledger.TypeBrokerage:
	default:
		return ledger.Account{}, errInvalidType
	}
	if cur == "" {
		cur = ledger.USD
	}
	if !cur.Valid() {
		return ledger.Account{}, &ledger.Error{Code: "validation_failed", Msg: "Choose US dollars, euros or pounds (USD, EUR or GBP).", Field: "currency"}
	}
	if name == "" {
		name = DefaultName(typ)
	}
	name, ok := CleanName(name)
	if !ok {
		return ledger.Account{}, errInvalidName
	}
	n, err := tx.CountOpenAccounts(ctx, owner)
	if err != nil {
		return ledger.Account{}, err
	}
	if n >= MaxOpenAccounts {
		return ledger.Account{}, ErrTooManyAccounts
	}
	a := ledger.Account{ID: uuid.Must(uuid.NewV7()).String(), OwnerID: owner, Type: typ, Currency: cur, Name: name,
		Status: ledger.StatusActive, CreatedAt: now}
	return ledger.CreateAccount(ctx, tx, a)
}

// Accounts lists the owner's accounts.
func (s *Service) Accounts(ctx context.Context, owner string) ([]ledger.Account, error) {
	return s.store.AccountsByOwner(ctx, owner)
}

// Account is one of the owner's accounts; another's is not_found.
func (s *Service) Account(ctx context.Context, owner, id string) (ledger.Account, error) {
	return s.store.AccountByID(ctx, owner, id)
}

// OpenAccount opens an account for the caller (at most MaxOpenAccounts
// open). currency "" means USD; name "" the type's default.
func (s *Service) OpenAccount(ctx context.Context, c audit.Caller, typ string, cur ledger.Currency, name string) (ledger.Account, error) {
	var a ledger.Account
	err := s.store.InTx(ctx, func(tx Tx) error {
		// The user row lock serialises a customer's account openings, so
		// the limit holds under concurrency.
		if err := tx.LockUser(ctx, c.UserID); err != nil {
			return err
		}
		var err error
		if a, err = OpenAccount(ctx, tx, c.UserID, typ, cur, name, s.now()); err != nil {
			return err
		}
		return tx.InsertAudit(ctx, event(c, "account_open", "account:"+a.ID))
	})
	return a, err
}

// RenameAccount renames one of the caller's accounts.
func (s *Service) RenameAccount(ctx context.Context, c audit.Caller, id, name string) (ledger.Account, error) {
	name, ok := CleanName(name)
	if !ok {
		return ledger.Account{}, errInvalidName
	}
	var a ledger.Account
	err := s.store.InTx(ctx, func(tx Tx) error {
		if err := tx.SetAccountName(ctx, c.UserID, id, name); err != nil {
			return ErrAccountNotFound
		}
		var err error
		if a, err = tx.AccountByID(ctx, c.UserID, id); err != nil {
			return err
		}
		return tx.InsertAudit(ctx, event(c, "account_rename", "account:"+a.ID))
	})
	return a, err
}

// CloseAccount closes one of the caller's accounts, which must hold no
// money and no securities and not be frozen. Closing a closed account
// answers it again (idempotent).
func (s *Service) CloseAccount(ctx context.Context, c audit.Caller, id string) (ledger.Account, error) {
	var a ledger.Account
	err := s.store.InTx(ctx, func(tx Tx) error {
		var err error
		if a, err = tx.AccountByIDForUpdate(ctx, c.UserID, id); err != nil {
			return err
		}
		if a.Status == ledger.StatusClosed {
			return nil
		}
		if a.Balance != 0 {
			return ErrBalanceNotZero
		}
		if held, err := tx.HasHoldings(ctx, a.ID); err != nil {
			return err
		} else if held {
			return &ledger.Error{Code: "balance_not_zero", Msg: "the account still holds securities; sell them before closing it"}
		}
		if a.Status == ledger.StatusFrozen {
			return ledger.ErrAccountFrozen
		}
		if err := tx.SetAccountStatus(ctx, a.ID, ledger.StatusClosed); err != nil {
			return err
		}
		a.Status = ledger.StatusClosed
		return tx.InsertAudit(ctx, event(c, "account_close", "account:"+a.ID))
	})
	return a, err
}
