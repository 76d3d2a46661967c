package api_test

import (
	"net/http"
	"sync"
	"testing"

	"github.com/google/uuid"

	"github.com/bankapp/bankapp/internal/app"
	"github.com/bankapp/bankapp/internal/features"
	"github.com/bankapp/bankapp/internal/ledger"
	"github.com/bankapp/bankapp/internal/store"
	"github.com/bankapp/bankapp/internal/store/storetest"
)

// settings is an environment a test changes while the server runs, as SSM
// changes under a running task.
type settings struct {
	mu sync.Mutex
	m  map[string]string
}

func (s *settings) set(k, v string) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.m[k] = v
}

func (s *settings) get(k string) string {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.m[k]
}

// flagsOf is GET /api/v1/features.
func (e *env) flagsOf(u *user) map[string]any {
	e.t.Helper()
	r := e.vdo(req{Method: "GET", Path: "/api/v1/features", Token: u.Token})
	expect(e.t, r, http.StatusOK, "")
	return r.JSON(e.t)["features"].(map[string]any)
}

func TestFeaturesEndpoint(t *testing.T) {
	e := newEnv(t, storetest.Open(t, store.SQLite))
	expect(t, e.vdo(req{Method: "GET", Path: "/api/v1/features"}), http.StatusUnauthorized, "unauthorized")
	u := e.signUp("Flo")
	if f := e.flagsOf(u); len(f) != 1 || f["crypto_trading"] != true {
		t.Fatalf("features = %v, want every flag at its default", f)
	}
}

// TestCryptoTradingFlag: FEATURE_CRYPTO_TRADING flips crypto orders (buy
// and sell) without a restart — the server's flag set re-reads its
// settings as features.Watch does every minute — while stocks, crypto
// quotes and holdings are untouched, and a replay of a crypto order filled
// before still answers its fill.
func TestCryptoTradingFlag(t *testing.T) {
	storetest.Run(t, func(t *testing.T, db *store.DB) {
		env := &settings{m: map[string]string{}}
		flags := features.New(env.get, nil)
		e := newEnvDeps(t, db, func(o *app.Options) { o.Features = flags })
		u := e.signUp("Cass")
		acct := e.invAccount(u, ledger.TypeBrokerage, 2_000_000)
		buyBTC := map[string]any{"account_id": acct, "symbol": "BTC-USD", "side": "buy", "notional": "100.00"}
		key := uuid.NewString()
		expect(t, e.invOrder(u, key, buyBTC), http.StatusCreated, "")

		env.set("FEATURE_CRYPTO_TRADING", "false")
		if changed := flags.Update(env.get); len(changed) != 1 {
			t.Fatalf("re-read changed %v", changed)
		}
		if f := e.flagsOf(u); f["crypto_trading"] != false {
			t.Fatalf("features = %v after turning crypto trading off", f)
		}
		cash := e.invCash(acct)
		expect(t, e.invOrder(u, "", buyBTC), http.StatusForbidden, "feature_disabled")
		expect(t, e.invOrder(u, "", map[string]any{"account_id": acct, "symbol": "btc-usd", "side": "sell", "quantity": "0.0001"}),
			http.StatusForbidden, "feature_disabled")
		// A coin missing from the catalogue is crypto too.
		expect(t, e.invOrder(u, "", map[string]any{"account_id": acct, "symbol": "PEPE-USD", "side": "buy", "notional": "5.00"}),
			http.StatusForbidden, "feature_disabled")
		if got := e.invCash(acct); got != cash {
			t.Fatalf("cash moved while crypto trading was off: %d → %d", cash, got)
		}
		replay := e.invOrder(u, key, buyBTC)
		expect(t, replay, http.StatusCreated, "")
		if replay.Header.Get("Idempotent-Replayed") != "true" {
			t.Fatal("the replay of a filled crypto order was not answered from its record")
		}
		expect(t, e.invOrder(u, "", map[string]any{"account_id": acct, "symbol": "AAPL", "side": "buy", "quantity": "1"}), http.StatusCreated, "")
		expect(t, e.vdo(req{Method: "GET", Path: "/api/v1/market/quotes?symbols=BTC-USD", Token: u.Token}), http.StatusOK, "")
		if h := holdingOf(t, e.invPortfolio(u, ""), "BTC-USD"); h == nil {
			t.Fatal("the crypto holding left the portfolio")
		}

		env.set("FEATURE_CRYPTO_TRADING", "on")
		flags.Update(env.get)
		expect(t, e.invOrder(u, "", buyBTC), http.StatusCreated, "")
		e.invVerify()
	})
}
