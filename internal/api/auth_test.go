package api_test

import (
	"context"
	"crypto/rand"
	"crypto/rsa"
	"net/http"
	"sort"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/golang-jwt/jwt/v5"
	"github.com/pquerna/otp/totp"

	"github.com/bankapp/bankapp/internal/api"
	"github.com/bankapp/bankapp/internal/auth"
	"github.com/bankapp/bankapp/internal/config"
	"github.com/bankapp/bankapp/internal/store"
)

// The helpers of this file go through validated, so every response is
// checked against openapi.json and scanned for leaked internals.

func post(t *testing.T, e *env, path string, body any, token string) response {
	t.Helper()
	return validated(t, e, req{Method: "POST", Path: path, Body: body, Token: token})
}

func get(t *testing.T, e *env, path, token string) response {
	t.Helper()
	return validated(t, e, req{Method: "GET", Path: path, Token: token})
}

func loginBody(u *user) map[string]string {
	return map[string]string{"email": u.Email, "password": u.Password}
}

// tokensOf reads the access and refresh tokens of a login or refresh.
func tokensOf(t *testing.T, r response) (access, refresh string) {
	t.Helper()
	m := r.JSON(t)
	access, _ = m["access_token"].(string)
	refresh, _ = m["refresh_token"].(string)
	if access == "" || m["token_type"] != "Bearer" {
		t.Fatalf("no access token: %s", r.Body)
	}
	return access, refresh
}

// refreshCookie returns the session cookie a response sets, or nil.
func refreshCookie(r response) *http.Cookie {
	for _, c := range (&http.Response{Header: r.Header}).Cookies() {
		if c.Name == api.RefreshCookie {
			return c
		}
	}
	return nil
}

// forge signs claims with the server's key (or another key and method).
func forge(t *testing.T, method jwt.SigningMethod, key any, claims jwt.Claims) string {
	t.Helper()
	s, err := jwt.NewWithClaims(method, claims).SignedString(key)
	if err != nil {
		t.Fatal(err)
	}
	return s
}

// claimsFor are valid claims for u's current session (read from its token).
func claimsFor(t *testing.T, e *env, u *user) *auth.Claims {
	t.Helper()
	var c auth.Claims
	if _, _, err := jwt.NewParser().ParseUnverified(u.Token, &c); err != nil {
		t.Fatal(err)
	}
	c.IssuedAt = jwt.NewNumericDate(e.clock.Now())
	c.ExpiresAt = jwt.NewNumericDate(e.clock.Now().Add(5 * time.Minute))
	return &c
}

func TestRegister(t *testing.T) {
	eachEngine(t, func(t *testing.T, e *env) {
		body := map[string]string{"email": "  New.User@Example.COM ", "password": testPassword, "full_name": " New User "}
		r := post(t, e, "/api/v1/auth/register", body, "")
		expect(t, r, http.StatusCreated, "")
		u := r.JSON(t)["user"].(map[string]any)
		if u["email"] != "new.user@example.com" || u["full_name"] != "New User" || u["role"] != "customer" || u["totp_enabled"] != false {
			t.Fatalf("user = %v", u)
		}
		// A USD checking account was opened with the user.
		accts, err := e.db.AccountsByOwner(context.Background(), u["id"].(string))
		if err != nil || len(accts) != 1 || accts[0].Type != "checking" || accts[0].Currency != "USD" || accts[0].Balance != 0 {
			t.Fatalf("accounts = %+v, %v", accts, err)
		}

		expect(t, post(t, e, "/api/v1/auth/register", body, ""), http.StatusConflict, "email_taken")

		for name, b := range map[string]map[string]string{
			"bad email":        {"email": "not-an-email", "password": testPassword, "full_name": "X"},
			"display name":     {"email": "Bob <bob@example.com>", "password": testPassword, "full_name": "X"},
			"short password":   {"email": "s@example.com", "password": "short-pw-1", "full_name": "X"},
			"long password":    {"email": "l@example.com", "password": strings.Repeat("x1Y!", 33), "full_name": "X"},
			"common password":  {"email": "c@example.com", "password": "1qaz2wsx3edc", "full_name": "X"},
			"common password2": {"email": "c@example.com", "password": "Q1W2E3R4T5Y6", "full_name": "X"},
			"email in pw":      {"email": "someone@example.com", "password": "someone-Secret-99", "full_name": "X"},
			"no name":          {"email": "n@example.com", "password": testPassword, "full_name": "  "},
			"missing all":      {},
		} {
			r := post(t, e, "/api/v1/auth/register", b, "")
			expect(t, r, http.StatusUnprocessableEntity, "validation_failed")
			if errs, _ := r.JSON(t)["errors"].([]any); len(errs) == 0 {
				t.Errorf("%s: validation_failed without errors[]: %s", name, r.Body)
			}
		}
	})
}

