package api_test

import (
	"fmt"
	"math/big"
	"net/http"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/google/uuid"
	"github.com/shopspring/decimal"

	"github.com/bankapp/bankapp/internal/config"
	"github.com/bankapp/bankapp/internal/fx"
)

// The expected amounts in these tests are computed here with math/big from
// the rates the API publishes, independently of internal/fx.

// fxAccount opens an account of the type and currency for u through the API.
func (e *env) fxAccount(u *user, typ, cur string) string {
	e.t.Helper()
	r := e.vdo(req{Method: "POST", Path: "/api/v1/accounts", Token: u.Token, Body: map[string]any{"type": typ, "currency": cur}})
	expect(e.t, r, http.StatusCreated, "")
	return r.JSON(e.t)["account"].(map[string]any)["id"].(string)
}

func (e *env) fxQuote(u *user, body map[string]any) response {
	e.t.Helper()
	return e.vdo(req{Method: "POST", Path: "/api/v1/fx/quotes", Token: u.Token, Body: body})
}

func (e *env) fxExchange(u *user, quoteID, key string) response {
	e.t.Helper()
	if key == "" {
		key = uuid.NewString()
	}
	return e.vdo(req{Method: "POST", Path: "/api/v1/fx/exchanges", Token: u.Token, Body: map[string]any{"quote_id": quoteID},
		Headers: map[string]string{"Idempotency-Key": key}})
}

// fxMid is the mid-market rate from → to that GET /fx/rates publishes.
func (e *env) fxMid(u *user, from, to string) *big.Rat {
	e.t.Helper()
	r := e.vdo(req{Method: "GET", Path: "/api/v1/fx/rates?base=" + from, Token: u.Token})
	expect(e.t, r, http.StatusOK, "")
	return rat(e.t, r.JSON(e.t)["rates"].(map[string]any)[to].(string))
}

func quoteOf(t *testing.T, r response) map[string]any {
	t.Helper()
	return r.JSON(t)["quote"].(map[string]any)
}

func rat(t testing.TB, s string) *big.Rat {
	t.Helper()
	r, ok := new(big.Rat).SetString(s)
	if !ok || strings.ContainsAny(s, "eE/") {
		t.Fatalf("%q is not a decimal", s)
	}
	return r
}

func ratOfMinor(m int64) *big.Rat { return big.NewRat(m, 100) }

// floorMinor and ceilMinor round r (in major units) to minor units.
func floorMinor(r *big.Rat) int64 {
	n := new(big.Int).Mul(r.Num(), big.NewInt(100))
	q := new(big.Int).Div(n, r.Denom()) // Euclidean: the floor, for a positive divisor
	return q.Int64()
}

func ceilMinor(r *big.Rat) int64 {
	n := new(big.Int).Mul(r.Num(), big.NewInt(100))
	q, m := new(big.Int).DivMod(n, r.Denom(), new(big.Int))
	if m.Sign() != 0 {
		q.Add(q, big.NewInt(1))
	}
	return q.Int64()
}

// customerRate is mid × (1 − bps/10000) rounded down to 6 decimals.
func customerRate(mid *big.Rat, bps int) *big.Rat {
	r := new(big.Rat).Mul(mid, big.NewRat(int64(10_000-bps), 10_000))
	n := new(big.Int).Mul(r.Num(), big.NewInt(1_000_000))
	q := new(big.Int).Div(n, r.Denom())
	return new(big.Rat).SetFrac(q, big.NewInt(1_000_000))
}

// checkQuote checks a quote (or exchange) against the contract's rounding,
// recomputed here: the rate is mid less the spread rounded down; by sell,
// buy = ⌊sell × rate⌋; by buy, sell = ⌈buy ÷ rate⌉; the fee is
// sell − ⌈buy ÷ mid⌉ in the sell currency; and the customer never gets
// more than the rate, or mid, gives.
func checkQuote(t *testing.T, q map[string]any, by string, mid *big.Rat, bps int) {
	t.Helper()
	sell, buy := minor(t, q["sell_amount"]), minor(t, q["buy_amount"])
	rate := rat(t, q["rate"].(string))
	if len(strings.SplitN(q["rate"].(string), ".", 2)[1]) != 6 {
		t.Errorf("rate %v does not have 6 decimals", q["rate"])
	}
	if got := rat(t, q["mid_rate"].(string)); got.Cmp(mid) != 0 {
		t.Errorf("mid_rate %v, but GET /fx/rates says %s", q["mid_rate"], mid.FloatString(6))
	}
	if want := customerRate(mid, bps); rate.Cmp(want) != 0 {
		t.Errorf("rate %v, want mid %s less %d bps rounded down = %s", q["rate"], mid.FloatString(6), bps, want.FloatString(6))
	}
	switch by {
	case "sell":
		if want := floorMinor(new(big.Rat).Mul(ratOfMinor(sell), rate)); buy != want {
			t.Errorf("sell %d at %v buys %d, want ⌊sell × rate⌋ = %d", sell, q["rate"], buy, want)
		}
	case "buy":
		if want := ceilMinor(new(big.Rat).Quo(ratOfMinor(buy), rate)); sell != want {
			t.Errorf("buy %d at %v costs %d, want ⌈buy ÷ rate⌉ = %d", buy, q["rate"], sell, want)
		}
	}
	// Never in the customer's favour: what was bought is worth at most what
	// was sold, at the customer rate and at mid.
	if new(big.Rat).Mul(ratOfMinor(sell), rate).Cmp(ratOfMinor(buy)) < 0 {
		t.Errorf("buy %d exceeds sell %d × rate %v", buy, sell, q["rate"])
	}
	if new(big.Rat).Mul(ratOfMinor(sell), mid).Cmp(ratOfMinor(buy)) < 0 {
		t.Errorf("buy %d exceeds sell %d × mid", buy, sell)
	}
	if want := sell - ceilMinor(new(big.Rat).Quo(ratOfMinor(buy), mid)); minor(t, q["fee"]) != want || want < 0 {
		t.Errorf("fee %v, want sell − ⌈buy ÷ mid⌉ = %d", q["fee"], want)
	}
	if q["fee_currency"] != q["sell_currency"] {
		t.Errorf("fee_currency %v, want the sell currency %v", q["fee_currency"], q["sell_currency"])
	}
}

