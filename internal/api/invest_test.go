package api_test

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/google/uuid"
	"github.com/prometheus/client_golang/prometheus"
	"github.com/shopspring/decimal"

	"github.com/bankapp/bankapp/internal/app"
	"github.com/bankapp/bankapp/internal/audit"
	"github.com/bankapp/bankapp/internal/auth"
	"github.com/bankapp/bankapp/internal/blob"
	"github.com/bankapp/bankapp/internal/ledger"
	"github.com/bankapp/bankapp/internal/market"
	"github.com/bankapp/bankapp/internal/store"
	"github.com/bankapp/bankapp/internal/store/storetest"
)

// invAccount opens an account of the type for u directly in the store and
// funds it with cash minor units from the funding account.
func (e *env) invAccount(u *user, typ string, cash int64) string {
	e.t.Helper()
	ctx := context.Background()
	id := uuid.NewString()
	err := e.db.InTx(ctx, func(tx *store.Tx) error {
		a := ledger.Account{ID: id, OwnerID: u.ID, Number: ledger.NewAccountNumber(), Type: typ, Currency: ledger.USD,
			Name: typ, Status: ledger.StatusActive, CreatedAt: e.clock.Now()}
		if err := tx.CreateAccount(ctx, a); err != nil {
			return err
		}
		if cash == 0 {
			return nil
		}
		funding := ledger.SystemAccountID(ledger.SystemFunding, ledger.USD)
		return ledger.Post(ctx, tx, &ledger.Transfer{Kind: ledger.KindDeposit, Currency: ledger.USD, Amount: cash, ToAccount: id,
			CreatedAt: e.clock.Now(), Postings: []ledger.Posting{{AccountID: funding, Amount: -cash}, {AccountID: id, Amount: cash}}})
	})
	if err != nil {
		e.t.Fatalf("open %s account: %v", typ, err)
	}
	return id
}

// vdo makes the request and checks the response against openapi.json.
func (e *env) vdo(q req) response {
	e.t.Helper()
	return validated(e.t, e, q)
}

// invCash is the account's balance in minor units.
func (e *env) invCash(id string) int64 {
	e.t.Helper()
	a, err := e.db.AnyAccountByID(context.Background(), id)
	if err != nil {
		e.t.Fatal(err)
	}
	return a.Balance
}

// invVerify fails unless ledger verify is clean.
func (e *env) invVerify() {
	e.t.Helper()
	rep, err := e.db.VerifyLedger(context.Background())
	if err != nil || !rep.OK {
		e.t.Fatalf("ledger verify: %+v %v", rep, err)
	}
}

func (e *env) invOrder(u *user, key string, body map[string]any) response {
	e.t.Helper()
	if key == "" {
		key = uuid.NewString()
	}
	return e.vdo(req{Method: "POST", Path: "/api/v1/orders", Token: u.Token, Body: body, Headers: map[string]string{"Idempotency-Key": key}})
}

// invPrice is the current quote of symbol as the API reports it.
func (e *env) invPrice(u *user, symbol string) decimal.Decimal {
	e.t.Helper()
	r := e.vdo(req{Method: "GET", Path: "/api/v1/market/quotes?symbols=" + symbol, Token: u.Token})
	expect(e.t, r, http.StatusOK, "")
	return decimal.RequireFromString(r.JSON(e.t)["items"].([]any)[0].(map[string]any)["price"].(string))
}

// cents rounds quantity × price half-even to the cent, independently of the
// code under test.
// cents values qty at price to the cent, half-even (a valuation).
func cents(qty string, price decimal.Decimal) int64 {
	return decimal.RequireFromString(qty).Mul(price).Mul(decimal.New(100, 0)).RoundBank(0).IntPart()
}

// buyCents is what a buy of qty at price is charged: rounded up to the cent
// (the bank's favour).
func buyCents(qty string, price decimal.Decimal) int64 {
	return decimal.RequireFromString(qty).Mul(price).Mul(decimal.New(100, 0)).RoundCeil(0).IntPart()
}

// sellCents is what a sell of qty at price credits: rounded down to the
// cent (the bank's favour).
func sellCents(qty string, price decimal.Decimal) int64 {
	return decimal.RequireFromString(qty).Mul(price).Mul(decimal.New(100, 0)).RoundFloor(0).IntPart()
}

func minor(t *testing.T, s any) int64 {
	t.Helper()
	str, ok := s.(string)
	if !ok {
		t.Fatalf("money %v is not a string", s)
	}
	v, err := ledger.ParseMinor(str, 2)
	if err != nil || !strings.Contains(str, ".") || len(str)-strings.Index(str, ".") != 3 {
		t.Fatalf("money %q is not a decimal with 2 places: %v", str, err)
	}
	return v
}

