package api_test

// Regression tests for the security review of issue 13 (docs/security.md,
// "Review findings"). Each failed on the code before its fix.

import (
	"context"
	"fmt"
	"net/http"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/google/uuid"
	"github.com/pquerna/otp/totp"
	"github.com/shopspring/decimal"

	"github.com/bankapp/bankapp/internal/api"
	"github.com/bankapp/bankapp/internal/app"
	"github.com/bankapp/bankapp/internal/auth"
	"github.com/bankapp/bankapp/internal/config"
	"github.com/bankapp/bankapp/internal/invest"
	"github.com/bankapp/bankapp/internal/ledger"
	"github.com/bankapp/bankapp/internal/store"
	"github.com/bankapp/bankapp/internal/store/storetest"
)

// qtyWorth is the smallest quantity (8 decimals) whose value at price is
// more than value.
func qtyWorth(value string, price decimal.Decimal) string {
	q := decimal.RequireFromString(value).DivRound(price, 12)
	q = q.Truncate(8).Add(decimal.New(1, -8))
	return q.StringFixed(8)
}

// Finding 1: selling many tiny lots must not create money. The attack: buy
// 10.00 of AAPL, sell lots worth just over half a cent each; half-even
// credited 0.01 a lot.
func TestTinySellsCannotMintMoney(t *testing.T) {
	eachEngine(t, func(t *testing.T, e *env) {
		u := e.signUp("Mint")
		acct := e.invAccount(u, ledger.TypeBrokerage, 1000)
		price := e.invPrice(u, "AAPL")
		r := e.invOrder(u, "", map[string]any{"account_id": acct, "symbol": "AAPL", "side": "buy", "notional": "10.00"})
		expect(t, r, http.StatusCreated, "")
		o := orderOf(t, r)
		bought := o["quantity"].(string)
		if got, want := minor(t, o["total"]), decimal.RequireFromString(bought).Mul(price).Shift(2).Ceil().IntPart(); got != want {
			t.Fatalf("buy total %d, want %d (rounded up)", got, want)
		}
		lot := qtyWorth("0.0051", price)
		for i := range 20 {
			r := e.invOrder(u, "", map[string]any{"account_id": acct, "symbol": "AAPL", "side": "sell", "quantity": lot})
			if i == 0 || r.Status != http.StatusUnprocessableEntity {
				expect(t, r, http.StatusUnprocessableEntity, "invalid_quantity")
			}
		}
		r = e.invOrder(u, "", map[string]any{"account_id": acct, "symbol": "AAPL", "side": "sell", "quantity": bought})
		expect(t, r, http.StatusCreated, "")
		if got, want := minor(t, orderOf(t, r)["total"]), decimal.RequireFromString(bought).Mul(price).Shift(2).Floor().IntPart(); got != want {
			t.Fatalf("sell total %d, want %d (rounded down)", got, want)
		}
		if cash := e.invCash(acct); cash > 1000 {
			t.Fatalf("cash %d after buying and selling at one price, more than the 1000 it started with", cash)
		}
		e.invVerify()
	})
}

func withMinOrder(minor int64) envOption {
	return func(c *config.Config) { c.MinOrderValue = minor }
}

// Finding 1 with the minimum at one cent: the rounding alone is in the
// bank's favour.
func TestFillRoundsInTheBanksFavour(t *testing.T) {
	eachEngine(t, func(t *testing.T, e *env) {
		u := e.signUp("Round")
		acct := e.invAccount(u, ledger.TypeBrokerage, 1000)
		price := e.invPrice(u, "AAPL")
		// Worth just under 0.0150: half-even charged 0.01.
		q := decimal.RequireFromString("0.0149").DivRound(price, 12).Truncate(8)
		value := q.Mul(price)
		if value.LessThan(decimal.RequireFromString("0.0140")) || !value.LessThan(decimal.RequireFromString("0.0150")) {
			t.Fatalf("test setup: %s × %s = %s", q, price, value)
		}
		r := e.invOrder(u, "", map[string]any{"account_id": acct, "symbol": "AAPL", "side": "buy", "quantity": q.StringFixed(8)})
		expect(t, r, http.StatusCreated, "")
		if got := minor(t, orderOf(t, r)["total"]); got != 2 {
			t.Fatalf("a buy worth %s charged %d cents, want 2", value, got)
		}
		// Worth just over half a cent: rounds down to nothing, so refused.
		lot := qtyWorth("0.0051", price)
		expect(t, e.invOrder(u, "", map[string]any{"account_id": acct, "symbol": "AAPL", "side": "sell", "quantity": lot}),
			http.StatusUnprocessableEntity, "invalid_quantity")
		r = e.invOrder(u, "", map[string]any{"account_id": acct, "symbol": "AAPL", "side": "sell", "quantity": q.StringFixed(8)})
		expect(t, r, http.StatusCreated, "")
		if got := minor(t, orderOf(t, r)["total"]); got != 1 {
			t.Fatalf("a sell worth %s credited %d cents, want 1", value, got)
		}
		if cash := e.invCash(acct); cash != 999 {
			t.Fatalf("cash %d, want 999", cash)
		}
		e.invVerify()
	}, withMinOrder(1))
}