func TestLogin(t *testing.T) {
	eachEngine(t, func(t *testing.T, e *env) {
		u := e.signUp("Lena")
		r := post(t, e, "/api/v1/auth/login", map[string]string{"email": strings.ToUpper(u.Email), "password": u.Password}, "")
		expect(t, r, http.StatusOK, "")
		m := r.JSON(t)
		if m["expires_in"].(float64) != 900 || m["refresh_token"] == "" || m["user"].(map[string]any)["id"] != u.ID {
			t.Fatalf("login = %s", r.Body)
		}
		if refreshCookie(r) != nil {
			t.Fatal("bearer-mode login must not set the session cookie")
		}
		access, _ := tokensOf(t, r)
		expect(t, get(t, e, "/api/v1/me", access), http.StatusOK, "")

		expect(t, post(t, e, "/api/v1/auth/login", map[string]string{"email": u.Email}, ""), http.StatusUnprocessableEntity, "validation_failed")
		expect(t, post(t, e, "/api/v1/auth/login", map[string]string{"email": u.Email, "password": "x", "session": "jar"}, ""), http.StatusUnprocessableEntity, "validation_failed")
	})
}

// An unknown email and a wrong password get the same answer, in about the
// same time (both verify an argon2id hash).
func TestLoginUnknownEmailLooksLikeWrongPassword(t *testing.T) {
	eachEngine(t, func(t *testing.T, e *env) {
		u := e.signUp("Uma")
		timed := func(body map[string]string) (response, time.Duration) {
			var ds []time.Duration
			var r response
			for range 5 {
				start := time.Now()
				r = post(t, e, "/api/v1/auth/login", body, "")
				ds = append(ds, time.Since(start))
			}
			sort.Slice(ds, func(i, j int) bool { return ds[i] < ds[j] })
			return r, ds[2]
		}
		wrong, dWrong := timed(map[string]string{"email": u.Email, "password": "wrong-password-123"})
		unknown, dUnknown := timed(map[string]string{"email": "nobody-" + u.Email, "password": "wrong-password-123"})
		expect(t, wrong, http.StatusUnauthorized, "invalid_credentials")
		expect(t, unknown, http.StatusUnauthorized, "invalid_credentials")
		a, b := wrong.JSON(t), unknown.JSON(t)
		for _, k := range []string{"type", "title", "status", "detail", "code"} {
			if a[k] != b[k] {
				t.Errorf("%s differs: %v vs %v", k, a[k], b[k])
			}
		}
		if len(wrong.Body)-len(a["request_id"].(string)) != len(unknown.Body)-len(b["request_id"].(string)) {
			t.Errorf("bodies differ in shape:\n%s\n%s", wrong.Body, unknown.Body)
		}
		// Median of 5: the unknown email must not be answered much faster.
		// Without the dummy hash it would be ~100× faster; 5× leaves room
		// for a busy machine.
		if dUnknown*5 < dWrong || dWrong*5 < dUnknown {
			t.Errorf("timing differs: wrong password %v, unknown email %v", dWrong, dUnknown)
		}
	})
}

