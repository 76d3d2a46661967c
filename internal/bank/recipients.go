package bank

import (
	"context"
	"strings"
	"sync"
	"time"
	"unicode"
	"unicode/utf8"

	"golang.org/x/time/rate"

	"github.com/bankapp/bankapp/internal/audit"
	"github.com/bankapp/bankapp/internal/ledger"
)

// Recipient lookup lets the transfer review show who will receive the money
// before it is sent ("Alice M."), the way Confirmation of Payee does.
// Guarding against account-number enumeration:
//   - the name is masked to the first name and the initial of the last;
//   - each user gets a small bucket (LookupBurst lookups, one more every
//     LookupEvery) on top of the general API limit, so scanning the 10^11
//     valid numbers for the few that exist is hopeless;
//   - every lookup of a well-formed number is audited (recipient_lookup,
//     with its outcome), so a customer probing numbers is visible to
//     operators.
const (
	LookupBurst = 10
	LookupEvery = 3 * time.Minute
)

// Recipient is what a lookup tells the sender about an account number.
type Recipient struct {
	AccountNumber string
	Name          string // masked: MaskName
	Currency      ledger.Currency
}

// RateLimitedError is a refusal because the caller used up a bucket; the
// client should wait RetryAfter.
type RateLimitedError struct {
	Msg   string
	Retry time.Duration
}

func (e *RateLimitedError) Error() string { return e.Msg }

// ErrorCode is the contract's code, rate_limited (429).
func (e *RateLimitedError) ErrorCode() string { return "rate_limited" }

// RetryAfter is how long the client should wait.
func (e *RateLimitedError) RetryAfter() time.Duration { return e.Retry }

// LookupRecipient answers the masked name and currency of the open account
// with number (spaces ignored). Closed and unknown numbers are both
// recipient_not_found. The caller's bucket is taken first, so malformed
// numbers count too.
func (s *Service) LookupRecipient(ctx context.Context, c audit.Caller, number string) (Recipient, error) {
	if wait, ok := s.lookups.allow(c.UserID, s.now()); !ok {
		return Recipient{}, &RateLimitedError{Retry: wait,
			Msg: "You have looked up many account numbers in a short time. Wait a few minutes, or pick a saved payee."}
	}
	number = strings.ReplaceAll(number, " ", "")
	if msg := ledger.AccountNumberProblem(number); msg != "" {
		return Recipient{}, &ledger.Error{Code: "validation_failed", Msg: msg, Field: "account_number"}
	}
	target := "account_number:" + number
	a, err := s.store.AccountByNumber(ctx, number)
	if err != nil || a.Status == ledger.StatusClosed || a.IsSystem() {
		s.logAlone(ctx, c.Event("recipient_lookup", target, "failure:recipient_not_found"))
		return Recipient{}, ErrRecipientNotFound
	}
	owner, err := s.store.UserByID(ctx, a.OwnerID)
	if err != nil {
		return Recipient{}, err
	}
	s.logAlone(ctx, event(c, "recipient_lookup", target))
	return Recipient{AccountNumber: a.Number, Name: MaskName(owner.FullName), Currency: a.Currency}, nil
}

// MaskName shortens a full name to the first name and the initial of the
// last one: "Alice Martin" → "Alice M.", "Mary Ann van Dyke" → "Mary D.",
// "Cher" → "Cher".
func MaskName(full string) string {
	parts := strings.FieldsFunc(full, unicode.IsSpace)
	switch len(parts) {
	case 0:
		return "BankApp customer"
	case 1:
		return parts[0]
	}
	last, _ := utf8.DecodeRuneInString(parts[len(parts)-1])
	return parts[0] + " " + string(unicode.ToUpper(last)) + "."
}

// lookupLimiter is the per-user bucket of recipient lookups.
type lookupLimiter struct {
	mu    sync.Mutex
	m     map[string]*rate.Limiter
	swept time.Time
}

func newLookupLimiter() *lookupLimiter { return &lookupLimiter{m: map[string]*rate.Limiter{}} }

func (l *lookupLimiter) allow(user string, now time.Time) (time.Duration, bool) {
	l.mu.Lock()
	defer l.mu.Unlock()
	if now.Sub(l.swept) > 10*time.Minute {
		// Forget buckets that are full again, so the map does not grow forever.
		for k, b := range l.m {
			if b.TokensAt(now) >= LookupBurst {
				delete(l.m, k)
			}
		}
		l.swept = now
	}
	b, ok := l.m[user]
	if !ok {
		b = rate.NewLimiter(rate.Every(LookupEvery), LookupBurst)
		l.m[user] = b
	}
	if b.AllowN(now, 1) {
		return 0, true
	}
	r := b.ReserveN(now, 1)
	wait := r.DelayFrom(now)
	r.CancelAt(now)
	return max(wait, time.Second), false
}