// Finding 1: ledger verify recomputes every fill, so a fill rounded the
// customer's way (planted here below the API) is reported, and so is a
// settlement account that does not match the holdings it backs.
func TestVerifyRecomputesFills(t *testing.T) {
	eachEngine(t, func(t *testing.T, e *env) {
		u := e.signUp("Plant")
		acct := e.invAccount(u, ledger.TypeBrokerage, 1000)
		e.invVerify()
		ctx := context.Background()
		price := decimal.RequireFromString("259.09")
		qty := decimal.RequireFromString("0.00005750") // worth 0.0148976…: the bank charges 0.02
		err := e.db.InTx(ctx, func(tx *store.Tx) error {
			settlement := ledger.SystemAccountID(ledger.SystemSettlement, ledger.USD)
			tr := &ledger.Transfer{Kind: ledger.KindTrade, Currency: ledger.USD, Amount: 1, FromAccount: acct, CreatedAt: e.clock.Now(),
				Postings: []ledger.Posting{{AccountID: acct, Amount: -1}, {AccountID: settlement, Amount: 1}}}
			if err := ledger.Post(ctx, tx, tr); err != nil {
				return err
			}
			if err := tx.PutHolding(ctx, invest.Holding{AccountID: acct, Symbol: "AAPL", Quantity: qty, CostBasis: 1, UpdatedAt: e.clock.Now()}); err != nil {
				return err
			}
			return tx.InsertOrder(ctx, &invest.Order{ID: uuid.NewString(), OwnerID: u.ID, AccountID: acct, Symbol: "AAPL", Side: invest.SideBuy,
				Quantity: qty, Price: price, Total: 1, Currency: ledger.USD, Rounding: invest.RoundBank, TransferID: tr.ID, CreatedAt: e.clock.Now()})
		})
		if err != nil {
			t.Fatal(err)
		}
		rep, err := e.db.VerifyLedger(ctx)
		if err != nil {
			t.Fatal(err)
		}
		if rep.OK || len(rep.Problems) != 1 || rep.Problems[0].Kind != "fill_rounding" {
			t.Fatalf("verify = %+v, want one fill_rounding problem", rep)
		}
		// A holding whose cost basis no longer matches the cash the
		// settlement account took for it.
		if err := e.db.InTx(ctx, func(tx *store.Tx) error {
			return tx.PutHolding(ctx, invest.Holding{AccountID: acct, Symbol: "AAPL", Quantity: qty, CostBasis: 2, UpdatedAt: e.clock.Now()})
		}); err != nil {
			t.Fatal(err)
		}
		rep, err = e.db.VerifyLedger(ctx)
		if err != nil {
			t.Fatal(err)
		}
		kinds := map[string]bool{}
		for _, p := range rep.Problems {
			kinds[p.Kind] = true
		}
		if !kinds["settlement_mismatch"] {
			t.Fatalf("verify = %+v, want a settlement_mismatch problem", rep)
		}
	})
}

// gate holds password verifications until it is opened, counting them.
// It has no hashing bound, so every held request waits inside Verify.
type gate struct {
	open     chan struct{}
	on       atomic.Bool // hold only once set, so that sign-up is not held
	waiting  atomic.Int32
	verified atomic.Int32
}

func (g *gate) Hash(ctx context.Context, pw string) (string, error) {
	return auth.Argon2id{}.Hash(ctx, pw)
}

func (g *gate) Verify(ctx context.Context, hash, pw string) (bool, error) {
	if g.on.Load() {
		g.waiting.Add(1)
		<-g.open
		g.verified.Add(1)
	}
	return auth.Argon2id{}.Verify(ctx, hash, pw)
}

