package ledger

import (
	"context"
	"errors"
	"fmt"
	"time"
)

// Account types. Customer accounts are checking, savings or brokerage;
// system accounts are the bank's own books.
const (
	TypeChecking  = "checking"
	TypeSavings   = "savings"
	TypeBrokerage = "brokerage"
	TypeSystem    = "system"
)

// Account statuses.
const (
	StatusActive = "active"
	StatusFrozen = "frozen"
	StatusClosed = "closed"
)

// System account roles. Money enters only through Funding and leaves only
// through CashOut; Settlement is the other side of trades, Interest pays
// savings interest, Fees collects fees. FXPosition is the bank's position
// in a currency: exchanges (and orders that convert) pay the currency the
// customer sells into it and the currency the customer buys out of it, so
// its balance is the bank's net long (+) or short (−) in that currency.
const (
	SystemFunding    = "funding"
	SystemCashOut    = "cashout"
	SystemSettlement = "settlement"
	SystemInterest   = "interest"
	SystemFees       = "fees"
	SystemFXPosition = "fx_position"
)

// SystemAccountID is the fixed ID of a system account for a role and currency,
// e.g. "system:funding:USD". The migrations create one per role and currency.
func SystemAccountID(role string, c Currency) string {
	return fmt.Sprintf("system:%s:%s", role, c)
}

// Account is a ledger account. Balance is in minor units of Currency and is
// maintained in the same transaction as the postings that change it.
type Account struct {
	ID        string
	OwnerID   string // empty for system accounts
	Number    string // 12 digits, Luhn; empty for system accounts
	Type      string
	Currency  Currency
	Name      string
	Balance   int64
	Status    string
	CreatedAt time.Time
}

// IsSystem reports whether the account belongs to the bank itself. System
// accounts may go negative (funding is negative by the money it created);
// customer accounts never do.
func (a Account) IsSystem() bool { return a.Type == TypeSystem }

// ErrNumberTaken is returned by a store when a generated account number
// collides with an existing one; the caller draws another.
var ErrNumberTaken = errors.New("ledger: account number taken")

// AccountCreator stores a new account; a store returns ErrNumberTaken when
// the account's number is already used.
type AccountCreator interface {
	CreateAccount(ctx context.Context, a Account) error
}

// CreateAccount gives a a fresh random number and stores it, drawing again
// on the rare collision.
func CreateAccount(ctx context.Context, tx AccountCreator, a Account) (Account, error) {
	var err error
	for range 5 {
		a.Number = NewAccountNumber()
		if err = tx.CreateAccount(ctx, a); !errors.Is(err, ErrNumberTaken) {
			break
		}
	}
	if err != nil {
		return Account{}, err
	}
	return a, nil
}
