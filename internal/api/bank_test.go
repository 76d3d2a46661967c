package api_test

import (
	"context"
	"fmt"
	"math/rand/v2"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/google/uuid"

	"github.com/bankapp/bankapp/internal/auth"
	"github.com/bankapp/bankapp/internal/ledger"
	"github.com/bankapp/bankapp/internal/store"
	"github.com/bankapp/bankapp/internal/store/storetest"
)

// firstAccount returns the id and number of the user's checking account.
func (e *env) firstAccount(u *user) (id, number string) {
	e.t.Helper()
	r := e.do(req{Method: "GET", Path: "/api/v1/accounts", Token: u.Token})
	expect(e.t, r, 200, "")
	a := r.JSON(e.t)["items"].([]any)[0].(map[string]any)
	return a["id"].(string), a["number"].(string)
}

func (e *env) money(u *user, path string, body map[string]any, key string) response {
	e.t.Helper()
	if key == "" {
		key = uuid.NewString()
	}
	return e.do(req{Method: "POST", Path: path, Token: u.Token, Body: body, Headers: map[string]string{"Idempotency-Key": key}})
}

func (e *env) depositTo(u *user, account, amount string) {
	e.t.Helper()
	expect(e.t, e.money(u, "/api/v1/deposits", map[string]any{"account_id": account, "amount": amount}, ""), 201, "")
}

func (e *env) balanceOf(u *user, account string) string {
	e.t.Helper()
	r := e.do(req{Method: "GET", Path: "/api/v1/accounts/" + account, Token: u.Token})
	expect(e.t, r, 200, "")
	return r.JSON(e.t)["account"].(map[string]any)["balance"].(string)
}

func (e *env) verify() {
	e.t.Helper()
	rep, err := e.db.VerifyLedger(context.Background())
	if err != nil || !rep.OK {
		e.t.Fatalf("ledger verify: %+v %v", rep, err)
	}
}

func (e *env) makeAdmin(u *user) {
	e.t.Helper()
	ctx := context.Background()
	err := e.db.InTx(ctx, func(tx *store.Tx) error {
		x, err := tx.UserByID(ctx, u.ID)
		if err != nil {
			return err
		}
		x.Role = auth.RoleAdmin
		return tx.UpdateUser(ctx, x)
	})
	if err != nil {
		e.t.Fatal(err)
	}
	e.clock.Advance(2 * time.Second) // let the session cache see the new role
}

func TestAccounts(t *testing.T) {
	eachEngine(t, func(t *testing.T, e *env) {
		a := e.signUp("Alice")
		r := e.do(req{Method: "GET", Path: "/api/v1/accounts", Token: a.Token})
		expect(t, r, 200, "")
		items := r.JSON(t)["items"].([]any)
		if len(items) != 1 {
			t.Fatalf("a new customer has %d accounts, want 1 checking", len(items))
		}
		acc := items[0].(map[string]any)
		if acc["type"] != "checking" || acc["currency"] != "USD" || acc["balance"] != "0.00" || !ledger.ValidAccountNumber(acc["number"].(string)) {
			t.Fatalf("first account = %v", acc)
		}
		r = e.do(req{Method: "POST", Path: "/api/v1/accounts", Token: a.Token, Body: map[string]any{"type": "savings", "currency": "EUR", "name": "Rainy day"}})
		expect(t, r, 201, "")
		sav := r.JSON(t)["account"].(map[string]any)
		if sav["currency"] != "EUR" || sav["name"] != "Rainy day" || sav["status"] != "active" {
			t.Fatalf("savings = %v", sav)
		}
		expect(t, e.do(req{Method: "POST", Path: "/api/v1/accounts", Token: a.Token, Body: map[string]any{"type": "crypto"}}), 422, "validation_failed")
		expect(t, e.do(req{Method: "POST", Path: "/api/v1/accounts", Token: a.Token, Body: map[string]any{"type": "savings", "currency": "JPY"}}), 422, "validation_failed")
		expect(t, e.do(req{Method: "POST", Path: "/api/v1/accounts", Token: a.Token, Body: map[string]any{"type": "savings", "balance": "100.00"}}), 400, "invalid_json")
		for i := 0; i < 8; i++ {
			expect(t, e.do(req{Method: "POST", Path: "/api/v1/accounts", Token: a.Token, Body: map[string]any{"type": "checking"}}), 201, "")
		}
		expect(t, e.do(req{Method: "POST", Path: "/api/v1/accounts", Token: a.Token, Body: map[string]any{"type": "checking"}}), 422, "limit_exceeded")

		id := sav["id"].(string)
		r = e.do(req{Method: "PATCH", Path: "/api/v1/accounts/" + id, Token: a.Token, Body: map[string]any{"name": "Holiday"}})
		expect(t, r, 200, "")
		if r.JSON(t)["account"].(map[string]any)["name"] != "Holiday" {
			t.Fatal("rename did not stick")
		}
		e.depositTo(a, id, "5.00")
		expect(t, e.do(req{Method: "DELETE", Path: "/api/v1/accounts/" + id, Token: a.Token}), 409, "balance_not_zero")
		expect(t, e.money(a, "/api/v1/withdrawals", map[string]any{"account_id": id, "amount": "5"}, ""), 201, "")
		r = e.do(req{Method: "DELETE", Path: "/api/v1/accounts/" + id, Token: a.Token})
		expect(t, r, 200, "")
		if r.JSON(t)["account"].(map[string]any)["status"] != "closed" {
			t.Fatal("account not closed")
		}
		// Closing freed a slot.
		expect(t, e.do(req{Method: "POST", Path: "/api/v1/accounts", Token: a.Token, Body: map[string]any{"type": "brokerage"}}), 201, "")
		expect(t, e.money(a, "/api/v1/deposits", map[string]any{"account_id": id, "amount": "1"}, ""), 422, "account_closed")
		e.verify()
	})
}