func TestLockout(t *testing.T) {
	eachEngine(t, func(t *testing.T, e *env) {
		u := e.signUp("Locke")
		bad := map[string]string{"email": u.Email, "password": "wrong-password-123"}
		for i := 1; i < 10; i++ {
			expect(t, post(t, e, "/api/v1/auth/login", bad, ""), http.StatusUnauthorized, "invalid_credentials")
		}
		r := post(t, e, "/api/v1/auth/login", bad, "")
		expect(t, r, http.StatusTooManyRequests, "account_locked")
		// Locked: even the right password is refused, with Retry-After.
		r = post(t, e, "/api/v1/auth/login", loginBody(u), "")
		expect(t, r, http.StatusTooManyRequests, "account_locked")
		ra, err := strconv.Atoi(r.Header.Get("Retry-After"))
		if err != nil || ra < 890 || ra > 900 {
			t.Fatalf("Retry-After = %q, want about 900", r.Header.Get("Retry-After"))
		}
		// The existing session is not affected.
		expect(t, get(t, e, "/api/v1/me", u.Token), http.StatusOK, "")
		e.clock.Advance(10 * time.Minute)
		r = post(t, e, "/api/v1/auth/login", loginBody(u), "")
		expect(t, r, http.StatusTooManyRequests, "account_locked")
		if ra, _ := strconv.Atoi(r.Header.Get("Retry-After")); ra < 290 || ra > 300 {
			t.Fatalf("Retry-After after 10 min = %d, want about 300", ra)
		}
		e.clock.Advance(5*time.Minute + time.Second)
		expect(t, post(t, e, "/api/v1/auth/login", loginBody(u), ""), http.StatusOK, "")
		// A success resets the count: one more failure is just a failure.
		expect(t, post(t, e, "/api/v1/auth/login", bad, ""), http.StatusUnauthorized, "invalid_credentials")
		expect(t, post(t, e, "/api/v1/auth/login", loginBody(u), ""), http.StatusOK, "")
	})
}

func withAuthRate(n int) envOption {
	return func(c *config.Config) { c.AuthRateLimitPerMinute = n }
}

func withAPIRate(n int) envOption {
	return func(c *config.Config) { c.APIRateLimitPerMinute = n }
}

func TestAuthThrottlePerIP(t *testing.T) {
	eachEngine(t, func(t *testing.T, e *env) {
		bad := map[string]string{"email": "x@example.com", "password": "wrong-password-123"}
		for range 3 {
			expect(t, post(t, e, "/api/v1/auth/login", bad, ""), http.StatusUnauthorized, "invalid_credentials")
		}
		for _, path := range []string{"/api/v1/auth/login", "/api/v1/auth/register", "/api/v1/auth/refresh"} {
			r := post(t, e, path, bad, "")
			expect(t, r, http.StatusTooManyRequests, "rate_limited")
			if ra, err := strconv.Atoi(r.Header.Get("Retry-After")); err != nil || ra < 1 || ra > 60 {
				t.Fatalf("%s: Retry-After = %q", path, r.Header.Get("Retry-After"))
			}
		}
		e.clock.Advance(21 * time.Second) // one token back at 3 a minute
		expect(t, post(t, e, "/api/v1/auth/login", bad, ""), http.StatusUnauthorized, "invalid_credentials")
		expect(t, post(t, e, "/api/v1/auth/login", bad, ""), http.StatusTooManyRequests, "rate_limited")
	}, withAuthRate(3))
}

func TestAPIRateLimitPerUser(t *testing.T) {
	eachEngine(t, func(t *testing.T, e *env) {
		a, b := e.signUp("Ann"), e.signUp("Ben")
		for range 5 {
			expect(t, get(t, e, "/api/v1/me", a.Token), http.StatusOK, "")
		}
		r := get(t, e, "/api/v1/me", a.Token)
		expect(t, r, http.StatusTooManyRequests, "rate_limited")
		if r.Header.Get("Retry-After") == "" {
			t.Fatal("no Retry-After")
		}
		// Another user has their own budget.
		expect(t, get(t, e, "/api/v1/me", b.Token), http.StatusOK, "")
		e.clock.Advance(13 * time.Second)
		expect(t, get(t, e, "/api/v1/me", a.Token), http.StatusOK, "")
	}, withAPIRate(5))
}

