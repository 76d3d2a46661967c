package api

import (
	"net/http"
	"strings"
	"sync"
	"time"
	"unicode"
	"unicode/utf8"

	"golang.org/x/time/rate"

	"github.com/bankapp/bankapp/internal/bank"
	"github.com/bankapp/bankapp/internal/ledger"
)

// Recipient lookup (POST /api/v1/recipients/lookup) lets the transfer review
// show who will receive the money before it is sent ("Alice M."), the way
// Confirmation of Payee does. Guarding against account-number enumeration:
//   - the name is masked to the first name and the initial of the last;
//   - each user gets a small bucket (lookupBurst lookups, one more every
//     lookupEvery) on top of the general API limit, so scanning the 10^11
//     valid numbers for the few that exist is hopeless;
//   - the number travels in the body, not the URL, so it stays out of
//     access logs;
//   - every lookup is audited (recipient_lookup, with its outcome), so a
//     customer probing numbers is visible to operators.
const (
	lookupBurst = 10
	lookupEvery = 3 * time.Minute
)

type recipientLookupRequest struct {
	AccountNumber string `json:"account_number"`
}

func (q *recipientLookupRequest) Validate() error {
	q.AccountNumber = strings.ReplaceAll(q.AccountNumber, " ", "")
	if msg := ledger.AccountNumberProblem(q.AccountNumber); msg != "" {
		return validation(FieldError{"account_number", msg})
	}
	return nil
}

type recipientView struct {
	AccountNumber string `json:"account_number"`
	Name          string `json:"name"`
	Currency      string `json:"currency"`
}

// lookupLimiter is the per-user bucket of recipient lookups.
type lookupLimiter struct {
	now   func() time.Time
	mu    sync.Mutex
	m     map[string]*rate.Limiter
	swept time.Time
}

func newLookupLimiter(now func() time.Time) *lookupLimiter {
	return &lookupLimiter{now: now, m: map[string]*rate.Limiter{}}
}

func (l *lookupLimiter) allow(user string) (time.Duration, bool) {
	now := l.now()
	l.mu.Lock()
	defer l.mu.Unlock()
	if now.Sub(l.swept) > 10*time.Minute {
		for k, b := range l.m {
			if b.TokensAt(now) >= lookupBurst {
				delete(l.m, k)
			}
		}
		l.swept = now
	}
	b, ok := l.m[user]
	if !ok {
		b = rate.NewLimiter(rate.Every(lookupEvery), lookupBurst)
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

// lookupRecipient answers the masked name and currency of the open account
// with a number. Closed and unknown numbers are both recipient_not_found.
func (s *Server) lookupRecipient(l *lookupLimiter) handlerFunc {
	return func(w http.ResponseWriter, r *http.Request) error {
		p := principalOf(r)
		if wait, ok := l.allow(p.UserID); !ok {
			return &Error{Code: "rate_limited", Msg: "You have looked up many account numbers in a short time. Wait a few minutes, or pick a saved payee.", RetryAfter: wait}
		}
		q, _, err := decode[*recipientLookupRequest](w, r)
		if err != nil {
			return err
		}
		a, err := s.db.AccountByNumber(r.Context(), q.AccountNumber)
		if err != nil || a.Status == ledger.StatusClosed {
			s.auditAlone(r, p.UserID, "recipient_lookup", "account_number:"+q.AccountNumber, "failure:recipient_not_found")
			return bank.ErrRecipientNotFound
		}
		owner, err := s.db.UserByID(r.Context(), a.OwnerID)
		if err != nil {
			return err
		}
		s.auditAlone(r, p.UserID, "recipient_lookup", "account_number:"+q.AccountNumber, "success")
		return encode(w, http.StatusOK, map[string]any{"recipient": recipientView{
			AccountNumber: a.Number, Name: MaskName(owner.FullName), Currency: string(a.Currency)}})
	}
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
