package api_test

import (
	"context"
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/bankapp/bankapp/internal/jobs"
	"github.com/bankapp/bankapp/internal/ledger"
)

const schedPath = "/api/v1/scheduled-transfers"

// specChecked checks a scheduled-transfer response against openapi.json.
func specChecked(t *testing.T, e *env, q req) response {
	t.Helper()
	return validated(t, e, q)
}

func (e *env) today(days int) string {
	return e.clock.Now().UTC().AddDate(0, 0, days).Format(time.DateOnly)
}

func TestScheduledTransfersAPI(t *testing.T) {
	eachEngine(t, func(t *testing.T, e *env) {
		alice, bob := e.signUp("Alice"), e.signUp("Bob")
		from, _ := e.firstAccount(alice)
		bobAcct, bobNumber := e.firstAccount(bob)
		e.depositTo(alice, from, "100.00")

		body := map[string]any{"from_account_id": from, "to_account_number": bobNumber, "amount": "12.50", "description": "rent",
			"frequency": "monthly", "start_date": e.today(1), "end_date": e.today(100)}
		r := specChecked(t, e, req{Method: "POST", Path: schedPath, Token: alice.Token, Body: body})
		expect(t, r, http.StatusCreated, "")
		st := r.JSON(t)["scheduled_transfer"].(map[string]any)
		want := map[string]any{"from_account_id": from, "to_account_number": bobNumber, "amount": "12.50", "currency": "USD",
			"description": "rent", "frequency": "monthly", "start_date": e.today(1), "end_date": e.today(100),
			"next_run_at": e.today(1) + "T00:00:00Z", "last_run_at": nil, "last_status": nil, "status": "active"}
		for k, v := range want {
			if st[k] != v {
				t.Errorf("%s = %v, want %v", k, st[k], v)
			}
		}
		if st["id"] == "" || st["created_at"] == nil {
			t.Fatalf("missing id/created_at: %v", st)
		}
		id := st["id"].(string)

		// Owner-scoped list.
		r = specChecked(t, e, req{Method: "GET", Path: schedPath, Token: alice.Token})
		expect(t, r, 200, "")
		items := r.JSON(t)["items"].([]any)
		if len(items) != 1 || items[0].(map[string]any)["id"] != id {
			t.Fatalf("alice's list: %s", r.Body)
		}
		r = e.do(req{Method: "GET", Path: schedPath, Token: bob.Token})
		if n := len(r.JSON(t)["items"].([]any)); n != 0 {
			t.Fatalf("bob sees %d of alice's schedules", n)
		}
		expect(t, e.do(req{Method: "GET", Path: schedPath}), 401, "unauthorized")

		// Another user's schedule is 404 and stays.
		expect(t, validated(t, e, req{Method: "DELETE", Path: schedPath + "/" + id, Token: bob.Token}), 404, "not_found")
		expect(t, e.do(req{Method: "DELETE", Path: schedPath + "/nope", Token: alice.Token}), 404, "not_found")

		// The job runner executes the occurrence when its day comes.
		runner, err := jobs.New(jobs.Options{DB: e.db, Now: e.clock.Now})
		if err != nil {
			t.Fatal(err)
		}
		e.clock.Advance(24 * time.Hour)
		if _, err := runner.RunDue(context.Background()); err != nil {
			t.Fatal(err)
		}
		e.login(alice) // a day later the access tokens have expired
		e.login(bob)
		if got := e.balanceOf(bob, bobAcct); got != "12.50" {
			t.Fatalf("bob's balance after the run: %s", got)
		}
		r = specChecked(t, e, req{Method: "GET", Path: schedPath, Token: alice.Token})
		st = r.JSON(t)["items"].([]any)[0].(map[string]any)
		if st["last_status"] != "completed" || st["last_run_at"] == nil || st["next_run_at"] == e.today(0)+"T00:00:00Z" {
			t.Fatalf("after the run: %v", st)
		}

		expect(t, validated(t, e, req{Method: "DELETE", Path: schedPath + "/" + id, Token: alice.Token}), 204, "")
		expect(t, e.do(req{Method: "DELETE", Path: schedPath + "/" + id, Token: alice.Token}), 404, "not_found")
		r = e.do(req{Method: "GET", Path: schedPath, Token: alice.Token})
		if n := len(r.JSON(t)["items"].([]any)); n != 0 {
			t.Fatalf("cancelled schedule still listed: %s", r.Body)
		}
		e.verify()
	})
}