func orderOf(t *testing.T, r response) map[string]any {
	t.Helper()
	return r.JSON(t)["order"].(map[string]any)
}

func holdingOf(t *testing.T, p map[string]any, symbol string) map[string]any {
	t.Helper()
	for _, h := range p["holdings"].([]any) {
		if m := h.(map[string]any); m["symbol"] == symbol {
			return m
		}
	}
	return nil
}

func (e *env) invPortfolio(u *user, query string) map[string]any {
	e.t.Helper()
	r := e.vdo(req{Method: "GET", Path: "/api/v1/portfolio" + query, Token: u.Token})
	expect(e.t, r, http.StatusOK, "")
	return r.JSON(e.t)
}

func TestOrderBuySell(t *testing.T) {
	eachEngine(t, func(t *testing.T, e *env) {
		u := e.signUp("Ivy")
		acct := e.invAccount(u, ledger.TypeBrokerage, 1_000_000) // 10,000.00
		p1 := e.invPrice(u, "AAPL")

		r := e.invOrder(u, "", map[string]any{"account_id": acct, "symbol": "aapl", "side": "buy", "quantity": "3"})
		expect(t, r, http.StatusCreated, "")
		o := orderOf(t, r)
		cost := buyCents("3", p1)
		if o["symbol"] != "AAPL" || o["side"] != "buy" || o["quantity"] != "3.00000000" || o["status"] != "filled" ||
			o["account_id"] != acct || o["price"] != market.FormatPrice(p1) || minor(t, o["total"]) != cost {
			t.Fatalf("order = %v; want 3 AAPL at %s for %d", o, p1, cost)
		}
		if _, err := time.Parse(time.RFC3339, o["created_at"].(string)); err != nil {
			t.Fatalf("created_at: %v", err)
		}
		if got := e.invCash(acct); got != 1_000_000-cost {
			t.Fatalf("cash after buy = %d, want %d", got, 1_000_000-cost)
		}
		e.invVerify()

		// The price moves; a partial sell realizes the difference on a third
		// of the cost basis.
		e.clock.Advance(3 * time.Hour)
		e.login(u)
		p2 := e.invPrice(u, "AAPL")
		if p2.Equal(p1) {
			t.Fatalf("price did not move in 3 h: %s", p1)
		}
		r = e.invOrder(u, "", map[string]any{"account_id": acct, "symbol": "AAPL", "side": "sell", "quantity": "1"})
		expect(t, r, http.StatusCreated, "")
		sell1 := sellCents("1", p2)
		if got := minor(t, orderOf(t, r)["total"]); got != sell1 {
			t.Fatalf("sell total = %d, want %d", got, sell1)
		}
		removed := decimal.New(cost, 0).Div(decimal.New(3, 0)).RoundBank(0).IntPart()
		p := e.invPortfolio(u, "")
		h := holdingOf(t, p, "AAPL")
		if h == nil || h["quantity"] != "2.00000000" || minor(t, p["realized_pl"]) != sell1-removed {
			t.Fatalf("after partial sell: %v; want 2 AAPL and realized %d", p, sell1-removed)
		}
		mv := cents("2", p2)
		if minor(t, h["market_value"]) != mv || minor(t, h["unrealized_pl"]) != mv-(cost-removed) || h["price"] != market.FormatPrice(p2) {
			t.Fatalf("holding = %v; want market value %d, unrealized %d", h, mv, mv-(cost-removed))
		}
		cash := 1_000_000 - cost + sell1
		if minor(t, p["cash"]) != cash || minor(t, p["total_value"]) != cash+mv {
			t.Fatalf("portfolio cash/total = %v/%v; want %d/%d", p["cash"], p["total_value"], cash, cash+mv)
		}
		wantAvg := market.FormatPrice(market.RoundPrice(decimal.New(cost-removed, -2).DivRound(decimal.New(2, 0), 8)))
		if h["average_cost"] != wantAvg {
			t.Fatalf("average_cost = %v, want %s", h["average_cost"], wantAvg)
		}
		e.invVerify()

		// Selling the rest closes the position; realized P&L is proceeds − cost.
		r = e.invOrder(u, "", map[string]any{"account_id": acct, "symbol": "AAPL", "side": "sell", "quantity": "2.00000000"})
		expect(t, r, http.StatusCreated, "")
		sell2 := sellCents("2", p2)
		p = e.invPortfolio(u, "?account_id="+acct)
		if len(p["holdings"].([]any)) != 0 || minor(t, p["realized_pl"]) != sell1+sell2-cost || minor(t, p["cash"]) != 1_000_000-cost+sell1+sell2 {
			t.Fatalf("after selling out: %v; realized want %d", p, sell1+sell2-cost)
		}
		if got := e.invCash(acct); got != 1_000_000-cost+sell1+sell2 {
			t.Fatalf("cash = %d", got)
		}
		e.invVerify()

		// Each order wrote an audit event in its transaction.
		evs, err := e.db.AuditEvents(context.Background(), audit.Filter{ActorID: u.ID, Limit: 50})
		if err != nil {
			t.Fatal(err)
		}
		n := map[string]int{}
		for _, ev := range evs {
			n[ev.Action]++
		}
		if n["order_buy"] != 1 || n["order_sell"] != 2 {
			t.Fatalf("audit actions = %v", n)
		}
	})
}