func TestMoneyMovement(t *testing.T) {
	eachEngine(t, func(t *testing.T, e *env) {
		a, b := e.signUp("Alice"), e.signUp("Bob")
		aID, _ := e.firstAccount(a)
		bID, bNum := e.firstAccount(b)

		// Idempotency-Key is required, and amounts are strict.
		expect(t, e.do(req{Method: "POST", Path: "/api/v1/deposits", Token: a.Token, Body: map[string]any{"account_id": aID, "amount": "1"}}), 400, "idempotency_key_required")
		for _, bad := range []any{"0", "-1", "1.001", "abc", "1e3", 12.5, "1000000000.01", ""} {
			expect(t, e.money(a, "/api/v1/deposits", map[string]any{"account_id": aID, "amount": bad}, ""), 422, "invalid_amount")
		}
		expect(t, e.money(a, "/api/v1/deposits", map[string]any{"account_id": aID, "amount": "10000.01"}, ""), 422, "limit_exceeded")

		// A deposit, replayed with the same key, applies once.
		key := uuid.NewString()
		r1 := e.money(a, "/api/v1/deposits", map[string]any{"account_id": aID, "amount": "1000.5", "description": "Salary"}, key)
		expect(t, r1, 201, "")
		tr := r1.JSON(t)["transfer"].(map[string]any)
		if tr["amount"] != "1000.50" || tr["kind"] != "deposit" || tr["status"] != "completed" || tr["to_account_id"] != aID || tr["from_account_id"] != nil {
			t.Fatalf("deposit = %v", tr)
		}
		r2 := e.money(a, "/api/v1/deposits", map[string]any{"description": "Salary", "amount": "1000.5", "account_id": aID}, key)
		expect(t, r2, 201, "")
		if r2.Header.Get("Idempotent-Replayed") != "true" || string(r2.Body) != string(r1.Body) {
			t.Fatalf("replay: header %q, body %s", r2.Header.Get("Idempotent-Replayed"), r2.Body)
		}
		expect(t, e.money(a, "/api/v1/deposits", map[string]any{"account_id": aID, "amount": "2"}, key), 422, "idempotency_key_reused")
		if got := e.balanceOf(a, aID); got != "1000.50" {
			t.Fatalf("balance = %s after replays", got)
		}

		// Transfers and their errors.
		r := e.money(a, "/api/v1/transfers", map[string]any{"from_account_id": aID, "to_account_number": bNum, "amount": "250.25", "description": "Rent"}, "")
		expect(t, r, 201, "")
		tr = r.JSON(t)["transfer"].(map[string]any)
		if tr["to_account_number"] != bNum || tr["to_account_id"] != nil || tr["from_account_id"] != aID {
			t.Fatalf("transfer view = %v (the recipient's account id must not leak)", tr)
		}
		if e.balanceOf(a, aID) != "750.25" || e.balanceOf(b, bID) != "250.25" {
			t.Fatal("balances after transfer are wrong")
		}
		expect(t, e.money(a, "/api/v1/transfers", map[string]any{"from_account_id": aID, "to_account_number": bNum, "amount": "750.26"}, ""), 422, "insufficient_funds")
		_, aNum := e.firstAccount(a)
		expect(t, e.money(a, "/api/v1/transfers", map[string]any{"from_account_id": aID, "to_account_number": aNum, "amount": "1"}, ""), 422, "same_account")
		expect(t, e.money(a, "/api/v1/transfers", map[string]any{"from_account_id": aID, "to_account_number": "079927398713", "amount": "1"}, ""), 422, "recipient_not_found")
		expect(t, e.money(a, "/api/v1/transfers", map[string]any{"from_account_id": aID, "to_account_number": "12345", "amount": "1"}, ""), 422, "validation_failed")
		r = e.do(req{Method: "POST", Path: "/api/v1/accounts", Token: b.Token, Body: map[string]any{"type": "checking", "currency": "GBP"}})
		gbpNum := r.JSON(t)["account"].(map[string]any)["number"].(string)
		expect(t, e.money(a, "/api/v1/transfers", map[string]any{"from_account_id": aID, "to_account_number": gbpNum, "amount": "1"}, ""), 422, "currency_mismatch")
		expect(t, e.money(a, "/api/v1/withdrawals", map[string]any{"account_id": aID, "amount": "750.26"}, ""), 422, "insufficient_funds")

		// Frozen: can receive, cannot send.
		admin := e.signUp("Admin")
		e.makeAdmin(admin)
		expect(t, e.do(req{Method: "POST", Path: "/api/v1/admin/accounts/" + aID + "/freeze", Token: admin.Token}), 200, "")
		expect(t, e.money(a, "/api/v1/transfers", map[string]any{"from_account_id": aID, "to_account_number": bNum, "amount": "1"}, ""), 423, "account_frozen")
		expect(t, e.money(a, "/api/v1/withdrawals", map[string]any{"account_id": aID, "amount": "1"}, ""), 423, "account_frozen")
		expect(t, e.money(b, "/api/v1/transfers", map[string]any{"from_account_id": bID, "to_account_number": aNum, "amount": "0.25"}, ""), 201, "")
		expect(t, e.do(req{Method: "POST", Path: "/api/v1/admin/accounts/" + aID + "/unfreeze", Token: admin.Token}), 200, "")
		expect(t, e.money(a, "/api/v1/withdrawals", map[string]any{"account_id": aID, "amount": "0.50"}, ""), 201, "")
		expect(t, e.do(req{Method: "POST", Path: "/api/v1/admin/accounts/" + aID + "/freeze", Token: a.Token}), 403, "forbidden")

		// Daily limits.
		for i := 0; i < 2; i++ {
			e.depositTo(a, aID, "10000")
		}
		expect(t, e.money(a, "/api/v1/deposits", map[string]any{"account_id": aID, "amount": "3999.51"}, ""), 422, "limit_exceeded")
		e.depositTo(a, aID, "3999.50")
		e.clock.Advance(24 * time.Hour)
		e.login(a)
		e.login(b)
		e.depositTo(a, aID, "10000")
		e.depositTo(a, aID, "10000")
		e.clock.Advance(24 * time.Hour)
		e.login(a)
		e.login(b)
		e.depositTo(a, aID, "10000")
		e.depositTo(a, aID, "10000")
		expect(t, e.money(a, "/api/v1/transfers", map[string]any{"from_account_id": aID, "to_account_number": bNum, "amount": "50000.01"}, ""), 422, "limit_exceeded")
		expect(t, e.money(a, "/api/v1/transfers", map[string]any{"from_account_id": aID, "to_account_number": bNum, "amount": "50000"}, ""), 201, "")
		expect(t, e.money(a, "/api/v1/transfers", map[string]any{"from_account_id": aID, "to_account_number": bNum, "amount": "0.01"}, ""), 422, "limit_exceeded")

		// Transfers list and detail are scoped to the parties.
		r = e.do(req{Method: "GET", Path: "/api/v1/transfers?limit=2", Token: b.Token})
		expect(t, r, 200, "")
		if n := len(r.JSON(t)["items"].([]any)); n != 2 || r.JSON(t)["next_cursor"] == nil {
			t.Fatalf("transfers page = %s", r.Body)
		}
		tid := tr["id"].(string)
		expect(t, e.do(req{Method: "GET", Path: "/api/v1/transfers/" + tid, Token: b.Token}), 200, "")
		c := e.signUp("Carol")
		expect(t, e.do(req{Method: "GET", Path: "/api/v1/transfers/" + tid, Token: c.Token}), 404, "not_found")
		expect(t, e.do(req{Method: "GET", Path: "/api/v1/transfers?limit=0", Token: b.Token}), 422, "invalid_parameter")
		e.verify()
	})
}

