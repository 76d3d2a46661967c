// Package bank is the customer-facing side of BankApp: opening and closing
// accounts, deposits, withdrawals, transfers, payees, limits and statements.
// Every money movement goes through the ledger.
package bank

import (
	"context"
	"errors"
	"fmt"
	"strings"
	"time"
	"unicode/utf8"

	"github.com/google/uuid"

	"github.com/bankapp/bankapp/internal/ledger"
	"github.com/bankapp/bankapp/internal/store"
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
func OpenAccount(ctx context.Context, tx *store.Tx, owner, typ string, cur ledger.Currency, name string, now time.Time) (ledger.Account, error) {
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
	// Numbers are random; on the rare collision, draw again.
	for i := 0; i < 5; i++ {
		a.Number = ledger.NewAccountNumber()
		err = tx.CreateAccount(ctx, a)
		if !errors.Is(err, store.ErrNumberTaken) {
			break
		}
	}
	if err != nil {
		return ledger.Account{}, err
	}
	return a, nil
}