func TestFXRates(t *testing.T) {
	eachEngine(t, func(t *testing.T, e *env) {
		u := e.signUp("Rita")
		r := e.vdo(req{Method: "GET", Path: "/api/v1/fx/rates", Token: u.Token})
		expect(t, r, http.StatusOK, "")
		m := r.JSON(t)
		rates := m["rates"].(map[string]any)
		if m["base"] != "USD" || m["source"] != "simulated" || len(rates) != 2 || rates["EUR"] == nil || rates["GBP"] == nil {
			t.Fatalf("rates = %s", r.Body)
		}
		for _, base := range []string{"EUR", "GBP"} {
			r := e.vdo(req{Method: "GET", Path: "/api/v1/fx/rates?base=" + base, Token: u.Token})
			expect(t, r, http.StatusOK, "")
			if rs := r.JSON(t)["rates"].(map[string]any); len(rs) != 2 || rs[base] != nil || rs["USD"] == nil {
				t.Fatalf("rates from %s = %s", base, r.Body)
			}
		}
		// Each direction is its own rate, not the rounded inverse of the other.
		usdEur, eurUsd := e.fxMid(u, "USD", "EUR"), e.fxMid(u, "EUR", "USD")
		if p := new(big.Rat).Mul(usdEur, eurUsd); p.Cmp(big.NewRat(99_999, 100_000)) < 0 || p.Cmp(big.NewRat(100_001, 100_000)) > 0 {
			t.Fatalf("USD→EUR %s × EUR→USD %s = %s, not ≈ 1", usdEur.FloatString(6), eurUsd.FloatString(6), p.FloatString(8))
		}
		for _, bad := range []string{"JPY", "usd", "EURO", "%00"} {
			expect(t, e.vdo(req{Method: "GET", Path: "/api/v1/fx/rates?base=" + bad, Token: u.Token}), http.StatusUnprocessableEntity, "invalid_parameter")
		}
		expect(t, e.vdo(req{Method: "GET", Path: "/api/v1/fx/rates"}), http.StatusUnauthorized, "unauthorized")
	})
}