// TestBOLA: another customer's resources answer exactly like missing ones,
// and nothing changes.
func TestBOLA(t *testing.T) {
	eachEngine(t, func(t *testing.T, e *env) {
		a, b := e.signUp("Alice"), e.signUp("Mallory")
		aID, aNum := e.firstAccount(a)
		e.depositTo(a, aID, "100")
		r := e.do(req{Method: "POST", Path: "/api/v1/payees", Token: a.Token, Body: map[string]any{"name": "Me", "account_number": aNum}})
		expect(t, r, 201, "")
		payee := r.JSON(t)["payee"].(map[string]any)["id"].(string)
		month := e.clock.Now().Format("2006-01")
		missing := uuid.NewString()
		for _, id := range []string{aID, missing} {
			for _, q := range []req{
				{Method: "GET", Path: "/api/v1/accounts/" + id},
				{Method: "PATCH", Path: "/api/v1/accounts/" + id, Body: map[string]any{"name": "pwned"}},
				{Method: "DELETE", Path: "/api/v1/accounts/" + id},
				{Method: "GET", Path: "/api/v1/accounts/" + id + "/transactions"},
				{Method: "GET", Path: "/api/v1/accounts/" + id + "/transactions.csv"},
				{Method: "GET", Path: "/api/v1/accounts/" + id + "/statements/" + month},
			} {
				q.Token = b.Token
				expect(t, e.do(q), 404, "not_found")
			}
			expect(t, e.money(b, "/api/v1/withdrawals", map[string]any{"account_id": id, "amount": "1"}, ""), 404, "not_found")
			expect(t, e.money(b, "/api/v1/transfers", map[string]any{"from_account_id": id, "to_account_number": aNum, "amount": "1"}, ""), 404, "not_found")
		}
		expect(t, e.do(req{Method: "DELETE", Path: "/api/v1/payees/" + payee, Token: b.Token}), 404, "not_found")
		if e.balanceOf(a, aID) != "100.00" {
			t.Fatal("Mallory moved Alice's money")
		}
		r = e.do(req{Method: "GET", Path: "/api/v1/payees", Token: a.Token})
		if len(r.JSON(t)["items"].([]any)) != 1 {
			t.Fatal("Mallory deleted Alice's payee")
		}
		r = e.do(req{Method: "GET", Path: "/api/v1/accounts/" + aID, Token: a.Token})
		if r.JSON(t)["account"].(map[string]any)["name"] != "Checking" {
			t.Fatal("Mallory renamed Alice's account")
		}
		e.verify()
	})
}