func TestJWTAttacks(t *testing.T) {
	eachEngine(t, func(t *testing.T, e *env) {
		u, other := e.signUp("Jay"), e.signUp("Kay")
		key := e.cfg.JWTSigningKey
		rsaKey, err := rsa.GenerateKey(rand.Reader, 2048)
		if err != nil {
			t.Fatal(err)
		}
		// The control: a token forged with the real key, algorithm and claims works.
		expect(t, get(t, e, "/api/v1/me", forge(t, jwt.SigningMethodHS256, key, claimsFor(t, e, u))), http.StatusOK, "")

		tampered := func() string {
			parts := strings.Split(u.Token, ".")
			c := claimsFor(t, e, other)
			c.SessionID = claimsFor(t, e, u).SessionID
			other := strings.Split(forge(t, jwt.SigningMethodHS256, []byte("another-key-another-key-another-key!"), c), ".")
			return parts[0] + "." + other[1] + "." + parts[2]
		}
		with := func(f func(c *auth.Claims)) *auth.Claims { c := claimsFor(t, e, u); f(c); return c }
		none, err := jwt.NewWithClaims(jwt.SigningMethodNone, claimsFor(t, e, u)).SignedString(jwt.UnsafeAllowNoneSignatureType)
		if err != nil {
			t.Fatal(err)
		}
		attacks := map[string]string{
			"alg none":         none,
			"alg none, no sig": strings.TrimSuffix(none, "."),
			"HS384":            forge(t, jwt.SigningMethodHS384, key, claimsFor(t, e, u)),
			"HS512":            forge(t, jwt.SigningMethodHS512, key, claimsFor(t, e, u)),
			"RS256":            forge(t, jwt.SigningMethodRS256, rsaKey, claimsFor(t, e, u)),
			"wrong key":        forge(t, jwt.SigningMethodHS256, []byte("not-the-server-key-but-long-enough!!"), claimsFor(t, e, u)),
			"tampered payload": tampered(),
			"wrong audience":   forge(t, jwt.SigningMethodHS256, key, with(func(c *auth.Claims) { c.Audience = jwt.ClaimStrings{"other-api"} })),
			"no audience":      forge(t, jwt.SigningMethodHS256, key, with(func(c *auth.Claims) { c.Audience = nil })),
			"wrong issuer":     forge(t, jwt.SigningMethodHS256, key, with(func(c *auth.Claims) { c.Issuer = "evil" })),
			"missing sid":      forge(t, jwt.SigningMethodHS256, key, with(func(c *auth.Claims) { c.SessionID = "" })),
			"unknown sid":      forge(t, jwt.SigningMethodHS256, key, with(func(c *auth.Claims) { c.SessionID = "0192d3e4-0000-7000-8000-000000000000" })),
			"other user's sid": forge(t, jwt.SigningMethodHS256, key, with(func(c *auth.Claims) { c.SessionID = claimsFor(t, e, other).SessionID })),
			"missing exp":      forge(t, jwt.SigningMethodHS256, key, with(func(c *auth.Claims) { c.ExpiresAt = nil })),
			"expired":          forge(t, jwt.SigningMethodHS256, key, with(func(c *auth.Claims) { c.ExpiresAt = jwt.NewNumericDate(e.clock.Now().Add(-time.Minute)) })),
			"issued in future": forge(t, jwt.SigningMethodHS256, key, with(func(c *auth.Claims) { c.IssuedAt = jwt.NewNumericDate(e.clock.Now().Add(time.Hour)) })),
			"garbage":          "not.a.jwt",
			"empty":            "",
		}
		for name, tok := range attacks {
			r := validated(t, e, req{Method: "GET", Path: "/api/v1/me", Headers: map[string]string{"Authorization": "Bearer " + tok}})
			if r.Status != http.StatusUnauthorized {
				t.Errorf("%s: status %d, want 401: %s", name, r.Status, r.Body)
				continue
			}
			expect(t, r, http.StatusUnauthorized, "unauthorized")
		}
		for _, h := range []string{"", "Basic " + u.Token, "Token " + u.Token, u.Token} {
			r := validated(t, e, req{Method: "GET", Path: "/api/v1/me", Headers: map[string]string{"Authorization": h}})
			expect(t, r, http.StatusUnauthorized, "unauthorized")
		}
		// A real token stops working once it expires (15 minutes).
		expect(t, get(t, e, "/api/v1/me", u.Token), http.StatusOK, "")
		e.clock.Advance(15*time.Minute + 10*time.Second)
		expect(t, get(t, e, "/api/v1/me", u.Token), http.StatusUnauthorized, "unauthorized")
		// …but its session lives on: the refresh token still works.
		expect(t, post(t, e, "/api/v1/auth/refresh", map[string]string{"refresh_token": u.Refresh}, ""), http.StatusOK, "")
	})
}