func TestOrderNotional(t *testing.T) {
	eachEngine(t, func(t *testing.T, e *env) {
		u := e.signUp("Nia")
		acct := e.invAccount(u, ledger.TypeBrokerage, 50_000)
		price := e.invPrice(u, "BTC-USD")
		r := e.invOrder(u, "", map[string]any{"account_id": acct, "symbol": "BTC-USD", "side": "buy", "notional": "100.00"})
		expect(t, r, http.StatusCreated, "")
		o := orderOf(t, r)
		qty, _ := decimal.New(100, 0).QuoRem(price, 8) // rounded down
		total := buyCents(qty.String(), price)
		if o["quantity"] != qty.StringFixed(8) || minor(t, o["total"]) != total || total > 10_000 || total < 9_999 {
			t.Fatalf("notional order = %v; want %s BTC for %d", o, qty.StringFixed(8), total)
		}
		if got := e.invCash(acct); got != 50_000-total {
			t.Fatalf("cash = %d, want %d", got, 50_000-total)
		}
		// A notional sell of part of it.
		r = e.invOrder(u, "", map[string]any{"account_id": acct, "symbol": "BTC-USD", "side": "sell", "notional": "40"})
		expect(t, r, http.StatusCreated, "")
		sq, _ := decimal.New(40, 0).QuoRem(price, 8)
		if got := orderOf(t, r)["quantity"]; got != sq.StringFixed(8) {
			t.Fatalf("sell quantity = %v, want %s", got, sq.StringFixed(8))
		}
		h := holdingOf(t, e.invPortfolio(u, ""), "BTC-USD")
		if h == nil || h["quantity"] != qty.Sub(sq).StringFixed(8) {
			t.Fatalf("holding = %v, want %s", h, qty.Sub(sq).StringFixed(8))
		}
		e.invVerify()
	})
}