func TestPayees(t *testing.T) {
	eachEngine(t, func(t *testing.T, e *env) {
		a, b := e.signUp("Alice"), e.signUp("Bob")
		_, bNum := e.firstAccount(b)
		expect(t, e.do(req{Method: "POST", Path: "/api/v1/payees", Token: a.Token, Body: map[string]any{"name": "Bob", "account_number": "123456789012"}}), 422, "validation_failed")
		expect(t, e.do(req{Method: "POST", Path: "/api/v1/payees", Token: a.Token, Body: map[string]any{"name": "Nobody", "account_number": "079927398713"}}), 422, "recipient_not_found")
		expect(t, e.do(req{Method: "POST", Path: "/api/v1/payees", Token: a.Token, Body: map[string]any{"name": "Bob", "account_number": bNum}}), 201, "")
		expect(t, e.do(req{Method: "POST", Path: "/api/v1/payees", Token: a.Token, Body: map[string]any{"name": "Bob again", "account_number": bNum}}), 409, "payee_exists")
		r := e.do(req{Method: "GET", Path: "/api/v1/payees", Token: a.Token})
		items := r.JSON(t)["items"].([]any)
		if len(items) != 1 {
			t.Fatalf("payees = %s", r.Body)
		}
		id := items[0].(map[string]any)["id"].(string)
		expect(t, e.do(req{Method: "DELETE", Path: "/api/v1/payees/" + id, Token: a.Token}), 204, "")
		expect(t, e.do(req{Method: "DELETE", Path: "/api/v1/payees/" + id, Token: a.Token}), 404, "not_found")
	})
}