// TestFXQuoteAndExchange walks every row of the contract's table for
// quotes and exchanges.
func TestFXQuoteAndExchange(t *testing.T) {
	eachEngine(t, func(t *testing.T, e *env) {
		a, b := e.signUp("Alice"), e.signUp("Mallory")
		usd, _ := e.firstAccount(a)
		eur := e.fxAccount(a, "savings", "EUR")
		gbp := e.fxAccount(a, "checking", "GBP")
		usd2 := e.fxAccount(a, "savings", "USD")
		bUSD, _ := e.firstAccount(b)
		bEUR := e.fxAccount(b, "checking", "EUR")
		e.depositTo(a, usd, "500.00")
		e.depositTo(b, bUSD, "500.00")
		bps := e.cfg.FXSpread.BPS()
		mid := e.fxMid(a, "USD", "EUR")

		// By sell amount.
		r := e.fxQuote(a, map[string]any{"from_account_id": usd, "to_account_id": eur, "sell_amount": "100"})
		expect(t, r, http.StatusCreated, "")
		q := quoteOf(t, r)
		if q["from_account_id"] != usd || q["to_account_id"] != eur || q["sell_amount"] != "100.00" || q["sell_currency"] != "USD" ||
			q["buy_currency"] != "EUR" || q["fee_currency"] != "USD" {
			t.Fatalf("quote = %v", q)
		}
		checkQuote(t, q, "sell", mid, bps)
		created, err1 := time.Parse(time.RFC3339, q["created_at"].(string))
		expires, err2 := time.Parse(time.RFC3339, q["expires_at"].(string))
		if err1 != nil || err2 != nil || expires.Sub(created) != 30*time.Second {
			t.Fatalf("quote holds from %v to %v, want 30 s", q["created_at"], q["expires_at"])
		}
		if e.balanceOf(a, usd) != "500.00" || e.balanceOf(a, eur) != "0.00" {
			t.Fatal("a quote moved money")
		}

		// By buy amount.
		r = e.fxQuote(a, map[string]any{"from_account_id": usd, "to_account_id": eur, "buy_amount": "50.00"})
		expect(t, r, http.StatusCreated, "")
		qb := quoteOf(t, r)
		if qb["buy_amount"] != "50.00" {
			t.Fatalf("quote by buy = %v", qb)
		}
		checkQuote(t, qb, "buy", mid, bps)

		// The quote's refusals.
		missing := uuid.NewString()
		for name, body := range map[string]map[string]any{
			"another user's from account": {"from_account_id": bUSD, "to_account_id": eur, "sell_amount": "1"},
			"another user's to account":   {"from_account_id": usd, "to_account_id": bEUR, "sell_amount": "1"},
			"a missing account":           {"from_account_id": usd, "to_account_id": missing, "sell_amount": "1"},
		} {
			t.Run(name, func(t *testing.T) {
				expect(t, e.fxQuote(a, body), http.StatusNotFound, "not_found")
			})
		}
		expect(t, e.fxQuote(a, map[string]any{"from_account_id": usd, "to_account_id": usd2, "sell_amount": "1"}), http.StatusUnprocessableEntity, "same_currency")
		expect(t, e.fxQuote(a, map[string]any{"from_account_id": usd, "to_account_id": usd, "sell_amount": "1"}), http.StatusUnprocessableEntity, "same_currency")
		for _, bad := range []any{"0", "-1", "1.001", "abc", "1e3", 12.5, "1000000000.01", ""} {
			expect(t, e.fxQuote(a, map[string]any{"from_account_id": usd, "to_account_id": eur, "sell_amount": bad}), http.StatusUnprocessableEntity, "invalid_amount")
			expect(t, e.fxQuote(a, map[string]any{"from_account_id": usd, "to_account_id": eur, "buy_amount": bad}), http.StatusUnprocessableEntity, "invalid_amount")
		}
		// 0.01 USD buys about 0.0079 GBP: nothing.
		expect(t, e.fxQuote(a, map[string]any{"from_account_id": usd, "to_account_id": gbp, "sell_amount": "0.01"}), http.StatusUnprocessableEntity, "invalid_amount")
		expect(t, e.fxQuote(a, map[string]any{"from_account_id": usd, "to_account_id": eur}), http.StatusUnprocessableEntity, "validation_failed")
		expect(t, e.fxQuote(a, map[string]any{"from_account_id": usd, "to_account_id": eur, "sell_amount": "1", "buy_amount": "1"}), http.StatusUnprocessableEntity, "validation_failed")
		expect(t, e.fxQuote(a, map[string]any{"to_account_id": eur, "sell_amount": "1"}), http.StatusUnprocessableEntity, "validation_failed")
		expect(t, e.fxQuote(a, map[string]any{"from_account_id": usd, "to_account_id": eur, "sell_amount": "1", "rate": "2.0"}), http.StatusBadRequest, "invalid_json")
		// Funds are checked when quoting (and again when exchanging).
		expect(t, e.fxQuote(a, map[string]any{"from_account_id": usd, "to_account_id": eur, "sell_amount": "500.01"}), http.StatusUnprocessableEntity, "insufficient_funds")
		expect(t, e.fxQuote(a, map[string]any{"from_account_id": usd, "to_account_id": eur, "buy_amount": "600.00"}), http.StatusUnprocessableEntity, "insufficient_funds")
		expect(t, e.fxQuote(a, map[string]any{"from_account_id": gbp, "to_account_id": eur, "sell_amount": "1"}), http.StatusUnprocessableEntity, "insufficient_funds")

		// The exchange: an Idempotency-Key is required.
		expect(t, e.vdo(req{Method: "POST", Path: "/api/v1/fx/exchanges", Token: a.Token, Body: map[string]any{"quote_id": q["id"]}}),
			http.StatusBadRequest, "idempotency_key_required")
		key := uuid.NewString()
		r = e.fxExchange(a, q["id"].(string), key)
		expect(t, r, http.StatusCreated, "")
		x := r.JSON(t)["exchange"].(map[string]any)
		for _, f := range []string{"from_account_id", "to_account_id", "sell_amount", "sell_currency", "buy_amount", "buy_currency", "rate", "mid_rate", "fee", "fee_currency"} {
			if x[f] != q[f] {
				t.Errorf("exchange %s = %v, quoted %v", f, x[f], q[f])
			}
		}
		if x["quote_id"] != q["id"] {
			t.Fatalf("exchange = %v", x)
		}
		buy := minor(t, q["buy_amount"])
		if e.balanceOf(a, usd) != "400.00" || minor(t, e.balanceOf(a, eur)) != buy {
			t.Fatalf("balances %s USD, %s EUR after selling 100.00 USD for %v EUR", e.balanceOf(a, usd), e.balanceOf(a, eur), q["buy_amount"])
		}
		// The same key again: the same answer, nothing applied twice.
		again := e.fxExchange(a, q["id"].(string), key)
		expect(t, again, http.StatusCreated, "")
		if again.Header.Get("Idempotent-Replayed") != "true" || string(again.Body) != string(r.Body) {
			t.Fatalf("replay: %q %s", again.Header.Get("Idempotent-Replayed"), again.Body)
		}
		expect(t, e.fxExchange(a, qb["id"].(string), key), http.StatusUnprocessableEntity, "idempotency_key_reused")
		// A new key for a used quote.
		expect(t, e.fxExchange(a, q["id"].(string), ""), http.StatusConflict, "quote_used")
		if e.balanceOf(a, usd) != "400.00" {
			t.Fatal("a replay or a used quote moved money")
		}
		// Unknown, and another user's, quotes.
		expect(t, e.fxExchange(a, uuid.NewString(), ""), http.StatusNotFound, "not_found")
		expect(t, e.fxExchange(a, "not-a-uuid", ""), http.StatusNotFound, "not_found")
		expect(t, e.fxExchange(b, qb["id"].(string), ""), http.StatusNotFound, "not_found")
		expect(t, e.vdo(req{Method: "POST", Path: "/api/v1/fx/exchanges", Token: a.Token, Body: map[string]any{},
			Headers: map[string]string{"Idempotency-Key": uuid.NewString()}}), http.StatusUnprocessableEntity, "validation_failed")

		// History: one entry on each side, exchange_out and exchange_in,
		// the other own account as the counterparty; the transfer is kind
		// exchange.
		hr := e.vdo(req{Method: "GET", Path: "/api/v1/accounts/" + usd + "/transactions?type=exchange_out", Token: a.Token})
		expect(t, hr, http.StatusOK, "")
		items := hr.JSON(t)["items"].([]any)
		eurNum := e.accountNumber(a, eur)
		if len(items) != 1 || items[0].(map[string]any)["amount"] != "-100.00" || items[0].(map[string]any)["transfer_id"] != x["id"] ||
			items[0].(map[string]any)["counterparty"].(map[string]any)["account_number"] != eurNum {
			t.Fatalf("exchange_out entries = %s", hr.Body)
		}
		hr = e.vdo(req{Method: "GET", Path: "/api/v1/accounts/" + eur + "/transactions", Token: a.Token})
		items = hr.JSON(t)["items"].([]any)
		if len(items) != 1 || items[0].(map[string]any)["kind"] != "exchange_in" || minor(t, items[0].(map[string]any)["amount"]) != buy ||
			minor(t, items[0].(map[string]any)["balance_after"]) != buy {
			t.Fatalf("EUR history = %s", hr.Body)
		}
		tr := e.vdo(req{Method: "GET", Path: "/api/v1/transfers/" + x["id"].(string), Token: a.Token})
		expect(t, tr, http.StatusOK, "")
		if v := tr.JSON(t)["transfer"].(map[string]any); v["kind"] != "exchange" || v["amount"] != "100.00" || v["currency"] != "USD" ||
			v["from_account_id"] != usd || v["to_account_id"] != eur {
			t.Fatalf("exchange as a transfer = %v", v)
		}
		expect(t, e.vdo(req{Method: "GET", Path: "/api/v1/transfers/" + x["id"].(string), Token: b.Token}), http.StatusNotFound, "not_found")
		e.verify()

		// Expired: the quote holds 30 s and no longer.
		r = e.fxQuote(a, map[string]any{"from_account_id": usd, "to_account_id": gbp, "sell_amount": "10"})
		expect(t, r, http.StatusCreated, "")
		late := quoteOf(t, r)["id"].(string)
		r = e.fxQuote(a, map[string]any{"from_account_id": usd, "to_account_id": gbp, "sell_amount": "10"})
		inTime := quoteOf(t, r)["id"].(string)
		e.clock.Advance(29 * time.Second)
		expect(t, e.fxExchange(a, inTime, ""), http.StatusCreated, "")
		e.clock.Advance(time.Second)
		expect(t, e.fxExchange(a, late, ""), http.StatusGone, "quote_expired")
		if e.balanceOf(a, usd) != "390.00" {
			t.Fatalf("USD balance %s after one 10.00 exchange of two", e.balanceOf(a, usd))
		}

		// Funds are checked again when exchanging: two quotes of 300.00
		// from 390.00, the second fails.
		var ids []string
		for range 2 {
			r := e.fxQuote(a, map[string]any{"from_account_id": usd, "to_account_id": eur, "sell_amount": "300"})
			expect(t, r, http.StatusCreated, "")
			ids = append(ids, quoteOf(t, r)["id"].(string))
		}
		expect(t, e.fxExchange(a, ids[0], ""), http.StatusCreated, "")
		expect(t, e.fxExchange(a, ids[1], ""), http.StatusUnprocessableEntity, "insufficient_funds")
		if e.balanceOf(a, usd) != "90.00" {
			t.Fatalf("USD balance %s", e.balanceOf(a, usd))
		}

		// Frozen: a frozen account cannot sell (at quote or exchange), but
		// can be bought into.
		admin := e.signUp("Admin")
		e.makeAdmin(admin)
		e.login(a)
		e.login(b)
		r = e.fxQuote(a, map[string]any{"from_account_id": usd, "to_account_id": eur, "sell_amount": "10"})
		expect(t, r, http.StatusCreated, "")
		frozenQuote := quoteOf(t, r)["id"].(string)
		expect(t, e.vdo(req{Method: "POST", Path: "/api/v1/admin/accounts/" + usd + "/freeze", Token: admin.Token}), http.StatusOK, "")
		expect(t, e.fxExchange(a, frozenQuote, ""), http.StatusLocked, "account_frozen")
		expect(t, e.fxQuote(a, map[string]any{"from_account_id": usd, "to_account_id": eur, "sell_amount": "10"}), http.StatusLocked, "account_frozen")
		r = e.fxQuote(a, map[string]any{"from_account_id": eur, "to_account_id": usd, "sell_amount": "10"})
		expect(t, r, http.StatusCreated, "")
		expect(t, e.fxExchange(a, quoteOf(t, r)["id"].(string), ""), http.StatusCreated, "")
		expect(t, e.vdo(req{Method: "POST", Path: "/api/v1/admin/accounts/" + usd + "/unfreeze", Token: admin.Token}), http.StatusOK, "")
		expect(t, e.fxExchange(a, frozenQuote, ""), http.StatusCreated, "")

		// A closed account takes no exchange.
		empty := e.fxAccount(a, "savings", "GBP")
		expect(t, e.vdo(req{Method: "DELETE", Path: "/api/v1/accounts/" + empty, Token: a.Token}), http.StatusOK, "")
		expect(t, e.fxQuote(a, map[string]any{"from_account_id": usd, "to_account_id": empty, "sell_amount": "1"}), http.StatusUnprocessableEntity, "account_closed")
		e.verify()
	})
}