func TestRefreshRotationAndReuse(t *testing.T) {
	eachEngine(t, func(t *testing.T, e *env) {
		u := e.signUp("Rita")
		r := post(t, e, "/api/v1/auth/refresh", map[string]string{"refresh_token": u.Refresh}, "")
		expect(t, r, http.StatusOK, "")
		if r.JSON(t)["user"] != nil {
			t.Fatal("refresh answers tokens only")
		}
		a2, r2 := tokensOf(t, r)
		if r2 == "" || r2 == u.Refresh || a2 == u.Token {
			t.Fatal("refresh must return a new access and a new refresh token")
		}
		expect(t, get(t, e, "/api/v1/me", a2), http.StatusOK, "")
		other := e.signUp("Other") // another session must not be affected

		// The spent token again: reuse. The whole session ends at once.
		expect(t, post(t, e, "/api/v1/auth/refresh", map[string]string{"refresh_token": u.Refresh}, ""), http.StatusUnauthorized, "unauthorized")
		expect(t, get(t, e, "/api/v1/me", a2), http.StatusUnauthorized, "unauthorized")
		expect(t, get(t, e, "/api/v1/me", u.Token), http.StatusUnauthorized, "unauthorized")
		expect(t, post(t, e, "/api/v1/auth/refresh", map[string]string{"refresh_token": r2}, ""), http.StatusUnauthorized, "unauthorized")
		expect(t, get(t, e, "/api/v1/me", other.Token), http.StatusOK, "")

		for name, body := range map[string]any{
			"unknown": map[string]string{"refresh_token": "made-up"},
			"empty":   map[string]string{"refresh_token": ""},
			"nothing": "",
		} {
			r := post(t, e, "/api/v1/auth/refresh", body, "")
			if r.Status != http.StatusUnauthorized && r.Status != http.StatusUnprocessableEntity {
				t.Errorf("%s: status %d", name, r.Status)
			}
		}
		expect(t, post(t, e, "/api/v1/auth/refresh", map[string]string{"refresh_token": "made-up"}, ""), http.StatusUnauthorized, "unauthorized")
		expect(t, post(t, e, "/api/v1/auth/refresh", "", ""), http.StatusUnauthorized, "unauthorized")
		expect(t, post(t, e, "/api/v1/auth/refresh", map[string]string{"refresh_token": ""}, ""), http.StatusUnprocessableEntity, "validation_failed")
		expect(t, post(t, e, "/api/v1/auth/refresh", map[string]any{"refresh_token": "x", "user_id": u.ID}, ""), http.StatusBadRequest, "invalid_json")

		// A refresh token expires with its session (30 days).
		v := e.signUp("Vera")
		e.clock.Advance(30*24*time.Hour + time.Minute)
		expect(t, post(t, e, "/api/v1/auth/refresh", map[string]string{"refresh_token": v.Refresh}, ""), http.StatusUnauthorized, "unauthorized")
	})
}