// TestHistoryPagination walks the history page by page while new entries
// arrive: no entry is skipped or repeated among those that existed at the
// start, and filters work.
func TestHistoryPagination(t *testing.T) {
	eachEngine(t, func(t *testing.T, e *env) {
		a, b := e.signUp("Alice"), e.signUp("Bob")
		aID, _ := e.firstAccount(a)
		_, bNum := e.firstAccount(b)
		e.depositTo(a, aID, "5000")
		for i := 0; i < 24; i++ {
			expect(t, e.money(a, "/api/v1/transfers", map[string]any{"from_account_id": aID, "to_account_number": bNum, "amount": "1.00",
				"description": fmt.Sprintf("payment %02d", i)}, ""), 201, "")
		}
		seen := map[string]bool{}
		cursor := ""
		pages := 0
		for {
			path := "/api/v1/accounts/" + aID + "/transactions?limit=7"
			if cursor != "" {
				path += "&cursor=" + cursor
			}
			r := e.do(req{Method: "GET", Path: path, Token: a.Token})
			expect(t, r, 200, "")
			m := r.JSON(t)
			for _, it := range m["items"].([]any) {
				id := it.(map[string]any)["id"].(string)
				if seen[id] {
					t.Fatalf("entry %s seen twice", id)
				}
				seen[id] = true
			}
			pages++
			// New entries arrive while the client pages.
			e.depositTo(a, aID, "1")
			if m["next_cursor"] == nil {
				break
			}
			cursor = m["next_cursor"].(string)
		}
		if len(seen) != 25 || pages != 4 {
			t.Fatalf("walked %d entries in %d pages, want the 25 that existed in 4 pages", len(seen), pages)
		}
		r := e.do(req{Method: "GET", Path: "/api/v1/accounts/" + aID + "/transactions?type=deposit&limit=200", Token: a.Token})
		for _, it := range r.JSON(t)["items"].([]any) {
			if it.(map[string]any)["kind"] != "deposit" {
				t.Fatal("type filter let through a non-deposit")
			}
		}
		r = e.do(req{Method: "GET", Path: "/api/v1/accounts/" + aID + "/transactions?q=PAYMENT%2007", Token: a.Token})
		items := r.JSON(t)["items"].([]any)
		if len(items) != 1 {
			t.Fatalf("q search found %d", len(items))
		}
		it := items[0].(map[string]any)
		if it["kind"] != "transfer_out" || it["amount"] != "-1.00" || it["counterparty"].(map[string]any)["account_number"] != bNum {
			t.Fatalf("entry = %v", it)
		}
		r = e.do(req{Method: "GET", Path: "/api/v1/accounts/" + aID + "/transactions?q=bob&type=transfer_out&limit=200", Token: a.Token})
		if n := len(r.JSON(t)["items"].([]any)); n != 24 {
			t.Fatalf("counterparty search found %d, want 24", n)
		}
		expect(t, e.do(req{Method: "GET", Path: "/api/v1/accounts/" + aID + "/transactions?type=bogus", Token: a.Token}), 422, "invalid_parameter")
		expect(t, e.do(req{Method: "GET", Path: "/api/v1/accounts/" + aID + "/transactions?from=yesterday", Token: a.Token}), 422, "invalid_parameter")
		tomorrow := e.clock.Now().AddDate(0, 0, 1).Format("2006-01-02")
		r = e.do(req{Method: "GET", Path: "/api/v1/accounts/" + aID + "/transactions?from=" + tomorrow, Token: a.Token})
		if n := len(r.JSON(t)["items"].([]any)); n != 0 {
			t.Fatalf("from=tomorrow found %d", n)
		}
	})
}

