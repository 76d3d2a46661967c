package api_test

import (
	"bytes"
	"encoding/json"
	"io"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync"
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

// clock is a controllable time source shared by the server and the test.
type clock struct {
	mu sync.Mutex
	t  time.Time
}

func (c *clock) Now() time.Time { c.mu.Lock(); defer c.mu.Unlock(); return c.t }
func (c *clock) Advance(d time.Duration) {
	c.mu.Lock()
	c.t = c.t.Add(d)
	c.mu.Unlock()
}

// env is one API server on a real migrated database, reached over real HTTP.
type env struct {
	t     testing.TB
	db    *store.DB
	srv   *httptest.Server
	clock *clock
	cfg   config.Config
	reg   *prometheus.Registry
	// svc and opts built the server (a test that runs jobs builds the
	// runner from them: svc.Jobs).
	svc  *app.Services
	opts app.Options
}

// metrics is what the metrics listener (METRICS_ADDR) serves for this
// server's registry.
func (e *env) metrics() string {
	e.t.Helper()
	rec := httptest.NewRecorder()
	telemetry.MetricsHandler(e.reg).ServeHTTP(rec, httptest.NewRequest("GET", "/metrics", nil))
	if rec.Code != http.StatusOK {
		e.t.Fatalf("metrics: %d", rec.Code)
	}
	return rec.Body.String()
}

// envOption adjusts the config before the server starts.
type envOption func(*config.Config)

func newEnv(t testing.TB, db *store.DB, opts ...envOption) *env {
	t.Helper()
	return newEnvDeps(t, db, nil, opts...)
}

// newEnvDeps is newEnv with a last say on the server's dependencies.
func newEnvDeps(t testing.TB, db *store.DB, deps func(*app.Options), opts ...envOption) *env {
	t.Helper()
	cfg, err := config.Load(func(k string) string {
		switch k {
		case "AUTH_RATE_LIMIT_PER_MINUTE", "API_RATE_LIMIT_PER_MINUTE":
			return "0" // off unless a test turns it on
		}
		return ""
	})
	if err != nil {
		t.Fatal(err)
	}
	cfg.JWTSigningKey = []byte("test-signing-key-that-is-long-enough-32b")
	cfg.DataDir = t.TempDir()
	for _, o := range opts {
		o(&cfg)
	}
	clk := &clock{t: time.Now().UTC()}
	db.SetClock(clk.Now)
	tokens, err := auth.NewTokens(cfg.JWTSigningKey, cfg.JWTIssuer, cfg.AccessTokenTTL, clk.Now)
	if err != nil {
		t.Fatal(err)
	}
	reg := prometheus.NewRegistry()
	mkt, err := market.New(market.Options{Provider: "simulated", Now: clk.Now})
	if err != nil {
		t.Fatal(err)
	}
	blobs, err := blob.NewLocal(t.TempDir())
	if err != nil {
		t.Fatal(err)
	}
	o := app.Options{Config: cfg, DB: db, Tokens: tokens, Registerer: reg, Market: mkt, Blobs: blobs, Now: clk.Now}
	if deps != nil {
		deps(&o)
	}
	svc := servicesOf(t, o)
	srv := httptest.NewServer(svc.Server(o, nil))
	t.Cleanup(srv.Close)
	return &env{t: t, db: db, srv: srv, clock: clk, cfg: cfg, reg: reg, svc: svc, opts: o}
}

// serverOf builds the services and the HTTP server over them, stopped when
// the test ends.
func serverOf(t testing.TB, o app.Options) *api.Server {
	t.Helper()
	return servicesOf(t, o).Server(o, nil)
}

// servicesOf builds the services, stopped when the test ends.
func servicesOf(t testing.TB, o app.Options) *app.Services {
	t.Helper()
	svc, err := app.New(o)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(svc.Close)
	return svc
}

// eachEngine runs fn against a fresh server on SQLite and on PostgreSQL.
func eachEngine(t *testing.T, fn func(t *testing.T, e *env), opts ...envOption) {
	storetest.Run(t, func(t *testing.T, db *store.DB) { fn(t, newEnv(t, db, opts...)) })
}

// response is what a request returned.
type response struct {
	Status int
	Header http.Header
	Body   []byte
}

// JSON decodes the body into a generic map.
func (r response) JSON(t testing.TB) map[string]any {
	t.Helper()
	var m map[string]any
	if err := json.Unmarshal(r.Body, &m); err != nil {
		t.Fatalf("body is not a JSON object: %v: %s", err, r.Body)
	}
	return m
}

// req is one request to make.
type req struct {
	Method  string
	Path    string
	Body    any // string/[]byte are sent as is; anything else as JSON
	Token   string
	Headers map[string]string
}

func (e *env) do(q req) response {
	e.t.Helper()
	var body io.Reader
	switch b := q.Body.(type) {
	case nil:
	case string:
		body = strings.NewReader(b)
	case []byte:
		body = bytes.NewReader(b)
	default:
		j, err := json.Marshal(b)
		if err != nil {
			e.t.Fatal(err)
		}
		body = bytes.NewReader(j)
	}
	r, err := http.NewRequest(q.Method, e.srv.URL+q.Path, body)
	if err != nil {
		e.t.Fatal(err)
	}
	if body != nil {
		r.Header.Set("Content-Type", "application/json")
	}
	if q.Token != "" {
		r.Header.Set("Authorization", "Bearer "+q.Token)
	}
	for k, v := range q.Headers {
		r.Header.Set(k, v)
	}
	resp, err := e.srv.Client().Do(r)
	if err != nil {
		e.t.Fatal(err)
	}
	defer resp.Body.Close()
	b, _ := io.ReadAll(resp.Body)
	return response{Status: resp.StatusCode, Header: resp.Header, Body: b}
}

// expect fails unless the response has the status and, for errors, is a
// problem document with the code.
func expect(t testing.TB, r response, status int, code string) {
	t.Helper()
	if r.Status != status {
		t.Fatalf("status = %d, want %d; body %s", r.Status, status, r.Body)
	}
	if code == "" {
		return
	}
	if ct := r.Header.Get("Content-Type"); ct != "application/problem+json" {
		t.Fatalf("content-type = %q, want application/problem+json", ct)
	}
	m := r.JSON(t)
	if m["code"] != code {
		t.Fatalf("code = %v, want %s; body %s", m["code"], code, r.Body)
	}
	if int(m["status"].(float64)) != status {
		t.Fatalf("problem status = %v, want %d", m["status"], status)
	}
}

// user is a registered, signed-in customer.
type user struct {
	ID, Email, Password string
	Token, Refresh      string
}

const testPassword = "a-long-enough-Passw0rd!"

// signUp registers and signs in a new customer.
func (e *env) signUp(name string) *user {
	e.t.Helper()
	email := strings.ToLower(name) + "-" + strings.ReplaceAll(time.Now().Format("150405.000000000"), ".", "") + "@example.com"
	r := e.do(req{Method: "POST", Path: "/api/v1/auth/register", Body: map[string]string{"email": email, "password": testPassword, "full_name": name}})
	expect(e.t, r, http.StatusCreated, "")
	u := &user{ID: r.JSON(e.t)["user"].(map[string]any)["id"].(string), Email: email, Password: testPassword}
	e.login(u)
	return u
}

func (e *env) login(u *user) {
	e.t.Helper()
	r := e.do(req{Method: "POST", Path: "/api/v1/auth/login", Body: map[string]string{"email": u.Email, "password": u.Password}})
	expect(e.t, r, http.StatusOK, "")
	m := r.JSON(e.t)
	u.Token, u.Refresh = m["access_token"].(string), m["refresh_token"].(string)
}
