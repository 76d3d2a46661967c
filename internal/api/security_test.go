package api_test

import (
	"context"
	"net/http"
	"net/netip"
	"regexp"
	"strings"
	"testing"
	"time"

	"github.com/bankapp/bankapp/internal/api"
	"github.com/bankapp/bankapp/internal/config"
)

func TestBodyLimitsAndDecoding(t *testing.T) {
	eachEngine(t, func(t *testing.T, e *env) {
		u := e.signUp("Bod")
		big := `{"email":"a@example.com","password":"` + strings.Repeat("p", api.MaxBodyBytes) + `","full_name":"X"}`
		expect(t, post(t, e, "/api/v1/auth/register", big, ""), http.StatusRequestEntityTooLarge, "payload_too_large")
		expect(t, post(t, e, "/api/v1/auth/login", big, ""), http.StatusRequestEntityTooLarge, "payload_too_large")
		expect(t, validated(t, e, req{Method: "PATCH", Path: "/api/v1/me", Body: `{"full_name":"` + strings.Repeat("x", 70_000) + `"}`, Token: u.Token}),
			http.StatusRequestEntityTooLarge, "payload_too_large")
		// Exactly at the limit is read (and then judged on its content).
		atLimit := `{"full_name":"` + strings.Repeat("x", api.MaxBodyBytes-len(`{"full_name":""}`)) + `"}`
		expect(t, validated(t, e, req{Method: "PATCH", Path: "/api/v1/me", Body: atLimit, Token: u.Token}), http.StatusUnprocessableEntity, "validation_failed")

		for name, body := range map[string]string{
			"malformed":      `{"email":`,
			"not json":       `email=a@example.com`,
			"trailing data":  `{"email":"a@example.com","password":"x"} {"x":1}`,
			"trailing junk":  `{"email":"a@example.com","password":"x"} x`,
			"wrong type":     `{"email":5,"password":"x"}`,
			"wrong type 2":   `{"email":"a@example.com","password":["x"]}`,
			"array":          `[{"email":"a@example.com","password":"x"}]`,
			"string":         `"hello"`,
			"number":         `42`,
			"null":           `null`,
			"empty":          ``,
			"blank":          "  \n ",
			"unknown field":  `{"email":"a@example.com","password":"x","remember_me":true}`,
			"mass role":      `{"email":"a@example.com","password":"x","role":"admin"}`,
			"duplicate-case": `{"email":"a@example.com","password":"x","Role":"admin"}`,
		} {
			r := post(t, e, "/api/v1/auth/login", body, "")
			if r.Status != http.StatusBadRequest {
				t.Errorf("%s: status %d: %s", name, r.Status, r.Body)
				continue
			}
			expect(t, r, http.StatusBadRequest, "invalid_json")
		}
		// Mass assignment on register: role, balance and friends are refused,
		// and nothing is created.
		for _, field := range []string{`"role":"admin"`, `"balance":"1000000.00"`, `"totp_enabled":true`, `"id":"x"`, `"status":"active"`, `"owner_id":"x"`} {
			body := `{"email":"mass@example.com","password":"` + testPassword + `","full_name":"M",` + field + `}`
			expect(t, post(t, e, "/api/v1/auth/register", body, ""), http.StatusBadRequest, "invalid_json")
		}
		if _, err := e.db.UserByEmail(context.Background(), "mass@example.com"); err == nil {
			t.Fatal("a refused registration created a user")
		}
		// Wrong media type.
		r := validated(t, e, req{Method: "POST", Path: "/api/v1/auth/login", Body: `{"email":"a@example.com","password":"x"}`,
			Headers: map[string]string{"Content-Type": "text/plain"}})
		expect(t, r, http.StatusUnsupportedMediaType, "unsupported_media_type")
		r = validated(t, e, req{Method: "POST", Path: "/api/v1/auth/login", Body: `email=a`,
			Headers: map[string]string{"Content-Type": "application/x-www-form-urlencoded"}})
		expect(t, r, http.StatusUnsupportedMediaType, "unsupported_media_type")
		r = validated(t, e, req{Method: "POST", Path: "/api/v1/auth/login", Body: loginJSON(u),
			Headers: map[string]string{"Content-Type": "application/json; charset=utf-8"}})
		expect(t, r, http.StatusOK, "")
	})
}

func loginJSON(u *user) string {
	return `{"email":"` + u.Email + `","password":"` + u.Password + `"}`
}

