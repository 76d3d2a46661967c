package api

import (
	"time"

	"github.com/bankapp/bankapp/internal/auth"
	"github.com/bankapp/bankapp/internal/ledger"
)

// The JSON shapes of API.md. Money is always a decimal string.

type userView struct {
	ID          string `json:"id"`
	Email       string `json:"email"`
	FullName    string `json:"full_name"`
	Role        string `json:"role"`
	TOTPEnabled bool   `json:"totp_enabled"`
	// BaseCurrency is the currency of the overview (GET /overview).
	BaseCurrency string `json:"base_currency"`
	// EmailVerified: a link sent to Email was opened (API.md v1.1).
	EmailVerified bool   `json:"email_verified"`
	CreatedAt     string `json:"created_at"`
}

func viewUser(u auth.User) userView {
	base := string(u.BaseCurrency)
	if base == "" {
		base = string(ledger.USD)
	}
	return userView{ID: u.ID, Email: u.Email, FullName: u.FullName, Role: u.Role, TOTPEnabled: u.TOTPEnabled,
		BaseCurrency: base, EmailVerified: u.EmailVerified, CreatedAt: ts(u.CreatedAt)}
}

type accountView struct {
	ID               string `json:"id"`
	Number           string `json:"number"`
	Type             string `json:"type"`
	Currency         string `json:"currency"`
	Name             string `json:"name"`
	Balance          string `json:"balance"`
	AvailableBalance string `json:"available_balance"`
	Status           string `json:"status"`
	CreatedAt        string `json:"created_at"`
}

func viewAccount(a ledger.Account) accountView {
	bal := ledger.FormatMinor(a.Balance, a.Currency.Digits())
	avail := bal
	if a.Status != ledger.StatusActive {
		// A frozen or closed account cannot send: nothing is available.
		avail = ledger.FormatMinor(0, a.Currency.Digits())
	}
	return accountView{ID: a.ID, Number: a.Number, Type: a.Type, Currency: string(a.Currency), Name: a.Name,
		Balance: bal, AvailableBalance: avail, Status: a.Status, CreatedAt: ts(a.CreatedAt)}
}

// ts formats a time as RFC 3339 UTC.
func ts(t time.Time) string { return t.UTC().Format(time.RFC3339) }

// page is the envelope of every list endpoint.
type page[T any] struct {
	Items      []T     `json:"items"`
	NextCursor *string `json:"next_cursor"`
}