func TestLogout(t *testing.T) {
	eachEngine(t, func(t *testing.T, e *env) {
		u := e.signUp("Leo")
		second := &user{Email: u.Email, Password: u.Password}
		e.login(second)
		expect(t, get(t, e, "/api/v1/me", u.Token), http.StatusOK, "") // warm the session cache
		r := post(t, e, "/api/v1/auth/logout", nil, u.Token)
		expect(t, r, http.StatusNoContent, "")
		// At once, not after a cache expiry: the clock has not moved.
		expect(t, get(t, e, "/api/v1/me", u.Token), http.StatusUnauthorized, "unauthorized")
		expect(t, post(t, e, "/api/v1/auth/refresh", map[string]string{"refresh_token": u.Refresh}, ""), http.StatusUnauthorized, "unauthorized")
		expect(t, post(t, e, "/api/v1/auth/logout", nil, u.Token), http.StatusUnauthorized, "unauthorized")
		// Only that session ended.
		expect(t, get(t, e, "/api/v1/me", second.Token), http.StatusOK, "")

		// Without a Bearer token, the refresh token in the body names the session.
		expect(t, post(t, e, "/api/v1/auth/logout", map[string]string{"refresh_token": second.Refresh}, ""), http.StatusNoContent, "")
		expect(t, get(t, e, "/api/v1/me", second.Token), http.StatusUnauthorized, "unauthorized")
		expect(t, post(t, e, "/api/v1/auth/logout", nil, ""), http.StatusUnauthorized, "unauthorized")
	})
}

// A session revoked on another instance (here: straight in the database)
// fails within a second, the session cache's lifetime.
func TestRevocationReachesEveryInstance(t *testing.T) {
	eachEngine(t, func(t *testing.T, e *env) {
		u := e.signUp("Ivy")
		expect(t, get(t, e, "/api/v1/me", u.Token), http.StatusOK, "")
		ctx := context.Background()
		sid := claimsFor(t, e, u).SessionID
		if err := e.db.InTx(ctx, func(tx *store.Tx) error { return tx.RevokeSession(ctx, u.ID, sid, e.clock.Now()) }); err != nil {
			t.Fatal(err)
		}
		e.clock.Advance(time.Second)
		expect(t, get(t, e, "/api/v1/me", u.Token), http.StatusUnauthorized, "unauthorized")
	})
}

