package api_test

import (
	"context"
	"net/http"
	"testing"
	"time"

	"github.com/bankapp/bankapp/internal/audit"
	"github.com/bankapp/bankapp/internal/ledger"
)

func lookup(t *testing.T, e *env, u *user, number string) response {
	t.Helper()
	return validated(t, e, req{Method: "POST", Path: "/api/v1/recipients/lookup", Token: u.Token, Body: map[string]string{"account_number": number}})
}

// TestRecipientLookup: the transfer review learns the masked name and
// currency behind a number; bad numbers say what is wrong in a customer's
// words; unknown numbers are recipient_not_found; a burst of lookups is
// rate limited (per user) and every lookup is audited.
func TestRecipientLookup(t *testing.T) {
	eachEngine(t, func(t *testing.T, e *env) {
		payer := e.signUp("Payer")
		payee := e.signUp("Zoe")
		expect(t, e.do(req{Method: "PATCH", Path: "/api/v1/me", Token: payee.Token, Body: map[string]string{"full_name": "Zoë van Dyke"}}), http.StatusOK, "")
		_, number := e.firstAccount(payee)

		expect(t, validated(t, e, req{Method: "POST", Path: "/api/v1/recipients/lookup", Body: map[string]string{"account_number": number}}), http.StatusUnauthorized, "unauthorized")
		r := lookup(t, e, payer, number[:4]+" "+number[4:8]+" "+number[8:])
		expect(t, r, http.StatusOK, "")
		rec := r.JSON(t)["recipient"].(map[string]any)
		if rec["name"] != "Zoë D." || rec["currency"] != "USD" || rec["account_number"] != number {
			t.Fatalf("recipient = %v", rec)
		}

		typo := number[:11] + string('0'+(number[11]-'0'+1)%10)
		r = lookup(t, e, payer, typo)
		expect(t, r, http.StatusUnprocessableEntity, "validation_failed")
		errs := r.JSON(t)["errors"].([]any)
		if msg := errs[0].(map[string]any)["message"]; msg != ledger.AccountNumberProblem(typo) || msg == "" {
			t.Fatalf("typo message = %v", msg)
		}
		if d := r.JSON(t)["detail"]; d != ledger.AccountNumberProblem(typo) {
			t.Fatalf("detail = %v, want the field's sentence", d)
		}
		unknown := ledger.NewAccountNumber()
		expect(t, lookup(t, e, payer, unknown), http.StatusUnprocessableEntity, "recipient_not_found")

		evs, err := e.db.AuditEvents(context.Background(), audit.Filter{Limit: 50, ActorID: payer.ID, Action: "recipient_lookup"})
		if err != nil {
			t.Fatal(err)
		}
		outcomes := map[string]int{}
		for _, ev := range evs {
			outcomes[ev.Outcome]++
		}
		if outcomes["success"] != 1 || outcomes["failure:recipient_not_found"] != 1 {
			t.Fatalf("audit outcomes %v", outcomes)
		}

		// 10 lookups in a burst (3 used above, the validation failure included), then 429.
		for i := 0; i < 7; i++ {
			expect(t, lookup(t, e, payer, number), http.StatusOK, "")
		}
		r = lookup(t, e, payer, number)
		expect(t, r, http.StatusTooManyRequests, "rate_limited")
		if r.Header.Get("Retry-After") == "" {
			t.Fatal("429 without Retry-After")
		}
		// Another customer has their own bucket; the first gets one more every 3 minutes.
		expect(t, lookup(t, e, payee, number), http.StatusOK, "")
		e.clock.Advance(3*time.Minute + time.Second)
		expect(t, lookup(t, e, payer, number), http.StatusOK, "")
		expect(t, lookup(t, e, payer, number), http.StatusTooManyRequests, "rate_limited")
	})
}