// waitFor polls cond (a counter the server moves) until it holds.
func waitFor(t *testing.T, what string, cond func() bool) {
	t.Helper()
	deadline := time.Now().Add(20 * time.Second)
	for !cond() {
		if time.Now().After(deadline) {
			t.Fatalf("timed out waiting for %s", what)
		}
		time.Sleep(time.Millisecond)
	}
}

// guessRace sends ten sign-ins with body bad and holds them in password
// verification, then sends good: it must be refused while the ten are
// held, and no more than ten passwords may be checked in all.
func guessRace(t *testing.T, e *env, g *gate, bad, good map[string]string) {
	t.Helper()
	g.on.Store(true)
	var wg sync.WaitGroup
	for range 10 {
		wg.Go(func() { e.do(req{Method: "POST", Path: "/api/v1/auth/login", Body: bad}) })
	}
	waitFor(t, "ten guesses in verification", func() bool { return g.waiting.Load() == 10 })
	right := make(chan response, 1)
	go func() { right <- e.do(req{Method: "POST", Path: "/api/v1/auth/login", Body: good}) }()
	// Either it is answered at once (locked), or it too reaches the gate
	// (the old code, which checked the lock before verifying).
	var r response
	waitFor(t, "the right guess to be answered or held", func() bool {
		select {
		case r = <-right:
			return true
		default:
			return g.waiting.Load() == 11
		}
	})
	close(g.open)
	wg.Wait()
	if r.Status == 0 {
		r = <-right
	}
	expect(t, r, http.StatusTooManyRequests, "account_locked")
	if n := g.verified.Load(); n > 10 {
		t.Fatalf("%d passwords were checked, want at most 10", n)
	}
	expect(t, e.do(req{Method: "POST", Path: "/api/v1/auth/login", Body: good}), http.StatusTooManyRequests, "account_locked")
}

// Finding 2: the lock check and the failure count are atomic with the
// verification. Ten wrong passwords held in verification, then the right
// one: refused, since the ten used up the guesses.
func TestLockoutHoldsUnderConcurrentGuesses(t *testing.T) {
	storetest.Run(t, func(t *testing.T, db *store.DB) {
		g := &gate{open: make(chan struct{})}
		e := newEnvDeps(t, db, func(o *app.Options) { o.Hasher = g })
		u := e.signUp("Race")
		guessRace(t, e, g, map[string]string{"email": u.Email, "password": "wrong-password-123"}, loginBody(u))
	})
}

// Finding 2 with TOTP: ten wrong codes held, then the right code: refused.
func TestLockoutHoldsForTOTPGuesses(t *testing.T) {
	storetest.Run(t, func(t *testing.T, db *store.DB) {
		g := &gate{open: make(chan struct{})}
		e := newEnvDeps(t, db, func(o *app.Options) { o.Hasher = g })
		u := e.signUp("Totp")
		secret := enableTOTP(t, e, u)
		e.clock.Advance(30 * time.Second)
		code, err := totp.GenerateCode(secret, e.clock.Now())
		if err != nil {
			t.Fatal(err)
		}
		wrong := "000000"
		if code == wrong {
			wrong = "111111"
		}
		guessRace(t, e, g, map[string]string{"email": u.Email, "password": u.Password, "totp_code": wrong},
			map[string]string{"email": u.Email, "password": u.Password, "totp_code": code})
	})
}

// enableTOTP turns on 2FA for u and returns the secret.
func enableTOTP(t *testing.T, e *env, u *user) string {
	t.Helper()
	r := post(t, e, "/api/v1/me/2fa/setup", nil, u.Token)
	expect(t, r, http.StatusOK, "")
	secret := r.JSON(t)["secret"].(string)
	c, err := totp.GenerateCode(secret, e.clock.Now())
	if err != nil {
		t.Fatal(err)
	}
	expect(t, post(t, e, "/api/v1/me/2fa/enable", map[string]string{"code": c}, u.Token), http.StatusNoContent, "")
	return secret
}