// accountNumber is the number of one of u's accounts.
func (e *env) accountNumber(u *user, id string) string {
	e.t.Helper()
	r := e.do(req{Method: "GET", Path: "/api/v1/accounts/" + id, Token: u.Token})
	expect(e.t, r, http.StatusOK, "")
	return r.JSON(e.t)["account"].(map[string]any)["number"].(string)
}

// TestFXExchangeLimit: exchanges count toward the daily limit on money
// sent, together with transfers, in the sell currency.
func TestFXExchangeLimit(t *testing.T) {
	eachEngine(t, func(t *testing.T, e *env) {
		a, b := e.signUp("Alice"), e.signUp("Bob")
		usd, _ := e.firstAccount(a)
		eur := e.fxAccount(a, "savings", "EUR")
		_, bNum := e.firstAccount(b)
		e.depositTo(a, usd, "10000")
		e.depositTo(a, usd, "10000")
		e.depositTo(a, usd, "5000")
		for range 2 {
			e.clock.Advance(24 * time.Hour)
			e.login(a)
			for _, amt := range []string{"10000", "10000", "5000"} {
				e.depositTo(a, usd, amt)
			}
		}
		expect(t, e.money(a, "/api/v1/transfers", map[string]any{"from_account_id": usd, "to_account_number": bNum, "amount": "49990"}, ""), http.StatusCreated, "")
		expect(t, e.fxQuote(a, map[string]any{"from_account_id": usd, "to_account_id": eur, "sell_amount": "10.01"}), http.StatusUnprocessableEntity, "limit_exceeded")
		r := e.fxQuote(a, map[string]any{"from_account_id": usd, "to_account_id": eur, "sell_amount": "10.00"})
		expect(t, r, http.StatusCreated, "")
		q := quoteOf(t, r)["id"].(string)
		// A transfer of the last cent between quote and exchange: the limit
		// is checked again when exchanging.
		r = e.fxQuote(a, map[string]any{"from_account_id": usd, "to_account_id": eur, "sell_amount": "9.99"})
		expect(t, r, http.StatusCreated, "")
		expect(t, e.fxExchange(a, q, ""), http.StatusCreated, "")
		expect(t, e.fxExchange(a, quoteOf(t, r)["id"].(string), ""), http.StatusUnprocessableEntity, "limit_exceeded")
		// The exchange counted as money sent: no more transfers today.
		expect(t, e.money(a, "/api/v1/transfers", map[string]any{"from_account_id": usd, "to_account_number": bNum, "amount": "0.01"}, ""), http.StatusUnprocessableEntity, "limit_exceeded")
		// Another currency's limit is its own.
		r = e.fxQuote(a, map[string]any{"from_account_id": eur, "to_account_id": usd, "sell_amount": "1.00"})
		expect(t, r, http.StatusCreated, "")
		expect(t, e.fxExchange(a, quoteOf(t, r)["id"].(string), ""), http.StatusCreated, "")
		// A new day.
		e.clock.Advance(24 * time.Hour)
		e.login(a)
		r = e.fxQuote(a, map[string]any{"from_account_id": usd, "to_account_id": eur, "sell_amount": "10.01"})
		expect(t, r, http.StatusCreated, "")
		expect(t, e.fxExchange(a, quoteOf(t, r)["id"].(string), ""), http.StatusCreated, "")
		e.verify()
	})
}

