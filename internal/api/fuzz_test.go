package api_test

import (
	"bytes"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
	"time"

	"github.com/prometheus/client_golang/prometheus"

	"github.com/bankapp/bankapp/internal/api"
	"github.com/bankapp/bankapp/internal/app"
	"github.com/bankapp/bankapp/internal/auth"
	"github.com/bankapp/bankapp/internal/blob"
	"github.com/bankapp/bankapp/internal/config"
	"github.com/bankapp/bankapp/internal/market"
	"github.com/bankapp/bankapp/internal/store"
	"github.com/bankapp/bankapp/internal/store/storetest"
	"github.com/bankapp/bankapp/internal/telemetry"
)

// newTBServer is the API on a fresh SQLite database for fuzzing and
// benchmarks (newEnv needs a *testing.T). Rate limits are off; log lines
// are formatted as in production (JSON) and thrown away.
func newTBServer(tb testing.TB, now func() time.Time) *api.Server {
	tb.Helper()
	cfg, err := config.Load(func(k string) string {
		switch k {
		case "AUTH_RATE_LIMIT_PER_MINUTE", "API_RATE_LIMIT_PER_MINUTE":
			return "0"
		}
		return ""
	})
	if err != nil {
		tb.Fatal(err)
	}
	cfg.JWTSigningKey = []byte("fuzz-and-bench-signing-key-of-32-bytes!")
	cfg.DataDir = tb.TempDir()
	db := storetest.Open(tb, store.SQLite)
	db.SetClock(now)
	tokens, err := auth.NewTokens(cfg.JWTSigningKey, cfg.JWTIssuer, cfg.AccessTokenTTL, now)
	if err != nil {
		tb.Fatal(err)
	}
	mkt, err := market.New(market.Options{Provider: "simulated", Now: now})
	if err != nil {
		tb.Fatal(err)
	}
	blobs, err := blob.NewLocal(tb.TempDir())
	if err != nil {
		tb.Fatal(err)
	}
	return serverOf(tb, app.Options{Config: cfg, DB: db, Tokens: tokens, Registerer: prometheus.NewRegistry(), Market: mkt, Blobs: blobs,
		Logger: telemetry.NewLogger(io.Discard, "info", "json"), Now: now, TracerProvider: benchTracer(tb)})
}

// serve runs one request through the handler, in memory.
func serve(h http.Handler, method, path, token string, body []byte, headers map[string]string) *httptest.ResponseRecorder {
	r := httptest.NewRequest(method, path, bytes.NewReader(body))
	r.Header.Set("Content-Type", "application/json")
	if token != "" {
		r.Header.Set("Authorization", "Bearer "+token)
	}
	for k, v := range headers {
		r.Header.Set(k, v)
	}
	w := httptest.NewRecorder()
	h.ServeHTTP(w, r)
	return w
}

// tbSignUp registers and signs in a user through the handler.
func tbSignUp(tb testing.TB, h http.Handler, email string) (token, accountID string) {
	tb.Helper()
	body := fmt.Sprintf(`{"email":%q,"password":%q,"full_name":"Fuzz"}`, email, testPassword)
	if w := serve(h, "POST", "/api/v1/auth/register", "", []byte(body), nil); w.Code != http.StatusCreated {
		tb.Fatalf("register: %d %s", w.Code, w.Body)
	}
	w := serve(h, "POST", "/api/v1/auth/login", "", []byte(fmt.Sprintf(`{"email":%q,"password":%q}`, email, testPassword)), nil)
	var m struct {
		AccessToken string `json:"access_token"`
	}
	if err := json.Unmarshal(w.Body.Bytes(), &m); err != nil || m.AccessToken == "" {
		tb.Fatalf("login: %d %s", w.Code, w.Body)
	}
	w = serve(h, "GET", "/api/v1/accounts", m.AccessToken, nil, nil)
	var accts struct {
		Items []struct{ ID string } `json:"items"`
	}
	if err := json.Unmarshal(w.Body.Bytes(), &accts); err != nil || len(accts.Items) == 0 {
		tb.Fatalf("accounts: %d %s", w.Code, w.Body)
	}
	return m.AccessToken, accts.Items[0].ID
}

// fuzzTarget is an endpoint whose JSON body the fuzzer writes.
type fuzzTarget struct {
	method, path string
	authed       bool
	idempotent   bool
}