func TestRequestID(t *testing.T) {
	eachEngine(t, func(t *testing.T, e *env) {
		for _, path := range []string{"/healthz", "/api/v1/me", "/api/openapi.json"} {
			r := validated(t, e, req{Method: "GET", Path: path, Headers: map[string]string{"X-Request-Id": "client-req.42:a_b"}})
			if got := r.Header.Get("X-Request-Id"); got != "client-req.42:a_b" {
				t.Errorf("%s: X-Request-Id = %q, want the client's", path, got)
			}
		}
		// A problem document names its request id.
		r := validated(t, e, req{Method: "GET", Path: "/api/v1/me", Headers: map[string]string{"X-Request-Id": "trace-1"}})
		if r.JSON(t)["request_id"] != "trace-1" {
			t.Fatalf("problem request_id: %s", r.Body)
		}
		uuidRE := regexp.MustCompile(`^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$`)
		for _, bad := range []string{"", "has space", strings.Repeat("a", 129), "semi;colon", "<script>"} {
			r := validated(t, e, req{Method: "GET", Path: "/healthz", Headers: map[string]string{"X-Request-Id": bad}})
			if got := r.Header.Get("X-Request-Id"); !uuidRE.MatchString(got) {
				t.Errorf("X-Request-Id for %q = %q, want a fresh UUID", bad, got)
			}
		}
	})
}

func TestSecurityHeaders(t *testing.T) {
	eachEngine(t, func(t *testing.T, e *env) {
		u := e.signUp("Hed")
		for _, q := range []req{{Method: "GET", Path: "/api/v1/me", Token: u.Token}, {Method: "GET", Path: "/api/v1/me"}, {Method: "GET", Path: "/healthz"}} {
			r := validated(t, e, q)
			h := r.Header
			csp := h.Get("Content-Security-Policy")
			for _, want := range []string{"default-src 'self'", "frame-ancestors 'none'", "object-src 'none'"} {
				if !strings.Contains(csp, want) {
					t.Errorf("%s: CSP %q lacks %q", q.Path, csp, want)
				}
			}
			if strings.Contains(csp, "unsafe-inline") || strings.Contains(csp, "unsafe-eval") {
				t.Errorf("CSP allows unsafe sources: %s", csp)
			}
			want := map[string]string{"X-Content-Type-Options": "nosniff", "X-Frame-Options": "DENY", "Referrer-Policy": "no-referrer"}
			for k, v := range want {
				if h.Get(k) != v {
					t.Errorf("%s: %s = %q, want %q", q.Path, k, h.Get(k), v)
				}
			}
			if h.Get("Strict-Transport-Security") != "" {
				t.Errorf("HSTS over plain HTTP from an untrusted peer")
			}
			if strings.HasPrefix(q.Path, "/api/v1/") && h.Get("Cache-Control") != "no-store" {
				t.Errorf("%s: Cache-Control = %q, want no-store", q.Path, h.Get("Cache-Control"))
			}
		}
		// A forged X-Forwarded-Proto from an untrusted peer does not turn HSTS on.
		r := validated(t, e, req{Method: "GET", Path: "/healthz", Headers: map[string]string{"X-Forwarded-Proto": "https"}})
		if r.Header.Get("Strict-Transport-Security") != "" {
			t.Error("HSTS trusted X-Forwarded-Proto from an untrusted peer")
		}
	})
}

// Behind the load balancer (a trusted proxy) TLS is announced by
// X-Forwarded-Proto and the client address comes from X-Forwarded-For.
func TestBehindTrustedProxy(t *testing.T) {
	eachEngine(t, func(t *testing.T, e *env) {
		r := validated(t, e, req{Method: "GET", Path: "/healthz", Headers: map[string]string{"X-Forwarded-Proto": "https"}})
		if hsts := r.Header.Get("Strict-Transport-Security"); !strings.Contains(hsts, "max-age=") {
			t.Fatalf("HSTS = %q behind a TLS-terminating trusted proxy", hsts)
		}
		u := e.signUp("Prox")
		r = validated(t, e, req{Method: "POST", Path: "/api/v1/auth/login", Body: loginJSON(u), Headers: map[string]string{"X-Forwarded-For": "1.2.3.4, 203.0.113.9"}})
		expect(t, r, http.StatusOK, "")
		access, _ := tokensOf(t, r)
		found := false
		for _, s := range get(t, e, "/api/v1/me/sessions", access).JSON(t)["items"].([]any) {
			if s.(map[string]any)["current"] == true {
				found = s.(map[string]any)["ip"] == "203.0.113.9"
			}
		}
		if !found {
			t.Fatal("the session should record the right-most untrusted X-Forwarded-For address")
		}
		// Through CloudFront and the ALB (staging, prod): the ALB appends the
		// edge's address, the edge appended the viewer's; with CloudFront's
		// ranges trusted too, the viewer's address is the client's, and what
		// the client wrote into the header itself is ignored.
		r = validated(t, e, req{Method: "POST", Path: "/api/v1/auth/login", Body: loginJSON(u), Headers: map[string]string{"X-Forwarded-For": "6.6.6.6, 198.51.100.7, 130.176.1.1"}})
		expect(t, r, http.StatusOK, "")
		access, _ = tokensOf(t, r)
		found = false
		for _, s := range get(t, e, "/api/v1/me/sessions", access).JSON(t)["items"].([]any) {
			if s.(map[string]any)["current"] == true {
				found = s.(map[string]any)["ip"] == "198.51.100.7"
			}
		}
		if !found {
			t.Fatal("behind CloudFront the session should record the viewer's address")
		}
	}, func(c *config.Config) {
		c.TrustedProxies = []netip.Prefix{netip.MustParsePrefix("127.0.0.0/8"), netip.MustParsePrefix("130.176.0.0/16"), netip.MustParsePrefix("2600:9000::/28")}
	})
}