// TestFXConcurrentExchanges: 10 exchanges of 100.00 from a 500.00 balance
// at once fill exactly 5; the balance never goes below zero.
func TestFXConcurrentExchanges(t *testing.T) {
	eachEngine(t, func(t *testing.T, e *env) {
		a := e.signUp("Alice")
		usd, _ := e.firstAccount(a)
		eur := e.fxAccount(a, "savings", "EUR")
		e.depositTo(a, usd, "500.00")
		var ids []string
		var buy int64
		for range 10 {
			r := e.fxQuote(a, map[string]any{"from_account_id": usd, "to_account_id": eur, "sell_amount": "100.00"})
			expect(t, r, http.StatusCreated, "")
			q := quoteOf(t, r)
			ids = append(ids, q["id"].(string))
			if buy == 0 {
				buy = minor(t, q["buy_amount"])
			} else if minor(t, q["buy_amount"]) != buy {
				t.Fatal("quotes at the same instant differ")
			}
		}
		statuses := make([]response, len(ids))
		var wg sync.WaitGroup
		start := make(chan struct{})
		for i, id := range ids {
			wg.Add(1)
			go func() {
				defer wg.Done()
				<-start
				statuses[i] = e.do(req{Method: "POST", Path: "/api/v1/fx/exchanges", Token: a.Token, Body: map[string]any{"quote_id": id},
					Headers: map[string]string{"Idempotency-Key": uuid.NewString()}})
			}()
		}
		close(start)
		wg.Wait()
		filled, refused := 0, 0
		for _, r := range statuses {
			checkResponse(t, req{Method: "POST", Path: "/api/v1/fx/exchanges"}, r)
			switch r.Status {
			case http.StatusCreated:
				filled++
			case http.StatusUnprocessableEntity:
				expect(t, r, http.StatusUnprocessableEntity, "insufficient_funds")
				refused++
			default:
				t.Errorf("exchange: %d %s", r.Status, r.Body)
			}
		}
		if filled != 5 || refused != 5 {
			t.Fatalf("%d filled, %d refused; want 5 and 5", filled, refused)
		}
		if e.balanceOf(a, usd) != "0.00" || minor(t, e.balanceOf(a, eur)) != 5*buy {
			t.Fatalf("balances %s USD, %s EUR; want 0.00 and 5 × %d", e.balanceOf(a, usd), e.balanceOf(a, eur), buy)
		}
		hr := e.vdo(req{Method: "GET", Path: "/api/v1/accounts/" + usd + "/transactions?limit=200", Token: a.Token})
		for _, it := range hr.JSON(t)["items"].([]any) {
			if strings.HasPrefix(it.(map[string]any)["balance_after"].(string), "-") {
				t.Fatalf("the balance went negative: %v", it)
			}
		}
		e.verify()
	})
}