var fuzzTargets = []fuzzTarget{
	{"POST", "/api/v1/auth/register", false, false},
	{"POST", "/api/v1/auth/login", false, false},
	{"POST", "/api/v1/auth/refresh", false, false},
	{"POST", "/api/v1/auth/logout", false, false},
	{"PATCH", "/api/v1/me", true, false},
	{"POST", "/api/v1/me/2fa/enable", true, false},
	{"POST", "/api/v1/me/2fa/disable", true, false},
	{"POST", "/api/v1/accounts", true, false},
	{"POST", "/api/v1/deposits", true, true},
	{"POST", "/api/v1/withdrawals", true, true},
	{"POST", "/api/v1/transfers", true, true},
	{"POST", "/api/v1/payees", true, false},
	{"POST", "/api/v1/orders", true, true},
}

// FuzzDecode sends arbitrary bodies to the JSON endpoints through the real
// handler (decoding, validation, and whatever runs after): never a 5xx,
// never a panic, every error a problem document with a contract code and no
// leaked internals. `make test` runs it for 15 s.
func FuzzDecode(f *testing.F) {
	h := newTBServer(f, time.Now)
	token, acct := tbSignUp(f, h, "fuzz@example.com")
	seeds := []string{
		`{"email":"fuzz@example.com","password":"x"}`,
		`{"email":"new@example.com","password":"` + testPassword + `","full_name":"N"}`,
		`{"email":"a@b.co","password":"x","totp_code":"123456","session":"cookie"}`,
		`{"refresh_token":"abc"}`, `{}`, `null`, `[]`, `""`, `0`, `{"a":1}{"b":2}`, `{"full_name":"\u0000"}`,
		`{"full_name":"Zoë"}`, `{"code":"12345x"}`, `{"password":""}`, `{"type":"savings","currency":"EUR","name":"S"}`,
		`{"account_id":"` + acct + `","amount":"12.50"}`, `{"account_id":"` + acct + `","amount":12.5}`,
		`{"account_id":"` + acct + `","amount":"1e3"}`, `{"account_id":"` + acct + `","amount":"-0.01","description":"x"}`,
		`{"from_account_id":"` + acct + `","to_account_number":"000000000000","amount":"1"}`,
		`{"name":"P","account_number":"123456789012"}`, `{"account_id":"` + acct + `","symbol":"AAPL","side":"buy","quantity":"0.5"}`,
		`{"account_id":"` + acct + `","symbol":"BTC-USD","side":"sell","notional":"10"}`, `{"email":"` + strings.Repeat("a", 300) + `"}`,
		`{"role":"admin"}`, `{"balance":"1"}`, "\xff\xfe{", `{"email":"a\ud800"}`,
	}
	for i, s := range seeds {
		for j := range fuzzTargets {
			if (i+j)%3 == 0 {
				f.Add(uint8(j), []byte(s))
			}
		}
	}
	n := 0
	f.Fuzz(func(t *testing.T, which uint8, body []byte) {
		tg := fuzzTargets[int(which)%len(fuzzTargets)]
		var tok string
		if tg.authed {
			tok = token
		}
		hdr := map[string]string{}
		if tg.idempotent {
			n++
			hdr["Idempotency-Key"] = fmt.Sprintf("fuzz-%d-%d", time.Now().UnixNano(), n)
		}
		w := serve(h, tg.method, tg.path, tok, body, hdr)
		r := response{Status: w.Code, Header: w.Header(), Body: w.Body.Bytes()}
		if r.Status >= 500 && !(tg.path == "/api/v1/orders" && r.Status == http.StatusServiceUnavailable) {
			t.Fatalf("%s %s with %q: %d %s", tg.method, tg.path, body, r.Status, r.Body)
		}
		if r.Status < 400 {
			return
		}
		if ct := r.Header.Get("Content-Type"); ct != "application/problem+json" {
			t.Fatalf("%s %s with %q: %d with Content-Type %q", tg.method, tg.path, body, r.Status, ct)
		}
		var p struct {
			Status int    `json:"status"`
			Code   string `json:"code"`
			Detail string `json:"detail"`
		}
		if err := json.Unmarshal(r.Body, &p); err != nil || p.Status != r.Status || p.Code == "" || p.Detail == "" {
			t.Fatalf("%s %s with %q: bad problem document %s (%v)", tg.method, tg.path, body, r.Body, err)
		}
		checkNoLeak(t, r)
	})
}