func TestHealthAndMetrics(t *testing.T) {
	eachEngine(t, func(t *testing.T, e *env) {
		r := validated(t, e, req{Method: "GET", Path: "/healthz"})
		expect(t, r, http.StatusOK, "")
		if r.JSON(t)["status"] != "ok" {
			t.Fatalf("healthz = %s", r.Body)
		}
		r = validated(t, e, req{Method: "GET", Path: "/readyz"})
		expect(t, r, http.StatusOK, "")
		if r.JSON(t)["status"] != "ready" {
			t.Fatalf("readyz = %s", r.Body)
		}
		u := e.signUp("Met")
		sid := claimsFor(t, e, u).SessionID
		expect(t, validated(t, e, req{Method: "DELETE", Path: "/api/v1/me/sessions/" + sid, Token: u.Token}), http.StatusNoContent, "")
		e.do(req{Method: "GET", Path: "/api/v1/no-such-thing/" + sid})
		expect(t, post(t, e, "/api/v1/auth/login", map[string]string{"email": u.Email, "password": "wrong-password-1"}, ""), http.StatusUnauthorized, "invalid_credentials")

		text := e.metrics()
		for _, want := range []string{
			`bankapp_http_requests_total{method="DELETE",route="DELETE /api/v1/me/sessions/{id}",status="204"} 1`,
			`bankapp_http_requests_total{method="POST",route="POST /api/v1/auth/register",status="201"}`,
			`bankapp_http_request_duration_seconds_bucket{method="GET",route="GET /healthz"`,
			`bankapp_login_failures_total 1`,
			`bankapp_account_lockouts_total 0`,
			`go_goroutines`,
			`go_sql_max_open_connections{db_name="bankapp"}`,
		} {
			if !strings.Contains(text, want) {
				t.Errorf("metrics lack %s", want)
			}
		}
		// Labels are route patterns, never raw paths with ids.
		if strings.Contains(text, sid) {
			t.Error("a raw path (with an id) leaked into the metrics labels")
		}
		for _, line := range strings.Split(text, "\n") {
			if strings.HasPrefix(line, "bankapp_http_requests_total{") && !regexp.MustCompile(`route="(unmatched|[A-Z]+ /[^"]*|/[^"]*)"`).MatchString(line) {
				t.Errorf("odd route label: %s", line)
			}
		}
	})
}

// Anything under /api that is not an endpoint is a JSON 404, never the SPA
// or a bare text error.
func TestUnknownEndpoints(t *testing.T) {
	eachEngine(t, func(t *testing.T, e *env) {
		u := e.signUp("Nof")
		for _, q := range []req{
			{Method: "GET", Path: "/api/v1/nope"},
			{Method: "GET", Path: "/api/v2/me", Token: u.Token},
			{Method: "DELETE", Path: "/api/v1/me", Token: u.Token},
			{Method: "PUT", Path: "/api/v1/auth/login", Body: "{}"},
		} {
			r := e.do(q)
			checkNoLeak(t, r)
			if r.Status != http.StatusNotFound && r.Status != http.StatusMethodNotAllowed {
				t.Errorf("%s %s: status %d", q.Method, q.Path, r.Status)
				continue
			}
			if ct := r.Header.Get("Content-Type"); ct != "application/problem+json" {
				t.Errorf("%s %s: content-type %q: %s", q.Method, q.Path, ct, r.Body)
			}
		}
	})
}

// readyz answers 503 as soon as the server starts draining (SIGTERM), and
// when the database does not answer.
func TestReadyzDraining(t *testing.T) {
	s := newTBServer(t, time.Now)
	check := func(want int, status string) {
		t.Helper()
		w := serve(s, "GET", "/readyz", "", nil, nil)
		r := response{Status: w.Code, Header: w.Header(), Body: w.Body.Bytes()}
		checkResponse(t, req{Method: "GET", Path: "/readyz"}, r)
		if r.Status != want || r.JSON(t)["status"] != status {
			t.Fatalf("readyz = %d %s, want %d %s", r.Status, r.Body, want, status)
		}
	}
	check(http.StatusOK, "ready")
	s.SetDraining()
	check(http.StatusServiceUnavailable, "draining")
	// Liveness is unaffected: the process is fine, it is only leaving.
	if w := serve(s, "GET", "/healthz", "", nil, nil); w.Code != http.StatusOK {
		t.Fatalf("healthz while draining = %d", w.Code)
	}
}