// TestFXRounding: odd amounts in every pair, by sell and by buy, are
// rounded exactly as the contract says and never in the customer's favour;
// the exchanges that execute move exactly the quoted amounts. It runs with
// the default spread (50 bps) and with a spread of 137 bps.
func TestFXRounding(t *testing.T) {
	for _, bps := range []int{0, 137} { // 0: the configuration's default
		t.Run(fmt.Sprintf("spread=%d", bps), func(t *testing.T) {
			eachEngine(t, func(t *testing.T, e *env) {
				u := e.signUp("Odd")
				accts := map[string]string{}
				accts["USD"], _ = e.firstAccount(u)
				accts["EUR"] = e.fxAccount(u, "checking", "EUR")
				accts["GBP"] = e.fxAccount(u, "checking", "GBP")
				for _, id := range accts {
					e.depositTo(u, id, "1000.00")
				}
				want := map[string]int64{"USD": 1000_00, "EUR": 1000_00, "GBP": 1000_00}
				spread := e.cfg.FXSpread.BPS()
				wantBPS := fx.DefaultSpreadBPS
				if bps != 0 {
					wantBPS = bps
				}
				if spread != wantBPS {
					t.Fatalf("the server runs with a spread of %d bps, want %d", spread, wantBPS)
				}
				refusedSmall := 0
				for _, pair := range [][2]string{{"USD", "EUR"}, {"EUR", "USD"}, {"USD", "GBP"}, {"GBP", "USD"}, {"EUR", "GBP"}, {"GBP", "EUR"}} {
					mid := e.fxMid(u, pair[0], pair[1])
					for _, amt := range []string{"0.01", "0.03", "1.07", "33.33"} {
						for _, by := range []string{"sell", "buy"} {
							name := fmt.Sprintf("%s %s %s→%s", by, amt, pair[0], pair[1])
							r := e.fxQuote(u, map[string]any{"from_account_id": accts[pair[0]], "to_account_id": accts[pair[1]], by + "_amount": amt})
							if by == "sell" && floorMinor(new(big.Rat).Mul(rat(t, amt), customerRate(mid, spread))) == 0 {
								// It buys less than a cent: refused, not rounded up.
								expect(t, r, http.StatusUnprocessableEntity, "invalid_amount")
								refusedSmall++
								continue
							}
							expect(t, r, http.StatusCreated, "")
							q := quoteOf(t, r)
							if q[by+"_amount"] != amt {
								t.Fatalf("%s: quote %v", name, q)
							}
							checkQuote(t, q, by, mid, spread)
							if t.Failed() {
								t.Fatalf("%s: %v", name, q)
							}
							x := e.fxExchange(u, q["id"].(string), "")
							expect(t, x, http.StatusCreated, "")
							want[pair[0]] -= minor(t, q["sell_amount"])
							want[pair[1]] += minor(t, q["buy_amount"])
						}
					}
				}
				if refusedSmall == 0 {
					t.Fatal("no amount was too small to exchange; the test lost its edge case")
				}
				for cur, id := range accts {
					if got := minor(t, e.balanceOf(u, id)); got != want[cur] {
						t.Errorf("%s balance %d, want %d", cur, got, want[cur])
					}
				}
				e.verify()
			}, func(c *config.Config) {
				if bps != 0 {
					c.FXSpread, _ = fx.NewSpread(bps)
				}
			})
		})
	}
}

// TestFXOverview values every account and holding in the base currency,
// which PATCH /me sets.
func TestFXOverview(t *testing.T) {
	eachEngine(t, func(t *testing.T, e *env) {
		u := e.signUp("Olga")
		usd, _ := e.firstAccount(u)
		eur := e.fxAccount(u, "savings", "EUR")
		gbp := e.fxAccount(u, "checking", "GBP")
		brk := e.fxAccount(u, "brokerage", "USD")
		closed := e.fxAccount(u, "savings", "GBP")
		expect(t, e.vdo(req{Method: "DELETE", Path: "/api/v1/accounts/" + closed, Token: u.Token}), http.StatusOK, "")
		e.depositTo(u, usd, "1000.00")
		e.depositTo(u, eur, "749.90")
		e.depositTo(u, gbp, "0.33")
		e.depositTo(u, brk, "500.00")
		r := e.invOrder(u, "", map[string]any{"account_id": brk, "symbol": "AAPL", "side": "buy", "quantity": "1.5"})
		expect(t, r, http.StatusCreated, "")
		price := e.invPrice(u, "AAPL")

		me := e.vdo(req{Method: "GET", Path: "/api/v1/me", Token: u.Token})
		if me.JSON(t)["user"].(map[string]any)["base_currency"] != "USD" {
			t.Fatalf("default base currency: %s", me.Body)
		}
		for _, base := range []string{"USD", "EUR", "GBP"} {
			if base != "USD" {
				r := e.vdo(req{Method: "PATCH", Path: "/api/v1/me", Token: u.Token, Body: map[string]any{"base_currency": base}})
				expect(t, r, http.StatusOK, "")
				if r.JSON(t)["user"].(map[string]any)["base_currency"] != base || r.JSON(t)["user"].(map[string]any)["full_name"] != "Olga" {
					t.Fatalf("PATCH /me base_currency: %s", r.Body)
				}
			}
			r := e.vdo(req{Method: "GET", Path: "/api/v1/overview", Token: u.Token})
			expect(t, r, http.StatusOK, "")
			ov := r.JSON(t)
			if ov["base_currency"] != base {
				t.Fatalf("overview base %v, want %s", ov["base_currency"], base)
			}
			var cash int64
			accts := ov["accounts"].([]any)
			if len(accts) != 4 {
				t.Fatalf("overview lists %d accounts, want the 4 open ones: %s", len(accts), r.Body)
			}
			for _, it := range accts {
				a := it.(map[string]any)
				bal := rat(t, a["balance"].(string))
				want := bal
				if a["currency"] != base {
					want = new(big.Rat).Mul(bal, e.fxMid(u, a["currency"].(string), base))
				}
				if got := minor(t, a["value_in_base"]); got != halfEvenMinor(want) {
					t.Errorf("%s %v %v is %d in %s, want %d", a["account_id"], a["balance"], a["currency"], got, base, halfEvenMinor(want))
				}
				cash += minor(t, a["value_in_base"])
			}
			mv := rat(t, price.Mul(decimal.RequireFromString("1.5")).String())
			invWant := halfEvenMinor(mv)
			if base != "USD" {
				invWant = halfEvenMinor(new(big.Rat).Mul(ratOfMinor(invWant), e.fxMid(u, "USD", base)))
			}
			if minor(t, ov["cash"]) != cash || minor(t, ov["investments"]) != invWant || minor(t, ov["net_worth"]) != cash+invWant {
				t.Errorf("overview in %s: cash %v investments %v net worth %v; want %d, %d, %d", base, ov["cash"], ov["investments"], ov["net_worth"], cash, invWant, cash+invWant)
			}
			if _, err := time.Parse(time.RFC3339, ov["rates_as_of"].(string)); err != nil || ov["rates_stale"] != false {
				t.Errorf("rates_as_of %v stale %v", ov["rates_as_of"], ov["rates_stale"])
			}
		}
		// The portfolio without account_id follows the base currency too.
		if p := e.invPortfolio(u, ""); p["currency"] != "GBP" {
			t.Fatalf("portfolio in %v, want the base currency GBP", p["currency"])
		}
		for _, bad := range []any{"JPY", "gbp", "", 1} {
			r := e.vdo(req{Method: "PATCH", Path: "/api/v1/me", Token: u.Token, Body: map[string]any{"base_currency": bad}})
			if bad == 1 {
				expect(t, r, http.StatusBadRequest, "invalid_json")
				continue
			}
			expect(t, r, http.StatusUnprocessableEntity, "validation_failed")
		}
		expect(t, e.vdo(req{Method: "PATCH", Path: "/api/v1/me", Token: u.Token, Body: map[string]any{}}), http.StatusUnprocessableEntity, "validation_failed")
		r = e.vdo(req{Method: "PATCH", Path: "/api/v1/me", Token: u.Token, Body: map[string]any{"full_name": "Olga K", "base_currency": "EUR"}})
		expect(t, r, http.StatusOK, "")
		if m := r.JSON(t)["user"].(map[string]any); m["full_name"] != "Olga K" || m["base_currency"] != "EUR" {
			t.Fatalf("PATCH /me both: %s", r.Body)
		}
		other := e.signUp("Other")
		if ov := e.vdo(req{Method: "GET", Path: "/api/v1/overview", Token: other.Token}).JSON(t); ov["base_currency"] != "USD" || len(ov["accounts"].([]any)) != 1 {
			t.Fatalf("another user's overview = %v", ov)
		}
	})
}

