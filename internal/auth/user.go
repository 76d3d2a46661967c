// Package auth holds BankApp's identities: users, password hashing, access
// and refresh tokens, sessions, TOTP and lockout.
package auth

import (
	"time"

	"github.com/bankapp/bankapp/internal/ledger"
)

// Roles.
const (
	RoleCustomer = "customer"
	RoleAdmin    = "admin"
)

// User is a person who can sign in.
type User struct {
	ID           string
	Email        string
	PasswordHash string
	FullName     string
	Role         string
	TOTPSecret   string // the enabled secret, or ""
	TOTPPending  string // a secret set up but not yet enabled
	TOTPEnabled  bool
	TOTPLastStep int64 // the last accepted TOTP time step, so a code works once
	// EmailVerified is true once a link sent to Email was opened (a
	// verification, or a password reset).
	EmailVerified bool
	FailedLogins  int
	LockedUntil   time.Time
	// BaseCurrency is the currency the customer's overview and net worth
	// are shown in (USD unless the customer chose EUR or GBP).
	BaseCurrency ledger.Currency
	CreatedAt    time.Time
	UpdatedAt    time.Time
}