// Finding 3: a refresh token unused for SESSION_IDLE_TIMEOUT is dead, and a
// cookie session ends at SESSION_MAX_AGE however active it is.
func TestSessionsIdleOutAndEnd(t *testing.T) {
	eachEngine(t, func(t *testing.T, e *env) {
		u := e.signUp("Idle")
		// Used every 29 minutes: alive.
		refresh := u.Refresh
		for range 3 {
			e.clock.Advance(29 * time.Minute)
			r := post(t, e, "/api/v1/auth/refresh", map[string]string{"refresh_token": refresh}, "")
			expect(t, r, http.StatusOK, "")
			_, refresh = tokensOf(t, r)
		}
		e.clock.Advance(31 * time.Minute)
		expect(t, post(t, e, "/api/v1/auth/refresh", map[string]string{"refresh_token": refresh}, ""), http.StatusUnauthorized, "unauthorized")

		// A cookie session: Max-Age is the absolute lifetime, 12 h, counting down.
		r := post(t, e, "/api/v1/auth/login", map[string]string{"email": u.Email, "password": u.Password, "session": "cookie"}, "")
		expect(t, r, http.StatusOK, "")
		c := refreshCookie(r)
		if c == nil || c.MaxAge > 12*3600 || c.MaxAge < 12*3600-60 {
			t.Fatalf("cookie = %v, want Max-Age 12 h", c)
		}
		withCookie := func(v string) req {
			return req{Method: "POST", Path: "/api/v1/auth/refresh", Headers: map[string]string{"Cookie": api.RefreshCookie + "=" + v}}
		}
		for i := 1; i <= 24; i++ { // 24 × 29 min = 11 h 36 min
			e.clock.Advance(29 * time.Minute)
			r = validated(t, e, withCookie(c.Value))
			expect(t, r, http.StatusOK, "")
			c = refreshCookie(r)
			if left := 12*3600 - i*29*60; c.MaxAge > left || c.MaxAge < left-60 {
				t.Fatalf("after %d refreshes the cookie's Max-Age is %d, want %d", i, c.MaxAge, left)
			}
		}
		e.clock.Advance(29 * time.Minute) // past 12 h
		expect(t, validated(t, e, withCookie(c.Value)), http.StatusUnauthorized, "unauthorized")
	})
}

// Finding 4: wrong current passwords on /me/password and /me/2fa/disable
// count toward the lockout.
func TestPasswordRecheckCountsTowardLockout(t *testing.T) {
	for _, tc := range []struct {
		path string
		body func(pw string) map[string]string
	}{
		{"/api/v1/me/password", func(pw string) map[string]string {
			return map[string]string{"current_password": pw, "new_password": "another-long-Passw0rd!"}
		}},
		{"/api/v1/me/2fa/disable", func(pw string) map[string]string { return map[string]string{"password": pw} }},
	} {
		t.Run(strings.TrimPrefix(tc.path, "/api/v1/me/"), func(t *testing.T) {
			eachEngine(t, func(t *testing.T, e *env) {
				u := e.signUp("Recheck")
				for range 9 {
					expect(t, post(t, e, tc.path, tc.body("wrong-password-123"), u.Token), http.StatusUnauthorized, "invalid_credentials")
				}
				expect(t, post(t, e, tc.path, tc.body("wrong-password-123"), u.Token), http.StatusTooManyRequests, "account_locked")
				// Locked everywhere: the right password is refused here and at sign-in.
				expect(t, post(t, e, tc.path, tc.body(u.Password), u.Token), http.StatusTooManyRequests, "account_locked")
				expect(t, post(t, e, "/api/v1/auth/login", loginBody(u), ""), http.StatusTooManyRequests, "account_locked")
			})
		})
	}
}