func TestOrderRefusals(t *testing.T) {
	eachEngine(t, func(t *testing.T, e *env) {
		u := e.signUp("Rex")
		other := e.signUp("Mallory")
		acct := e.invAccount(u, ledger.TypeBrokerage, 10_000) // 100.00
		checking := e.invAccount(u, ledger.TypeChecking, 10_000)
		theirs := e.invAccount(other, ledger.TypeBrokerage, 10_000)
		buy := func(extra map[string]any) map[string]any {
			b := map[string]any{"account_id": acct, "symbol": "MSFT", "side": "buy", "quantity": "0.1"}
			for k, v := range extra {
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
			{"too much", buy(map[string]any{"quantity": "100"}), 422, "insufficient_funds"},
			{"sell unheld", buy(map[string]any{"side": "sell"}), 422, "insufficient_holdings"},
			{"9 decimals", buy(map[string]any{"quantity": "0.123456789"}), 422, "invalid_quantity"},
			{"zero", buy(map[string]any{"quantity": "0"}), 422, "invalid_quantity"},
			{"negative", buy(map[string]any{"quantity": "-1"}), 422, "invalid_quantity"},
			{"not a number", buy(map[string]any{"quantity": "lots"}), 422, "invalid_quantity"},
			{"json number", buy(map[string]any{"quantity": 1}), 400, "invalid_json"},
			{"both", buy(map[string]any{"notional": "10"}), 422, "validation_failed"},
			{"neither", map[string]any{"account_id": acct, "symbol": "MSFT", "side": "buy"}, 422, "validation_failed"},
			{"bad side", buy(map[string]any{"side": "short"}), 422, "validation_failed"},
			{"bad notional", map[string]any{"account_id": acct, "symbol": "MSFT", "side": "buy", "notional": "0.001"}, 422, "invalid_amount"},
			{"unknown symbol", buy(map[string]any{"symbol": "NOSUCHX"}), 404, "not_found"},
			{"checking account", buy(map[string]any{"account_id": checking}), 422, "validation_failed"},
			{"another user's account", buy(map[string]any{"account_id": theirs}), 404, "not_found"},
			{"missing account", buy(map[string]any{"account_id": uuid.NewString()}), 404, "not_found"},
			{"mass assignment", buy(map[string]any{"price": "0.01"}), 400, "invalid_json"},
		}
		for _, c := range cases {
			r := e.vdo(req{Method: "POST", Path: "/api/v1/orders", Token: u.Token, Body: c.body, Headers: map[string]string{"Idempotency-Key": uuid.NewString()}})
			t.Run(c.name, func(t *testing.T) { expect(t, r, c.status, c.code) })
		}
		r := e.vdo(req{Method: "POST", Path: "/api/v1/orders", Token: u.Token, Body: buy(nil)})
		expect(t, r, 400, "idempotency_key_required")

		// Frozen accounts can neither buy nor sell.
		if err := e.db.InTx(context.Background(), func(tx *store.Tx) error {
			return tx.SetAccountStatus(context.Background(), acct, ledger.StatusFrozen)
		}); err != nil {
			t.Fatal(err)
		}
		expect(t, e.invOrder(u, "", buy(nil)), http.StatusLocked, "account_frozen")

		if e.invCash(acct) != 10_000 || e.invCash(theirs) != 10_000 {
			t.Fatal("a refused order moved money")
		}
		r = e.vdo(req{Method: "GET", Path: "/api/v1/orders", Token: u.Token})
		expect(t, r, 200, "")
		if n := len(r.JSON(t)["items"].([]any)); n != 0 {
			t.Fatalf("%d orders recorded for refused requests", n)
		}
		e.invVerify()
	})
}

func TestOrderIdempotency(t *testing.T) {
	eachEngine(t, func(t *testing.T, e *env) {
		u := e.signUp("Ida")
		acct := e.invAccount(u, ledger.TypeBrokerage, 100_000)
		body := map[string]any{"account_id": acct, "symbol": "VOO", "side": "buy", "quantity": "0.25"}
		first := e.invOrder(u, "order-1", body)
		expect(t, first, http.StatusCreated, "")
		cash := e.invCash(acct)

		// Even after the price moves, a replay answers the original fill.
		e.clock.Advance(2 * time.Hour)
		e.login(u)
		again := e.invOrder(u, "order-1", body)
		expect(t, again, http.StatusCreated, "")
		if !bytes.Equal(first.Body, again.Body) || again.Header.Get("Idempotent-Replayed") != "true" {
			t.Fatalf("replay = %s (replayed %q); want %s", again.Body, again.Header.Get("Idempotent-Replayed"), first.Body)
		}
		if first.Header.Get("Idempotent-Replayed") != "" {
			t.Fatal("first answer marked as replayed")
		}
		if e.invCash(acct) != cash {
			t.Fatal("replay moved money again")
		}
		body["quantity"] = "0.5"
		expect(t, e.invOrder(u, "order-1", body), 422, "idempotency_key_reused")

		r := e.vdo(req{Method: "GET", Path: "/api/v1/orders", Token: u.Token})
		expect(t, r, 200, "")
		if n := len(r.JSON(t)["items"].([]any)); n != 1 {
			t.Fatalf("%d orders, want 1", n)
		}
		if h := holdingOf(t, e.invPortfolio(u, ""), "VOO"); h == nil || h["quantity"] != "0.25000000" {
			t.Fatalf("holding = %v", h)
		}
		e.invVerify()
	})
}

// invPost sends an order from a goroutine (no t.Fatal off the test goroutine).
func (e *env) invPost(token string, body map[string]any) (int, map[string]any, error) {
	b, _ := json.Marshal(body)
	rq, err := http.NewRequest("POST", e.srv.URL+"/api/v1/orders", bytes.NewReader(b))
	if err != nil {
		return 0, nil, err
	}
	rq.Header.Set("Content-Type", "application/json")
	rq.Header.Set("Authorization", "Bearer "+token)
	rq.Header.Set("Idempotency-Key", uuid.NewString())
	resp, err := e.srv.Client().Do(rq)
	if err != nil {
		return 0, nil, err
	}
	defer resp.Body.Close()
	var m map[string]any
	raw, _ := io.ReadAll(resp.Body)
	if err := json.Unmarshal(raw, &m); err != nil {
		return resp.StatusCode, nil, fmt.Errorf("body %s: %w", raw, err)
	}
	return resp.StatusCode, m, nil
}

// TestConcurrentSells races 20 sells of 1.5 shares against a holding of 10:
// exactly six fit; the rest get insufficient_holdings.
func TestConcurrentSells(t *testing.T) {
	eachEngine(t, func(t *testing.T, e *env) {
		u := e.signUp("Cora")
		acct := e.invAccount(u, ledger.TypeBrokerage, 1_000_000)
		expect(t, e.invOrder(u, "", map[string]any{"account_id": acct, "symbol": "KO", "side": "buy", "quantity": "10"}), 201, "")
		price := e.invPrice(u, "KO")
		cash := e.invCash(acct)

		const n = 20
		var ok, refused atomic.Int64
		var wg sync.WaitGroup
		errs := make(chan error, n)
		for i := 0; i < n; i++ {
			wg.Add(1)
			go func() {
				defer wg.Done()
				status, m, err := e.invPost(u.Token, map[string]any{"account_id": acct, "symbol": "KO", "side": "sell", "quantity": "1.5"})
				switch {
				case err != nil:
					errs <- err
				case status == 201:
					ok.Add(1)
				case status == 422 && m["code"] == "insufficient_holdings":
					refused.Add(1)
				default:
					errs <- fmt.Errorf("status %d: %v", status, m)
				}
			}()
		}
		wg.Wait()
		close(errs)
		for err := range errs {
			t.Fatal(err)
		}
		if ok.Load() != 6 || refused.Load() != n-6 {
			t.Fatalf("%d sells filled, %d refused; want 6 and %d", ok.Load(), refused.Load(), n-6)
		}
		if h := holdingOf(t, e.invPortfolio(u, ""), "KO"); h == nil || h["quantity"] != "1.00000000" {
			t.Fatalf("holding after the race = %v, want 1", h)
		}
		if got, want := e.invCash(acct), cash+6*sellCents("1.5", price); got != want {
			t.Fatalf("cash = %d, want %d", got, want)
		}
		e.invVerify()
	})
}

func TestOrderList(t *testing.T) {
	eachEngine(t, func(t *testing.T, e *env) {
		u := e.signUp("Lia")
		other := e.signUp("Oz")
		a1 := e.invAccount(u, ledger.TypeBrokerage, 1_000_000)
		a2 := e.invAccount(u, ledger.TypeBrokerage, 1_000_000)
		theirs := e.invAccount(other, ledger.TypeBrokerage, 1_000_000)
		for i, a := range []string{a1, a2, a1} {
			e.clock.Advance(time.Second)
			expect(t, e.invOrder(u, "", map[string]any{"account_id": a, "symbol": "NVDA", "side": "buy", "quantity": fmt.Sprint(i + 1)}), 201, "")
		}
		expect(t, e.invOrder(other, "", map[string]any{"account_id": theirs, "symbol": "NVDA", "side": "buy", "quantity": "1"}), 201, "")

		var qtys []string
		path := "/api/v1/orders?limit=2"
		for path != "" {
			r := e.vdo(req{Method: "GET", Path: path, Token: u.Token})
			expect(t, r, 200, "")
			m := r.JSON(t)
			for _, it := range m["items"].([]any) {
				qtys = append(qtys, it.(map[string]any)["quantity"].(string))
			}
			path = ""
			if c, ok := m["next_cursor"].(string); ok {
				path = "/api/v1/orders?limit=2&cursor=" + c
			}
		}
		if strings.Join(qtys, ",") != "3.00000000,2.00000000,1.00000000" {
			t.Fatalf("orders newest first = %v", qtys)
		}
		r := e.vdo(req{Method: "GET", Path: "/api/v1/orders?account_id=" + a2, Token: u.Token})
		expect(t, r, 200, "")
		if items := r.JSON(t)["items"].([]any); len(items) != 1 || items[0].(map[string]any)["account_id"] != a2 {
			t.Fatalf("filtered orders = %v", items)
		}
		expect(t, e.vdo(req{Method: "GET", Path: "/api/v1/orders?account_id=" + theirs, Token: u.Token}), 404, "not_found")
		expect(t, e.vdo(req{Method: "GET", Path: "/api/v1/orders?limit=0", Token: u.Token}), 422, "invalid_parameter")
		expect(t, e.vdo(req{Method: "GET", Path: "/api/v1/orders?cursor=%21", Token: u.Token}), 422, "invalid_parameter")
		expect(t, e.vdo(req{Method: "GET", Path: "/api/v1/orders"}), 401, "unauthorized")
	})
}

func TestPortfolio(t *testing.T) {
	eachEngine(t, func(t *testing.T, e *env) {
		u := e.signUp("Pam")
		other := e.signUp("Quinn")
		a1 := e.invAccount(u, ledger.TypeBrokerage, 500_000)
		a2 := e.invAccount(u, ledger.TypeBrokerage, 300_000)
		checking := e.invAccount(u, ledger.TypeChecking, 100_000)
		theirs := e.invAccount(other, ledger.TypeBrokerage, 0)

		empty := e.invPortfolio(u, "")
		if empty["cash"] != "8000.00" || empty["total_value"] != "8000.00" || len(empty["holdings"].([]any)) != 0 || empty["currency"] != "USD" {
			t.Fatalf("portfolio before trading = %v", empty)
		}
		e.clock.Advance(time.Hour)
		e.login(u)
		expect(t, e.invOrder(u, "", map[string]any{"account_id": a1, "symbol": "AMZN", "side": "buy", "quantity": "4"}), 201, "")
		expect(t, e.invOrder(u, "", map[string]any{"account_id": a2, "symbol": "AMZN", "side": "buy", "quantity": "1.5"}), 201, "")
		expect(t, e.invOrder(u, "", map[string]any{"account_id": a2, "symbol": "ETH-USD", "side": "buy", "notional": "500"}), 201, "")
		e.clock.Advance(2 * time.Hour)
		e.login(u)
		e.login(other)

		p := e.invPortfolio(u, "")
		amzn, eth := holdingOf(t, p, "AMZN"), holdingOf(t, p, "ETH-USD")
		if amzn == nil || eth == nil || amzn["quantity"] != "5.50000000" {
			t.Fatalf("holdings = %v", p["holdings"])
		}
		total := minor(t, p["cash"]) + minor(t, amzn["market_value"]) + minor(t, eth["market_value"])
		if minor(t, p["total_value"]) != total || minor(t, p["cash"]) != e.invCash(a1)+e.invCash(a2) {
			t.Fatalf("total_value %v, want cash + holdings = %d", p["total_value"], total)
		}
		if want := cents("5.5", e.invPrice(u, "AMZN")); minor(t, amzn["market_value"]) != want {
			t.Fatalf("AMZN market value %v, want %d", amzn["market_value"], want)
		}
		wantWeight := decimal.New(minor(t, amzn["market_value"]), 2).DivRound(decimal.New(total, 0), 2).StringFixed(2)
		if amzn["weight"] != wantWeight {
			t.Fatalf("AMZN weight %v, want %s", amzn["weight"], wantWeight)
		}
		for _, f := range []string{"unrealized_pl_percent", "weight", "average_cost", "price"} {
			if _, err := decimal.NewFromString(amzn[f].(string)); err != nil {
				t.Fatalf("%s = %v", f, amzn[f])
			}
		}
		minor(t, p["day_change"])
		one := e.invPortfolio(u, "?account_id="+a1)
		if h := holdingOf(t, one, "AMZN"); h == nil || h["quantity"] != "4.00000000" || holdingOf(t, one, "ETH-USD") != nil {
			t.Fatalf("portfolio of one account = %v", one)
		}
		expect(t, e.vdo(req{Method: "GET", Path: "/api/v1/portfolio?account_id=" + theirs, Token: u.Token}), 404, "not_found")
		expect(t, e.vdo(req{Method: "GET", Path: "/api/v1/portfolio?account_id=" + checking, Token: u.Token}), 422, "invalid_parameter")
		if p := e.invPortfolio(other, ""); p["total_value"] != "0.00" || len(p["holdings"].([]any)) != 0 {
			t.Fatalf("another user's portfolio = %v", p)
		}

		// History: the last point is the current total value; the points
		// before the trades hold only cash.
		r := e.vdo(req{Method: "GET", Path: "/api/v1/portfolio/history?range=1d", Token: u.Token})
		expect(t, r, 200, "")
		pts := r.JSON(t)["points"].([]any)
		if len(pts) < 3 {
			t.Fatalf("%d points for 1d", len(pts))
		}
		last := pts[len(pts)-1].(map[string]any)
		if last["value"] != p["total_value"] {
			t.Fatalf("last history value %v, total value %v", last["value"], p["total_value"])
		}
		// The line starts when the accounts were funded (no zeros before it);
		// between funding and the first trade it is the cash alone.
		for _, pt := range pts {
			if pt.(map[string]any)["value"] == "0.00" {
				t.Fatalf("history has a point before the first deposit: %v", pt)
			}
		}
		cashOnly := 0
		for _, pt := range pts {
			if pt.(map[string]any)["value"] == "8000.00" {
				cashOnly++
			}
		}
		if cashOnly < 10 {
			t.Fatalf("%d points of cash only in the hour before trading", cashOnly)
		}
		expect(t, e.vdo(req{Method: "GET", Path: "/api/v1/portfolio/history?range=2w", Token: u.Token}), 422, "invalid_parameter")
		r = e.vdo(req{Method: "GET", Path: "/api/v1/portfolio/history?range=5y&account_id=" + a1, Token: u.Token})
		expect(t, r, 200, "")
		e.invVerify()
	})
}

func TestMarketEndpoints(t *testing.T) {
	eachEngine(t, func(t *testing.T, e *env) {
		u := e.signUp("Max")
		r := e.vdo(req{Method: "GET", Path: "/api/v1/market/search?q=apple", Token: u.Token})
		expect(t, r, 200, "")
		items := r.JSON(t)["items"].([]any)
		if len(items) == 0 || items[0].(map[string]any)["symbol"] != "AAPL" || items[0].(map[string]any)["type"] != "stock" {
			t.Fatalf("search apple = %v", items)
		}
		expect(t, e.vdo(req{Method: "GET", Path: "/api/v1/market/search?q=", Token: u.Token}), 422, "invalid_parameter")
		expect(t, e.vdo(req{Method: "GET", Path: "/api/v1/market/search?q=" + strings.Repeat("a", 51), Token: u.Token}), 422, "invalid_parameter")

		r = e.vdo(req{Method: "GET", Path: "/api/v1/market/quotes?symbols=BTC-USD,aapl", Token: u.Token})
		expect(t, r, 200, "")
		qs := r.JSON(t)["items"].([]any)
		if len(qs) != 2 || qs[0].(map[string]any)["symbol"] != "BTC-USD" || qs[1].(map[string]any)["symbol"] != "AAPL" {
			t.Fatalf("quotes = %v", qs)
		}
		q := qs[1].(map[string]any)
		for _, f := range []string{"price", "change", "change_percent", "currency", "as_of", "source"} {
			if _, ok := q[f].(string); !ok {
				t.Fatalf("quote field %s = %v", f, q[f])
			}
		}
		var syms []string
		for _, l := range market.Catalog()[:51] {
			syms = append(syms, l.Symbol)
		}
		expect(t, e.vdo(req{Method: "GET", Path: "/api/v1/market/quotes?symbols=" + strings.Join(syms[:50], ","), Token: u.Token}), 200, "")
		expect(t, e.vdo(req{Method: "GET", Path: "/api/v1/market/quotes?symbols=" + strings.Join(syms, ","), Token: u.Token}), 422, "invalid_parameter")
		expect(t, e.vdo(req{Method: "GET", Path: "/api/v1/market/quotes?symbols=AAPL,NOSUCHX", Token: u.Token}), 404, "not_found")
		expect(t, e.vdo(req{Method: "GET", Path: "/api/v1/market/quotes?symbols=", Token: u.Token}), 422, "invalid_parameter")
		expect(t, e.vdo(req{Method: "GET", Path: "/api/v1/market/quotes?symbols=AAPL"}), 401, "unauthorized")

		r = e.vdo(req{Method: "GET", Path: "/api/v1/market/history/AAPL?range=5d", Token: u.Token})
		expect(t, r, 200, "")
		h := r.JSON(t)
		pts := h["points"].([]any)
		if h["symbol"] != "AAPL" || h["currency"] != "USD" || len(pts) < 100 {
			t.Fatalf("history = %v with %d points", h["symbol"], len(pts))
		}
		if last := pts[len(pts)-1].(map[string]any); last["price"] != q["price"] {
			t.Fatalf("last history point %v, quote %v", last, q["price"])
		}
		expect(t, e.vdo(req{Method: "GET", Path: "/api/v1/market/history/AAPL", Token: u.Token}), 200, "")
		expect(t, e.vdo(req{Method: "GET", Path: "/api/v1/market/history/AAPL?range=2y", Token: u.Token}), 422, "invalid_parameter")
		expect(t, e.vdo(req{Method: "GET", Path: "/api/v1/market/history/NOSUCHX?range=1d", Token: u.Token}), 404, "not_found")
	})
}

func TestWatchlist(t *testing.T) {
	eachEngine(t, func(t *testing.T, e *env) {
		u := e.signUp("Wes")
		other := e.signUp("Val")
		put := func(sym string) response {
			return e.vdo(req{Method: "PUT", Path: "/api/v1/watchlist/" + sym, Token: u.Token})
		}
		list := func() []map[string]any {
			r := e.vdo(req{Method: "GET", Path: "/api/v1/watchlist", Token: u.Token})
			expect(t, r, 200, "")
			var out []map[string]any
			for _, it := range r.JSON(t)["items"].([]any) {
				out = append(out, it.(map[string]any))
			}
			return out
		}
		expect(t, put("msft"), 204, "")
		first := list()
		if len(first) != 1 || first[0]["symbol"] != "MSFT" {
			t.Fatalf("watchlist = %v", first)
		}
		e.clock.Advance(time.Minute)
		expect(t, put("MSFT"), 204, "")
		e.clock.Advance(time.Minute)
		expect(t, put("ETH-USD"), 204, "")
		expect(t, put("NOSUCHX"), 404, "not_found")
		got := list()
		if len(got) != 2 || got[0]["symbol"] != "ETH-USD" || got[1]["symbol"] != "MSFT" || got[1]["added_at"] != first[0]["added_at"] {
			t.Fatalf("watchlist (newest first, re-watch keeps added_at) = %v; first %v", got, first)
		}
		r := e.vdo(req{Method: "GET", Path: "/api/v1/watchlist", Token: other.Token})
		expect(t, r, 200, "")
		if n := len(r.JSON(t)["items"].([]any)); n != 0 {
			t.Fatalf("another user sees %d watched symbols", n)
		}
		expect(t, e.vdo(req{Method: "DELETE", Path: "/api/v1/watchlist/MSFT", Token: other.Token}), 404, "not_found")
		expect(t, e.vdo(req{Method: "DELETE", Path: "/api/v1/watchlist/msft", Token: u.Token}), 204, "")
		expect(t, e.vdo(req{Method: "DELETE", Path: "/api/v1/watchlist/MSFT", Token: u.Token}), 404, "not_found")

		// At most 50 symbols.
		n := 1 // ETH-USD
		for _, l := range market.Catalog() {
			if n == 50 {
				break
			}
			if l.Symbol != "ETH-USD" {
				expect(t, put(l.Symbol), 204, "")
				n++
			}
		}
		expect(t, put("ETH-USD"), 204, "") // already there: still fine
		expect(t, put("NEAR-USD"), 422, "limit_exceeded")
	})
}

// switchable is a market upstream that can be taken down: the simulated
// market, or an error while down.
type switchable struct {
	*market.Simulated
	down atomic.Bool
}

func (s *switchable) Quotes(ctx context.Context, symbols []string) (map[string]market.Quote, error) {
	if s.down.Load() {
		return nil, errors.New("upstream down")
	}
	return s.Simulated.Quotes(ctx, symbols)
}

// TestOrderNeedsFreshQuote: when upstream fails, quotes are served stale for
// a while, but orders are refused with 503 once the last good quote is more
// than a minute old — and a replay still answers the original fill.
func TestOrderNeedsFreshQuote(t *testing.T) {
	storetest.Run(t, func(t *testing.T, db *store.DB) {
		e := newEnv(t, db)
		up := &switchable{Simulated: market.NewSimulated(0, e.clock.Now)}
		mkt, err := market.New(market.Options{Upstream: up, Now: e.clock.Now})
		if err != nil {
			t.Fatal(err)
		}
		tokens, err := auth.NewTokens(e.cfg.JWTSigningKey, e.cfg.JWTIssuer, e.cfg.AccessTokenTTL, e.clock.Now)
		if err != nil {
			t.Fatal(err)
		}
		blobs, err := blob.NewLocal(t.TempDir())
		if err != nil {
			t.Fatal(err)
		}
		srv := httptest.NewServer(serverOf(t, app.Options{Config: e.cfg, DB: db, Tokens: tokens, Registerer: prometheus.NewRegistry(),
			Market: mkt, Blobs: blobs, Now: e.clock.Now}))
		t.Cleanup(srv.Close)
		e.srv = srv

		u := e.signUp("Stu")
		acct := e.invAccount(u, ledger.TypeBrokerage, 100_000)
		body := map[string]any{"account_id": acct, "symbol": "JPM", "side": "buy", "quantity": "1"}
		first := e.invOrder(u, "k1", body)
		expect(t, first, 201, "")

		up.down.Store(true)
		e.clock.Advance(2 * time.Minute)
		r := e.vdo(req{Method: "GET", Path: "/api/v1/market/quotes?symbols=JPM", Token: u.Token})
		expect(t, r, 200, "")
		if q := r.JSON(t)["items"].([]any)[0].(map[string]any); q["stale"] != true {
			t.Fatalf("quote while upstream is down = %v, want stale", q)
		}
		cash := e.invCash(acct)
		expect(t, e.invOrder(u, "k2", body), 503, "market_data_unavailable")
		if e.invCash(acct) != cash {
			t.Fatal("a refused order moved money")
		}
		again := e.invOrder(u, "k1", body)
		expect(t, again, 201, "")
		if !bytes.Equal(again.Body, first.Body) {
			t.Fatalf("replay while down = %s", again.Body)
		}
		up.down.Store(false)
		expect(t, e.invOrder(u, "k2", body), 201, "")
		e.invVerify()
	})
}