func TestCSVExport(t *testing.T) {
	eachEngine(t, func(t *testing.T, e *env) {
		a := e.signUp("Alice")
		aID, _ := e.firstAccount(a)
		expect(t, e.money(a, "/api/v1/deposits", map[string]any{"account_id": aID, "amount": "10", "description": "=HYPERLINK(\"http://evil\")"}, ""), 201, "")
		r := e.do(req{Method: "GET", Path: "/api/v1/accounts/" + aID + "/transactions.csv", Token: a.Token})
		expect(t, r, 200, "")
		if !strings.HasPrefix(r.Header.Get("Content-Type"), "text/csv") {
			t.Fatalf("content-type %q", r.Header.Get("Content-Type"))
		}
		body := string(r.Body)
		if !strings.Contains(body, `"'=HYPERLINK(""http://evil"")"`) || !strings.Contains(body, ",10.00,USD,10.00,") {
			t.Fatalf("csv = %s", body)
		}
	})
}

// TestStatement renders a past month's PDF, checks its text against the
// ledger with pdftotext, and checks it is served from the blob store later.
func TestStatement(t *testing.T) {
	if _, err := exec.LookPath("pdftotext"); err != nil {
		t.Skip("pdftotext (poppler-utils) is not installed; make test installs it")
	}
	eachEngine(t, func(t *testing.T, e *env) {
		a, b := e.signUp("Alice"), e.signUp("Bob")
		aID, _ := e.firstAccount(a)
		_, bNum := e.firstAccount(b)
		start := e.clock.Now()
		month := start.Format("2006-01")
		e.depositTo(a, aID, "1234.56")
		expect(t, e.money(a, "/api/v1/transfers", map[string]any{"from_account_id": aID, "to_account_number": bNum, "amount": "34.56", "description": "Dinner"}, ""), 201, "")
		e.clock.Advance(40 * 24 * time.Hour) // the month is now in the past
		e.login(a)
		e.depositTo(a, aID, "1") // next month's entry must not appear
		r := e.do(req{Method: "GET", Path: "/api/v1/accounts/" + aID + "/statements/" + month + "?format=pdf", Token: a.Token})
		expect(t, r, 200, "")
		if r.Header.Get("Content-Type") != "application/pdf" {
			t.Fatalf("content type %q", r.Header.Get("Content-Type"))
		}
		path := filepath.Join(t.TempDir(), "s.pdf")
		if err := os.WriteFile(path, r.Body, 0o600); err != nil {
			t.Fatal(err)
		}
		out, err := exec.Command("pdftotext", "-layout", path, "-").Output()
		if err != nil {
			t.Fatalf("pdftotext: %v", err)
		}
		text := string(out)
		for _, want := range []string{"1,234.56", "34.56", "1,200.00", "Dinner"} {
			if !strings.Contains(text, want) {
				t.Errorf("statement text lacks %q:\n%s", want, text)
			}
		}
		if strings.Contains(text, "1,201.00") {
			t.Error("statement includes the next month's deposit")
		}
		again := e.do(req{Method: "GET", Path: "/api/v1/accounts/" + aID + "/statements/" + month + "?format=pdf", Token: a.Token})
		if string(again.Body) != string(r.Body) {
			t.Error("a past month's statement changed between requests; it should be served from the store")
		}
		csv := e.do(req{Method: "GET", Path: "/api/v1/accounts/" + aID + "/statements/" + month + "?format=csv", Token: a.Token})
		expect(t, csv, 200, "")
		if !strings.Contains(string(csv.Body), "-34.56") {
			t.Errorf("csv statement = %s", csv.Body)
		}
		expect(t, e.do(req{Method: "GET", Path: "/api/v1/accounts/" + aID + "/statements/2001-01", Token: a.Token}), 404, "not_found")
		expect(t, e.do(req{Method: "GET", Path: "/api/v1/accounts/" + aID + "/statements/2026-13", Token: a.Token}), 422, "invalid_parameter")
		expect(t, e.do(req{Method: "GET", Path: "/api/v1/accounts/" + aID + "/statements/" + month + "?format=doc", Token: a.Token}), 422, "invalid_parameter")
	})
}