func TestCookieSessions(t *testing.T) {
	eachEngine(t, func(t *testing.T, e *env) {
		u := e.signUp("Cora")
		r := post(t, e, "/api/v1/auth/login", map[string]string{"email": u.Email, "password": u.Password, "session": "cookie"}, "")
		expect(t, r, http.StatusOK, "")
		if _, ok := r.JSON(t)["refresh_token"]; ok {
			t.Fatal("cookie mode must leave refresh_token out of the body")
		}
		c := refreshCookie(r)
		if c == nil || c.Value == "" {
			t.Fatalf("no %s cookie: %v", api.RefreshCookie, r.Header.Values("Set-Cookie"))
		}
		raw := strings.Join(r.Header.Values("Set-Cookie"), "; ")
		if !c.HttpOnly || !c.Secure || c.SameSite != http.SameSiteStrictMode || c.Path != "/" || c.Domain != "" {
			t.Fatalf("cookie attributes: %s", raw)
		}
		if c.MaxAge < 12*3600-60 || c.MaxAge > 12*3600 {
			t.Fatalf("cookie Max-Age = %d, want SESSION_MAX_AGE (12 h)", c.MaxAge)
		}
		access, _ := tokensOf(t, r)
		expect(t, get(t, e, "/api/v1/me", access), http.StatusOK, "")

		withCookie := func(v string, extra map[string]string) req {
			h := map[string]string{"Cookie": api.RefreshCookie + "=" + v}
			for k, x := range extra {
				h[k] = x
			}
			return req{Method: "POST", Path: "/api/v1/auth/refresh", Headers: h}
		}
		// Cross-origin use of the cookie is refused, and does not spend it.
		for _, h := range []map[string]string{
			{"Sec-Fetch-Site": "cross-site"},
			{"Sec-Fetch-Site": "same-site"},
			{"Origin": "https://evil.example"},
		} {
			expect(t, validated(t, e, withCookie(c.Value, h)), http.StatusForbidden, "cross_origin_refused")
			q := withCookie(c.Value, h)
			q.Path = "/api/v1/auth/logout"
			expect(t, validated(t, e, q), http.StatusForbidden, "cross_origin_refused")
		}
		// Same origin, empty body: rotates the cookie.
		r = validated(t, e, withCookie(c.Value, map[string]string{"Sec-Fetch-Site": "same-origin", "Origin": e.srv.URL}))
		expect(t, r, http.StatusOK, "")
		c2 := refreshCookie(r)
		if c2 == nil || c2.Value == "" || c2.Value == c.Value {
			t.Fatalf("refresh must rotate the cookie: %v", r.Header.Values("Set-Cookie"))
		}
		if _, ok := r.JSON(t)["refresh_token"]; ok {
			t.Fatal("cookie refresh must not put the refresh token in the body")
		}
		// "{}" counts as an empty body too; no Sec-Fetch-Site and no Origin is a non-browser client.
		q := withCookie(c2.Value, nil)
		q.Body = "{}"
		r = validated(t, e, q)
		expect(t, r, http.StatusOK, "")
		c3 := refreshCookie(r)
		a3, _ := tokensOf(t, r)

		// Logout with the cookie ends the session and clears the cookie.
		q = withCookie(c3.Value, map[string]string{"Sec-Fetch-Site": "same-origin"})
		q.Path = "/api/v1/auth/logout"
		r = validated(t, e, q)
		expect(t, r, http.StatusNoContent, "")
		if cl := refreshCookie(r); cl == nil || cl.MaxAge >= 0 || cl.Value != "" {
			t.Fatalf("logout must clear the cookie: %v", r.Header.Values("Set-Cookie"))
		}
		expect(t, get(t, e, "/api/v1/me", a3), http.StatusUnauthorized, "unauthorized")
		r = validated(t, e, withCookie(c3.Value, nil))
		expect(t, r, http.StatusUnauthorized, "unauthorized")
		if cl := refreshCookie(r); cl == nil || cl.MaxAge >= 0 {
			t.Fatal("an unusable cookie must be cleared")
		}

		// Reuse of a rotated cookie revokes the session.
		r = post(t, e, "/api/v1/auth/login", map[string]string{"email": u.Email, "password": u.Password, "session": "cookie"}, "")
		k1 := refreshCookie(r).Value
		a1, _ := tokensOf(t, r)
		r = validated(t, e, withCookie(k1, nil))
		expect(t, r, http.StatusOK, "")
		expect(t, validated(t, e, withCookie(k1, nil)), http.StatusUnauthorized, "unauthorized")
		expect(t, get(t, e, "/api/v1/me", a1), http.StatusUnauthorized, "unauthorized")
		expect(t, validated(t, e, withCookie(refreshCookie(r).Value, nil)), http.StatusUnauthorized, "unauthorized")
	})
}