// Finding 5: NUL bytes and invalid UTF-8 are refused before SQL, the same on
// both engines.
func TestNULAndInvalidUTF8(t *testing.T) {
	eachEngine(t, func(t *testing.T, e *env) {
		u := e.signUp("Nul")
		acct := e.invAccount(u, ledger.TypeChecking, 0)
		key := map[string]string{"Idempotency-Key": uuid.NewString()}
		for _, tc := range []struct {
			q      req
			status int
			code   string
		}{
			{req{Method: "POST", Path: "/api/v1/auth/login", Body: `{"email":"a\u0000@example.com","password":"x-long-enough-pw"}`}, 400, "invalid_json"},
			{req{Method: "POST", Path: "/api/v1/auth/register", Body: "{\"email\":\"a\xff@example.com\",\"password\":\"x-long-enough-pw\",\"full_name\":\"A\"}"}, 400, "invalid_json"},
			{req{Method: "GET", Path: "/api/v1/accounts/%FF", Token: u.Token}, 404, "not_found"},
			{req{Method: "GET", Path: "/api/v1/accounts/%00", Token: u.Token}, 404, "not_found"},
			{req{Method: "GET", Path: "/api/v1/orders?account_id=%FF", Token: u.Token}, 422, "invalid_parameter"},
			{req{Method: "GET", Path: "/api/v1/transfers?cursor=__4A", Token: u.Token}, 422, "invalid_parameter"},
			{req{Method: "GET", Path: "/api/v1/accounts/" + acct + "/transactions?q=%00", Token: u.Token}, 422, "invalid_parameter"},
			{req{Method: "DELETE", Path: "/api/v1/me/sessions/%00", Token: u.Token}, 404, "not_found"},
			{req{Method: "POST", Path: "/api/v1/deposits", Token: u.Token, Headers: key, Body: `{"account_id":"\u0000","amount":"1.00"}`}, 400, "invalid_json"},
			{req{Method: "PATCH", Path: "/api/v1/me", Token: u.Token, Body: `{"full_name":"A\u0000B"}`}, 400, "invalid_json"},
		} {
			r := e.do(tc.q)
			if r.Status != tc.status || r.JSON(t)["code"] != tc.code {
				t.Errorf("%s %s: %d %s, want %d %s", tc.q.Method, tc.q.Path, r.Status, r.Body, tc.status, tc.code)
			}
		}
		// A user agent that is not UTF-8 is stored cleaned, not refused.
		r := e.do(req{Method: "POST", Path: "/api/v1/auth/login", Body: loginBody(u), Headers: map[string]string{"User-Agent": "curl\xff/8"}})
		expect(t, r, http.StatusOK, "")
	})
}

// Finding 6: /metrics is not served on the API port.
func TestMetricsNotOnTheAPIPort(t *testing.T) {
	eachEngine(t, func(t *testing.T, e *env) {
		r := e.do(req{Method: "GET", Path: "/metrics"})
		if r.Status != http.StatusNotFound || strings.Contains(string(r.Body), "go_goroutines") {
			t.Fatalf("GET /metrics on the API port: %d %.200s", r.Status, r.Body)
		}
	})
}

// Finding 7: an unknown email locks like a known one, so the lockout does
// not tell which emails have accounts.
func TestUnknownEmailLocksLikeAKnownOne(t *testing.T) {
	eachEngine(t, func(t *testing.T, e *env) {
		u := e.signUp("Known")
		for _, email := range []string{u.Email, "  NoBody-" + strconv.FormatInt(time.Now().UnixNano(), 36) + "@Example.com "} {
			bad := map[string]string{"email": email, "password": "wrong-password-123"}
			for range 9 {
				expect(t, post(t, e, "/api/v1/auth/login", bad, ""), http.StatusUnauthorized, "invalid_credentials")
			}
			r := post(t, e, "/api/v1/auth/login", bad, "")
			expect(t, r, http.StatusTooManyRequests, "account_locked")
			if r.Header.Get("Retry-After") == "" {
				t.Fatalf("%s: no Retry-After", email)
			}
			r = post(t, e, "/api/v1/auth/login", bad, "")
			expect(t, r, http.StatusTooManyRequests, "account_locked")
		}
	})
}

// Finding 8: weak passwords are refused with a reason.
func TestWeakPasswordsRefused(t *testing.T) {
	eachEngine(t, func(t *testing.T, e *env) {
		for i, pw := range []string{"123456789012", "111111111111", "aaaaaaaaaaaa", "passwordpassword", "qwertyuiopas", "            ", "\t\t\t\t\t\t\t\t\t\t\t\t"} {
			r := post(t, e, "/api/v1/auth/register", map[string]string{"email": fmt.Sprintf("weak%d-%d@example.com", i, time.Now().UnixNano()), "password": pw, "full_name": "Weak"}, "")
			expect(t, r, http.StatusUnprocessableEntity, "validation_failed")
			if !strings.Contains(string(r.Body), `"field":"password"`) {
				t.Errorf("%q: no password field error: %s", pw, r.Body)
			}
		}
		// A strong one still passes, and the rule holds for password changes too.
		u := e.signUp("Strong")
		r := post(t, e, "/api/v1/me/password", map[string]string{"current_password": u.Password, "new_password": "qwertyuiopas"}, u.Token)
		expect(t, r, http.StatusUnprocessableEntity, "validation_failed")
	})
}