// TestDoubleSpendHTTP: 20 concurrent transfers that each fit the balance
// alone, only one fits together: exactly one succeeds.
func TestDoubleSpendHTTP(t *testing.T) {
	eachEngine(t, func(t *testing.T, e *env) {
		a, b := e.signUp("Alice"), e.signUp("Bob")
		aID, _ := e.firstAccount(a)
		_, bNum := e.firstAccount(b)
		e.depositTo(a, aID, "100")
		var ok, refused atomic.Int64
		var wg sync.WaitGroup
		for i := 0; i < 20; i++ {
			wg.Add(1)
			go func() {
				defer wg.Done()
				r := e.money(a, "/api/v1/transfers", map[string]any{"from_account_id": aID, "to_account_number": bNum, "amount": "60"}, "")
				switch r.Status {
				case 201:
					ok.Add(1)
				case 422:
					refused.Add(1)
				default:
					t.Errorf("status %d: %s", r.Status, r.Body)
				}
			}()
		}
		wg.Wait()
		if ok.Load() != 1 || refused.Load() != 19 {
			t.Fatalf("%d succeeded, %d refused; want 1 and 19", ok.Load(), refused.Load())
		}
		if e.balanceOf(a, aID) != "40.00" {
			t.Fatal("wrong balance after the race")
		}
		e.verify()
	})
}