func TestScheduledTransferValidation(t *testing.T) {
	eachEngine(t, func(t *testing.T, e *env) {
		alice, bob := e.signUp("Alice"), e.signUp("Bob")
		from, ownNumber := e.firstAccount(alice)
		bobFrom, bobNumber := e.firstAccount(bob)
		ok := func() map[string]any {
			return map[string]any{"from_account_id": from, "to_account_number": bobNumber, "amount": "5.00", "frequency": "weekly", "start_date": e.today(0)}
		}
		with := func(k string, v any) map[string]any {
			b := ok()
			if v == nil {
				delete(b, k)
			} else {
				b[k] = v
			}
			return b
		}
		cases := []struct {
			name   string
			body   any
			status int
			code   string
		}{
			{"missing from", with("from_account_id", nil), 422, "validation_failed"},
			{"missing frequency", with("frequency", nil), 422, "validation_failed"},
			{"missing start", with("start_date", nil), 422, "validation_failed"},
			{"missing amount", with("amount", nil), 422, "invalid_amount"},
			{"amount as number", with("amount", 5), 422, "invalid_amount"},
			{"amount not a number", with("amount", "five"), 422, "invalid_amount"},
			{"amount zero", with("amount", "0.00"), 422, "invalid_amount"},
			{"amount too precise", with("amount", "1.001"), 422, "invalid_amount"},
			{"daily", with("frequency", "daily"), 422, "validation_failed"},
			{"start yesterday", with("start_date", e.today(-1)), 422, "validation_failed"},
			{"start not a date", with("start_date", "tomorrow"), 422, "validation_failed"},
			{"start 31 Feb", with("start_date", "2030-02-31"), 422, "validation_failed"},
			{"end before start", with("end_date", e.today(-1)), 422, "validation_failed"},
			{"bad account number", with("to_account_number", "123456789012"), 422, "validation_failed"},
			{"unknown recipient", with("to_account_number", ledger.NewAccountNumber()), 422, "recipient_not_found"},
			{"to itself", with("to_account_number", ownNumber), 422, "same_account"},
			{"from someone else's account", with("from_account_id", bobFrom), 404, "not_found"},
			{"description too long", with("description", strings.Repeat("x", 141)), 422, "validation_failed"},
			{"unknown field", with("owner_id", "x"), 400, "invalid_json"},
		}
		for _, c := range cases {
			t.Run(c.name, func(t *testing.T) {
				expect(t, validated(t, e, req{Method: "POST", Path: schedPath, Token: alice.Token, Body: c.body}), c.status, c.code)
			})
		}
		r := e.do(req{Method: "GET", Path: schedPath, Token: alice.Token})
		if n := len(r.JSON(t)["items"].([]any)); n != 0 {
			t.Fatalf("refused requests created %d schedules", n)
		}
		// Today is allowed; once with no end date is fine.
		expect(t, e.do(req{Method: "POST", Path: schedPath, Token: alice.Token, Body: with("frequency", "once")}), 201, "")
	})
}

func TestScheduledTransfersPaging(t *testing.T) {
	eachEngine(t, func(t *testing.T, e *env) {
		alice, bob := e.signUp("Alice"), e.signUp("Bob")
		from, _ := e.firstAccount(alice)
		_, bobNumber := e.firstAccount(bob)
		for i := 0; i < 3; i++ {
			expect(t, e.do(req{Method: "POST", Path: schedPath, Token: alice.Token, Body: map[string]any{"from_account_id": from,
				"to_account_number": bobNumber, "amount": "1.00", "frequency": "once", "start_date": e.today(i + 1)}}), 201, "")
		}
		r := e.do(req{Method: "GET", Path: schedPath + "?limit=2", Token: alice.Token})
		expect(t, r, 200, "")
		m := r.JSON(t)
		cur, _ := m["next_cursor"].(string)
		if len(m["items"].([]any)) != 2 || cur == "" {
			t.Fatalf("first page: %s", r.Body)
		}
		r = e.do(req{Method: "GET", Path: schedPath + "?limit=2&cursor=" + cur, Token: alice.Token})
		m = r.JSON(t)
		if len(m["items"].([]any)) != 1 || m["next_cursor"] != nil {
			t.Fatalf("second page: %s", r.Body)
		}
		// Newest first: the third schedule came first, so the first is last.
		if m["items"].([]any)[0].(map[string]any)["start_date"] != e.today(1) {
			t.Fatalf("order: %s", r.Body)
		}
	})
}