func TestTwoFactor(t *testing.T) {
	eachEngine(t, func(t *testing.T, e *env) {
		u := e.signUp("Toto")
		expect(t, post(t, e, "/api/v1/me/2fa/enable", map[string]string{"code": "123456"}, u.Token), http.StatusUnprocessableEntity, "invalid_totp")
		r := post(t, e, "/api/v1/me/2fa/setup", nil, u.Token)
		expect(t, r, http.StatusOK, "")
		secret := r.JSON(t)["secret"].(string)
		if url := r.JSON(t)["otpauth_url"].(string); !strings.Contains(url, "secret="+secret) || !strings.Contains(url, "issuer=BankApp") {
			t.Fatalf("otpauth_url = %s", url)
		}
		code := func() string {
			c, err := totp.GenerateCode(secret, e.clock.Now())
			if err != nil {
				t.Fatal(err)
			}
			return c
		}
		// Not on until enabled: login needs no code yet.
		expect(t, post(t, e, "/api/v1/auth/login", loginBody(u), ""), http.StatusOK, "")
		wrong := "000000"
		if code() == wrong {
			wrong = "111111"
		}
		expect(t, post(t, e, "/api/v1/me/2fa/enable", map[string]string{"code": wrong}, u.Token), http.StatusUnprocessableEntity, "invalid_totp")
		expect(t, post(t, e, "/api/v1/me/2fa/enable", map[string]string{"code": "12ab56"}, u.Token), http.StatusUnprocessableEntity, "validation_failed")
		used := code()
		expect(t, post(t, e, "/api/v1/me/2fa/enable", map[string]string{"code": used}, u.Token), http.StatusNoContent, "")
		if me := get(t, e, "/api/v1/me", u.Token).JSON(t)["user"].(map[string]any); me["totp_enabled"] != true {
			t.Fatalf("totp_enabled = %v", me["totp_enabled"])
		}
		expect(t, post(t, e, "/api/v1/me/2fa/setup", nil, u.Token), http.StatusConflict, "totp_already_enabled")
		expect(t, post(t, e, "/api/v1/me/2fa/enable", map[string]string{"code": used}, u.Token), http.StatusConflict, "totp_already_enabled")

		expect(t, post(t, e, "/api/v1/auth/login", loginBody(u), ""), http.StatusUnauthorized, "totp_required")
		withCode := func(c string) map[string]string {
			return map[string]string{"email": u.Email, "password": u.Password, "totp_code": c}
		}
		// The code that enabled 2FA cannot sign in: a code works once.
		expect(t, post(t, e, "/api/v1/auth/login", withCode(used), ""), http.StatusUnauthorized, "invalid_totp")
		expect(t, post(t, e, "/api/v1/auth/login", withCode(wrong), ""), http.StatusUnauthorized, "invalid_totp")
		// A right code with a wrong password is still invalid_credentials.
		expect(t, post(t, e, "/api/v1/auth/login", map[string]string{"email": u.Email, "password": "wrong-password-1", "totp_code": used}, ""), http.StatusUnauthorized, "invalid_credentials")
		e.clock.Advance(30 * time.Second)
		next := code()
		expect(t, post(t, e, "/api/v1/auth/login", withCode(next), ""), http.StatusOK, "")
		expect(t, post(t, e, "/api/v1/auth/login", withCode(next), ""), http.StatusUnauthorized, "invalid_totp")

		expect(t, post(t, e, "/api/v1/me/2fa/disable", map[string]string{"password": "wrong-password-1"}, u.Token), http.StatusUnauthorized, "invalid_credentials")
		expect(t, get(t, e, "/api/v1/me", u.Token), http.StatusOK, "") // that 401 did not end the session
		expect(t, post(t, e, "/api/v1/me/2fa/disable", map[string]string{}, u.Token), http.StatusUnprocessableEntity, "validation_failed")
		expect(t, post(t, e, "/api/v1/me/2fa/disable", map[string]string{"password": u.Password}, u.Token), http.StatusNoContent, "")
		expect(t, post(t, e, "/api/v1/auth/login", loginBody(u), ""), http.StatusOK, "")
		if me := get(t, e, "/api/v1/me", u.Token).JSON(t)["user"].(map[string]any); me["totp_enabled"] != false {
			t.Fatalf("totp_enabled = %v", me["totp_enabled"])
		}
	})
}

// When a lock expires, the count starts again: one more wrong password is a
// plain failure, not another 15 minutes (which would let anyone keep an
// account locked with one request every 15 minutes).
func TestLockoutExpiryRestartsCount(t *testing.T) {
	eachEngine(t, func(t *testing.T, e *env) {
		u := e.signUp("Lex")
		bad := map[string]string{"email": u.Email, "password": "wrong-password-123"}
		for range 9 {
			expect(t, post(t, e, "/api/v1/auth/login", bad, ""), http.StatusUnauthorized, "invalid_credentials")
		}
		expect(t, post(t, e, "/api/v1/auth/login", bad, ""), http.StatusTooManyRequests, "account_locked")
		e.clock.Advance(15*time.Minute + time.Second)
		expect(t, post(t, e, "/api/v1/auth/login", bad, ""), http.StatusUnauthorized, "invalid_credentials")
		expect(t, post(t, e, "/api/v1/auth/login", loginBody(u), ""), http.StatusOK, "")
	})
}