// TestBankUnderLoad is the bank test over HTTP on PostgreSQL: 6 customers
// with a USD and a EUR account, 24 concurrent clients doing random
// transfers and currency exchanges (quote, then exchange) for 10 s,
// retrying with the same idempotency key when a request fails in transit
// or is in progress. Afterwards money is conserved per currency (what was
// deposited, less what customers sold, plus what they bought; the bank's
// position accounts hold the difference), no balance is negative, every
// acknowledged transfer and exchange is in the ledger exactly once, and
// ledger verify passes.
func TestBankUnderLoad(t *testing.T) {
	if testing.Short() {
		t.Skip("long test")
	}
	db := storetest.Open(t, store.Postgres)
	e := newEnv(t, db)
	type cust struct {
		u       *user
		id, num string
		eur     string
	}
	var cs []cust
	for i := 0; i < 6; i++ {
		u := e.signUp(fmt.Sprintf("Customer%d", i))
		id, num := e.firstAccount(u)
		e.depositTo(u, id, "5000")
		eur := e.fxAccount(u, "savings", "EUR")
		e.depositTo(u, eur, "5000")
		cs = append(cs, cust{u, id, num, eur})
	}
	deadline := time.Now().Add(10 * time.Second)
	var mu sync.Mutex
	acked := map[string]string{} // transfer id → idempotency key
	// Net change of customer money per currency by acknowledged exchanges.
	exchanged := map[ledger.Currency]int64{}
	exchanges := map[string]bool{}
	var replays, refusals atomic.Int64
	// exchange sells a random amount of one of c's currencies for the other
	// and records what an acknowledged exchange moved.
	exchange := func(r *rand.Rand, c cust) {
		from, to := c.id, c.eur
		if r.IntN(2) == 0 {
			from, to = to, from
		}
		q := e.do(req{Method: "POST", Path: "/api/v1/fx/quotes", Token: c.u.Token, Body: map[string]any{"from_account_id": from, "to_account_id": to,
			"sell_amount": fmt.Sprintf("%d.%02d", r.IntN(300), r.IntN(100)+1)}})
		if q.Status == 422 {
			refusals.Add(1) // insufficient funds, or an amount that buys nothing
			return
		}
		if q.Status != 201 {
			t.Errorf("quote: %d %s", q.Status, q.Body)
			return
		}
		key := uuid.NewString()
		for attempt := 0; attempt < 20; attempt++ {
			resp := e.fxExchangeRaw(c.u, quoteOf(t, q)["id"].(string), key)
			if resp.Status == 409 && resp.JSON(t)["code"] == "idempotency_key_in_progress" {
				time.Sleep(5 * time.Millisecond)
				continue
			}
			switch resp.Status {
			case 201:
				x := resp.JSON(t)["exchange"].(map[string]any)
				mu.Lock()
				if exchanges[x["id"].(string)] {
					t.Errorf("exchange %s acknowledged twice", x["id"])
				}
				exchanges[x["id"].(string)] = true
				exchanged[ledger.Currency(x["sell_currency"].(string))] -= minor(t, x["sell_amount"])
				exchanged[ledger.Currency(x["buy_currency"].(string))] += minor(t, x["buy_amount"])
				mu.Unlock()
				if r.IntN(4) == 0 {
					again := e.fxExchangeRaw(c.u, quoteOf(t, q)["id"].(string), key)
					if again.Status != 201 || again.Header.Get("Idempotent-Replayed") != "true" || again.JSON(t)["exchange"].(map[string]any)["id"] != x["id"] {
						t.Errorf("replay of exchange %s: %d %s", x["id"], again.Status, again.Body)
					}
					replays.Add(1)
				}
			case 422:
				refusals.Add(1)
			default:
				t.Errorf("exchange: %d %s", resp.Status, resp.Body)
			}
			return
		}
	}
	var wg sync.WaitGroup
	for w := 0; w < 24; w++ {
		wg.Add(1)
		go func(seed uint64) {
			defer wg.Done()
			r := rand.New(rand.NewPCG(seed, 7))
			for time.Now().Before(deadline) {
				if r.IntN(3) == 0 {
					exchange(r, cs[r.IntN(len(cs))])
					continue
				}
				from, to := cs[r.IntN(len(cs))], cs[r.IntN(len(cs))]
				if from.id == to.id {
					continue
				}
				key := uuid.NewString()
				body := map[string]any{"from_account_id": from.id, "to_account_number": to.num, "amount": fmt.Sprintf("%d.%02d", r.IntN(300), r.IntN(100)+1)}
				for attempt := 0; attempt < 20; attempt++ {
					resp := e.money(from.u, "/api/v1/transfers", body, key)
					if resp.Status == 409 {
						time.Sleep(5 * time.Millisecond)
						continue
					}
					if resp.Status == 201 {
						id := resp.JSON(t)["transfer"].(map[string]any)["id"].(string)
						mu.Lock()
						if prev, dup := acked[id]; dup && prev != key {
							t.Errorf("transfer %s acknowledged for two keys", id)
						}
						acked[id] = key
						mu.Unlock()
						// Retry once more with the same key, as a client that lost the answer would.
						if r.IntN(4) == 0 {
							again := e.money(from.u, "/api/v1/transfers", body, key)
							if again.Status != 201 || again.Header.Get("Idempotent-Replayed") != "true" ||
								again.JSON(t)["transfer"].(map[string]any)["id"] != id {
								t.Errorf("replay of %s: %d %s", id, again.Status, again.Body)
							}
							replays.Add(1)
						}
					} else if resp.Status == 422 {
						refusals.Add(1)
					} else {
						t.Errorf("transfer: %d %s", resp.Status, resp.Body)
					}
					break
				}
			}
		}(uint64(w))
	}
	wg.Wait()
	ctx := context.Background()
	positions, err := db.FXPositions(ctx)
	if err != nil {
		t.Fatal(err)
	}
	for _, cur := range []ledger.Currency{ledger.USD, ledger.EUR} {
		total, err := db.TotalBalance(ctx, cur, true)
		if want := 6*5000_00 + exchanged[cur]; err != nil || total != want {
			t.Fatalf("customer %s = %d, %v; want %d deposited %+d exchanged", cur, total, err, 6*5000_00, exchanged[cur])
		}
		for _, p := range positions {
			if p.Currency == cur && p.Balance != -exchanged[cur] {
				t.Fatalf("the bank's %s position is %d, want %d", cur, p.Balance, -exchanged[cur])
			}
		}
		if all, err := db.TotalBalance(ctx, cur, false); err != nil || all != 0 {
			t.Fatalf("every %s account together = %d, %v; want 0", cur, all, err)
		}
	}
	for _, c := range cs {
		if strings.HasPrefix(e.balanceOf(c.u, c.id), "-") || strings.HasPrefix(e.balanceOf(c.u, c.eur), "-") {
			t.Fatal("a balance went negative")
		}
	}
	rep, err := db.VerifyLedger(ctx)
	if err != nil || !rep.OK {
		t.Fatalf("verify: %+v %v", rep, err)
	}
	if want := len(acked) + len(exchanges) + 12; rep.TransfersChecked != want {
		t.Fatalf("ledger has %d transfers, acknowledged %d transfers + %d exchanges + 12 deposits", rep.TransfersChecked, len(acked), len(exchanges))
	}
	// The invariants above hold trivially if nothing moved (every attempt
	// refused as in progress, say): demand real traffic.
	if len(acked) < 24 {
		t.Fatalf("only %d transfers acknowledged by 24 workers in 10 s: the load did not happen", len(acked))
	}
	if len(exchanges) == 0 {
		t.Fatal("no exchange was acknowledged")
	}
	t.Logf("%d transfers and %d exchanges acknowledged, %d replays, %d refused", len(acked), len(exchanges), replays.Load(), refusals.Load())
}