// halfEvenMinor rounds r (major units) to minor units, ties to even.
func halfEvenMinor(r *big.Rat) int64 {
	x := new(big.Rat).Mul(r, big.NewRat(100, 1))
	fl := floorMinor(r)
	rem := new(big.Rat).Sub(x, big.NewRat(fl, 1))
	switch rem.Cmp(big.NewRat(1, 2)) {
	case 1:
		return fl + 1
	case 0:
		if fl%2 != 0 {
			return fl + 1
		}
	}
	return fl
}

// TestFXOrders: a EUR brokerage account, funded by an exchange, trades a
// USD instrument; each order converts at the customer's rate inside its
// transaction, rounded the bank's way twice (the fill, then the
// conversion), and reports fx.
func TestFXOrders(t *testing.T) {
	eachEngine(t, func(t *testing.T, e *env) {
		u := e.signUp("Erik")
		usd, _ := e.firstAccount(u)
		brk := e.fxAccount(u, "brokerage", "EUR")
		e.depositTo(u, usd, "2000")
		r := e.fxQuote(u, map[string]any{"from_account_id": usd, "to_account_id": brk, "sell_amount": "1500"})
		expect(t, r, http.StatusCreated, "")
		expect(t, e.fxExchange(u, quoteOf(t, r)["id"].(string), ""), http.StatusCreated, "")
		cash := minor(t, e.balanceOf(u, brk))
		bps := e.cfg.FXSpread.BPS()
		eurUSD, usdEUR := e.fxMid(u, "EUR", "USD"), e.fxMid(u, "USD", "EUR")
		price := rat(t, e.invPrice(u, "AAPL").String())

		// A buy: the USD total is rounded up, then paid for in EUR rounded up.
		key := uuid.NewString()
		r = e.invOrder(u, key, map[string]any{"account_id": brk, "symbol": "AAPL", "side": "buy", "quantity": "1.5"})
		expect(t, r, http.StatusCreated, "")
		o := orderOf(t, r)
		total := ceilMinor(new(big.Rat).Mul(big.NewRat(3, 2), price))
		x, _ := o["fx"].(map[string]any)
		if o["currency"] != "USD" || minor(t, o["total"]) != total || x == nil || x["sell_currency"] != "EUR" || x["buy_currency"] != "USD" ||
			minor(t, x["buy_amount"]) != total {
			t.Fatalf("buy = %v; want a total of %d USD paid in EUR", o, total)
		}
		checkQuote(t, x, "buy", eurUSD, bps)
		paid := minor(t, x["sell_amount"])
		if got := minor(t, e.balanceOf(u, brk)); got != cash-paid {
			t.Fatalf("EUR cash %d after paying %d from %d", got, paid, cash)
		}
		cash -= paid
		again := e.invOrder(u, key, map[string]any{"account_id": brk, "symbol": "AAPL", "side": "buy", "quantity": "1.5"})
		if again.Header.Get("Idempotent-Replayed") != "true" || string(again.Body) != string(r.Body) {
			t.Fatalf("replayed order: %s", again.Body)
		}
		hr := e.vdo(req{Method: "GET", Path: "/api/v1/accounts/" + brk + "/transactions?type=trade_buy", Token: u.Token})
		if items := hr.JSON(t)["items"].([]any); len(items) != 1 || minor(t, items[0].(map[string]any)["amount"]) != -paid ||
			items[0].(map[string]any)["currency"] != "EUR" {
			t.Fatalf("trade_buy entries = %s", hr.Body)
		}
		e.verify()

		// A sell: the USD proceeds are rounded down, then buy EUR rounded down.
		r = e.invOrder(u, "", map[string]any{"account_id": brk, "symbol": "AAPL", "side": "sell", "quantity": "0.5"})
		expect(t, r, http.StatusCreated, "")
		o = orderOf(t, r)
		proceeds := floorMinor(new(big.Rat).Mul(big.NewRat(1, 2), price))
		x, _ = o["fx"].(map[string]any)
		if minor(t, o["total"]) != proceeds || x == nil || x["sell_currency"] != "USD" || minor(t, x["sell_amount"]) != proceeds || x["buy_currency"] != "EUR" {
			t.Fatalf("sell = %v; want proceeds of %d USD converted to EUR", o, proceeds)
		}
		checkQuote(t, x, "sell", usdEUR, bps)
		got := minor(t, x["buy_amount"])
		if minor(t, e.balanceOf(u, brk)) != cash+got {
			t.Fatalf("EUR cash %s after receiving %d on %d", e.balanceOf(u, brk), got, cash)
		}
		cash += got
		e.verify()

		// By notional, in the account's currency: never more than asked
		// moves on the account.
		r = e.invOrder(u, "", map[string]any{"account_id": brk, "symbol": "AAPL", "side": "buy", "notional": "100.00"})
		expect(t, r, http.StatusCreated, "")
		x = orderOf(t, r)["fx"].(map[string]any)
		if spent := minor(t, x["sell_amount"]); spent > 100_00 || spent < 90_00 || minor(t, e.balanceOf(u, brk)) != cash-spent {
			t.Fatalf("a 100.00 EUR notional buy spent %v", x["sell_amount"])
		} else {
			cash -= spent
		}
		r = e.invOrder(u, "", map[string]any{"account_id": brk, "symbol": "AAPL", "side": "sell", "notional": "50.00"})
		expect(t, r, http.StatusCreated, "")
		x = orderOf(t, r)["fx"].(map[string]any)
		if recv := minor(t, x["buy_amount"]); recv > 50_00 || recv < 45_00 || minor(t, e.balanceOf(u, brk)) != cash+recv {
			t.Fatalf("a 50.00 EUR notional sell received %v", x["buy_amount"])
		}
		e.verify()

		// The minimum order is in the account's currency; no EUR, no buy.
		expect(t, e.invOrder(u, "", map[string]any{"account_id": brk, "symbol": "AAPL", "side": "buy", "quantity": "0.001"}), http.StatusUnprocessableEntity, "invalid_quantity")
		gbp := e.fxAccount(u, "brokerage", "GBP")
		expect(t, e.invOrder(u, "", map[string]any{"account_id": gbp, "symbol": "AAPL", "side": "buy", "quantity": "1"}), http.StatusUnprocessableEntity, "insufficient_funds")

		// The order list carries fx; the portfolio of the account is in EUR
		// with prices in USD.
		lr := e.vdo(req{Method: "GET", Path: "/api/v1/orders?account_id=" + brk, Token: u.Token})
		expect(t, lr, http.StatusOK, "")
		items := lr.JSON(t)["items"].([]any)
		if len(items) != 4 || items[3].(map[string]any)["fx"] == nil || items[3].(map[string]any)["fx"].(map[string]any)["sell_amount"] != fmt.Sprint(ledgerMinor(paid)) {
			t.Fatalf("orders = %s", lr.Body)
		}
		p := e.invPortfolio(u, "?account_id="+brk)
		h := holdingOf(t, p, "AAPL")
		if p["currency"] != "EUR" || minor(t, p["cash"]) != minor(t, e.balanceOf(u, brk)) || h == nil || h["price"] != e.invPrice(u, "AAPL").StringFixed(2) {
			t.Fatalf("EUR portfolio = %v", p)
		}
		qty := rat(t, h["quantity"].(string))
		mvUSD := halfEvenMinor(new(big.Rat).Mul(qty, price))
		if want := halfEvenMinor(new(big.Rat).Mul(ratOfMinor(mvUSD), usdEUR)); minor(t, h["market_value"]) != want {
			t.Fatalf("market value %v EUR, want %d (%d USD at mid)", h["market_value"], want, mvUSD)
		}
		if minor(t, p["total_value"]) != minor(t, p["cash"])+minor(t, h["market_value"]) {
			t.Fatalf("total_value %v ≠ cash + market value", p["total_value"])
		}
		hist := e.vdo(req{Method: "GET", Path: "/api/v1/portfolio/history?range=1d&account_id=" + brk, Token: u.Token})
		expect(t, hist, http.StatusOK, "")
		pts := hist.JSON(t)["points"].([]any)
		if last := pts[len(pts)-1].(map[string]any)["value"]; last != p["total_value"] {
			t.Fatalf("the history's last point %v ≠ total_value %v", last, p["total_value"])
		}
		e.verify()
	})
}

func ledgerMinor(m int64) string { return fmt.Sprintf("%d.%02d", m/100, m%100) }

// fxExchangeRaw is fxExchange without the OpenAPI check, for concurrent
// clients (t.Errorf from many goroutines is fine, the checker's Fatalf is
// not).
func (e *env) fxExchangeRaw(u *user, quoteID, key string) response {
	return e.do(req{Method: "POST", Path: "/api/v1/fx/exchanges", Token: u.Token, Body: map[string]any{"quote_id": quoteID},
		Headers: map[string]string{"Idempotency-Key": key}})
}
